//! The event form as organizers meet it: descriptions that come back as they were typed and
//! are shown as safe HTML with links, errors next to their fields, confirmation pages for
//! what cannot be undone, and a notice after each action.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::json;
use tests::TestServer;
use tests::browser::{Browser, Page};
use tests::people::{Member, sign_up};

pub(crate) async fn logged_in_browser(server: &TestServer, username: &str) -> (Browser, Member) {
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

/// Text as the page's HTML escaped it, read back.
fn unescaped(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&#60;", "<")
        .replace("&gt;", ">")
        .replace("&#62;", ">")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .replace("&#38;", "&")
}

/// What a `<textarea>` of the page holds, as a browser would send it back.
fn textarea(page: &Page, id: &str) -> String {
    let marker = format!("<textarea id=\"{id}\"");
    let start = page.body.find(&marker).expect("the text box");
    let open_end = page.body[start..].find('>').unwrap() + start + 1;
    let end = page.body[open_end..].find("</textarea>").unwrap() + open_end;
    unescaped(&page.body[open_end..end])
}

fn tomorrow_evening() -> String {
    (Utc::now() + Duration::days(3))
        .format("%Y-%m-%dT19:00")
        .to_string()
}

/// The event form's fields, with the description given.
fn event_fields<'a>(
    csrf: &'a str,
    begins: &'a str,
    description: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("title", "Apéro de quartier"),
        ("description", description),
        ("begins", begins),
        ("timezone", "Europe/Paris"),
        ("join", "free"),
        ("visibility", "public"),
        ("status", "confirmed"),
    ]
}

