//! The one place where domain errors become plain HTTP responses (feeds, and pages to come).
//! Internal causes are logged here and never shown.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

pub fn status(err: &backend::Error) -> StatusCode {
    match err {
        backend::Error::NotFound { .. } => StatusCode::NOT_FOUND,
        backend::Error::Forbidden(_) => StatusCode::FORBIDDEN,
        backend::Error::Invalid(_) => StatusCode::BAD_REQUEST,
        backend::Error::Conflict { .. } => StatusCode::CONFLICT,
        backend::Error::Unauthenticated
        | backend::Error::InvalidCredentials
        | backend::Error::UserNotConfirmed => StatusCode::UNAUTHORIZED,
        backend::Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        backend::Error::Rule { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        backend::Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
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
