//! The one place where domain errors become GraphQL errors. Every error a client sees carries
//! `extensions.code` from this set (documented in the README):
//!
//! - from the domain (`backend::Error::code`): `not_found`, `forbidden`, `invalid` (with
//!   `field` and `fields`), `conflict` (with `field`), `unauthenticated`,
//!   `invalid_credentials`, `user_not_confirmed`, `rate_limited` (with `retryAfter`),
//!   `internal`, and rule codes such as `registrations_closed`, `event_full`;
//! - from the GraphQL layer: `invalid_query` (does not parse or does not match the schema),
//!   `query_too_deep`, `query_too_complex`, `payload_too_large`.

use async_graphql::{ErrorExtensions, Response, ServerError, Value};

pub type GqlResult<T> = async_graphql::Result<T>;

/// Turns a domain error into a GraphQL error with its code from backend's one table
/// (`backend::Error::kind`). Internal causes are logged here and replaced by a generic message.
pub fn to_gql(err: backend::Error) -> async_graphql::Error {
    if let backend::Error::Internal(source) = &err {
        tracing::error!(error = %source, "internal error while answering a GraphQL request");
    }
    let code = err.kind().code;
    let message = err.to_string();
    let mut gql = async_graphql::Error::new(message);
    gql = gql.extend_with(|_, ext| {
        ext.set("code", code);
        match &err {
            backend::Error::Invalid(fields) => {
                if let Some(first) = fields.first() {
                    ext.set("field", first.field.clone());
                }
                ext.set(
                    "fields",
                    Value::List(
                        fields
                            .iter()
                            .map(|f| {
                                let mut obj = async_graphql::indexmap::IndexMap::new();
                                obj.insert(
                                    async_graphql::Name::new("field"),
                                    Value::from(f.field.clone()),
                                );
                                obj.insert(
                                    async_graphql::Name::new("message"),
                                    Value::from(f.message.clone()),
                                );
                                Value::Object(obj)
                            })
                            .collect(),
                    ),
                );
            }
            backend::Error::Conflict {
                field: Some(field), ..
            } => ext.set("field", field.clone()),
            backend::Error::RateLimited { retry_after_secs } => {
                ext.set("retryAfter", *retry_after_secs)
            }
            _ => {}
        }
    });
    gql
}

/// `?`-friendly conversion for service results.
pub trait IntoGql<T> {
    fn gql(self) -> GqlResult<T>;
}

impl<T> IntoGql<T> for Result<T, backend::Error> {
    fn gql(self) -> GqlResult<T> {
        self.map_err(to_gql)
    }
}

/// An error made in the GraphQL layer itself (bad argument shape).
pub fn invalid(field: &str, message: &str) -> async_graphql::Error {
    to_gql(backend::Error::invalid(field, message))
}

/// Gives every error that lacks one a code: a value that is not of its argument's type (a
/// date that is no date, a number out of range, an unknown enum value) is `invalid` with the
/// argument named in `field`, whether validation or the resolver's parsing found it; other
/// errors from parsing and validating the query get theirs from what went wrong; a resolver
/// error without a code is a bug of ours, logged and shown as `internal`. `query` is the text
/// the response answers, where an argument is found by its value's position.
pub fn ensure_codes(response: &mut Response, query: &str) {
    for error in &mut response.errors {
        if has_code(error) {
            continue;
        }
        if let Some(field) = bad_input_field(error, query) {
            set_invalid(error, &field);
            continue;
        }
        let code = if !error.path.is_empty() {
            tracing::error!(message = %error.message, "GraphQL resolver error without a code");
            error.message = "internal error".to_owned();
            "internal"
        } else if error.message.contains("nested too deep") {
            "query_too_deep"
        } else if error.message.contains("too complex") {
            "query_too_complex"
        } else {
            "invalid_query"
        };
        set_code(error, code);
    }
}

/// The argument an input error is about, when it is one.
fn bad_input_field(error: &ServerError, query: &str) -> Option<String> {
    let message = error.message.as_str();
    // Validation: `Invalid value for argument "beginsOn", expected type "DateTime"`.
    if let Some(rest) = message
        .strip_prefix("Invalid value for argument ")
        .or_else(|| message.strip_prefix("Invalid default value for argument: "))
    {
        let quoted = rest.strip_prefix('"')?;
        return quoted.split('"').next().map(str::to_owned);
    }
    // A variable the document declares (and an argument needs) but the request left out.
    if let Some(name) = message
        .strip_prefix("Variable ")
        .and_then(|rest| rest.strip_suffix(" is not defined."))
    {
        return Some(name.trim_start_matches('$').to_owned());
    }
    // A resolver parsing its arguments: the error points at the argument's value.
    let parse_failure =
        message.starts_with("Failed to parse \"") || message.starts_with("Expected input type \"");
    if !parse_failure {
        return None;
    }
    let location = error.locations.first()?;
    Some(argument_at(query, location.line, location.column).unwrap_or_default())
}

/// The name of the argument whose value starts at `line`:`column` (1-based) of `query`.
fn argument_at(query: &str, line: usize, column: usize) -> Option<String> {
    let line_start: usize = query
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    let offset = query[line_start..]
        .char_indices()
        .nth(column.checked_sub(1)?)
        .map(|(at, _)| line_start + at)?;
    let before = query[..offset].trim_end_matches(|c: char| c.is_whitespace() || c == ',');
    let before = before.strip_suffix(':')?.trim_end();
    let start = before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |at| at + 1);
    let name = &before[start..];
    (!name.is_empty()).then(|| name.to_owned())
}

fn set_invalid(error: &mut ServerError, field: &str) {
    let mut extensions = error.extensions.take().unwrap_or_default();
    extensions.set("code", "invalid");
    extensions.set("field", field);
    let mut entry = async_graphql::indexmap::IndexMap::new();
    entry.insert(async_graphql::Name::new("field"), Value::from(field));
    entry.insert(
        async_graphql::Name::new("message"),
        Value::from(error.message.clone()),
    );
    extensions.set("fields", Value::List(vec![Value::Object(entry)]));
    error.extensions = Some(extensions);
}

fn has_code(error: &ServerError) -> bool {
    error
        .extensions
        .as_ref()
        .and_then(|ext| ext.get("code"))
        .is_some()
}

fn set_code(error: &mut ServerError, code: &str) {
    let mut extensions = error.extensions.take().unwrap_or_default();
    extensions.set("code", code);
    error.extensions = Some(extensions);
}

/// A response holding one error with `code` (for failures before GraphQL runs).
pub fn error_response(message: &str, code: &str) -> Response {
    let mut error = ServerError::new(message, None);
    set_code(&mut error, code);
    Response::from_errors(vec![error])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_argument_is_found_by_the_position_of_its_value() {
        let query = "query($b: DateTime) {\n  searchEvents(term: \"x\", beginsOn: $b) { total }\n}";
        assert_eq!(argument_at(query, 2, 37).as_deref(), Some("beginsOn"));
        assert_eq!(argument_at(query, 2, 22).as_deref(), Some("term"));
        assert_eq!(argument_at(query, 2, 3), None);
        assert_eq!(argument_at(query, 9, 1), None);
        assert_eq!(argument_at("{ a(é: 1, x:2) }", 1, 13).as_deref(), Some("x"));
    }
}
