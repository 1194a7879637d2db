//! The pages in a real Chromium, driven through WebDriver: a person signs up, confirms, creates
//! a group and a restricted event; another RSVPs and is approved; someone RSVPs by email; a
//! failing login says so. Every resource the browser loads comes from the instance, and axe-core
//! finds no serious or critical problem on the main pages.
//!
//! Needs Debian's `chromium` and `chromium-driver`, and axe-core (`.ci/install` puts it in
//! `.ci/node_modules`; or set `CONVIVE_AXE_JS`). Without them the test says `skipped: …`.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use tests::{TestServer, find_link, skip};
use thirtyfour::prelude::*;

pub(crate) struct Driver {
    process: Child,
    pub(crate) port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) fn axe_source() -> Option<String> {
    let candidates = [
        std::env::var("CONVIVE_AXE_JS").ok().map(PathBuf::from),
        Some(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../.ci/node_modules/axe-core/axe.min.js"),
        ),
    ];
    candidates
        .into_iter()
        .flatten()
        .find_map(|p| std::fs::read_to_string(p).ok())
}

pub(crate) async fn start_driver() -> Option<Driver> {
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())?;
    let _ = chromium;
    let port = free_port();
    let process = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Some(Driver { process, port });
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

/// Chromium's driver and axe-core's source, or `None` once the missing one is reported as a
/// skip (a failure in CI).
pub(crate) async fn chromium_with_axe() -> Option<(Driver, String)> {
    let Some(driver) = start_driver().await else {
        skip("chromium not found (install Debian's chromium and chromium-driver)");
        return None;
    };
    let Some(axe) = axe_source() else {
        skip("axe-core not found (run .ci/install or set CONVIVE_AXE_JS)");
        return None;
    };
    Some((driver, axe))
}

pub(crate) async fn browser(driver: &Driver) -> WebDriver {
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary("/usr/bin/chromium").unwrap();
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=390,900",
        "--lang=en-US",
    ] {
        caps.add_arg(arg).unwrap();
    }
    WebDriver::new(format!("http://127.0.0.1:{}", driver.port), caps)
        .await
        .expect("a Chromium session")
}

/// Runs the page's scripts or not, from the next page on (Chromium's DevTools switch, which
/// WebDriver's own scripts, such as axe-core's, do not go through).
pub(crate) async fn set_javascript(page: &WebDriver, on: bool) {
    page.cdp()
        .send_raw(
            "Emulation.setScriptExecutionDisabled",
            serde_json::json!({ "value": !on }),
        )
        .await
        .unwrap();
}

/// The time zone the browser says it is in (what `Intl` answers the page's script).
pub(crate) async fn set_browser_zone(page: &WebDriver, zone: &str) {
    page.cdp()
        .send_raw(
            "Emulation.setTimezoneOverride",
            serde_json::json!({ "timezoneId": zone }),
        )
        .await
        .unwrap();
}

/// [`assert_accessible`] on a page shown with scripts off: axe-core waits on timers, which
/// only run while scripts may, so they may for the time of its check.
pub(crate) async fn assert_accessible_without_scripts(page: &WebDriver, axe: &str, what: &str) {
    set_javascript(page, true).await;
    assert_accessible(page, axe, what).await;
    set_javascript(page, false).await;
}

