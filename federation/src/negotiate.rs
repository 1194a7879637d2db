//! Content negotiation for pages that are also ActivityPub documents (`/@{name}`,
//! `/events/{uuid}`): browsers get HTML, peers get JSON-LD.

use axum::http::HeaderMap;
use axum::http::header::ACCEPT;

pub const ACTIVITY_JSON: &str = "application/activity+json";

/// Whether the request asks for ActivityStreams (`application/activity+json`, or
/// `application/ld+json` with or without the ActivityStreams profile).
pub fn wants_activity_json(headers: &HeaderMap) -> bool {
    headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|part| {
            let media = part.split(';').next().unwrap_or("").trim();
            media.eq_ignore_ascii_case(ACTIVITY_JSON)
                || media.eq_ignore_ascii_case("application/ld+json")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn accept(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn activity_json_and_ld_json_with_a_profile_are_activitypub() {
        assert!(wants_activity_json(&accept("application/activity+json")));
        assert!(wants_activity_json(&accept(
            "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\""
        )));
        assert!(wants_activity_json(&accept(
            "text/html;q=0.9, application/activity+json"
        )));
    }

    #[test]
    fn browsers_and_missing_accept_headers_get_html() {
        assert!(!wants_activity_json(&accept(
            "text/html,application/xhtml+xml,*/*;q=0.8"
        )));
        assert!(!wants_activity_json(&HeaderMap::new()));
    }
}
