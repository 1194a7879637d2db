use chrono::{Duration, Timelike};
use entity::event::{EventStatus, JoinOptions};
use entity::job::{self, JobState};
use entity::participant::{self, ParticipantRole};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::{JoinRequest, Joined, LeaveRequest, Left, service};
use crate::events::{self, EventChanges, EventOptions};
use crate::principal::Principal;
use crate::rate_limits::Client;
use crate::testing::{TestContext, TestPerson, new_event};

async fn event_with(
    t: &TestContext,
    organizer: &TestPerson,
    adjust: impl FnOnce(&mut events::NewEvent),
) -> entity::event::Model {
    let mut new = new_event("Repair café", t.ctx.now() + Duration::days(3));
    adjust(&mut new);
    events::service::create(&t.ctx, &organizer.principal(), new)
        .await
        .expect("create event")
}

async fn join(
    t: &TestContext,
    who: &TestPerson,
    event_id: i64,
) -> crate::Result<participant::Model> {
    let request = JoinRequest {
        event_id,
        ..Default::default()
    };
    super::join(&t.ctx, &who.principal(), &Client::Local, request)
        .await
        .and_then(Joined::into_participation)
}

async fn leave(
    t: &TestContext,
    principal: &Principal,
    event_id: i64,
) -> crate::Result<participant::Model> {
    let request = LeaveRequest {
        event_id,
        ..Default::default()
    };
    super::leave(&t.ctx, principal, request)
        .await
        .and_then(Left::into_participation)
}

async fn count_role(t: &TestContext, event_id: i64, role: ParticipantRole) -> u64 {
    participant::Entity::find()
        .filter(participant::Column::EventId.eq(event_id))
        .filter(participant::Column::Role.eq(role))
        .count(&t.ctx.db)
        .await
        .expect("count")
}

async fn pending_jobs(t: &TestContext, kind: &str) -> Vec<job::Model> {
    job::Entity::find()
        .filter(job::Column::Kind.eq(kind))
        .filter(job::Column::State.eq(JobState::Pending))
        .all(&t.ctx.db)
        .await
        .expect("jobs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn capacity_is_never_exceeded_when_200_people_join_at_once() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let event = event_with(&t, &organizer, |e| {
        e.options.maximum_attendee_capacity = Some(50);
        e.options.waitlist = Some(false);
    })
    .await;
    let mut people = Vec::new();
    for i in 0..200 {
        people.push(t.person(&format!("guest{i}")).await);
    }
    let mut tasks = Vec::new();
    for person in people {
        let ctx = t.ctx.clone();
        tasks.push(tokio::spawn(async move {
            let request = JoinRequest {
                event_id: event.id,
                ..Default::default()
            };
            super::join(&ctx, &person.principal(), &Client::Local, request)
                .await
                .and_then(Joined::into_participation)
        }));
    }
    let (mut joined, mut full, mut other) = (0, 0, Vec::new());
    for task in tasks {
        match task.await.expect("task") {
            Ok(_) => joined += 1,
            Err(e) if e.code() == "event_full" => full += 1,
            Err(e) => other.push(format!("{}: {e}", e.code())),
        }
    }
    assert!(other.is_empty(), "unexpected errors: {other:?}");
    assert_eq!((joined, full), (50, 150));
    assert_eq!(
        count_role(&t, event.id, ParticipantRole::Participant).await,
        50
    );
}

#[tokio::test]
async fn joining_twice_is_a_conflict_not_a_second_row() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let guest = t.person("guest").await;
    let event = event_with(&t, &organizer, |_| {}).await;
    join(&t, &guest, event.id).await.expect("first join");
    let err = join(&t, &guest, event.id).await.expect_err("second join");
    assert_eq!(err.code(), "conflict");
    assert_eq!(
        count_role(&t, event.id, ParticipantRole::Participant).await,
        1
    );
}

#[tokio::test]
async fn cancelled_past_and_external_events_refuse_participants_with_their_own_codes() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let guest = t.person("guest").await;
    let cancelled = event_with(&t, &organizer, |e| e.status = Some(EventStatus::Cancelled)).await;
    let external = event_with(&t, &organizer, |e| {
        e.join_options = Some(JoinOptions::External);
        e.external_participation_url = Some("https://tickets.example.org/x".to_owned());
    })
    .await;
    let soon = event_with(&t, &organizer, |e| {
        e.begins_on = Some(t.ctx.now() + Duration::hours(1));
        e.ends_on = Some(t.ctx.now() + Duration::hours(2));
    })
    .await;
    t.clock.advance(Duration::hours(3));
    assert_eq!(
        join(&t, &guest, cancelled.id)
            .await
            .expect_err("cancelled")
            .code(),
        "event_cancelled"
    );
    assert_eq!(
        join(&t, &guest, external.id)
            .await
            .expect_err("external")
            .code(),
        "event_external"
    );
    assert_eq!(
        join(&t, &guest, soon.id).await.expect_err("past").code(),
        "event_past"
    );
}

