//! The waitlist: a full event puts newcomers in line with a position, and every way a seat
//! frees (a leave here or from another instance, a decline, a bigger capacity) hands it to the
//! first in line in the same transaction, who is told and reminded.

use entity::actor::ActorKind;
use entity::event::JoinOptions;
use entity::participant::{self, ParticipantRole};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{count_role, event_with, join, leave, link_token, pending_jobs};
use crate::events::{self, EventChanges, EventOptions};
use crate::outbox::Happened;
use crate::participations::policy::{
    JoinFacts, OfferFacts, Refusal, SeatFacts, offer, place_on_join, seats_for_waiting,
};
use crate::participations::{self, JoinRequest, Joined, LeaveRequest, waitlist};
use crate::principal::Principal;
use crate::rate_limits::Client;
use crate::testing::{TestContext, TestPerson};
use entity::event::EventStatus;

/// (restricted, capacity, waitlist, participants, pending, waiting) -> place
#[test]
fn newcomers_take_a_free_seat_or_get_in_line_and_never_pass_those_waiting() {
    use crate::participations::waitlist::Line;
    use ParticipantRole::*;
    let cases = [
        (false, Some(2), true, 1, 0, 0, Ok(Participant)),
        (true, Some(2), true, 1, 0, 0, Ok(NotApproved)),
        (false, Some(2), true, 2, 0, 0, Ok(Waitlisted)),
        (false, Some(2), true, 1, 0, 1, Ok(Waitlisted)),
        (true, Some(2), true, 1, 1, 1, Ok(Waitlisted)),
        (false, Some(2), false, 2, 0, 0, Err(Refusal::Full)),
        (false, None, true, 500, 0, 0, Ok(Participant)),
    ];
    for (restricted, capacity, waitlist, participants, not_approved, waiting, expected) in cases {
        let join_options = if restricted {
            JoinOptions::Restricted
        } else {
            JoinOptions::Free
        };
        let facts = SeatFacts {
            join_options,
            capacity,
            waitlist,
            line: Line {
                participants,
                not_approved,
                waiting,
            },
        };
        assert_eq!(place_on_join(facts), expected, "{facts:?}");
    }
}

/// (join options, capacity, participants, pending, waiting) -> how many move up
#[test]
fn those_in_line_move_up_into_seats_neither_taken_nor_claimed_by_a_request() {
    use crate::participations::waitlist::Line;
    use JoinOptions::{Free, Invite, Restricted};
    let cases = [
        (Free, Some(3), 3, 0, 5, 0),
        (Free, Some(3), 1, 0, 5, 2),
        (Free, Some(3), 1, 0, 1, 1),
        (Restricted, Some(3), 1, 1, 5, 1),
        (Restricted, Some(3), 1, 2, 5, 0),
        (Invite, Some(3), 1, 1, 5, 1),
        (Free, None, 10, 0, 4, 4),
        (Free, Some(3), 5, 0, 2, 0),
    ];
    for (join_options, capacity, participants, not_approved, waiting, expected) in cases {
        let line = Line {
            participants,
            not_approved,
            waiting,
        };
        assert_eq!(
            seats_for_waiting(join_options, capacity, line),
            expected,
            "{join_options:?} {capacity:?} {line:?}"
        );
    }
}

#[test]
fn a_full_event_with_a_waitlist_offers_to_join_the_line_instead_of_closing() {
    let open = JoinFacts {
        join_options: JoinOptions::Free,
        status: EventStatus::Confirmed,
        over: false,
        draft: false,
    };
    let newcomer = offer(OfferFacts {
        event: open,
        full: true,
        waitlist: true,
        takes_anonymous: true,
        role: None,
        signed_in: true,
        origin_takes_rsvps: true,
    });
    assert_eq!(newcomer.closed, None);
    assert!(newcomer.join && newcomer.joins_waitlist);
    let waiting = offer(OfferFacts {
        event: open,
        full: true,
        waitlist: true,
        takes_anonymous: true,
        role: Some(ParticipantRole::Waitlisted),
        signed_in: true,
        origin_takes_rsvps: true,
    });
    assert!(waiting.leave && !waiting.join && !waiting.joins_waitlist);
}

async fn position(t: &TestContext, participant_id: i64) -> Option<u64> {
    let row = participations::find(&t.ctx.db, participant_id)
        .await
        .expect("participation");
    waitlist::position(&t.ctx.db, &row).await.expect("position")
}

async fn role(t: &TestContext, participant_id: i64) -> ParticipantRole {
    participations::find(&t.ctx.db, participant_id)
        .await
        .expect("participation")
        .role
}

