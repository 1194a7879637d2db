use chrono::Duration;
use entity::MediaPurpose;

use super::*;
use crate::events::service as events;
use crate::testing::{TestContext, new_event, pictures};

fn photo(purpose: MediaPurpose) -> Upload {
    Upload {
        bytes: pictures::jpeg_with_gps(1200, 800),
        name: "Repair café".to_owned(),
        alt: Some("People fixing bikes".to_owned()),
        purpose,
        identity: None,
    }
}

fn stored_files(t: &TestContext) -> Vec<String> {
    let mut names: Vec<String> = match std::fs::read_dir(t.media_dir.path()) {
        Ok(entries) => entries
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

#[tokio::test]
async fn an_upload_stores_its_sizes_and_counts_against_its_owner() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let media = upload(&t.ctx, &alice.principal(), photo(MediaPurpose::Picture))
        .await
        .expect("uploaded");
    assert_eq!((media.width, media.height), (1200, 800));
    assert_eq!(media.content_type, "image/jpeg");
    assert_eq!(media.owner_actor_id, alice.actor.id);
    let variants = variants_of(&media);
    assert_eq!(variants.len(), 3);
    let files = stored_files(&t);
    for variant in &variants {
        assert!(files.contains(&variant.key), "{files:?}");
        let stored = t
            .ctx
            .media
            .get(&variant.key)
            .await
            .expect("read")
            .expect("kept");
        assert_eq!(stored.len() as u64, variant.bytes);
    }
    assert_eq!(
        used_bytes(&t.ctx.db, &alice.principal())
            .await
            .expect("used"),
        u64::try_from(media.stored_bytes).expect("positive")
    );
}

#[tokio::test]
async fn an_avatar_over_its_limit_and_an_upload_past_the_quota_are_refused() {
    let t = TestContext::with_settings(|s| {
        s.media.avatar_limit_bytes = 2048;
        s.media.quota_bytes_per_user = 10_000_000;
    })
    .await;
    let alice = t.person("alice").await;
    let err = upload(&t.ctx, &alice.principal(), photo(MediaPurpose::Avatar))
        .await
        .expect_err("too large");
    assert_eq!(err.code(), "payload_too_large");

    let t = TestContext::with_settings(|s| {
        s.media.upload_limit_bytes = 400_000;
        s.media.avatar_limit_bytes = 400_000;
        s.media.banner_limit_bytes = 400_000;
        s.media.quota_bytes_per_user = 400_000;
    })
    .await;
    let alice = t.person("alice").await;
    let mut refused = None;
    for _ in 0..40 {
        if let Err(err) = upload(&t.ctx, &alice.principal(), photo(MediaPurpose::Picture)).await {
            refused = Some(err);
            break;
        }
    }
    assert_eq!(refused.expect("quota reached").code(), "quota_exceeded");
    assert!(
        used_bytes(&t.ctx.db, &alice.principal())
            .await
            .expect("used")
            <= t.ctx.settings.media.quota_bytes_per_user
    );
}

#[tokio::test]
async fn someone_elses_picture_cannot_be_set_on_an_event_nor_removed() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let mallory = t.person("mallory").await;
    let media = upload(&t.ctx, &alice.principal(), photo(MediaPurpose::Picture))
        .await
        .expect("uploaded");
    let event = events::create(
        &t.ctx,
        &mallory.principal(),
        new_event("Mallory's", t.ctx.now() + Duration::days(3)),
    )
    .await
    .expect("event");
    let err = set_event_picture(&t.ctx, &mallory.principal(), event.id, Some(&media.uuid))
        .await
        .expect_err("not hers");
    assert_eq!(err.code(), "forbidden");
    let err = remove(&t.ctx, &mallory.principal(), &media.uuid)
        .await
        .expect_err("not hers");
    assert_eq!(err.code(), "forbidden");
    let event = crate::events::find(&t.ctx.db, event.id)
        .await
        .expect("event");
    assert_eq!(event.picture_media_id, None);
}

#[tokio::test]
async fn a_removed_picture_leaves_its_event_and_its_files_go_with_a_job() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let media = upload(&t.ctx, &alice.principal(), photo(MediaPurpose::Picture))
        .await
        .expect("uploaded");
    let event = events::create(
        &t.ctx,
        &alice.principal(),
        new_event("Repair café", t.ctx.now() + Duration::days(3)),
    )
    .await
    .expect("event");
    set_event_picture(&t.ctx, &alice.principal(), event.id, Some(&media.uuid))
        .await
        .expect("set");
    let event = crate::events::find(&t.ctx.db, event.id)
        .await
        .expect("event");
    assert_eq!(event.picture_media_id, Some(media.id));

    remove(&t.ctx, &alice.principal(), &media.uuid)
        .await
        .expect("removed");
    let event = crate::events::find(&t.ctx.db, event.id)
        .await
        .expect("event");
    assert_eq!(event.picture_media_id, None);
    assert_eq!(stored_files(&t).len(), 3, "deleted by the job, not yet");
    t.run_due_jobs().await;
    assert_eq!(stored_files(&t), Vec::<String>::new());
}

#[tokio::test]
async fn orphans_are_deleted_after_the_grace_period_and_used_pictures_are_kept() {
    let t = TestContext::with_settings(|s| s.media.orphan_grace_hours = 48).await;
    let alice = t.person("alice").await;
    let never_attached = upload(&t.ctx, &alice.principal(), photo(MediaPurpose::Picture))
        .await
        .expect("uploaded");
    let replaced = upload(&t.ctx, &alice.principal(), photo(MediaPurpose::Avatar))
        .await
        .expect("uploaded");
    let kept = upload(&t.ctx, &alice.principal(), photo(MediaPurpose::Avatar))
        .await
        .expect("uploaded");
    let of_deleted_event = upload(&t.ctx, &alice.principal(), photo(MediaPurpose::Picture))
        .await
        .expect("uploaded");
    let who = alice.principal();
    set_actor_picture(
        &t.ctx,
        &who,
        alice.actor.id,
        ActorPicture::Avatar,
        Some(&replaced.uuid),
    )
    .await
    .expect("avatar");
    set_actor_picture(
        &t.ctx,
        &who,
        alice.actor.id,
        ActorPicture::Avatar,
        Some(&kept.uuid),
    )
    .await
    .expect("new avatar");
    let event = events::create(
        &t.ctx,
        &who,
        new_event("Soon gone", t.ctx.now() + Duration::days(3)),
    )
    .await
    .expect("event");
    set_event_picture(&t.ctx, &who, event.id, Some(&of_deleted_event.uuid))
        .await
        .expect("picture");
    events::delete(&t.ctx, &who, event.id)
        .await
        .expect("deleted");

    t.clock.advance(Duration::hours(47));
    assert_eq!(cleanup::clean_orphans(&t.ctx).await.expect("clean"), 0);
    t.clock.advance(Duration::hours(2));
    assert_eq!(cleanup::clean_orphans(&t.ctx).await.expect("clean"), 3);
    t.run_due_jobs().await;

    for gone in [&never_attached, &replaced, &of_deleted_event] {
        assert!(find_by_uuid(&t.ctx.db, &gone.uuid).await.is_err());
    }
    find_by_uuid(&t.ctx.db, &kept.uuid)
        .await
        .expect("still used");
    let files = stored_files(&t);
    let kept_keys: Vec<String> = variants_of(&kept).into_iter().map(|v| v.key).collect();
    let mut expected = kept_keys;
    expected.sort();
    assert_eq!(files, expected);
}
