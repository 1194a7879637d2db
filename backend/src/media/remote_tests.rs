use chrono::Duration;
use entity::actor::ActorKind;
use entity::event::{EventStatus, EventVisibility, JoinOptions};
use entity::job::{self, JobState};
use sea_orm::QueryOrder;

use super::*;
use crate::events::federated::{RemoteEvent, delete_remote, find_by_ap_id, upsert_remote};
use crate::principal::Principal;
use crate::testing::{TestContext, pictures};

const PICNIC: &str = "https://far.example/events/picnic";

fn picnic(t: &TestContext, organizer: i64, picture: Option<&str>, version: i64) -> RemoteEvent {
    RemoteEvent {
        ap_id: PICNIC.to_owned(),
        url: PICNIC.to_owned(),
        title: "Picnic".to_owned(),
        description: String::new(),
        begins_on: t.ctx.now() + Duration::days(3),
        ends_on: None,
        timezone: None,
        status: EventStatus::Confirmed,
        visibility: EventVisibility::Public,
        join_options: JoinOptions::Free,
        external_participation_url: None,
        category: None,
        language: None,
        online_address: None,
        place: None,
        maximum_attendee_capacity: None,
        anonymous_participation: false,
        is_online: false,
        organizer_actor_id: organizer,
        attributed_to_id: None,
        tags: Vec::new(),
        published_at: None,
        updated_at: Some(t.ctx.now() + Duration::minutes(version)),
        picture: picture.map(|url| RemotePicture {
            url: url.to_owned(),
            name: Some("Banner".to_owned()),
        }),
        series_url: None,
    }
}

async fn pending_fetches(t: &TestContext) -> Vec<FetchPicture> {
    job::Entity::find()
        .filter(job::Column::Kind.eq(FETCH_JOB))
        .filter(job::Column::State.eq(JobState::Pending))
        .order_by_asc(job::Column::Id)
        .all(&t.ctx.db)
        .await
        .expect("jobs")
        .into_iter()
        .map(|j| serde_json::from_value(j.payload).expect("payload"))
        .collect()
}

/// What the federation layer's job does once its request answered: the bytes of a real
/// photo, checked and stored by backend. The job is then done.
async fn fetched(t: &TestContext, job: &FetchPicture) -> Option<media::Model> {
    let wanted = prepare(&t.ctx, job).await.expect("prepared")?;
    let stored = store(&t.ctx, job, wanted, pictures::jpeg_with_gps(1200, 600))
        .await
        .expect("stored");
    cancel_pending(&t.ctx.db, t.ctx.now(), "picture:")
        .await
        .expect("done");
    stored
}

async fn picture_of_picnic(t: &TestContext) -> Option<media::Model> {
    let event = find_by_ap_id(&t.ctx.db, PICNIC)
        .await
        .expect("read")
        .expect("kept");
    match event.picture_media_id {
        Some(id) => Some(find_by_id(&t.ctx.db, id).await.expect("read").expect("row")),
        None => None,
    }
}

