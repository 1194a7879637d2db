//! Signing a `POST` we send ourselves, as draft-cavage (rsa-sha256 over `(request-target) host
//! date digest`, as Mastodon and Mobilizon sign and verify). The federation library signs
//! every other delivery; it answers a 4xx as delivered without telling us, and a `Join`'s
//! 4xx is an answer we must act on (see `delivery`).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Utc};
use rsa::RsaPrivateKey;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs1v15::Pkcs1v15Sign;
use rsa::pkcs8::DecodePrivateKey;
use sha2::{Digest, Sha256};
use url::Url;

use crate::error::{Error, Result};

/// The headers of a signed `POST` of `body` to `url` by the key `key_id`, at `now`.
pub(crate) fn post_headers(
    key_id: &str,
    private_key_pem: &str,
    url: &Url,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<Vec<(&'static str, String)>> {
    let key = RsaPrivateKey::from_pkcs8_pem(private_key_pem)
        .or_else(|_| RsaPrivateKey::from_pkcs1_pem(private_key_pem))
        .map_err(|_| Error::Internal("the sender's private key is not an RSA key".to_owned()))?;
    let host = match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        (None, _) => return Err(Error::Malformed(format!("no host in {url}"))),
    };
    let date = now.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let digest = format!("SHA-256={}", BASE64.encode(Sha256::digest(body)));
    let target = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let message =
        format!("(request-target): post {target}\nhost: {host}\ndate: {date}\ndigest: {digest}");
    let signature = key
        .sign(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(message.as_bytes()),
        )
        .map_err(|e| Error::Internal(format!("signing: {e}")))?;
    let header = format!(
        "keyId=\"{key_id}\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\",signature=\"{}\"",
        BASE64.encode(signature)
    );
    Ok(vec![
        ("host", host),
        ("date", date),
        ("digest", digest),
        ("content-type", "application/activity+json".to_owned()),
        ("signature", header),
    ])
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;
    use crate::signatures::{Incoming, read};
    use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Uri};

    #[test]
    fn what_we_sign_our_own_verification_accepts() {
        let keys = activitypub_federation::http_signatures::generate_actor_keypair().unwrap();
        let url = Url::parse("http://localhost:4611/inbox").unwrap();
        let body = br#"{"type":"Join"}"#;
        let now = Utc::now();
        let headers = post_headers(
            "http://localhost:4000/@a#main-key",
            &keys.private_key,
            &url,
            body,
            now,
        )
        .unwrap();
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(
                HeaderName::from_static(name),
                HeaderValue::from_str(&value).unwrap(),
            );
        }
        let uri: Uri = "/inbox".parse().unwrap();
        let signed = read(
            &Incoming {
                method: &Method::POST,
                uri: &uri,
                headers: &map,
                body,
                scheme: "http",
                authority: "localhost:4611",
            },
            now,
        )
        .unwrap();
        signed.verify(&keys.public_key).unwrap();
        assert_eq!(signed.key_id, "http://localhost:4000/@a#main-key");
    }
}
