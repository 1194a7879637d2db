//! The rules of comments, through the use cases: the same functions for people here and
//! remote actors.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use chrono::Duration;
use entity::actor::ActorKind;
use sea_orm::{ActiveModelTrait, Set};

use super::{CommentChanges, CommentRef, Deleted, NewComment, Posted, RemoteNote, Target};
use crate::events::details::{CommentModeration, DetailsChanges};
use crate::outbox::Happened;
use crate::principal::Principal;
use crate::testing::{TestContext, TestPerson, new_event};

async fn event(t: &TestContext, organizer: &TestPerson) -> entity::event::Model {
    let new = new_event("Repair café", t.ctx.now() + Duration::days(3));
    crate::events::service::create(&t.ctx, &organizer.principal(), new)
        .await
        .expect("create event")
}

fn text(target: Target, text: &str) -> NewComment {
    NewComment {
        target,
        text: text.to_owned(),
        is_announcement: false,
        language: None,
        identity: None,
        remote: None,
    }
}

fn remote(actor: &entity::actor::Model, n: u32) -> Principal {
    Principal::Remote {
        actor_id: actor.id,
        activity_id: format!("{}/notes/{n}/activity", actor.ap_id),
    }
}

fn from_far(actor: &entity::actor::Model, target: Target, n: u32) -> NewComment {
    NewComment {
        remote: Some(RemoteNote {
            ap_id: format!("{}/notes/{n}", actor.ap_id),
            published_at: None,
        }),
        ..text(target, "<p>From afar</p>")
    }
}

async fn moderate(t: &TestContext, organizer: &TestPerson, event_id: i64, m: CommentModeration) {
    let changes = DetailsChanges {
        comment_moderation: Some(m),
        ..Default::default()
    };
    crate::events::details::set(&t.ctx, &organizer.principal(), event_id, changes)
        .await
        .expect("moderation");
}

#[tokio::test]
async fn a_reply_names_its_parent_and_the_first_comment_of_its_thread() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let alice = t.person("alice").await;
    let event = event(&t, &organizer).await;

    let question = super::create(
        &t.ctx,
        &alice.principal(),
        text(
            Target::Event(event.id),
            "<p>Is there parking?</p><script>x()</script>",
        ),
    )
    .await
    .expect("comment")
    .into_comment();
    assert_eq!(question.text, "<p>Is there parking?</p>");
    assert_eq!(
        question.ap_id,
        t.ctx.url(&format!("/comments/{}", question.uuid))
    );
    let answer = super::create(
        &t.ctx,
        &organizer.principal(),
        text(Target::Reply(question.id), "Yes"),
    )
    .await
    .expect("reply")
    .into_comment();
    let again = super::create(
        &t.ctx,
        &alice.principal(),
        text(Target::Reply(answer.id), "Thanks"),
    )
    .await
    .expect("reply to reply")
    .into_comment();
    assert_eq!(answer.in_reply_to_id, Some(question.id));
    assert_eq!(again.in_reply_to_id, Some(answer.id));
    assert_eq!(again.origin_id, Some(question.id));
    assert_eq!(again.event_id, event.id);

    let threads = super::threads_of(&t.ctx.db, event.id).await.unwrap();
    assert_eq!(threads.len(), 1);
    assert_eq!(threads[0].replies.len(), 2);
    assert_eq!(threads[0].total_replies(), 2);
    let recorded = t.recorded_for_federation().await;
    assert!(recorded.contains(&Happened::CommentPosted {
        comment_id: again.id
    }));
}

#[tokio::test]
async fn empty_oversized_or_anonymous_comments_are_refused() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let event = event(&t, &organizer).await;
    let target = Target::Event(event.id);
    let empty = super::create(
        &t.ctx,
        &organizer.principal(),
        text(target, "<p> <img src=x></p>"),
    )
    .await;
    assert_eq!(empty.unwrap_err().code(), "invalid");
    let huge = "a".repeat(super::write::MAX_TEXT_BYTES + 1);
    let huge = super::create(&t.ctx, &organizer.principal(), text(target, &huge)).await;
    assert_eq!(huge.unwrap_err().code(), "invalid");
    let anonymous = super::create(&t.ctx, &Principal::Anonymous, text(target, "hi")).await;
    assert_eq!(anonymous.unwrap_err().code(), "unauthenticated");
}

