//! What a suspension does beyond hiding: the places a suspended person gives up, the groups
//! they leave, the lists their hidden events leave, and what other instances are told.

#![allow(clippy::expect_used, clippy::unwrap_used)]
use entity::actor::{ActorKind, Openness};
use entity::member::MemberRole;
use entity::participant::{self, ParticipantRole};
use entity::user::UserRole;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::{suspend, unsuspend};
use crate::groups::members::{self, MembershipRequest};
use crate::outbox::Happened;
use crate::pagination::Page;
use crate::participations::{JoinRequest, Joined};
use crate::rate_limits::Client;
use crate::testing::{TestContext, TestPerson, new_event};

async fn join(t: &TestContext, who: &TestPerson, event_id: i64) -> participant::Model {
    let request = JoinRequest {
        event_id,
        ..Default::default()
    };
    crate::participations::join(&t.ctx, &who.principal(), &Client::Local, request)
        .await
        .and_then(Joined::into_participation)
        .expect("joined")
}

async fn role_in(t: &TestContext, who: &TestPerson, event_id: i64) -> Option<ParticipantRole> {
    crate::participations::of_actor(&t.ctx.db, event_id, who.actor.id)
        .await
        .unwrap()
        .map(|p| p.role)
}

async fn group_of(t: &TestContext, creator: &TestPerson, name: &str) -> entity::actor::Model {
    crate::groups::service::create(
        &t.ctx,
        &creator.actor,
        crate::groups::service::NewGroup {
            preferred_username: name.to_owned(),
            name: Some(name.to_owned()),
            openness: Some(Openness::Open),
            ..Default::default()
        },
    )
    .await
    .expect("group")
}

async fn role_in_group(t: &TestContext, who: &TestPerson, group_id: i64) -> Option<MemberRole> {
    crate::groups::membership_of(&t.ctx.db, &who.principal(), group_id)
        .await
        .unwrap()
        .map(|m| m.role)
}

async fn join_group(t: &TestContext, who: &TestPerson, group_id: i64) -> entity::member::Model {
    let request = MembershipRequest {
        group_id,
        actor_id: Some(who.actor.id),
    };
    members::join(&t.ctx, &who.principal(), request)
        .await
        .unwrap()
        .into_member()
        .unwrap()
}

#[tokio::test]
async fn a_suspended_person_gives_up_their_seats_to_come_and_the_first_in_line_takes_each() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let spammer = t.person("spammer").await;
    let ana = t.person("ana").await;
    let modo = t.person_with("modo", UserRole::Moderator, |_| {}).await;
    let starts = t.ctx.now() + chrono::Duration::days(3);
    let mut small = new_event("Repair café", starts);
    small.options.maximum_attendee_capacity = Some(1);
    let small = crate::events::service::create(&t.ctx, &organizer.principal(), small)
        .await
        .unwrap();
    let theirs = crate::events::service::create(
        &t.ctx,
        &spammer.principal(),
        new_event("Cheap watches fair", starts),
    )
    .await
    .unwrap();
    join(&t, &spammer, small.id).await;
    assert_eq!(
        join(&t, &ana, small.id).await.role,
        ParticipantRole::Waitlisted
    );

    suspend(&t.ctx, &modo.principal(), spammer.actor.id, Some("Spam"))
        .await
        .unwrap();
    assert_eq!(role_in(&t, &spammer, small.id).await, None);
    assert_eq!(
        role_in(&t, &ana, small.id).await,
        Some(ParticipantRole::Participant),
        "the seat went to the first in line"
    );
    assert_eq!(
        role_in(&t, &spammer, theirs.id).await,
        Some(ParticipantRole::Creator),
        "their own event stays, hidden with them"
    );
    unsuspend(&t.ctx, &modo.principal(), spammer.actor.id)
        .await
        .unwrap();
    assert_eq!(
        role_in(&t, &spammer, small.id).await,
        None,
        "a place given up is not taken back from whoever has it now"
    );
}

