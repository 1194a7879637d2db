//! The job that copies another instance's picture here (`backend::media::remote` plans it in
//! the transaction that stores the remote event or actor). It fetches the picture once, under
//! the rules of every outgoing request of ours: http(s) only, https unless `federation.debug`,
//! no loopback or private address (checked at name resolution by the client), no redirects,
//! a timeout, no blocked instance; and bounded: a declared length over the limit is refused
//! before the body is read, and reading stops as soon as the limit is passed. Backend then
//! checks and re-encodes the bytes as it does uploads.
//!
//! A picture that cannot be had (404, too large, not a picture) is a log line, and its event
//! or actor stays without it; a peer that is down is tried again later.

use async_trait::async_trait;
use backend::AppContext;
use backend::jobs::{Job, JobError, JobHandler};
use backend::media::remote::{FETCH_JOB, FetchPicture, prepare, store};
use reqwest::StatusCode;
use url::Url;

/// Why a picture was not fetched.
#[derive(Debug)]
enum Failure {
    /// It will not get better by asking again (404, over the limit, a refused address).
    Refused(String),
    /// Worth another try later (peer down or slow, 5xx, 429).
    Passing(String),
}

pub struct FetchPictureJob;

#[async_trait]
impl JobHandler for FetchPictureJob {
    fn kind(&self) -> &'static str {
        FETCH_JOB
    }

    async fn run(&self, ctx: &AppContext, job: &Job) -> Result<(), JobError> {
        let wanted: FetchPicture = serde_json::from_value(job.payload.clone())?;
        let Some(limits) = prepare(ctx, &wanted).await? else {
            return Ok(());
        };
        let bytes = match fetch(ctx, &wanted.url, limits.limit).await {
            Ok(bytes) => bytes,
            Err(Failure::Refused(reason)) => {
                tracing::warn!(
                    url = %wanted.url,
                    %reason,
                    "a remote picture was not copied; its event or profile is kept without it"
                );
                return Ok(());
            }
            Err(Failure::Passing(reason)) => return Err(JobError::Retry(reason)),
        };
        match store(ctx, &wanted, limits, bytes).await {
            Ok(Some(media)) => {
                tracing::info!(url = %wanted.url, media = %media.uuid, "remote picture copied");
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(backend::Error::Internal(source)) => Err(JobError::Retry(source.to_string())),
            Err(refused) => {
                tracing::warn!(
                    url = %wanted.url,
                    reason = %refused,
                    "a remote picture was refused; its event or profile is kept without it"
                );
                Ok(())
            }
        }
    }
}

/// Whether our rules for outgoing requests let us ask `url` (the client checks the address
/// it resolves to; this checks what can be seen before).
fn allowed(url: &Url, debug: bool) -> Result<(), Failure> {
    match url.scheme() {
        "https" => {}
        "http" if debug => {}
        other => {
            return Err(Failure::Refused(format!(
                "the scheme {other} is not fetched here"
            )));
        }
    }
    if !debug {
        // An address written as an IP is never resolved, so the resolver could not refuse
        // a private one: only names are asked, as the federation library does.
        match url.domain() {
            Some(domain) if !domain.eq_ignore_ascii_case("localhost") => {}
            _ => {
                return Err(Failure::Refused(
                    "only addresses with a public host name are fetched".to_owned(),
                ));
            }
        }
    }
    Ok(())
}

async fn fetch(ctx: &AppContext, address: &str, limit: u64) -> Result<Vec<u8>, Failure> {
    let debug = ctx.settings.federation.debug;
    let url = Url::parse(address).map_err(|e| Failure::Refused(e.to_string()))?;
    allowed(&url, debug)?;
    let client = crate::config::http_client(debug).map_err(|e| Failure::Passing(e.to_string()))?;
    let mut response = client
        .get(url)
        .header("accept", "image/*")
        .send()
        .await
        .map_err(|e| Failure::Passing(format!("no answer: {e}")))?;
    let status = response.status();
    if status.is_server_error()
        || status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT
    {
        return Err(Failure::Passing(format!("the server answered {status}")));
    }
    if !status.is_success() {
        return Err(Failure::Refused(format!("the server answered {status}")));
    }
    if let Some(declared) = response.content_length()
        && declared > limit
    {
        return Err(Failure::Refused(format!(
            "{declared} bytes announced; at most {limit} are accepted"
        )));
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| Failure::Passing(format!("the answer broke off: {e}")))?
    {
        if (bytes.len() + chunk.len()) as u64 > limit {
            return Err(Failure::Refused(format!(
                "more than {limit} bytes sent; reading stopped there"
            )));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;

    fn refused(url: &str, debug: bool) -> bool {
        matches!(
            allowed(&Url::parse(url).unwrap(), debug),
            Err(Failure::Refused(_))
        )
    }

    #[test]
    fn only_https_addresses_with_a_host_name_are_fetched_unless_debug_allows_more() {
        assert!(!refused("https://mobilizon.example/media/a.jpg", false));
        assert!(refused("http://mobilizon.example/media/a.jpg", false));
        assert!(refused("https://127.0.0.1/a.jpg", false));
        assert!(refused("https://[::1]/a.jpg", false));
        assert!(refused("https://localhost/a.jpg", false));
        assert!(refused("ftp://mobilizon.example/a.jpg", false));
        assert!(refused("file:///etc/passwd", true));
        assert!(!refused("http://localhost:4001/media/a.jpg", true));
        assert!(!refused("http://127.0.0.1:4001/media/a.jpg", true));
    }
}
