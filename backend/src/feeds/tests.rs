//! Which events each feed holds, who may read it, and validators that follow the content.

use chrono::Duration;
use entity::actor::Openness;
use entity::event::{EventVisibility, JoinOptions};
use entity::participant::ParticipantRole;

use super::{Feed, Format, Source, tokens};
use crate::actors::persons::{self, NewPerson, PersonChanges};
use crate::events::{EventChanges, service};
use crate::groups::service::NewGroup;
use crate::participations::{self, JoinRequest};
use crate::principal::Principal;
use crate::rate_limits::Client;
use crate::testing::{TestContext, TestPerson, new_event};

async fn titles(t: &TestContext, source: Source) -> Vec<String> {
    let feed = Feed::open(&t.ctx, source).await.expect("feed opens");
    let atom = feed.render(&t.ctx, Format::Atom).await.expect("atom");
    let text = String::from_utf8(atom.bytes).expect("utf-8");
    text.split("<entry>")
        .skip(1)
        .filter_map(|entry| {
            let title = entry.split("<title>").nth(1)?.split("</title>").next()?;
            Some(title.rsplit(" — ").next()?.to_owned())
        })
        .collect()
}

async fn create(t: &TestContext, who: &TestPerson, event: crate::events::NewEvent) -> i64 {
    service::create(&t.ctx, &who.principal(), event)
        .await
        .expect("event")
        .id
}

async fn join(t: &TestContext, who: &TestPerson, event_id: i64, actor_id: Option<i64>) -> i64 {
    let request = JoinRequest {
        event_id,
        actor_id,
        ..Default::default()
    };
    participations::join(&t.ctx, &who.principal(), &Client::Local, request)
        .await
        .and_then(participations::Joined::into_participation)
        .expect("join")
        .id
}

#[tokio::test]
async fn a_token_opens_its_owners_participations_going_or_pending_and_nothing_else() {
    let t = TestContext::new().await;
    let org = t.person("org").await;
    let bob = t.person("bob").await;
    let bob_too = persons::create(
        &t.ctx,
        &bob.user,
        NewPerson {
            preferred_username: "bob_too".to_owned(),
            name: None,
            summary: None,
        },
    )
    .await
    .expect("second identity");
    let start = t.ctx.now() + Duration::days(1);
    let free = create(&t, &org, new_event("Free party", start)).await;
    let mut restricted = new_event("On approval", start);
    restricted.join_options = Some(JoinOptions::Restricted);
    let restricted = create(&t, &org, restricted).await;
    let private = create(&t, &org, new_event("Private dinner", start)).await;
    let refused = create(&t, &org, new_event("Refused", start)).await;
    let other_identity = create(&t, &org, new_event("Other identity", start)).await;
    create(&t, &org, new_event("Not joined", start)).await;

    join(&t, &bob, free, None).await;
    join(&t, &bob, restricted, None).await;
    join(&t, &bob, private, None).await;
    // Guests of a private event keep it in their own feed.
    service::update(
        &t.ctx,
        &org.principal(),
        private,
        EventChanges {
            visibility: Some(EventVisibility::Private),
            ..Default::default()
        },
    )
    .await
    .expect("made private");
    let refused_request = join(&t, &bob, refused, None).await;
    participations::decide(
        &t.ctx,
        &org.principal(),
        refused_request,
        ParticipantRole::Rejected,
    )
    .await
    .expect("rejected");
    join(&t, &bob, other_identity, Some(bob_too.id)).await;

    let all = tokens::create(&t.ctx, &bob.user, None)
        .await
        .expect("token");
    let one = tokens::create(&t.ctx, &bob.user, Some(bob.actor.id))
        .await
        .expect("token for one identity");
    let mut seen = titles(&t, Source::Token { token: all.token }).await;
    seen.sort();
    assert_eq!(
        seen,
        [
            "Free party",
            "On approval",
            "Other identity",
            "Private dinner"
        ]
    );
    let mut seen = titles(&t, Source::Token { token: one.token }).await;
    seen.sort();
    assert_eq!(seen, ["Free party", "On approval", "Private dinner"]);
}