#[tokio::test]
async fn restricted_events_wait_for_the_organizer_who_hears_of_it_and_decides() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let first = t.person("first").await;
    let second = t.person("second").await;
    let event = event_with(&t, &organizer, |e| {
        e.join_options = Some(JoinOptions::Restricted);
        e.options.maximum_attendee_capacity = Some(1);
    })
    .await;
    let a = join(&t, &first, event.id).await.expect("request");
    let b = join(&t, &second, event.id).await.expect("request");
    assert_eq!(a.role, ParticipantRole::NotApproved);
    t.run_due_jobs().await;
    let to_organizer = t.mail_to("organizer@example.org");
    assert!(
        to_organizer.iter().any(|m| m.subject.contains("wait")),
        "organizer told: {:?}",
        to_organizer.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
    // Only those who run the event decide.
    let err = super::decide(
        &t.ctx,
        &second.principal(),
        a.id,
        ParticipantRole::Participant,
    )
    .await
    .expect_err("a guest cannot approve");
    assert_eq!(err.code(), "forbidden");
    super::decide(
        &t.ctx,
        &organizer.principal(),
        a.id,
        ParticipantRole::Participant,
    )
    .await
    .expect("approve");
    let err = super::decide(
        &t.ctx,
        &organizer.principal(),
        b.id,
        ParticipantRole::Participant,
    )
    .await
    .expect_err("no seat left");
    assert_eq!(err.code(), "event_full");
    super::decide(
        &t.ctx,
        &organizer.principal(),
        b.id,
        ParticipantRole::Rejected,
    )
    .await
    .expect("reject");
    t.run_due_jobs().await;
    let approved = t.mail_to("first@example.org");
    let approval = approved
        .iter()
        .find(|m| m.subject.starts_with("Approved"))
        .expect("approval mail");
    let ics = &approval
        .attachments
        .first()
        .expect("calendar attached")
        .content;
    assert!(ics.contains("BEGIN:VCALENDAR"), "{ics}");
    assert!(
        t.mail_to("second@example.org")
            .iter()
            .any(|m| m.subject.contains("declined")),
        "rejection mail"
    );
}

#[tokio::test]
async fn anonymous_participants_confirm_by_mail_and_leave_with_their_link() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let event = event_with(&t, &organizer, |e| {
        e.options.anonymous_participation = Some(true);
        e.options.maximum_attendee_capacity = Some(1);
        e.options.waitlist = Some(false);
    })
    .await;
    let anonymous = |email: &str| JoinRequest {
        event_id: event.id,
        email: Some(email.to_owned()),
        locale: Some("fr".to_owned()),
        ..Default::default()
    };
    let by_email = |email: &str| {
        super::join(
            &t.ctx,
            &Principal::Anonymous,
            &Client::Local,
            anonymous(email),
        )
    };
    let waiting = by_email("Camille@Example.org")
        .await
        .and_then(Joined::into_participation)
        .expect("anonymous join");
    assert_eq!(waiting.role, ParticipantRole::NotConfirmed);
    let err = by_email("camille@example.org")
        .await
        .expect_err("same address twice");
    assert_eq!(err.code(), "conflict");
    t.run_due_jobs().await;
    let mails = t.mail_to("camille@example.org");
    let confirmation = mails.first().expect("confirmation mail");
    assert!(
        confirmation.subject.starts_with("Confirmez"),
        "{}",
        confirmation.subject
    );
    let token = link_token(&confirmation.text, "/participation/email/confirm/");
    let confirmed = service::confirm(&t.ctx, &token).await.expect("confirm");
    assert_eq!(confirmed.role, ParticipantRole::Participant);
    assert_eq!(
        service::confirm(&t.ctx, &token)
            .await
            .expect_err("used link")
            .code(),
        "invalid_token"
    );
    // The only seat is taken: another guest with an account is refused.
    let late = t.person("late").await;
    assert_eq!(
        join(&t, &late, event.id).await.expect_err("full").code(),
        "event_full"
    );
    t.run_due_jobs().await;
    let mails = t.mail_to("camille@example.org");
    let welcome = mails.last().expect("confirmed mail");
    let cancel = link_token(
        &welcome.text,
        &format!("/participation/email/cancel/{}/", event.uuid),
    );
    let request = LeaveRequest {
        event_id: event.id,
        token: Some(cancel),
        ..Default::default()
    };
    super::leave(&t.ctx, &Principal::Anonymous, request)
        .await
        .expect("leave");
    join(&t, &late, event.id).await.expect("the freed seat");
}

