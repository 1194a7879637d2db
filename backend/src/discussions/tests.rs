//! The rules of group discussions, through the use cases.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use entity::MemberRole;
use entity::actor::Openness;

use super::{CommentRef, Deleted, DiscussionRef, NewDiscussion, Reply};
use crate::groups::members::{self, MembershipRequest};
use crate::groups::service::{self, NewGroup};
use crate::pagination::Page;
use crate::principal::Principal;
use crate::testing::{TestContext, TestPerson};

struct Group {
    group: entity::actor::Model,
    admin: TestPerson,
    moderator: TestPerson,
    member: TestPerson,
    visitor: TestPerson,
}

async fn group(t: &TestContext) -> Group {
    let admin = t.person("ana").await;
    let moderator = t.person("moe").await;
    let member = t.person("meg").await;
    let visitor = t.person("vic").await;
    let group = service::create(
        &t.ctx,
        &admin.actor,
        NewGroup {
            preferred_username: "gardeners".to_owned(),
            name: Some("Gardeners".to_owned()),
            openness: Some(Openness::Open),
            ..Default::default()
        },
    )
    .await
    .expect("group");
    for person in [&moderator, &member] {
        let request = MembershipRequest {
            group_id: group.id,
            actor_id: Some(person.actor.id),
        };
        members::join(&t.ctx, &person.principal(), request)
            .await
            .expect("join");
    }
    let row = crate::groups::membership_of(&t.ctx.db, &moderator.principal(), group.id)
        .await
        .unwrap()
        .unwrap();
    members::update_role(&t.ctx, &admin.principal(), row.id, MemberRole::Moderator)
        .await
        .expect("promote");
    Group {
        group,
        admin,
        moderator,
        member,
        visitor,
    }
}

fn new(group_id: i64, title: &str) -> NewDiscussion {
    NewDiscussion {
        group_id,
        title: title.to_owned(),
        text: "<p>Who brings the seeds?</p><script>x()</script>".to_owned(),
    }
}

fn reply(id: i64, text: &str) -> Reply {
    Reply {
        discussion: DiscussionRef::Id(id),
        text: text.to_owned(),
        remote: None,
    }
}

#[tokio::test]
async fn members_start_and_answer_discussions_and_outsiders_neither_see_nor_write_them() {
    let t = TestContext::new().await;
    let g = group(&t).await;
    let (discussion, first) =
        super::create(&t.ctx, &g.member.principal(), new(g.group.id, "Seeds"))
            .await
            .expect("a member starts a discussion");
    assert_eq!(discussion.creator_id, g.member.actor.id);
    assert!(discussion.slug.starts_with("seeds-"), "{}", discussion.slug);
    assert_eq!(
        discussion.ap_id,
        t.ctx.url(&format!("/@gardeners/c/{}", discussion.slug))
    );
    assert_eq!(first.text, "<p>Who brings the seeds?</p>");
    t.clock.advance(chrono::Duration::minutes(5));
    let (moved, answer) = super::reply(&t.ctx, &g.admin.principal(), reply(discussion.id, "Me"))
        .await
        .expect("another member answers");
    assert_eq!(answer.actor_id, g.admin.actor.id);
    assert!(moved.updated_at > discussion.updated_at);

    let err = super::create(&t.ctx, &g.visitor.principal(), new(g.group.id, "Mine"))
        .await
        .expect_err("not a member");
    assert_eq!(err.code(), "forbidden");
    let err = super::reply(&t.ctx, &g.visitor.principal(), reply(discussion.id, "Hi"))
        .await
        .expect_err("not a member");
    assert_eq!(err.code(), "not_found");
    let err = super::reply(&t.ctx, &Principal::Anonymous, reply(discussion.id, "Hi"))
        .await
        .expect_err("anonymous");
    assert_eq!(err.code(), "unauthenticated");
    for (outsider, code) in [
        (g.visitor.principal(), "not_found"),
        (Principal::Anonymous, "unauthenticated"),
    ] {
        let err = super::find_visible(&t.ctx.db, &outsider, &DiscussionRef::Id(discussion.id))
            .await
            .expect_err("members only");
        assert_eq!(err.code(), code);
        let listed = super::of_group(&t.ctx.db, &outsider, g.group.id, Page::default())
            .await
            .unwrap();
        assert_eq!((listed.total, listed.elements.len()), (0, 0));
    }
    let listed = super::of_group(
        &t.ctx.db,
        &g.member.principal(),
        g.group.id,
        Page::default(),
    )
    .await
    .unwrap();
    assert_eq!(listed.total, 1);
    let comments = super::comments_of(&t.ctx.db, &discussion, Page::default())
        .await
        .unwrap();
    assert_eq!(comments.total, 2);
    assert_eq!(comments.elements[1].id, answer.id);
    let last = super::last_comments(&t.ctx.db, &[discussion.id])
        .await
        .unwrap();
    assert_eq!(last[&discussion.id].id, answer.id);
}

