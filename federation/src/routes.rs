//! The federation routes and the JSON-LD documents of actors, events and collections.

use activitypub_federation::config::FederationMiddleware;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use backend::AppContext;
use backend::pagination::Page;
use entity::actor::{self, ActorKind};
use serde::{Deserialize, Serialize};

use crate::activities::announce::Announce;
use crate::activities::create_or_update::CreateOrUpdate;
use crate::config::{Federation, FederationData};
use crate::error::{Error, Result};
use crate::objects::actor::ApActor;
use crate::protocol::WithContext;
use crate::protocol::collection::{Collection, CollectionType};

/// Every federation route. Mount with `Router::merge` before `with_state`; the routes carry
/// the instance's configuration as a layer, so they work with any router state.
pub fn routes<S: Clone + Send + Sync + 'static>(federation: &Federation) -> Router<S> {
    Router::new()
        .route("/inbox", post(crate::inbox::shared))
        .route("/{handle}/inbox", post(crate::inbox::personal))
        .route("/{handle}/outbox", get(outbox))
        .route("/{handle}/followers", get(followers))
        .route("/relay", get(relay))
        .route("/relay/outbox", get(relay_outbox))
        .route("/events/{uuid}/replies", get(event_replies))
        .route("/.well-known/webfinger", get(crate::webfinger::webfinger))
        .route("/.well-known/host-meta", get(crate::webfinger::host_meta))
        .route(
            "/.well-known/nodeinfo",
            get(crate::webfinger::nodeinfo_links),
        )
        .route("/nodeinfo/2.0", get(crate::webfinger::nodeinfo_20))
        .route("/nodeinfo/2.1", get(crate::webfinger::nodeinfo_21))
        .layer(FederationMiddleware::new(federation.served()))
}