#[tokio::test]
async fn events_without_anonymous_participation_refuse_it() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let event = event_with(&t, &organizer, |_| {}).await;
    let err = super::join(
        &t.ctx,
        &Principal::Anonymous,
        &Client::Local,
        JoinRequest {
            event_id: event.id,
            email: Some("someone@example.org".to_owned()),
            ..Default::default()
        },
    )
    .await
    .and_then(Joined::into_participation)
    .expect_err("not allowed");
    assert_eq!(err.code(), "anonymous_participation_disabled");
}

fn link_token(text: &str, path: &str) -> String {
    text.split_whitespace()
        .find_map(|w| w.split_once(path).map(|(_, rest)| rest.to_owned()))
        .unwrap_or_else(|| panic!("no {path} link in {text}"))
}

#[tokio::test]
async fn the_creator_cannot_leave_and_others_can() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let guest = t.person("guest").await;
    let event = event_with(&t, &organizer, |_| {}).await;
    join(&t, &guest, event.id).await.expect("join");
    let err = leave(&t, &organizer.principal(), event.id)
        .await
        .expect_err("creator");
    assert_eq!(err.code(), "creator_cannot_leave");
    leave(&t, &guest.principal(), event.id)
        .await
        .expect("leave");
    assert_eq!(
        leave(&t, &guest.principal(), event.id)
            .await
            .expect_err("twice")
            .code(),
        "not_found"
    );
    assert_eq!(
        leave(&t, &Principal::Anonymous, event.id)
            .await
            .expect_err("anonymous")
            .code(),
        "unauthenticated"
    );
}

#[tokio::test]
async fn one_reminder_goes_an_hour_before_and_follows_the_event_until_it_is_cancelled() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let guest = t
        .person_with("guest", entity::user::UserRole::User, |u| {
            u.notification_before_event = sea_orm::Set(true);
            u.locale = sea_orm::Set("fr".to_owned());
        })
        .await;
    let start = t.ctx.now() + Duration::hours(2);
    let event = event_with(&t, &organizer, |e| {
        e.begins_on = Some(start);
        e.ends_on = Some(start + Duration::hours(1));
    })
    .await;
    join(&t, &guest, event.id).await.expect("join");
    let planned = pending_jobs(&t, super::reminders::BEFORE_EVENT_JOB).await;
    assert_eq!(planned.len(), 1);
    assert_eq!(planned[0].run_at, start - Duration::hours(1));

    let later = start + Duration::days(1);
    events::service::update(
        &t.ctx,
        &organizer.principal(),
        event.id,
        EventChanges {
            begins_on: Some(later),
            ends_on: Some(later + Duration::hours(1)),
            ..Default::default()
        },
    )
    .await
    .expect("move");
    let planned = pending_jobs(&t, super::reminders::BEFORE_EVENT_JOB).await;
    assert_eq!(planned.len(), 1);
    assert_eq!(planned[0].run_at, later - Duration::hours(1));

    // Nothing is sent before its time; then exactly one mail, in French and Paris time.
    t.run_due_jobs().await;
    let before = t.mail_to("guest@example.org").len();
    t.clock.advance(Duration::days(1) + Duration::hours(1));
    t.run_due_jobs().await;
    let mails = t.mail_to("guest@example.org");
    let reminders: Vec<_> = mails[before..]
        .iter()
        .filter(|m| m.subject.starts_with("Bientôt"))
        .collect();
    assert_eq!(
        reminders.len(),
        1,
        "{:?}",
        mails.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
    let local = later.with_timezone(&chrono_tz::Europe::Paris);
    let hour = format!("{:02}:{:02}", local.hour(), local.minute());
    assert!(
        reminders[0].text.contains(&hour),
        "local time {hour} in {}",
        reminders[0].text
    );
    assert!(
        reminders[0].text.contains("Europe/Paris"),
        "{}",
        reminders[0].text
    );
}