#[tokio::test]
async fn titles_and_texts_are_bounded_and_not_empty() {
    let t = TestContext::new().await;
    let g = group(&t).await;
    let err = super::create(&t.ctx, &g.member.principal(), new(g.group.id, "  "))
        .await
        .expect_err("empty title");
    assert_eq!(err.code(), "invalid");
    let long = "x".repeat(super::MAX_TITLE_CHARS + 1);
    let err = super::create(&t.ctx, &g.member.principal(), new(g.group.id, &long))
        .await
        .expect_err("long title");
    assert_eq!(err.code(), "invalid");
    let mut empty = new(g.group.id, "Seeds");
    empty.text = "<p> </p>".to_owned();
    let err = super::create(&t.ctx, &g.member.principal(), empty)
        .await
        .expect_err("empty text");
    assert_eq!(err.code(), "invalid");
}

#[tokio::test]
async fn the_creator_and_moderators_rename_and_delete_and_other_members_do_not() {
    let t = TestContext::new().await;
    let g = group(&t).await;
    let (discussion, _) = super::create(&t.ctx, &g.member.principal(), new(g.group.id, "Seeds"))
        .await
        .unwrap();
    let which = DiscussionRef::Id(discussion.id);
    let renamed = super::rename(&t.ctx, &g.member.principal(), which.clone(), "Seeds, bulbs")
        .await
        .expect("its creator renames it");
    assert_eq!(renamed.title, "Seeds, bulbs");
    assert_eq!(renamed.slug, discussion.slug, "its address stays");
    let (other, _) = super::create(&t.ctx, &g.admin.principal(), new(g.group.id, "Tools"))
        .await
        .unwrap();
    let other_ref = DiscussionRef::Slug(other.slug.clone());
    let err = super::rename(&t.ctx, &g.member.principal(), other_ref.clone(), "Mine")
        .await
        .expect_err("another member's discussion");
    assert_eq!(err.code(), "forbidden");
    let err = super::delete(&t.ctx, &g.member.principal(), other_ref.clone())
        .await
        .expect_err("another member's discussion");
    assert_eq!(err.code(), "forbidden");
    super::delete(&t.ctx, &g.moderator.principal(), other_ref.clone())
        .await
        .expect("a moderator deletes any discussion");
    let err = super::find_visible(&t.ctx.db, &g.admin.principal(), &other_ref)
        .await
        .expect_err("gone");
    assert_eq!(err.code(), "not_found");
}

#[tokio::test]
async fn authors_edit_their_comments_and_moderators_delete_anyones_leaving_a_tombstone() {
    let t = TestContext::new().await;
    let g = group(&t).await;
    let (discussion, first) =
        super::create(&t.ctx, &g.member.principal(), new(g.group.id, "Seeds"))
            .await
            .unwrap();
    let which = CommentRef::Uuid(first.uuid.clone());
    let edited = super::update_comment(&t.ctx, &g.member.principal(), which.clone(), "Tulips")
        .await
        .expect("its author edits it");
    assert_eq!(edited.text, "Tulips");
    let err = super::update_comment(&t.ctx, &g.moderator.principal(), which.clone(), "No")
        .await
        .expect_err("not its author");
    assert_eq!(err.code(), "forbidden");
    let err = super::delete_comment(&t.ctx, &g.admin.principal(), which.clone())
        .await
        .map(|_| ())
        .err();
    assert!(
        err.is_none(),
        "the group's administrator deletes it: {err:?}"
    );
    let again = super::delete_comment(&t.ctx, &g.member.principal(), which.clone())
        .await
        .unwrap();
    assert!(matches!(again, Deleted::AlreadyDeleted(_)));
    assert_eq!(again.comment().text, "");
    let comments = super::comments_of(&t.ctx.db, &discussion, Page::default())
        .await
        .unwrap();
    assert_eq!(comments.total, 1, "the tombstone stays in its place");
    let err = super::delete_comment(&t.ctx, &g.visitor.principal(), which)
        .await
        .expect_err("an outsider");
    assert_eq!(err.code(), "not_found");
}