#[tokio::test]
async fn a_restricted_event_enters_a_participants_feed_once_the_organizers_accept_them() {
    let t = TestContext::new().await;
    let org = t.person("org").await;
    let bob = t.person("bob").await;
    let mut garden = new_event("Garden work party", t.ctx.now() + Duration::days(1));
    garden.join_options = Some(JoinOptions::Restricted);
    let garden = create(&t, &org, garden).await;
    let request = join(&t, &bob, garden, None).await;
    let restricted = EventChanges {
        visibility: Some(EventVisibility::Restricted),
        ..Default::default()
    };
    service::update(&t.ctx, &org.principal(), garden, restricted)
        .await
        .expect("made restricted");
    let token = tokens::create(&t.ctx, &bob.user, None)
        .await
        .expect("token")
        .token;
    let feed = || Source::Token {
        token: token.clone(),
    };
    assert!(titles(&t, feed()).await.is_empty(), "not yet accepted");
    participations::decide(
        &t.ctx,
        &org.principal(),
        request,
        ParticipantRole::Participant,
    )
    .await
    .expect("accepted");
    assert_eq!(titles(&t, feed()).await, ["Garden work party"]);
}

#[tokio::test]
async fn participations_stay_in_the_feed_for_a_month_after_the_event() {
    let t = TestContext::new().await;
    let org = t.person("org").await;
    let bob = t.person("bob").await;
    let event = create(
        &t,
        &org,
        new_event("Picnic", t.ctx.now() + Duration::hours(3)),
    )
    .await;
    join(&t, &bob, event, None).await;
    let token = tokens::create(&t.ctx, &bob.user, None)
        .await
        .expect("token")
        .token;
    t.clock.advance(Duration::days(29));
    assert_eq!(
        titles(
            &t,
            Source::Token {
                token: token.clone()
            }
        )
        .await,
        ["Picnic"]
    );
    t.clock.advance(Duration::days(2));
    assert!(titles(&t, Source::Token { token }).await.is_empty());
}

#[tokio::test]
async fn tokens_are_their_owners_alone_and_a_revoked_token_opens_nothing() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let mallory = t.person("mallory").await;
    let err = tokens::create(&t.ctx, &mallory.user, Some(alice.actor.id))
        .await
        .expect_err("someone else's identity");
    assert_eq!(err.code(), "not_found");
    let token = tokens::create(&t.ctx, &alice.user, Some(alice.actor.id))
        .await
        .expect("token");
    assert_eq!(token.token.len(), 43);
    assert_ne!(token.token, token.token_hash);
    let owner = tokens::resolve(&t.ctx.db, &token.token)
        .await
        .expect("resolves");
    assert_eq!(
        (owner.user_id, owner.actor_id),
        (alice.user.id, Some(alice.actor.id))
    );
    let err = tokens::delete(&t.ctx, &mallory.user, &token.token)
        .await
        .expect_err("not mallory's");
    assert_eq!(err.code(), "not_found");
    tokens::delete(&t.ctx, &alice.user, &token.token)
        .await
        .expect("revoked");
    let err = Feed::open(
        &t.ctx,
        Source::Token {
            token: token.token.clone(),
        },
    )
    .await
    .expect_err("revoked");
    assert_eq!(err.code(), "not_found");
    assert!(
        tokens::of_user(&t.ctx.db, &alice.principal(), alice.user.id)
            .await
            .expect("list")
            .is_empty()
    );
}

#[tokio::test]
async fn only_the_owner_sees_their_feed_tokens() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let bob = t.person("bob").await;
    tokens::create(&t.ctx, &alice.user, None)
        .await
        .expect("all identities");
    tokens::create(&t.ctx, &alice.user, Some(alice.actor.id))
        .await
        .expect("one identity");
    let of_user = |principal: Principal| {
        let db = t.ctx.db.clone();
        async move { tokens::of_user(&db, &principal, alice.user.id).await }
    };
    assert_eq!(of_user(alice.principal()).await.expect("hers").len(), 2);
    for other in [bob.principal(), Principal::Anonymous, Principal::System] {
        assert!(of_user(other).await.expect("none").is_empty());
    }
    let of_actor = |principal: Principal| {
        let db = t.ctx.db.clone();
        async move { tokens::of_actor(&db, &principal, alice.actor.id).await }
    };
    assert_eq!(of_actor(alice.principal()).await.expect("hers").len(), 1);
    for other in [bob.principal(), Principal::Anonymous] {
        assert!(of_actor(other).await.expect("none").is_empty());
    }
}

#[tokio::test]
async fn deleting_an_identity_revokes_the_tokens_limited_to_it() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let second = persons::create(
        &t.ctx,
        &alice.user,
        NewPerson {
            preferred_username: "alice_two".to_owned(),
            name: None,
            summary: None,
        },
    )
    .await
    .expect("identity");
    let limited = tokens::create(&t.ctx, &alice.user, Some(second.id))
        .await
        .expect("token");
    let all = tokens::create(&t.ctx, &alice.user, None)
        .await
        .expect("token");
    persons::delete(&t.ctx, &alice.user, second.id)
        .await
        .expect("deleted");
    assert!(tokens::resolve(&t.ctx.db, &limited.token).await.is_err());
    assert!(tokens::resolve(&t.ctx.db, &all.token).await.is_ok());
}

