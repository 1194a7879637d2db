//! A small HTTP/1.1 load generator: a fixed number of keep-alive connections, each sending its
//! next request as soon as the previous answer is read, for a fixed duration. It runs on its
//! own threads (one current-thread runtime each), apart from the server's runtime, and parses
//! only what it must (status, `Content-Length` or chunked framing), so that it costs the
//! machine as little as possible beside the server it measures.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Builds the bytes of request number `seq` on connection `connection`; none when the
/// scenario has no more to send.
pub type RequestFn = dyn Fn(usize, u64) -> Vec<u8> + Send + Sync;
/// Whether an answer counts as a success: status and body.
pub type CheckFn = dyn Fn(u16, &[u8]) -> bool + Send + Sync;

#[derive(Clone)]
pub struct Load {
    pub address: SocketAddr,
    pub connections: usize,
    pub duration: Duration,
    pub threads: usize,
    pub request: Arc<RequestFn>,
    pub check: Arc<CheckFn>,
}

/// What one run measured.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    pub ok: u64,
    pub errors: u64,
    pub body_bytes: u64,
    pub elapsed: Duration,
    /// Latency of every answered request, in microseconds, sorted.
    pub latencies_us: Vec<u32>,
    pub first_error: Option<String>,
}

impl Outcome {
    pub fn requests_per_second(&self) -> f64 {
        (self.ok + self.errors) as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    pub fn percentile_ms(&self, p: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return 0.0;
        }
        let rank = ((p / 100.0) * (self.latencies_us.len() as f64 - 1.0)).round() as usize;
        f64::from(self.latencies_us[rank.min(self.latencies_us.len() - 1)]) / 1000.0
    }

    pub fn bytes_per_response(&self) -> u64 {
        self.body_bytes.checked_div(self.ok).unwrap_or(0)
    }
}

/// An HTTP/1.1 GET request.
pub fn get(host: &str, path: &str, extra_headers: &[(&str, &str)]) -> Vec<u8> {
    let mut request =
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: convive-bench\r\n");
    for (name, value) in extra_headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.into_bytes()
}

/// An HTTP/1.1 POST of a JSON body.
pub fn post_json(host: &str, path: &str, body: &str, bearer: Option<&str>) -> Vec<u8> {
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: convive-bench\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(token) = bearer {
        request.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    request.into_bytes()
}

/// Drives the load and gathers the outcome of every connection.
pub fn run(load: &Load) -> Outcome {
    let threads = load.threads.max(1).min(load.connections.max(1));
    let started = Instant::now();
    let deadline = started + load.duration;
    let handles: Vec<_> = (0..threads)
        .map(|thread| {
            let load = load.clone();
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("load generator runtime");
                runtime.block_on(async move {
                    let mut tasks = Vec::new();
                    for connection in (thread..load.connections).step_by(threads) {
                        let load = load.clone();
                        tasks.push(tokio::spawn(async move {
                            connection_loop(&load, connection, deadline).await
                        }));
                    }
                    let mut outcome = Outcome::default();
                    for task in tasks {
                        if let Ok(part) = task.await {
                            merge(&mut outcome, part);
                        }
                    }
                    outcome
                })
            })
        })
        .collect();
    let mut outcome = Outcome::default();
    for handle in handles {
        if let Ok(part) = handle.join() {
            merge(&mut outcome, part);
        }
    }
    outcome.elapsed = started.elapsed();
    outcome.latencies_us.sort_unstable();
    outcome
}

fn merge(into: &mut Outcome, part: Outcome) {
    into.ok += part.ok;
    into.errors += part.errors;
    into.body_bytes += part.body_bytes;
    into.latencies_us.extend(part.latencies_us);
    if into.first_error.is_none() {
        into.first_error = part.first_error;
    }
}

