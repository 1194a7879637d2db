//! Pictures between two real instances: B follows a group on A, whose avatar and whose event's
//! banner B copies and serves from its own origin (never pointing at A), replaces when A
//! changes the banner, and deletes with the event. A remote picture that answers 404 or is far
//! too large leaves the event stored without a picture, and a log line.

use std::sync::{Arc, Mutex};

use backend::media::remote::FETCH_JOB;
use chrono::Utc;
use entity::job::{self, JobState};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use tests::TestServer;
use tests::federating::{self, wait_for};
use tests::people::{Member, sign_up};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const UPLOAD: &str = "mutation($file: Upload!, $name: String!) {
    uploadMedia(file: $file, name: $name) { id }
}";

async fn upload(member: &Member, name: &str, width: u32, height: u32) -> String {
    let photo = backend::testing::pictures::jpeg_with_gps(width, height);
    let answer = member
        .gql
        .send_file(
            UPLOAD,
            json!({ "file": null, "name": name }),
            "variables.file",
            "photo.jpg",
            &photo,
        )
        .await;
    assert!(answer["errors"].is_null(), "{answer:#}");
    answer["data"]["uploadMedia"]["id"]
        .as_str()
        .expect("media id")
        .to_owned()
}

/// The picture at `url`, read back and decoded: its width and height.
async fn decoded(url: &str) -> (u32, u32) {
    let answer = reqwest::get(url).await.expect("fetch");
    assert_eq!(answer.status(), 200, "{url}");
    let bytes = answer.bytes().await.expect("body");
    let picture = image::load_from_memory(&bytes).expect("a picture");
    (picture.width(), picture.height())
}

async fn media_row(server: &TestServer, id: Option<i64>) -> Option<entity::media::Model> {
    backend::media::find_by_id(&server.ctx.db, id?)
        .await
        .expect("read")
}

