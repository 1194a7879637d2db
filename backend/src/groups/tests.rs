use entity::MemberRole;
use entity::actor::Openness;

use super::service::{self, NewGroup};
use super::{follows, members};
use crate::pagination::Page;
use crate::principal::Principal;
use crate::testing::{TestContext, TestPerson};

async fn group(
    t: &TestContext,
    creator: &TestPerson,
    name: &str,
    openness: Openness,
) -> entity::actor::Model {
    service::create(
        &t.ctx,
        &creator.actor,
        NewGroup {
            preferred_username: name.to_owned(),
            name: Some(format!("The {name}")),
            openness: Some(openness),
            ..Default::default()
        },
    )
    .await
    .expect("create group")
}

#[tokio::test]
async fn the_creator_administers_and_the_last_administrator_cannot_leave() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let bob = t.person("bob").await;
    let g = group(&t, &alice, "gardeners", Openness::Open).await;
    let mine = super::membership_of(&t.ctx.db, &alice.principal(), g.id)
        .await
        .expect("membership")
        .expect("a member");
    assert!(mine.role.is_administrator());
    let err = members::leave(&t.ctx, &alice.actor, g.id)
        .await
        .expect_err("last admin");
    assert_eq!(err.code(), "last_administrator");
    let bobs = members::join(&t.ctx, &bob.actor, g.id)
        .await
        .expect("join open group");
    assert_eq!(bobs.role, MemberRole::Member);
    members::update_role(
        &t.ctx,
        &alice.principal(),
        bobs.id,
        MemberRole::Administrator,
    )
    .await
    .expect("promote");
    members::leave(&t.ctx, &alice.actor, g.id)
        .await
        .expect("another admin remains");
}

#[tokio::test]
async fn joining_depends_on_the_groups_openness() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let bob = t.person("bob").await;
    let open = group(&t, &alice, "open", Openness::Open).await;
    let moderated = group(&t, &alice, "moderated", Openness::Moderated).await;
    let closed = group(&t, &alice, "closed", Openness::InviteOnly).await;
    assert_eq!(
        members::join(&t.ctx, &bob.actor, open.id)
            .await
            .expect("open")
            .role,
        MemberRole::Member
    );
    let request = members::join(&t.ctx, &bob.actor, moderated.id)
        .await
        .expect("moderated");
    assert_eq!(request.role, MemberRole::NotApproved);
    assert_eq!(
        members::join(&t.ctx, &bob.actor, closed.id)
            .await
            .expect_err("closed")
            .code(),
        "forbidden"
    );
    let err = members::approve(&t.ctx, &bob.principal(), request.id)
        .await
        .expect_err("not a moderator");
    assert_eq!(err.code(), "forbidden");
    let approved = members::approve(&t.ctx, &alice.principal(), request.id)
        .await
        .expect("approve");
    assert_eq!(approved.role, MemberRole::Member);
}

#[tokio::test]
async fn only_the_invited_person_accepts_an_invitation() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let bob = t.person("bob").await;
    let carol = t.person("carol").await;
    let g = group(&t, &alice, "closed", Openness::InviteOnly).await;
    let invitation = members::invite(&t.ctx, &alice.principal(), g.id, "bob")
        .await
        .expect("invite");
    assert_eq!(invitation.role, MemberRole::Invited);
    let err = members::accept_invitation(&t.ctx, &carol.principal(), invitation.id)
        .await
        .expect_err("not theirs");
    assert!(matches!(err.code(), "not_found" | "forbidden"), "{err}");
    let accepted = members::accept_invitation(&t.ctx, &bob.principal(), invitation.id)
        .await
        .expect("accept");
    assert_eq!(accepted.role, MemberRole::Member);
}

#[tokio::test]
async fn members_lists_are_for_members_and_counts_for_everyone() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let bob = t.person("bob").await;
    let stranger = t.person("stranger").await;
    let g = group(&t, &alice, "gardeners", Openness::Open).await;
    members::join(&t.ctx, &bob.actor, g.id).await.expect("join");
    for outsider in [Principal::Anonymous, stranger.principal()] {
        let err = super::members(&t.ctx.db, &outsider, g.id, &[], Page::default())
            .await
            .expect_err("outsider");
        assert_eq!(err.code(), "forbidden");
    }
    let list = super::members(&t.ctx.db, &bob.principal(), g.id, &[], Page::default())
        .await
        .expect("member sees members");
    assert_eq!(list.total, 2);
    assert_eq!(
        super::members_count(&t.ctx.db, g.id).await.expect("count"),
        2
    );
    follows::follow(&t.ctx, &stranger.actor, g.id, true)
        .await
        .expect("follow");
    assert_eq!(
        super::followers_count(&t.ctx.db, g.id)
            .await
            .expect("followers"),
        1
    );
    follows::unfollow(&t.ctx, &stranger.actor, g.id)
        .await
        .expect("unfollow");
    assert_eq!(
        super::followers_count(&t.ctx.db, g.id)
            .await
            .expect("followers"),
        0
    );
}

#[tokio::test]
async fn group_search_finds_public_groups_by_name() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    group(&t, &alice, "gardeners", Openness::Open).await;
    group(&t, &alice, "cyclists", Openness::Open).await;
    let found = super::search(&t.ctx.db, "garden", Page::default())
        .await
        .expect("search");
    assert_eq!(found.total, 1);
    assert_eq!(found.elements[0].preferred_username, "gardeners");
}