#[tokio::test]
async fn a_remote_banner_is_fetched_once_replaced_when_it_changes_and_deleted_with_its_event() {
    let t = TestContext::new().await;
    let club = t.remote_actor("club", ActorKind::Group).await;
    let first = "https://far.example/media/first.jpg";
    let second = "https://far.example/media/second.jpg";

    upsert_remote(&t.ctx, picnic(&t, club.id, Some(first), 1))
        .await
        .expect("stored");
    // A second copy before the fetch ran: still one fetch, for the newest version.
    upsert_remote(&t.ctx, picnic(&t, club.id, Some(first), 2))
        .await
        .expect("stored again");
    let jobs = pending_fetches(&t).await;
    assert_eq!(jobs.len(), 1, "{jobs:?}");
    assert_eq!(
        (jobs[0].of, jobs[0].url.as_str()),
        (PictureOf::Event, first)
    );
    assert!(
        picture_of_picnic(&t).await.is_none(),
        "not before it is fetched"
    );

    let copy = fetched(&t, &jobs[0]).await.expect("attached");
    assert_eq!(copy.owner_actor_id, club.id);
    assert_eq!(copy.remote_url.as_deref(), Some(first));
    assert_eq!(copy.content_type, "image/jpeg");
    assert_eq!((copy.width, copy.height), (1200, 600));
    assert!(copy.detached_at.is_none());
    assert_eq!(picture_of_picnic(&t).await.map(|m| m.id), Some(copy.id));
    for variant in crate::media::variants_of(&copy) {
        assert!(t.ctx.media.get(&variant.key).await.expect("read").is_some());
    }

    // The same picture named again: nothing to fetch, the copy stays.
    upsert_remote(&t.ctx, picnic(&t, club.id, Some(first), 3))
        .await
        .expect("stored again");
    assert!(pending_fetches(&t).await.is_empty());
    assert_eq!(picture_of_picnic(&t).await.map(|m| m.id), Some(copy.id));

    // A new picture: the old copy goes at once, the new one is fetched.
    upsert_remote(&t.ctx, picnic(&t, club.id, Some(second), 4))
        .await
        .expect("changed");
    assert!(
        find_by_id(&t.ctx.db, copy.id)
            .await
            .expect("read")
            .is_none()
    );
    assert!(picture_of_picnic(&t).await.is_none());
    let jobs = pending_fetches(&t).await;
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].url, second);
    // A fetch planned by a version since replaced does nothing: the newer one decided.
    upsert_remote(&t.ctx, picnic(&t, club.id, None, 5))
        .await
        .expect("picture taken off");
    assert!(pending_fetches(&t).await.is_empty(), "its fetch cancelled");
    assert!(prepare(&t.ctx, &jobs[0]).await.expect("read").is_none());

    upsert_remote(&t.ctx, picnic(&t, club.id, Some(second), 6))
        .await
        .expect("put back");
    let jobs = pending_fetches(&t).await;
    let copy = fetched(&t, &jobs[0]).await.expect("attached");
    let keys: Vec<String> = crate::media::variants_of(&copy)
        .into_iter()
        .map(|v| v.key)
        .collect();

    delete_remote(&t.ctx, PICNIC).await.expect("deleted");
    assert!(
        find_by_id(&t.ctx.db, copy.id)
            .await
            .expect("read")
            .is_none()
    );
    t.run_due_jobs().await;
    for key in keys {
        assert!(
            t.ctx.media.get(&key).await.expect("read").is_none(),
            "{key}"
        );
    }
}

#[tokio::test]
async fn a_fetch_overtaken_by_a_copy_naming_the_same_picture_still_attaches_it_once() {
    let t = TestContext::new().await;
    let club = t.remote_actor("club", ActorKind::Group).await;
    let url = "https://far.example/media/first.jpg";
    upsert_remote(&t.ctx, picnic(&t, club.id, Some(url), 1))
        .await
        .expect("stored");
    let running = pending_fetches(&t).await.remove(0);
    let wanted = prepare(&t.ctx, &running)
        .await
        .expect("read")
        .expect("wanted");
    // While it runs, the event arrives again: a newer version plans its own fetch.
    upsert_remote(&t.ctx, picnic(&t, club.id, Some(url), 2))
        .await
        .expect("stored again");
    assert_eq!(pending_fetches(&t).await.len(), 1);
    let copy = store(&t.ctx, &running, wanted, pictures::jpeg_with_gps(800, 400))
        .await
        .expect("stored")
        .expect("attached all the same");
    assert_eq!(picture_of_picnic(&t).await.map(|m| m.id), Some(copy.id));
    assert!(
        pending_fetches(&t).await.is_empty(),
        "the newer fetch is answered"
    );
}