/// A person who asked to be reminded an hour before their events.
async fn reminded_person(t: &TestContext, name: &str) -> TestPerson {
    t.person_with(name, entity::user::UserRole::User, |u| {
        u.notification_before_event = sea_orm::Set(true);
    })
    .await
}

#[tokio::test]
async fn a_full_event_puts_newcomers_in_line_and_a_leave_hands_the_seat_to_the_first() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let event = event_with(&t, &organizer, |e| {
        e.options.maximum_attendee_capacity = Some(2);
    })
    .await;
    assert!(event.waitlist, "on by default");
    let (ana, bo) = (t.person("ana").await, t.person("bo").await);
    let cy = reminded_person(&t, "cy").await;
    let (dee, eve) = (t.person("dee").await, t.person("eve").await);
    join(&t, &ana, event.id).await.expect("seat");
    join(&t, &bo, event.id).await.expect("seat");
    let mut waiting = Vec::new();
    for person in [&cy, &dee, &eve] {
        let request = JoinRequest {
            event_id: event.id,
            ..Default::default()
        };
        let joined = participations::join(&t.ctx, &person.principal(), &Client::Local, request)
            .await
            .expect("an outcome");
        let Joined::Waitlisted(row) = joined else {
            panic!("a full event puts newcomers in line: {joined:?}");
        };
        waiting.push(row);
    }
    let positions = [
        position(&t, waiting[0].id).await,
        position(&t, waiting[1].id).await,
        position(&t, waiting[2].id).await,
    ];
    assert_eq!(positions, [Some(1), Some(2), Some(3)]);
    t.run_due_jobs().await;
    let told = t.mail_to("dee@example.org");
    assert!(
        told.iter().any(|m| m.text.contains("2nd on the waitlist")),
        "{:?}",
        told.iter().map(|m| &m.text).collect::<Vec<_>>()
    );
    assert!(
        pending_jobs(&t, crate::participations::reminders::BEFORE_EVENT_JOB)
            .await
            .is_empty(),
        "nobody in line is reminded"
    );

    leave(&t, &ana.principal(), event.id).await.expect("leave");
    assert_eq!(role(&t, waiting[0].id).await, ParticipantRole::Participant);
    assert_eq!(position(&t, waiting[1].id).await, Some(1));
    assert_eq!(position(&t, waiting[2].id).await, Some(2));
    assert_eq!(
        count_role(&t, event.id, ParticipantRole::Participant).await,
        2
    );
    let reminders = pending_jobs(&t, crate::participations::reminders::BEFORE_EVENT_JOB).await;
    assert_eq!(
        reminders.len(),
        1,
        "the promoted person gets the usual reminder"
    );
    t.run_due_jobs().await;
    let mails = t.mail_to("cy@example.org");
    let promoted: Vec<_> = mails
        .iter()
        .filter(|m| m.subject.starts_with("A seat is yours"))
        .collect();
    assert_eq!(promoted.len(), 1, "told once");
    let ics = &promoted[0]
        .attachments
        .first()
        .expect("the event attached")
        .content;
    assert!(ics.contains("BEGIN:VEVENT"), "{ics}");

    // Leaving the line is the same leave, and frees no seat.
    leave(&t, &dee.principal(), event.id)
        .await
        .expect("leave the line");
    assert_eq!(position(&t, waiting[2].id).await, Some(1));
    assert_eq!(
        count_role(&t, event.id, ParticipantRole::Waitlisted).await,
        1
    );
}

#[tokio::test]
async fn an_event_without_a_waitlist_refuses_when_full_and_its_organizer_can_turn_it_on() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let event = event_with(&t, &organizer, |e| {
        e.options.maximum_attendee_capacity = Some(1);
        e.options.waitlist = Some(false);
    })
    .await;
    join(&t, &t.person("ana").await, event.id)
        .await
        .expect("seat");
    let bo = t.person("bo").await;
    assert_eq!(
        join(&t, &bo, event.id).await.expect_err("full").code(),
        "event_full"
    );
    let changes = EventChanges {
        options: EventOptions {
            waitlist: Some(true),
            ..Default::default()
        },
        ..Default::default()
    };
    events::service::update(&t.ctx, &organizer.principal(), event.id, changes)
        .await
        .expect("update");
    let row = join(&t, &bo, event.id).await.expect("in line");
    assert_eq!(row.role, ParticipantRole::Waitlisted);
}

