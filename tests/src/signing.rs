//! Draft-cavage HTTP signatures written here, independently of the federation library, so that
//! tests can send what a peer would (or what a forger would: a stale `Date`, a `Digest` of
//! another body, someone else's key).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Utc};
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use sha2::{Digest, Sha256};

/// A key to sign with: `key_id` is what the `Signature` header names (`{actor}#main-key`).
#[derive(Clone, Debug)]
pub struct Signer {
    pub key_id: String,
    pub private_key_pem: String,
}

/// What to sign and send; the defaults are an honest request.
#[derive(Clone, Debug)]
pub struct SignedPost {
    pub url: String,
    pub body: String,
    /// The `Date` header (now by default).
    pub date: DateTime<Utc>,
    /// The body the `Digest` header is computed from (the real body by default).
    pub digest_of: Option<String>,
}

impl SignedPost {
    pub fn new(url: &str, body: &str) -> Self {
        Self {
            url: url.to_owned(),
            body: body.to_owned(),
            date: Utc::now(),
            digest_of: None,
        }
    }

    /// Signs the request as Mastodon does (`(request-target) host date digest content-type`)
    /// and sends it.
    pub async fn send(&self, signer: &Signer) -> reqwest::Response {
        let url = url::Url::parse(&self.url).expect("url");
        let host = match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().expect("host")),
            None => url.host_str().expect("host").to_owned(),
        };
        let date = self.date.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        let digested = self.digest_of.as_deref().unwrap_or(&self.body);
        let digest = format!(
            "SHA-256={}",
            BASE64.encode(Sha256::digest(digested.as_bytes()))
        );
        let content_type = "application/activity+json";
        let signing_string = format!(
            "(request-target): post {}\nhost: {host}\ndate: {date}\ndigest: {digest}\ncontent-type: {content_type}",
            url.path()
        );
        let key = RsaPrivateKey::from_pkcs8_pem(&signer.private_key_pem).expect("private key");
        let signature = key
            .sign(
                Pkcs1v15Sign::new::<Sha256>(),
                &Sha256::digest(signing_string.as_bytes()),
            )
            .expect("sign");
        let header = format!(
            "keyId=\"{}\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest content-type\",signature=\"{}\"",
            signer.key_id,
            BASE64.encode(signature)
        );
        reqwest::Client::new()
            .post(url)
            .header("host", host)
            .header("date", date)
            .header("digest", digest)
            .header("content-type", content_type)
            .header("signature", header)
            .body(self.body.clone())
            .send()
            .await
            .expect("the inbox answers")
    }
}
