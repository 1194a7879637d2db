//! The rules of reports, through the use cases: the same functions for people here,
//! visitors, and other instances.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use chrono::Duration;
use entity::actor::ActorKind;
use entity::report::ReportStatus;
use entity::user::UserRole;

use super::{Filed, NewReport, ReportFilter};
use crate::comments::{NewComment, Target};
use crate::pagination::Page;
use crate::principal::Principal;
use crate::rate_limits::Client;
use crate::testing::{TestContext, TestPerson, new_event};

async fn event(t: &TestContext, organizer: &TestPerson) -> entity::event::Model {
    let new = new_event("Repair café", t.ctx.now() + Duration::days(3));
    crate::events::service::create(&t.ctx, &organizer.principal(), new)
        .await
        .expect("create event")
}

async fn comment(t: &TestContext, author: &TestPerson, event_id: i64) -> entity::comment::Model {
    let new = NewComment {
        target: Target::Event(event_id),
        text: "<p>Buy cheap watches</p>".to_owned(),
        is_announcement: false,
        language: None,
        identity: None,
        remote: None,
    };
    crate::comments::create(&t.ctx, &author.principal(), new)
        .await
        .expect("comment")
        .into_comment()
}

fn about(actor: &entity::actor::Model) -> NewReport {
    NewReport {
        reported_actor_id: actor.id,
        content: Some("Spam".to_owned()),
        ..Default::default()
    }
}

async fn report(t: &TestContext, by: &Principal, new: NewReport) -> crate::Result<Filed> {
    super::create(&t.ctx, by, &Client::Local, new).await
}

#[tokio::test]
async fn a_member_reports_a_comment_and_moderators_see_it_with_the_comment() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let spammer = t.person("spammer").await;
    let alice = t.person("alice").await;
    let moderator = t.person_with("modo", UserRole::Moderator, |_| {}).await;
    let event = event(&t, &organizer).await;
    let spam = comment(&t, &spammer, event.id).await;

    let filed = report(
        &t,
        &alice.principal(),
        NewReport {
            comment_ids: vec![spam.id, spam.id],
            ..about(&spammer.actor)
        },
    )
    .await
    .expect("report");
    let Filed::New(filed) = filed else {
        panic!("a new report")
    };
    assert_eq!(filed.status, ReportStatus::Open);
    assert_eq!(filed.reporter_actor_id, alice.actor.id);
    assert!(filed.local);

    let listed = super::list(
        &t.ctx.db,
        &moderator.principal(),
        ReportFilter::default(),
        Page::default(),
    )
    .await
    .expect("list");
    assert_eq!(listed.total, 1);
    assert_eq!(listed.elements[0].id, filed.id);
    let comments = super::comments_of(&t.ctx.db, filed.id).await.unwrap();
    assert_eq!(comments.iter().map(|c| c.id).collect::<Vec<_>>(), [spam.id]);
}

#[tokio::test]
async fn only_moderators_and_administrators_read_and_settle_reports() {
    let t = TestContext::new().await;
    let spammer = t.person("spammer").await;
    let alice = t.person("alice").await;
    let admin = t.person_with("boss", UserRole::Administrator, |_| {}).await;
    let filed = report(&t, &alice.principal(), about(&spammer.actor))
        .await
        .unwrap();
    let id = filed.report().id;

    for (who, code) in [
        (Principal::Anonymous, "unauthenticated"),
        (alice.principal(), "forbidden"),
        (spammer.principal(), "forbidden"),
    ] {
        let err = super::find_reviewable(&t.ctx.db, &who, id)
            .await
            .unwrap_err();
        assert_eq!(err.code(), code);
        let err = super::list(&t.ctx.db, &who, ReportFilter::default(), Page::default())
            .await
            .unwrap_err();
        assert_eq!(err.code(), code);
        let err = super::update_status(&t.ctx, &who, id, ReportStatus::Closed)
            .await
            .unwrap_err();
        assert_eq!(err.code(), code);
        let err = super::create_note(&t.ctx, &who, id, "hm")
            .await
            .unwrap_err();
        assert_eq!(err.code(), code);
    }
    let report = super::find_reviewable(&t.ctx.db, &admin.principal(), id)
        .await
        .expect("admins review");
    assert_eq!(report.id, id);
}

