//! Rules the edges used to hold, now the service's: who gets the edit form, which events
//! of other instances are kept, and an event looked up by uuid with its visibility checked once.

use chrono::Duration;
use entity::actor::ActorKind;

use super::{remote_event, service};
use crate::events::federated::{Arrival, find_by_ap_id, receive};
use crate::groups::follows::{self, FollowRequest};
use crate::principal::Principal;
use crate::testing::{TestContext, new_event};

#[tokio::test]
async fn the_edit_form_is_for_those_who_may_change_the_event_as_the_update_itself() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let stranger = t.person("stranger").await;
    let start = t.ctx.now() + Duration::days(2);
    let public = service::create(&t.ctx, &alice.principal(), new_event("Picnic", start))
        .await
        .expect("event");
    let mut draft = new_event("Not yet", start);
    draft.draft = Some(true);
    let draft = service::create(&t.ctx, &alice.principal(), draft)
        .await
        .expect("draft");
    let editable = |principal: Principal, uuid: String| {
        let db = t.ctx.db.clone();
        async move { super::super::find_editable(&db, &principal, &uuid).await }
    };
    assert_eq!(
        editable(alice.principal(), public.uuid.clone())
            .await
            .expect("hers")
            .id,
        public.id
    );
    let refused = [
        (stranger.principal(), public.uuid.clone(), "forbidden"),
        (Principal::Anonymous, public.uuid.clone(), "forbidden"),
        (stranger.principal(), draft.uuid.clone(), "not_found"),
    ];
    for (principal, uuid, code) in refused {
        let err = editable(principal.clone(), uuid)
            .await
            .expect_err("not theirs");
        assert_eq!(err.code(), code, "{principal:?}");
        let update = service::update(&t.ctx, &principal, public.id, Default::default()).await;
        if principal != Principal::Anonymous && code == "forbidden" {
            assert_eq!(
                update.expect_err("the service says the same").to_string(),
                err.to_string()
            );
        }
    }
}

#[tokio::test]
async fn an_event_sent_by_another_instance_is_kept_only_when_someone_here_follows_its_owner() {
    let t = TestContext::new().await;
    let far = t.remote_actor("farmers", ActorKind::Group).await;
    let sent = |n: u32| {
        remote_event(
            &t,
            &format!("https://far.example/events/{n}"),
            far.id,
            "Harvest",
            None,
        )
    };
    let kept = receive(&t.ctx, sent(1), Arrival::Sent)
        .await
        .expect("received");
    assert!(kept.is_none(), "nobody here follows the farmers");
    assert!(
        find_by_ap_id(&t.ctx.db, "https://far.example/events/1")
            .await
            .expect("read")
            .is_none()
    );
    let asked = receive(&t.ctx, sent(2), Arrival::AskedFor)
        .await
        .expect("received");
    assert!(asked.is_some(), "someone asked for it by its address");

    let alice = t.person("alice").await;
    let request = FollowRequest {
        target_id: far.id,
        actor_id: None,
        notify: false,
    };
    let follow = follows::follow(&t.ctx, &alice.principal(), request)
        .await
        .expect("follow");
    // A follow waiting for the group's `Accept` does not count yet.
    assert!(
        receive(&t.ctx, sent(3), Arrival::Sent)
            .await
            .expect("received")
            .is_none()
    );
    follows::decide(
        &t.ctx,
        &Principal::Remote {
            actor_id: far.id,
            activity_id: "https://far.example/accepts/1".to_owned(),
        },
        follow.id,
        true,
    )
    .await
    .expect("accepted");
    assert!(
        receive(&t.ctx, sent(4), Arrival::Sent)
            .await
            .expect("received")
            .is_some()
    );
}

#[tokio::test]
async fn a_private_event_of_another_instance_is_refused_however_it_arrives() {
    let t = TestContext::new().await;
    let far = t.remote_actor("far", ActorKind::Group).await;
    let mut private = remote_event(&t, "https://far.example/events/1", far.id, "Ours", None);
    private.visibility = entity::event::EventVisibility::Private;
    for arrival in [Arrival::Sent, Arrival::AskedFor] {
        let err = receive(&t.ctx, private.clone(), arrival)
            .await
            .expect_err("we could not tell who may see it");
        assert_eq!(err.code(), "forbidden");
    }
    assert!(
        find_by_ap_id(&t.ctx.db, "https://far.example/events/1")
            .await
            .expect("lookup")
            .is_none()
    );
    private.visibility = entity::event::EventVisibility::Unlisted;
    let kept = receive(&t.ctx, private, Arrival::AskedFor)
        .await
        .expect("kept");
    assert!(kept.is_some(), "an unlisted one is kept");
}

