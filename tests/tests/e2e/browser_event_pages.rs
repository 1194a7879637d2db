//! The event pages as people meet them in a real Chromium, on a phone and a desktop, in
//! English and French, as issue 30's "Done when" asks: Olga signs up on a browser set to
//! Paris time (the one line of script gives her account that zone); from then on no script
//! runs in the browser. She creates a group from the header menu and publishes an event for it
//! by typing "12 rue de Paris, Montreuil" and picking the place found (by an Addok server, as
//! an administrator would set one), the zone already hers, a description holding `<3` and a
//! link, edited twice unchanged; a form with problems. A visitor finds the event by searching
//! "Montreuil" and "93100"; a newcomer signs up from "Log in to take part", comes back to the
//! event and takes part without scrolling on a phone; the event is cancelled through its
//! confirmation page. axe-core finds nothing serious, and nothing loads from elsewhere.
//! With `CONVIVE_SCREENSHOTS` naming a directory, each page is kept there to look at.

use serde_json::Value;
use tests::{TestServer, find_link};
use thirtyfour::prelude::*;

use super::browser::{
    assert_accessible_without_scripts, assert_same_origin, browser, chromium_with_axe, fill, find,
    screenshot, set_browser_zone, set_javascript, submit, wait_for,
};
use super::browser_layout::{assert_header_fits_two_lines, open_menu_from_the_keyboard};

/// The Redis databases of this module's Addok (see `places::start_addok`).
const ADDOK_REDIS_DBS: (u8, u8) = (10, 11);

const DESCRIPTION: &str =
    "Venez nombreux <3\n< 18 ans : accompagnés\n\nProgramme : https://example.org/programme";

/// The description as the event page shows it, read as text.
async fn description_text(page: &WebDriver) -> String {
    find(page, By::Css(".description"))
        .await
        .text()
        .await
        .unwrap()
}

/// Whether the element's whole box is inside the window, without scrolling.
async fn visible_without_scrolling(page: &WebDriver, css: &str) -> bool {
    let answer = page
        .execute(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect();
             return r.top >= 0 && r.bottom <= window.innerHeight;",
            vec![Value::String(css.to_owned())],
        )
        .await
        .unwrap();
    answer.json().as_bool().unwrap_or(false)
}