#[tokio::test]
async fn the_reporter_hears_the_outcome_once_by_mail_in_their_language() {
    let t = TestContext::new().await;
    let spammer = t.person("spammer").await;
    let alice = t
        .person_with("alice", UserRole::User, |u| {
            u.locale = sea_orm::Set("fr".to_owned());
        })
        .await;
    let moderator = t.person_with("modo", UserRole::Moderator, |_| {}).await;
    let id = report(&t, &alice.principal(), about(&spammer.actor))
        .await
        .unwrap()
        .report()
        .id;

    let settled = super::update_status(&t.ctx, &moderator.principal(), id, ReportStatus::Resolved)
        .await
        .expect("resolve");
    assert_eq!(settled.status, ReportStatus::Resolved);
    super::update_status(&t.ctx, &moderator.principal(), id, ReportStatus::Closed)
        .await
        .expect("close");
    t.run_due_jobs().await;

    let mail = t.mail_to("alice@example.org");
    assert_eq!(mail.len(), 1, "one mail, when the report was settled");
    assert!(
        mail[0].subject.contains("signalement"),
        "{}",
        mail[0].subject
    );
    assert!(mail[0].text.contains("spammer"), "{}", mail[0].text);
    assert!(t.mail_to("spammer@example.org").is_empty());
}