#[tokio::test]
async fn closed_comments_leave_only_organizers_writing_and_a_cancelled_event_takes_none() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let alice = t.person("alice").await;
    let event = event(&t, &organizer).await;
    let target = Target::Event(event.id);
    moderate(&t, &organizer, event.id, CommentModeration::Closed).await;
    let refused = super::create(&t.ctx, &alice.principal(), text(target, "hello")).await;
    assert_eq!(refused.unwrap_err().code(), "comments_closed");
    let far = t.remote_actor("far", ActorKind::Person).await;
    let refused = super::create(&t.ctx, &remote(&far, 1), from_far(&far, target, 1)).await;
    assert_eq!(refused.unwrap_err().code(), "comments_closed");
    super::create(
        &t.ctx,
        &organizer.principal(),
        text(target, "The room changed"),
    )
    .await
    .expect("organizers still write");
    moderate(&t, &organizer, event.id, CommentModeration::Moderated).await;
    let refused = super::create(&t.ctx, &alice.principal(), text(target, "hello")).await;
    assert_eq!(refused.unwrap_err().code(), "comments_moderated");

    moderate(&t, &organizer, event.id, CommentModeration::AllowAll).await;
    let announcement = NewComment {
        is_announcement: true,
        ..text(target, "Listen")
    };
    let refused = super::create(&t.ctx, &alice.principal(), announcement).await;
    assert_eq!(refused.unwrap_err().code(), "announcement_by_organizers");

    let mut row: entity::event::ActiveModel = event.clone().into();
    row.status = Set(entity::EventStatus::Cancelled);
    row.update(&t.ctx.db).await.unwrap();
    let refused = super::create(&t.ctx, &organizer.principal(), text(target, "still?")).await;
    assert_eq!(refused.unwrap_err().code(), "event_cancelled");
}

#[tokio::test]
async fn a_remote_note_is_one_comment_however_often_it_comes_and_blocked_instances_write_none() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let event = event(&t, &organizer).await;
    let far = t.remote_actor("far", ActorKind::Person).await;
    let target = Target::Event(event.id);
    let first = super::create(&t.ctx, &remote(&far, 1), from_far(&far, target, 1))
        .await
        .expect("remote comment");
    let Posted::New(comment) = first else {
        panic!("new");
    };
    assert!(!comment.local);
    assert_eq!(comment.ap_id, format!("{}/notes/1", far.ap_id));
    let again = super::create(&t.ctx, &remote(&far, 1), from_far(&far, target, 1))
        .await
        .expect("again");
    assert_eq!(again, Posted::Known(comment.clone()));
    // Someone else's comment is not told to peers by us.
    let told = t.recorded_for_federation().await;
    assert!(
        !told
            .iter()
            .any(|h| matches!(h, Happened::CommentPosted { .. })),
        "{told:?}"
    );

    // A local person cannot name an address; a remote one must.
    let alice = t.person("alice").await;
    let forged = super::create(&t.ctx, &alice.principal(), from_far(&far, target, 9)).await;
    assert_eq!(forged.unwrap_err().code(), "forbidden");
    let unnamed = super::create(&t.ctx, &remote(&far, 2), text(target, "x")).await;
    assert_eq!(unnamed.unwrap_err().code(), "invalid");

    crate::domain_blocks::block(
        &t.ctx,
        &crate::principal::Principal::System,
        "far.example",
        None,
    )
    .await
    .expect("block");
    let blocked = super::create(&t.ctx, &remote(&far, 3), from_far(&far, target, 3)).await;
    assert_eq!(blocked.unwrap_err().code(), "forbidden");
    // What it wrote before is a tombstone now.
    let gone = super::find(&t.ctx.db, comment.id).await.unwrap();
    assert!(gone.deleted_at.is_some());
    assert_eq!(gone.text, "");
}

