//! Pictures on the web: an organizer picks a banner on the event form (a plain
//! `multipart/form-data` post, no JavaScript) and an avatar and a banner on the group form; the
//! pages show them in every stored size from our own origin, with their sizes set and a
//! placeholder; shared links carry OpenGraph and Twitter images; the event's iCal attaches the
//! banner and its Atom entry encloses it. A picture without a description, a file that is no
//! picture and a body over the limit each say why, and nothing typed or saved is lost.

use backend::testing::pictures;
use chrono::{Duration, Utc};
use reqwest::StatusCode;
use tests::TestServer;
use tests::browser::{Browser, Page};
use tests::people::{Member, sign_up};

async fn logged_in(server: &TestServer, username: &str) -> (Browser, Member) {
    let member = sign_up(server, username).await;
    let mut browser = Browser::new(&server.base_url);
    let form = browser.get("/login").await;
    let csrf = form.csrf();
    let ok = browser
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", &member.email),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    (browser, member)
}

fn begins() -> String {
    (Utc::now() + Duration::days(3))
        .format("%Y-%m-%dT18:30")
        .to_string()
}

/// The event form posted with `extra` fields and `files`.
async fn post_event(
    browser: &mut Browser,
    path: &str,
    title: &str,
    extra: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> Page {
    let form = browser.get(path).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(
        form.body.contains("enctype=\"multipart/form-data\""),
        "the form sends files without JavaScript"
    );
    let csrf = form.csrf();
    let begins = begins();
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("title", title),
        ("description", "Bring a bike"),
        ("begins", begins.as_str()),
        ("timezone", "Europe/Paris"),
        ("visibility", "public"),
        ("join", "free"),
        ("status", "confirmed"),
    ];
    fields.extend_from_slice(extra);
    browser.post_multipart(path, &fields, files).await
}

fn uuid_of(location: &str) -> String {
    // Past the notice said after saving (`?done=published`).
    let path = location.split('?').next().unwrap_or(location);
    path.trim_start_matches("/events/")
        .trim_end_matches("/edit")
        .to_owned()
}

/// The value of `attribute` in the first tag holding `marker`.
fn attribute(body: &str, marker: &str, attribute: &str) -> Option<String> {
    let at = body.find(marker)?;
    let start = body[..at].rfind('<')?;
    let end = at + body[at..].find('>')?;
    let tag = &body[start..end];
    let key = format!(" {attribute}=\"");
    let from = tag.find(&key)? + key.len();
    let to = from + tag[from..].find('"')?;
    Some(tag[from..to].to_owned())
}