/// A JSON-LD response with Mobilizon's context.
pub(crate) fn activity_json<T: Serialize>(body: T) -> Response {
    let mut response = axum::Json(WithContext::new(body)).into_response();
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
/// handler of `/@{name}` when [`crate::negotiate::wants_activity_json`] says so.
pub async fn actor_json(ctx: &AppContext, username: &str) -> Result<Response> {
    let model = local_actor(ctx, username).await?;
    let actor = ApActor::local_with_keys(ctx, model).await?;
    let document = crate::objects::actor::to_json(ctx, &actor.model).await?;
    Ok(activity_json(document))
}

/// The JSON-LD document of a local public or unlisted event. For the HTML handler of
/// `/events/{uuid}` when [`crate::negotiate::wants_activity_json`] says so.
pub async fn event_json(ctx: &AppContext, uuid: &str) -> Result<Response> {
    let snapshot = backend::db::begin_snapshot(&ctx.db).await?;
    let event = backend::events::find_by_uuid(&snapshot, uuid)
        .await
        .map_err(|_| Error::NotFound)?;
    if !backend::events::policy::federates(&event) {
        return Err(Error::NotFound);
    }
    let document = crate::objects::event::to_json(ctx, &snapshot, &event).await?;
    snapshot.commit().await?;
    Ok(activity_json(document))
}

/// The `Article` of a local post its group's followers may have (published, not for members
/// only). For the HTML handler of `/p/{slug}` when [`crate::negotiate::wants_activity_json`]
/// says so.
pub async fn post_json(ctx: &AppContext, slug: &str) -> Result<Response> {
    let snapshot = backend::db::begin_snapshot(&ctx.db).await?;
    let post = backend::posts::find_visible_by_slug(
        &snapshot,
        &backend::principal::Principal::Anonymous,
        slug,
    )
    .await
    .map_err(|_| Error::NotFound)?;
    if !post.local || !backend::posts::policy::federates(backend::posts::facts(&post)) {
        return Err(Error::NotFound);
    }
    let document = crate::objects::post::to_article(ctx, &snapshot, &post).await?;
    snapshot.commit().await?;
    Ok(activity_json(document))
}

/// The `Note` of a comment written here, by its address `/comments/{uuid}`, for the HTML
/// handler of that address when [`crate::negotiate::wants_activity_json`] says so. A comment
/// of an event that federates is everyone's (410 and a `Tombstone` once deleted); a comment
/// of a group's discussion is only for the instances of the group's members, asking with a
/// signed fetch (404 for anyone else: nothing says it exists).
pub async fn comment_json(
    federation: &crate::Federation,
    uuid: &str,
    method: &axum::http::Method,
    uri: &axum::http::Uri,
    headers: &axum::http::HeaderMap,
) -> Result<Response> {
    let data = federation.data();
    if backend::comments::find_by_uuid(&data.db, uuid)
        .await
        .is_err()
    {
        return discussion_comment(&data, uuid, method, uri, headers).await;
    }
    let snapshot = backend::db::begin_snapshot(&data.db).await?;
    let comment = backend::comments::find_by_uuid(&snapshot, uuid)
        .await
        .map_err(|_| Error::NotFound)?;
    let event = backend::events::find(&snapshot, comment.event_id).await?;
    if !comment.local || !backend::events::policy::federates(&event) {
        return Err(Error::NotFound);
    }
    if comment.deleted_at.is_some() {
        return gone(&comment.ap_id);
    }
    let note = crate::objects::comment::to_note(&snapshot, &comment).await?;
    snapshot.commit().await?;
    Ok(activity_json(note))
}

/// 410 and the `Tombstone` of a deleted comment.
fn gone(ap_id: &str) -> Result<Response> {
    let tombstone = crate::activities::delete::Tombstone::of(url::Url::parse(ap_id)?, "Note");
    let mut response = activity_json(tombstone);
    *response.status_mut() = axum::http::StatusCode::GONE;
    Ok(response)
}

async fn discussion_comment(
    data: &FederationData,
    uuid: &str,
    method: &axum::http::Method,
    uri: &axum::http::Uri,
    headers: &axum::http::HeaderMap,
) -> Result<Response> {
    let fetcher = crate::inbox::signed_fetcher(data, method, uri, headers)
        .await
        .ok_or(Error::NotFound)?;
    let principal = backend::principal::Principal::Remote {
        actor_id: fetcher.id,
        activity_id: data
            .settings
            .public_url
            .url()
            .join(&uri.to_string())?
            .to_string(),
    };
    let snapshot = backend::db::begin_snapshot(&data.db).await?;
    let (comment, _) = backend::discussions::find_comment_for(&snapshot, &principal, uuid)
        .await
        .map_err(|_| Error::NotFound)?;
    if !comment.local {
        // Its own instance serves it.
        return Err(Error::NotFound);
    }
    if comment.deleted_at.is_some() {
        return gone(&comment.ap_id);
    }
    let note = crate::objects::discussion_comment::to_note(&snapshot, &comment).await?;
    snapshot.commit().await?;
    Ok(activity_json(note))
}

/// The comments of a local event that federates (the `replies` of its document), as the ids
/// of their notes, oldest first; at most `backend::comments::MAX_LISTED`.
async fn event_replies(data: FederationData, Path(uuid): Path<String>) -> Response {
    let result = async {
        let event = backend::events::find_by_uuid(&data.db, &uuid)
            .await
            .map_err(|_| Error::NotFound)?;
        if !backend::events::policy::federates(&event) {
            return Err(Error::NotFound);
        }
        let ids: Vec<String> = backend::comments::threads_of(&data.db, event.id)
            .await?
            .into_iter()
            .flat_map(|t| std::iter::once(t.root).chain(t.replies))
            .filter(|c| c.deleted_at.is_none())
            .map(|c| c.ap_id)
            .collect();
        let mut collection =
            Collection::count(Some(format!("{}/replies", event.ap_id)), ids.len() as u64);
        collection.ordered_items = Some(ids);
        Ok::<_, Error>(activity_json(collection))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

async fn relay(data: FederationData) -> Response {
    let result = async {
        let model = backend::actors::system::relay(&data.db).await?;
        let actor = ApActor::local_with_keys(data.app_data(), model).await?;
        let document = crate::objects::actor::to_json(data.app_data(), &actor.model).await?;
        Ok::<_, Error>(activity_json(document))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

/// How many pages of the instance actor's outbox are served: the recent events, not the
/// whole history of the instance.
const RELAY_OUTBOX_PAGES: i64 = 5;

/// Our instance actor's outbox: the recent public events published here, newest first, each
/// as the actor's `Announce` of its `Create` (Gancio reads an outbox once, when it starts
/// following, and imports those). The first page is linked from the collection, as Gancio
/// and Mastodon read it; at most [`RELAY_OUTBOX_PAGES`] pages.
async fn relay_outbox(data: FederationData, Query(query): Query<PageQuery>) -> Response {
    let result = async {
        let relay = backend::actors::system::relay(&data.db).await?;
        let id = relay.outbox_url.clone().unwrap_or_default();
        let bound = RELAY_OUTBOX_PAGES as u64 * COLLECTION_PAGE;
        let Some(number) = query.page else {
            let total = backend::events::federated::published_here(&data.db, page(1)?)
                .await?
                .total;
            let mut collection = Collection::<Announce>::count(Some(id.clone()), total.min(bound));
            collection.first = Some(format!("{id}?page=1"));
            return Ok(activity_json(collection));
        };
        if number > RELAY_OUTBOX_PAGES {
            return Err(Error::NotFound);
        }
        let snapshot = backend::db::begin_snapshot(&data.db).await?;
        let list = backend::events::federated::published_here(&snapshot, page(number)?).await?;
        let mut items = Vec::new();
        for event in &list.elements {
            let object = crate::objects::event::to_json(data.app_data(), &snapshot, event).await?;
            let sender = match &object.attributed_to {
                Some(sender) => sender.clone(),
                None => url::Url::parse(&relay.ap_id)?,
            };
            let create = CreateOrUpdate::published(sender, object)?;
            items.push(Announce::relayed_create(&relay, &create)?);
        }
        snapshot.commit().await?;
        let total = list.total.min(bound);
        let mut page = Collection::count(Some(format!("{id}?page={number}")), total);
        page.kind = CollectionType::OrderedCollectionPage;
        page.part_of = Some(id.clone());
        page.ordered_items = Some(items);
        if (number as u64) * COLLECTION_PAGE < total {
            page.next = Some(format!("{id}?page={}", number + 1));
        }
        Ok::<_, Error>(activity_json(page))
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
            let mut collection = Collection::<CreateOrUpdate>::count(Some(id.clone()), total);
            collection.first = Some(format!("{id}?page=1"));
            return Ok(activity_json(collection));
        };
        let list =
            backend::events::federated::published_by(&data.db, actor.id, page(number)?).await?;
        let mut items = Vec::new();
        for event in &list.elements {
            let object = crate::objects::event::to_json(data.app_data(), &data.db, event).await?;
            let sender = match &object.attributed_to {
                Some(sender) => sender.clone(),
                None => url::Url::parse(&actor.ap_id)?,
            };
            items.push(CreateOrUpdate::published(sender, object)?);
        }
        let mut page = Collection::count(Some(format!("{id}?page={number}")), list.total);
        page.kind = CollectionType::OrderedCollectionPage;
        page.part_of = Some(id.clone());
        page.ordered_items = Some(items);
        if (number as u64) * COLLECTION_PAGE < list.total {
            page.next = Some(format!("{id}?page={}", number + 1));
        }
        Ok::<_, Error>(activity_json(page))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

async fn followers(data: FederationData, Path(handle): Path<String>) -> Response {
    let result = async {
        let actor = local_actor(data.app_data(), username(&handle)?).await?;
        let total = backend::groups::followers_count(&data.db, actor.id).await?;
        // The count only: who follows whom is not published.
        let collection = Collection::<()>::count(actor.followers_url.clone(), total);
        Ok::<_, Error>(activity_json(collection))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

/// A group's members collection, as a count: who belongs to a collective is not published
/// (Mobilizon lists them; an activist group may not want its members enumerable from
/// anywhere). For the HTML handler of `/@{name}/members` when [`crate::negotiate::wants_activity_json`] says so.
pub async fn members_json(ctx: &AppContext, username: &str) -> Result<Response> {
    let group = local_actor(ctx, username).await?;
    if group.kind != ActorKind::Group {
        return Err(Error::NotFound);
    }
    let total = backend::groups::members_count(&ctx.db, group.id).await?;
    let mut collection = Collection::<()>::count(Some(format!("{}/members", group.ap_id)), total);
    collection.attributed_to = Some(group.ap_id.clone());
    Ok(activity_json(collection))
}

/// Upcoming public events of a group or person, soonest first (Mobilizon's `events`,
/// FEP-8a8e's `upcomingEvents`).
///
/// The collection of the local actor `username`'s (without `@`) upcoming events, page
/// `number`. For the HTML handler of `/@{name}/events` when [`crate::negotiate::wants_activity_json`] says so.
pub async fn actor_events_json(ctx: &AppContext, username: &str, number: Option<i64>) -> Response {
    let result = async {
        let actor = local_actor(ctx, username).await?;
        let id = format!("{}/events", actor.ap_id);
        let number = number.unwrap_or(1);
        let list =
            backend::events::federated::upcoming_of(&ctx.db, actor.id, ctx.now(), page(number)?)
                .await?;
        let mut items = Vec::new();
        for event in &list.elements {
            let object = crate::objects::event::to_json(ctx, &ctx.db, event).await?;
            items.push(object);
        }
        let mut collection = Collection::count(Some(id.clone()), list.total);
        collection.ordered_items = Some(items);
        if (number as u64) * COLLECTION_PAGE < list.total {
            collection.next = Some(format!("{id}?page={}", number + 1));
        }
        Ok::<_, Error>(activity_json(collection))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}
