use entity::MemberRole;
use entity::actor::Openness;

use super::members::{GroupRefusal, JoinedGroup, LeftGroup, MembershipRequest};
use super::service::{self, NewGroup};
use super::{followers, follows, members};
use crate::pagination::Page;
use crate::principal::Principal;
use crate::testing::{TestContext, TestPerson};

fn as_member(person: &TestPerson, group_id: i64) -> MembershipRequest {
    MembershipRequest {
        group_id,
        actor_id: Some(person.actor.id),
    }
}

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
    let err = members::leave(&t.ctx, &alice.principal(), as_member(&alice, g.id))
        .await
        .expect_err("last admin");
    assert_eq!(err.code(), "last_administrator");
    let bobs = members::join(&t.ctx, &bob.principal(), as_member(&bob, g.id))
        .await
        .expect("join open group")
        .into_member()
        .expect("a member");
    assert_eq!(bobs.role, MemberRole::Member);
    members::update_role(
        &t.ctx,
        &alice.principal(),
        bobs.id,
        MemberRole::Administrator,
    )
    .await
    .expect("promote");
    members::leave(&t.ctx, &alice.principal(), as_member(&alice, g.id))
        .await
        .expect("another admin remains")
        .into_member()
        .expect("left");
}

#[tokio::test]
async fn joining_depends_on_the_groups_openness() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let bob = t.person("bob").await;
    let open = group(&t, &alice, "open", Openness::Open).await;
    let moderated = group(&t, &alice, "moderated", Openness::Moderated).await;
    let closed = group(&t, &alice, "closed", Openness::InviteOnly).await;
    let joined = members::join(&t.ctx, &bob.principal(), as_member(&bob, open.id))
        .await
        .expect("open");
    assert!(
        matches!(&joined, JoinedGroup::Member(m) if m.role == MemberRole::Member),
        "{joined:?}"
    );
    let JoinedGroup::Pending(request) =
        members::join(&t.ctx, &bob.principal(), as_member(&bob, moderated.id))
            .await
            .expect("moderated")
    else {
        panic!("a request to a moderated group waits");
    };
    assert_eq!(request.role, MemberRole::NotApproved);
    let closed_door = members::join(&t.ctx, &bob.principal(), as_member(&bob, closed.id))
        .await
        .expect("closed");
    assert_eq!(closed_door, JoinedGroup::Refused(GroupRefusal::InviteOnly));
    assert_eq!(
        closed_door.into_member().expect_err("closed").code(),
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
    members::join(&t.ctx, &bob.principal(), as_member(&bob, g.id))
        .await
        .expect("join");
    for outsider in [Principal::Anonymous, stranger.principal()] {
        let err = super::members(&t.ctx.db, &outsider, g.id, &[], None, Page::default())
            .await
            .expect_err("outsider");
        assert_eq!(err.code(), "forbidden");
    }
    let list = super::members(
        &t.ctx.db,
        &bob.principal(),
        g.id,
        &[],
        None,
        Page::default(),
    )
    .await
    .expect("member sees members");
    assert_eq!(list.total, 2);
    let named = super::members(
        &t.ctx.db,
        &bob.principal(),
        g.id,
        &[],
        Some("BO"),
        Page::default(),
    )
    .await
    .expect("members by name");
    assert_eq!(named.total, 1, "only bob's name holds \"bo\"");
    assert_eq!(
        super::members_count(&t.ctx.db, g.id).await.expect("count"),
        2
    );
    let request = follows::FollowRequest {
        target_id: g.id,
        actor_id: None,
        notify: true,
    };
    follows::follow(&t.ctx, &stranger.principal(), request)
        .await
        .expect("follow");
    assert_eq!(
        super::followers_count(&t.ctx.db, g.id)
            .await
            .expect("followers"),
        1
    );
    let request = follows::UnfollowRequest {
        target_id: g.id,
        actor_id: None,
    };
    follows::unfollow(&t.ctx, &stranger.principal(), request)
        .await
        .and_then(follows::Unfollowed::into_follow)
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
    let query = super::GroupSearch {
        term: "garden".to_owned(),
        ..Default::default()
    };
    let found = super::search(&t.ctx.db, &query, Page::default())
        .await
        .expect("search");
    assert_eq!(found.total, 1);
    assert_eq!(found.elements[0].preferred_username, "gardeners");
}

/// The principal the inbox builds for `actor`'s activity `n`.
fn remote(actor: &entity::actor::Model, n: u32) -> Principal {
    Principal::Remote {
        actor_id: actor.id,
        activity_id: format!("{}#activities/{n}", actor.ap_id),
    }
}

fn following(target_id: i64) -> follows::FollowRequest {
    follows::FollowRequest {
        target_id,
        actor_id: None,
        notify: true,
    }
}

#[tokio::test]
async fn a_remote_actor_follows_through_the_same_function_and_is_accepted_again_if_it_asks_again() {
    use crate::outbox::Happened;
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let g = group(&t, &alice, "gardeners", Openness::Open).await;
    let far = t
        .remote_actor("far", entity::actor::ActorKind::Person)
        .await;
    let follow = follows::follow(&t.ctx, &remote(&far, 1), following(g.id))
        .await
        .expect("follow");
    assert!(follow.approved, "a group here takes followers at once");
    assert!(
        !follow.notify,
        "remote followers hear through their instance"
    );
    assert_eq!(follow.ap_id, Some(format!("{}#activities/1", far.ap_id)));
    follows::follow(&t.ctx, &remote(&far, 2), following(g.id))
        .await
        .expect("asked again");
    let accepted = Happened::FollowAccepted {
        follow_id: follow.id,
    };
    let recorded = t.recorded_for_federation().await;
    assert_eq!(recorded.iter().filter(|h| **h == accepted).count(), 2);

    let unfollow = |n| {
        let request = follows::UnfollowRequest {
            target_id: g.id,
            actor_id: None,
        };
        let (ctx, principal) = (t.ctx.clone(), remote(&far, n));
        async move { follows::unfollow(&ctx, &principal, request).await }
    };
    assert!(matches!(
        unfollow(3).await.expect("undo"),
        follows::Unfollowed::Unfollowed(_)
    ));
    assert_eq!(
        unfollow(4).await.expect("undo again"),
        follows::Unfollowed::NotFollowing
    );
}

