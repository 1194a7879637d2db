//! The one error type of the domain. Each variant has a stable snake_case `code()` that the edges
//! (GraphQL, HTML, federation inbox) map once to their own vocabulary.

use sea_orm::{DbErr, SqlErr};

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A problem with one input field, named as the API names it (camelCase).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{what} not found")]
    NotFound { what: &'static str },
    #[error("{0}")]
    Forbidden(String),
    #[error("{}", invalid_summary(.0))]
    Invalid(Vec<FieldError>),
    #[error("{message}")]
    Conflict {
        field: Option<String>,
        message: String,
    },
    #[error("you need to log in")]
    Unauthenticated,
    #[error("wrong email or password")]
    InvalidCredentials,
    #[error("this account is not confirmed yet: follow the link in the confirmation mail")]
    UserNotConfirmed,
    #[error("too many attempts, try again in {retry_after_secs} seconds")]
    RateLimited { retry_after_secs: u64 },
    /// A domain rule that refuses the request with its own code (event_full, event_cancelled…).
    #[error("{message}")]
    Rule { code: &'static str, message: String },
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

fn invalid_summary(errors: &[FieldError]) -> String {
    match errors {
        [] => "invalid input".to_owned(),
        [one] => format!("{}: {}", one.field, one.message),
        many => format!(
            "invalid input: {}",
            many.iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
}

/// What an error is to every edge: the stable code clients branch on (documented in the
/// README) and the HTTP status that pages, feeds and the federation inbox answer with. Kept as
/// a plain number so that the domain knows nothing of an HTTP library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    pub code: &'static str,
    pub http_status: u16,
}

impl Error {
    /// The one table from a domain error to its code and status.
    pub fn kind(&self) -> Kind {
        let (code, http_status) = match self {
            Error::NotFound { .. } => ("not_found", 404),
            Error::Forbidden(_) => ("forbidden", 403),
            Error::Invalid(_) => ("invalid", 400),
            Error::Conflict { .. } => ("conflict", 409),
            Error::Unauthenticated => ("unauthenticated", 401),
            Error::InvalidCredentials => ("invalid_credentials", 401),
            Error::UserNotConfirmed => ("user_not_confirmed", 401),
            Error::RateLimited { .. } => ("rate_limited", 429),
            // The request was understood and well formed; a rule of the domain refuses it.
            Error::Rule { code, .. } => (*code, 422),
            Error::Internal(_) => ("internal", 500),
        };
        Kind { code, http_status }
    }

    /// The stable code clients branch on (documented in the README).
    pub fn code(&self) -> &'static str {
        self.kind().code
    }

    /// The HTTP status every edge answers this error with.
    pub fn http_status(&self) -> u16 {
        self.kind().http_status
    }

    pub fn not_found(what: &'static str) -> Self {
        Error::NotFound { what }
    }

    pub fn forbidden(reason: impl Into<String>) -> Self {
        Error::Forbidden(reason.into())
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }

    pub fn conflict(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Conflict {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    pub fn rule(code: &'static str, message: impl Into<String>) -> Self {
        Error::Rule {
            code,
            message: message.into(),
        }
    }

    pub fn internal(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Error::Internal(source.into())
    }

    /// Whether this is the server's fault (to be logged) rather than the caller's.
    pub fn is_internal(&self) -> bool {
        matches!(self, Error::Internal(_))
    }
}

impl From<DbErr> for Error {
    fn from(err: DbErr) -> Self {
        if is_unstorable_text(&err) {
            return Error::invalid("", "text may not contain the character U+0000");
        }
        Error::Internal(Box::new(err))
    }
}

/// PostgreSQL refuses U+0000 in text (SQLSTATE 22021; 22P05 for text it cannot convert):
/// the input's fault, wherever it came from. The edges refuse it earlier, naming the field.
fn is_unstorable_text(err: &DbErr) -> bool {
    let sqlx_error = match err {
        DbErr::Query(sea_orm::RuntimeErr::SqlxError(e))
        | DbErr::Exec(sea_orm::RuntimeErr::SqlxError(e)) => e,
        _ => return false,
    };
    match sqlx_error.as_ref() {
        sea_orm::sqlx::Error::Database(e) => {
            matches!(e.code().as_deref(), Some("22021" | "22P05"))
        }
        _ => false,
    }
}

/// Turns a unique-constraint violation into a conflict on `field`; other errors stay internal.
pub fn conflict_on_unique(err: DbErr, field: &str, message: &str) -> Error {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => Error::conflict(field, message),
        _ => Error::from(err),
    }
}

/// Collects field errors so that a caller sees all of them at once.
#[derive(Debug, Default)]
pub struct Validation(Vec<FieldError>);

impl Validation {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// Records the error of a single-field check, keeping its value when it passes.
    pub fn check<T>(&mut self, result: Result<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(Error::Invalid(errors)) => {
                self.0.extend(errors);
                None
            }
            Err(other) => {
                self.0.push(FieldError {
                    field: String::new(),
                    message: other.to_string(),
                });
                None
            }
        }
    }

    pub fn finish(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(self.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestDatabase;
    use sea_orm::{ConnectionTrait, Statement};

    #[test]
    fn a_rule_refusal_is_unprocessable_with_its_own_code() {
        let kind = Error::rule("event_full", "this event is full").kind();
        assert_eq!(kind.code, "event_full");
        assert_eq!(kind.http_status, 422);
    }

    #[test]
    fn each_kind_of_error_has_the_status_of_rest_practice() {
        let cases = [
            (Error::not_found("event"), "not_found", 404),
            (Error::forbidden("no"), "forbidden", 403),
            (Error::invalid("title", "too long"), "invalid", 400),
            (Error::conflict("email", "taken"), "conflict", 409),
            (Error::Unauthenticated, "unauthenticated", 401),
            (Error::InvalidCredentials, "invalid_credentials", 401),
            (Error::UserNotConfirmed, "user_not_confirmed", 401),
            (
                Error::RateLimited {
                    retry_after_secs: 3,
                },
                "rate_limited",
                429,
            ),
            (Error::internal("disk"), "internal", 500),
        ];
        for (err, code, status) in cases {
            assert_eq!((err.code(), err.http_status()), (code, status), "{err:?}");
        }
    }

    #[tokio::test]
    async fn text_postgresql_cannot_store_is_the_inputs_fault_not_ours() {
        let database = TestDatabase::new().await;
        if !database.is_postgres() {
            return; // SQLite keeps U+0000
        }
        let err = database
            .db
            .execute_raw(Statement::from_string(
                sea_orm::DatabaseBackend::Postgres,
                "SELECT convert_from('\\x610062'::bytea, 'UTF8')",
            ))
            .await
            .unwrap_err();
        assert_eq!(Error::from(err).code(), "invalid");
    }
}