/// The element, once the page showing it has loaded (clicks return before navigation ends).
pub(crate) async fn find(page: &WebDriver, by: By) -> WebElement {
    let mut last = None;
    for _ in 0..100 {
        match page.find(by.clone()).await {
            Ok(element) => return element,
            Err(err) => last = Some(err),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{by:?} never appeared: {last:?}");
}

pub(crate) async fn fill(page: &WebDriver, id: &str, value: &str) {
    let field = find(page, By::Id(id)).await;
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

pub(crate) async fn submit(page: &WebDriver, form_action: &str) {
    find(
        page,
        // The button people see that saves: not the event form's "Show the dates" (it only
        // previews a recurring event), its hidden default button (Enter in a field) nor its
        // "Look it up".
        By::Css(format!(
            "form[action='{form_action}'] button[type=submit]:not([name=preview]):not(.default-submit):not([name=lookup])"
        )),
    )
    .await
    .click()
    .await
    .unwrap();
}

pub(crate) async fn text(page: &WebDriver) -> String {
    // A click returns before the next page is there: read again when the old one goes away.
    for _ in 0..50 {
        if let Ok(body) = page.find(By::Tag("body")).await
            && let Ok(text) = body.text().await
        {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no page");
}

/// Waits until the page shows `needle` (after a form posted and the next page loads).
pub(crate) async fn wait_for(page: &WebDriver, needle: &str) -> String {
    let mut last = String::new();
    for _ in 0..50 {
        last = text(page).await;
        if last.contains(needle) {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the page never showed {needle:?}; it shows:\n{last}");
}

/// Every resource the page loaded, and the page itself, come from `origin`.
pub(crate) async fn assert_same_origin(page: &WebDriver, origin: &str) {
    let urls = page
        .execute(
            "return performance.getEntriesByType('resource').map(e => e.name).concat([location.href]);",
            vec![],
        )
        .await
        .unwrap()
        .json()
        .clone();
    for url in urls.as_array().unwrap() {
        let url = url.as_str().unwrap();
        assert!(url.starts_with(origin), "{url} is not from {origin}");
    }
}

pub(crate) async fn assert_accessible(page: &WebDriver, axe: &str, what: &str) {
    page.execute(axe, vec![]).await.expect("axe-core loads");
    let result = page
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }))));",
            vec![],
        )
        .await
        .expect("axe runs")
        .json()
        .clone();
    let serious: Vec<&Value> = result
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .collect();
    assert!(
        serious.is_empty(),
        "axe-core on the {what} page: {serious:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_sign_up_organize_and_rsvp_with_a_browser_only() {
    let Some((driver, axe)) = chromium_with_axe().await else {
        return;
    };
    let server = TestServer::start().await;
    let origin = server.base_url.clone();
    let page = browser(&driver).await;

    // Olga signs up and confirms through the link of her mail.
    page.goto(format!("{origin}/register")).await.unwrap();
    fill(&page, "username", "olga").await;
    fill(&page, "email", "olga@example.org").await;
    fill(&page, "password", "long enough password").await;
    submit(&page, "/register").await;
    wait_for(&page, "Check your mailbox").await;
    let mail = server.wait_for_mail("olga@example.org", "Confirm").await;
    let link = find_link(&mail.mail.text, "/validate/").unwrap();
    page.goto(&link).await.unwrap();
    find(&page, By::Css("main form button[type=submit]"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "Your account is confirmed").await;

    // A group, then a restricted event in its name.
    page.goto(format!("{origin}/groups/new")).await.unwrap();
    fill(&page, "username", "repair").await;
    fill(&page, "name", "Repair collective").await;
    submit(&page, "/groups/new").await;
    wait_for(&page, "Repair collective").await;
    assert_same_origin(&page, &origin).await;
    assert_accessible(&page, &axe, "group").await;

    page.goto(format!("{origin}/events/new")).await.unwrap();
    assert_accessible(&page, &axe, "event creation").await;
    fill(&page, "title", "Repair café").await;
    let begins = (chrono::Utc::now() + chrono::Duration::days(2))
        .format("%Y-%m-%dT18:30")
        .to_string();
    page.execute(
        "document.getElementById('begins').value = arguments[0];",
        vec![Value::String(begins)],
    )
    .await
    .unwrap();
    fill(&page, "timezone", "Europe/Paris").await;
    find(&page, By::Css("#join option[value=restricted]"))
        .await
        .click()
        .await
        .unwrap();
    find(&page, By::Css("#group option:nth-child(2)"))
        .await
        .click()
        .await
        .unwrap();
    find(&page, By::Css("input[name=anonymous]"))
        .await
        .click()
        .await
        .unwrap();
    // The place: typed, looked up (the form comes back with everything kept), picked.
    fill(&page, "address", "12 rue de Paris, Montreuil").await;
    find(&page, By::Css("button[name=lookup]"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "Places found").await;
    assert_accessible(&page, &axe, "event form with places found").await;
    find(&page, By::Css("input[name=chosen]:checked")).await;
    submit(&page, "/events/new").await;
    // Olga's zone is the browser's, not Paris: the form first says what 18:30 is in hers.
    wait_for(&page, "This zone is not yours").await;
    submit(&page, "/events/new").await;
    wait_for(&page, "18:30 (Europe/Paris)").await;
    // Without the notice said once saved (`?done=published`).
    let event_url = page.current_url().await.unwrap().to_string();
    let event_url = event_url.split('?').next().unwrap().to_owned();
    page.goto(format!("{event_url}/edit")).await.unwrap();
    assert_accessible(&page, &axe, "event edit").await;
    page.goto(&event_url).await.unwrap();
    find(&page, By::Css("form[action='/logout'] button"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "Sign up").await;

    // Someone finds it by search and RSVPs by email.
    page.goto(format!("{origin}/")).await.unwrap();
    assert_accessible(&page, &axe, "home").await;
    fill(&page, "term", "repair").await;
    find(&page, By::Css("form[role=search] button"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "Search events").await;
    find(&page, By::LinkText("Repair café"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "Add to calendar").await;
    assert_accessible(&page, &axe, "event").await;
    assert_same_origin(&page, &origin).await;
    fill(&page, "anon-email", "zoe@example.org").await;
    find(&page, By::Css("form[action$='/join-anonymously'] button"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "we sent a confirmation link").await;

    // A wrong password says so.
    page.goto(format!("{origin}/login")).await.unwrap();
    fill(&page, "email", "olga@example.org").await;
    fill(&page, "password", "not the password").await;
    submit(&page, "/login").await;
    wait_for(&page, "Wrong email or password.").await;

    // Gus signs up and asks to take part; Olga approves; Gus is going.
    page.goto(format!("{origin}/register")).await.unwrap();
    fill(&page, "username", "gus").await;
    fill(&page, "email", "gus@example.org").await;
    fill(&page, "password", "long enough password").await;
    submit(&page, "/register").await;
    let mail = server.wait_for_mail("gus@example.org", "Confirm").await;
    page.goto(&find_link(&mail.mail.text, "/validate/").unwrap())
        .await
        .unwrap();
    find(&page, By::Css("main form button[type=submit]"))
        .await
        .click()
        .await
        .unwrap();
    // Logged in only once the confirmation has answered.
    wait_for(&page, "Your account is confirmed").await;
    page.goto(&event_url).await.unwrap();
    fill(&page, "message", "I can fix bikes").await;
    find(&page, By::Css("form[action$='/join'] button"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "waits for the organizers").await;
    find(&page, By::Css("form[action='/logout'] button"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "Sign up").await;

    page.goto(format!("{origin}/login")).await.unwrap();
    fill(&page, "email", "olga@example.org").await;
    fill(&page, "password", "long enough password").await;
    submit(&page, "/login").await;
    wait_for(&page, "Log out").await;
    page.goto(format!("{event_url}/participants"))
        .await
        .unwrap();
    wait_for(&page, "I can fix bikes").await;
    find(&page, By::Css("input[value=participant] + button"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "Going").await;
    find(&page, By::Css("form[action='/logout'] button"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "Sign up").await;

    page.goto(format!("{origin}/login")).await.unwrap();
    fill(&page, "email", "gus@example.org").await;
    fill(&page, "password", "long enough password").await;
    submit(&page, "/login").await;
    wait_for(&page, "Log out").await;
    page.goto(&event_url).await.unwrap();
    wait_for(&page, "You take part in this event.").await;
    page.goto(format!("{origin}/me/events")).await.unwrap();
    wait_for(&page, "Going").await;
    assert_same_origin(&page, &origin).await;
    page.quit().await.unwrap();
}

/// The picture drawn in the element `css` (the real one, not its placeholder) once it has
/// loaded: the URL the browser chose among its sizes, and its drawn width and height.
async fn loaded_picture(page: &WebDriver, css: &str) -> (String, f64, f64) {
    let script = "const img = document.querySelector(arguments[0] + ' img:not(.placeholder)');
         if (!img || !img.complete || img.naturalWidth === 0) { return null; }
         const box = img.getBoundingClientRect();
         return [img.currentSrc, box.width, box.height];";
    for _ in 0..100 {
        let answer = page
            .execute(script, vec![Value::String(css.to_owned())])
            .await
            .unwrap()
            .json()
            .clone();
        if let Some([src, width, height]) = answer.as_array().map(Vec::as_slice) {
            return (
                src.as_str().unwrap().to_owned(),
                width.as_f64().unwrap(),
                height.as_f64().unwrap(),
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no picture loaded in {css}");
}

/// With `CONVIVE_SCREENSHOTS` naming a directory, the page as drawn, to look at.
pub(crate) async fn screenshot(page: &WebDriver, name: &str) {
    if let Ok(dir) = std::env::var("CONVIVE_SCREENSHOTS") {
        let path = PathBuf::from(dir).join(format!("{name}.png"));
        page.screenshot(&path).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organizer_gives_pictures_to_a_group_and_an_event_and_sees_them_on_a_phone_and_a_desktop()
 {
    let Some(driver) = start_driver().await else {
        skip("chromium not found (install Debian's chromium and chromium-driver)");
        return;
    };
    let server = TestServer::start().await;
    let origin = server.base_url.clone();
    let member = tests::people::sign_up(&server, "olga").await;
    let files = tempfile::tempdir().unwrap();
    let avatar = files.path().join("wrench.jpg");
    std::fs::write(&avatar, backend::testing::pictures::jpeg_with_gps(600, 600)).unwrap();
    let banner = files.path().join("bench.png");
    std::fs::write(
        &banner,
        backend::testing::pictures::transparent_png(2400, 1200),
    )
    .unwrap();
    let page = browser(&driver).await;

    page.goto(format!("{origin}/login")).await.unwrap();
    fill(&page, "email", &member.email).await;
    fill(&page, "password", "long enough password").await;
    submit(&page, "/login").await;
    wait_for(&page, "Log out").await;

    // The group's avatar, chosen in the file input of a plain form.
    page.goto(format!("{origin}/groups/new")).await.unwrap();
    fill(&page, "username", "repair").await;
    fill(&page, "name", "Repair collective").await;
    find(&page, By::Id("avatar"))
        .await
        .send_keys(avatar.to_str().unwrap())
        .await
        .unwrap();
    fill(&page, "avatar_alt", "A wrench").await;
    submit(&page, "/groups/new").await;
    wait_for(&page, "Repair collective").await;

    // The event's banner, on the event form.
    page.goto(format!("{origin}/events/new")).await.unwrap();
    fill(&page, "title", "Repair café").await;
    let begins = (chrono::Utc::now() + chrono::Duration::days(2))
        .format("%Y-%m-%dT18:30")
        .to_string();
    page.execute(
        "document.getElementById('begins').value = arguments[0];",
        vec![Value::String(begins)],
    )
    .await
    .unwrap();
    fill(&page, "timezone", "Europe/Paris").await;
    find(&page, By::Css("#group option:nth-child(2)"))
        .await
        .click()
        .await
        .unwrap();
    find(&page, By::Id("picture"))
        .await
        .send_keys(banner.to_str().unwrap())
        .await
        .unwrap();
    fill(&page, "picture_alt", "Bikes upside down on a long table").await;
    submit(&page, "/events/new").await;
    wait_for(&page, "18:30 (Europe/Paris)").await;
    // Without the notice said once saved (`?done=published`).
    let event_url = page.current_url().await.unwrap().to_string();
    let event_url = event_url.split('?').next().unwrap().to_owned();

    for (device, width, height) in [("phone", 390, 844), ("desktop", 1280, 900)] {
        page.set_window_rect(0, 0, width, height).await.unwrap();

        page.goto(&event_url).await.unwrap();
        wait_for(&page, "Add to calendar").await;
        let (src, drawn_width, drawn_height) = loaded_picture(&page, ".banner-picture").await;
        assert!(src.starts_with(&format!("{origin}/media/")), "{src}");
        assert!(drawn_width > 300.0, "{device}: {drawn_width} px wide");
        // 2:1 as uploaded, cut by the stylesheet to at most 26rem high.
        assert!(
            drawn_height <= 416.5 && (drawn_height - (drawn_width / 2.0).min(416.0)).abs() < 2.0,
            "{device}: drawn {drawn_width}×{drawn_height}"
        );
        let (avatar_src, ..) = loaded_picture(&page, ".who .avatar").await;
        assert!(avatar_src.ends_with("-thumbnail.jpg"), "{avatar_src}");
        assert_same_origin(&page, &origin).await;
        screenshot(&page, &format!("event-{device}")).await;

        page.goto(format!("{origin}/@repair")).await.unwrap();
        wait_for(&page, "Repair collective").await;
        let (avatar_src, avatar_width, _) = loaded_picture(&page, ".heading .avatar").await;
        assert!(avatar_src.starts_with(&format!("{origin}/media/")));
        assert!((avatar_width - 64.0).abs() < 1.0, "{avatar_width}");
        let (card_src, ..) = loaded_picture(&page, ".card-picture").await;
        assert!(
            card_src.starts_with(&format!("{origin}/media/")),
            "{card_src}"
        );
        assert_same_origin(&page, &origin).await;
        screenshot(&page, &format!("group-{device}")).await;

        page.goto(format!("{origin}/")).await.unwrap();
        wait_for(&page, "Repair café").await;
        let (card_src, card_width, card_height) = loaded_picture(&page, ".card-picture").await;
        assert!(
            card_src.starts_with(&format!("{origin}/media/")),
            "{card_src}"
        );
        assert!(
            (card_height - card_width * 9.0 / 16.0).abs() < 2.0,
            "{device}: card picture {card_width}×{card_height}"
        );
        assert_same_origin(&page, &origin).await;
        screenshot(&page, &format!("home-{device}")).await;
    }

    // The edit form previews the banner.
    page.goto(format!("{event_url}/edit")).await.unwrap();
    loaded_picture(&page, ".picture-field").await;
    screenshot(&page, "event-edit").await;
    page.quit().await.unwrap();
}
