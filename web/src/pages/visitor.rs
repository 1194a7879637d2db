//! Who is looking at a page: their browser session (cookie), language and CSRF token.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use backend::i18n::Locale;
use backend::users::browser::{self, BrowserSession};

use crate::state::AppState;

pub const SESSION_COOKIE: &str = "convive_session";
/// Before logging in, forms are protected by a random value kept in this cookie.
const CSRF_COOKIE: &str = "convive_csrf";
const LANGUAGE_COOKIE: &str = "convive_lang";
/// Where a person was when they signed up (the event they wanted to join), to lead them back
/// once their account is confirmed: the mail's link cannot carry it.
const NEXT_COOKIE: &str = "convive_next";

#[derive(Clone)]
pub struct Visitor {
    pub session: Option<BrowserSession>,
    pub locale: Locale,
    /// The value forms must send back in their `csrf` field.
    pub csrf: String,
    /// The instance's name, language and zone as administrators set them.
    pub instance: std::sync::Arc<backend::identity::Identity>,
    /// Conversations with unread messages, for the header (0 without a session).
    pub unread_conversations: u64,
    /// Cookies to set on the response.
    set_cookies: Vec<String>,
    secure: bool,
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

/// Whether `value` looks like a token of ours (URL-safe base64), safe to write into HTML.
fn is_token(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Visitor {
    pub async fn from_headers(state: &AppState, headers: &HeaderMap) -> Self {
        let ctx = &state.ctx;
        let secure = ctx.settings.public_url.join("/").starts_with("https://");
        let session = match cookie(headers, SESSION_COOKIE) {
            Some(token) => match browser::resolve(ctx, token).await {
                Ok(session) => session,
                Err(err) => {
                    tracing::error!(error = %err, "resolving a browser session failed");
                    None
                }
            },
            None => None,
        };
        let mut set_cookies = Vec::new();
        let csrf = match &session {
            Some(session) => session.csrf_token.clone(),
            None => match cookie(headers, CSRF_COOKIE) {
                // Only values we could have made: the token is written into pages as is.
                Some(value) if value.len() >= 32 && is_token(value) => value.to_owned(),
                _ => {
                    let (value, _) = backend::users::tokens::random_token();
                    set_cookies.push(cookie_line(CSRF_COOKIE, &value, None, secure));
                    value
                }
            },
        };
        let instance = match ctx.instance().await {
            Ok(instance) => instance,
            Err(err) => {
                // The page still shows, named as the configuration file names the instance.
                tracing::error!(error = %err, "reading the instance's identity failed");
                std::sync::Arc::new(backend::identity::Identity::of_file(&ctx.settings.instance))
            }
        };
        let locale = session
            .as_ref()
            .map(|s| s.user.locale)
            .or_else(|| cookie(headers, LANGUAGE_COOKIE).and_then(Locale::parse))
            .or_else(|| {
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(Locale::from_accept_language)
            })
            .unwrap_or(instance.default_locale);
        let unread_conversations = match &session {
            Some(session) => {
                let principal = backend::principal::Principal::User(session.user.clone());
                backend::conversations::unread_count(&ctx.db, &principal)
                    .await
                    .unwrap_or_else(|err| {
                        // The page still shows, without the count.
                        tracing::error!(error = %err, "counting unread conversations failed");
                        0
                    })
            }
            None => 0,
        };
        Self {
            session,
            locale,
            csrf,
            instance,
            unread_conversations,
            set_cookies,
            secure,
        }
    }

    /// Whether a posted form's token is the one we gave this visitor.
    pub fn csrf_matches(&self, posted: &str) -> bool {
        let (a, b) = (self.csrf.as_bytes(), posted.as_bytes());
        // Constant time, so the token cannot be guessed byte by byte.
        a.len() == b.len()
            && !a.is_empty()
            && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    pub fn principal(&self) -> backend::principal::Principal {
        self.session.as_ref().map(|s| s.user.clone()).into()
    }

    /// Logs in: the session cookie replaces whatever was there.
    pub fn start_session(&mut self, token: &str, days: i64) {
        self.set_cookies.push(cookie_line(
            SESSION_COOKIE,
            token,
            Some(days * 24 * 3600),
            self.secure,
        ));
    }

    pub fn end_session(&mut self) {
        self.set_cookies
            .push(cookie_line(SESSION_COOKIE, "", Some(0), self.secure));
    }

    /// Remembers a path of ours (checked by the caller) for two days.
    pub fn remember_next(&mut self, path: &str) {
        if path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/-_.?=&".contains(&b))
        {
            self.set_cookies.push(cookie_line(
                NEXT_COOKIE,
                path,
                Some(2 * 24 * 3600),
                self.secure,
            ));
        }
    }

    /// The path remembered by [`Self::remember_next`], forgotten as it is read.
    pub fn take_next(&mut self, headers: &HeaderMap) -> Option<String> {
        let path = cookie(headers, NEXT_COOKIE)?.to_owned();
        self.set_cookies
            .push(cookie_line(NEXT_COOKIE, "", Some(0), self.secure));
        Some(path)
    }

    pub fn remember_language(&mut self, locale: Locale) {
        self.locale = locale;
        self.set_cookies.push(cookie_line(
            LANGUAGE_COOKIE,
            locale.code(),
            Some(365 * 24 * 3600),
            self.secure,
        ));
    }

    /// Adds our cookies and security headers to a response.
    pub fn finish(&self, response: &mut Response) {
        for line in &self.set_cookies {
            if let Ok(value) = HeaderValue::from_str(line) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
        }
        super::security_headers(response);
    }
}

fn cookie_line(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> String {
    let mut line = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        line.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        line.push_str("; Secure");
    }
    line
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // Kept for the request: a handler's `Visitor` and its form's token check
        // (`pages::form`) must see the same session and the same fresh token.
        if let Some(visitor) = parts.extensions.get::<Visitor>() {
            return Ok(visitor.clone());
        }
        let visitor = Visitor::from_headers(state, &parts.headers).await;
        parts.extensions.insert(visitor.clone());
        Ok(visitor)
    }
}