#[tokio::test]
async fn members_get_a_mail_for_each_new_word_unless_they_asked_for_none() {
    let t = TestContext::new().await;
    let g = group(&t).await;
    let quiet = super::notices::set_mail(&t.ctx, &g.moderator.principal(), g.group.id, false)
        .await
        .unwrap();
    assert!(!quiet);
    let (discussion, _) = super::create(&t.ctx, &g.member.principal(), new(g.group.id, "Seeds"))
        .await
        .unwrap();
    super::reply(&t.ctx, &g.admin.principal(), reply(discussion.id, "Me"))
        .await
        .unwrap();
    t.run_due_jobs().await;
    let to_admin = t.mail_to("ana@example.org");
    assert_eq!(to_admin.len(), 1, "the start, not their own answer");
    assert!(
        to_admin[0].subject.contains("meg started “Seeds”"),
        "{}",
        to_admin[0].subject
    );
    assert!(to_admin[0].text.contains("Who brings the seeds?"));
    assert!(
        to_admin[0]
            .text
            .contains(&format!("/@gardeners/c/{}", discussion.slug))
    );
    let to_member = t.mail_to("meg@example.org");
    assert_eq!(to_member.len(), 1, "the answer, not their own start");
    assert!(to_member[0].subject.contains("answered"));
    assert!(t.mail_to("moe@example.org").is_empty(), "asked for none");
    assert!(t.mail_to("vic@example.org").is_empty(), "not a member");
    let wanted = super::notices::mail_wanted(&t.ctx.db, &g.moderator.principal(), g.group.id).await;
    assert!(!wanted.unwrap());
}

#[tokio::test]
async fn a_member_on_another_instance_answers_once_however_often_their_note_comes() {
    use sea_orm::{ActiveModelTrait, NotSet, Set};
    let t = TestContext::new().await;
    let g = group(&t).await;
    let (discussion, _) = super::create(&t.ctx, &g.member.principal(), new(g.group.id, "Seeds"))
        .await
        .unwrap();
    let zoe = t
        .remote_actor("zoe", entity::actor::ActorKind::Person)
        .await;
    let now = t.ctx.now();
    entity::member::ActiveModel {
        id: NotSet,
        actor_id: Set(zoe.id),
        group_id: Set(g.group.id),
        role: Set(MemberRole::Member),
        invited_by_id: Set(None),
        ap_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&t.ctx.db)
    .await
    .unwrap();
    let principal = Principal::Remote {
        actor_id: zoe.id,
        activity_id: "https://far.example/activities/1".to_owned(),
    };
    let note = super::RemoteComment {
        ap_id: "https://far.example/notes/1".to_owned(),
        published_at: None,
    };
    let answer = Reply {
        remote: Some(note.clone()),
        ..reply(discussion.id, "<p>I have bulbs</p>")
    };
    let (_, first) = super::reply(&t.ctx, &principal, answer.clone())
        .await
        .expect("a member elsewhere answers");
    assert_eq!(first.ap_id, note.ap_id);
    assert_eq!(first.actor_id, zoe.id);
    assert!(!first.local);
    let (_, again) = super::reply(&t.ctx, &principal, answer.clone())
        .await
        .unwrap();
    assert_eq!(again.id, first.id, "the same note is one answer");
    let err = super::reply(&t.ctx, &principal, reply(discussion.id, "Hi"))
        .await
        .expect_err("a note names its address");
    assert_eq!(err.code(), "invalid");
    let err = super::reply(&t.ctx, &g.member.principal(), answer)
        .await
        .expect_err("people here do not name addresses");
    assert_eq!(err.code(), "forbidden");
    let stranger = t
        .remote_actor("sam", entity::actor::ActorKind::Person)
        .await;
    let outsider = Principal::Remote {
        actor_id: stranger.id,
        activity_id: "https://far.example/activities/2".to_owned(),
    };
    let foreign = Reply {
        remote: Some(super::RemoteComment {
            ap_id: "https://far.example/notes/2".to_owned(),
            published_at: None,
        }),
        ..reply(discussion.id, "Let me in")
    };
    let err = super::reply(&t.ctx, &outsider, foreign)
        .await
        .expect_err("not a member");
    assert_eq!(err.code(), "not_found");
}