#[tokio::test]
async fn a_decline_and_a_bigger_capacity_hand_seats_to_those_in_line_in_order() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let event = event_with(&t, &organizer, |e| {
        e.options.maximum_attendee_capacity = Some(1);
    })
    .await;
    let seated = join(&t, &t.person("ana").await, event.id)
        .await
        .expect("seat");
    let mut line = Vec::new();
    for name in ["bo", "cy", "dee", "eve"] {
        line.push(
            join(&t, &t.person(name).await, event.id)
                .await
                .expect("line"),
        );
    }
    participations::decide(
        &t.ctx,
        &organizer.principal(),
        seated.id,
        ParticipantRole::Rejected,
    )
    .await
    .expect("decline");
    assert_eq!(role(&t, line[0].id).await, ParticipantRole::Participant);
    assert_eq!(position(&t, line[1].id).await, Some(1));

    let changes = EventChanges {
        options: EventOptions {
            maximum_attendee_capacity: Some(3),
            ..Default::default()
        },
        ..Default::default()
    };
    events::service::update(&t.ctx, &organizer.principal(), event.id, changes)
        .await
        .expect("more seats");
    assert_eq!(role(&t, line[1].id).await, ParticipantRole::Participant);
    assert_eq!(role(&t, line[2].id).await, ParticipantRole::Participant);
    assert_eq!(position(&t, line[3].id).await, Some(1));
    assert_eq!(
        count_role(&t, event.id, ParticipantRole::Participant).await,
        3
    );
}

#[tokio::test]
async fn a_restricted_event_turns_the_first_in_line_into_a_request_one_at_a_time() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let event = event_with(&t, &organizer, |e| {
        e.join_options = Some(JoinOptions::Restricted);
        e.options.maximum_attendee_capacity = Some(1);
    })
    .await;
    let ana = t.person("ana").await;
    let asked = join(&t, &ana, event.id).await.expect("request");
    assert_eq!(asked.role, ParticipantRole::NotApproved);
    participations::decide(
        &t.ctx,
        &organizer.principal(),
        asked.id,
        ParticipantRole::Participant,
    )
    .await
    .expect("approve");
    let bo = join(&t, &t.person("bo").await, event.id)
        .await
        .expect("line");
    let cy = join(&t, &t.person("cy").await, event.id)
        .await
        .expect("line");
    assert_eq!(bo.role, ParticipantRole::Waitlisted);

    leave(&t, &ana.principal(), event.id).await.expect("leave");
    assert_eq!(role(&t, bo.id).await, ParticipantRole::NotApproved);
    assert_eq!(
        position(&t, cy.id).await,
        Some(1),
        "a request holds the seat while people wait"
    );
    // Someone new does not pass those waiting, though no seat is taken yet.
    let dee = join(&t, &t.person("dee").await, event.id)
        .await
        .expect("line");
    assert_eq!(position(&t, dee.id).await, Some(2));

    participations::decide(
        &t.ctx,
        &organizer.principal(),
        bo.id,
        ParticipantRole::Rejected,
    )
    .await
    .expect("decline");
    assert_eq!(role(&t, cy.id).await, ParticipantRole::NotApproved);
    assert_eq!(position(&t, dee.id).await, Some(1));
    t.run_due_jobs().await;
    assert!(
        t.mail_to("cy@example.org")
            .iter()
            .any(|m| m.subject.contains("is waiting")),
        "told their request waits for the organizers"
    );
}

#[tokio::test]
async fn a_remote_person_waits_in_line_and_their_instance_hears_the_accept_when_a_remote_leave_frees_a_seat()
 {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let event = event_with(&t, &organizer, |e| {
        e.options.maximum_attendee_capacity = Some(1);
    })
    .await;
    let (far, other) = (
        t.remote_actor("far", ActorKind::Person).await,
        t.remote_actor("other", ActorKind::Person).await,
    );
    let remote = |actor: &entity::actor::Model, n: u32| Principal::Remote {
        actor_id: actor.id,
        activity_id: format!("{}#activities/{n}", actor.ap_id),
    };
    let request = || JoinRequest {
        event_id: event.id,
        ..Default::default()
    };
    participations::join(&t.ctx, &remote(&far, 1), &Client::Local, request())
        .await
        .expect("seat");
    let joined = participations::join(&t.ctx, &remote(&other, 1), &Client::Local, request())
        .await
        .expect("an outcome");
    let Joined::Waitlisted(waiting) = joined else {
        panic!("in line: {joined:?}");
    };
    let accepted = Happened::ParticipationAnswered {
        participant_id: waiting.id,
    };
    assert!(!t.recorded_for_federation().await.contains(&accepted));

    let leave = LeaveRequest {
        event_id: event.id,
        ..Default::default()
    };
    participations::leave(&t.ctx, &remote(&far, 2), leave)
        .await
        .expect("remote leave");
    assert_eq!(role(&t, waiting.id).await, ParticipantRole::Participant);
    let recorded = t.recorded_for_federation().await;
    assert_eq!(recorded.iter().filter(|h| **h == accepted).count(), 1);
}