#[tokio::test]
async fn public_feeds_list_only_published_public_events_of_public_local_actors() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let group = crate::groups::service::create(
        &t.ctx,
        &alice.actor,
        NewGroup {
            preferred_username: "collective".to_owned(),
            openness: Some(Openness::Open),
            ..Default::default()
        },
    )
    .await
    .expect("group");
    let start = t.ctx.now() + Duration::days(2);
    create(&t, &alice, new_event("Personal walk", start)).await;
    let mut in_group = new_event("Assembly", start);
    in_group.attributed_to_id = Some(group.id);
    create(&t, &alice, in_group).await;
    for (title, visibility, draft) in [
        ("Unlisted", EventVisibility::Unlisted, false),
        ("Private", EventVisibility::Private, false),
        ("Draft", EventVisibility::Public, true),
    ] {
        let mut event = new_event(title, start);
        event.visibility = Some(visibility);
        event.draft = Some(draft);
        create(&t, &alice, event).await;
    }
    let past = new_event("Last year", t.ctx.now() - Duration::days(365));
    create(&t, &alice, past).await;

    let person = Source::Actor {
        username: "@alice".to_owned(),
    };
    assert_eq!(titles(&t, person).await, ["Personal walk"]);
    let group_feed = Source::Actor {
        username: "collective".to_owned(),
    };
    assert_eq!(titles(&t, group_feed).await, ["Assembly"]);
    let instance = Source::Instance {
        tags: vec![],
        category: None,
    };
    let mut all = titles(&t, instance).await;
    all.sort();
    assert_eq!(all, ["Assembly", "Personal walk"]);

    for username in ["nobody", "alice@elsewhere.example"] {
        let err = Feed::open(
            &t.ctx,
            Source::Actor {
                username: username.to_owned(),
            },
        )
        .await
        .expect_err("no such actor here");
        assert_eq!(err.code(), "not_found");
    }
    let err = Feed::open(
        &t.ctx,
        Source::Instance {
            tags: vec![],
            category: Some("NOT_A_CATEGORY".to_owned()),
        },
    )
    .await
    .expect_err("unknown category");
    assert_eq!(err.code(), "invalid");
}

/// The ICS entity tag of each source, after checking that the cheap validator of every format
/// equals the one rendered with the bytes, and that bytes put together from events written
/// before equal bytes written from nothing.
async fn etags(t: &TestContext, sources: &[Source]) -> Vec<String> {
    let from_nothing = crate::AppContext {
        written_events: super::WrittenEvents::new(0),
        ..t.ctx.clone()
    };
    let mut etags = Vec::new();
    for source in sources {
        let feed = Feed::open(&t.ctx, source.clone()).await.expect("open");
        for format in [Format::Atom, Format::Ics] {
            let cheap = feed.validator(&t.ctx, format).await.expect("validator");
            let rendered = feed.render(&t.ctx, format).await.expect("render");
            assert_eq!(cheap, rendered.validator, "{source:?} {format:?}");
            let written = feed.render(&from_nothing, format).await.expect("render");
            assert!(
                rendered.bytes == written.bytes,
                "{source:?} {format:?}: kept events differ from events written now"
            );
            if format == Format::Ics {
                etags.push(cheap.etag);
            }
        }
    }
    etags
}

