//! Reading a peer's small JSON documents (NodeInfo and its links) within a size bound: a
//! peer, or anything answering at its address, could otherwise send an endless body and have
//! us hold all of it in memory before parsing.

use serde_json::Value;

use crate::error::Error;

/// NodeInfo documents are a few kilobytes; Mastodon's largest seen are under 20 KB.
pub const JSON_LIMIT: usize = 256 * 1024;

/// The body of `response` as JSON, refused unread when it announces more than `limit` bytes
/// and as soon as more than `limit` arrive.
pub async fn json(mut response: reqwest::Response, limit: usize) -> Result<Value, Error> {
    if let Some(declared) = response.content_length()
        && declared > limit as u64
    {
        return Err(Error::Rejected(format!(
            "{declared} bytes announced; at most {limit} are read"
        )));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| Error::Malformed(e.to_string()))?
    {
        if body.len() + chunk.len() > limit {
            return Err(Error::Rejected(format!(
                "more than {limit} bytes sent; reading stopped there"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    serde_json::from_slice(&body).map_err(|e| Error::Malformed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::routing::get;

    use super::*;

    async fn serve(router: Router) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        tokio::spawn(async move { axum::serve(listener, router).await });
        format!("http://{address}")
    }

    fn endless() -> Body {
        let chunk = bytes::Bytes::from(vec![b' '; 64 * 1024]);
        Body::from_stream(futures::stream::repeat_with(move || {
            Ok::<_, std::io::Error>(chunk.clone())
        }))
    }

    async fn fetch(url: String, limit: usize) -> Result<Value, Error> {
        // The client peers are fetched with (debug: loopback addresses allowed).
        let response = crate::config::http_client(true)
            .expect("client")
            .get(url)
            .send()
            .await
            .expect("answer");
        json(response, limit).await
    }

    #[tokio::test]
    async fn a_small_document_is_read_and_an_endless_or_announced_large_one_is_refused() {
        let base = serve(
            Router::new()
                .route("/small", get(|| async { r#"{"links":[]}"# }))
                .route("/endless", get(|| async { endless() }))
                .route("/large", get(|| async { vec![b' '; 2 * JSON_LIMIT] })),
        )
        .await;
        let small = fetch(format!("{base}/small"), JSON_LIMIT).await;
        assert_eq!(small.expect("small").to_string(), r#"{"links":[]}"#);
        let endless = fetch(format!("{base}/endless"), JSON_LIMIT).await;
        assert!(
            matches!(&endless, Err(Error::Rejected(why)) if why.contains("reading stopped")),
            "{endless:?}"
        );
        let large = fetch(format!("{base}/large"), JSON_LIMIT).await;
        assert!(
            matches!(&large, Err(Error::Rejected(why)) if why.contains("announced")),
            "{large:?}"
        );
    }
}
