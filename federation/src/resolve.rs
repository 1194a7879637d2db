//! Finding what a person pastes in a search box or an `interact` query: `name@host`, or the
//! address of a group, person or event on another instance (fetched, checked, and stored here
//! so that they can follow or join it), or an address of ours.

use activitypub_federation::fetch::fetch_object_http;
use activitypub_federation::fetch::object_id::ObjectId;
use backend::AppContext;
use entity::{actor, event};
use serde_json::Value;
use url::Url;

use crate::config::Federation;
use crate::error::{Error, Result};
use crate::objects::actor::ApActor;

/// What an address or handle names.
#[derive(Debug, Clone)]
pub enum Resolved {
    Actor(actor::Model),
    Event(event::Model),
}

/// `name@host` (or `@name@host`) when `term` is one and `host` is another instance.
pub fn other_instance_handle<'t>(ctx: &AppContext, term: &'t str) -> Option<&'t str> {
    if !ctx.settings.federation.enabled {
        return None;
    }
    let handle = term.trim().trim_start_matches('@');
    let (name, host) = handle.split_once('@')?;
    let plausible = !name.is_empty()
        && !host.is_empty()
        && !handle.contains(char::is_whitespace)
        && !host.contains('@');
    (plausible && host != ctx.settings.public_url.host()).then_some(handle)
}

pub async fn resolve(federation: &Federation, ctx: &AppContext, uri: &str) -> Result<Resolved> {
    let uri = uri.trim();
    let Ok(url) = Url::parse(uri) else {
        let actor = crate::delivery::resolve_handle(federation, uri).await?;
        return Ok(Resolved::Actor(actor));
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::Malformed("only http(s) addresses".to_owned()));
    }
    // What we stored before an admin blocked its instance is not handed out either.
    if backend::domain_blocks::is_url_blocked(&ctx.db, url.as_str()).await? {
        return Err(Error::Rejected("this instance is blocked here".to_owned()));
    }
    if let Some(event) = backend::events::federated::find_by_ap_id(&ctx.db, url.as_str()).await? {
        return Ok(Resolved::Event(event));
    }
    if let Some(actor) = backend::actors::remote::find_by_ap_id(&ctx.db, url.as_str()).await? {
        return Ok(Resolved::Actor(actor));
    }
    if url.origin() == Url::parse(&ctx.url("/"))?.origin() {
        return Err(Error::NotFound);
    }
    let data = federation.data();
    let fetched = fetch_object_http::<AppContext, Value>(&url, &data).await?;
    let kind = fetched.object.get("type").and_then(Value::as_str);
    match kind {
        Some("Event") => {
            let event: crate::protocol::event::Event = serde_json::from_value(fetched.object)?;
            crate::activities::store_asked_for(&data, &event)
                .await?
                .map(Resolved::Event)
                .ok_or(Error::NotFound)
        }
        Some("Group" | "Person" | "Organization" | "Application" | "Service") => {
            let actor = ObjectId::<ApActor>::from(url).dereference(&data).await?;
            Ok(Resolved::Actor(actor.model))
        }
        _ => Err(Error::Rejected(
            "this address is neither an event, a group nor a person".to_owned(),
        )),
    }
}

/// FEP-2677's link from NodeInfo to the instance actor.
const INSTANCE_ACTOR_REL: &str = "https://www.w3.org/ns/activitystreams#Application";

/// The instance actor of `domain`: the one NodeInfo names (FEP-2677), or `relay@domain`
/// (Mobilizon's) found by WebFinger.
pub async fn resolve_instance(
    federation: &Federation,
    ctx: &AppContext,
    domain: &str,
) -> Result<actor::Model> {
    let domain = backend::domain_blocks::normalize(domain)?;
    if backend::domain_blocks::is_blocked(&ctx.db, &domain).await? {
        return Err(Error::Rejected("this instance is blocked here".to_owned()));
    }
    let data = federation.data();
    let scheme = if ctx.settings.federation.debug {
        "http"
    } else {
        "https"
    };
    let nodeinfo = format!("{scheme}://{domain}/.well-known/nodeinfo");
    let linked = async {
        let response = crate::config::http_client(ctx.settings.federation.debug)?
            .get(&nodeinfo)
            .header("accept", "application/json")
            .send()
            .await
            .map_err(|e| Error::Internal(e.to_string()))?;
        let links = crate::bounded::json(response, crate::bounded::JSON_LIMIT).await?;
        links["links"]
            .as_array()
            .and_then(|links| {
                links
                    .iter()
                    .find(|l| l["rel"] == INSTANCE_ACTOR_REL)
                    .and_then(|l| l["href"].as_str())
            })
            .map(Url::parse)
            .transpose()?
            .ok_or(Error::NotFound)
    }
    .await;
    let actor = match linked {
        Ok(url) => ObjectId::<ApActor>::from(url).dereference(&data).await?,
        Err(err) => {
            tracing::debug!(error = %err, "no instance actor in NodeInfo; trying relay@");
            activitypub_federation::fetch::webfinger::webfinger_resolve_actor::<AppContext, ApActor>(
                &format!("relay@{domain}"),
                &data,
            )
            .await?
        }
    };
    Ok(actor.model)
}

