//! Logged-in devices. A session is found by the hash of its token; API sessions rotate their
//! token on every refresh, and presenting an already-rotated token ends the session (it leaked).

use chrono::{DateTime, Duration, Utc};
use entity::session::{self, SessionKind};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::tokens::{hash_token, random_token};
use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct IssuedSession {
    pub session: session::Model,
    /// The secret for the client; never stored.
    pub token: String,
}

pub async fn create(
    conn: &impl ConnectionTrait,
    user_id: i64,
    kind: SessionKind,
    now: DateTime<Utc>,
    ttl: Duration,
) -> Result<IssuedSession> {
    let (token, token_hash) = random_token();
    let csrf = match kind {
        SessionKind::Browser => Some(random_token().0),
        SessionKind::Api => None,
    };
    let row = session::ActiveModel {
        id: NotSet,
        user_id: Set(user_id),
        kind: Set(kind),
        token_hash: Set(token_hash),
        previous_token_hash: Set(None),
        csrf_token: Set(csrf),
        created_at: Set(now),
        last_used_at: Set(now),
        expires_at: Set(now + ttl),
        revoked_at: Set(None),
    };
    let session = session::Entity::insert(row)
        .exec_with_returning(conn)
        .await?;
    Ok(IssuedSession { session, token })
}

/// The live session of `kind` holding `token`, if any.
pub async fn find_active(
    conn: &impl ConnectionTrait,
    token: &str,
    kind: SessionKind,
    now: DateTime<Utc>,
) -> Result<Option<session::Model>> {
    Ok(session::Entity::find()
        .filter(session::Column::TokenHash.eq(hash_token(token)))
        .filter(session::Column::Kind.eq(kind))
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now))
        .one(conn)
        .await?)
}

pub async fn find_by_id_active(
    conn: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Option<session::Model>> {
    Ok(session::Entity::find_by_id(id)
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now))
        .one(conn)
        .await?)
}

/// Swaps the session's token for a new one and extends it. Of two concurrent rotations of the
/// same token only one wins; the other gets `Unauthenticated`.
pub async fn rotate(
    conn: &impl ConnectionTrait,
    presented: &str,
    now: DateTime<Utc>,
    ttl: Duration,
) -> Result<IssuedSession> {
    let presented_hash = hash_token(presented);
    let Some(current) = find_active(conn, presented, SessionKind::Api, now).await? else {
        // A rotated-away token coming back means someone else holds a copy: end that session.
        let reused = session::Entity::update_many()
            .col_expr(session::Column::RevokedAt, Expr::value(now))
            .filter(session::Column::PreviousTokenHash.eq(presented_hash.as_str()))
            .filter(session::Column::RevokedAt.is_null())
            .exec(conn)
            .await?;
        if reused.rows_affected > 0 {
            tracing::warn!("a refresh token was used twice; its session was revoked");
        }
        return Err(Error::Unauthenticated);
    };
    let (token, token_hash) = random_token();
    let updated = session::Entity::update_many()
        .col_expr(session::Column::TokenHash, Expr::value(token_hash))
        .col_expr(
            session::Column::PreviousTokenHash,
            Expr::value(presented_hash.clone()),
        )
        .col_expr(session::Column::LastUsedAt, Expr::value(now))
        .col_expr(session::Column::ExpiresAt, Expr::value(now + ttl))
        .filter(session::Column::Id.eq(current.id))
        .filter(session::Column::TokenHash.eq(presented_hash))
        .exec(conn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(Error::Unauthenticated);
    }
    let session = session::Entity::find_by_id(current.id)
        .one(conn)
        .await?
        .ok_or(Error::Unauthenticated)?;
    Ok(IssuedSession { session, token })
}

pub async fn revoke(conn: &impl ConnectionTrait, id: i64, now: DateTime<Utc>) -> Result<()> {
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::Id.eq(id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Ends every session of a user but `keep` (after a password change or reset).
pub async fn revoke_all(
    conn: &impl ConnectionTrait,
    user_id: i64,
    keep: Option<i64>,
    now: DateTime<Utc>,
) -> Result<u64> {
    let mut query = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        query = query.filter(session::Column::Id.ne(keep));
    }
    Ok(query.exec(conn).await?.rows_affected)
}

/// Deletes sessions that expired or were revoked more than a day ago.
pub async fn purge(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64> {
    let cutoff = now - Duration::days(1);
    let result = session::Entity::delete_many()
        .filter(
            session::Column::ExpiresAt
                .lt(cutoff)
                .or(session::Column::RevokedAt.lt(cutoff)),
        )
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}