#[tokio::test]
async fn a_participant_by_email_waits_in_line_once_confirmed_and_leaves_it_with_their_link() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let event = event_with(&t, &organizer, |e| {
        e.options.maximum_attendee_capacity = Some(1);
        e.options.anonymous_participation = Some(true);
    })
    .await;
    join(&t, &t.person("ana").await, event.id)
        .await
        .expect("seat");
    let request = JoinRequest {
        event_id: event.id,
        email: Some("camille@example.org".to_owned()),
        ..Default::default()
    };
    let joined = participations::join(&t.ctx, &Principal::Anonymous, &Client::Local, request)
        .await
        .expect("an outcome");
    assert!(
        matches!(joined, Joined::AwaitingConfirmation(_)),
        "{joined:?}"
    );
    t.run_due_jobs().await;
    let mails = t.mail_to("camille@example.org");
    let token = link_token(&mails[0].text, "/participation/email/confirm/");
    let confirmed = participations::confirm(&t.ctx, &token)
        .await
        .expect("confirm");
    assert_eq!(confirmed.role, ParticipantRole::Waitlisted);
    assert_eq!(position(&t, confirmed.id).await, Some(1));
    t.run_due_jobs().await;
    let mails = t.mail_to("camille@example.org");
    let told = mails.last().expect("in line mail");
    assert!(told.text.contains("1st on the waitlist"), "{}", told.text);
    let cancel = link_token(
        &told.text,
        &format!("/participation/email/cancel/{}/", event.uuid),
    );
    let request = LeaveRequest {
        event_id: event.id,
        token: Some(cancel),
        ..Default::default()
    };
    participations::leave(&t.ctx, &Principal::Anonymous, request)
        .await
        .expect("leave the line");
    assert_eq!(
        count_role(&t, event.id, ParticipantRole::Waitlisted).await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn people_joining_and_leaving_at_once_keep_one_line_without_gaps_or_doubles() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let event = event_with(&t, &organizer, |e| {
        e.options.maximum_attendee_capacity = Some(10);
    })
    .await;
    let mut people = Vec::new();
    for i in 0..60 {
        people.push(t.person(&format!("guest{i}")).await);
    }
    let mut tasks = Vec::new();
    for person in people.clone() {
        let ctx = t.ctx.clone();
        tasks.push(tokio::spawn(async move {
            let request = JoinRequest {
                event_id: event.id,
                ..Default::default()
            };
            participations::join(&ctx, &person.principal(), &Client::Local, request).await
        }));
    }
    for task in tasks {
        task.await.expect("task").expect("joined or in line");
    }
    let line = participant::Entity::find()
        .filter(participant::Column::EventId.eq(event.id))
        .filter(participant::Column::Role.eq(ParticipantRole::Waitlisted))
        .order_by_asc(participant::Column::WaitlistRank)
        .all(&t.ctx.db)
        .await
        .expect("line");
    let mut positions = Vec::new();
    for row in &line {
        positions.push(position(&t, row.id).await.expect("a place"));
    }
    assert_eq!(positions, (1..=50).collect::<Vec<u64>>());
    assert_eq!(
        count_role(&t, event.id, ParticipantRole::Participant).await,
        10
    );

    let seated: Vec<_> = participant::Entity::find()
        .filter(participant::Column::EventId.eq(event.id))
        .filter(participant::Column::Role.eq(ParticipantRole::Participant))
        .all(&t.ctx.db)
        .await
        .expect("seated")
        .into_iter()
        .map(|p| p.actor_id)
        .collect();
    let mut tasks = Vec::new();
    for person in people
        .into_iter()
        .filter(|p| seated.contains(&p.actor.id))
        .take(5)
    {
        let ctx = t.ctx.clone();
        tasks.push(tokio::spawn(async move {
            let request = LeaveRequest {
                event_id: event.id,
                ..Default::default()
            };
            participations::leave(&ctx, &person.principal(), request).await
        }));
    }
    for task in tasks {
        task.await.expect("task").expect("left");
    }
    for (i, row) in line.iter().enumerate() {
        let expected = if i < 5 {
            ParticipantRole::Participant
        } else {
            ParticipantRole::Waitlisted
        };
        assert_eq!(role(&t, row.id).await, expected, "place {}", i + 1);
    }
    assert_eq!(position(&t, line[5].id).await, Some(1));
}