#[tokio::test]
async fn visitors_report_with_an_address_only_when_the_instance_allows_it() {
    let t = TestContext::new().await;
    let spammer = t.person("spammer").await;
    let err = report(
        &t,
        &Principal::Anonymous,
        NewReport {
            email: Some("visitor@example.net".to_owned()),
            ..about(&spammer.actor)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "unauthenticated");

    let t2 = TestContext::with_settings(|s| s.instance.anonymous_reports = true).await;
    let spammer = t2.person("spammer").await;
    let moderator2 = t2.person_with("modo", UserRole::Moderator, |_| {}).await;
    let err = report(&t2, &Principal::Anonymous, about(&spammer.actor))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    let filed = report(
        &t2,
        &Principal::Anonymous,
        NewReport {
            email: Some(" Visitor@Example.net ".to_owned()),
            ..about(&spammer.actor)
        },
    )
    .await
    .expect("anonymous report");
    let anonymous = crate::actors::system::anonymous(&t2.ctx.db).await.unwrap();
    assert_eq!(filed.report().reporter_actor_id, anonymous.id);
    super::update_status(
        &t2.ctx,
        &moderator2.principal(),
        filed.report().id,
        ReportStatus::Closed,
    )
    .await
    .unwrap();
    t2.run_due_jobs().await;
    assert_eq!(t2.mail_to("visitor@example.net").len(), 1);
}

#[tokio::test]
async fn a_report_names_only_what_the_reported_actor_wrote_or_organized() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let spammer = t.person("spammer").await;
    let alice = t.person("alice").await;
    let event = event(&t, &organizer).await;
    let own = comment(&t, &organizer, event.id).await;

    let err = report(
        &t,
        &alice.principal(),
        NewReport {
            comment_ids: vec![own.id],
            ..about(&spammer.actor)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "invalid");
    let err = report(
        &t,
        &alice.principal(),
        NewReport {
            event_ids: vec![event.id],
            ..about(&spammer.actor)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "invalid");
    let filed = report(
        &t,
        &alice.principal(),
        NewReport {
            event_ids: vec![event.id],
            ..about(&organizer.actor)
        },
    )
    .await
    .expect("the organizer's event");
    let events = super::events_of(&t.ctx.db, filed.report().id)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    let err = report(&t, &alice.principal(), about(&alice.actor))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid", "nobody reports themselves");
    let err = report(
        &t,
        &alice.principal(),
        NewReport {
            content: Some("x".repeat(super::MAX_CONTENT_CHARS + 1)),
            ..about(&organizer.actor)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "invalid");
}

#[tokio::test]
async fn a_flag_from_another_instance_is_one_report_however_often_it_arrives() {
    let t = TestContext::new().await;
    let spammer = t.person("spammer").await;
    let peer = t.remote_actor("relay", ActorKind::Application).await;
    let from_peer = Principal::Remote {
        actor_id: peer.id,
        activity_id: "https://far.example/flags/1".to_owned(),
    };
    let flag = || NewReport {
        flag_id: Some("https://far.example/flags/1".to_owned()),
        forward: true,
        ..about(&spammer.actor)
    };
    let first = report(&t, &from_peer, flag()).await.expect("flag");
    let again = report(&t, &from_peer, flag()).await.expect("flag again");
    assert!(matches!(first, Filed::New(_)));
    assert!(matches!(again, Filed::Known(_)));
    assert_eq!(first.report().id, again.report().id);
    assert!(!first.report().local);
    assert!(
        !first.report().forward,
        "a report from elsewhere goes nowhere"
    );
    assert_eq!(first.report().reporter_actor_id, peer.id);

    let alice = t.person("alice").await;
    let err = report(&t, &alice.principal(), flag()).await.unwrap_err();
    assert_eq!(err.code(), "forbidden", "only a peer names its Flag");
}

#[tokio::test]
async fn notes_are_for_moderators_and_removed_by_their_author_only() {
    let t = TestContext::new().await;
    let spammer = t.person("spammer").await;
    let alice = t.person("alice").await;
    let modo = t.person_with("modo", UserRole::Moderator, |_| {}).await;
    let other = t
        .person_with("other", UserRole::Administrator, |_| {})
        .await;
    let id = report(&t, &alice.principal(), about(&spammer.actor))
        .await
        .unwrap()
        .report()
        .id;
    let note = super::create_note(&t.ctx, &modo.principal(), id, "  Seen before  ")
        .await
        .expect("note");
    assert_eq!(note.content, "Seen before");
    assert_eq!(note.moderator_actor_id, modo.actor.id);
    let err = super::delete_note(&t.ctx, &other.principal(), note.id)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
    super::delete_note(&t.ctx, &modo.principal(), note.id)
        .await
        .expect("delete");
    assert!(super::notes_of(&t.ctx.db, id).await.unwrap().is_empty());
}

#[tokio::test]
async fn reports_per_reporter_are_rationed() {
    let t = TestContext::with_settings(|s| {
        s.rate_limits.reports_per_reporter = crate::settings::Budget::new(2, 3600);
    })
    .await;
    let spammer = t.person("spammer").await;
    let alice = t.person("alice").await;
    for _ in 0..2 {
        report(&t, &alice.principal(), about(&spammer.actor))
            .await
            .expect("within budget");
    }
    let err = report(&t, &alice.principal(), about(&spammer.actor))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "rate_limited");
}

#[tokio::test]
async fn a_moderator_who_turned_report_mail_off_is_not_mailed_and_the_others_are() {
    let t = TestContext::new().await;
    let spammer = t.person("spammer").await;
    let alice = t.person("alice").await;
    let busy = t.person_with("busy", UserRole::Moderator, |_| {}).await;
    t.person_with("keen", UserRole::Administrator, |_| {}).await;
    let off = crate::users::settings::SettingsChanges {
        notification_new_report: Some(false),
        ..Default::default()
    };
    crate::users::settings::set(&t.ctx, &busy.user, off)
        .await
        .unwrap();

    report(&t, &alice.principal(), about(&spammer.actor))
        .await
        .unwrap();
    t.run_due_jobs().await;
    assert!(t.mail_to("busy@example.org").is_empty());
    let told = t.mail_to("keen@example.org");
    assert_eq!(told.len(), 1);
    assert!(
        told[0].subject.contains("New report"),
        "{}",
        told[0].subject
    );
}
