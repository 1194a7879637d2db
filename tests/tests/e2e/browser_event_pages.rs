//! The event pages as people meet them in a real Chromium, on a phone and a desktop, in
//! English and French: a group created from the header menu, an event published for it from
//! its page with a city as its zone and a description holding `<3` and a link, edited twice
//! unchanged; a form with problems; a newcomer who signs up from "Log in to take part", comes
//! back to the event and takes part without scrolling; the event cancelled through its
//! confirmation page. axe-core finds nothing serious, and nothing loads from elsewhere.
//! With `CONVIVE_SCREENSHOTS` naming a directory, each page is kept there to look at.

use serde_json::Value;
use tests::{TestServer, find_link};
use thirtyfour::prelude::*;

use super::browser::{
    assert_accessible, assert_same_origin, browser, chromium_with_axe, fill, find, screenshot,
    submit, wait_for,
};

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
    let server = TestServer::start().await;
    let origin = server.base_url.clone();
    let olga = tests::people::sign_up(&server, "olga").await;
    let page = browser(&driver).await;
    page.set_window_rect(0, 0, 390, 844).await.unwrap();

    page.goto(format!("{origin}/login")).await.unwrap();
    fill(&page, "email", &olga.email).await;
    fill(&page, "password", "long enough password").await;
    submit(&page, "/login").await;
    wait_for(&page, "Log out").await;

    // "Create a group" is in the header menu; its creator is told they administer it.
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
    assert_accessible(&page, &axe, "event form with problems").await;
    screenshot(&page, "form-problems-phone-en").await;

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
    // A city names its zone; Olga's own zone is the instance's (UTC), so the form first says
    // what 19:00 in Paris is for her.
    fill(&page, "timezone", "Paris").await;
    submit(&page, "/events/new").await;
    wait_for(&page, "This zone is not yours").await;
    submit(&page, "/events/new").await;
    wait_for(&page, "Your event is published.").await;
    let text = wait_for(&page, "19:00 (Europe/Paris)").await;
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

    // Zoé, on her phone, signs up from "Log in to take part" and comes back to the event.
    page.goto(&event_url).await.unwrap();
    wait_for(&page, "Take part").await;
    assert_accessible(&page, &axe, "event").await;
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
    assert_accessible(&page, &axe, "event in French").await;
    screenshot(&page, "event-going-desktop-fr").await;
    page.set_window_rect(0, 0, 390, 844).await.unwrap();
    screenshot(&page, "event-going-phone-fr").await;

    // Cancelling her participation asks first, on a page that names the event.
    find(&page, By::Css("a[href$='/leave']"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "Annuler votre participation à « Apéro du canal » ?").await;
    assert_accessible(&page, &axe, "confirmation in French").await;
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
    fill(&page, "email", &olga.email).await;
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
    assert_accessible(&page, &axe, "confirmation").await;
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
