//! The federation crate's one error type, mapped to HTTP once (`IntoResponse`). Causes are
//! logged here and never sent to the peer.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Backend(#[from] backend::Error),
    #[error(transparent)]
    Federation(#[from] activitypub_federation::error::Error),
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    /// The peer sent something we cannot read.
    #[error("malformed: {0}")]
    Malformed(String),
    /// The peer may not do this (an update of someone else's event…).
    #[error("rejected: {0}")]
    Rejected(String),
    /// The request's HTTP signature is missing, malformed or not the sender's.
    #[error("signature: {0}")]
    Signature(String),
    #[error("not found")]
    NotFound,
    /// Asked for a representation we do not serve here.
    #[error("not acceptable")]
    NotAcceptable,
    #[error("internal: {0}")]
    Internal(String),
    /// A setting that federation cannot work with; stops the server at start.
    #[error("invalid configuration: key \"{key}\": {reason}")]
    Config { key: &'static str, reason: String },
}

impl From<url::ParseError> for Error {
    fn from(err: url::ParseError) -> Self {
        Error::Malformed(format!("bad URL: {err}"))
    }
}

impl From<serde_json::Error> for Error {
    fn from(err: serde_json::Error) -> Self {
        Error::Malformed(err.to_string())
    }
}

impl Error {
    pub fn status(&self) -> StatusCode {
        use activitypub_federation::error::Error as Ap;
        match self {
            Error::Backend(err) => {
                StatusCode::from_u16(err.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            Error::Federation(err) => match err {
                Ap::NotFound => StatusCode::NOT_FOUND,
                Ap::ActivitySignatureInvalid | Ap::ActivityBodyDigestInvalid => {
                    StatusCode::UNAUTHORIZED
                }
                Ap::ParseReceivedActivity { .. } | Ap::UrlVerificationError(_) => {
                    StatusCode::BAD_REQUEST
                }
                // The signer's key could not be fetched: its signature cannot be verified.
                Ap::Reqwest(_)
                | Ap::ReqwestMiddleware(_)
                | Ap::ParseFetchedObject(..)
                | Ap::FetchInvalidContentType(_)
                | Ap::FetchWrongId(_)
                | Ap::ObjectDeleted(_)
                | Ap::WebfingerResolveFailed(_)
                | Ap::DomainResolveError(_)
                | Ap::ResolveInternalIpError(..)
                | Ap::RequestLimit
                | Ap::ResponseBodyLimit => StatusCode::UNAUTHORIZED,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            },
            Error::Database(_) | Error::Internal(_) | Error::Config { .. } => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            Error::Malformed(_) => StatusCode::BAD_REQUEST,
            Error::Rejected(_) => StatusCode::FORBIDDEN,
            Error::Signature(_) => StatusCode::UNAUTHORIZED,
            Error::NotFound => StatusCode::NOT_FOUND,
            Error::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "federation request failed");
        } else if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
            tracing::warn!(error = %self, %status, "federation request refused");
        } else {
            tracing::debug!(error = %self, %status, "federation request refused");
        }
        let code = status.canonical_reason().unwrap_or("error");
        (status, axum::Json(ErrorBody::new(code))).into_response()
    }
}

/// What a peer reads of a refusal: the status's name, and a reason it can act on when one
/// helps (a wrong clock, an unsupported signature scheme).
#[derive(Debug, serde::Serialize)]
pub(crate) struct ErrorBody<'a> {
    error: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

impl<'a> ErrorBody<'a> {
    pub(crate) fn new(error: &'a str) -> Self {
        Self {
            error,
            reason: None,
        }
    }

    pub(crate) fn because(error: &'a str, reason: &'a str) -> Self {
        Self {
            error,
            reason: Some(reason),
        }
    }
}
