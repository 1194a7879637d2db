//! Every page, as people see it, at a phone's width (390 px) and a desktop's (1280 px), in
//! English and in French, with no script running: none is wider than the window (nothing to
//! scroll sideways on a phone), none spells out HTML tags as text, none loads anything from
//! elsewhere, and axe-core finds nothing serious. With `CONVIVE_SCREENSHOTS` naming a directory, each page is saved there whole
//! (`{page}-{phone|desktop}-{en|fr}.png`) for a person to look at.

use std::path::PathBuf;

use base64::Engine;
use chrono::{Duration, Utc};
use serde_json::json;
use tests::TestServer;
use tests::people::{Member, sign_up, sign_up_admin};
use thirtyfour::prelude::*;

use super::browser::{
    assert_accessible_without_scripts, assert_same_origin, browser, chromium_with_axe, fill, find,
    set_javascript, submit, text, wait_for,
};
use super::browser_layout::assert_header_fits_two_lines;

/// A tile server on a loopback port answering every tile with the same small grey picture,
/// so the event page has a map to draw.
async fn tile_server() -> String {
    let tile = backend::testing::pictures::transparent_png(256, 256);
    let app = axum::Router::new().route(
        "/{z}/{x}/{file}",
        axum::routing::get(move || {
            let tile = tile.clone();
            async move { ([(axum::http::header::CONTENT_TYPE, "image/png")], tile) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

/// The whole page as a PNG in `CONVIVE_SCREENSHOTS`, when it names a directory.
async fn keep_whole_page(page: &WebDriver, name: &str) {
    let Ok(dir) = std::env::var("CONVIVE_SCREENSHOTS") else {
        return;
    };
    let shot = page
        .cdp()
        .send_raw(
            "Page.captureScreenshot",
            json!({ "format": "png", "captureBeyondViewport": true }),
        )
        .await
        .unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(shot["data"].as_str().unwrap())
        .unwrap();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(PathBuf::from(dir).join(format!("{name}.png")), bytes).unwrap();
}

/// How much wider than the window the page is, in CSS pixels (0: nothing to scroll sideways),
/// with the element that sticks out furthest, to find it.
async fn overflow(page: &WebDriver) -> (f64, String) {
    let answer = page
        .execute(
            "const width = document.documentElement.clientWidth;
             let worst = null, right = width;
             for (const el of document.body.querySelectorAll('*')) {
               const r = el.getBoundingClientRect();
               if (r.width > 0 && r.right > right + 0.5) { right = r.right; worst = el; }
             }
             const name = worst ? worst.tagName.toLowerCase() + (worst.id ? '#' + worst.id : '')
               + (worst.className && typeof worst.className === 'string' ? '.' + worst.className.split(' ').join('.') : '') : '';
             return [document.documentElement.scrollWidth - width, name];",
            vec![],
        )
        .await
        .unwrap()
        .json()
        .clone();
    (
        answer[0].as_f64().unwrap_or(0.0),
        answer[1].as_str().unwrap_or_default().to_owned(),
    )
}

/// What the pages show: a group with an event at a place (drawn on a map) and one online, a
/// discussion, a post, a participant who was written to, a reported event.
struct Content {
    mapped: String,
    online: String,
    discussion: String,
    post: String,
}

async fn content(rosa: &Member, zoe: &Member) -> Content {
    let group = rosa
        .gql
        .data(
            "mutation { createGroup(preferredUsername: \"apero\", name: \"Apéros du canal\",
                summary: \"<p>Un apéro par mois au bord du canal de l'Ourcq, ouvert à toutes et à tous.</p>\",
                openness: OPEN, visibility: PUBLIC) { id } }",
            json!({}),
        )
        .await["createGroup"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let create = |title: &str, place: bool| {
        let address = if place {
            "physicalAddress: { description: \"Maison des associations\", street: \"12 rue de Paris\",
                postalCode: \"93100\", locality: \"Montreuil\", geom: \"2.4328;48.8581\" },"
        } else {
            "onlineAddress: \"https://visio.example.org/apero-en-ligne-du-mois-de-decembre-avec-un-lien-tres-long\","
        };
        format!(
            "mutation($g: ID!, $b: DateTime!) {{ createEvent(attributedToId: $g, title: \"{title}\",
                description: \"<p>Venez nombreux &lt;3</p><p>Programme : <a href=\\\"https://example.org/programme\\\">https://example.org/programme</a></p>\",
                beginsOn: $b, category: FOOD_DRINK, tags: [\"apéro\", \"voisins\"],
                {address} options: {{ timezone: \"Europe/Paris\", maximumAttendeeCapacity: 30 }}) {{ id uuid }} }}"
        )
    };
    let begins = Utc::now() + Duration::days(3);
    let mapped = rosa
        .gql
        .data(
            &create(
                "Apéro du canal, édition de décembre avec un très long titre",
                true,
            ),
            json!({ "g": group, "b": begins }),
        )
        .await["createEvent"]
        .clone();
    let online = rosa
        .gql
        .data(
            &create("Apéro en ligne", false),
            json!({ "g": group, "b": begins + Duration::days(1) }),
        )
        .await["createEvent"]
        .clone();
    zoe.gql
        .data(
            "mutation($e: ID!, $a: ID!) { joinEvent(eventId: $e, actorId: $a) { id role } }",
            json!({ "e": mapped["id"], "a": zoe.person_id }),
        )
        .await;
    rosa.gql
        .data(
            "mutation($e: ID!, $a: ID!) { sendEventPrivateMessage(eventId: $e, actorId: $a,
                text: \"Bonjour ! N'oubliez pas vos verres.\") { id } }",
            json!({ "e": mapped["id"], "a": rosa.person_id }),
        )
        .await;
    let discussion = rosa
        .gql
        .data(
            "mutation($g: ID!) { createDiscussion(actorId: $g, title: \"Qui apporte quoi ?\",
                text: \"Je prends les chips et une nappe.\") { slug } }",
            json!({ "g": group }),
        )
        .await["createDiscussion"]["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    let post = rosa
        .gql
        .data(
            "mutation($g: ID!) { createPost(attributedToId: $g, title: \"Retour sur l'apéro de novembre\",
                body: \"<p>Merci à toutes et à tous, nous étions quarante !</p>\", visibility: PUBLIC) { slug } }",
            json!({ "g": group }),
        )
        .await["createPost"]["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    zoe.gql
        .data(
            "mutation($e: ID!, $a: ID!) { createReport(eventsIds: [$e], reportedId: $a,
                content: \"Le lien ne marche pas.\") { id } }",
            json!({ "e": online["id"], "a": rosa.person_id }),
        )
        .await;
    Content {
        mapped: mapped["uuid"].as_str().unwrap().to_owned(),
        online: online["uuid"].as_str().unwrap().to_owned(),
        discussion,
        post,
    }
}

/// Opens each page at both widths: kept whole, checked for sideways scrolling, other
/// origins, and (once per page and language) axe-core's findings.
async fn look_at(
    page: &WebDriver,
    axe: &str,
    origin: &str,
    language: &str,
    pages: &[(&str, String, &str)],
    wide: &mut Vec<String>,
) {
    for (name, path, shows) in pages {
        for (device, width) in [("phone", 390), ("desktop", 1280)] {
            page.set_window_rect(0, 0, width, 900).await.unwrap();
            page.goto(format!("{origin}{path}")).await.unwrap();
            // What the page must show: words, or an element (`css:…`) when its words differ
            // by language.
            match shows.strip_prefix("css:") {
                Some(css) => {
                    find(page, By::Css(css.to_owned())).await;
                }
                None => {
                    wait_for(page, shows).await;
                }
            }
            // Markup stored as HTML (Mobilizon's summaries) is shown, not spelt out.
            let shown = text(page).await;
            assert!(
                !shown.contains("<p>") && !shown.contains("</p>"),
                "{name} shows HTML as text: {shown}"
            );
            let (extra, culprit) = overflow(page).await;
            if extra > 0.5 {
                wide.push(format!(
                    "{name} ({device}, {language}): {extra} px too wide, {culprit}"
                ));
            }
            assert_same_origin(page, origin).await;
            if device == "phone" {
                assert_accessible_without_scripts(page, axe, &format!("{name} ({language})")).await;
            }
            keep_whole_page(page, &format!("{name}-{device}-{language}")).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_fits_a_phone_and_a_desktop_in_both_languages_without_scripts() {
    let Some((driver, axe)) = chromium_with_axe().await else {
        return;
    };
    let tiles = tile_server().await;
    let server = TestServer::builder()
        .settings(move |settings| {
            settings.maps.tile_server = Some(format!("{tiles}/{{z}}/{{x}}/{{y}}.png"));
        })
        .start()
        .await;
    let origin = server.base_url.clone();
    let rosa = sign_up_admin(&server, "rosa").await;
    let zoe = sign_up(&server, "zoe").await;
    rosa.gql
        .data(
            "mutation { saveAdminSettings(instanceTermsType: CUSTOM, instanceTerms: \"<p>Soyez bienveillants.</p>\",
                instancePrivacyPolicyType: CUSTOM, instancePrivacyPolicy: \"<p>Nous gardons peu.</p>\",
                instanceSlogan: \"Les sorties du quartier\") { instanceTermsType } }",
            json!({}),
        )
        .await;
    let c = content(&rosa, &zoe).await;
    let page = browser(&driver).await;
    set_javascript(&page, false).await;
    let mut wide = Vec::new();

    for language in ["en", "fr"] {
        // A visitor's pages, the sign-up and login forms with problems beside their fields.
        let visitor: Vec<(&str, String, &str)> = vec![
            ("home", "/".into(), "Apéro"),
            ("search", "/search?place=Montreuil".into(), "Apéro"),
            ("month", "/events/month".into(), "Apéro"),
            ("event-map", format!("/events/{}", c.mapped), "Montreuil"),
            (
                "event-online",
                format!("/events/{}", c.online),
                "Apéro en ligne",
            ),
            ("group", "/@apero".into(), "Apéros du canal"),
            ("group-events", "/@apero/events".into(), "Apéro"),
            ("post", format!("/p/{}", c.post), "quarante"),
            ("about", "/about".into(), "Convive"),
            ("terms", "/terms".into(), "bienveillants"),
            ("privacy", "/privacy".into(), "peu"),
            ("login", "/login".into(), "Convive"),
            ("register", "/register".into(), "Convive"),
            ("password-forgot", "/password/forgot".into(), "Convive"),
        ];
        look_at(&page, &axe, &origin, language, &visitor, &mut wide).await;

        page.set_window_rect(0, 0, 390, 900).await.unwrap();
        page.goto(format!("{origin}/register")).await.unwrap();
        fill(&page, "username", "relay").await;
        fill(&page, "email", "rosa@example.org").await;
        fill(&page, "password", "short").await;
        // Past the browser's own checks, to see the server's.
        page.execute(
            "document.querySelector('form[action=\"/register\"]').noValidate = true;",
            vec![],
        )
        .await
        .unwrap();
        submit(&page, "/register").await;
        find(&page, By::Css(".field-error")).await;
        assert_accessible_without_scripts(
            &page,
            &axe,
            &format!("sign-up with problems ({language})"),
        )
        .await;
        keep_whole_page(&page, &format!("register-problems-phone-{language}")).await;

        page.goto(format!("{origin}/login")).await.unwrap();
        fill(&page, "email", &rosa.email).await;
        fill(&page, "password", "not the password").await;
        submit(&page, "/login").await;
        find(&page, By::Css(".field-error")).await;
        keep_whole_page(&page, &format!("login-problems-phone-{language}")).await;

        fill(&page, "email", &rosa.email).await;
        fill(&page, "password", "long enough password").await;
        submit(&page, "/login").await;
        find(&page, By::Css("form[action='/logout']")).await;
        if language == "fr" {
            page.goto(format!("{origin}/me/settings")).await.unwrap();
            find(&page, By::Css("form[action='/language'] button"))
                .await
                .click()
                .await
                .unwrap();
            wait_for(&page, "Se déconnecter").await;
        }
        // An administrator's header, the longest, keeps to two lines on a phone.
        page.set_window_rect(0, 0, 390, 900).await.unwrap();
        page.goto(format!("{origin}/events/{}", c.mapped))
            .await
            .unwrap();
        wait_for(&page, "Montreuil").await;
        assert_header_fits_two_lines(&page, &format!("an event, logged in ({language})")).await;

        // An organizer's and an administrator's pages.
        let member: Vec<(&str, String, &str)> = vec![
            ("me-account", "/me/account".into(), "rosa"),
            (
                "me-settings",
                "/me/settings".into(),
                "css:form[action='/me/settings']",
            ),
            ("me-events", "/me/events".into(), "Apéro"),
            (
                "event-organizer",
                format!("/events/{}", c.mapped),
                "Montreuil",
            ),
            ("event-new", "/events/new".into(), "Description"),
            (
                "event-edit",
                format!("/events/{}/edit", c.mapped),
                "Description",
            ),
            (
                "participants",
                format!("/events/{}/participants", c.mapped),
                "zoe",
            ),
            (
                "write-participants",
                format!("/events/{}/write", c.mapped),
                "Apéro",
            ),
            (
                "confirm-cancel",
                format!("/events/{}/cancel", c.mapped),
                "Apéro",
            ),
            (
                "report-event",
                format!("/events/{}/report", c.online),
                "Apéro",
            ),
            ("group-admin", "/@apero".into(), "Apéros du canal"),
            (
                "group-edit",
                "/@apero/edit".into(),
                "css:form[action='/@apero/edit']",
            ),
            ("group-members", "/@apero/members".into(), "@rosa"),
            (
                "group-new",
                "/groups/new".into(),
                "css:form[action='/groups/new']",
            ),
            (
                "discussions",
                "/@apero/discussions".into(),
                "Qui apporte quoi",
            ),
            ("discussion", format!("/@apero/c/{}", c.discussion), "chips"),
            (
                "post-new",
                "/@apero/posts/new".into(),
                "css:form[action='/@apero/posts/new']",
            ),
            ("messages", "/messages".into(), "Apéro"),
            ("admin", "/admin".into(), "Convive"),
            ("admin-users", "/admin/users".into(), "zoe"),
            (
                "admin-reports",
                "/admin/reports".into(),
                "Le lien ne marche pas",
            ),
            ("admin-log", "/admin/log".into(), "css:main table, main p"),
            ("admin-jobs", "/admin/jobs".into(), "css:main h1"),
            ("admin-profile", "/admin/profiles/zoe".into(), "zoe"),
        ];
        look_at(&page, &axe, &origin, language, &member, &mut wide).await;

        // One conversation, opened from the list.
        page.goto(format!("{origin}/messages")).await.unwrap();
        find(&page, By::Css("main a[href^='/messages/']"))
            .await
            .click()
            .await
            .unwrap();
        wait_for(&page, "verres").await;
        keep_whole_page(&page, &format!("conversation-phone-{language}")).await;

        find(&page, By::Css("form[action='/logout'] button"))
            .await
            .click()
            .await
            .unwrap();
        find(&page, By::Css("a[href='/login']")).await;
        if language == "en" {
            find(&page, By::Css("form[action='/language'] button"))
                .await
                .click()
                .await
                .unwrap();
            wait_for(&page, "Se connecter").await;
        }
    }
    assert!(
        wide.is_empty(),
        "pages wider than the window:\n{}",
        wide.join("\n")
    );
    page.quit().await.unwrap();
}