#[tokio::test]
async fn the_cheap_validator_equals_the_rendered_one_and_follows_every_change_shown() {
    let t = TestContext::new().await;
    let org = t.person("org").await;
    let bob = t.person("bob").await;
    let start = t.ctx.now() + Duration::days(1);
    let first = create(&t, &org, new_event("First", start)).await;
    let second = create(&t, &org, new_event("Second", start + Duration::days(1))).await;
    join(&t, &bob, first, None).await;
    join(&t, &bob, second, None).await;
    let token = tokens::create(&t.ctx, &bob.user, None)
        .await
        .expect("token")
        .token;
    let sources = [
        Source::Token { token },
        Source::Actor {
            username: "org".to_owned(),
        },
        Source::Instance {
            tags: vec![],
            category: None,
        },
    ];
    let mut history = vec![etags(&t, &sources).await];
    assert_eq!(
        etags(&t, &sources).await,
        history[0],
        "stable when nothing changes"
    );
    let mut expect_all_new = |now: Vec<String>, step: &str| {
        for (i, etag) in now.iter().enumerate() {
            assert!(
                history.iter().all(|before| before[i] != *etag),
                "{step}: {:?} kept its validator",
                sources[i]
            );
        }
        history.push(now);
    };
    // Changes happen at distinct moments, as they do outside tests.
    let later = || t.clock.advance(Duration::minutes(1));

    later();
    service::update(
        &t.ctx,
        &org.principal(),
        first,
        EventChanges {
            title: Some("First, renamed".to_owned()),
            ..Default::default()
        },
    )
    .await
    .expect("edited");
    expect_all_new(etags(&t, &sources).await, "an event edited");

    later();
    persons::update(
        &t.ctx,
        &org.user,
        org.actor.id,
        PersonChanges {
            name: Some("The organizer".to_owned()),
            summary: None,
        },
    )
    .await
    .expect("renamed");
    expect_all_new(etags(&t, &sources).await, "the organizer renamed");

    later();
    service::delete(&t.ctx, &org.principal(), second)
        .await
        .expect("deleted");
    expect_all_new(etags(&t, &sources).await, "an event deleted");

    later();
    let third = create(&t, &org, new_event("Third", start)).await;
    join(&t, &bob, third, None).await;
    expect_all_new(etags(&t, &sources).await, "an event added");

    later();
    service::update(
        &t.ctx,
        &org.principal(),
        first,
        EventChanges {
            visibility: Some(EventVisibility::Private),
            ..Default::default()
        },
    )
    .await
    .expect("made private");
    // Bob still goes: his feed keeps the event, changed; public feeds lose it.
    expect_all_new(etags(&t, &sources).await, "an event made private");
    assert_eq!(titles(&t, sources[2].clone()).await, ["Third"]);

    let before = etags(&t, &sources).await;
    later();
    let request = participations::LeaveRequest {
        event_id: first,
        ..Default::default()
    };
    participations::leave(&t.ctx, &bob.principal(), request)
        .await
        .expect("left");
    let after = etags(&t, &sources).await;
    assert_ne!(
        after[0], before[0],
        "leaving changes the participant's feed"
    );
    assert_eq!(after[1..], before[1..], "and no public feed");

    t.clock.advance(Duration::days(3));
    let after_the_events = etags(&t, &sources).await;
    assert_eq!(
        after_the_events[0], after[0],
        "participations stay after the event"
    );
    assert_ne!(
        after_the_events[1], after[1],
        "public feeds drop past events"
    );
}

/// The `CLASS` of each VEVENT of a calendar, read by the `ical` crate's parser.
fn classes(ics: &[u8]) -> Vec<String> {
    let mut parser = ::ical::IcalParser::new(std::io::BufReader::new(ics));
    let calendar = parser
        .next()
        .expect("a calendar")
        .expect("a valid calendar");
    calendar
        .events
        .iter()
        .map(|event| {
            event
                .properties
                .iter()
                .find(|p| p.name == "CLASS")
                .and_then(|p| p.value.clone())
                .unwrap_or_default()
        })
        .collect()
}

async fn classes_of(t: &TestContext, token: &str) -> Vec<String> {
    let source = Source::Token {
        token: token.to_owned(),
    };
    let feed = Feed::open(&t.ctx, source).await.expect("feed opens");
    classes(&feed.render(&t.ctx, Format::Ics).await.expect("ics").bytes)
}

#[tokio::test]
async fn a_private_or_restricted_event_is_private_in_calendars_as_soon_as_it_becomes_so() {
    let t = TestContext::new().await;
    let org = t.person("org").await;
    let bob = t.person("bob").await;
    let dinner = create(
        &t,
        &org,
        new_event("Dinner", t.ctx.now() + Duration::days(1)),
    )
    .await;
    join(&t, &bob, dinner, None).await;
    let token = tokens::create(&t.ctx, &bob.user, None)
        .await
        .expect("token")
        .token;
    assert_eq!(classes_of(&t, &token).await, ["PUBLIC"]);
    // The clock does not move: the entry kept for the public version must not be served.
    for (visibility, expected) in [
        (EventVisibility::Private, "PRIVATE"),
        (EventVisibility::Unlisted, "PUBLIC"),
        (EventVisibility::Restricted, "PRIVATE"),
    ] {
        service::update(
            &t.ctx,
            &org.principal(),
            dinner,
            EventChanges {
                visibility: Some(visibility),
                ..Default::default()
            },
        )
        .await
        .expect("visibility changed");
        assert_eq!(classes_of(&t, &token).await, [expected], "{visibility:?}");
    }
}
