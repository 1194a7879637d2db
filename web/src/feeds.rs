//! Calendar and Atom feeds over HTTP. The backend decides what each feed holds and who reads it
//! (`backend::feeds::sources`); this module reads the request and writes the caching headers.
//!
//! A revalidating client is answered `304` from the feed's validator alone, without building
//! the feed; a new client gets the bytes built for that validator earlier, if this node still
//! has them ([`BuiltFeeds`]). While the database has not changed since this node last answered for
//! an address (`backend::changes`), and none of the feed's events has ended since, the
//! validator is not even read again. gzip comes from the compression layer of [`crate::app`].

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use backend::AppContext;
use backend::feeds::{Feed, Format, Source, Validator};
use chrono::{DateTime, Utc};

use std::sync::Arc;

use crate::kept_feeds::{BuiltFeeds, CurrentFeed};
use crate::state::AppState;

/// How long clients and proxies may reuse a feed before revalidating it.
const MAX_AGE_SECS: u32 = 300;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events/{uuid}/export/ics", get(event_ics))
        // matchit captures whole segments only, so `/@{actor}` is `/{handle}` checked below;
        // static first segments (`/events`, `/feed`) still win over it.
        .route("/{handle}/feed/ics", get(actor_ics))
        .route("/{handle}/feed/atom", get(actor_atom))
        .route("/events/feed/ics", get(instance_ics))
        .route("/events/feed/atom", get(instance_atom))
        .route("/feed/{token}/ics", get(token_ics))
        .route("/feed/{token}/atom", get(token_atom))
        // Mobilizon's addresses of the same feeds, which calendar apps were given.
        .route("/feed/instance/ics", get(instance_ics))
        .route("/feed/instance/atom", get(instance_atom))
        .route("/events/going/{token}/ics", get(token_ics))
        .route("/events/going/{token}/atom", get(token_atom))
}

async fn event_ics(
    State(state): State<AppState>,
    Path(uuid): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(&state, &headers, Some(Source::Event { uuid }), Format::Ics).await
}

async fn actor_ics(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(&state, &headers, actor_source(&handle), Format::Ics).await
}

async fn actor_atom(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(&state, &headers, actor_source(&handle), Format::Atom).await
}

async fn instance_ics(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let source = instance_source(query.as_deref());
    serve(&state, &headers, Some(source), Format::Ics).await
}

async fn instance_atom(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let source = instance_source(query.as_deref());
    serve(&state, &headers, Some(source), Format::Atom).await
}

async fn token_ics(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(&state, &headers, Some(Source::Token { token }), Format::Ics).await
}

async fn token_atom(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(
        &state,
        &headers,
        Some(Source::Token { token }),
        Format::Atom,
    )
    .await
}

/// `@name` names an actor; any other first segment is no feed.
fn actor_source(handle: &str) -> Option<Source> {
    let username = handle.strip_prefix('@')?;
    (!username.is_empty()).then(|| Source::Actor {
        username: username.to_owned(),
    })
}

/// `?tags=a,b&category=X`; `tags` may also repeat.
fn instance_source(query: Option<&str>) -> Source {
    let mut tags = Vec::new();
    let mut category = None;
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        match key.as_ref() {
            "tags" | "tag" => tags.extend(value.split(',').map(str::to_owned)),
            "category" => category = Some(value.into_owned()),
            _ => {}
        }
    }
    Source::Instance { tags, category }
}

async fn serve(
    state: &AppState,
    headers: &HeaderMap,
    source: Option<Source>,
    format: Format,
) -> Response {
    let Some(source) = source else {
        return crate::http_error::plain(&backend::Error::not_found("feed"));
    };
    let now = state.ctx.now();
    // Read before the database is: a change committed meanwhile makes it outdated.
    let current_key = state
        .ctx
        .changes
        .generation()
        .map(|generation| format!("{generation}|{}|{source:?}", format.extension()));
    if let Some(key) = &current_key
        && let Some(current) = state.feeds.current.get(key)
        && current.validator.holds_at(now)
    {
        if is_fresh(headers, &current.validator) {
            return not_modified(&current.headers);
        }
        if let Some(bytes) = state.feeds.built.get(&current.validator.etag) {
            let mut response = bytes.into_response();
            response.headers_mut().extend(current.headers.clone());
            return response;
        }
    }
    match respond(&state.ctx, &state.feeds, headers, source, format).await {
        Ok((response, current)) => {
            if let Some(key) = &current_key {
                state.feeds.current.replace(key, Arc::new(current));
            }
            response
        }
        Err(err) => crate::http_error::plain(&err),
    }
}

/// A `304` with the caching headers of the `200` it stands for.
fn not_modified(headers: &HeaderMap) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    let out = response.headers_mut();
    for name in [
        header::ETAG,
        header::LAST_MODIFIED,
        header::CACHE_CONTROL,
        header::HeaderName::from_static("x-robots-tag"),
    ] {
        if let Some(value) = headers.get(&name) {
            out.insert(name, value.clone());
        }
    }
    response
}

async fn respond(
    ctx: &AppContext,
    feeds: &BuiltFeeds,
    headers: &HeaderMap,
    source: Source,
    format: Format,
) -> backend::Result<(Response, CurrentFeed)> {
    let feed = Feed::open(ctx, source).await?;
    let validator = feed.validator(ctx, format).await?;
    if is_fresh(headers, &validator) {
        let current = current_feed(&feed, format, validator);
        return Ok((not_modified(&current.headers), current));
    }
    let (bytes, validator) = match feeds.built.get(&validator.etag) {
        Some(bytes) => (bytes, validator),
        None => {
            // Built as of now, which may be newer than `validator`: the answer carries the
            // validator of what was built.
            feeds
                .building
                .once(&validator.etag, || async {
                    let rendered = feed.render(ctx, format).await?;
                    let bytes = Bytes::from(rendered.bytes);
                    feeds.built.put(&rendered.validator.etag, bytes.clone());
                    Ok::<_, backend::Error>((bytes, rendered.validator))
                })
                .await?
        }
    };
    let current = current_feed(&feed, format, validator);
    let mut response = bytes.into_response();
    response.headers_mut().extend(current.headers.clone());
    Ok((response, current))
}

