//! One function per use case, whoever asks: remote people join, leave and answer through the
//! same `join`, `leave` and `decide` as people here, and the rules the edges used to hold
//! (which RSVP a request is, who answers a join, what an event page offers) are the service's.

use chrono::Duration;
use entity::actor::ActorKind;
use entity::event::JoinOptions;
use entity::participant::ParticipantRole;

use super::{count_role, event_with, join};
use crate::outbox::Happened;
use crate::participations::policy::Refusal;
use crate::participations::{self, JoinRequest, Joined, LeaveRequest, Left};
use crate::principal::Principal;
use crate::rate_limits::Client;
use crate::testing::TestContext;

/// The principal the inbox builds for `actor`'s activity `n`.
fn remote(actor: &entity::actor::Model, n: u32) -> Principal {
    Principal::Remote {
        actor_id: actor.id,
        activity_id: format!("{}#activities/{n}", actor.ap_id),
    }
}

fn request(event_id: i64) -> JoinRequest {
    JoinRequest {
        event_id,
        ..Default::default()
    }
}

async fn join_as(t: &TestContext, principal: &Principal, event_id: i64) -> crate::Result<Joined> {
    participations::join(&t.ctx, principal, &Client::Local, request(event_id)).await
}

#[tokio::test]
async fn a_remote_person_joins_through_the_same_function_and_their_instance_hears_the_answer() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let event = event_with(&t, &organizer, |e| {
        e.options.maximum_attendee_capacity = Some(1);
        e.options.waitlist = Some(false);
    })
    .await;
    let far = t.remote_actor("far", ActorKind::Person).await;

    let Joined::Going(going) = join_as(&t, &remote(&far, 1), event.id).await.expect("join") else {
        panic!("a free event takes a remote person at once");
    };
    assert_eq!(going.ap_id, Some(format!("{}#activities/1", far.ap_id)));
    let answered = Happened::ParticipationAnswered {
        participant_id: going.id,
    };
    assert!(t.recorded_for_federation().await.contains(&answered));

    // Its instance missed the answer and sends the `Join` again: it is answered again.
    let again = join_as(&t, &remote(&far, 2), event.id)
        .await
        .expect("again");
    assert_eq!(again, Joined::Going(going.clone()));
    let answers = t.recorded_for_federation().await;
    assert_eq!(answers.iter().filter(|h| **h == answered).count(), 2);

    // Full: the same refusal for a remote person (told so) and a person here.
    let other = t.remote_actor("other", ActorKind::Person).await;
    let refused = join_as(&t, &remote(&other, 1), event.id)
        .await
        .expect("answered");
    assert_eq!(refused, Joined::Refused(Refusal::Full));
    assert!(
        t.recorded_for_federation()
            .await
            .contains(&Happened::JoinRefused {
                actor_id: other.id,
                event_id: event.id,
                join_ap_id: format!("{}#activities/1", other.ap_id),
                ignore: false,
                reason: Refusal::Full.message().to_owned(),
            })
    );
    let local = t.person("local").await;
    let recorded = t.recorded_for_federation().await.len();
    assert_eq!(
        join_as(&t, &local.principal(), event.id)
            .await
            .expect("an outcome"),
        Joined::Refused(Refusal::Full)
    );
    assert_eq!(
        t.recorded_for_federation().await.len(),
        recorded,
        "a person here is told directly"
    );
    assert_eq!(
        count_role(&t, event.id, ParticipantRole::Participant).await,
        1
    );
}

#[tokio::test]
async fn an_event_registering_elsewhere_has_a_remote_person_told_to_ignore_not_rejected() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let event = event_with(&t, &organizer, |e| {
        e.join_options = Some(JoinOptions::External);
        e.external_participation_url = Some("https://tickets.example.org/x".to_owned());
    })
    .await;
    let far = t.remote_actor("far", ActorKind::Person).await;
    let refused = join_as(&t, &remote(&far, 1), event.id)
        .await
        .expect("answered");
    assert_eq!(refused, Joined::Refused(Refusal::External));
    let ignored = t
        .recorded_for_federation()
        .await
        .into_iter()
        .any(|h| matches!(h, Happened::JoinRefused { ignore: true, .. }));
    assert!(ignored);
}

