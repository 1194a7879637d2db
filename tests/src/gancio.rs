//! A stand-in for a Gancio 1.21 instance on loopback. A real Gancio cannot run in CI (it is on
//! no registry a clean clone can reach), so this keeps the parts of Gancio's own rules that
//! decide whether our activities work, written from reading its `server/federation/`
//! (`inbox.js`, `ego.js`, `events.js`, `helpers.js`, `webfinger.js`):
//! - its NodeInfo names `gancio` and its `nodeTimezone`;
//! - it follows an actor as `followActor` does, from its instance actor `relay`, signing the
//!   `host` line (and sending the `Host` header) without the port;
//! - its inbox takes a `Create` of an `Event` (with `name`, `startTime` and `id`) only from an
//!   actor it follows, an `Update` only of an event it has, a `Delete` of a `Tombstone` by its
//!   `formerType`, and answers an `Announce` of anything but its own events, and any type it
//!   does not know, with 404.
//!
//! It does not check our signatures: our signing is tested against real servers elsewhere.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use serde_json::{Value, json};

use crate::signing::{SignedPost, Signer};

/// What its inbox got, and what it answered.
#[derive(Debug, Clone)]
pub struct Received {
    pub activity: Value,
    pub status: u16,
}

#[derive(Default)]
struct Inbox {
    following: Vec<String>,
    /// Events it imported, by their id, with the actor it filed them under.
    events: BTreeMap<String, (String, Value)>,
    received: Vec<Received>,
}

#[derive(Clone)]
struct Shared {
    base: String,
    public_key_pem: String,
    timezone: String,
    inbox: Arc<Mutex<Inbox>>,
}

/// A Gancio 1.21 instance as far as federation with us goes.
pub struct Gancio {
    pub base: String,
    /// As our `actors.domain` spells it: `localhost:PORT`.
    pub domain: String,
    signer: Signer,
    shared: Shared,
}

impl Gancio {
    /// Starts one whose events are in `timezone`.
    pub async fn start(timezone: &str) -> Self {
        let key = tokio::task::spawn_blocking(|| {
            rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).expect("an RSA key")
        })
        .await
        .expect("key generation");
        let private_key_pem = key
            .to_pkcs8_pem(LineEnding::LF)
            .expect("a private key PEM")
            .to_string();
        let public_key_pem = key
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .expect("a public key PEM");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let port = listener.local_addr().expect("its address").port();
        // Named `localhost`: our federation library wants host names in actor ids.
        let domain = format!("localhost:{port}");
        let base = format!("http://{domain}");
        let shared = Shared {
            base: base.clone(),
            public_key_pem,
            timezone: timezone.to_owned(),
            inbox: Arc::default(),
        };
        let app = axum::Router::new()
            .route("/.well-known/nodeinfo", get(nodeinfo_links))
            .route("/.well-known/nodeinfo/2.0", get(nodeinfo))
            .route("/federation/u/relay", get(actor))
            .route("/federation/u/relay/inbox", post(inbox))
            .with_state(shared.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self {
            signer: Signer {
                key_id: format!("{base}/federation/u/relay#main-key"),
                private_key_pem,
            },
            base,
            domain,
            shared,
        }
    }

    pub fn actor_id(&self) -> String {
        format!("{}/federation/u/relay", self.base)
    }

    /// Follows `target` (an actor's id) at `inbox`, as Gancio does: signed with the target's
    /// host without its port. What our inbox answered.
    pub async fn follow(&self, target: &str, inbox: &str) -> reqwest::Response {
        let url = url::Url::parse(inbox).expect("an inbox address");
        let host = url.host_str().expect("a host").to_owned();
        self.follow_signed_for(target, inbox, &host).await
    }

    /// The same follow, with `host` as the signed `host` line and the `Host` header.
    pub async fn follow_signed_for(
        &self,
        target: &str,
        inbox: &str,
        host: &str,
    ) -> reqwest::Response {
        let body = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}/federation/m/{target}#follow", self.base),
            "type": "Follow",
            "actor": self.actor_id(),
            "object": target,
        })
        .to_string();
        let mut post = SignedPost::new(inbox, &body);
        post.host = Some(host.to_owned());
        self.lock().following.push(target.to_owned());
        post.send(&self.signer).await
    }

    /// What its inbox got, oldest first.
    pub fn received(&self) -> Vec<Received> {
        self.lock().received.clone()
    }

    /// The events it has, by id: the actor it filed each under, and the event.
    pub fn events(&self) -> BTreeMap<String, (String, Value)> {
        self.lock().events.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inbox> {
        self.shared.inbox.lock().expect("the stand-in's inbox")
    }
}

async fn nodeinfo_links(State(shared): State<Shared>) -> Json<Value> {
    Json(json!({
        "links": [
            {
                "href": format!("{}/.well-known/nodeinfo/2.0", shared.base),
                "rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
            },
            {
                "href": format!("{}/federation/u/relay", shared.base),
                "rel": "https://www.w3.org/ns/activitystreams#Application",
            },
        ]
    }))
}

