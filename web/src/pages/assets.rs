//! The stylesheet and our one script, compiled in, each served under a name that carries its
//! hash so browsers keep it for a year and fetch a new one only when it changes.

use std::sync::LazyLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

const STYLESHEET: &str = include_str!("../../assets/convive.css");

static STYLESHEET_PATH: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::digest(STYLESHEET.as_bytes());
    format!("/assets/convive-{}.css", &hex::encode(digest)[..12])
});

pub fn stylesheet_path() -> String {
    STYLESHEET_PATH.clone()
}

/// The icon of the pages' tabs and bookmarks, from our own origin.
const FAVICON: &str = include_str!("../../assets/favicon.svg");

pub const FAVICON_PATH: &str = "/favicon.svg";

pub async fn favicon() -> Response {
    let mut response = FAVICON.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    response
}

/// Fills the sign-up form's time zone from the browser and shows the event page's "Share…" where
/// the browser can share; every page works without it.
const SCRIPT: &str = include_str!("../../assets/convive.js");

static SCRIPT_PATH: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::digest(SCRIPT.as_bytes());
    format!("/assets/convive-{}.js", &hex::encode(digest)[..12])
});

pub fn script_path() -> String {
    SCRIPT_PATH.clone()
}

pub async fn script() -> Response {
    let mut response = SCRIPT.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    response
}

pub async fn stylesheet() -> Response {
    let mut response = STYLESHEET.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    response
}
