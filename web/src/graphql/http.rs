//! `POST /api` and `POST /graphql` (with the caller's identity from `Authorization: Bearer`),
//! and `GET` on both; CORS for browsers on other origins is [`cors`]'s.

use async_graphql::http::{GraphiQLSource, MultipartOptions};
use async_graphql::{BatchRequest, BatchResponse, ParseRequestError};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

use super::errors::{self, ensure_codes, error_response};
use super::{Viewer, absinthe_uploads, cost, encodings};
use crate::state::AppState;

pub async fn execute(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let mut batch = if is_multipart(&parts.headers) {
        match read_multipart(&state, &parts.headers, body).await {
            Ok(mut batch) => {
                encodings::tidy_names(&mut batch);
                batch
            }
            Err(refused) => return refused,
        }
    } else {
        match read_body(&state, &parts.headers, body).await {
            Ok(batch) => batch,
            Err(refused) => return refused,
        }
    };
    if let Some(refused) = refusal(&state, &mut batch) {
        return refused;
    }
    let viewer = Viewer::from_headers(&state.ctx, &parts.headers).await;
    let client = crate::client::of_request(&state, &parts.extensions, &parts.headers);
    // Kept to name the argument of an input error by its position.
    let queries: Vec<String> = batch.iter_mut().map(|r| r.query.clone()).collect();
    let access = super::loaders::access_loader(&state.ctx.db, viewer.user.clone().into());
    let batch = batch.data(viewer).data(client).data(access);
    let mut response = state.schema.execute_batch(batch).await;
    match &mut response {
        BatchResponse::Single(single) => {
            ensure_codes(single, queries.first().map_or("", String::as_str))
        }
        BatchResponse::Batch(many) => {
            for (answer, query) in many.iter_mut().zip(&queries) {
                ensure_codes(answer, query);
            }
        }
    }
    json_response(StatusCode::OK, &response)
}

/// The media type of the body, lowercased, without its parameters.
fn media_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

fn is_multipart(headers: &HeaderMap) -> bool {
    media_type(headers) == "multipart/form-data"
}

fn declared_length(headers: &HeaderMap) -> Option<usize> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
}

/// A request following the GraphQL multipart request spec (`uploadMedia`, a `MediaInput`
/// with a file), or Absinthe's upload ([`absinthe_uploads`]): one file per request, no larger than the largest upload limit (each
/// purpose's own limit is the backend's to check), plus the operations and map parts within
/// the JSON body limit.
async fn read_multipart(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<BatchRequest, Response> {
    let file_limit =
        usize::try_from(state.ctx.settings.media.largest_limit_bytes()).unwrap_or(usize::MAX);
    let limit = file_limit.saturating_add(state.ctx.settings.graphql.body_limit_bytes);
    if declared_length(headers).is_some_and(|len| len > limit) {
        return Err(too_large(limit));
    }
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| too_large(limit))?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let malformed = |reason: &str| {
        json_response(
            StatusCode::BAD_REQUEST,
            &BatchResponse::Single(error_response(
                &format!("the request body is not a GraphQL multipart request: {reason}"),
                "invalid_query",
            )),
        )
    };
    if let Some(boundary) = content_type.and_then(|v| multer::parse_boundary(v).ok()) {
        match absinthe_uploads::read(&bytes, &boundary, file_limit).await {
            Ok(Some(batch)) => return Ok(batch),
            Ok(None) => {}
            Err(absinthe_uploads::Unread::TooLarge) => return Err(too_large(file_limit)),
            Err(absinthe_uploads::Unread::Malformed(reason)) => return Err(malformed(&reason)),
        }
    }
    let options = MultipartOptions::default()
        .max_file_size(file_limit)
        .max_num_files(1);
    async_graphql::http::receive_batch_body(
        content_type,
        futures::io::Cursor::new(bytes.to_vec()),
        options,
    )
    .await
    .map_err(|err| match err {
        ParseRequestError::PayloadTooLarge => too_large(file_limit),
        other => malformed(&other.to_string()),
    })
}

/// A JSON, form or `application/graphql` body (JSON when the type says nothing else).
async fn read_body(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<BatchRequest, Response> {
    let limit = state.ctx.settings.graphql.body_limit_bytes;
    let declared_too_large = declared_length(headers).is_some_and(|len| len > limit);
    if declared_too_large {
        return Err(too_large(limit));
    }
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| too_large(limit))?;
    let read = match media_type(headers).as_str() {
        "application/x-www-form-urlencoded" => encodings::from_form(&bytes),
        "application/graphql" => encodings::from_query_text(&bytes),
        _ => encodings::from_json(&bytes),
    };
    read.map_err(|err| {
        json_response(
            StatusCode::BAD_REQUEST,
            &BatchResponse::Single(error_response(
                &format!("the request body is not a GraphQL request: {err}"),
                "invalid_query",
            )),
        )
    })
}

/// Levels of `{`, `(` and `[` a query's text may nest; the parser recurses once per level.
const MAX_NESTING: usize = 64;

