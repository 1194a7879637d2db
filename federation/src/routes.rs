//! The federation routes and the JSON-LD documents of actors, events and collections.

use activitypub_federation::config::{FederationConfig, FederationMiddleware};
use axum::Router;
use axum::extract::{Extension, Path, Query};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use backend::AppContext;
use backend::pagination::Page;
use entity::actor::{self, ActorKind};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::config::FederationData;
use crate::error::{Error, Result};
use crate::negotiate::wants_activity_json;
use crate::objects::actor::ApActor;
use crate::protocol::context;

/// Every federation route. Mount with `Router::merge` before `with_state`; the routes carry
/// their own configuration as a layer, so they work with any router state.
pub fn routes<S: Clone + Send + Sync + 'static>(config: FederationConfig<AppContext>) -> Router<S> {
    Router::new()
        .route("/inbox", post(crate::inbox::shared))
        .route("/{handle}/inbox", post(crate::inbox::personal))
        .route("/{handle}/outbox", get(outbox))
        .route("/{handle}/followers", get(followers))
        .route("/{handle}/events", get(events))
        .route("/relay", get(relay))
        .route("/.well-known/webfinger", get(crate::webfinger::webfinger))
        .route("/.well-known/host-meta", get(crate::webfinger::host_meta))
        .route(
            "/.well-known/nodeinfo",
            get(crate::webfinger::nodeinfo_links),
        )
        .route("/nodeinfo/2.0", get(crate::webfinger::nodeinfo_20))
        .route("/nodeinfo/2.1", get(crate::webfinger::nodeinfo_21))
        .layer(Extension(crate::inbox::InboxConfig::default()))
        .layer(FederationMiddleware::new(config))
}

/// A JSON-LD response with Mobilizon's context.
pub(crate) fn activity_json(mut body: Value) -> Response {
    if let Value::Object(map) = &mut body {
        map.insert("@context".to_owned(), context());
    }
    let mut response = axum::Json(body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/activity+json; charset=utf-8"),
    );
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    response
}

fn username(handle: &str) -> Result<&str> {
    handle.strip_prefix('@').ok_or(Error::NotFound)
}

async fn local_actor(ctx: &AppContext, name: &str) -> Result<actor::Model> {
    backend::actors::find_local_by_username(&ctx.db, name)
        .await?
        .filter(|a| {
            !a.suspended
                && a.kind != ActorKind::Application
                && a.preferred_username != backend::actors::system::ANONYMOUS_USERNAME
        })
        .ok_or(Error::NotFound)
}

/// The JSON-LD document of the local person or group `username` (without `@`). For the HTML
/// handler of `/@{name}` when [`wants_activity_json`] says so.
pub async fn actor_json(ctx: &AppContext, username: &str) -> Result<Response> {
    let model = local_actor(ctx, username).await?;
    let actor = ApActor::local_with_keys(ctx, model).await?;
    let document = crate::objects::actor::to_json(ctx, &actor.model).await?;
    Ok(activity_json(serde_json::to_value(document)?))
}

/// The JSON-LD document of a local public or unlisted event. For the HTML handler of
/// `/events/{uuid}` when [`wants_activity_json`] says so.
pub async fn event_json(ctx: &AppContext, uuid: &str) -> Result<Response> {
    let event = backend::events::find_by_uuid(&ctx.db, uuid)
        .await
        .map_err(|_| Error::NotFound)?;
    if !backend::events::federated::federates(&event) {
        return Err(Error::NotFound);
    }
    let document = crate::objects::event::to_json(ctx, &event).await?;
    Ok(activity_json(serde_json::to_value(document)?))
}

