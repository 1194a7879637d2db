//! Discussions across instances, through the use cases: what is recorded for other
//! instances, and who speaks for the copies of another instance's discussions.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use entity::MemberRole;
use entity::actor::{ActorKind, Openness};
use sea_orm::{ActiveModelTrait, NotSet, Set};

use super::{CommentRef, CopiedComment, DiscussionRef, Kept, NewDiscussion, Reply};
use crate::groups::service::{self, NewGroup};
use crate::outbox::{Change, Happened};
use crate::principal::Principal;
use crate::testing::TestContext;

async fn belongs(t: &TestContext, actor_id: i64, group_id: i64) {
    let now = t.ctx.now();
    entity::member::ActiveModel {
        id: NotSet,
        actor_id: Set(actor_id),
        group_id: Set(group_id),
        role: Set(MemberRole::Member),
        invited_by_id: Set(None),
        ap_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&t.ctx.db)
    .await
    .unwrap();
}

fn remote(actor: &entity::actor::Model) -> Principal {
    Principal::Remote {
        actor_id: actor.id,
        activity_id: format!("{}/activity/1", actor.ap_id),
    }
}

async fn federating() -> TestContext {
    TestContext::with_settings(|s| s.federation.enabled = true).await
}

fn changes(recorded: &[Happened]) -> Vec<(Change, Option<i64>)> {
    recorded
        .iter()
        .filter_map(|h| match h {
            Happened::DiscussionCommentChanged {
                change, came_from, ..
            } => Some((*change, *came_from)),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn our_groups_discussions_are_recorded_for_members_elsewhere_with_where_each_word_came_from()
{
    let t = federating().await;
    let ana = t.person("ana").await;
    let group = service::create(
        &t.ctx,
        &ana.actor,
        NewGroup {
            preferred_username: "gardeners".to_owned(),
            openness: Some(Openness::Open),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let zoe = t.remote_actor("zoe", ActorKind::Person).await;
    belongs(&t, zoe.id, group.id).await;
    let new = NewDiscussion {
        group_id: group.id,
        title: "Seeds".to_owned(),
        text: "<p>Who brings seeds?</p>".to_owned(),
    };
    let (discussion, first) = super::create(&t.ctx, &ana.principal(), new).await.unwrap();
    assert_eq!(
        first.ap_id, discussion.ap_id,
        "the first comment is the discussion's note"
    );
    let reply = Reply {
        discussion: DiscussionRef::Id(discussion.id),
        text: "<p>Bulbs</p>".to_owned(),
        remote: Some(super::RemoteComment {
            ap_id: "https://far.example/notes/1".to_owned(),
            published_at: None,
        }),
    };
    let (_, answer) = super::reply(&t.ctx, &remote(&zoe), reply).await.unwrap();
    let which = CommentRef::ApId(answer.ap_id.clone());
    super::update_comment(&t.ctx, &remote(&zoe), which.clone(), "<p>Bulbs!</p>")
        .await
        .unwrap();
    // The same text again is no change anyone needs to hear of.
    super::update_comment(&t.ctx, &remote(&zoe), which.clone(), "<p>Bulbs!</p>")
        .await
        .unwrap();
    super::delete_comment(&t.ctx, &remote(&zoe), which)
        .await
        .unwrap();
    assert_eq!(
        changes(&t.recorded_for_federation().await),
        [
            (Change::Posted, None),
            (Change::Posted, Some(zoe.id)),
            (Change::Updated, Some(zoe.id)),
            (Change::Deleted, Some(zoe.id)),
        ]
    );
    let inboxes = super::audience(&t.ctx.db, &discussion, None).await.unwrap();
    assert_eq!(inboxes, ["https://far.example/inbox"]);
    let inboxes = super::audience(&t.ctx.db, &discussion, Some(zoe.id))
        .await
        .unwrap();
    assert!(inboxes.is_empty(), "not back where it came from");
}

/// Another instance's group `garden` (at far.example), its member `mia` there, and `zoe`
/// here, who belongs to it.
struct Elsewhere {
    t: TestContext,
    group: entity::actor::Model,
    mia: entity::actor::Model,
    zoe: crate::testing::TestPerson,
}

async fn elsewhere() -> Elsewhere {
    let t = federating().await;
    let group = t.remote_actor("garden", ActorKind::Group).await;
    let mia = t.remote_actor("mia", ActorKind::Person).await;
    let zoe = t.person("zoe").await;
    belongs(&t, zoe.actor.id, group.id).await;
    Elsewhere { t, group, mia, zoe }
}

fn copied(e: &Elsewhere, id: &str, title: Option<&str>, text: &str) -> CopiedComment {
    CopiedComment {
        discussion_ap_id: "https://far.example/@garden/c/seeds".to_owned(),
        group_id: e.group.id,
        author_id: e.mia.id,
        title: title.map(str::to_owned),
        ap_id: id.to_owned(),
        text: text.to_owned(),
        published_at: None,
    }
}

#[tokio::test]
async fn a_remote_groups_instance_keeps_our_copy_of_its_discussion_and_members_here_answer_it() {
    let e = elsewhere().await;
    let start = "https://far.example/@garden/c/seeds";
    let kept = super::keep(
        &e.t.ctx,
        &remote(&e.mia),
        copied(&e, start, Some("Seeds"), "<p>Hi</p>"),
    )
    .await
    .unwrap();
    assert!(matches!(kept, Kept::Stored(_)));
    e.t.run_due_jobs().await;
    assert_eq!(e.t.mail_to("zoe@example.org").len(), 1, "Zoe is told");
    // Again: nothing new. Changed: the copy follows.
    let again = copied(&e, start, Some("Seeds"), "<p>Hi</p>");
    assert_eq!(
        super::keep(&e.t.ctx, &remote(&e.mia), again).await.unwrap(),
        Kept::Unchanged
    );
    let edited = copied(&e, start, Some("Seeds in March"), "<p>Hi all</p>");
    let kept = super::keep(&e.t.ctx, &remote(&e.group), edited)
        .await
        .unwrap();
    assert!(matches!(kept, Kept::Updated(ref c) if c.text == "<p>Hi all</p>"));
    let copy = super::find_by_ap_id(&e.t.ctx.db, start)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(copy.title, "Seeds in March");
    assert!(!copy.local);

    // Zoe answers here: the answer goes to the group's instance.
    let reply = Reply {
        discussion: DiscussionRef::Id(copy.id),
        text: "<p>Bulbs</p>".to_owned(),
        remote: None,
    };
    let (_, answer) = super::reply(&e.t.ctx, &e.zoe.principal(), reply)
        .await
        .unwrap();
    assert!(answer.local);
    assert_eq!(
        super::audience(&e.t.ctx.db, &copy, None).await.unwrap(),
        ["https://far.example/inbox"]
    );
    // The group's instance echoing it changes nothing; deleting it leaves a tombstone.
    let echo = copied(&e, &answer.ap_id, None, "<p>Forged</p>");
    assert_eq!(
        super::keep(&e.t.ctx, &remote(&e.group), echo)
            .await
            .unwrap(),
        Kept::Unchanged
    );
    assert!(
        super::forget(&e.t.ctx, &remote(&e.group), &answer.ap_id)
            .await
            .unwrap()
    );
    let gone = super::find_comment_by_ap_id(&e.t.ctx.db, &answer.ap_id)
        .await
        .unwrap()
        .unwrap();
    assert!(gone.deleted_at.is_some() && gone.text.is_empty());
    // Only what was written here goes out: Zoe's answer, once.
    assert_eq!(
        changes(&e.t.recorded_for_federation().await),
        [(Change::Posted, None)]
    );

    // Discussions of another instance's group start there.
    let new = NewDiscussion {
        group_id: e.group.id,
        title: "Mine".to_owned(),
        text: "<p>x</p>".to_owned(),
    };
    let refused = super::create(&e.t.ctx, &e.zoe.principal(), new)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "discussion_elsewhere");
}

#[tokio::test]
async fn only_the_groups_instance_speaks_for_its_discussions_and_only_while_someone_here_belongs() {
    let e = elsewhere().await;
    let start = "https://far.example/@garden/c/seeds";
    // An actor of a third instance.
    let now = e.t.ctx.now();
    let stranger = crate::actors::remote::upsert(
        &e.t.ctx.db,
        crate::actors::remote::RemoteActor {
            ap_id: "https://third.example/@sam".to_owned(),
            preferred_username: "sam".to_owned(),
            domain: "third.example".to_owned(),
            kind: ActorKind::Person,
            name: None,
            summary: None,
            url: None,
            inbox_url: "https://third.example/@sam/inbox".to_owned(),
            shared_inbox_url: None,
            outbox_url: None,
            followers_url: None,
            public_key_pem: "-----BEGIN PUBLIC KEY-----".to_owned(),
            manually_approves_followers: false,
            openness: Openness::Open,
            avatar: None,
            banner: None,
        },
        now,
    )
    .await
    .unwrap();
    let forged = super::keep(
        &e.t.ctx,
        &remote(&stranger),
        copied(&e, start, Some("Seeds"), "x"),
    )
    .await
    .unwrap_err();
    assert_eq!(forged.code(), "forbidden");
    // A note that answers a discussion we have no copy of, without its title, is not found.
    let orphan = copied(&e, "https://far.example/notes/9", None, "<p>x</p>");
    let missing = super::keep(&e.t.ctx, &remote(&e.mia), orphan)
        .await
        .unwrap_err();
    assert_eq!(missing.code(), "not_found");
    super::keep(
        &e.t.ctx,
        &remote(&e.mia),
        copied(&e, start, Some("Seeds"), "<p>Hi</p>"),
    )
    .await
    .unwrap();
    let refused = super::forget(&e.t.ctx, &remote(&stranger), start)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "forbidden");
    // Once Zoe left, nothing more is kept.
    {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        entity::member::Entity::delete_many()
            .filter(entity::member::Column::ActorId.eq(e.zoe.actor.id))
            .exec(&e.t.ctx.db)
            .await
            .unwrap();
    }
    let later = copied(&e, "https://far.example/notes/2", None, "<p>More</p>");
    let refused = super::keep(&e.t.ctx, &remote(&e.mia), later)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "forbidden");
}
