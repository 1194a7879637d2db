//! Every activity we send, one representative case each, as the delivery jobs queue it:
//! compared with a golden file as JSON values (key order does not matter). Values that differ
//! on every run (uuids, keys) are replaced by placeholders first.
//!
//! `UPDATE_GOLDEN=1 cargo test -p federation --test outgoing` rewrites the golden file; read
//! the diff before committing it: it is what other servers receive.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use backend::events::federated::RemoteEvent;
use backend::groups::follows::{self, FollowRequest, UnfollowRequest};
use backend::groups::service::NewGroup;
use backend::jobs::JobRegistry;
use backend::outbox::Happened;
use backend::participations::{self, JoinRequest};
use backend::principal::Principal;
use backend::rate_limits::Client;
use backend::testing::{TestContext, new_event};
use chrono::Duration;
use entity::actor::ActorKind;
use entity::event::{EventStatus, EventVisibility, JoinOptions};
use sea_orm::{ActiveValue::NotSet, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::Value;

fn remote(actor: &entity::actor::Model, n: u32) -> Principal {
    Principal::Remote {
        actor_id: actor.id,
        activity_id: format!("{}#activities/{n}", actor.ap_id),
    }
}

/// A photo uploaded by `person`; its uuid.
async fn picture(
    t: &TestContext,
    person: &backend::testing::TestPerson,
    purpose: entity::MediaPurpose,
    width: u32,
) -> String {
    backend::media::upload(
        &t.ctx,
        &person.principal(),
        backend::media::Upload {
            bytes: backend::testing::pictures::jpeg_with_gps(width, width / 2),
            name: "Photo".to_owned(),
            alt: None,
            purpose,
            identity: None,
        },
    )
    .await
    .unwrap()
    .uuid
}

async fn record(t: &TestContext, what: Happened) {
    backend::outbox::record(&t.ctx, &t.ctx.db, t.ctx.now(), what)
        .await
        .unwrap();
}

/// The value as text with every object's keys sorted, whatever order the database kept them
/// in (PostgreSQL's `jsonb` has its own): the deliveries' order, and the golden file's.
fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut pairs: Vec<_> = map.iter().collect();
            pairs.sort_by(|a, b| a.0.cmp(b.0));
            let pairs: Vec<String> = pairs
                .into_iter()
                .map(|(key, value)| format!("{key:?}:{}", canonical(value)))
                .collect();
            format!("{{{}}}", pairs.join(","))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(canonical).collect();
            format!("[{}]", items.join(","))
        }
        other => other.to_string(),
    }
}

/// Runs the publishing jobs only: deliveries stay queued, to be read by the test.
async fn publish(t: &TestContext) {
    let registry = JobRegistry::new().with(federation::publish::PublishJob);
    backend::jobs::run_due_now(&t.ctx, &registry).await;
}