#[tokio::test]
async fn a_banner_chosen_on_the_event_form_shows_on_the_pages_and_in_the_feeds() {
    let server = TestServer::start().await;
    let (mut alice, _) = logged_in(&server, "alice").await;
    let photo = pictures::jpeg_with_gps(2000, 1000);
    let sent = post_event(
        &mut alice,
        "/events/new",
        "Repair café",
        &[("picture_alt", "Bikes upside down on a long table")],
        &[("picture", "bikes.jpg", &photo)],
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let uuid = uuid_of(sent.location.as_deref().unwrap());

    // The event page, as anyone sees it: every size in srcset, the banner size in src, its
    // width and height set, its description as alt, a placeholder that needs no script.
    let mut visitor = Browser::new(&server.base_url);
    let page = visitor.get(&format!("/events/{uuid}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    let src = attribute(body, "srcset=", "src").expect("a picture on the event page");
    assert!(
        src.starts_with("/media/") && src.ends_with("-banner.jpg"),
        "{src}"
    );
    let srcset = attribute(body, "srcset=", "srcset").unwrap();
    for size in ["1600w", "800w", "320w"] {
        assert!(srcset.contains(size), "{srcset}");
    }
    assert_eq!(attribute(body, "srcset=", "width").as_deref(), Some("1600"));
    assert_eq!(attribute(body, "srcset=", "height").as_deref(), Some("800"));
    assert_eq!(
        attribute(body, "srcset=", "alt").as_deref(),
        Some("Bikes upside down on a long table")
    );
    assert!(body.contains("class=\"placeholder\" src=\"data:image/png;base64,"));
    // Nor does the picture: nothing for a script to swap in (`data-src`) or to run (`onload`).
    // The page's one script, our own, only offers the browser's share sheet.
    assert!(
        !body.contains("data-src") && !body.contains("onload="),
        "no script is needed"
    );

    // A shared link's preview: absolute URLs on our own origin.
    let og_image = attribute(body, "property=\"og:image\"", "content").unwrap();
    assert_eq!(og_image, server.url(&src));
    assert_eq!(
        attribute(body, "property=\"og:image:width\"", "content").as_deref(),
        Some("1600")
    );
    assert_eq!(
        attribute(body, "property=\"og:image:height\"", "content").as_deref(),
        Some("800")
    );
    assert_eq!(
        attribute(body, "property=\"og:image:alt\"", "content").as_deref(),
        Some("Bikes upside down on a long table")
    );
    assert_eq!(
        attribute(body, "name=\"twitter:card\"", "content").as_deref(),
        Some("summary_large_image")
    );

    // Every size is ours to serve.
    let http = reqwest::Client::new();
    for candidate in srcset.split(", ") {
        let path = candidate.split(' ').next().unwrap();
        let answer = http.get(server.url(path)).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "{path}");
    }
    let banner_bytes = http
        .get(&og_image)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .len();

    // The home page's card shows the card size.
    let home = visitor.get("/").await;
    let card = attribute(&home.body, "class=\"picture card-picture\"", "class");
    assert!(card.is_some(), "{}", home.body);
    let card_src = attribute(
        &home.body[home.body.find("card-picture").unwrap()..],
        "srcset=",
        "src",
    )
    .unwrap();
    assert!(card_src.ends_with("-card.jpg"), "{card_src}");

    // The iCal attaches the banner; the Atom entry encloses it with its type and length.
    let ics = http
        .get(server.url(&format!("/events/{uuid}/export/ics")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .replace("\r\n ", "");
    assert!(
        ics.contains(&format!("ATTACH;FMTTYPE=image/jpeg:{og_image}\r\n")),
        "{ics}"
    );
    let atom = http
        .get(server.url("/@alice/feed/atom"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        atom.contains(&format!(
            "<link rel=\"enclosure\" type=\"image/jpeg\" length=\"{banner_bytes}\" href=\"{og_image}\"/>"
        )),
        "{atom}"
    );

    // The edit form previews the picture and takes it off when asked.
    let edit = alice.get(&format!("/events/{uuid}/edit")).await;
    assert!(edit.body.contains(&src), "a preview of the current picture");
    assert!(edit.body.contains("name=\"remove_picture\""));
    let removed = post_event(
        &mut alice,
        &format!("/events/{uuid}/edit"),
        "Repair café",
        &[("remove_picture", "on")],
        &[("picture", "", &[])],
    )
    .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    let page = visitor.get(&format!("/events/{uuid}")).await;
    assert!(!page.body.contains("/media/"), "the picture is gone");
    assert!(!page.body.contains("og:image"));
    let ics = http
        .get(server.url(&format!("/events/{uuid}/export/ics")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!ics.contains("ATTACH"), "{ics}");
}

#[tokio::test]
async fn a_picture_without_a_description_brings_the_form_back_with_what_was_typed() {
    let server = TestServer::start().await;
    let (mut alice, _) = logged_in(&server, "alice").await;
    let photo = pictures::jpeg_with_gps(800, 600);
    let refused = post_event(
        &mut alice,
        "/events/new",
        "Soupe et pain",
        &[("picture_alt", "  ")],
        &[("picture", "soup.jpg", &photo)],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Please describe the picture"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("value=\"Soupe et pain\""));
    assert!(refused.body.contains("Bring a bike"));
    assert!(
        refused.body.contains("action=\"/events/new\""),
        "nothing saved"
    );
    let home = Browser::new(&server.base_url).get("/").await;
    assert!(!home.body.contains("Soupe et pain"));
}

#[tokio::test]
async fn a_file_that_is_no_picture_says_why_and_the_event_is_saved_without_it() {
    let server = TestServer::start().await;
    let (mut alice, _) = logged_in(&server, "alice").await;
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>"#;
    let refused = post_event(
        &mut alice,
        "/events/new",
        "Jam session",
        &[("picture_alt", "A drawing")],
        &[("picture", "drawing.svg", svg)],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("The event was saved, but not its picture"),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("it is not a JPEG, PNG, WebP or GIF picture."),
        "why, in the visitor's words: {}",
        refused.body
    );
    let action = attribute(&refused.body, "enctype=", "action").unwrap();
    assert!(
        action.ends_with("/edit"),
        "the saved event's form: {action}"
    );
    let page = alice.get(action.trim_end_matches("/edit")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Jam session"));

    // A truncated photo, on the saved event's form: said, and the event keeps its title.
    let photo = pictures::jpeg_with_gps(640, 480);
    let truncated = &photo[..photo.len() / 2];
    let again = post_event(
        &mut alice,
        &action,
        "Jam session, second set",
        &[("picture_alt", "Drums")],
        &[("picture", "drums.jpg", truncated)],
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again.body.contains("incomplete or damaged"),
        "{}",
        again.body
    );
    let page = alice.get(action.trim_end_matches("/edit")).await;
    assert!(page.body.contains("Jam session, second set"));
}

#[tokio::test]
async fn a_form_with_a_file_checks_its_token_and_its_size() {
    let server = TestServer::builder()
        .settings(|s| {
            s.media.upload_limit_bytes = 64 * 1024;
            s.media.avatar_limit_bytes = 64 * 1024;
            s.media.banner_limit_bytes = 64 * 1024;
        })
        .start()
        .await;
    let (mut alice, _) = logged_in(&server, "alice").await;
    let photo = pictures::jpeg_with_gps(200, 100);
    let begins = begins();
    let forged = alice
        .post_multipart(
            "/events/new",
            &[
                ("csrf", "not-the-token"),
                ("title", "Forged"),
                ("begins", &begins),
                ("timezone", "UTC"),
                ("picture_alt", "x"),
            ],
            &[("picture", "a.jpg", &photo)],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let form = alice.get("/events/new").await;
    let csrf = form.csrf();
    let huge = vec![0u8; 200 * 1024];
    let too_large = alice
        .post_multipart(
            "/events/new",
            &[
                ("csrf", &csrf),
                ("title", "Too large"),
                ("begins", &begins),
                ("timezone", "UTC"),
                ("picture_alt", "x"),
            ],
            &[("picture", "huge.jpg", &huge)],
        )
        .await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        too_large.body.contains("at most 65536 bytes"),
        "{}",
        too_large.body
    );
    let home = Browser::new(&server.base_url).get("/").await;
    assert!(!home.body.contains("Forged") && !home.body.contains("Too large"));
}

#[tokio::test]
async fn a_groups_avatar_and_banner_show_on_its_page_and_beside_its_events() {
    let server = TestServer::start().await;
    let (mut olga, _) = logged_in(&server, "olga").await;
    let form = olga.get("/groups/new").await;
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    let csrf = form.csrf();
    let avatar = pictures::jpeg_with_gps(600, 600);
    let banner = pictures::transparent_png(1800, 600);
    let created = olga
        .post_multipart(
            "/groups/new",
            &[
                ("csrf", &csrf),
                ("username", "repair"),
                ("name", "Repair collective"),
                ("summary", "We fix things together."),
                ("openness", "open"),
                ("visibility", "public"),
                ("avatar_alt", "A wrench"),
                ("banner_alt", "The workshop bench"),
            ],
            &[
                ("avatar", "wrench.jpg", &avatar),
                ("banner", "bench.png", &banner),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    assert_eq!(created.location.as_deref(), Some("/@repair"));

    let mut visitor = Browser::new(&server.base_url);
    let page = visitor.get("/@repair").await;
    let body = &page.body;
    let avatar_at = body
        .find("class=\"picture avatar\"")
        .expect("the group's avatar");
    let avatar_src = attribute(&body[avatar_at..], "srcset=", "src").unwrap();
    assert!(avatar_src.ends_with("-thumbnail.jpg"), "{avatar_src}");
    let banner_at = body.find("banner-picture").expect("the group's banner");
    assert_eq!(
        attribute(&body[banner_at..], "srcset=", "alt").as_deref(),
        Some("The workshop bench")
    );
    let og_image = attribute(body, "property=\"og:image\"", "content").unwrap();
    assert!(
        og_image.starts_with(&server.url("/media/")) && og_image.ends_with("-banner.jpg"),
        "{og_image}"
    );
    assert_eq!(
        attribute(body, "property=\"og:image:width\"", "content").as_deref(),
        Some("1600")
    );
    assert_eq!(
        attribute(body, "name=\"twitter:card\"", "content").as_deref(),
        Some("summary_large_image")
    );

    // The edit form previews both and keeps them when nothing new is chosen.
    let edit = olga.get("/@repair/edit").await;
    assert!(edit.body.contains(&avatar_src));
    let csrf = edit.csrf();
    let saved = olga
        .post_multipart(
            "/@repair/edit",
            &[
                ("csrf", &csrf),
                ("name", "Repair collective"),
                ("summary", "We fix things."),
                ("openness", "open"),
                ("visibility", "public"),
            ],
            &[("avatar", "", &[]), ("banner", "", &[])],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = visitor.get("/@repair").await;
    assert!(page.body.contains(&avatar_src), "kept");
    assert!(page.body.contains("We fix things."));
}