#[tokio::test]
async fn a_local_actor_cannot_act_as_a_remote_one() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let guest = t.person("guest").await;
    let event = event_with(&t, &organizer, |_| {}).await;
    let err = join_as(&t, &remote(&guest.actor, 1), event.id)
        .await
        .expect_err("local people join through the API");
    assert_eq!(err.code(), "forbidden");
}

#[tokio::test]
async fn a_remote_leave_frees_the_seat_and_sent_again_is_already_done() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let event = event_with(&t, &organizer, |_| {}).await;
    let far = t.remote_actor("far", ActorKind::Person).await;
    join_as(&t, &remote(&far, 1), event.id).await.expect("join");
    let leave = |n| {
        let request = LeaveRequest {
            event_id: event.id,
            ..Default::default()
        };
        let principal = remote(&far, n);
        let ctx = t.ctx.clone();
        async move { participations::leave(&ctx, &principal, request).await }
    };
    assert!(matches!(leave(2).await.expect("leave"), Left::Left(_)));
    assert_eq!(leave(3).await.expect("again"), Left::NotTakingPart);
    assert_eq!(
        count_role(&t, event.id, ParticipantRole::Participant).await,
        0
    );
}

/// Records that `far.example` runs `software`, as its NodeInfo would say.
async fn far_runs(t: &TestContext, software: &str) {
    let facts = crate::instances::software::NodeFacts {
        software: Some(software.to_owned()),
        ..Default::default()
    };
    crate::instances::software::record(&t.ctx.db, "far.example", facts, t.ctx.now())
        .await
        .expect("recorded");
}

/// A public event of `far.example`'s group (a Mobilizon), stored here as its `Create` would.
async fn remote_event(t: &TestContext, organizer: &entity::actor::Model) -> entity::event::Model {
    far_runs(t, "mobilizon").await;
    let starts = t.ctx.now() + Duration::days(3);
    let remote = crate::events::federated::RemoteEvent {
        ap_id: "https://far.example/events/1".to_owned(),
        url: "https://far.example/events/1".to_owned(),
        title: "Repair café elsewhere".to_owned(),
        description: String::new(),
        begins_on: starts,
        ends_on: None,
        timezone: None,
        status: entity::event::EventStatus::Confirmed,
        visibility: entity::event::EventVisibility::Public,
        join_options: JoinOptions::Restricted,
        external_participation_url: None,
        category: None,
        language: None,
        online_address: None,
        place: None,
        maximum_attendee_capacity: None,
        anonymous_participation: false,
        is_online: false,
        organizer_actor_id: organizer.id,
        attributed_to_id: None,
        tags: Vec::new(),
        published_at: None,
        updated_at: None,
        picture: None,
        series_url: None,
    };
    crate::events::federated::upsert_remote(&t.ctx, remote)
        .await
        .expect("stored")
        .expect("kept")
}

#[tokio::test]
async fn an_event_of_an_instance_whose_software_takes_no_join_is_refused_here_and_on_its_page() {
    let t = TestContext::new().await;
    let organizer = t.remote_actor("organizer", ActorKind::Person).await;
    let event = remote_event(&t, &organizer).await;
    assert!(
        participations::origin_takes_rsvps(&t.ctx.db, &event)
            .await
            .expect("read")
    );
    // Gancio answers a `Join` with a 404.
    far_runs(&t, "gancio").await;
    assert!(
        !participations::origin_takes_rsvps(&t.ctx.db, &event)
            .await
            .expect("read")
    );
    let guest = t.person("guest").await;
    let joined = join_as(&t, &guest.principal(), event.id)
        .await
        .expect("an answer");
    assert_eq!(joined, Joined::Refused(Refusal::OriginTakesNoRsvp));
    assert!(
        !t.recorded_for_federation()
            .await
            .iter()
            .any(|h| matches!(h, Happened::JoinRequested { .. })),
        "no Join is sent"
    );
    let page = participations::offer(&event, t.ctx.now(), None, 0, 0, true, false);
    assert_eq!(page.closed, Some(Refusal::OriginTakesNoRsvp));
    assert!(!page.join);
}