#[tokio::test]
async fn a_suspended_persons_groups_pass_to_a_moderator_else_a_member_and_a_lone_one_keeps_them() {
    let t = TestContext::new().await;
    let spammer = t.person("spammer").await;
    let (ana, bo, cy) = (
        t.person("ana").await,
        t.person("bo").await,
        t.person("cy").await,
    );
    let modo = t.person_with("modo", UserRole::Moderator, |_| {}).await;
    let with_moderator = group_of(&t, &spammer, "gardeners").await;
    join_group(&t, &ana, with_moderator.id).await;
    let bos = join_group(&t, &bo, with_moderator.id).await;
    members::update_role(&t.ctx, &spammer.principal(), bos.id, MemberRole::Moderator)
        .await
        .unwrap();
    let with_members = group_of(&t, &spammer, "cyclists").await;
    join_group(&t, &ana, with_members.id).await;
    join_group(&t, &cy, with_members.id).await;
    let alone = group_of(&t, &spammer, "lonely").await;
    let others = group_of(&t, &ana, "readers").await;
    join_group(&t, &spammer, others.id).await;

    suspend(&t.ctx, &modo.principal(), spammer.actor.id, None)
        .await
        .unwrap();
    let gone = |g: i64| role_in_group(&t, &spammer, g);
    assert_eq!(gone(with_moderator.id).await, None);
    assert_eq!(
        role_in_group(&t, &bo, with_moderator.id).await,
        Some(MemberRole::Administrator),
        "its moderator runs it now"
    );
    assert_eq!(
        role_in_group(&t, &ana, with_moderator.id).await,
        Some(MemberRole::Member)
    );
    assert_eq!(gone(with_members.id).await, None);
    assert_eq!(
        role_in_group(&t, &ana, with_members.id).await,
        Some(MemberRole::Administrator),
        "its longest-standing member runs it now"
    );
    assert_eq!(
        role_in_group(&t, &cy, with_members.id).await,
        Some(MemberRole::Member)
    );
    assert_eq!(
        gone(alone.id).await,
        Some(MemberRole::Creator),
        "nobody else could run it"
    );
    assert_eq!(gone(others.id).await, None);
}

/// Where ana, who goes to `event`, and peers see it: (her participations, in her feed, its
/// own `.ics`, its organizer's outbox, their upcoming events, the instance's outbox).
async fn seen(
    t: &TestContext,
    ana: &TestPerson,
    token: &str,
    event: &entity::event::Model,
    spammer: &TestPerson,
) -> (u64, bool, bool, u64, u64, u64) {
    let now = t.ctx.now();
    let listed = crate::participations::of_user(
        &t.ctx.db,
        ana.user.id,
        None,
        Some(now),
        None,
        Page::default(),
    )
    .await
    .unwrap()
    .total;
    let feed = crate::feeds::Feed::open(
        &t.ctx,
        crate::feeds::Source::Token {
            token: token.to_owned(),
        },
    )
    .await
    .unwrap()
    .render(&t.ctx, crate::feeds::Format::Ics)
    .await
    .unwrap();
    let in_feed = String::from_utf8(feed.bytes)
        .unwrap()
        .contains("Cheap watches fair");
    let own = crate::feeds::Feed::open(
        &t.ctx,
        crate::feeds::Source::Event {
            uuid: event.uuid.to_string(),
        },
    )
    .await
    .is_ok();
    let outbox =
        crate::events::federated::published_by(&t.ctx.db, spammer.actor.id, Page::default())
            .await
            .unwrap()
            .total;
    let upcoming =
        crate::events::federated::upcoming_of(&t.ctx.db, spammer.actor.id, now, Page::default())
            .await
            .unwrap()
            .total;
    let here = crate::events::federated::published_here(&t.ctx.db, Page::default())
        .await
        .unwrap()
        .total;
    (listed, in_feed, own, outbox, upcoming, here)
}

