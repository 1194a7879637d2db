//! How the pages sit in a phone's window, measured in a real Chromium 390 px wide: the
//! logged-in header in at most two lines (the account's pages behind its "Menu", which opens
//! from the keyboard and stays inside the window), and the group and discussion pages keeping
//! the same margin on the right as on the left. With `CONVIVE_SCREENSHOTS` naming a
//! directory, what the window shows is kept there (`layout-…-{en|fr}.png`).

use std::path::PathBuf;

use base64::Engine;
use serde_json::{Value, json};
use tests::TestServer;
use tests::people::{Member, sign_up_admin};
use thirtyfour::prelude::*;

use super::browser::{
    assert_accessible_without_scripts, browser, chromium_with_axe, fill, find, set_javascript,
    submit, wait_for,
};

/// How many lines of text the site's header takes: its height within its padding, in lines of
/// the page's text (the brand's larger letters make two lines about 2.4).
pub(crate) async fn header_lines(page: &WebDriver) -> f64 {
    page.execute(
        "const nav = document.querySelector('header.site nav');
         const style = getComputedStyle(nav);
         const line = parseFloat(getComputedStyle(document.body).lineHeight);
         return (nav.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)) / line;",
        vec![],
    )
    .await
    .unwrap()
    .json()
    .as_f64()
    .unwrap()
}

/// Fails unless the header of the page shown takes at most two lines.
pub(crate) async fn assert_header_fits_two_lines(page: &WebDriver, what: &str) {
    let lines = header_lines(page).await;
    assert!(
        lines < 2.75,
        "{what}: the header takes {lines:.2} lines of text"
    );
}

/// Opens the header's menu as a person on a keyboard does: its summary focused, then Enter.
pub(crate) async fn open_menu_from_the_keyboard(page: &WebDriver) {
    page.execute(
        "document.querySelector('header.site details.menu > summary').focus();",
        vec![],
    )
    .await
    .unwrap();
    page.active_element()
        .await
        .unwrap()
        .send_keys(Key::Enter)
        .await
        .unwrap();
    find(page, By::Css("header.site details.menu[open]")).await;
}

/// The smallest gap between a visible element of the page and the window's left edge, and
/// the smallest to its right edge, in CSS pixels, with the element nearest the right edge.
async fn side_margins(page: &WebDriver) -> (f64, f64, String) {
    let answer = page
        .execute(
            "const width = document.documentElement.clientWidth;
             const named = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
               + (typeof el.className === 'string' && el.className ? '.' + el.className.split(' ').join('.') : '');
             let left = width, right = width, nearest = '';
             for (const el of document.body.querySelectorAll('header.site nav > *, header.site nav li, main *, footer.site > *')) {
               const r = el.getBoundingClientRect();
               // Not drawn: in a closed <details>, hidden, or of no size.
               if (r.width === 0 || r.height === 0 || !el.checkVisibility({ visibilityProperty: true })) continue;
               if (el.closest('.skip, .visually-hidden, .for-scripts, .default-submit')) continue;
               if (r.left < left) { left = r.left; nearest = named(el) + ' (left)'; }
               if (width - r.right < right) { right = width - r.right; nearest = named(el) + ' (right)'; }
             }
             return [left, right, nearest];",
            vec![],
        )
        .await
        .unwrap()
        .json()
        .clone();
    (
        answer[0].as_f64().unwrap(),
        answer[1].as_f64().unwrap(),
        answer[2].as_str().unwrap_or_default().to_owned(),
    )
}

/// What the window shows (not the whole page), as a PNG in `CONVIVE_SCREENSHOTS`.
pub(crate) async fn keep_window(page: &WebDriver, name: &str) {
    let Ok(dir) = std::env::var("CONVIVE_SCREENSHOTS") else {
        return;
    };
    let shot = page
        .cdp()
        .send_raw("Page.captureScreenshot", json!({ "format": "png" }))
        .await
        .unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(shot["data"].as_str().unwrap())
        .unwrap();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(PathBuf::from(dir).join(format!("{name}.png")), bytes).unwrap();
}

/// A group with a discussion, as its administrator made them.
async fn group_with_a_discussion(rosa: &Member) -> String {
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
    rosa.gql
        .data(
            "mutation($g: ID!) { createDiscussion(actorId: $g, title: \"Qui apporte quoi pour l'apéro de décembre ?\",
                text: \"Je prends les chips, une nappe et des verres pour tout le monde.\") { slug } }",
            json!({ "g": group }),
        )
        .await["createDiscussion"]["slug"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_phone_the_header_keeps_two_lines_and_pages_keep_a_margin_on_each_side() {
    let Some((driver, axe)) = chromium_with_axe().await else {
        return;
    };
    let server = TestServer::start().await;
    let origin = server.base_url.clone();
    // An administrator: the longest header there is.
    let rosa = sign_up_admin(&server, "rosa").await;
    let discussion = group_with_a_discussion(&rosa).await;
    let page = browser(&driver).await;
    set_javascript(&page, false).await;
    page.set_window_rect(0, 0, 390, 844).await.unwrap();
    page.goto(format!("{origin}/login")).await.unwrap();
    fill(&page, "email", &rosa.email).await;
    fill(&page, "password", "long enough password").await;
    submit(&page, "/login").await;
    wait_for(&page, "Log out").await;
    let width = page
        .execute("return document.documentElement.clientWidth;", vec![])
        .await
        .unwrap()
        .json()
        .clone();
    assert_eq!(width, Value::from(390), "a phone's window");

    for language in ["en", "fr"] {
        if language == "fr" {
            page.goto(format!("{origin}/me/settings")).await.unwrap();
            find(&page, By::Css("form[action='/language'] button"))
                .await
                .click()
                .await
                .unwrap();
            wait_for(&page, "Se déconnecter").await;
        }
        for (name, path) in [
            ("group", "/@apero".to_owned()),
            ("discussion", format!("/@apero/c/{discussion}")),
        ] {
            page.goto(format!("{origin}{path}")).await.unwrap();
            find(&page, By::Css("main h1")).await;
            assert_header_fits_two_lines(&page, &format!("{name} ({language})")).await;
            keep_window(&page, &format!("layout-{name}-phone-{language}")).await;
            let (left, right, nearest) = side_margins(&page).await;
            assert!(
                left >= 8.0,
                "{name} ({language}): {left} px on the left ({nearest})"
            );
            assert!(
                (left - right).abs() < 1.0,
                "{name} ({language}): {left} px on the left, {right} px on the right ({nearest})"
            );
        }

        // Every page of the account is one Enter away, in a list that stays in the window.
        open_menu_from_the_keyboard(&page).await;
        let (_, right, nearest) = side_margins(&page).await;
        assert!(right >= 8.0, "the open menu touches the edge: {nearest}");
        for href in [
            "/me/events",
            "/messages",
            "/events/new",
            "/groups/new",
            "/me/settings",
            "/admin",
        ] {
            let link = find(
                &page,
                By::Css(format!("header.site details.menu a[href='{href}']")),
            )
            .await;
            assert!(link.is_displayed().await.unwrap(), "{href} shows");
        }
        assert_accessible_without_scripts(&page, &axe, &format!("open menu ({language})")).await;
        keep_window(&page, &format!("layout-menu-phone-{language}")).await;
        page.set_window_rect(0, 0, 1280, 900).await.unwrap();
        keep_window(&page, &format!("layout-menu-desktop-{language}")).await;
        page.set_window_rect(0, 0, 390, 844).await.unwrap();
    }
    page.quit().await.unwrap();
}