async fn connection_loop(load: &Load, connection: usize, deadline: Instant) -> Outcome {
    let mut outcome = Outcome::default();
    let mut stream: Option<TcpStream> = None;
    let mut buffer = Vec::with_capacity(64 * 1024);
    let mut seq = 0u64;
    while Instant::now() < deadline {
        if stream.is_none() {
            match TcpStream::connect(load.address).await {
                Ok(s) => {
                    let _ = s.set_nodelay(true);
                    stream = Some(s);
                }
                Err(err) => {
                    outcome.errors += 1;
                    outcome.first_error.get_or_insert(format!("connect: {err}"));
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            }
        }
        let Some(s) = stream.as_mut() else { continue };
        let request = (load.request)(connection, seq);
        if request.is_empty() {
            // A scenario of a fixed number of requests has sent them all.
            break;
        }
        seq += 1;
        let sent = Instant::now();
        let remaining = deadline.saturating_duration_since(sent) + Duration::from_secs(10);
        let answer = tokio::time::timeout(remaining, exchange(s, &request, &mut buffer)).await;
        let micros = u32::try_from(sent.elapsed().as_micros()).unwrap_or(u32::MAX);
        match answer {
            Ok(Ok(response)) => {
                outcome.latencies_us.push(micros);
                let body = &buffer[response.body.clone()];
                if (load.check)(response.status, body) {
                    outcome.ok += 1;
                    outcome.body_bytes += body.len() as u64;
                } else {
                    outcome.errors += 1;
                    outcome.first_error.get_or_insert_with(|| {
                        format!(
                            "status {}: {}",
                            response.status,
                            String::from_utf8_lossy(&body[..body.len().min(300)])
                        )
                    });
                }
                if response.close {
                    stream = None;
                }
            }
            Ok(Err(err)) => {
                outcome.errors += 1;
                outcome.first_error.get_or_insert(format!("io: {err}"));
                stream = None;
            }
            Err(_) => {
                outcome.errors += 1;
                outcome.first_error.get_or_insert("timeout".to_owned());
                stream = None;
            }
        }
    }
    outcome
}

struct Response {
    status: u16,
    /// Where the (de-chunked) body lies in the buffer.
    body: std::ops::Range<usize>,
    close: bool,
}

fn bad(what: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned())
}

/// Sends one request and reads its whole answer into `buffer`.
async fn exchange(
    stream: &mut TcpStream,
    request: &[u8],
    buffer: &mut Vec<u8>,
) -> std::io::Result<Response> {
    stream.write_all(request).await?;
    buffer.clear();
    // Headers.
    let header_end = loop {
        if let Some(end) = find(buffer, b"\r\n\r\n") {
            break end + 4;
        }
        read_more(stream, buffer).await?;
    };
    let head = std::str::from_utf8(&buffer[..header_end]).map_err(|_| bad("header bytes"))?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| bad("status line"))?;
    let mut length: Option<usize> = None;
    let mut chunked = false;
    let mut close = false;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = value.parse().ok();
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.eq_ignore_ascii_case("chunked");
        } else if name.eq_ignore_ascii_case("connection") {
            close = value.eq_ignore_ascii_case("close");
        }
    }
    if chunked {
        // De-chunk in place: body bytes are moved down to follow the headers.
        let mut read_at = header_end;
        let mut write_at = header_end;
        loop {
            let line_end = loop {
                if let Some(pos) = find(&buffer[read_at..], b"\r\n") {
                    break read_at + pos;
                }
                read_more(stream, buffer).await?;
            };
            let size_text =
                std::str::from_utf8(&buffer[read_at..line_end]).map_err(|_| bad("chunk size"))?;
            let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
                .map_err(|_| bad("chunk size"))?;
            let data_start = line_end + 2;
            while buffer.len() < data_start + size + 2 {
                read_more(stream, buffer).await?;
            }
            if size == 0 {
                // No trailers are sent by our server.
                break;
            }
            buffer.copy_within(data_start..data_start + size, write_at);
            write_at += size;
            read_at = data_start + size + 2;
        }
        return Ok(Response {
            status,
            body: header_end..write_at,
            close,
        });
    }
    let length = match length {
        Some(length) => length,
        None if status == 304 || status == 204 => 0,
        None => {
            // Read until the server closes.
            loop {
                let before = buffer.len();
                read_more(stream, buffer).await.ok();
                if buffer.len() == before {
                    break;
                }
            }
            return Ok(Response {
                status,
                body: header_end..buffer.len(),
                close: true,
            });
        }
    };
    while buffer.len() < header_end + length {
        read_more(stream, buffer).await?;
    }
    Ok(Response {
        status,
        body: header_end..header_end + length,
        close,
    })
}

async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> std::io::Result<()> {
    let mut chunk = [0u8; 64 * 1024];
    let n = stream.read(&mut chunk).await?;
    if n == 0 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "connection closed",
        ));
    }
    buffer.extend_from_slice(&chunk[..n]);
    Ok(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