#[tokio::test]
async fn an_instance_following_a_group_shows_its_avatar_and_event_banner_from_its_own_origin() {
    let a = federating::server().await;
    let b = federating::server().await;
    let alice = sign_up(&a, "alice").await;
    let group = alice
        .gql
        .data(
            "mutation { createGroup(preferredUsername: \"repair\", name: \"Repair collective\") { id } }",
            json!({}),
        )
        .await;
    let group_id = group["createGroup"]["id"].as_str().unwrap().to_owned();
    let avatar = upload(&alice, "Our logo", 400, 400).await;
    alice
        .gql
        .data(
            "mutation($id: ID!, $avatar: MediaInput) { updateGroup(id: $id, avatar: $avatar) { id } }",
            json!({ "id": group_id, "avatar": { "mediaId": avatar } }),
        )
        .await;

    sign_up(&b, "bob").await;
    let bob = backend::actors::find_local_by_username(&b.ctx.db, "bob")
        .await
        .unwrap()
        .unwrap();
    let a_host = a.ctx.settings.public_url.host();
    let follow =
        federation::follow_remote(b.federation(), &b.ctx, &bob, &format!("repair@{a_host}"))
            .await
            .expect("B follows the group");
    wait_for("B to receive A's Accept", || async {
        let f = backend::groups::followers::find_follow(&b.ctx.db, bob.id, follow.target_id)
            .await
            .unwrap()?;
        f.approved.then_some(())
    })
    .await;

    // The group's avatar, copied by B when it met the group.
    let copy = wait_for("the group's avatar on B", || async {
        let group = backend::actors::find(&b.ctx.db, follow.target_id)
            .await
            .ok()?;
        media_row(&b, group.avatar_media_id).await
    })
    .await;
    assert!(
        copy.remote_url
            .as_deref()
            .is_some_and(|u| u.starts_with(&a.ctx.url("/media/"))),
        "{copy:?}"
    );
    let on_b = b.url(&backend::media::path_of(
        &backend::media::variants_of(&copy)[0].key,
    ));
    assert_eq!(decoded(&on_b).await, (400, 400));

    // An event with a banner.
    let banner = upload(&alice, "Bikes", 1600, 800).await;
    let created = alice
        .gql
        .data(
            "mutation($group: ID!, $begins: DateTime!, $picture: MediaInput) {
                createEvent(attributedToId: $group, title: \"Repair café\", beginsOn: $begins,
                    picture: $picture) { id uuid }
            }",
            json!({
                "group": group_id,
                "begins": Utc::now() + chrono::Duration::days(3),
                "picture": { "mediaId": banner },
            }),
        )
        .await;
    let uuid = created["createEvent"]["uuid"].as_str().unwrap().to_owned();
    let event_id = created["createEvent"]["id"].as_str().unwrap().to_owned();
    let ap_id = a.ctx.url(&format!("/events/{uuid}"));
    let first = wait_for("the event's banner on B", || async {
        let event = backend::events::federated::find_by_ap_id(&b.ctx.db, &ap_id)
            .await
            .unwrap()?;
        media_row(&b, event.picture_media_id).await
    })
    .await;
    let stored = backend::events::federated::find_by_ap_id(&b.ctx.db, &ap_id)
        .await
        .unwrap()
        .unwrap();

    let shown = b
        .gql()
        .data(
            "query($u: String!) { event(uuid: $u) { picture { url metadata { width height } } } }",
            json!({ "u": stored.uuid }),
        )
        .await;
    let url = shown["event"]["picture"]["url"]
        .as_str()
        .expect("a picture");
    assert!(url.starts_with(&b.ctx.url("/media/")), "{url}");
    assert_eq!(decoded(url).await, (1600, 800));
    let page = reqwest::get(b.url(&format!("/events/{}", stored.uuid)))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains(&a.ctx.url("/media/")), "{page}");
    assert!(
        page.contains("/media/"),
        "B's page shows the banner: {page}"
    );
    for src in page.split("src=\"").skip(1) {
        let src = src.split('"').next().unwrap_or_default();
        // A placeholder drawn inline (`data:`) is no request at all.
        assert!(
            src.starts_with('/') || src.starts_with(&b.ctx.url("/")) || src.starts_with("data:"),
            "the page loads {src}"
        );
    }

    // A new banner on A: B replaces its copy.
    let second = upload(&alice, "Bikes again", 1200, 600).await;
    alice
        .gql
        .data(
            "mutation($u: ID!, $picture: MediaInput) { updateEvent(eventId: $u, picture: $picture) { id } }",
            json!({ "u": event_id, "picture": { "mediaId": second } }),
        )
        .await;
    let replaced = wait_for("the new banner on B", || async {
        let event = backend::events::federated::find_by_ap_id(&b.ctx.db, &ap_id)
            .await
            .unwrap()?;
        let copy = media_row(&b, event.picture_media_id).await?;
        (copy.id != first.id).then_some(copy)
    })
    .await;
    assert_eq!((replaced.width, replaced.height), (1200, 600));
    assert!(media_row(&b, Some(first.id)).await.is_none());

    // The event deleted on A: B's copy goes with it, files included.
    let files: Vec<String> = backend::media::variants_of(&replaced)
        .into_iter()
        .map(|v| v.key)
        .collect();
    alice
        .gql
        .data(
            "mutation($id: ID!) { deleteEvent(eventId: $id) { id } }",
            json!({ "id": event_id }),
        )
        .await;
    wait_for("the banner's files gone from B", || async {
        if media_row(&b, Some(replaced.id)).await.is_some() {
            return None;
        }
        for key in &files {
            if b.ctx.media.get(key).await.ok()?.is_some() {
                return None;
            }
        }
        Some(())
    })
    .await;
    let gone = reqwest::get(b.url(&backend::media::path_of(&files[0])))
        .await
        .unwrap();
    assert_eq!(gone.status(), 404);
}

/// A peer on loopback that answers 404 for `/missing.jpg`, and for `/huge.jpg` a picture of
/// 200 MB, announced or not (`/endless.jpg` sends its bytes without saying how many).
async fn bad_origin() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut head = vec![0u8; 4096];
                let n = socket.read(&mut head).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&head[..n]).to_string();
                let huge: u64 = 200 * 1024 * 1024;
                let chunk = vec![0xFFu8; 64 * 1024];
                if request.starts_with("GET /huge.jpg") {
                    let header = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: image/jpeg\r\ncontent-length: {huge}\r\n\r\n"
                    );
                    if socket.write_all(header.as_bytes()).await.is_err() {
                        return;
                    }
                    let mut sent = 0;
                    while sent < huge && socket.write_all(&chunk).await.is_ok() {
                        sent += chunk.len() as u64;
                    }
                } else if request.starts_with("GET /endless.jpg") {
                    let header = "HTTP/1.1 200 OK\r\ncontent-type: image/jpeg\r\ntransfer-encoding: chunked\r\n\r\n";
                    if socket.write_all(header.as_bytes()).await.is_err() {
                        return;
                    }
                    let mut sent = 0;
                    let size = format!("{:x}\r\n", chunk.len());
                    while sent < huge
                        && socket.write_all(size.as_bytes()).await.is_ok()
                        && socket.write_all(&chunk).await.is_ok()
                        && socket.write_all(b"\r\n").await.is_ok()
                    {
                        sent += chunk.len() as u64;
                    }
                } else {
                    let _ = socket
                        .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")
                        .await;
                }
            });
        }
    });
    format!("http://localhost:{}", address.port())
}

