//! Where domain errors become plain HTTP responses (feeds; pages' error page takes its status
//! from `status` too), by backend's one table (`backend::Error::kind`). Internal causes are
//! logged here and never shown.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

pub fn status(err: &backend::Error) -> StatusCode {
    StatusCode::from_u16(err.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The error as a short plain-text response.
pub fn plain(err: &backend::Error) -> Response {
    if let backend::Error::Internal(source) = err {
        tracing::error!(error = %source, "internal error while answering an HTTP request");
    }
    (
        status(err),
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{err}\n"),
    )
        .into_response()
}
