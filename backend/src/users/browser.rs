//! Browser sessions: a random token in an HttpOnly cookie, found by its hash in the sessions
//! table, ended by logging out. Each carries the CSRF token its forms must send back.

use chrono::Duration;
use entity::session::SessionKind;

use super::{CurrentUser, service, sessions};
use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::{Error, Result};
use crate::rate_limits::Client;

/// A logged-in browser.
#[derive(Debug, Clone)]
pub struct BrowserSession {
    pub user: CurrentUser,
    pub session_id: i64,
    pub csrf_token: String,
}

/// Checks the credentials (same throttle as the API) and opens a session; returns the token
/// for the cookie.
pub async fn log_in(
    ctx: &AppContext,
    client: &Client,
    email: &str,
    password: &str,
) -> Result<String> {
    let user = service::check_credentials(ctx, client, email, password).await?;
    open(ctx, user.id).await
}

/// Opens a session for a user who just proved who they are (login, confirmation link).
pub async fn open(ctx: &AppContext, user_id: i64) -> Result<String> {
    let tx = begin_write(ctx).await?;
    let issued = sessions::create(
        &tx,
        user_id,
        SessionKind::Browser,
        ctx.now(),
        Duration::days(ctx.settings.auth.browser_session_days),
    )
    .await?;
    tx.commit().await?;
    Ok(issued.token)
}

/// The session behind a cookie's token, if it is still alive.
pub async fn resolve(ctx: &AppContext, token: &str) -> Result<Option<BrowserSession>> {
    let now = ctx.now();
    // Read before the database is: a change committed meanwhile makes what is read outdated.
    let generation = ctx.changes.generation();
    let token_hash = super::tokens::hash_token(token);
    if let Some(kept) = ctx.logins.browser(generation, &token_hash, now) {
        return Ok(Some(kept));
    }
    let Some(session) = sessions::find_active(&ctx.db, token, SessionKind::Browser, now).await?
    else {
        return Ok(None);
    };
    let user = match service::find(&ctx.db, session.user_id).await {
        Ok(user) if user.confirmed_at.is_some() && service::may_log_in(&user).is_ok() => user,
        Ok(_) | Err(Error::NotFound { .. }) => return Ok(None),
        Err(err) => return Err(err),
    };
    let locale = super::user_locale(ctx, &user);
    let found = BrowserSession {
        user: CurrentUser::from_model(&user, session.id, locale),
        session_id: session.id,
        csrf_token: session.csrf_token.unwrap_or_default(),
    };
    ctx.logins
        .keep_browser(generation, &token_hash, &found, session.expires_at);
    Ok(Some(found))
}

/// Ends the session (logging out).
pub async fn close(ctx: &AppContext, session_id: i64) -> Result<()> {
    sessions::revoke(&ctx.db, session_id, ctx.now()).await
}