#[tokio::test]
async fn only_the_organizer_of_a_remote_event_answers_our_persons_join_and_once_is_enough() {
    let t = TestContext::new().await;
    let organizer = t.remote_actor("organizer", ActorKind::Person).await;
    let stranger = t.remote_actor("stranger", ActorKind::Person).await;
    let event = remote_event(&t, &organizer).await;
    let guest = t.person("guest").await;
    let Joined::Pending(asked) = join_as(&t, &guest.principal(), event.id)
        .await
        .expect("join")
    else {
        panic!("the event's instance decides");
    };
    assert!(
        t.recorded_for_federation()
            .await
            .contains(&Happened::JoinRequested {
                participant_id: asked.id
            })
    );

    let err = participations::decide(
        &t.ctx,
        &remote(&stranger, 1),
        asked.id,
        ParticipantRole::Participant,
    )
    .await
    .expect_err("not the organizer");
    assert_eq!(err.code(), "forbidden");
    let accepted = participations::decide(
        &t.ctx,
        &remote(&organizer, 2),
        asked.id,
        ParticipantRole::Participant,
    )
    .await
    .expect("accepted");
    assert_eq!(accepted.role, ParticipantRole::Participant);
    let again = participations::decide(
        &t.ctx,
        &remote(&organizer, 3),
        asked.id,
        ParticipantRole::Participant,
    )
    .await
    .expect("an answer sent again");
    assert_eq!(again.updated_at, accepted.updated_at, "changed nothing");

    // Organizers here decide on their own events only, never on another instance's.
    let err = participations::decide(
        &t.ctx,
        &guest.principal(),
        asked.id,
        ParticipantRole::Rejected,
    )
    .await
    .expect_err("not ours to decide");
    assert_eq!(err.code(), "forbidden");
}

#[tokio::test]
async fn whether_an_rsvp_is_by_email_or_by_account_is_the_services_choice() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let event = event_with(&t, &organizer, |e| {
        e.options.anonymous_participation = Some(true);
    })
    .await;
    let anonymous_actor = crate::actors::system::anonymous(&t.ctx.db)
        .await
        .expect("anonymous actor");
    let guest = t.person("guest").await;
    let with = |actor_id: Option<i64>, email: Option<&str>| JoinRequest {
        event_id: event.id,
        actor_id,
        email: email.map(str::to_owned),
        ..Default::default()
    };
    let outcome = |principal: Principal, request: JoinRequest| {
        let ctx = t.ctx.clone();
        async move { participations::join(&ctx, &principal, &Client::Local, request).await }
    };

    // Without an account, with an address: by email.
    let by_email = outcome(Principal::Anonymous, with(None, Some("a@example.org"))).await;
    assert!(matches!(by_email, Ok(Joined::AwaitingConfirmation(_))));
    // The anonymous actor named, as Mobilizon's clients do: by email, logged in or not.
    let named = outcome(
        guest.principal(),
        with(Some(anonymous_actor.id), Some("b@example.org")),
    )
    .await;
    assert!(matches!(named, Ok(Joined::AwaitingConfirmation(_))));
    // ... but then an address is needed.
    let err = outcome(Principal::Anonymous, with(Some(anonymous_actor.id), None))
        .await
        .expect_err("no address");
    assert_eq!(err.code(), "invalid");
    // Without an account or an address: log in first.
    let err = outcome(Principal::Anonymous, with(None, None))
        .await
        .expect_err("nobody");
    assert_eq!(err.code(), "unauthenticated");
    // Logged in, an address given along: their account's RSVP.
    let account = outcome(guest.principal(), with(None, Some("c@example.org"))).await;
    assert!(matches!(account, Ok(Joined::Going(p)) if p.actor_id == guest.actor.id));
}

#[tokio::test]
async fn the_event_page_is_offered_what_the_service_would_accept() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let event = event_with(&t, &organizer, |e| {
        e.options.maximum_attendee_capacity = Some(1);
        e.options.anonymous_participation = Some(true);
        e.options.waitlist = Some(false);
    })
    .await;
    let now = t.ctx.now();
    let open = participations::offer(&event, now, None, 0, 0, false, true);
    assert!(open.log_in_to_join && open.join_by_email && !open.join);
    let guest = t.person("guest").await;
    join(&t, &guest, event.id).await.expect("the only seat");
    let full = participations::offer(&event, now, None, 1, 0, true, true);
    assert_eq!(full.closed, Some(Refusal::Full));
    let late = t.person("late").await;
    assert_eq!(
        join(&t, &late, event.id).await.expect_err("full").code(),
        Refusal::Full.code(),
        "refused as the page said"
    );
    let mine = participations::offer(
        &event,
        now,
        Some(ParticipantRole::Participant),
        1,
        0,
        true,
        true,
    );
    assert!(mine.closed.is_none() && mine.leave && !mine.join);
}