#[tokio::test]
async fn a_blocked_instance_takes_the_avatars_and_banners_copied_from_it_and_leaves_ours() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let ours = crate::media::upload(
        &t.ctx,
        &alice.principal(),
        Upload {
            bytes: pictures::jpeg_with_gps(400, 400),
            name: "Me".to_owned(),
            alt: None,
            purpose: MediaPurpose::Avatar,
            identity: None,
        },
    )
    .await
    .expect("uploaded");
    let club = t.remote_actor("club", ActorKind::Group).await;
    let mut described = crate::actors::remote::RemoteActor {
        ap_id: club.ap_id.clone(),
        preferred_username: club.preferred_username.clone(),
        domain: "far.example".to_owned(),
        kind: ActorKind::Group,
        name: Some("Club".to_owned()),
        summary: None,
        url: None,
        inbox_url: format!("{}/inbox", club.ap_id),
        shared_inbox_url: None,
        outbox_url: None,
        followers_url: None,
        public_key_pem: "-----BEGIN PUBLIC KEY-----".to_owned(),
        manually_approves_followers: false,
        openness: entity::actor::Openness::Open,
        avatar: Some(RemotePicture {
            url: "https://far.example/avatar.png".to_owned(),
            name: None,
        }),
        banner: Some(RemotePicture {
            url: "https://far.example/banner.png".to_owned(),
            name: None,
        }),
    };
    crate::actors::remote::receive(&t.ctx, described.clone())
        .await
        .expect("refreshed");
    let jobs = pending_fetches(&t).await;
    assert_eq!(jobs.len(), 2, "{jobs:?}");
    let mut copies = Vec::new();
    for job in &jobs {
        copies.push(fetched(&t, job).await.expect("attached"));
    }
    let club = crate::actors::find(&t.ctx.db, club.id).await.expect("read");
    assert_eq!(club.avatar_media_id, Some(copies[0].id));
    assert_eq!(club.banner_media_id, Some(copies[1].id));
    assert_eq!(copies[0].purpose, MediaPurpose::Avatar);
    assert_eq!(copies[1].purpose, MediaPurpose::Banner);

    // A profile without a banner any more: its copy goes, the avatar stays.
    described.banner = None;
    crate::actors::remote::receive(&t.ctx, described)
        .await
        .expect("refreshed");
    assert!(pending_fetches(&t).await.is_empty());
    assert!(
        find_by_id(&t.ctx.db, copies[1].id)
            .await
            .expect("read")
            .is_none()
    );
    assert!(
        find_by_id(&t.ctx.db, copies[0].id)
            .await
            .expect("read")
            .is_some()
    );

    crate::domain_blocks::block(&t.ctx, &Principal::System, "far.example", None)
        .await
        .expect("blocked");
    assert!(
        find_by_id(&t.ctx.db, copies[0].id)
            .await
            .expect("read")
            .is_none()
    );
    let club = crate::actors::find(&t.ctx.db, club.id).await.expect("read");
    assert_eq!(club.avatar_media_id, None);
    assert!(
        find_by_id(&t.ctx.db, ours.id)
            .await
            .expect("read")
            .is_some()
    );
}

#[tokio::test]
async fn a_remote_picture_that_is_not_one_is_refused_like_an_upload_and_the_event_kept() {
    let t = TestContext::new().await;
    let club = t.remote_actor("club", ActorKind::Group).await;
    upsert_remote(
        &t.ctx,
        picnic(&t, club.id, Some("https://far.example/page.html"), 1),
    )
    .await
    .expect("stored");
    let jobs = pending_fetches(&t).await;
    let wanted = prepare(&t.ctx, &jobs[0])
        .await
        .expect("read")
        .expect("wanted");
    assert_eq!(wanted.limit, t.ctx.settings.media.upload_limit_bytes);
    let refused = store(
        &t.ctx,
        &jobs[0],
        wanted,
        b"<html>not a picture</html>".to_vec(),
    )
    .await
    .expect_err("refused");
    assert_eq!(refused.code(), "picture_unsupported");
    assert!(picture_of_picnic(&t).await.is_none());
    let owned = media::Entity::find()
        .filter(media::Column::OwnerActorId.eq(club.id))
        .all(&t.ctx.db)
        .await
        .expect("read");
    assert!(owned.is_empty());
}

#[test]
fn only_http_addresses_are_planned_for_fetching() {
    let picture = |url: &str| RemotePicture {
        url: url.to_owned(),
        name: None,
    };
    assert!(fetchable(&picture("https://far.example/a.jpg")));
    assert!(fetchable(&picture("http://far.example/a.jpg")));
    assert!(!fetchable(&picture("file:///etc/passwd")));
    assert!(!fetchable(&picture("data:image/png;base64,AAAA")));
    assert!(!fetchable(&picture(&format!(
        "https://far.example/{}",
        "a".repeat(3000)
    ))));
}
