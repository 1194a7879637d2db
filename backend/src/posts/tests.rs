//! The rules of group posts, through the use cases: the same functions for people here and
//! for the instance of a group we follow elsewhere.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use entity::MemberRole;
use entity::actor::{ActorKind, Openness};
use entity::post::PostVisibility;
use sea_orm::{ActiveModelTrait, NotSet, Set};

use super::{Body, NewPost, PostChanges, PostRef, Posted, RemotePost};
use crate::groups::members::{self, MembershipRequest};
use crate::groups::service::{self, NewGroup};
use crate::outbox::Happened;
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

fn post(group_id: i64, title: &str, visibility: PostVisibility, draft: bool) -> NewPost {
    NewPost {
        group_id,
        title: title.to_owned(),
        body: Body::Html("<p>The room changed</p><script>x()</script>".to_owned()),
        draft,
        visibility,
        language: Some("und".to_owned()),
        tags: vec!["Jardin".to_owned(), "jardin".to_owned()],
        identity: None,
        remote: None,
    }
}

#[tokio::test]
async fn moderators_and_administrators_write_posts_and_plain_members_are_refused() {
    let t = TestContext::new().await;
    let g = group(&t).await;
    for writer in [&g.admin, &g.moderator] {
        let posted = super::create(
            &t.ctx,
            &writer.principal(),
            post(g.group.id, "Room 4", PostVisibility::Public, false),
        )
        .await
        .expect("a moderator writes")
        .into_post();
        assert_eq!(posted.author_id, writer.actor.id);
        assert_eq!(posted.body, "<p>The room changed</p>");
        assert_eq!(posted.language, None);
        assert!(posted.slug.starts_with("room-4-"), "{}", posted.slug);
        assert_eq!(posted.ap_id, t.ctx.url(&format!("/p/{}", posted.slug)));
        assert_eq!(posted.publish_at, Some(t.ctx.now()));
        let tags = super::tags_of(&t.ctx.db, &[posted.id]).await.unwrap();
        assert_eq!(tags[&posted.id].len(), 1, "one tag by its folded form");
    }
    for refused in [&g.member, &g.visitor] {
        let err = super::create(
            &t.ctx,
            &refused.principal(),
            post(g.group.id, "Mine", PostVisibility::Public, false),
        )
        .await
        .expect_err("not a moderator");
        assert_eq!(err.code(), "forbidden");
    }
    let err = super::create(
        &t.ctx,
        &Principal::Anonymous,
        post(g.group.id, "Mine", PostVisibility::Public, false),
    )
    .await
    .expect_err("anonymous");
    assert_eq!(err.code(), "unauthenticated");
    let mut empty = post(g.group.id, " ", PostVisibility::Public, false);
    let err = super::create(&t.ctx, &g.admin.principal(), empty.clone())
        .await
        .expect_err("no title");
    assert_eq!(err.code(), "invalid");
    empty.title = "Title".to_owned();
    empty.body = Body::Markdown("   ".to_owned());
    let err = super::create(&t.ctx, &g.admin.principal(), empty)
        .await
        .expect_err("no body");
    assert_eq!(err.code(), "invalid");
}

#[tokio::test]
async fn drafts_and_members_only_posts_are_seen_and_listed_by_members_alone() {
    let t = TestContext::new().await;
    let g = group(&t).await;
    let writer = g.moderator.principal();
    let public = super::create(
        &t.ctx,
        &writer,
        post(g.group.id, "Open", PostVisibility::Public, false),
    )
    .await
    .unwrap()
    .into_post();
    let private = super::create(
        &t.ctx,
        &writer,
        post(g.group.id, "Ours", PostVisibility::Private, false),
    )
    .await
    .unwrap()
    .into_post();
    let draft = super::create(
        &t.ctx,
        &writer,
        post(g.group.id, "Soon", PostVisibility::Public, true),
    )
    .await
    .unwrap()
    .into_post();
    let unlisted = super::create(
        &t.ctx,
        &writer,
        post(g.group.id, "Link", PostVisibility::Unlisted, false),
    )
    .await
    .unwrap()
    .into_post();
    assert_eq!(draft.publish_at, None);
    for outsider in [g.visitor.principal(), Principal::Anonymous] {
        for hidden in [&private, &draft] {
            let err = super::find_visible_by_slug(&t.ctx.db, &outsider, &hidden.slug)
                .await
                .expect_err("hidden");
            assert_eq!(err.code(), "not_found");
        }
        for seen in [&public, &unlisted] {
            super::find_visible_by_slug(&t.ctx.db, &outsider, &seen.slug)
                .await
                .expect("seen by its link");
        }
        let listed = super::of_group(&t.ctx.db, &outsider, g.group.id, Page::default())
            .await
            .unwrap();
        assert_eq!(listed.total, 1);
        assert_eq!(listed.elements[0].id, public.id);
    }
    let listed = super::of_group(
        &t.ctx.db,
        &g.member.principal(),
        g.group.id,
        Page::default(),
    )
    .await
    .unwrap();
    assert_eq!(listed.total, 4);
    super::find_visible_by_slug(&t.ctx.db, &g.member.principal(), &draft.slug)
        .await
        .expect("members see drafts");
    let feed = super::public_of_group(&t.ctx.db, g.group.id, 10)
        .await
        .unwrap();
    assert_eq!(
        feed.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![public.id]
    );
    // A member who is not a moderator may not change or delete one either.
    let err = super::delete(
        &t.ctx,
        &g.member.principal(),
        PostRef::Uuid(public.uuid.clone()),
    )
    .await
    .expect_err("a member");
    assert_eq!(err.code(), "forbidden");
    let err = super::delete(
        &t.ctx,
        &g.visitor.principal(),
        PostRef::Uuid(private.uuid.clone()),
    )
    .await
    .expect_err("an outsider");
    assert_eq!(err.code(), "not_found", "does not learn it exists");
}