#[tokio::test]
async fn a_hidden_event_leaves_the_participations_list_and_feed_its_own_ics_and_the_outbox() {
    let t = TestContext::new().await;
    let spammer = t.person("spammer").await;
    let ana = t.person("ana").await;
    let modo = t.person_with("modo", UserRole::Moderator, |_| {}).await;
    let starts = t.ctx.now() + chrono::Duration::days(3);
    let event = crate::events::service::create(
        &t.ctx,
        &spammer.principal(),
        new_event("Cheap watches fair", starts),
    )
    .await
    .unwrap();
    join(&t, &ana, event.id).await;
    let token = crate::feeds::tokens::create(&t.ctx, &ana.user, None)
        .await
        .unwrap();
    assert_eq!(
        seen(&t, &ana, &token.token, &event, &spammer).await,
        (1, true, true, 1, 1, 1)
    );
    suspend(&t.ctx, &modo.principal(), spammer.actor.id, None)
        .await
        .unwrap();
    assert_eq!(
        seen(&t, &ana, &token.token, &event, &spammer).await,
        (0, false, false, 0, 0, 0)
    );
    unsuspend(&t.ctx, &modo.principal(), spammer.actor.id)
        .await
        .unwrap();
    assert_eq!(
        seen(&t, &ana, &token.token, &event, &spammer).await,
        (1, true, true, 1, 1, 1)
    );
}

#[tokio::test]
async fn a_local_suspension_is_recorded_for_other_instances_and_its_lifting_resends_the_events() {
    let t = TestContext::new().await;
    let spammer = t.person("spammer").await;
    let modo = t.person_with("modo", UserRole::Moderator, |_| {}).await;
    let follower = t.remote_actor("fan", ActorKind::Person).await;
    let starts = t.ctx.now() + chrono::Duration::days(3);
    let event = crate::events::service::create(
        &t.ctx,
        &spammer.principal(),
        new_event("Cheap watches fair", starts),
    )
    .await
    .unwrap();
    // Keys, as once it has been served to another instance; and a follower there.
    let mut keyed: entity::actor::ActiveModel = spammer.actor.clone().into();
    keyed.private_key_pem = Set(Some("-----BEGIN PRIVATE KEY-----".to_owned()));
    keyed.update(&t.ctx.db).await.unwrap();
    entity::follow::Entity::insert(entity::follow::ActiveModel {
        follower_id: Set(follower.id),
        target_id: Set(spammer.actor.id),
        approved: Set(true),
        notify: Set(false),
        ap_id: Set(Some("https://far.example/follows/1".to_owned())),
        created_at: Set(t.ctx.now()),
        updated_at: Set(t.ctx.now()),
        ..Default::default()
    })
    .exec(&t.ctx.db)
    .await
    .unwrap();
    let remote = t.remote_actor("troll", ActorKind::Person).await;
    let before = t.recorded_for_federation().await.len();

    suspend(&t.ctx, &modo.principal(), spammer.actor.id, None)
        .await
        .unwrap();
    suspend(&t.ctx, &modo.principal(), remote.id, None)
        .await
        .unwrap();
    let recorded = t.recorded_for_federation().await;
    assert_eq!(
        recorded[before..],
        [Happened::ActorSuspended {
            actor_id: spammer.actor.id,
            inboxes: vec!["https://far.example/inbox".to_owned()],
        }],
        "a remote actor's suspension stays here"
    );

    unsuspend(&t.ctx, &modo.principal(), spammer.actor.id)
        .await
        .unwrap();
    let recorded = t.recorded_for_federation().await;
    assert_eq!(
        recorded[before + 1..],
        [
            Happened::ActorUpdated {
                actor_id: spammer.actor.id
            },
            Happened::EventCreated { event_id: event.id },
        ]
    );
    let still = entity::follow::Entity::find()
        .filter(entity::follow::Column::TargetId.eq(spammer.actor.id))
        .all(&t.ctx.db)
        .await
        .unwrap();
    assert_eq!(still.len(), 1, "followers stay, to hear of the lifting");
}