async fn relay(data: FederationData) -> Response {
    let result = async {
        let model = backend::actors::system::relay(&data.db).await?;
        let actor = ApActor::local_with_keys(data.app_data(), model).await?;
        let document = crate::objects::actor::to_json(data.app_data(), &actor.model).await?;
        Ok::<_, Error>(activity_json(serde_json::to_value(document)?))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<i64>,
}

const COLLECTION_PAGE: u64 = 20;

fn page(number: i64) -> Result<Page> {
    Page::new(Some(number), Some(COLLECTION_PAGE as i64)).map_err(Error::from)
}

/// The `Create` activity an event was published with, as the outbox lists it.
pub(crate) fn create_activity(actor: &str, event: Value) -> Value {
    let id = event["id"].as_str().unwrap_or_default();
    json!({
        "id": format!("{id}/activity"),
        "type": "Create",
        "actor": actor,
        "to": event["to"].clone(),
        "cc": event["cc"].clone(),
        "published": event["published"].clone(),
        "object": event,
    })
}

async fn outbox(
    data: FederationData,
    Path(handle): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    let result = async {
        let actor = local_actor(data.app_data(), username(&handle)?).await?;
        let id = actor.outbox_url.clone().unwrap_or_default();
        let Some(number) = query.page else {
            let total = backend::events::federated::published_by(&data.db, actor.id, page(1)?)
                .await?
                .total;
            return Ok(activity_json(json!({
                "id": id,
                "type": "OrderedCollection",
                "totalItems": total,
                "first": format!("{id}?page=1"),
            })));
        };
        let list =
            backend::events::federated::published_by(&data.db, actor.id, page(number)?).await?;
        let mut items = Vec::new();
        for event in &list.elements {
            let object = crate::objects::event::to_json(data.app_data(), event).await?;
            let sender = object.attributed_to.as_ref().map(url::Url::to_string);
            items.push(create_activity(
                &sender.unwrap_or_else(|| actor.ap_id.clone()),
                serde_json::to_value(object)?,
            ));
        }
        let mut body = json!({
            "id": format!("{id}?page={number}"),
            "type": "OrderedCollectionPage",
            "partOf": id,
            "totalItems": list.total,
            "orderedItems": items,
        });
        if (number as u64) * COLLECTION_PAGE < list.total {
            body["next"] = json!(format!("{id}?page={}", number + 1));
        }
        Ok::<_, Error>(activity_json(body))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

async fn followers(data: FederationData, Path(handle): Path<String>) -> Response {
    let result = async {
        let actor = local_actor(data.app_data(), username(&handle)?).await?;
        let total = backend::groups::followers_count(&data.db, actor.id).await?;
        // The count only: who follows whom is not published.
        Ok::<_, Error>(activity_json(json!({
            "id": actor.followers_url,
            "type": "OrderedCollection",
            "totalItems": total,
        })))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

/// A group's members collection, as a count: who belongs to a collective is not published
/// (Mobilizon lists them; an activist group may not want its members enumerable from
/// anywhere). For the HTML handler of `/@{name}/members` when [`wants_activity_json`] says so.
pub async fn members_json(ctx: &AppContext, username: &str) -> Result<Response> {
    let group = local_actor(ctx, username).await?;
    if group.kind != ActorKind::Group {
        return Err(Error::NotFound);
    }
    let total = backend::groups::members_count(&ctx.db, group.id).await?;
    Ok(activity_json(json!({
        "id": format!("{}/members", group.ap_id),
        "type": "OrderedCollection",
        "attributedTo": group.ap_id,
        "totalItems": total,
    })))
}

/// Upcoming public events of a group or person, soonest first (Mobilizon's `events`,
/// FEP-8a8e's `upcomingEvents`).
async fn events(
    data: FederationData,
    Path(handle): Path<String>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let result = async {
        if !wants_activity_json(&headers) {
            return Err(Error::NotAcceptable);
        }
        let actor = local_actor(data.app_data(), username(&handle)?).await?;
        let id = format!("{}/events", actor.ap_id);
        let number = query.page.unwrap_or(1);
        let list =
            backend::events::federated::upcoming_of(&data.db, actor.id, data.now(), page(number)?)
                .await?;
        let mut items = Vec::new();
        for event in &list.elements {
            let object = crate::objects::event::to_json(data.app_data(), event).await?;
            items.push(serde_json::to_value(object)?);
        }
        let mut body = json!({
            "id": id,
            "type": "OrderedCollection",
            "totalItems": list.total,
            "orderedItems": items,
        });
        if (number as u64) * COLLECTION_PAGE < list.total {
            body["next"] = json!(format!("{id}?page={}", number + 1));
        }
        Ok::<_, Error>(activity_json(body))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}
