//! Forms posted from our pages. Every one carries the visitor's CSRF token; [`Form`] reads the
//! body once (within the router's body limit), checks that token, and only then hands the
//! fields to the handler, so no handler can forget the check.

use axum::extract::{FromRequest, FromRequestParts, RawForm, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::i18n::t;
use super::{Visitor, error_page};
use crate::state::AppState;

/// The fields of a form whose CSRF token matched the visitor's.
pub struct Form<T>(pub T);

/// A form that sends nothing but its token: a button.
#[derive(Deserialize)]
pub struct Button {}

/// The field every form of ours sends besides its own.
#[derive(Deserialize)]
struct Token {
    /// A form without one is refused as one with a wrong one.
    #[serde(default)]
    csrf: String,
}

impl<T: DeserializeOwned> FromRequest<AppState> for Form<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let visitor = match Visitor::from_request_parts(&mut parts, state).await {
            Ok(visitor) => visitor,
            Err(never) => match never {},
        };
        let RawForm(bytes) = RawForm::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        if let Some(field) = field_with_nul(&bytes) {
            return Err(refuse_nul(visitor, &field));
        }
        // The fields first, as axum's own `Form` read them (token included) before this
        // extractor existed: a malformed form is answered the same way.
        let fields = deserialize::<T>(&bytes).map_err(unprocessable)?;
        let token = deserialize::<Token>(&bytes).map_err(unprocessable)?;
        if !visitor.csrf_matches(&token.csrf) {
            return Err(refuse_csrf(visitor));
        }
        Ok(Form(fields))
    }
}

type ParseError = serde_path_to_error::Error<serde_urlencoded::de::Error>;

fn deserialize<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ParseError> {
    let deserializer = serde_urlencoded::Deserializer::new(url::form_urlencoded::parse(bytes));
    serde_path_to_error::deserialize(deserializer)
}

/// A form that does not read as its fields, answered as axum's `Form` answers it.
fn unprocessable(err: ParseError) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        format!("Failed to deserialize form body: {err}"),
    )
        .into_response()
}

/// The first field whose name or value holds U+0000, which no database keeps in text
/// (PostgreSQL refuses it).
fn field_with_nul(bytes: &[u8]) -> Option<String> {
    url::form_urlencoded::parse(bytes)
        .find(|(name, value)| name.contains('\0') || value.contains('\0'))
        .map(|(name, _)| name.replace('\0', ""))
}

fn refuse_nul(visitor: Visitor, field: &str) -> Response {
    let err = backend::Error::invalid(field, "text may not contain the character U+0000");
    let mut response = error_page(visitor, &err);
    *response.status_mut() = StatusCode::BAD_REQUEST;
    response
}

/// The answer to a form whose token is not the visitor's: it was made for another session, or
/// on another site.
fn refuse_csrf(visitor: Visitor) -> Response {
    let message = t(visitor.locale, "error-csrf");
    let mut response = error_page(visitor, &backend::Error::forbidden(message));
    *response.status_mut() = StatusCode::FORBIDDEN;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_byte_in_a_value_names_its_field() {
        assert_eq!(
            field_with_nul(b"csrf=abc&title=a%00b").as_deref(),
            Some("title")
        );
    }

    #[test]
    fn a_nul_byte_in_a_name_is_found_too() {
        assert_eq!(field_with_nul(b"ti%00tle=x").as_deref(), Some("title"));
    }

    #[test]
    fn a_form_without_nul_bytes_passes() {
        assert_eq!(field_with_nul(b"csrf=abc&title=caf%C3%A9+0"), None);
    }

    #[test]
    fn the_token_is_read_beside_the_forms_own_fields() {
        #[derive(Deserialize)]
        struct Fields {
            title: String,
        }
        let bytes = b"csrf=abc&title=Soupe";
        let fields = deserialize::<Fields>(bytes).ok().map(|f| f.title);
        let token = deserialize::<Token>(bytes).ok().map(|t| t.csrf);
        assert_eq!(fields.as_deref(), Some("Soupe"));
        assert_eq!(token.as_deref(), Some("abc"));
    }

    #[test]
    fn a_form_without_a_token_reads_as_an_empty_one_which_matches_no_visitor() {
        let token = deserialize::<Token>(b"title=Soupe").ok().map(|t| t.csrf);
        assert_eq!(token.as_deref(), Some(""));
    }

    #[test]
    fn a_malformed_form_is_unprocessable_as_before() {
        #[derive(Deserialize)]
        #[allow(dead_code)] // only read to fail
        struct Fields {
            capacity: i64,
        }
        let refused = deserialize::<Fields>(b"capacity=many")
            .err()
            .map(|err| unprocessable(err).status());
        assert_eq!(refused, Some(StatusCode::UNPROCESSABLE_ENTITY));
    }
}
