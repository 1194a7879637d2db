//! Pictures through Mobilizon's operations: `uploadMedia` as a GraphQL multipart request,
//! then `createEvent(picture: {mediaId})`, the picture fetched from our own origin: a JPEG of
//! the expected size, without the EXIF it was sent with. Bad files and someone else's picture
//! get a clear error with a code, and the event is saved without them. The S3 storage is
//! checked against a real S3-compatible server when `.ci/run` starts one.

use backend::testing::pictures;
use chrono::{Duration, Utc};
use serde_json::{Value, json};
use tests::TestServer;
use tests::people::sign_up;

const UPLOAD: &str = "mutation($file: Upload!, $name: String!, $alt: String) {
    uploadMedia(file: $file, name: $name, alt: $alt) {
        id url name alt contentType size metadata { width height blurhash }
    }
}";

const CREATE_WITH_PICTURE: &str =
    "mutation($title: String!, $begins: DateTime!, $picture: MediaInput) {
    createEvent(title: $title, beginsOn: $begins, picture: $picture) {
        id uuid picture { id url metadata { width height } }
    }
}";

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn code(error: &Value) -> &str {
    error["extensions"]["code"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn an_uploaded_photo_set_on_an_event_is_served_by_us_without_its_exif() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let photo = pictures::jpeg_with_gps(2000, 1000);
    let uploaded = alice
        .gql
        .send_file(
            UPLOAD,
            json!({ "file": null, "name": "Repair café", "alt": "Bikes on a table" }),
            "variables.file",
            "photo.jpg",
            &photo,
        )
        .await;
    assert!(uploaded["errors"].is_null(), "{uploaded:#}");
    let media = &uploaded["data"]["uploadMedia"];
    assert_eq!(media["contentType"], "image/jpeg");
    assert_eq!(media["alt"], "Bikes on a table");
    assert_eq!(media["metadata"]["width"], 1600);
    assert_eq!(media["metadata"]["height"], 800);
    assert!(
        media["metadata"]["blurhash"]
            .as_str()
            .is_some_and(|b| b.len() > 6)
    );

    let created = alice
        .gql
        .data(
            CREATE_WITH_PICTURE,
            json!({
                "title": "Repair café",
                "begins": Utc::now() + Duration::days(3),
                "picture": { "mediaId": media["id"] },
            }),
        )
        .await;
    let picture = &created["createEvent"]["picture"];
    assert_eq!(picture["id"], media["id"]);
    let url = picture["url"].as_str().expect("url");
    assert!(url.starts_with(&server.url("/media/")), "{url}");

    let http = reqwest::Client::new();
    let answer = http.get(url).send().await.expect("fetch");
    assert_eq!(answer.status(), 200);
    let header = |name: &str| {
        answer
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("content-type"), "image/jpeg");
    assert_eq!(
        header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    let etag = header("etag");
    assert!(!etag.is_empty());
    let bytes = answer.bytes().await.expect("body");
    assert_eq!(media["size"], bytes.len());
    assert!(!contains(&bytes, pictures::GPS_MARKER), "EXIF served");
    let decoded = image::load_from_memory(&bytes).expect("a picture");
    assert_eq!((decoded.width(), decoded.height()), (1600, 800));

    let again = http
        .get(url)
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("revalidate");
    assert_eq!(again.status(), 304);
    let unknown = http
        .get(server.url("/media/00000000-0000-0000-0000-000000000000-card.jpg"))
        .send()
        .await
        .expect("unknown");
    assert_eq!(unknown.status(), 404);

    let account = alice
        .gql
        .data(
            "{ loggedUser { mediaSize } config { uploadLimits { default avatar banner } } }",
            json!({}),
        )
        .await;
    assert!(account["loggedUser"]["mediaSize"].as_i64().unwrap_or(0) > bytes.len() as i64);
    assert_eq!(
        account["config"]["uploadLimits"],
        json!({ "default": 10_000_000, "avatar": 2_000_000, "banner": 4_000_000 })
    );
}

#[tokio::test]
async fn bad_files_and_someone_elses_picture_get_a_code_and_the_event_is_saved_without_them() {
    let server = TestServer::builder()
        .settings(|s| s.media.upload_limit_bytes = 20_000)
        .start()
        .await;
    let alice = sign_up(&server, "alice").await;
    let bob = sign_up(&server, "bob").await;
    let upload = |who: &tests::people::Member, name: &'static str, bytes: Vec<u8>| {
        let gql = who.gql.clone();
        async move {
            gql.send_file(
                UPLOAD,
                json!({ "file": null, "name": name }),
                "variables.file",
                name,
                &bytes,
            )
            .await
        }
    };

    let svg = upload(&alice, "logo.svg", pictures::SVG.to_vec()).await;
    assert_eq!(code(&svg["errors"][0]), "picture_unsupported", "{svg:#}");
    let photo = pictures::jpeg_with_gps(160, 100);
    let truncated = upload(&alice, "cut.jpg", photo[..photo.len() / 2].to_vec()).await;
    assert_eq!(
        code(&truncated["errors"][0]),
        "picture_unreadable",
        "{truncated:#}"
    );
    let big = upload(&alice, "big.jpg", pictures::jpeg_with_gps(1500, 1500)).await;
    assert_eq!(code(&big["errors"][0]), "payload_too_large", "{big:#}");

    let fine = upload(&alice, "fine.jpg", photo.clone()).await;
    let alices = fine["data"]["uploadMedia"]["id"].clone();
    assert!(alices.is_string(), "{fine:#}");

    let stolen = bob
        .gql
        .send(
            CREATE_WITH_PICTURE,
            json!({
                "title": "Bob's picnic",
                "begins": Utc::now() + Duration::days(3),
                "picture": { "mediaId": alices },
            }),
        )
        .await;
    assert_eq!(code(&stolen["errors"][0]), "forbidden", "{stolen:#}");
    assert!(
        stolen["data"]["createEvent"]["uuid"].is_string(),
        "saved: {stolen:#}"
    );
    assert!(stolen["data"]["createEvent"]["picture"].is_null());

    // A file sent with the event itself, refused: the event is kept, without a picture.
    let with_svg = bob
        .gql
        .send_file(
            CREATE_WITH_PICTURE,
            json!({
                "title": "Bob's concert",
                "begins": Utc::now() + Duration::days(4),
                "picture": { "media": { "file": null, "name": "poster" } },
            }),
            "variables.picture.media.file",
            "poster.svg",
            pictures::SVG,
        )
        .await;
    assert_eq!(
        code(&with_svg["errors"][0]),
        "picture_unsupported",
        "{with_svg:#}"
    );
    let uuid = with_svg["data"]["createEvent"]["uuid"]
        .as_str()
        .expect("saved");
    backend::events::find_by_uuid(&server.ctx.db, uuid)
        .await
        .expect("the event was saved");

    let removed = bob
        .gql
        .send(
            "mutation($id: ID!) { removeMedia(id: $id) { id } }",
            json!({ "id": alices }),
        )
        .await;
    assert_eq!(code(&removed["errors"][0]), "forbidden", "{removed:#}");
}

#[tokio::test]
async fn a_request_larger_than_any_upload_limit_is_refused_before_it_is_read() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let huge = vec![0xFFu8; 10_500_000];
    let answer = alice
        .gql
        .send_file(
            UPLOAD,
            json!({ "file": null, "name": "x" }),
            "variables.file",
            "x.jpg",
            &huge,
        )
        .await;
    assert_eq!(
        code(&answer["errors"][0]),
        "payload_too_large",
        "{answer:#}"
    );
}