/// Log lines written while it lives, on this test's thread (where its servers run).
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut kept) = self.0.lock() {
            kept.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    fn text(&self) -> String {
        self.0
            .lock()
            .map(|kept| String::from_utf8_lossy(&kept).into_owned())
            .unwrap_or_default()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_remote_picture_that_answers_404_or_is_far_too_large_leaves_the_event_without_one() {
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::WARN)
        .finish();
    let _logging = tracing::subscriber::set_default(subscriber);

    let origin = bad_origin().await;
    let b = federating::server().await;
    let domain = origin.trim_start_matches("http://").to_owned();
    let club = backend::actors::remote::upsert(
        &b.ctx.db,
        backend::actors::remote::RemoteActor {
            ap_id: format!("{origin}/@club"),
            preferred_username: "club".to_owned(),
            domain,
            kind: entity::actor::ActorKind::Group,
            name: None,
            summary: None,
            url: None,
            inbox_url: format!("{origin}/@club/inbox"),
            shared_inbox_url: None,
            outbox_url: None,
            followers_url: None,
            public_key_pem: "-----BEGIN PUBLIC KEY-----".to_owned(),
            manually_approves_followers: false,
            openness: entity::actor::Openness::Open,
            avatar: None,
            banner: None,
        },
        b.ctx.now(),
    )
    .await
    .unwrap();

    for path in ["/missing.jpg", "/huge.jpg", "/endless.jpg"] {
        let ap_id = format!("{origin}/events{path}");
        let picture = format!("{origin}{path}");
        backend::events::federated::upsert_remote(
            &b.ctx,
            backend::events::federated::RemoteEvent {
                ap_id: ap_id.clone(),
                url: ap_id.clone(),
                title: format!("Picnic {path}"),
                description: String::new(),
                begins_on: Utc::now() + chrono::Duration::days(3),
                ends_on: None,
                timezone: None,
                status: entity::EventStatus::Confirmed,
                visibility: entity::event::EventVisibility::Public,
                join_options: entity::event::JoinOptions::Free,
                external_participation_url: None,
                category: None,
                language: None,
                online_address: None,
                place: None,
                maximum_attendee_capacity: None,
                anonymous_participation: false,
                is_online: false,
                organizer_actor_id: club.id,
                attributed_to_id: Some(club.id),
                tags: Vec::new(),
                published_at: None,
                updated_at: None,
                picture: Some(backend::media::RemotePicture {
                    url: picture.clone(),
                    name: None,
                }),
                series_url: None,
            },
        )
        .await
        .unwrap()
        .expect("kept");
        wait_for("the fetch to end", || async {
            let open = job::Entity::find()
                .filter(job::Column::Kind.eq(FETCH_JOB))
                .filter(job::Column::State.is_in([JobState::Pending, JobState::Running]))
                .all(&b.ctx.db)
                .await
                .unwrap();
            open.is_empty().then_some(())
        })
        .await;
        let event = backend::events::federated::find_by_ap_id(&b.ctx.db, &ap_id)
            .await
            .unwrap()
            .expect("the event is kept");
        assert_eq!(event.picture_media_id, None, "{path}");
        let written = logs.text();
        assert!(
            written
                .lines()
                .any(|l| l.contains("was not copied") && l.contains(&picture)),
            "{path}: {written}"
        );
    }
    let copies = entity::media::Entity::find()
        .filter(entity::media::Column::OwnerActorId.eq(club.id))
        .all(&b.ctx.db)
        .await
        .unwrap();
    assert!(copies.is_empty(), "{copies:?}");
    assert!(logs.text().contains("404"), "{}", logs.text());
}
