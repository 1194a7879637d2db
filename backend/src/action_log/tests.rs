//! What the services put on record, and who reads it.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use chrono::Duration;
use entity::action_log::{ActionLogAction, ObjectKind};
use entity::report::ReportStatus;
use entity::user::UserRole;

use crate::comments::{CommentRef, NewComment, Target};
use crate::pagination::Page;
use crate::principal::Principal;
use crate::rate_limits::Client;
use crate::reports::NewReport;
use crate::testing::{TestContext, new_event};

#[tokio::test]
async fn moderation_goes_on_record_with_who_did_what_to_what() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let spammer = t.person("spammer").await;
    let alice = t.person("alice").await;
    let modo = t.person_with("modo", UserRole::Moderator, |_| {}).await;
    let new = new_event("Repair café", t.ctx.now() + Duration::days(3));
    let event = crate::events::service::create(&t.ctx, &organizer.principal(), new)
        .await
        .unwrap();
    let spam = crate::comments::create(
        &t.ctx,
        &spammer.principal(),
        NewComment {
            target: Target::Event(event.id),
            text: "<p>Cheap watches</p>".to_owned(),
            is_announcement: false,
            language: None,
            identity: None,
            remote: None,
        },
    )
    .await
    .unwrap()
    .into_comment();
    let report = crate::reports::create(
        &t.ctx,
        &alice.principal(),
        &Client::Local,
        NewReport {
            reported_actor_id: spammer.actor.id,
            comment_ids: vec![spam.id],
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .report()
    .clone();

    crate::reports::create_note(&t.ctx, &modo.principal(), report.id, "Known spammer")
        .await
        .unwrap();
    crate::comments::delete(&t.ctx, &modo.principal(), CommentRef::Id(spam.id))
        .await
        .unwrap();
    crate::reports::update_status(&t.ctx, &modo.principal(), report.id, ReportStatus::Resolved)
        .await
        .unwrap();
    // The organizer deleting their own event is not moderation.
    crate::events::service::delete(&t.ctx, &organizer.principal(), event.id)
        .await
        .unwrap();

    let log = super::list(&t.ctx.db, &modo.principal(), Page::default())
        .await
        .unwrap();
    let seen: Vec<_> = log
        .elements
        .iter()
        .map(|e| (e.action, e.object_kind, e.actor_id, e.object_label.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            (
                ActionLogAction::ReportUpdateResolved,
                ObjectKind::Report,
                Some(modo.actor.id),
                format!("#{}", report.id).as_str()
            ),
            (
                ActionLogAction::CommentDeletion,
                ObjectKind::Comment,
                Some(modo.actor.id),
                "Cheap watches"
            ),
            (
                ActionLogAction::NoteCreation,
                ObjectKind::ReportNote,
                Some(modo.actor.id),
                "Known spammer"
            ),
        ]
    );
}

#[tokio::test]
async fn only_moderators_read_the_log() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let admin = t.person_with("boss", UserRole::Administrator, |_| {}).await;
    let err = super::list(&t.ctx.db, &Principal::Anonymous, Page::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "unauthenticated");
    let err = super::list(&t.ctx.db, &alice.principal(), Page::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
    super::list(&t.ctx.db, &admin.principal(), Page::default())
        .await
        .expect("admins read it");
}
