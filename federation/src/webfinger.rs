//! WebFinger, host-meta and NodeInfo: how others find our actors and learn what we are.

use activitypub_federation::fetch::webfinger::build_webfinger_response_with_type;
use axum::extract::Query;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use entity::actor::{self, ActorKind};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::config::FederationData;
use crate::error::{Error, Result};

#[derive(Deserialize)]
pub struct WebfingerQuery {
    resource: Option<String>,
}

fn with_cors(mut response: Response, content_type: &'static str) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// The local actor a WebFinger resource names: `acct:name@host` (host must be ours) or the
/// actor's URL.
async fn find(data: &FederationData, resource: &str) -> Result<actor::Model> {
    let host = data.settings.public_url.host();
    let found = if let Some(acct) = resource.strip_prefix("acct:") {
        let acct = acct.trim_start_matches('@');
        match acct.rsplit_once('@') {
            Some((name, domain)) if domain.eq_ignore_ascii_case(&host) => {
                backend::actors::find_local_by_username(&data.db, name).await?
            }
            _ => None,
        }
    } else if resource.starts_with("http://") || resource.starts_with("https://") {
        backend::actors::remote::find_by_ap_id(&data.db, resource)
            .await?
            .filter(actor::Model::is_local)
    } else {
        return Err(Error::Malformed(
            "resource must be acct: or a URL".to_owned(),
        ));
    };
    found
        .filter(|a| {
            !a.suspended && a.preferred_username != backend::actors::system::ANONYMOUS_USERNAME
        })
        .ok_or(Error::NotFound)
}

pub async fn webfinger(data: FederationData, Query(query): Query<WebfingerQuery>) -> Response {
    let Some(resource) = query.resource.filter(|r| !r.trim().is_empty()) else {
        return with_cors(
            Error::Malformed("resource is required".to_owned()).into_response(),
            "application/json",
        );
    };
    let result = async {
        let actor = find(&data, resource.trim()).await?;
        let url = Url::parse(&actor.ap_id)?;
        let kind = match actor.kind {
            ActorKind::Group => Some("Group"),
            ActorKind::Application => Some("Application"),
            ActorKind::Person => Some("Person"),
        };
        let subject = format!(
            "acct:{}@{}",
            actor.preferred_username,
            data.settings.public_url.host()
        );
        let mut body = build_webfinger_response_with_type(subject, vec![(url.clone(), kind)]);
        body.aliases = vec![url];
        Ok::<_, Error>(axum::Json(body).into_response())
    }
    .await;
    match result {
        Ok(response) => with_cors(response, "application/jrd+json; charset=utf-8"),
        Err(err) => with_cors(err.into_response(), "application/json"),
    }
}

pub async fn host_meta(data: FederationData) -> Response {
    let template = data.url("/.well-known/webfinger?resource={uri}");
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\"><Link rel=\"lrdd\" type=\"application/jrd+json\" template=\"{template}\"/></XRD>\n"
    );
    with_cors(body.into_response(), "application/xrd+xml; charset=utf-8")
}

#[derive(Serialize)]
struct Links {
    links: Vec<Link>,
}

#[derive(Serialize)]
struct Link {
    rel: &'static str,
    href: String,
}

pub async fn nodeinfo_links(data: FederationData) -> Response {
    let link = |rel, path| Link {
        rel,
        href: data.url(path),
    };
    let body = Links {
        links: vec![
            link(
                "http://nodeinfo.diaspora.software/ns/schema/2.0",
                "/nodeinfo/2.0",
            ),
            link(
                "http://nodeinfo.diaspora.software/ns/schema/2.1",
                "/nodeinfo/2.1",
            ),
            // FEP-2677: where to find the instance actor.
            link(
                "https://www.w3.org/ns/activitystreams#Application",
                "/relay",
            ),
        ],
    };
    with_cors(axum::Json(body).into_response(), "application/json")
}

/// Our NodeInfo document, 2.0 or 2.1.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OurNodeInfo {
    version: &'static str,
    software: Software,
    protocols: [&'static str; 1],
    services: Services,
    open_registrations: bool,
    usage: Usage,
    metadata: Metadata,
}

#[derive(Serialize)]
struct Software {
    name: &'static str,
    version: &'static str,
    /// NodeInfo 2.1 only.
    #[serde(skip_serializing_if = "Option::is_none")]
    homepage: Option<String>,
}

#[derive(Serialize)]
struct Services {
    inbound: [&'static str; 0],
    outbound: [&'static str; 0],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Usage {
    users: Users,
    local_posts: u64,
}

#[derive(Serialize)]
struct Users {
    total: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    node_name: String,
    node_description: String,
}

async fn nodeinfo(data: FederationData, version: &'static str) -> Result<Response> {
    let usage = backend::instance::usage(&data.db).await?;
    let registration = backend::users::registration::rules(&data, &data.db).await?;
    let instance = data.instance().await?;
    let body = OurNodeInfo {
        version,
        software: Software {
            name: "convive",
            version: env!("CARGO_PKG_VERSION"),
            homepage: (version == "2.1").then(|| data.url("/")),
        },
        protocols: ["activitypub"],
        services: Services {
            inbound: [],
            outbound: [],
        },
        open_registrations: registration.open_to_all(),
        usage: Usage {
            users: Users { total: usage.users },
            local_posts: usage.local_events,
        },
        metadata: Metadata {
            node_name: instance.name.clone(),
            node_description: instance.description.clone(),
        },
    };
    let profile = match version {
        "2.0" => "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.0#\"",
        _ => "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.1#\"",
    };
    let mut response = axum::Json(body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(profile));
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    Ok(response)
}

pub async fn nodeinfo_20(data: FederationData) -> Response {
    nodeinfo(data, "2.0")
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

pub async fn nodeinfo_21(data: FederationData) -> Response {
    nodeinfo(data, "2.1")
        .await
        .unwrap_or_else(IntoResponse::into_response)
}
