//! What other instances run, as their NodeInfo says (read by the federation layer, kept here
//! a day): whether they answer a `Join`, and the time zone they declare for their events.

use chrono::{DateTime, Duration, Utc};
use entity::peer_software;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::error::Result;

/// How long what a peer's NodeInfo said is trusted before it is read again.
pub const READ_AGAIN_AFTER_HOURS: i64 = 24;

/// What a peer's NodeInfo says, as far as we use it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeFacts {
    pub software: Option<String>,
    pub version: Option<String>,
    pub timezone: Option<String>,
}

/// Software whose events take RSVPs over ActivityPub: it answers our `Join` with an `Accept`
/// or a `Reject`. Gancio answers 404 ("Unknown message type"), Mastodon ignores it.
const ANSWERS_JOIN: [&str; 2] = ["mobilizon", "convive"];

/// Whether an instance running `software` (NodeInfo's name, any case) takes RSVPs over
/// ActivityPub. Unknown software (no NodeInfo) does not: an RSVP nobody will answer is worse
/// than none offered.
pub fn answers_join(software: Option<&str>) -> bool {
    software.is_some_and(|name| {
        ANSWERS_JOIN
            .iter()
            .any(|known| name.trim().eq_ignore_ascii_case(known))
    })
}

/// What we know of `domain`, however old.
pub async fn find(
    conn: &impl ConnectionTrait,
    domain: &str,
) -> Result<Option<peer_software::Model>> {
    Ok(peer_software::Entity::find()
        .filter(peer_software::Column::Domain.eq(domain.to_ascii_lowercase()))
        .one(conn)
        .await?)
}

/// Whether what we know is missing or old enough to be read again.
pub fn is_stale(known: Option<&peer_software::Model>, now: DateTime<Utc>) -> bool {
    known.is_none_or(|k| now - k.read_at > Duration::hours(READ_AGAIN_AFTER_HOURS))
}

/// Records what `domain`'s NodeInfo said at `now`. Values are cut to their columns' sizes and
/// a zone that is not an IANA name is dropped.
pub async fn record(
    conn: &impl ConnectionTrait,
    domain: &str,
    facts: NodeFacts,
    now: DateTime<Utc>,
) -> Result<()> {
    let cut = |value: Option<String>, max: usize| {
        value
            .map(|v| v.trim().chars().take(max).collect::<String>())
            .filter(|v| !v.is_empty())
    };
    let timezone = facts
        .timezone
        .filter(|tz| tz.trim().parse::<chrono_tz::Tz>().is_ok())
        .map(|tz| tz.trim().to_owned());
    let row = peer_software::ActiveModel {
        domain: Set(domain.to_ascii_lowercase()),
        software: Set(cut(facts.software, 100).map(|s| s.to_ascii_lowercase())),
        version: Set(cut(facts.version, 100)),
        timezone: Set(timezone),
        read_at: Set(now),
        ..Default::default()
    };
    peer_software::Entity::insert(row)
        .on_conflict(
            OnConflict::column(peer_software::Column::Domain)
                .update_columns([
                    peer_software::Column::Software,
                    peer_software::Column::Version,
                    peer_software::Column::Timezone,
                    peer_software::Column::ReadAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// The domain of an address as `actors.domain` and this table spell it: its host, and its
/// port when it has one.
pub fn domain_of(address: &str) -> Option<String> {
    let url = url::Url::parse(address).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

/// Whether the instance at `domain` takes RSVPs over ActivityPub, by what we last read.
pub async fn domain_answers_join(conn: &impl ConnectionTrait, domain: &str) -> Result<bool> {
    let known = find(conn, domain).await?;
    Ok(answers_join(
        known.as_ref().and_then(|k| k.software.as_deref()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_mobilizon_and_convive_are_known_to_answer_a_join() {
        for (software, answers) in [
            (Some("mobilizon"), true),
            (Some("Mobilizon"), true),
            (Some("convive"), true),
            (Some("gancio"), false),
            (Some("mastodon"), false),
            (Some("bovine"), false),
            (None, false),
        ] {
            assert_eq!(answers_join(software), answers, "{software:?}");
        }
    }
}