#[tokio::test]
async fn authors_edit_and_organizers_delete_and_a_deleted_comment_stays_as_a_tombstone() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let alice = t.person("alice").await;
    let bob = t.person("bob").await;
    let event = event(&t, &organizer).await;
    let question = super::create(
        &t.ctx,
        &alice.principal(),
        text(Target::Event(event.id), "Parking?"),
    )
    .await
    .unwrap()
    .into_comment();
    let reply = super::create(
        &t.ctx,
        &bob.principal(),
        text(Target::Reply(question.id), "Behind"),
    )
    .await
    .unwrap()
    .into_comment();
    let edit = |text: &str| CommentChanges {
        comment: CommentRef::Id(question.id),
        text: text.to_owned(),
        is_announcement: None,
    };
    let refused = super::update(&t.ctx, &organizer.principal(), edit("Mine now")).await;
    assert_eq!(refused.unwrap_err().code(), "forbidden");
    let edited = super::update(&t.ctx, &alice.principal(), edit("Is there parking nearby?"))
        .await
        .expect("author edits");
    assert_eq!(edited.text, "Is there parking nearby?");

    let refused = super::delete(&t.ctx, &bob.principal(), CommentRef::Id(question.id)).await;
    assert_eq!(refused.unwrap_err().code(), "forbidden");
    let Deleted::Deleted(tombstone) =
        super::delete(&t.ctx, &organizer.principal(), CommentRef::Id(question.id))
            .await
            .expect("organizer deletes")
    else {
        panic!("deleted");
    };
    assert!(tombstone.deleted_at.is_some());
    assert_eq!(tombstone.text, "");
    let threads = super::threads_of(&t.ctx.db, event.id).await.unwrap();
    assert_eq!(threads.len(), 1, "the tombstone holds its reply");
    assert_eq!(threads[0].replies[0].id, reply.id);
    let refused = super::create(
        &t.ctx,
        &bob.principal(),
        text(Target::Reply(question.id), "?"),
    )
    .await;
    assert_eq!(refused.unwrap_err().code(), "comment_deleted");

    super::delete(&t.ctx, &bob.principal(), CommentRef::Id(reply.id))
        .await
        .expect("author deletes");
    assert!(
        super::threads_of(&t.ctx.db, event.id)
            .await
            .unwrap()
            .is_empty()
    );
    let recorded = t.recorded_for_federation().await;
    assert!(recorded.contains(&Happened::CommentUpdated {
        comment_id: question.id
    }));
    assert!(recorded.contains(&Happened::CommentDeleted {
        comment_id: question.id
    }));
}

#[tokio::test]
async fn a_remote_author_edits_and_deletes_through_the_same_functions() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let event = event(&t, &organizer).await;
    let far = t.remote_actor("far", ActorKind::Person).await;
    let other = t.remote_actor("other", ActorKind::Person).await;
    let comment = super::create(
        &t.ctx,
        &remote(&far, 1),
        from_far(&far, Target::Event(event.id), 1),
    )
    .await
    .unwrap()
    .into_comment();
    let by_address = CommentRef::ApId(comment.ap_id.clone());
    let edit = CommentChanges {
        comment: by_address.clone(),
        text: "<p>Edited afar</p>".to_owned(),
        is_announcement: None,
    };
    let refused = super::update(&t.ctx, &remote(&other, 1), edit.clone()).await;
    assert_eq!(refused.unwrap_err().code(), "forbidden");
    let edited = super::update(&t.ctx, &remote(&far, 2), edit).await.unwrap();
    assert_eq!(edited.text, "<p>Edited afar</p>");
    let refused = super::delete(&t.ctx, &remote(&other, 2), by_address.clone()).await;
    assert_eq!(refused.unwrap_err().code(), "forbidden");
    let deleted = super::delete(&t.ctx, &remote(&far, 3), by_address)
        .await
        .unwrap();
    assert!(matches!(deleted, Deleted::Deleted(_)));
}

#[tokio::test]
async fn comments_per_actor_are_rationed() {
    let t = TestContext::with_settings(|s| {
        s.rate_limits.comments_per_actor = crate::settings::Budget::new(2, 3600);
    })
    .await;
    let organizer = t.person("organizer").await;
    let event = event(&t, &organizer).await;
    let target = Target::Event(event.id);
    for n in 0..2 {
        super::create(
            &t.ctx,
            &organizer.principal(),
            text(target, &format!("n{n}")),
        )
        .await
        .expect("within budget");
    }
    let refused = super::create(&t.ctx, &organizer.principal(), text(target, "one more")).await;
    assert_eq!(refused.unwrap_err().code(), "rate_limited");
}

#[tokio::test]
async fn a_reply_written_under_one_event_to_a_comment_of_another_is_refused_naming_the_field() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let alice = t.person("alice").await;
    let first = event(&t, &organizer).await;
    let second = event(&t, &organizer).await;
    let question = super::create(
        &t.ctx,
        &alice.principal(),
        text(Target::Event(first.id), "Parking?"),
    )
    .await
    .unwrap()
    .into_comment();
    let elsewhere = Target::ReplyUnder {
        event: second.id,
        parent: question.id,
    };
    let refused = super::create(&t.ctx, &alice.principal(), text(elsewhere, "Behind"))
        .await
        .unwrap_err();
    let crate::error::Error::Invalid(fields) = refused else {
        panic!("expected an invalid field, got {refused:?}");
    };
    assert_eq!(fields[0].field, "inReplyToCommentId");

    let here = Target::ReplyUnder {
        event: first.id,
        parent: question.id,
    };
    let reply = super::create(&t.ctx, &alice.principal(), text(here, "Behind"))
        .await
        .expect("a reply under its parent's event")
        .into_comment();
    assert_eq!(reply.in_reply_to_id, Some(question.id));
}
