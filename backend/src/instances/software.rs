//! What other instances run, as their NodeInfo says (read by the federation layer, kept here
//! a day): whether they answer a `Join`, the time zone they declare for their events, and
//! whether they read an announced event.

use chrono::{DateTime, Duration, Utc};
use entity::{actor, peer_software};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::error::Result;
use crate::jobs::{NewJob, OnDuplicate};

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

/// Software that takes events only as a followed actor's own `Create`, `Update` and
/// `Delete`: Gancio 1.21 treats an `Announce` as a boost of one of its own events and answers
/// any other with 404, so our instance actor's announces never reach it.
const EVENTS_ONLY_FROM_FOLLOWED: [&str; 1] = ["gancio"];

/// Whether an instance running `software` takes an event relayed as an `Announce` of it.
/// Unknown software does: Mobilizon and Convive read announces, and so did every peer before
/// NodeInfo was read.
pub fn reads_announced_events(software: Option<&str>) -> bool {
    !software.is_some_and(|name| {
        EVENTS_ONLY_FROM_FOLLOWED
            .iter()
            .any(|known| name.trim().eq_ignore_ascii_case(known))
    })
}

/// `inboxes` split by whether their instance reads an announced event (first) or takes
/// events only from the actors it follows (second), by what its NodeInfo last said.
pub async fn split_by_announce_reading(
    conn: &impl ConnectionTrait,
    inboxes: Vec<String>,
) -> Result<(Vec<String>, Vec<String>)> {
    let domains: Vec<String> = inboxes.iter().filter_map(|i| domain_of(i)).collect();
    let known = peer_software::Entity::find()
        .filter(peer_software::Column::Domain.is_in(domains))
        .all(conn)
        .await?;
    Ok(inboxes.into_iter().partition(|inbox| {
        let domain = domain_of(inbox);
        let software = known
            .iter()
            .find(|k| Some(&k.domain) == domain.as_ref())
            .and_then(|k| k.software.as_deref());
        reads_announced_events(software)
    }))
}

/// The job that reads a peer's NodeInfo (run by the federation layer, which speaks HTTP).
pub const READ_JOB: &str = "peers.read_software";

/// What [`READ_JOB`] reads: the instance of `address` (an actor's id there).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ReadSoftware {
    pub address: String,
}

/// Plans, with `conn` (the transaction of the follow that causes it), a read of what the
/// instance of `peer` runs, unless what we know of it is fresh. A follow either way is when
/// we start hearing of its events: knowing early whether they take RSVPs (and which zone they
/// are written in) means the first event that arrives already offers the right things.
pub async fn plan_read(
    conn: &impl ConnectionTrait,
    peer: &actor::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(domain) = peer.domain.as_deref() else {
        return Ok(());
    };
    if !is_stale(find(conn, domain).await?.as_ref(), now) {
        return Ok(());
    }
    let job = NewJob::new(
        READ_JOB,
        &ReadSoftware {
            address: peer.ap_id.clone(),
        },
    )?
    .max_attempts(5)
    .unique(
        format!("read-software:{}", domain.to_ascii_lowercase()),
        OnDuplicate::Keep,
    );
    crate::jobs::enqueue(conn, now, job).await?;
    Ok(())
}

/// Software that takes no replies to its events from elsewhere: Gancio 1.21 takes them only
/// when its administrator turned on "resources" (off by default, and its NodeInfo does not
/// say), and otherwise never answers them. A comment written here would stay here.
const NO_REPLIES_FROM_ELSEWHERE: [&str; 1] = ["gancio"];