/// Replaces uuids (36 characters, hyphens at 8, 13, 18 and 23) with `UUID`.
fn without_uuids(text: &str) -> String {
    let bytes = text.as_bytes();
    let is_uuid = |s: &[u8]| {
        s.len() == 36
            && s.iter().enumerate().all(|(i, b)| match i {
                8 | 13 | 18 | 23 => *b == b'-',
                _ => b.is_ascii_hexdigit(),
            })
    };
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if i + 36 <= bytes.len() && is_uuid(&bytes[i..i + 36]) {
            out.push_str("UUID");
            i += 36;
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

#[tokio::test]
async fn every_activity_we_send_keeps_its_keys_and_values() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let group = backend::groups::service::create(
        &t.ctx,
        &alice.actor,
        NewGroup {
            preferred_username: "repair".to_owned(),
            name: Some("Repair collective".to_owned()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // The group's avatar travels as its `icon`, the event's banner as a `Document`.
    let logo = picture(&t, &alice, entity::MediaPurpose::Avatar, 400).await;
    backend::media::set_actor_picture(
        &t.ctx,
        &alice.principal(),
        group.id,
        backend::media::ActorPicture::Avatar,
        Some(&logo),
    )
    .await
    .unwrap();
    let far = t.remote_actor("far", ActorKind::Person).await;
    let club = t.remote_actor("club", ActorKind::Group).await;
    let instance = t.remote_actor("relay", ActorKind::Application).await;
    let relay = backend::actors::system::relay(&t.ctx.db).await.unwrap();

    // Followers elsewhere: a person of the group (accepted at once), an instance of the relay.
    follows::follow(
        &t.ctx,
        &remote(&far, 1),
        FollowRequest {
            target_id: group.id,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    entity::follow::Entity::insert(entity::follow::ActiveModel {
        id: NotSet,
        follower_id: Set(instance.id),
        target_id: Set(relay.id),
        approved: Set(true),
        notify: Set(false),
        ap_id: Set(Some(format!("{}#activities/1", instance.ap_id))),
        created_at: Set(t.ctx.now()),
        updated_at: Set(t.ctx.now()),
    })
    .exec(&t.ctx.db)
    .await
    .unwrap();

    // And a Gancio instance of the relay: it takes events only from the actors it follows,
    // so the relay sends it its own Create, Update and Delete.
    let gancio = backend::actors::remote::upsert(
        &t.ctx.db,
        backend::actors::remote::RemoteActor {
            ap_id: "https://gancio.example/federation/u/relay".to_owned(),
            preferred_username: "relay".to_owned(),
            domain: "gancio.example".to_owned(),
            kind: ActorKind::Application,
            name: None,
            summary: None,
            url: None,
            inbox_url: "https://gancio.example/federation/u/relay/inbox".to_owned(),
            shared_inbox_url: None,
            outbox_url: None,
            followers_url: None,
            public_key_pem: "-----BEGIN PUBLIC KEY-----".to_owned(),
            manually_approves_followers: false,
            openness: entity::actor::Openness::Open,
            avatar: None,
            banner: None,
        },
        t.ctx.now(),
    )
    .await
    .unwrap();
    backend::instances::software::record(
        &t.ctx.db,
        "gancio.example",
        backend::instances::software::NodeFacts {
            software: Some("gancio".to_owned()),
            ..Default::default()
        },
        t.ctx.now(),
    )
    .await
    .unwrap();
    entity::follow::Entity::insert(entity::follow::ActiveModel {
        id: NotSet,
        follower_id: Set(gancio.id),
        target_id: Set(relay.id),
        approved: Set(true),
        notify: Set(false),
        ap_id: Set(Some(format!("{}#follow", gancio.ap_id))),
        created_at: Set(t.ctx.now()),
        updated_at: Set(t.ctx.now()),
    })
    .exec(&t.ctx.db)
    .await
    .unwrap();

    // A public event of the group: Create, Announce by the group and by the relay (its own
    // Create to Gancio).
    let mut new = new_event("Repair café", t.ctx.now() + Duration::days(3));
    new.attributed_to_id = Some(group.id);
    let event = backend::events::service::create(&t.ctx, &alice.principal(), new)
        .await
        .unwrap();
    let banner = picture(&t, &alice, entity::MediaPurpose::Picture, 1600).await;
    backend::media::set_event_picture(&t.ctx, &alice.principal(), event.id, Some(&banner))
        .await
        .unwrap();
    record(&t, backend::events::federated::deleted(&event)).await;

    // A remote person joins it (Accept); another is refused (Reject) or ignored (Ignore).
    participations::join(
        &t.ctx,
        &remote(&far, 2),
        &Client::Local,
        JoinRequest {
            event_id: event.id,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // Alice asks under her event and answers herself (`Create` of `Note`s, to the instances
    // of the group's followers and participants), edits the question (`Update`) and deletes
    // the answer (`Delete`, whose `Create` is then never sent).
    let comment = |target, text: &str| backend::comments::NewComment {
        target,
        text: text.to_owned(),
        is_announcement: false,
        language: None,
        identity: None,
        remote: None,
    };
    let question = backend::comments::create(
        &t.ctx,
        &alice.principal(),
        comment(
            backend::comments::Target::Event(event.id),
            "<p>Who brings tools?</p>",
        ),
    )
    .await
    .unwrap()
    .into_comment();
    let answer = backend::comments::create(
        &t.ctx,
        &alice.principal(),
        comment(backend::comments::Target::Reply(question.id), "Me"),
    )
    .await
    .unwrap()
    .into_comment();
    backend::comments::update(
        &t.ctx,
        &alice.principal(),
        backend::comments::CommentChanges {
            comment: backend::comments::CommentRef::Id(question.id),
            text: "<p>Who brings tools and glue?</p>".to_owned(),
            is_announcement: None,
        },
    )
    .await
    .unwrap();
    backend::comments::delete(
        &t.ctx,
        &alice.principal(),
        backend::comments::CommentRef::Id(answer.id),
    )
    .await
    .unwrap();
    for ignore in [false, true] {
        record(
            &t,
            Happened::JoinRefused {
                actor_id: far.id,
                event_id: event.id,
                join_ap_id: format!("{}#activities/{}", far.ap_id, 3 + u32::from(ignore)),
                ignore,
                reason: "The event is full".to_owned(),
            },
        )
        .await;
    }

    // Alice joins an event of the remote group with a message (Join), then leaves (Leave).
    // Its instance runs Mobilizon (its NodeInfo said so), which takes RSVPs.
    backend::instances::software::record(
        &t.ctx.db,
        "far.example",
        backend::instances::software::NodeFacts {
            software: Some("mobilizon".to_owned()),
            ..Default::default()
        },
        t.ctx.now(),
    )
    .await
    .unwrap();
    let theirs = backend::events::federated::upsert_remote(
        &t.ctx,
        RemoteEvent {
            ap_id: "https://far.example/events/picnic".to_owned(),
            url: "https://far.example/events/picnic".to_owned(),
            title: "Picnic".to_owned(),
            description: String::new(),
            begins_on: t.ctx.now() + Duration::days(5),
            ends_on: None,
            timezone: None,
            status: EventStatus::Confirmed,
            visibility: EventVisibility::Public,
            join_options: JoinOptions::Restricted,
            external_participation_url: None,
            category: None,
            language: None,
            online_address: None,
            place: None,
            maximum_attendee_capacity: None,
            anonymous_participation: false,
            is_online: false,
            organizer_actor_id: club.id,
            attributed_to_id: Some(club.id),
            tags: Vec::new(),
            published_at: None,
            updated_at: None,
            picture: None,
            series_url: None,
        },
    )
    .await
    .unwrap()
    .unwrap();
    participations::join(
        &t.ctx,
        &alice.principal(),
        &Client::Local,
        JoinRequest {
            event_id: theirs.id,
            message: Some("I bring a cake".to_owned()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    record(
        &t,
        Happened::LeaveRequested {
            actor_id: alice.actor.id,
            event_id: theirs.id,
        },
    )
    .await;

    // Alice follows the remote group (Follow) and stops (Undo); the group refuses a follower
    // (Reject of a Follow); profiles change (Update) and go (Delete).
    follows::follow(
        &t.ctx,
        &alice.principal(),
        FollowRequest {
            target_id: club.id,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    publish(&t).await; // before the follow goes
    follows::unfollow(
        &t.ctx,
        &alice.principal(),
        UnfollowRequest {
            target_id: club.id,
            actor_id: None,
        },
    )
    .await
    .unwrap();
    record(
        &t,
        Happened::FollowRejected {
            follower_id: far.id,
            target_id: group.id,
            follow_ap_id: format!("{}#activities/9", far.ap_id),
        },
    )
    .await;
    record(&t, Happened::ActorUpdated { actor_id: group.id }).await;
    let gone = federation::keys::ensure(&t.ctx, alice.actor.clone())
        .await
        .unwrap();
    record(
        &t,
        Happened::ActorDeleted {
            actor: Box::new(gone.clone()),
            inboxes: vec!["https://far.example/inbox".to_owned()],
        },
    )
    .await;

    publish(&t).await;
    let deliveries = entity::job::Entity::find()
        .filter(entity::job::Column::Kind.eq(federation::delivery::DELIVER_JOB))
        .order_by_asc(entity::job::Column::Id)
        .all(&t.ctx.db)
        .await
        .unwrap();

    let group = backend::actors::find(&t.ctx.db, group.id).await.unwrap();
    let pems = [
        (group.public_key_pem.clone().unwrap(), "GROUP-PUBLIC-KEY"),
        (gone.public_key_pem.clone().unwrap(), "PERSON-PUBLIC-KEY"),
        (gone.private_key_pem.clone().unwrap(), "PERSON-PRIVATE-KEY"),
    ];
    let mut sent: Vec<Value> = deliveries
        .into_iter()
        .map(|job| {
            let mut text = serde_json::to_string(&job.payload).unwrap();
            for (pem, placeholder) in &pems {
                let escaped = serde_json::to_string(pem).unwrap();
                text = text.replace(escaped.trim_matches('"'), placeholder);
            }
            let mut payload: Value = serde_json::from_str(&without_uuids(&text)).unwrap();
            // Which row signs is checked by the actor; its id depends on the test's order.
            payload.as_object_mut().unwrap().remove("actor_id");
            if let Some(sender) = payload.get_mut("deleted_sender") {
                *sender = Value::String(sender["ap_id"].as_str().unwrap().to_owned());
            }
            payload
        })
        .collect();
    sent.sort_by_key(canonical);
    let actual = Value::Array(sent);

    let path = format!("{}/tests/golden/outgoing.json", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, serde_json::to_string_pretty(&actual).unwrap() + "\n").unwrap();
        return;
    }
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{path} is missing: run with UPDATE_GOLDEN=1")),
    )
    .unwrap();
    let Value::Array(mut expected) = expected else {
        panic!("a list expected");
    };
    expected.sort_by_key(canonical);
    let Value::Array(actual) = &actual else {
        unreachable!()
    };
    for (n, (want, got)) in expected.iter().zip(actual).enumerate() {
        assert_eq!(got, want, "delivery {n} changed");
    }
    assert_eq!(actual.len(), expected.len(), "as many deliveries as before");
}