/// What another instance's NodeInfo says about it.
#[derive(Debug, Clone, Default)]
pub struct NodeInfo {
    pub software: Option<String>,
    pub version: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    /// The zone it declares for itself (Gancio's `metadata.nodeTimezone`).
    pub timezone: Option<String>,
}

/// What the instance of `url` runs, as its NodeInfo said within a day: read again (and
/// recorded by backend) when older or never read. `None` when it does not say (no NodeInfo,
/// a blocked or unreachable instance): a failure is logged and tried again next time.
pub async fn peer_software(ctx: &AppContext, url: &Url) -> Option<entity::peer_software::Model> {
    let host = url.host_str()?;
    let domain = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    let software = backend::instances::software::find(&ctx.db, &domain).await;
    let known = match software {
        Ok(known) => known,
        Err(err) => {
            tracing::warn!(error = %err, "cannot read what a peer runs");
            return None;
        }
    };
    if !backend::instances::software::is_stale(known.as_ref(), ctx.now()) {
        return known;
    }
    match read_software(ctx, &domain).await {
        Ok(fresh) => fresh,
        Err(err) => {
            tracing::debug!(error = %err, %domain, "no NodeInfo from a peer");
            known
        }
    }
}

/// Reads `domain`'s NodeInfo now and records what it says.
pub(crate) async fn read_software(
    ctx: &AppContext,
    domain: &str,
) -> Result<Option<entity::peer_software::Model>> {
    let info = nodeinfo(ctx, domain).await?;
    let facts = backend::instances::software::NodeFacts {
        software: info.software,
        version: info.version,
        timezone: info.timezone,
    };
    backend::instances::software::record(&ctx.db, domain, facts, ctx.now()).await?;
    Ok(backend::instances::software::find(&ctx.db, domain).await?)
}

/// Reads `domain`'s NodeInfo (the newest 2.x document it links), for administrators' lists.
pub async fn nodeinfo(ctx: &AppContext, domain: &str) -> Result<NodeInfo> {
    let scheme = if ctx.settings.federation.debug {
        "http"
    } else {
        "https"
    };
    if backend::domain_blocks::is_blocked(&ctx.db, domain).await? {
        return Err(Error::Rejected("this instance is blocked here".to_owned()));
    }
    let client = crate::config::http_client(ctx.settings.federation.debug)?;
    let get = |url: String| {
        let client = client.clone();
        async move {
            let response = client
                .get(url)
                .header("accept", "application/json")
                .send()
                .await
                .map_err(|e| Error::Internal(e.to_string()))?;
            crate::bounded::json(response, crate::bounded::JSON_LIMIT).await
        }
    };
    let links = get(format!("{scheme}://{domain}/.well-known/nodeinfo")).await?;
    let href = links["links"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|l| {
            l["rel"]
                .as_str()
                .is_some_and(|r| r.starts_with("http://nodeinfo.diaspora.software/ns/schema/2."))
        })
        .filter_map(|l| l["href"].as_str())
        .max()
        .map(str::to_owned)
        .ok_or(Error::NotFound)?;
    // NodeInfo must come from the instance it describes.
    if Url::parse(&href)?.host_str() != Url::parse(&format!("{scheme}://{domain}"))?.host_str() {
        return Err(Error::Rejected(
            "NodeInfo elsewhere than its instance".to_owned(),
        ));
    }
    let document = get(href).await?;
    let text = |v: &Value| v.as_str().map(str::to_owned);
    Ok(NodeInfo {
        software: text(&document["software"]["name"]),
        version: text(&document["software"]["version"]),
        name: text(&document["metadata"]["nodeName"]),
        description: text(&document["metadata"]["nodeDescription"]),
        timezone: text(&document["metadata"]["nodeTimezone"]),
    })
}