#[tokio::test]
async fn followers_elsewhere_hear_of_published_posts_and_of_those_they_lose() {
    let t = TestContext::new().await;
    let g = group(&t).await;
    let writer = g.moderator.principal();
    let draft = super::create(
        &t.ctx,
        &writer,
        post(g.group.id, "Soon", PostVisibility::Public, true),
    )
    .await
    .unwrap()
    .into_post();
    assert_eq!(t.recorded_for_federation().await, vec![]);
    let published = super::update(
        &t.ctx,
        &writer,
        PostRef::Uuid(draft.uuid.clone()),
        PostChanges {
            draft: Some(false),
            body: Some(Body::Markdown("**Room 4**".to_owned())),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(published.publish_at, Some(t.ctx.now()));
    assert_eq!(published.body, "<p><strong>Room 4</strong></p>");
    assert_eq!(published.body_source.as_deref(), Some("**Room 4**"));
    let changes = |visibility| PostChanges {
        visibility: Some(visibility),
        ..Default::default()
    };
    let uuid = PostRef::Uuid(draft.uuid.clone());
    super::update(
        &t.ctx,
        &writer,
        uuid.clone(),
        changes(PostVisibility::Unlisted),
    )
    .await
    .unwrap();
    super::update(
        &t.ctx,
        &writer,
        uuid.clone(),
        changes(PostVisibility::Private),
    )
    .await
    .unwrap();
    super::update(
        &t.ctx,
        &writer,
        uuid.clone(),
        changes(PostVisibility::Public),
    )
    .await
    .unwrap();
    let deleted = super::delete(&t.ctx, &writer, uuid.clone()).await.unwrap();
    let gone = Happened::PostDeleted {
        ap_id: deleted.ap_id.clone(),
        group_id: g.group.id,
    };
    assert_eq!(
        t.recorded_for_federation().await,
        vec![
            Happened::PostPublished { post_id: draft.id },
            Happened::PostUpdated { post_id: draft.id },
            gone.clone(),
            Happened::PostPublished { post_id: draft.id },
            gone,
        ]
    );
    let err = super::find(&t.ctx.db, draft.id).await.expect_err("gone");
    assert_eq!(err.code(), "not_found");
}

#[tokio::test]
async fn a_followed_remote_groups_article_becomes_a_post_once_and_its_instance_alone_changes_it() {
    let t = TestContext::new().await;
    let reader = t.person("reader").await;
    let group = t.remote_actor("makers", ActorKind::Group).await;
    let author = t.remote_actor("maker", ActorKind::Person).await;
    let sender = Principal::Remote {
        actor_id: group.id,
        activity_id: format!("{}/create/1", group.ap_id),
    };
    let article = NewPost {
        remote: Some(RemotePost {
            ap_id: format!("{}/p/news-1", group.ap_id),
            published_at: None,
            author_id: Some(author.id),
        }),
        ..post(group.id, "News", PostVisibility::Public, false)
    };
    let err = super::create(&t.ctx, &sender, article.clone())
        .await
        .expect_err("nobody follows it");
    assert_eq!(err.code(), "forbidden");
    let now = t.ctx.now();
    entity::follow::ActiveModel {
        id: NotSet,
        follower_id: Set(reader.actor.id),
        target_id: Set(group.id),
        approved: Set(true),
        notify: Set(false),
        ap_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&t.ctx.db)
    .await
    .unwrap();
    let kept = super::create(&t.ctx, &sender, article.clone())
        .await
        .unwrap();
    let Posted::New(kept) = kept else {
        panic!("a new post")
    };
    assert!(!kept.local);
    assert_eq!(kept.author_id, author.id);
    assert!(matches!(
        super::create(&t.ctx, &sender, article.clone())
            .await
            .unwrap(),
        Posted::Known(_)
    ));
    assert_eq!(t.recorded_for_federation().await, vec![], "not sent back");
    super::find_visible_by_slug(&t.ctx.db, &Principal::Anonymous, &kept.slug)
        .await
        .expect("shown here");
    // Another instance's actor does not speak for it, nor do people here.
    let stranger = crate::actors::remote::RemoteActor {
        ap_id: "https://elsewhere.example/@x".to_owned(),
        preferred_username: "x".to_owned(),
        domain: "elsewhere.example".to_owned(),
        kind: ActorKind::Person,
        name: None,
        summary: None,
        url: None,
        inbox_url: "https://elsewhere.example/@x/inbox".to_owned(),
        shared_inbox_url: None,
        outbox_url: None,
        followers_url: None,
        public_key_pem: "-----BEGIN PUBLIC KEY-----".to_owned(),
        manually_approves_followers: false,
        openness: Openness::Open,
        avatar: None,
        banner: None,
    };
    let stranger = crate::actors::remote::upsert(&t.ctx.db, stranger, now)
        .await
        .unwrap();
    let stranger = Principal::Remote {
        actor_id: stranger.id,
        activity_id: "https://elsewhere.example/delete/1".to_owned(),
    };
    let which = PostRef::ApId(kept.ap_id.clone());
    let err = super::delete(&t.ctx, &stranger, which.clone())
        .await
        .expect_err("a stranger");
    assert_eq!(err.code(), "forbidden");
    let err = super::delete(&t.ctx, &reader.principal(), which.clone())
        .await
        .expect_err("a reader here");
    assert_eq!(err.code(), "forbidden");
    let changed = super::update(
        &t.ctx,
        &sender,
        which.clone(),
        PostChanges {
            title: Some("News, updated".to_owned()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(changed.title, "News, updated");
    super::delete(&t.ctx, &sender, which)
        .await
        .expect("its group deletes it");
}