/// Whether an instance running `software` takes comments on its events from other instances.
/// Unknown software does: Mobilizon, Convive, Mastodon and most others take replies.
pub fn takes_replies(software: Option<&str>) -> bool {
    !software.is_some_and(|name| {
        NO_REPLIES_FROM_ELSEWHERE
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

/// Whether the instance at `domain` takes comments on its events from here, by what we last
/// read.
pub async fn domain_takes_replies(conn: &impl ConnectionTrait, domain: &str) -> Result<bool> {
    let known = find(conn, domain).await?;
    Ok(takes_replies(
        known.as_ref().and_then(|k| k.software.as_deref()),
    ))
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
    fn only_gancio_is_known_to_take_no_replies_from_elsewhere() {
        for (software, takes) in [
            (Some("gancio"), false),
            (Some("Gancio"), false),
            (Some("mobilizon"), true),
            (Some("convive"), true),
            (Some("mastodon"), true),
            (None, true),
        ] {
            assert_eq!(takes_replies(software), takes, "{software:?}");
        }
    }

    #[test]
    fn only_gancio_is_known_to_ignore_an_announced_event() {
        for (software, reads) in [
            (Some("gancio"), false),
            (Some(" Gancio "), false),
            (Some("mobilizon"), true),
            (Some("convive"), true),
            (Some("mastodon"), true),
            (None, true),
        ] {
            assert_eq!(reads_announced_events(software), reads, "{software:?}");
        }
    }

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

#[cfg(test)]
mod reading_tests {
    use entity::actor::ActorKind;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

    use super::*;
    use crate::groups::follows::{self, FollowRequest};
    use crate::testing::TestContext;

    async fn planned_reads(t: &TestContext) -> u64 {
        entity::job::Entity::find()
            .filter(entity::job::Column::Kind.eq(READ_JOB))
            .count(&t.ctx.db)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn following_a_remote_group_plans_one_read_of_what_its_instance_runs_until_known() {
        let t = TestContext::new().await;
        let alice = t.person("alice").await;
        let follow = |target_id| FollowRequest {
            target_id,
            ..Default::default()
        };
        let club = t.remote_actor("club", ActorKind::Group).await;
        follows::follow(&t.ctx, &alice.principal(), follow(club.id))
            .await
            .unwrap();
        assert_eq!(planned_reads(&t).await, 1);
        // Another group of the same instance: the read already planned is enough.
        let choir = t.remote_actor("choir", ActorKind::Group).await;
        follows::follow(&t.ctx, &alice.principal(), follow(choir.id))
            .await
            .unwrap();
        assert_eq!(planned_reads(&t).await, 1);

        // Once read, following there plans nothing for a day.
        entity::job::Entity::delete_many()
            .filter(entity::job::Column::Kind.eq(READ_JOB))
            .exec(&t.ctx.db)
            .await
            .unwrap();
        let facts = NodeFacts {
            software: Some("mobilizon".to_owned()),
            ..Default::default()
        };
        record(&t.ctx.db, "far.example", facts, t.ctx.now())
            .await
            .unwrap();
        let band = t.remote_actor("band", ActorKind::Group).await;
        follows::follow(&t.ctx, &alice.principal(), follow(band.id))
            .await
            .unwrap();
        assert_eq!(planned_reads(&t).await, 0);
    }

    #[tokio::test]
    async fn an_instance_following_our_instance_actor_plans_a_read_of_what_it_runs() {
        let t = TestContext::new().await;
        let ours = crate::actors::system::relay(&t.ctx.db).await.unwrap();
        let far = t.remote_actor("relay", ActorKind::Application).await;
        let principal = crate::principal::Principal::Remote {
            actor_id: far.id,
            activity_id: format!("{}#follows/1", far.ap_id),
        };
        let request = FollowRequest {
            target_id: ours.id,
            ..Default::default()
        };
        follows::follow(&t.ctx, &principal, request).await.unwrap();
        let job = entity::job::Entity::find()
            .filter(entity::job::Column::Kind.eq(READ_JOB))
            .one(&t.ctx.db)
            .await
            .unwrap()
            .expect("a read planned");
        let read: ReadSoftware = serde_json::from_value(job.payload).unwrap();
        assert_eq!(read.address, far.ap_id);
    }
}
