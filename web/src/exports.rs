//! `/exports/{format}/{path}`: the files `exportEventParticipants` made, at Mobilizon's
//! address. The unguessable name is the only credential (the client downloads them with a
//! plain link); they are never cached, and gone after an hour.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/exports/{format}/{path}", get(download))
}

async fn download(
    State(state): State<AppState>,
    Path((format, path)): Path<(String, String)>,
) -> Response {
    let file = match backend::participations::export::download(&state.ctx, &format, &path).await {
        Ok(file) => file,
        Err(backend::Error::NotFound { .. }) => {
            return (
                StatusCode::NOT_FOUND,
                "This export does not exist or has expired.",
            )
                .into_response();
        }
        Err(err) => {
            tracing::error!(error = %err, "reading an export failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.format.content_type()),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // The name holds letters, digits, dashes, an underscore and a dot only, but in any
    // script: RFC 5987's form carries it whole, the plain one for old clients in ASCII.
    let ascii: String = file
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        percent_encoded(&file.file_name)
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    (StatusCode::OK, headers, file.content).into_response()
}

/// RFC 5987's encoding of a file name: unreserved characters as they are, every other byte as
/// `%XX`.
fn percent_encoded(name: &str) -> String {
    let mut out = String::with_capacity(name.len() * 3);
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::percent_encoded;

    #[test]
    fn file_names_are_percent_encoded_byte_by_byte() {
        assert_eq!(
            percent_encoded("Fête_participants.csv"),
            "F%C3%AAte_participants.csv"
        );
    }
}
