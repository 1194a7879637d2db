//! `/media/{key}`: pictures served from our own origin, so no page ever loads one from another
//! site. A key names one stored file forever (a new picture gets new keys), so answers are
//! cached for a year as immutable.

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::AppState;

const CACHE_FOREVER: &str = "public, max-age=31536000, immutable";

pub fn routes() -> Router<AppState> {
    Router::new().route("/media/{key}", get(serve))
}

async fn serve(
    State(state): State<AppState>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(content_type) = content_type_of(&key) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // A key names one content forever, so it is its own validator: a revalidation is
    // answered without reading the file.
    let etag = format!("\"{key}\"");
    let mut answer = HeaderMap::new();
    answer.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_FOREVER),
    );
    if let Ok(value) = HeaderValue::from_str(&etag) {
        answer.insert(header::ETAG, value);
    }
    let revalidated = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    if revalidated {
        return (StatusCode::NOT_MODIFIED, answer).into_response();
    }
    let bytes = match state.ctx.media.get(&key).await {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(error = %err, "reading a stored picture failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    answer.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    answer.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    (StatusCode::OK, answer, Body::from(bytes)).into_response()
}

/// Only what we write is served: re-encoded JPEGs.
fn content_type_of(key: &str) -> Option<&'static str> {
    if !backend::media::storage::is_valid_key(key) {
        return None;
    }
    key.ends_with(".jpg").then_some("image/jpeg")
}
