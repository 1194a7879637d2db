//! An SMTP server on loopback that accepts every message: for tests of the SMTP transport and
//! for the benchmark's reminders. It keeps the last messages, the envelope recipients and
//! `Message-ID` of every message, counts them and the connections it accepted, and can hang up
//! on its clients to play a relay that drops idle connections.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};

/// A self-signed certificate for `localhost` (valid until 2126) and its key, for TLS sinks.
const LOCALHOST_CERTIFICATE: &[u8] = include_bytes!("tls/localhost.cert.der");
const LOCALHOST_KEY: &[u8] = include_bytes!("tls/localhost.key.der");

/// Messages kept for reading; older ones are dropped so a benchmark stays small.
const MESSAGES_KEPT: usize = 100;

/// What the sink remembers of every message it accepted: a few bytes each, so that a test can
/// tell duplicates apart from distinct messages among thousands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The envelope's recipients (`RCPT TO`).
    pub recipients: Vec<String>,
    /// The `Message-ID` header, angle brackets included, when the message has one.
    pub message_id: Option<String>,
}

#[derive(Default)]
struct Received {
    messages: AtomicU64,
    connections: AtomicU64,
    hang_up: AtomicBool,
    last: Mutex<Vec<String>>,
    deliveries: Mutex<Vec<Delivery>>,
}

pub struct SmtpSink {
    pub address: SocketAddr,
    received: Arc<Received>,
    task: tokio::task::JoinHandle<()>,
}

impl SmtpSink {
    pub async fn start() -> std::io::Result<Self> {
        Self::listen(None).await
    }

    /// A sink speaking TLS from the first byte (SMTPS, port 465), as `localhost` with the
    /// certificate of [`SmtpSink::localhost_certificate`].
    pub async fn start_with_tls() -> std::io::Result<Self> {
        let config = ServerConfig::builder_with_provider(std::sync::Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .and_then(|builder| {
            builder.with_no_client_auth().with_single_cert(
                vec![CertificateDer::from(LOCALHOST_CERTIFICATE.to_vec())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(LOCALHOST_KEY.to_vec())),
            )
        })
        .map_err(std::io::Error::other)?;
        Self::listen(Some(TlsAcceptor::from(Arc::new(config)))).await
    }

    /// The certificate a client must trust to talk to [`SmtpSink::start_with_tls`].
    pub fn localhost_certificate() -> Vec<u8> {
        LOCALHOST_CERTIFICATE.to_vec()
    }

    async fn listen(tls: Option<TlsAcceptor>) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let received = Arc::new(Received::default());
        let shared = received.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                shared.connections.fetch_add(1, Ordering::Relaxed);
                let shared = shared.clone();
                let tls = tls.clone();
                tokio::spawn(async move {
                    let _ = match tls {
                        Some(tls) => match tls.accept(stream).await {
                            Ok(stream) => session(stream, shared).await,
                            Err(err) => Err(err),
                        },
                        None => session(stream, shared).await,
                    };
                });
            }
        });
        Ok(Self {
            address,
            received,
            task,
        })
    }

    /// Messages accepted so far.
    pub fn count(&self) -> u64 {
        self.received.messages.load(Ordering::Relaxed)
    }

    /// TCP connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.received.connections.load(Ordering::Relaxed)
    }

    /// The last messages accepted, as sent between `DATA` and the final `.`.
    pub fn messages(&self) -> Vec<String> {
        self.received
            .last
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Every message accepted so far, in order.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.received
            .deliveries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// From now on, every open session is closed by the server at its next command.
    pub fn hang_up_on_everyone(&self) {
        self.received.hang_up.store(true, Ordering::Relaxed);
    }

    /// Sessions opened from now on are served again.
    pub fn answer_again(&self) {
        self.received.hang_up.store(false, Ordering::Relaxed);
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn session(
    stream: impl AsyncRead + AsyncWrite + Unpin,
    received: Arc<Received>,
) -> std::io::Result<()> {
    let opened_while_hanging_up = received.hang_up.load(Ordering::Relaxed);
    let (read, mut write) = tokio::io::split(stream);
    let mut reader = BufReader::new(read);
    write.write_all(b"220 sink ESMTP\r\n").await?;
    let mut line = String::new();
    let mut recipients = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        if received.hang_up.load(Ordering::Relaxed) && !opened_while_hanging_up {
            return Ok(());
        }
        let command = line.trim_end().to_ascii_uppercase();
        if command.starts_with("EHLO") {
            write
                .write_all(b"250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                .await?;
        } else if command.starts_with("HELO") {
            write.write_all(b"250 sink\r\n").await?;
        } else if command.starts_with("DATA") {
            write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
            let mut message = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                message.push_str(&line);
            }
            received
                .deliveries
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push(Delivery {
                    recipients: std::mem::take(&mut recipients),
                    message_id: message_id(&message),
                });
            {
                let mut last = received
                    .last
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                if last.len() == MESSAGES_KEPT {
                    last.remove(0);
                }
                last.push(message);
            }
            received.messages.fetch_add(1, Ordering::Relaxed);
            write.write_all(b"250 2.0.0 queued\r\n").await?;
        } else if command.starts_with("RCPT TO:") {
            // From the line as sent, not the uppercased command: addresses keep their case.
            let argument = line.get("RCPT TO:".len()..).unwrap_or_default();
            let address = argument.trim().trim_start_matches('<');
            let address = address.split('>').next().unwrap_or_default();
            recipients.push(address.to_owned());
            write.write_all(b"250 2.0.0 ok\r\n").await?;
        } else if command.starts_with("MAIL") || command.starts_with("RSET") {
            recipients.clear();
            write.write_all(b"250 2.0.0 ok\r\n").await?;
        } else if command.starts_with("QUIT") {
            write.write_all(b"221 2.0.0 bye\r\n").await?;
            return Ok(());
        } else {
            // NOOP and the rest: all accepted.
            write.write_all(b"250 2.0.0 ok\r\n").await?;
        }
    }
}

/// The `Message-ID` header of a raw message (headers end at the first empty line).
fn message_id(message: &str) -> Option<String> {
    message
        .lines()
        .take_while(|line| !line.is_empty())
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("message-id")
                .then(|| value.trim().to_owned())
        })
}
