//! Our stored pictures as `Image`s on our own origin, and the pictures others name as what
//! backend copies (`backend::media::remote`).

use backend::AppContext;
use backend::media::RemotePicture;
use sea_orm::ConnectionTrait;
use url::Url;

use crate::error::Result;
use crate::protocol::image::{Image, ImageType};

/// The picture `media_id` as `kind`, at the address of its largest size on our origin.
/// `None` when there is none (or its row went meanwhile: the orphan cleanup treats a dangling
/// pointer as no pointer, and so do we).
pub async fn ours(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    media_id: Option<i64>,
    kind: ImageType,
    name: Option<&str>,
) -> Result<Option<Image>> {
    let Some(id) = media_id else {
        return Ok(None);
    };
    let Some(media) = backend::media::find_by_id(conn, id).await? else {
        return Ok(None);
    };
    let Some(largest) = backend::media::variants_of(&media).into_iter().next() else {
        return Ok(None);
    };
    Ok(Some(Image {
        kind,
        media_type: Some(media.content_type.clone()),
        url: Url::parse(&ctx.url(&backend::media::path_of(&largest.key)))?,
        name: name.map(str::to_owned),
        blurhash: Some(media.blurhash.clone()).filter(|b| !b.is_empty()),
        width: Some(largest.width),
        height: Some(largest.height),
    }))
}

/// A picture another instance names, for backend to copy; `None` when it says it is not one.
pub fn theirs(image: Option<&Image>) -> Option<RemotePicture> {
    image.filter(|i| i.is_picture()).map(|i| RemotePicture {
        url: i.url.to_string(),
        name: i.name.clone(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;
    use crate::protocol::actor::Actor;
    use crate::protocol::event::Event;

    /// The payloads captured from other servers (`/work/shared/fixtures/activitypub`).
    fn fixture(name: &str) -> serde_json::Value {
        let path = format!("{}/fixtures/activitypub/{name}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json")
    }

    fn event(name: &str) -> Event {
        serde_json::from_value(fixture(name)["object"].clone()).unwrap()
    }

    fn picture_of_event(name: &str) -> Option<String> {
        crate::objects::event::to_remote(&event(name), 1, None, None)
            .unwrap()
            .picture
            .map(|p| p.url)
    }

    #[test]
    fn mobilizons_events_bring_their_banner_and_gancios_bring_none() {
        // Mobilizon 5 names its banner among a property, a link and the picture.
        assert_eq!(
            picture_of_event("mobilizon5-event-create.synthesized.json").as_deref(),
            Some("https://mobilizon.example/media/banner.jpg")
        );
        // An older Mobilizon: an unnamed `Document` after two links.
        assert_eq!(
            picture_of_event("mobilizon-post-activity-media.json").as_deref(),
            Some("https://mobilizon.fr/some-image")
        );
        // Gancio's events carry no picture; links are not pictures.
        assert_eq!(picture_of_event("gancio-event-activity.json"), None);
        assert_eq!(picture_of_event("mobilizon-post-activity.json"), None);
    }

    #[test]
    fn a_named_banner_wins_over_image_and_a_document_that_is_not_a_picture_is_none() {
        let mut event = event("mobilizon5-event-create.synthesized.json");
        event.image = Some(Image {
            kind: ImageType::Image,
            media_type: Some("image/png".to_owned()),
            url: Url::parse("https://mobilizon.example/other.png").unwrap(),
            name: None,
            blurhash: None,
            width: None,
            height: None,
        });
        assert_eq!(
            event.banner().map(|i| i.url.as_str()),
            Some("https://mobilizon.example/media/banner.jpg")
        );
        event.attachment.clear();
        assert_eq!(
            event.banner().map(|i| i.url.as_str()),
            Some("https://mobilizon.example/other.png")
        );
        event.image.as_mut().unwrap().media_type = Some("application/pdf".to_owned());
        assert!(event.banner().is_none());
    }

    #[test]
    fn mastodon_and_gancio_actors_bring_their_icon_and_image() {
        let mastodon: Actor = serde_json::from_value(fixture("mastodon-actor.json")).unwrap();
        let remote = crate::objects::actor::to_remote(&mastodon).unwrap();
        assert_eq!(
            remote.avatar.map(|p| p.url).as_deref(),
            Some(
                "https://framapiaf.s3.framasoft.org/framapiaf/accounts/avatars/000/223/824/original/03ed95406a9a3cd0.png"
            )
        );
        assert_eq!(
            remote.banner.map(|p| p.url).as_deref(),
            Some(
                "https://framapiaf.s3.framasoft.org/framapiaf/accounts/headers/000/223/824/original/2fbb4d6268c2fb20.png"
            )
        );
        let gancio: Actor = serde_json::from_value(fixture("gancio-actor.json")).unwrap();
        let remote = crate::objects::actor::to_remote(&gancio).unwrap();
        assert_eq!(
            remote.avatar.map(|p| p.url).as_deref(),
            Some("https://demo.gancio.org/logo.png")
        );
        assert!(remote.banner.is_none());
        // Mastodon's `Update` of a profile carries them too.
        let update = fixture("mastodon-update.json");
        let updated: Actor = serde_json::from_value(update["object"].clone()).unwrap();
        assert!(updated.icon.is_some() && updated.image.is_some());
    }

    #[test]
    fn a_malformed_icon_is_dropped_rather_than_failing_the_actor() {
        let mut json = fixture("gancio-actor.json");
        json["icon"] = serde_json::json!({"type": "Image", "url": {"nested": true}});
        let actor: Actor = serde_json::from_value(json).unwrap();
        assert!(actor.icon.is_none());
    }
}