#[tokio::test]
async fn the_participants_of_a_suspended_organizers_events_to_come_are_told_once_in_their_language()
{
    let t = TestContext::new().await;
    let spammer = t.person("spammer").await;
    let ana = t.person("ana").await;
    let lea = t
        .person_with("lea", UserRole::User, |row| {
            row.locale = Set("fr".to_owned())
        })
        .await;
    let modo = t.person_with("modo", UserRole::Moderator, |_| {}).await;
    let starts = t.ctx.now() + chrono::Duration::days(3);
    let fair = crate::events::service::create(
        &t.ctx,
        &spammer.principal(),
        new_event("Cheap watches fair", starts),
    )
    .await
    .unwrap();
    join(&t, &ana, fair.id).await;
    join(&t, &lea, fair.id).await;
    t.run_due_jobs().await;
    let before = |email: &str| t.mail_to(email).len();
    let (ana_before, lea_before, spammer_before) = (
        before("ana@example.org"),
        before("lea@example.org"),
        before("spammer@example.org"),
    );

    suspend(&t.ctx, &modo.principal(), spammer.actor.id, Some("Spam"))
        .await
        .unwrap();
    suspend(&t.ctx, &modo.principal(), spammer.actor.id, Some("Again"))
        .await
        .unwrap();
    t.run_due_jobs().await;
    let told = t.mail_to("ana@example.org");
    assert_eq!(told.len(), ana_before + 1, "told once");
    let mail = told.last().unwrap();
    assert_eq!(mail.subject, "No longer shown: Cheap watches fair");
    assert!(mail.text.contains("may not take place"), "{}", mail.text);
    assert!(
        !mail.text.contains(&fair.url),
        "no link to a page that answers not found"
    );
    let french = t.mail_to("lea@example.org");
    assert_eq!(french.len(), lea_before + 1);
    assert_eq!(
        french.last().unwrap().subject,
        "Plus affiché : Cheap watches fair"
    );
    assert_eq!(
        t.mail_to("spammer@example.org").len(),
        spammer_before,
        "the organizer is not among those told"
    );

    // Lifting the suspension tells nobody.
    unsuspend(&t.ctx, &modo.principal(), spammer.actor.id)
        .await
        .unwrap();
    t.run_due_jobs().await;
    assert_eq!(t.mail_to("ana@example.org").len(), ana_before + 1);
}

#[tokio::test]
async fn participants_of_an_event_hidden_already_are_not_told_again() {
    let t = TestContext::new().await;
    let spammer = t.person("spammer").await;
    let ana = t.person("ana").await;
    let modo = t.person_with("modo", UserRole::Moderator, |_| {}).await;
    let group = group_of(&t, &spammer, "watchers").await;
    let mut in_group = new_event("Watch swap", t.ctx.now() + chrono::Duration::days(3));
    in_group.attributed_to_id = Some(group.id);
    let in_group = crate::events::service::create(&t.ctx, &spammer.principal(), in_group)
        .await
        .unwrap();
    join(&t, &ana, in_group.id).await;
    t.run_due_jobs().await;
    let ana_before = t.mail_to("ana@example.org").len();

    suspend(&t.ctx, &modo.principal(), group.id, None)
        .await
        .unwrap();
    t.run_due_jobs().await;
    assert_eq!(
        t.mail_to("ana@example.org").len(),
        ana_before + 1,
        "the group's event is hidden with the group"
    );
    suspend(&t.ctx, &modo.principal(), spammer.actor.id, None)
        .await
        .unwrap();
    t.run_due_jobs().await;
    assert_eq!(
        t.mail_to("ana@example.org").len(),
        ana_before + 1,
        "hidden already: not told twice"
    );
}