#[tokio::test]
async fn a_group_approving_by_hand_keeps_a_remote_follower_waiting_for_its_moderators_alone() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let g = service::create(
        &t.ctx,
        &alice.actor,
        NewGroup {
            preferred_username: "careful".to_owned(),
            manually_approves_followers: Some(true),
            ..Default::default()
        },
    )
    .await
    .expect("group");
    let far = t
        .remote_actor("far", entity::actor::ActorKind::Person)
        .await;
    let follow = follows::follow(&t.ctx, &remote(&far, 1), following(g.id))
        .await
        .expect("follow");
    assert!(!follow.approved);
    let err = follows::decide(&t.ctx, &remote(&far, 2), follow.id, true)
        .await
        .expect_err("a follower does not approve itself");
    assert_eq!(err.code(), "forbidden");
    let approved = follows::decide(&t.ctx, &alice.principal(), follow.id, true)
        .await
        .expect("approved");
    assert!(approved.approved);
    assert!(
        t.recorded_for_federation()
            .await
            .contains(&crate::outbox::Happened::FollowAccepted {
                follow_id: follow.id
            })
    );
}

#[tokio::test]
async fn people_here_follow_groups_only() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let bob = t.person("bob").await;
    let far = t
        .remote_actor("far", entity::actor::ActorKind::Person)
        .await;
    for person in [&bob.actor, &far] {
        let err = follows::follow(&t.ctx, &alice.principal(), following(person.id))
            .await
            .expect_err("a person");
        assert_eq!(err.to_string(), "group not found");
    }
}

#[tokio::test]
async fn only_the_followed_remote_group_answers_a_follow_of_ours() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let far_group = t
        .remote_actor("farmers", entity::actor::ActorKind::Group)
        .await;
    let stranger = t
        .remote_actor("stranger", entity::actor::ActorKind::Person)
        .await;
    let follow = follows::follow(&t.ctx, &alice.principal(), following(far_group.id))
        .await
        .expect("follow");
    assert!(!follow.approved, "pending until its instance answers");
    assert!(t.recorded_for_federation().await.contains(
        &crate::outbox::Happened::FollowRequested {
            follow_id: follow.id
        }
    ));
    let err = follows::decide(&t.ctx, &remote(&stranger, 1), follow.id, true)
        .await
        .expect_err("not the followed group");
    assert_eq!(err.code(), "forbidden");
    let err = follows::decide(&t.ctx, &alice.principal(), follow.id, true)
        .await
        .expect_err("not ours to answer");
    assert_eq!(err.code(), "forbidden");
    let accepted = follows::decide(&t.ctx, &remote(&far_group, 2), follow.id, true)
        .await
        .expect("accepted");
    assert!(accepted.approved);
    follows::decide(&t.ctx, &remote(&far_group, 3), follow.id, false)
        .await
        .expect("rejected after all");
    assert!(
        followers::find_follow(&t.ctx.db, alice.actor.id, far_group.id)
            .await
            .expect("read")
            .is_none()
    );
}

#[tokio::test]
async fn asking_twice_or_after_a_refusal_is_refused_and_leaving_twice_finds_no_membership() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let bob = t.person("bob").await;
    let g = group(&t, &alice, "moderated", Openness::Moderated).await;
    let JoinedGroup::Pending(request) =
        members::join(&t.ctx, &bob.principal(), as_member(&bob, g.id))
            .await
            .expect("ask")
    else {
        panic!("a request to a moderated group waits");
    };
    let again = members::join(&t.ctx, &bob.principal(), as_member(&bob, g.id))
        .await
        .expect("ask again");
    assert_eq!(again, JoinedGroup::Refused(GroupRefusal::AlreadyMember));
    members::reject(&t.ctx, &alice.principal(), request.id)
        .await
        .expect("reject");
    let after = members::join(&t.ctx, &bob.principal(), as_member(&bob, g.id))
        .await
        .expect("ask after a refusal");
    assert_eq!(after, JoinedGroup::Refused(GroupRefusal::Declined));
    let left = members::leave(&t.ctx, &bob.principal(), as_member(&bob, g.id))
        .await
        .expect("leave");
    assert_eq!(left, LeftGroup::NotMember);
    assert_eq!(left.into_member().expect_err("gone").code(), "not_found");
}

#[tokio::test]
async fn nobody_joins_a_group_as_someone_elses_identity_or_anonymously() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let bob = t.person("bob").await;
    let g = group(&t, &alice, "open", Openness::Open).await;
    let err = members::join(&t.ctx, &bob.principal(), as_member(&alice, g.id))
        .await
        .expect_err("alice's identity");
    assert!(matches!(err.code(), "not_found" | "forbidden"), "{err}");
    let err = members::join(&t.ctx, &Principal::Anonymous, as_member(&bob, g.id))
        .await
        .expect_err("anonymous");
    assert_eq!(err.code(), "unauthenticated");
}