/// The headers of the feed's `200` (its `304` takes the caching ones).
fn current_feed(feed: &Feed, format: Format, validator: Validator) -> CurrentFeed {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(format)),
    );
    caching_headers(&mut headers, feed, &validator);
    if let Some(name) = feed.download_name()
        && let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
    {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    CurrentFeed { validator, headers }
}

fn content_type(format: Format) -> &'static str {
    match format {
        Format::Ics => "text/calendar; charset=utf-8",
        Format::Atom => "application/atom+xml; charset=utf-8",
    }
}

/// Headers shared by a `200` and the `304` standing for it (RFC 9110 §15.4.5).
fn caching_headers(out: &mut HeaderMap, feed: &Feed, validator: &Validator) {
    if let Ok(etag) = HeaderValue::from_str(&validator.etag) {
        out.insert(header::ETAG, etag);
    }
    if let Some(value) = validator
        .last_modified
        .and_then(|at| HeaderValue::from_str(&http_date(at)).ok())
    {
        out.insert(header::LAST_MODIFIED, value);
    }
    let cache_control = if feed.is_private() {
        format!("private, max-age={MAX_AGE_SECS}")
    } else {
        format!("public, max-age={MAX_AGE_SECS}")
    };
    if let Ok(value) = HeaderValue::from_str(&cache_control) {
        out.insert(header::CACHE_CONTROL, value);
    }
    if feed.is_private() {
        // A private address that leaks should at least stay out of search engines.
        out.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    }
}

/// Whether the client's copy is current (RFC 9110 §13.2.2): `If-None-Match` decides when
/// present; otherwise `If-Modified-Since` (a list's date moves when an event leaves it too).
fn is_fresh(headers: &HeaderMap, validator: &Validator) -> bool {
    if let Some(if_none_match) = headers.get(header::IF_NONE_MATCH) {
        return if_none_match
            .to_str()
            .is_ok_and(|value| etag_matches(value, &validator.etag));
    }
    let since = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| DateTime::parse_from_rfc2822(v.trim()).ok());
    match (since, validator.last_modified) {
        // HTTP dates have whole seconds.
        (Some(since), Some(modified)) => modified.timestamp() <= since.timestamp(),
        _ => false,
    }
}

/// The weak comparison `If-None-Match` uses: `*`, or any listed tag equal once `W/` is ignored.
fn etag_matches(header_value: &str, etag: &str) -> bool {
    let ours = etag.trim_start_matches("W/");
    header_value
        .split(',')
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate.trim_start_matches("W/") == ours)
}

/// IMF-fixdate (RFC 9110 §5.6.7).
fn http_date(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn validator() -> Validator {
        Validator {
            etag: "\"abc\"".to_owned(),
            last_modified: Utc.with_ymd_and_hms(2026, 11, 20, 9, 15, 30).single(),
            fresh_until: None,
        }
    }

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn if_none_match_accepts_lists_weak_tags_and_star() {
        for value in ["\"abc\"", "\"x\", \"abc\"", "W/\"abc\"", "*"] {
            assert!(
                is_fresh(&headers(&[(header::IF_NONE_MATCH, value)]), &validator()),
                "{value}"
            );
        }
        assert!(!is_fresh(
            &headers(&[(header::IF_NONE_MATCH, "\"abd\"")]),
            &validator()
        ));
    }

    #[test]
    fn if_none_match_overrides_if_modified_since() {
        let request = headers(&[
            (header::IF_NONE_MATCH, "\"old\""),
            (header::IF_MODIFIED_SINCE, "Fri, 20 Nov 2026 09:15:30 GMT"),
        ]);
        assert!(!is_fresh(&request, &validator()));
    }

    #[test]
    fn if_modified_since_holds_from_the_date_on() {
        let same = headers(&[(header::IF_MODIFIED_SINCE, "Fri, 20 Nov 2026 09:15:30 GMT")]);
        let earlier = headers(&[(header::IF_MODIFIED_SINCE, "Fri, 20 Nov 2026 09:15:29 GMT")]);
        assert!(is_fresh(&same, &validator()));
        assert!(!is_fresh(&earlier, &validator()));
        assert!(!is_fresh(
            &headers(&[(header::IF_MODIFIED_SINCE, "yesterday")]),
            &validator()
        ));
    }

    #[test]
    fn http_dates_are_imf_fixdates() {
        assert_eq!(
            http_date(validator().last_modified.unwrap()),
            "Fri, 20 Nov 2026 09:15:30 GMT"
        );
    }

    #[test]
    fn only_at_handles_name_actors() {
        assert_eq!(
            actor_source("@jazz"),
            Some(Source::Actor {
                username: "jazz".to_owned()
            })
        );
        assert_eq!(actor_source("jazz"), None);
        assert_eq!(actor_source("@"), None);
    }

    #[test]
    fn instance_filters_come_as_a_list_or_repeated() {
        assert_eq!(
            instance_source(Some("tags=v%C3%A9lo,repair&tags=food&category=SPORTS&x=1")),
            Source::Instance {
                tags: vec!["vélo".to_owned(), "repair".to_owned(), "food".to_owned()],
                category: Some("SPORTS".to_owned()),
            }
        );
        assert_eq!(
            instance_source(None),
            Source::Instance {
                tags: vec![],
                category: None
            }
        );
    }
}
