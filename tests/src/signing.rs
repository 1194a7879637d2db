//! HTTP signatures written here, independently of the federation crate, in both schemes peers
//! use (draft-cavage as Mastodon and Mobilizon sign, RFC 9421 as recent Mastodon does), so that
//! tests can send what a peer would (or what a forger would: a stale `Date`, a digest of
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

/// Which HTTP signature scheme a request is signed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// `Signature: keyId=…,headers="(request-target) host date digest content-type",…`
    DraftCavage,
    /// `Signature-Input: sig1=("@method" "@target-uri" "content-digest" …);created=…` and
    /// `Signature: sig1=:…:`, rsa-v1_5-sha256.
    Rfc9421,
}

/// What to sign and send; the defaults are an honest request.
#[derive(Clone, Debug)]
pub struct SignedPost {
    pub url: String,
    pub body: String,
    /// The `Date` header, and the signature's `created` time (now by default).
    pub date: DateTime<Utc>,
    /// The body the digest header is computed from (the real body by default).
    pub digest_of: Option<String>,
    pub scheme: Scheme,
    /// The `Host` header and signed `host` line when not the URL's authority: Gancio 1.21
    /// signs and sends its target's host without the port.
    pub host: Option<String>,
}

impl SignedPost {
    pub fn new(url: &str, body: &str) -> Self {
        Self {
            url: url.to_owned(),
            body: body.to_owned(),
            date: Utc::now(),
            digest_of: None,
            scheme: Scheme::DraftCavage,
            host: None,
        }
    }

    pub fn rfc9421(url: &str, body: &str) -> Self {
        Self {
            scheme: Scheme::Rfc9421,
            ..Self::new(url, body)
        }
    }

    /// Signs the request as Mastodon does and sends it.
    pub async fn send(&self, signer: &Signer) -> reqwest::Response {
        let mut request = reqwest::Client::new().post(&self.url);
        for (name, value) in self.headers(signer) {
            request = request.header(name, value);
        }
        request
            .body(self.body.clone())
            .send()
            .await
            .expect("the inbox answers")
    }

    /// The headers of the signed request (`host` included).
    pub fn headers(&self, signer: &Signer) -> Vec<(&'static str, String)> {
        match self.scheme {
            Scheme::DraftCavage => self.draft_cavage_headers(signer),
            Scheme::Rfc9421 => self.rfc9421_headers(signer),
        }
    }

    fn digested(&self) -> &str {
        self.digest_of.as_deref().unwrap_or(&self.body)
    }

    fn host(&self, url: &url::Url) -> String {
        if let Some(host) = &self.host {
            return host.clone();
        }
        match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().expect("host")),
            None => url.host_str().expect("host").to_owned(),
        }
    }

    fn rfc9421_headers(&self, signer: &Signer) -> Vec<(&'static str, String)> {
        let url = url::Url::parse(&self.url).expect("url");
        let digest = format!(
            "sha-256=:{}:",
            BASE64.encode(Sha256::digest(self.digested().as_bytes()))
        );
        let content_type = "application/activity+json";
        let params = format!(
            "(\"@method\" \"@target-uri\" \"content-digest\" \"content-type\");created={};keyid=\"{}\";alg=\"rsa-v1_5-sha256\"",
            self.date.timestamp(),
            signer.key_id
        );
        let base = format!(
            "\"@method\": POST\n\"@target-uri\": {url}\n\"content-digest\": {digest}\n\"content-type\": {content_type}\n\"@signature-params\": {params}"
        );
        let key = RsaPrivateKey::from_pkcs8_pem(&signer.private_key_pem).expect("private key");
        let signature = key
            .sign(
                Pkcs1v15Sign::new::<Sha256>(),
                &Sha256::digest(base.as_bytes()),
            )
            .expect("sign");
        vec![
            ("host", self.host(&url)),
            ("content-digest", digest),
            ("content-type", content_type.to_owned()),
            ("signature-input", format!("sig1={params}")),
            ("signature", format!("sig1=:{}:", BASE64.encode(signature))),
        ]
    }

    /// `(request-target) host date digest content-type`, rsa-sha256.
    fn draft_cavage_headers(&self, signer: &Signer) -> Vec<(&'static str, String)> {
        let url = url::Url::parse(&self.url).expect("url");
        let host = self.host(&url);
        let date = self.date.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        let digested = self.digested();
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
        vec![
            ("host", host),
            ("date", date),
            ("digest", digest),
            ("content-type", content_type.to_owned()),
            ("signature", header),
        ]
    }
}

/// Fetches `url` as Mobilizon fetches what is not public: a `GET` for
/// `application/activity+json`, signed (draft-cavage) over `(request-target) host date`,
/// without a digest since there is no body.
pub async fn signed_get(url: &str, signer: &Signer) -> reqwest::Response {
    let parsed = url::Url::parse(url).expect("url");
    let host = match parsed.port() {
        Some(port) => format!("{}:{port}", parsed.host_str().expect("host")),
        None => parsed.host_str().expect("host").to_owned(),
    };
    let date = Utc::now().format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let signing_string = format!(
        "(request-target): get {}\nhost: {host}\ndate: {date}",
        parsed.path()
    );
    let key = RsaPrivateKey::from_pkcs8_pem(&signer.private_key_pem).expect("private key");
    let signature = key
        .sign(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(signing_string.as_bytes()),
        )
        .expect("sign");
    let header = format!(
        "keyId=\"{}\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date\",signature=\"{}\"",
        signer.key_id,
        BASE64.encode(signature)
    );
    reqwest::Client::new()
        .get(url)
        .header("accept", "application/activity+json")
        .header("host", host)
        .header("date", date)
        .header("signature", header)
        .send()
        .await
        .expect("the instance answers")
}