#[tokio::test]
async fn only_its_organizer_or_group_deletes_an_event_of_another_instance() {
    use crate::events::federated::delete_by_owner;
    let t = TestContext::new().await;
    let far = t.remote_actor("far", ActorKind::Group).await;
    let other = t.remote_actor("other", ActorKind::Person).await;
    let alice = t.person("alice").await;
    let ap_id = "https://far.example/events/1";
    receive(
        &t.ctx,
        remote_event(&t, ap_id, far.id, "Harvest", None),
        Arrival::AskedFor,
    )
    .await
    .expect("kept");
    let remote = |actor: &entity::actor::Model| Principal::Remote {
        actor_id: actor.id,
        activity_id: format!("{}#delete", actor.ap_id),
    };
    for principal in [remote(&other), alice.principal()] {
        let err = delete_by_owner(&t.ctx, &principal, ap_id)
            .await
            .expect_err("not theirs");
        assert_eq!(err.code(), "forbidden");
    }
    let ours = service::create(
        &t.ctx,
        &alice.principal(),
        new_event("Ours", t.ctx.now() + Duration::days(2)),
    )
    .await
    .expect("event");
    let err = delete_by_owner(&t.ctx, &remote(&far), &ours.ap_id)
        .await
        .expect_err("only we delete ours");
    assert_eq!(err.code(), "forbidden");

    assert!(
        delete_by_owner(&t.ctx, &remote(&far), ap_id)
            .await
            .expect("its own")
    );
    assert!(
        find_by_ap_id(&t.ctx.db, ap_id)
            .await
            .expect("read")
            .is_none()
    );
    // Not held here: remembered as deleted, so a late copy is not stored.
    let late = "https://far.example/events/2";
    assert!(
        !delete_by_owner(&t.ctx, &remote(&far), late)
            .await
            .expect("remembered")
    );
    let kept = receive(
        &t.ctx,
        remote_event(&t, late, far.id, "Late", None),
        Arrival::AskedFor,
    )
    .await
    .expect("received");
    assert!(kept.is_none(), "its origin deleted it");
}

#[tokio::test]
async fn an_event_of_another_instance_cannot_name_one_of_ours_as_its_owner() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let forged = remote_event(
        &t,
        "https://far.example/events/1",
        alice.actor.id,
        "Forged",
        None,
    );
    for arrival in [Arrival::Sent, Arrival::AskedFor] {
        let err = receive(&t.ctx, forged.clone(), arrival)
            .await
            .expect_err("only we speak for alice");
        assert_eq!(err.code(), "forbidden");
    }
}

#[tokio::test]
async fn an_event_is_viewed_by_its_uuid_with_how_the_viewer_relates_to_it_or_not_at_all() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let stranger = t.person("stranger").await;
    let start = t.ctx.now() + Duration::days(2);
    let public = service::create(&t.ctx, &alice.principal(), new_event("Picnic", start))
        .await
        .expect("event");
    let mut private = new_event("Members only", start);
    private.visibility = Some(entity::event::EventVisibility::Private);
    let private = service::create(&t.ctx, &alice.principal(), private)
        .await
        .expect("private");

    let hers = crate::events::view(&t.ctx.db, &alice.principal(), &public.uuid.to_uppercase())
        .await
        .expect("her event");
    assert_eq!(hers.event.id, public.id);
    assert!(hers.access.organizer);
    assert_eq!(hers.stats.creator, 1, "the organizer takes part");
    let seen = crate::events::view(&t.ctx.db, &Principal::Anonymous, &public.uuid)
        .await
        .expect("public");
    assert!(!seen.access.organizer);
    for (principal, uuid) in [
        (stranger.principal(), private.uuid.clone()),
        (Principal::Anonymous, private.uuid.clone()),
        (alice.principal(), "no-such-event".to_owned()),
    ] {
        let err = crate::events::view(&t.ctx.db, &principal, &uuid)
            .await
            .expect_err("hidden");
        assert_eq!(err.code(), "not_found", "{principal:?}");
    }
}

#[tokio::test]
async fn joining_by_uuid_refuses_an_event_the_person_may_not_see_as_joining_by_id_does() {
    use crate::participations::{self, JoinRequest, Joined};
    use crate::rate_limits::Client;
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let guest = t.person("guest").await;
    let start = t.ctx.now() + Duration::days(2);
    let public = service::create(&t.ctx, &alice.principal(), new_event("Picnic", start))
        .await
        .expect("event");
    let mut private = new_event("Members only", start);
    private.visibility = Some(entity::event::EventVisibility::Private);
    let private = service::create(&t.ctx, &alice.principal(), private)
        .await
        .expect("private");
    let by_uuid = |uuid: String| {
        let (ctx, principal) = (t.ctx.clone(), guest.principal());
        async move {
            participations::join_event(
                &ctx,
                &principal,
                &Client::Local,
                &uuid,
                JoinRequest::default(),
            )
            .await
        }
    };
    let joined = by_uuid(public.uuid.clone()).await.expect("a public event");
    assert!(matches!(joined, Joined::Going(_)), "{joined:?}");
    let hidden = by_uuid(private.uuid.clone()).await.expect_err("hidden");
    let by_id = participations::join(
        &t.ctx,
        &guest.principal(),
        &Client::Local,
        JoinRequest {
            event_id: private.id,
            ..JoinRequest::default()
        },
    )
    .await
    .expect_err("hidden");
    assert_eq!(hidden.code(), "not_found");
    assert_eq!(hidden.to_string(), by_id.to_string());
}