#[tokio::test]
async fn the_s3_storage_keeps_reads_and_deletes_a_file_on_a_real_server() {
    let var = |name: &str| std::env::var(format!("CONVIVE_TEST_S3_{name}")).ok();
    let (Some(endpoint), Some(bucket), Some(id), Some(secret)) = (
        var("ENDPOINT"),
        var("BUCKET"),
        var("ACCESS_KEY_ID"),
        var("SECRET_ACCESS_KEY"),
    ) else {
        tests::skip("CONVIVE_TEST_S3_* are not set (no S3-compatible server)");
        return;
    };
    backend::tls::use_ring();
    let settings = backend::settings::MediaSettings {
        storage: backend::settings::MediaStorageKind::S3,
        s3: backend::settings::S3Settings {
            endpoint: Some(endpoint),
            bucket,
            region: var("REGION").unwrap_or_else(|| "garage".to_owned()),
            access_key_id: Some(id),
            secret_access_key: Some(secret),
            allow_http: true,
        },
        ..Default::default()
    };
    let storage = backend::media::MediaStorage::from_settings(&settings).expect("storage");
    let key = format!("{}-card.jpg", uuid::Uuid::new_v4());
    let photo = pictures::jpeg_with_gps(64, 64);
    storage.put(&key, photo.clone()).await.expect("put");
    assert_eq!(
        storage.get(&key).await.expect("get").as_deref(),
        Some(&photo[..])
    );
    storage.delete(&key).await.expect("delete");
    assert_eq!(storage.get(&key).await.expect("get after delete"), None);
    storage.delete(&key).await.expect("deleting again");
}