#[tokio::test]
async fn cancelling_an_event_or_leaving_it_drops_its_reminders() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let reminded = |u: &mut entity::user::ActiveModel| {
        u.notification_before_event = sea_orm::Set(true);
    };
    let a = t
        .person_with("a", entity::user::UserRole::User, reminded)
        .await;
    let b = t
        .person_with("b", entity::user::UserRole::User, reminded)
        .await;
    let event = event_with(&t, &organizer, |_| {}).await;
    join(&t, &a, event.id).await.expect("join");
    join(&t, &b, event.id).await.expect("join");
    assert_eq!(
        pending_jobs(&t, super::reminders::BEFORE_EVENT_JOB)
            .await
            .len(),
        2
    );
    leave(&t, &a.principal(), event.id).await.expect("leave");
    assert_eq!(
        pending_jobs(&t, super::reminders::BEFORE_EVENT_JOB)
            .await
            .len(),
        1
    );
    events::service::update(
        &t.ctx,
        &organizer.principal(),
        event.id,
        EventChanges {
            status: Some(EventStatus::Cancelled),
            ..Default::default()
        },
    )
    .await
    .expect("cancel");
    assert!(
        pending_jobs(&t, super::reminders::BEFORE_EVENT_JOB)
            .await
            .is_empty()
    );
    t.run_due_jobs().await;
    assert!(
        t.mail_to("b@example.org")
            .iter()
            .any(|m| m.subject.starts_with("Cancelled")),
        "cancellation mail"
    );
}

#[tokio::test]
async fn the_morning_reminder_lists_the_days_events_at_eight_in_the_users_zone() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let guest = t
        .person_with("guest", entity::user::UserRole::User, |u| {
            u.notification_on_day = sea_orm::Set(true);
            u.timezone = sea_orm::Set(Some("America/Montreal".to_owned()));
        })
        .await;
    // 2026-11-26 at 18:00 and 20:00 in Montreal (UTC-5).
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
    let at = |h| day.and_hms_opt(h, 0, 0).expect("time").and_utc() + Duration::hours(5);
    for (title, hour) in [("Assembly", 18), ("Dinner", 20)] {
        let event = event_with(&t, &organizer, |e| {
            e.title = title.to_owned();
            e.begins_on = Some(at(hour));
            e.ends_on = Some(at(hour) + Duration::hours(1));
            e.options = EventOptions {
                timezone: Some("America/Montreal".to_owned()),
                ..Default::default()
            };
        })
        .await;
        join(&t, &guest, event.id).await.expect("join");
    }
    let planned = pending_jobs(&t, super::reminders::ON_DAY_JOB).await;
    assert_eq!(planned.len(), 1, "one morning mail for the day");
    assert_eq!(planned[0].run_at, at(8));
    t.clock.set(at(8));
    t.run_due_jobs().await;
    let mail = t
        .mail_to("guest@example.org")
        .into_iter()
        .find(|m| m.subject.starts_with("Today"))
        .expect("morning mail");
    assert_eq!(mail.subject, "Today: your 2 events");
    assert!(
        mail.text.contains("Assembly") && mail.text.contains("Dinner"),
        "{}",
        mail.text
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_rsvp_releases_the_event_at_once() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let guest = t.person("guest").await;
    let first = t.person("first").await;
    let event = event_with(&t, &organizer, |e| {
        e.options.maximum_attendee_capacity = Some(1);
        e.options.waitlist = Some(false);
    })
    .await;
    join(&t, &first, event.id).await.expect("the only seat");
    for _ in 0..3 {
        let err = join(&t, &guest, event.id).await.expect_err("full");
        assert_eq!(err.code(), "event_full");
    }
    // The refused requests locked the event; editing it must not wait for their connections.
    let principal = organizer.principal();
    let edit = events::service::update(
        &t.ctx,
        &principal,
        event.id,
        EventChanges {
            title: Some("Repair café, bigger room".to_owned()),
            ..Default::default()
        },
    );
    tokio::time::timeout(std::time::Duration::from_secs(5), edit)
        .await
        .expect("the event is not left locked")
        .expect("edit");
}

#[tokio::test]
async fn a_burst_of_rsvps_to_a_federated_event_sends_one_count_update_a_little_later() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let event = event_with(&t, &alice, |_| {}).await;
    for name in ["bob", "carol", "dave"] {
        let person = t.person(name).await;
        join(&t, &person, event.id).await.expect("joined");
    }
    let planned = job::Entity::find()
        .filter(job::Column::Kind.eq(crate::outbox::PUBLISH_JOB))
        .filter(job::Column::UniqueKey.eq(format!("participants-changed:{}", event.id)))
        .filter(job::Column::State.eq(JobState::Pending))
        .all(&t.ctx.db)
        .await
        .expect("jobs");
    assert_eq!(planned.len(), 1, "one Update for the three RSVPs");
    assert!(
        planned[0].run_at > t.ctx.now(),
        "it waits for the burst to end"
    );
    let what: crate::outbox::Happened =
        serde_json::from_value(planned[0].payload.clone()).expect("a recorded fact");
    assert_eq!(
        what,
        crate::outbox::Happened::EventUpdated { event_id: event.id }
    );
}

mod one_function;
mod waitlist;
