//! A comment's address, `/comments/{uuid}` (Mobilizon's): peers asking for
//! `application/activity+json` get its `Note` (federation says who may read which); people
//! are sent to its place, under its event or in its group's discussion. A discussion's
//! comments lead only its group's members there: for anyone else the address is not found,
//! so that not even a discussion's title shows.

use axum::Router;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::discussions::{PER_PAGE, login_first};
use super::{Visitor, error_page, see_other, vary_on_accept};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/comments/{uuid}", get(show))
}

async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(uuid): Path<String>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    if state.ctx.settings.federation.enabled && federation::negotiate::wants_activity_json(&headers)
    {
        let mut response =
            federation::comment_json(&state.federation, &uuid, &method, &uri, &headers)
                .await
                .unwrap_or_else(IntoResponse::into_response);
        vary_on_accept(&mut response);
        return response;
    }
    let db = &state.ctx.db;
    if let Ok(comment) = backend::comments::find_by_uuid(db, &uuid).await {
        // The event's page says who may read it.
        return match backend::events::find(db, comment.event_id).await {
            Ok(event) => {
                let place = format!("/events/{}#comment-{}", event.uuid, comment.uuid);
                see_other(&visitor, &place)
            }
            Err(err) => error_page(visitor, &err),
        };
    }
    if let Some(to_login) = login_first(&visitor, &format!("/comments/{uuid}")) {
        return to_login;
    }
    let place = async {
        let (comment, discussion) =
            backend::discussions::find_comment_for(db, &visitor.principal(), &uuid).await?;
        let group = backend::actors::find(db, discussion.group_id).await?;
        let page = backend::discussions::page_of(db, &comment, PER_PAGE).await?;
        let path = format!(
            "/@{}/c/{}",
            backend::actors::handle(&group),
            discussion.slug
        );
        let page = if page > 1 {
            format!("?page={page}")
        } else {
            String::new()
        };
        Ok::<_, backend::Error>(format!("{path}{page}#comment-{}", comment.uuid))
    }
    .await;
    match place {
        Ok(place) => see_other(&visitor, &place),
        Err(err) => error_page(visitor, &err),
    }
}