#[tokio::test]
async fn a_description_with_angle_brackets_and_a_link_survives_two_unchanged_saves() {
    let server = TestServer::start().await;
    let (mut organizer, _) = logged_in_browser(&server, "olga").await;
    let typed = "Venez nombreux <3\n< 18 ans : accompagnés\n\nProgramme : https://example.org/programme?jour=1.\n\n- des chips\n- du jus";
    let begins = tomorrow_evening();
    let form = organizer.get("/events/new").await;
    let csrf = form.csrf();
    let created = organizer
        .post("/events/new", &event_fields(&csrf, &begins, typed))
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let event_path = created
        .location
        .clone()
        .unwrap()
        .trim_end_matches("?done=published")
        .to_owned();
    let uuid = event_path.trim_start_matches("/events/").to_owned();
    let shown = "<p>Venez nombreux &lt;3<br>\n&lt; 18 ans : accompagnés</p>\n<p>Programme : <a href=\"https://example.org/programme?jour=1\" rel=\"nofollow noopener noreferrer\">https://example.org/programme?jour=1</a>.</p>\n<ul>\n<li>des chips</li>\n<li>du jus</li>\n</ul>";

    for save in 1..=2 {
        let page = organizer.get(&event_path).await;
        assert!(page.body.contains(shown), "save {save}: {}", page.body);
        let edit = organizer.get(&format!("{event_path}/edit")).await;
        let again = textarea(&edit, "description");
        assert_eq!(again, typed, "save {save}: the form shows what was typed");
        // A browser sends a text box's lines ended by CRLF.
        let sent = again.replace('\n', "\r\n");
        let saved = organizer
            .post(
                &format!("{event_path}/edit"),
                &event_fields(&edit.csrf(), &begins, &sent),
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    }
    let page = organizer.get(&event_path).await;
    assert!(page.body.contains(shown), "{}", page.body);

    // Mobilizon's API reads the same HTML.
    let read = server
        .gql()
        .data(
            "query($uuid: UUID!) { event(uuid: $uuid) { description } }",
            json!({ "uuid": uuid }),
        )
        .await;
    assert_eq!(read["event"]["description"], shown);
}

#[tokio::test]
async fn an_event_described_in_html_through_the_api_is_edited_sensibly_on_the_form() {
    let server = TestServer::start().await;
    let (mut organizer, member) = logged_in_browser(&server, "olga").await;
    let html = "<p>Bring <b>bowls</b><br>and spoons</p><ul><li>soup</li><li>bread</li></ul>";
    let created = member
        .gql
        .data(
            "mutation($b: DateTime!, $d: String) {
                createEvent(title: \"Soupe populaire\", beginsOn: $b, description: $d,
                    options: { timezone: \"Europe/Paris\" }) { uuid description }
            }",
            json!({ "b": Utc::now() + Duration::days(2), "d": html }),
        )
        .await;
    let uuid = created["createEvent"]["uuid"].as_str().unwrap().to_owned();
    let stored = created["createEvent"]["description"]
        .as_str()
        .unwrap()
        .to_owned();
    let event_path = format!("/events/{uuid}");

    let edit = organizer.get(&format!("{event_path}/edit")).await;
    let text = textarea(&edit, "description");
    assert_eq!(text, "Bring bowls\nand spoons\n\n- soup\n- bread");
    let begins = tomorrow_evening();
    let unchanged = organizer
        .post(
            &format!("{event_path}/edit"),
            &event_fields(&edit.csrf(), &begins, &text.replace('\n', "\r\n")),
        )
        .await;
    assert_eq!(
        unchanged.status,
        StatusCode::SEE_OTHER,
        "{}",
        unchanged.body
    );
    let read = |server: &TestServer| {
        let gql = server.gql();
        let uuid = uuid.clone();
        async move {
            gql.data(
                "query($uuid: UUID!) { event(uuid: $uuid) { description } }",
                json!({ "uuid": uuid }),
            )
            .await["event"]["description"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    assert_eq!(read(&server).await, stored, "left as it was, bold included");

    let edit = organizer.get(&format!("{event_path}/edit")).await;
    let changed = format!("{text}\n- cheese");
    let saved = organizer
        .post(
            &format!("{event_path}/edit"),
            &event_fields(&edit.csrf(), &begins, &changed),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        read(&server).await,
        "<p>Bring bowls<br>\nand spoons</p>\n<ul>\n<li>soup</li>\n<li>bread</li>\n<li>cheese</li>\n</ul>"
    );
    let edit = organizer.get(&format!("{event_path}/edit")).await;
    assert_eq!(textarea(&edit, "description"), changed);
}

#[tokio::test]
async fn every_problem_of_the_event_form_is_told_at_once_beside_its_field_in_the_pages_language() {
    let server = TestServer::start().await;
    let (mut organizer, _) = logged_in_browser(&server, "olga").await;
    let home = organizer.get("/").await;
    let french = organizer
        .post("/language", &[("csrf", &home.csrf()), ("lang", "fr")])
        .await;
    assert_eq!(french.status, StatusCode::SEE_OTHER);
    let form = organizer.get("/events/new").await;
    let csrf = form.csrf();
    let refused = organizer
        .post(
            "/events/new",
            &[
                ("csrf", &csrf),
                ("title", "ab"),
                ("description", "Venez <3"),
                ("begins", ""),
                ("ends", "demain"),
                ("timezone", "Nulle/Part"),
                ("join", "external"),
                ("capacity", "-3"),
                ("online", "pas une adresse"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = &refused.body;
    for field in [
        "title", "begins", "ends", "timezone", "online", "external", "capacity",
    ] {
        assert!(
            body.contains(&format!("id=\"{field}-error\"")),
            "{field} has its message: {body}"
        );
        let input_start = body.find(&format!(" id=\"{field}\"")).unwrap();
        let input = &body[input_start..body[input_start..].find('>').unwrap() + input_start];
        assert!(input.contains("aria-invalid=\"true\""), "{field}: {input}");
        assert!(
            input.contains(&format!("aria-describedby=\"{field}-error")),
            "{field}: {input}"
        );
    }
    assert_eq!(
        body.matches(" autofocus").count(),
        1,
        "only the first is focused"
    );
    let title_input = &body[body.find(" id=\"title\"").unwrap()..];
    assert!(title_input[..title_input.find('>').unwrap()].contains("autofocus"));
    assert!(body.contains("Donnez à l’événement un titre de 3 à 200 caractères."));
    assert!(
        body.contains("7 choses à corriger avant d’enregistrer"),
        "{body}"
    );
    for internal in [
        "options.",
        "beginsOn",
        "endsOn",
        "externalParticipationUrl",
        "onlineAddress",
    ] {
        assert!(
            !body.contains(internal),
            "{internal} shown to a person: {body}"
        );
    }
    // What was typed comes back as it was.
    assert_eq!(textarea(&refused, "description"), "Venez <3");
}

#[tokio::test]
async fn an_unknown_visibility_or_way_to_take_part_is_refused_beside_its_field_not_read_as_public()
{
    use sea_orm::{EntityTrait, PaginatorTrait};
    let server = TestServer::start().await;
    let (mut organizer, _) = logged_in_browser(&server, "olga").await;
    let begins = tomorrow_evening();
    for (lang, visibility_words, join_words) in [
        (
            "en",
            "Choose who can see the event.",
            "Choose how people take part.",
        ),
        (
            "fr",
            "Choisissez qui peut voir l’événement.",
            "Choisissez comment participer.",
        ),
    ] {
        if lang == "fr" {
            let home = organizer.get("/").await;
            let french = organizer
                .post("/language", &[("csrf", &home.csrf()), ("lang", "fr")])
                .await;
            assert_eq!(french.status, StatusCode::SEE_OTHER);
        }
        let form = organizer.get("/events/new").await;
        let csrf = form.csrf();
        let mut fields = event_fields(&csrf, &begins, "Venez");
        for (name, value) in fields.iter_mut() {
            if *name == "visibility" || *name == "join" {
                *value = "weird";
            }
        }
        let refused = organizer.post("/events/new", &fields).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{lang}: {}",
            refused.body
        );
        let body = &refused.body;
        for (field, words) in [("visibility", visibility_words), ("join", join_words)] {
            assert!(
                body.contains(&format!(
                    "<p class=\"field-error\" id=\"{field}-error\">{words}</p>"
                )),
                "{lang}: {field} has its message beside it: {body}"
            );
            let input_start = body.find(&format!(" id=\"{field}\"")).unwrap();
            let input = &body[input_start..body[input_start..].find('>').unwrap() + input_start];
            assert!(input.contains("aria-invalid=\"true\""), "{field}: {input}");
        }
        assert!(!body.contains("joinOptions"), "{body}");
        // What was typed comes back.
        assert!(body.contains("value=\"Apéro de quartier\""), "{body}");
    }
    let events = entity::event::Entity::find()
        .count(&server.ctx.db)
        .await
        .unwrap();
    assert_eq!(events, 0, "nothing was created");
}

#[tokio::test]
async fn cancelling_an_event_asks_first_says_who_will_be_told_then_says_it_is_done() {
    let server = TestServer::start().await;
    let (mut organizer, _) = logged_in_browser(&server, "olga").await;
    let (mut guest, gus) = logged_in_browser(&server, "gus").await;
    let begins = tomorrow_evening();
    let form = organizer.get("/events/new").await;
    let created = organizer
        .post("/events/new", &event_fields(&form.csrf(), &begins, "Venez"))
        .await;
    let event_path = created.location.clone().unwrap();
    assert!(event_path.ends_with("?done=published"), "{event_path}");
    let published = organizer.get(&event_path).await;
    assert!(published.body.contains("Your event is published."));
    let event_path = event_path.trim_end_matches("?done=published").to_owned();
    let page = guest.get(&event_path).await;
    let joined = guest
        .post(&format!("{event_path}/join"), &[("csrf", &page.csrf())])
        .await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER);

    // The edit form links to the confirmation, not to the act.
    let edit = organizer.get(&format!("{event_path}/edit")).await;
    assert!(edit.body.contains(&format!("href=\"{event_path}/cancel\"")));
    assert_eq!(
        guest.get(&format!("{event_path}/cancel")).await.status,
        StatusCode::FORBIDDEN
    );
    let ask = organizer.get(&format!("{event_path}/cancel")).await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(
        ask.body.contains("Cancel “Apéro de quartier”?"),
        "{}",
        ask.body
    );
    assert!(ask.body.contains("One participant will be told by mail."));
    assert!(
        ask.body
            .contains(&format!("action=\"{event_path}/cancel\""))
    );
    assert!(ask.body.contains("class=\"danger\""));
    let still = organizer.get(&event_path).await;
    assert!(
        !still.body.contains("class=\"banner cancelled\""),
        "asking changed nothing"
    );

    let done = organizer
        .post(&format!("{event_path}/cancel"), &[("csrf", &ask.csrf())])
        .await;
    assert_eq!(
        done.location.as_deref(),
        Some(format!("{event_path}?done=cancelled").as_str())
    );
    let page = organizer.get(done.location.as_deref().unwrap()).await;
    assert!(
        page.body
            .contains("The event is cancelled; its participants are being told by mail."),
        "{}",
        page.body
    );
    server.wait_for_mail(&gus.email, "Cancelled: Apéro").await;
}

#[tokio::test]
async fn deleting_an_event_and_cancelling_a_participation_ask_first_on_a_page_of_their_own() {
    let server = TestServer::start().await;
    let (mut organizer, _) = logged_in_browser(&server, "olga").await;
    let (mut guest, _) = logged_in_browser(&server, "gus").await;
    let begins = tomorrow_evening();
    let form = organizer.get("/events/new").await;
    let created = organizer
        .post("/events/new", &event_fields(&form.csrf(), &begins, "Venez"))
        .await;
    let event_path = created
        .location
        .clone()
        .unwrap()
        .trim_end_matches("?done=published")
        .to_owned();
    let page = guest.get(&event_path).await;
    guest
        .post(&format!("{event_path}/join"), &[("csrf", &page.csrf())])
        .await;

    // The guest's page offers a link to a confirmation, which names the event.
    let going = guest.get(&event_path).await;
    assert!(going.body.contains(&format!("href=\"{event_path}/leave\"")));
    let ask = guest.get(&format!("{event_path}/leave")).await;
    assert!(
        ask.body
            .contains("Cancel your participation in “Apéro de quartier”?"),
        "{}",
        ask.body
    );
    let left = guest
        .post(&format!("{event_path}/leave"), &[("csrf", &ask.csrf())])
        .await;
    assert_eq!(
        left.location.as_deref(),
        Some(format!("{event_path}?done=left").as_str())
    );
    // Not taking part any more, the confirmation leads back to the event.
    let again = guest.get(&format!("{event_path}/leave")).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);

    let ask = organizer.get(&format!("{event_path}/delete")).await;
    assert!(
        ask.body.contains("Delete “Apéro de quartier”?"),
        "{}",
        ask.body
    );
    assert!(
        ask.body.contains("Nobody has signed up yet"),
        "{}",
        ask.body
    );
    let deleted = organizer
        .post(&format!("{event_path}/delete"), &[("csrf", &ask.csrf())])
        .await;
    assert_eq!(deleted.location.as_deref(), Some("/me/events?done=deleted"));
    let mine = organizer.get("/me/events?done=deleted").await;
    assert!(mine.body.contains("The event is deleted"), "{}", mine.body);
    assert_eq!(guest.get(&event_path).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_pages_icon_is_served_from_our_own_origin() {
    let server = TestServer::start().await;
    let mut visitor = Browser::new(&server.base_url);
    let home = visitor.get("/").await;
    assert!(
        home.body
            .contains(r#"<link rel="icon" href="/favicon.svg" type="image/svg+xml">"#)
    );
    let icon = visitor.get("/favicon.svg").await;
    assert_eq!(icon.status, StatusCode::OK);
    assert_eq!(icon.headers["content-type"], "image/svg+xml");
    assert!(icon.body.starts_with("<svg") && !icon.body.contains("href"));
}
