//! Whether an instance is blocked, and how its domain is written: lookups that the services
//! deleting a blocked instance's copies (pictures, events) use too, so they import no use case.

use entity::domain_block;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::error::{Error, Result};

/// The domain of `input` (a host name, `host:port`, or a URL), lowercased, without a trailing
/// dot: as actors' `domain` column stores it.
pub fn normalize(input: &str) -> Result<String> {
    let trimmed = input.trim();
    let with_scheme = if trimmed.contains("://") {
        trimmed.to_owned()
    } else {
        format!("https://{trimmed}")
    };
    let invalid = || Error::invalid("domain", "a domain is a host name, like events.example.org");
    let url = url::Url::parse(&with_scheme).map_err(|_| invalid())?;
    let host = url
        .host_str()
        .filter(|h| !h.is_empty() && h.contains(|c: char| c.is_ascii_alphanumeric()))
        .ok_or_else(invalid)?
        .trim_end_matches('.')
        .to_ascii_lowercase();
    Ok(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

/// The domain of an actor or inbox address.
pub fn domain_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    let host = url.host_str()?.trim_end_matches('.').to_ascii_lowercase();
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

pub async fn is_blocked(conn: &impl ConnectionTrait, domain: &str) -> Result<bool> {
    Ok(domain_block::Entity::find()
        .filter(domain_block::Column::Domain.eq(domain))
        .one(conn)
        .await?
        .is_some())
}

/// Whether the instance at `url` is blocked.
pub async fn is_url_blocked(conn: &impl ConnectionTrait, url: &str) -> Result<bool> {
    match domain_of(url) {
        Some(domain) => is_blocked(conn, &domain).await,
        None => Ok(false),
    }
}

/// Takes, until `tx` ends, the lock a block of `domain` holds while it deletes that instance's
/// copies: a copy stored under it either sees the block or is seen (and deleted) by it.
/// SQLite runs write transactions one at a time already.
pub async fn lock_domain(tx: &crate::db::WriteTx, domain: &str) -> Result<()> {
    crate::db::lock_for_writing(tx, &format!("domain {domain}")).await?;
    Ok(())
}
