//! `/tiles/{z}/{x}/{y}.png`: the map tiles of the administrator's tile server, served from our
//! own origin (see `backend::maps::tiles`), so that a page with a map asks no other site for
//! anything. The browser's request is not passed on: only which tile.

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use backend::maps::Tile;
use backend::maps::tiles::Fetched;

use crate::state::AppState;

/// Tiles change seldom; a day keeps browsers from asking again on every page.
const CACHE_A_DAY: &str = "public, max-age=86400";

pub fn routes() -> Router<AppState> {
    Router::new().route("/tiles/{z}/{x}/{file}", get(serve))
}

/// The tile a path names, if it names one.
fn tile_of(z: &str, x: &str, file: &str) -> Option<Tile> {
    Some(Tile {
        zoom: z.parse().ok()?,
        x: x.parse().ok()?,
        y: file.strip_suffix(".png")?.parse().ok()?,
    })
}

async fn serve(
    State(state): State<AppState>,
    Path((z, x, file)): Path<(String, String, String)>,
) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "no such tile").into_response();
    let (Some(proxy), Some(tile)) = (&state.ctx.tiles, tile_of(&z, &x, &file)) else {
        return not_found();
    };
    match proxy.tile(tile).await {
        Ok(Fetched::Image(image)) => {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(image.content_type),
            );
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE_A_DAY));
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            (StatusCode::OK, headers, Body::from(image.bytes)).into_response()
        }
        Ok(Fetched::Unavailable) => {
            (StatusCode::BAD_GATEWAY, "the tile server did not answer").into_response()
        }
        Err(backend::Error::NotFound { .. }) => not_found(),
        Err(err) => {
            tracing::error!(error = %err, "serving a map tile failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tile_of;

    #[test]
    fn only_a_path_of_three_numbers_ending_in_png_names_a_tile() {
        assert!(tile_of("16", "33195", "22547.png").is_some());
        assert!(tile_of("16", "33195", "22547").is_none());
        assert!(tile_of("16", "-1", "2.png").is_none());
        assert!(tile_of("x", "1", "2.png").is_none());
    }
}