/// Parses the batch's queries and measures them together, before any runs (a batch counts as
/// the sum of its operations); the answer when they pass the limits.
fn refusal(state: &AppState, batch: &mut BatchRequest) -> Option<Response> {
    let settings = &state.ctx.settings.graphql;
    let operations = batch.iter_mut().count();
    if operations > settings.max_batch_operations {
        return Some(json_response(
            StatusCode::BAD_REQUEST,
            &BatchResponse::Single(error_response(
                &format!(
                    "a batch holds at most {} operations; this one has {operations}",
                    settings.max_batch_operations
                ),
                "batch_too_large",
            )),
        ));
    }
    let mut budget = cost::Budget::new(cost::Limits {
        max_depth: u64::try_from(settings.max_depth).unwrap_or(u64::MAX),
        max_fields: u64::try_from(settings.max_complexity).unwrap_or(u64::MAX),
    });
    let refuse = |code: &str, message: &str| {
        json_response(
            StatusCode::OK,
            &BatchResponse::Single(error_response(message, code)),
        )
    };
    for request in batch.iter_mut() {
        if !cost::nesting_within(&request.query, MAX_NESTING) {
            return Some(refuse(
                "query_too_deep",
                &format!("Query is nested too deep: at most {MAX_NESTING} levels of brackets"),
            ));
        }
        state.parsed_queries.prepare(request);
        if let Some(name) = variable_with_nul(&request.variables) {
            return Some(refuse_nul(&name));
        }
        // A query that does not parse is left to the schema, which says why.
        if let Ok(document) = request.parsed_query() {
            if let Err(refusal) = budget.spend(document) {
                return Some(refuse(refusal.code(), &refusal.message()));
            }
            if let Some(name) = argument_with_nul(document) {
                return Some(refuse_nul(&name));
            }
        }
    }
    None
}

/// No database keeps U+0000 in text (PostgreSQL refuses it), so no argument may hold it.
fn refuse_nul(field: &str) -> Response {
    let mut response = error_response("", "invalid");
    if let Some(error) = response.errors.first_mut() {
        *error = errors::to_gql(backend::Error::invalid(
            field,
            "text may not contain the character U+0000",
        ))
        .into_server_error(async_graphql::Pos::default());
        error.locations.clear();
    }
    json_response(StatusCode::OK, &BatchResponse::Single(response))
}

fn holds_nul(value: &async_graphql::Value) -> bool {
    match value {
        async_graphql::Value::String(text) => text.contains('\0'),
        async_graphql::Value::List(items) => items.iter().any(holds_nul),
        async_graphql::Value::Object(fields) => fields
            .iter()
            .any(|(name, value)| name.contains('\0') || holds_nul(value)),
        _ => false,
    }
}

fn variable_with_nul(variables: &async_graphql::Variables) -> Option<String> {
    variables
        .iter()
        .find(|(_, value)| holds_nul(value))
        .map(|(name, _)| name.to_string())
}

/// The first argument, in any operation or fragment, whose literal value holds U+0000.
fn argument_with_nul(document: &ExecutableDocument) -> Option<String> {
    fn in_selection(set: &SelectionSet) -> Option<String> {
        set.items.iter().find_map(|item| match &item.node {
            Selection::Field(field) => field
                .node
                .arguments
                .iter()
                .find(|(_, value)| {
                    // Variables are checked with their values.
                    let literal = value
                        .node
                        .clone()
                        .into_const_with(|_| Ok::<_, ()>(async_graphql::Value::Null));
                    literal.is_ok_and(|literal| holds_nul(&literal))
                })
                .map(|(name, _)| name.node.to_string())
                .or_else(|| in_selection(&field.node.selection_set.node)),
            Selection::InlineFragment(inline) => in_selection(&inline.node.selection_set.node),
            Selection::FragmentSpread(_) => None,
        })
    }
    document
        .operations
        .iter()
        .find_map(|(_, operation)| in_selection(&operation.node.selection_set.node))
        .or_else(|| {
            document
                .fragments
                .values()
                .find_map(|fragment| in_selection(&fragment.node.selection_set.node))
        })
}

fn too_large(limit: usize) -> Response {
    json_response(
        StatusCode::PAYLOAD_TOO_LARGE,
        &BatchResponse::Single(error_response(
            &format!("the request body is larger than {limit} bytes"),
            "payload_too_large",
        )),
    )
}

fn json_response(status: StatusCode, body: &BatchResponse) -> Response {
    match encodings::to_json(body) {
        Ok(bytes) => (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            Body::from(bytes),
        )
            .into_response(),
        Err(err) => {
            tracing::error!(error = %err, "could not serialize a GraphQL response");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// GraphiQL when enabled (it loads scripts from a CDN, so it gets its own relaxed policy);
/// otherwise a short page on how to query the API.
pub async fn explorer(State(state): State<AppState>) -> Response {
    if state.ctx.settings.graphql.graphiql {
        let page = GraphiQLSource::build().endpoint("/api").finish();
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self' 'unsafe-inline' https://unpkg.com; \
                 style-src 'self' 'unsafe-inline' https://unpkg.com; img-src 'self' data: https:; \
                 connect-src 'self'; font-src 'self' https:",
            ),
        );
        return (headers, Html(page)).into_response();
    }
    let base = state.ctx.settings.public_url.base();
    Html(format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>GraphQL API</title></head><body style=\"font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5\">\
         <h1>GraphQL API</h1>\
         <p>Send queries with <code>POST {base}/api</code> (or <code>{base}/graphql</code>) and a JSON body <code>{{\"query\": \"…\", \"variables\": {{…}}}}</code>. \
         The operations keep Mobilizon's names, so clients written for Mobilizon's API need little change.</p>\
         <pre style=\"background:#f4f4f5;padding:1rem;overflow:auto\">curl -s {base}/api -H 'Content-Type: application/json' \\\n  -d '{{\"query\":\"{{ config {{ name registrationsOpen }} }}\"}}'</pre>\
         <p>Authenticate with <code>Authorization: Bearer &lt;accessToken&gt;</code> from the <code>login</code> mutation. \
         Errors carry <code>extensions.code</code>.</p>\
         <p>The interactive explorer (GraphiQL) loads scripts from a CDN, so it is off here. An administrator can turn it on with <code>graphql.graphiql = true</code>.</p>\
         </body></html>"
    ))
    .into_response()
}