async fn switch_language(page: &WebDriver) {
    find(page, By::Css("form[action='/language'] button"))
        .await
        .click()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_publish_edit_join_and_cancel_an_event_from_a_phone_with_the_pages_only() {
    let Some((driver, axe)) = chromium_with_axe().await else {
        return;
    };
    let Some(addok) = super::places::start_addok(ADDOK_REDIS_DBS).await else {
        return;
    };
    let geocoder = addok.url.clone();
    let server = TestServer::builder()
        .settings(move |settings| {
            settings.geocoding.provider = Some(backend::settings::GeocoderKind::Addok);
            settings.geocoding.url = Some(geocoder);
        })
        .start()
        .await;
    let origin = server.base_url.clone();
    let page = browser(&driver).await;
    page.set_window_rect(0, 0, 390, 844).await.unwrap();

    // Olga signs up on a browser in Paris time: the sign-up page's line of script tells it.
    set_browser_zone(&page, "Europe/Paris").await;
    page.goto(format!("{origin}/register")).await.unwrap();
    fill(&page, "username", "olga").await;
    fill(&page, "email", "olga@example.org").await;
    fill(&page, "password", "long enough password").await;
    submit(&page, "/register").await;
    wait_for(&page, "Check your mailbox").await;
    let mail = server.wait_for_mail("olga@example.org", "Confirm").await;
    page.goto(&find_link(&mail.mail.text, "/validate/").unwrap())
        .await
        .unwrap();
    find(&page, By::Css("main form button[type=submit]"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "Your account is confirmed").await;

    // From here on, the pages alone: no script of theirs runs.
    set_javascript(&page, false).await;
    page.goto(format!("{origin}/")).await.unwrap();
    wait_for(&page, "Log out").await;
    assert_header_fits_two_lines(&page, "logged in on a phone").await;

    // "Create a group" is in the header menu; its creator is told they administer it.
    open_menu_from_the_keyboard(&page).await;
    find(&page, By::LinkText("Create a group"))
        .await
        .click()
        .await
        .unwrap();
    fill(&page, "username", "apero").await;
    fill(&page, "name", "Apéros du canal").await;
    submit(&page, "/groups/new").await;
    wait_for(&page, "You are an administrator of this group").await;
    let text = wait_for(&page, "Apéros du canal").await;
    assert!(
        !text.contains("Leave the group"),
        "the only administrator cannot leave: {text}"
    );
    assert!(text.contains("only administrator"), "{text}");

    // "New event" from the group's page has the group chosen.
    find(&page, By::Css("main a[href^='/events/new?group=']"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "Description").await;
    let group = find(&page, By::Css("#group option:checked"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(group, "Apéros du canal");

    // Problems are all told at once, beside their fields, the first one focused.
    fill(&page, "title", "ab").await;
    submit(&page, "/events/new").await;
    wait_for(&page, "things to fix before saving").await;
    let focused = page
        .execute("return document.activeElement.id;", vec![])
        .await
        .unwrap();
    assert_eq!(focused.json().as_str(), Some("title"));
    assert_accessible_without_scripts(&page, &axe, "event form with problems").await;
    screenshot(&page, "form-problems-phone-en").await;

    // Her zone is the form's, already: nobody types it.
    let zone = find(&page, By::Id("timezone"))
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(zone.as_deref(), Some("Europe/Paris"));
    fill(&page, "title", "Apéro du canal").await;
    fill(&page, "description", DESCRIPTION).await;
    let begins = (chrono::Utc::now() + chrono::Duration::days(2))
        .format("%Y-%m-%dT19:00")
        .to_string();
    page.execute(
        "document.getElementById('begins').value = arguments[0];",
        vec![Value::String(begins)],
    )
    .await
    .unwrap();
    // The place: typed, looked up (the form comes back with everything kept), picked.
    fill(&page, "address", "12 rue de Paris, Montreuil").await;
    find(&page, By::Css("button[name=lookup]"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "93100 Montreuil").await;
    assert_accessible_without_scripts(&page, &axe, "event form with places found").await;
    screenshot(&page, "form-places-found-phone-en").await;
    find(
        &page,
        By::XPath(
            "//label[contains(., '12 Rue de Paris') and contains(., '93100 Montreuil')]/input",
        ),
    )
    .await
    .click()
    .await
    .unwrap();
    assert_eq!(
        find(&page, By::Id("description"))
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some(DESCRIPTION),
        "the lookup keeps what was typed"
    );
    submit(&page, "/events/new").await;
    let text = wait_for(&page, "Your event is published.").await;
    assert!(
        !text.contains("This zone is not yours"),
        "the zone is hers: {text}"
    );
    assert!(text.contains("19:00"), "{text}");
    assert!(text.contains("93100 Montreuil"), "{text}");
    assert!(
        text.contains("Apéros du canal") && text.contains("Published by"),
        "the group organizes it: {text}"
    );
    let event_url = page
        .current_url()
        .await
        .unwrap()
        .to_string()
        .replace("?done=published", "");
    let link = find(&page, By::LinkText("https://example.org/programme")).await;
    assert_eq!(
        link.attr("href").await.unwrap().as_deref(),
        Some("https://example.org/programme")
    );
    let shown = description_text(&page).await;
    assert!(
        shown.contains("Venez nombreux <3\n< 18 ans : accompagnés"),
        "{shown}"
    );

    // Saved twice without a change, the description stays as it was.
    for _ in 0..2 {
        page.goto(format!("{event_url}/edit")).await.unwrap();
        let typed = find(&page, By::Id("description"))
            .await
            .prop("value")
            .await
            .unwrap();
        assert_eq!(typed.as_deref(), Some(DESCRIPTION));
        submit(
            &page,
            &format!("/events/{}/edit", event_url.rsplit('/').next().unwrap()),
        )
        .await;
        wait_for(&page, "Your changes are saved.").await;
        assert_eq!(description_text(&page).await, shown);
    }
    find(&page, By::Css("form[action='/logout'] button"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "Sign up").await;

    // Anyone finds it by its town and by its postal code, on the search page; not elsewhere.
    for (place, there) in [("Montreuil", true), ("93100", true), ("Lyon", false)] {
        page.goto(format!("{origin}/search")).await.unwrap();
        let field = find(&page, By::Css("form[role=search] input[name=place]")).await;
        field.send_keys(place).await.unwrap();
        find(&page, By::Css("form[role=search] button[type=submit]"))
            .await
            .click()
            .await
            .unwrap();
        let mut found = String::new();
        for _ in 0..50 {
            if page
                .current_url()
                .await
                .unwrap()
                .as_str()
                .contains("place=")
            {
                found = wait_for(&page, "Search events").await;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(
            !found.contains("results are not filtered"),
            "{place}: {found}"
        );
        assert_eq!(
            found.contains("Apéro du canal"),
            there,
            "searching {place}: {found}"
        );
    }
    assert_accessible_without_scripts(&page, &axe, "search results").await;
    screenshot(&page, "search-phone-en").await;

    // Zoé, on her phone, signs up from "Log in to take part" and comes back to the event.
    page.goto(&event_url).await.unwrap();
    wait_for(&page, "Take part").await;
    assert_accessible_without_scripts(&page, &axe, "event").await;
    assert_same_origin(&page, &origin).await;
    assert!(
        visible_without_scrolling(&page, "a[href^='/login?next=']").await,
        "the way to take part shows without scrolling on a phone"
    );
    screenshot(&page, "event-visitor-phone-en").await;
    find(&page, By::Css("a[href^='/login?next=']"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "No account yet?").await;
    find(&page, By::Css("main a[href^='/register?next=']"))
        .await
        .click()
        .await
        .unwrap();
    let zone = find(&page, By::Id("browser-timezone"))
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(zone.as_deref(), Some(""), "no script ran to fill it");
    fill(&page, "username", "zoe").await;
    fill(&page, "email", "zoe@example.org").await;
    fill(&page, "password", "long enough password").await;
    submit(&page, "/register").await;
    wait_for(&page, "Check your mailbox").await;
    let mail = server.wait_for_mail("zoe@example.org", "Confirm").await;
    page.goto(&find_link(&mail.mail.text, "/validate/").unwrap())
        .await
        .unwrap();
    find(&page, By::Css("main form button[type=submit]"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "Your account is confirmed").await;
    find(&page, By::LinkText("Continue to the page you were on"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "Apéro du canal").await;
    assert!(
        visible_without_scrolling(&page, "form[action$='/join'] button").await,
        "the RSVP button shows without scrolling on a phone"
    );
    find(&page, By::Css("form[action$='/join'] button"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "You take part in this event.").await;
    let text = wait_for(&page, "One participant").await;
    assert!(text.contains("Share"), "{text}");
    screenshot(&page, "event-going-phone-en").await;
    page.set_window_rect(0, 0, 1280, 900).await.unwrap();
    screenshot(&page, "event-going-desktop-en").await;
    switch_language(&page).await;
    wait_for(&page, "Vous participez").await;
    assert_accessible_without_scripts(&page, &axe, "event in French").await;
    screenshot(&page, "event-going-desktop-fr").await;
    page.set_window_rect(0, 0, 390, 844).await.unwrap();
    assert_header_fits_two_lines(&page, "logged in on a phone, in French").await;
    screenshot(&page, "event-going-phone-fr").await;

    // Cancelling her participation asks first, on a page that names the event.
    find(&page, By::Css("a[href$='/leave']"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "Annuler votre participation à « Apéro du canal » ?").await;
    assert_accessible_without_scripts(&page, &axe, "confirmation in French").await;
    screenshot(&page, "confirm-leave-phone-fr").await;
    find(&page, By::LinkText("Non, revenir"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "Vous participez").await;
    switch_language(&page).await;
    wait_for(&page, "You take part").await;
    find(&page, By::Css("form[action='/logout'] button"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "Sign up").await;

    // Olga cancels the event through its confirmation page, which says who will be told.
    page.goto(format!("{origin}/login")).await.unwrap();
    fill(&page, "email", "olga@example.org").await;
    fill(&page, "password", "long enough password").await;
    submit(&page, "/login").await;
    wait_for(&page, "Log out").await;
    page.goto(format!("{event_url}/edit")).await.unwrap();
    find(&page, By::LinkText("Cancel the event"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "One participant will be told by mail.").await;
    assert_accessible_without_scripts(&page, &axe, "confirmation").await;
    assert_same_origin(&page, &origin).await;
    screenshot(&page, "confirm-cancel-phone-en").await;
    page.set_window_rect(0, 0, 1280, 900).await.unwrap();
    screenshot(&page, "confirm-cancel-desktop-en").await;
    find(&page, By::Css("button.danger"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(
        &page,
        "The event is cancelled; its participants are being told by mail.",
    )
    .await;
    screenshot(&page, "event-cancelled-desktop-en").await;
    server.wait_for_mail("zoe@example.org", "Cancelled").await;
    page.quit().await.unwrap();
}

/// Whether the event page's "Share…" button is drawn.
async fn native_share_shown(page: &WebDriver) -> bool {
    find(page, By::Id("share-native"))
        .await
        .is_displayed()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn share_opens_the_browsers_own_sharing_where_it_has_one_and_nothing_changes_without_it() {
    let Some((driver, axe)) = chromium_with_axe().await else {
        return;
    };
    let server = TestServer::start().await;
    let origin = server.base_url.clone();
    let olga = tests::people::sign_up(&server, "olga").await;
    let begins = chrono::Utc::now() + chrono::Duration::days(3);
    let uuid = olga
        .gql
        .data(
            "mutation($b: DateTime!) { createEvent(title: \"Apéro du canal\", beginsOn: $b) { uuid } }",
            serde_json::json!({ "b": begins }),
        )
        .await["createEvent"]["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let event_url = format!("{origin}/events/{uuid}");
    let page = browser(&driver).await;
    page.set_window_rect(0, 0, 390, 844).await.unwrap();

    // Without scripts: the address to copy and its QR code, no button that does nothing.
    set_javascript(&page, false).await;
    page.goto(&event_url).await.unwrap();
    wait_for(&page, "Apéro du canal").await;
    assert!(!native_share_shown(&page).await);
    find(&page, By::Id("share-link")).await;

    // A browser without its own sharing (Chromium on a Linux desktop) shows no button either.
    set_javascript(&page, true).await;
    page.goto(&event_url).await.unwrap();
    wait_for(&page, "Apéro du canal").await;
    let has_share = page
        .execute("return typeof navigator.share === 'function';", vec![])
        .await
        .unwrap()
        .json()
        .as_bool()
        .unwrap();
    assert_eq!(native_share_shown(&page).await, has_share);

    // A phone's browser (its share sheet stood in for by a function that keeps what it got).
    page.cdp()
        .send_raw(
            "Page.addScriptToEvaluateOnNewDocument",
            serde_json::json!({ "source":
                "Object.defineProperty(navigator, 'share', { configurable: true, value: (data) => { window.shared = data; return Promise.resolve(); } });" }),
        )
        .await
        .unwrap();
    page.goto(&event_url).await.unwrap();
    wait_for(&page, "Apéro du canal").await;
    assert!(native_share_shown(&page).await, "the button shows");
    find(&page, By::Id("share-native"))
        .await
        .click()
        .await
        .unwrap();
    let shared = page
        .execute("return window.shared;", vec![])
        .await
        .unwrap()
        .json()
        .clone();
    assert_eq!(shared["url"], Value::String(event_url.clone()), "{shared}");
    assert_eq!(shared["title"], Value::String("Apéro du canal".to_owned()));
    assert_same_origin(&page, &origin).await;
    assert_accessible_without_scripts(&page, &axe, "event with Share…").await;
    page.execute("document.getElementById('share').scrollIntoView();", vec![])
        .await
        .unwrap();
    screenshot(&page, "event-share-phone-en").await;
    page.quit().await.unwrap();
}