async fn nodeinfo(State(shared): State<Shared>) -> Json<Value> {
    Json(json!({
        "metadata": {
            "nodeDescription": "A shared agenda for local communities",
            "nodeName": "Gancio",
            "nodeTimezone": shared.timezone,
            "nodeActor": "relay",
        },
        "openRegistrations": false,
        "protocols": ["activitypub"],
        "services": { "inbound": [], "outbound": ["rss2.0"] },
        "software": { "name": "gancio", "version": "1.21.0" },
        "version": "2.0",
        "usage": { "localComments": 0, "localPosts": 0, "users": { "total": 1 } },
    }))
}

async fn actor(State(shared): State<Shared>) -> ([(&'static str, &'static str); 1], String) {
    let id = format!("{}/federation/u/relay", shared.base);
    let document = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": id,
        "type": "Application",
        "name": "Gancio",
        "preferredUsername": "relay",
        "inbox": format!("{id}/inbox"),
        "outbox": format!("{id}/outbox"),
        "manuallyApprovesFollowers": false,
        "endpoints": { "sharedInbox": format!("{id}/inbox") },
        "publicKey": {
            "id": format!("{id}#main-key"),
            "owner": id,
            "publicKeyPem": shared.public_key_pem,
        },
        "url": id,
    });
    (
        [("content-type", "application/activity+json; charset=utf-8")],
        document.to_string(),
    )
}

async fn inbox(State(shared): State<Shared>, Json(message): Json<Value>) -> StatusCode {
    let mut inbox = shared.inbox.lock().expect("the stand-in's inbox");
    let status = answer(&shared.base, &mut inbox, &message);
    inbox.received.push(Received {
        activity: message,
        status: status.as_u16(),
    });
    status
}

/// What Gancio 1.21's `inbox.js` does with `message`, as far as its answer and its events go.
fn answer(base: &str, inbox: &mut Inbox, message: &Value) -> StatusCode {
    let object = &message["object"];
    if object.is_null() || message["type"].is_null() {
        return StatusCode::NOT_FOUND;
    }
    let sender = message["actor"].as_str().unwrap_or_default().to_owned();
    let followed = inbox.following.contains(&sender);
    let kind = match (object["type"].as_str(), object["formerType"].as_str()) {
        (Some("Tombstone"), Some(former)) => former,
        (kind, _) => kind.unwrap_or_default(),
    };
    match (message["type"].as_str().unwrap_or_default(), kind) {
        ("Accept", _) => StatusCode::ACCEPTED,
        // `ego.boost`: only a string naming one of its own events is a boost.
        ("Announce", _) => match object.as_str() {
            Some(id) if id.starts_with(&format!("{base}/federation/m/")) => StatusCode::CREATED,
            _ => StatusCode::NOT_FOUND,
        },
        ("Create", "Event") if !followed => StatusCode::NOT_FOUND,
        ("Create", "Event") => {
            if ["name", "startTime", "id"]
                .iter()
                .any(|field| object[field].is_null())
            {
                return StatusCode::BAD_REQUEST;
            }
            let id = object["id"].as_str().unwrap_or_default().to_owned();
            inbox
                .events
                .entry(id)
                .or_insert_with(|| (sender, object.clone()));
            StatusCode::CREATED
        }
        ("Update", "Event") if !followed => StatusCode::NOT_FOUND,
        ("Update", "Event") => {
            let id = object["id"].as_str().unwrap_or_default();
            // `events.update` reads `attachment.length` unguarded: without it, a 500.
            if !object["attachment"].is_array() {
                return StatusCode::INTERNAL_SERVER_ERROR;
            }
            match inbox.events.get_mut(id) {
                Some((owner, event)) if *owner == sender => {
                    *event = object.clone();
                    StatusCode::CREATED
                }
                // Its log line for another owner reads `res.locales`, which is undefined: the
                // request fails unanswered there; an error here.
                Some(_) => StatusCode::INTERNAL_SERVER_ERROR,
                None => StatusCode::NOT_FOUND,
            }
        }
        ("Delete", "Event") if !followed => StatusCode::NOT_FOUND,
        ("Delete", "Event") => {
            let id = object["id"]
                .as_str()
                .or(object.as_str())
                .unwrap_or_default();
            match inbox.events.get(id) {
                Some((owner, _)) if *owner == sender => {
                    inbox.events.remove(id);
                    StatusCode::OK
                }
                Some(_) => StatusCode::INTERNAL_SERVER_ERROR,
                None => StatusCode::NOT_FOUND,
            }
        }
        // A `Tombstone` without `formerType` is neither a note nor an event there (a 500 in
        // the runs).
        ("Delete", "Tombstone") => StatusCode::INTERNAL_SERVER_ERROR,
        ("Create", kind) if kind != "Note" => StatusCode::NOT_FOUND,
        ("Follow" | "Undo" | "Like" | "Delete" | "Update" | "Create" | "Note", _) => {
            StatusCode::ACCEPTED
        }
        _ => StatusCode::NOT_FOUND,
    }
}
