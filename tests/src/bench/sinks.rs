//! Local stand-ins for the outside world (the SMTP one is `backend::testing::SmtpSink`):
//! ActivityPub inboxes that check each delivery's HTTP signature (draft-cavage, as Mastodon and
//! Mobilizon do: the signing string rebuilt from the listed headers, RSA-SHA256 against the
//! sender's key fetched from its actor document, and the body's SHA-256 digest) before they
//! count it.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use rsa::pkcs8::DecodePublicKey as _;
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use sha2::{Digest as _, Sha256};
use tokio::sync::Mutex;

/// Shared state of the inbox sinks: counts, and senders' keys fetched once.
#[derive(Default)]
pub struct Inboxes {
    pub verified: AtomicU64,
    pub rejected: AtomicU64,
    /// Distinct hosts that received at least one verified delivery.
    pub hosts_reached: Mutex<std::collections::HashSet<String>>,
    keys: Mutex<HashMap<String, Arc<RsaPublicKey>>>,
    http: reqwest::Client,
    pub first_rejection: Mutex<Option<String>>,
}

impl Inboxes {
    pub fn verified(&self) -> u64 {
        self.verified.load(Ordering::Relaxed)
    }

    pub fn rejected(&self) -> u64 {
        self.rejected.load(Ordering::Relaxed)
    }

    async fn key(&self, key_id: &str) -> anyhow::Result<Arc<RsaPublicKey>> {
        if let Some(key) = self.keys.lock().await.get(key_id) {
            return Ok(key.clone());
        }
        let actor_url = key_id.split('#').next().unwrap_or(key_id);
        let document: serde_json::Value = self
            .http
            .get(actor_url)
            .header("Accept", "application/activity+json")
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let pem = document["publicKey"]["publicKeyPem"]
            .as_str()
            .ok_or_else(|| anyhow::anyhow!("no publicKeyPem in {actor_url}"))?;
        let key = Arc::new(RsaPublicKey::from_public_key_pem(pem)?);
        self.keys
            .lock()
            .await
            .insert(key_id.to_owned(), key.clone());
        Ok(key)
    }
}

/// Starts `hosts` inbox servers on loopback; returns their ports.
pub async fn start_inboxes(
    hosts: usize,
    state: Arc<Inboxes>,
) -> anyhow::Result<(Vec<u16>, Vec<tokio::task::JoinHandle<()>>)> {
    let mut ports = Vec::new();
    let mut tasks = Vec::new();
    for _ in 0..hosts {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        ports.push(listener.local_addr()?.port());
        let router = axum::Router::new()
            .fallback(axum::routing::post(receive))
            .with_state(state.clone());
        tasks.push(tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        }));
    }
    Ok((ports, tasks))
}

async fn receive(
    State(state): State<Arc<Inboxes>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    match verify(&state, &method, &uri, &headers, &body).await {
        Ok(()) => {
            state.verified.fetch_add(1, Ordering::Relaxed);
            if let Some(host) = headers.get("host").and_then(|h| h.to_str().ok()) {
                let mut hosts = state.hosts_reached.lock().await;
                if !hosts.contains(host) {
                    hosts.insert(host.to_owned());
                }
            }
            StatusCode::ACCEPTED
        }
        Err(err) => {
            state.rejected.fetch_add(1, Ordering::Relaxed);
            state
                .first_rejection
                .lock()
                .await
                .get_or_insert_with(|| err.to_string());
            StatusCode::UNAUTHORIZED
        }
    }
}

/// Parses `key="value",…` of a Signature header.
fn signature_params(header: &str) -> HashMap<String, String> {
    let mut params = HashMap::new();
    for part in header.split(',') {
        if let Some((key, value)) = part.trim().split_once('=') {
            params.insert(
                key.trim().to_owned(),
                value.trim().trim_matches('"').to_owned(),
            );
        }
    }
    params
}

async fn verify(
    state: &Inboxes,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> anyhow::Result<()> {
    let signature = headers
        .get("signature")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| anyhow::anyhow!("no Signature header"))?;
    let params = signature_params(signature);
    let key_id = params
        .get("keyId")
        .ok_or_else(|| anyhow::anyhow!("no keyId"))?;
    let signed = BASE64.decode(
        params
            .get("signature")
            .ok_or_else(|| anyhow::anyhow!("no signature"))?,
    )?;
    let names = params
        .get("headers")
        .cloned()
        .unwrap_or_else(|| "date".to_owned());
    let names: Vec<&str> = names.split_whitespace().collect();
    anyhow::ensure!(names.contains(&"digest"), "the digest is not signed");
    let digest = headers
        .get("digest")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| anyhow::anyhow!("no Digest header"))?;
    let expected = format!("SHA-256={}", BASE64.encode(Sha256::digest(body)));
    anyhow::ensure!(digest == expected, "the body does not match its digest");
    let target = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
    let mut lines = Vec::with_capacity(names.len());
    for name in &names {
        let value = match *name {
            "(request-target)" => format!("{} {target}", method.as_str().to_lowercase()),
            "(created)" | "(expires)" => params
                .get(name.trim_matches(|c| c == '(' || c == ')'))
                .cloned()
                .ok_or_else(|| anyhow::anyhow!("{name} is signed but absent"))?,
            header => headers
                .get(header)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
                .ok_or_else(|| anyhow::anyhow!("signed header {header} is absent"))?,
        };
        lines.push(format!("{name}: {value}"));
    }
    let signing_string = lines.join("\n");
    let key = state.key(key_id).await?;
    key.verify(
        Pkcs1v15Sign::new::<Sha256>(),
        &Sha256::digest(signing_string.as_bytes()),
        &signed,
    )
    .map_err(|_| anyhow::anyhow!("the signature does not verify"))?;
    Ok(())
}
