//! Every page speaks one language: walked in French, no word that only the English strings
//! use is left on it (and the reverse). The words of each language are those of the pages'
//! own strings (`web/locales`), so a string added in one language and shown untranslated in
//! the other is found without a list to keep.

use std::collections::BTreeSet;

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use tests::TestServer;
use tests::browser::Browser;

use super::event_form::logged_in_browser;

const EN: &str = include_str!("../../../web/locales/en/pages.ftl");
const FR: &str = include_str!("../../../web/locales/fr/pages.ftl");
const EN_MORE: [&str; 2] = [
    include_str!("../../../web/locales/en/account.ftl"),
    include_str!("../../../web/locales/en/maps.ftl"),
];
const FR_MORE: [&str; 2] = [
    include_str!("../../../web/locales/fr/account.ftl"),
    include_str!("../../../web/locales/fr/maps.ftl"),
];

/// Words that may appear on a page of either language: names, the brand, and words both
/// languages write alike in other strings.
const ALLOWED: &[&str] = &["convive", "google", "openstreetmap", "webcal", "ical"];

/// The words of a text, lowercased, of four letters or more (shorter ones are shared too
/// often: "page", "date" are, "the", "des" are not words we learn from).
fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .collect()
}

/// The words of a Fluent file's strings, without their placeables (`{ $count }`) nor their
/// variants' keys (`[one]`).
fn strings_words(ftl: &str) -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    for line in ftl.lines() {
        if line.starts_with('#') {
            continue;
        }
        let value = match line.split_once(" = ") {
            Some((key, value)) if !key.starts_with(' ') => value,
            _ => line,
        };
        let mut text = String::new();
        let mut depth = 0usize;
        for c in value.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                c if depth == 0 => text.push(c),
                _ => {}
            }
        }
        let text = text.trim_start();
        let text = match text.strip_prefix('[').and_then(|t| t.split_once(']')) {
            Some((_, rest)) => rest,
            None => text.trim_start_matches('*'),
        };
        let text = match text.strip_prefix('[').and_then(|t| t.split_once(']')) {
            Some((_, rest)) => rest,
            None => text,
        };
        all.extend(words(text));
    }
    all
}

/// What a person reads on a page: its text and the labels given to assistive technology,
/// without scripts, styles and the page's head.
fn readable(html: &str) -> String {
    let body = html.split_once("<body>").map_or(html, |(_, b)| b);
    let mut text = String::new();
    let mut rest = body;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        text.push(' ');
        let after = &rest[start..];
        // A list of suggestions (every zone's city) is not text on the page.
        let skip_to = ["<script", "<style", "<svg", "<datalist"]
            .iter()
            .find(|t| after.starts_with(*t))
            .and_then(|t| {
                let close = format!("</{}>", &t[1..]);
                after.find(&close).map(|i| i + close.len())
            });
        if let Some(skip) = skip_to {
            rest = &after[skip..];
            continue;
        }
        let end = after.find('>').map_or(after.len(), |i| i + 1);
        let tag = &after[..end];
        for attribute in ["aria-label=\"", "placeholder=\"", "alt=\""] {
            if let Some(at) = tag.find(attribute) {
                let value = &tag[at + attribute.len()..];
                text.push_str(value.split('"').next().unwrap_or(""));
                text.push(' ');
            }
        }
        rest = &after[end..];
    }
    text.push_str(rest);
    text.replace("&#39;", "'").replace("&amp;", "&")
}

/// The words of `page` that only the other language's strings use.
fn strangers(page: &str, own: &BTreeSet<String>, other: &BTreeSet<String>) -> Vec<String> {
    words(&readable(page))
        .into_iter()
        .filter(|w| other.contains(w) && !own.contains(w) && !ALLOWED.contains(&w.as_str()))
        .collect()
}

#[test]
fn the_readable_text_of_a_page_leaves_out_scripts_and_keeps_labels() {
    let html = "<head><title>x</title></head><body><nav aria-label=\"Main menu\"><a>Home</a></nav><script>var nothing;</script><svg><path d=\"M0\"/></svg><p>Fish &amp; chips</p></body>";
    let text = readable(html);
    assert!(text.contains("Main menu") && text.contains("Home") && text.contains("Fish & chips"));
    assert!(!text.contains("nothing") && !text.contains("M0"));
    let en = strings_words(
        "a = Take part\nb = { $count ->\n    [one] One seat\n   *[other] { $count } seats\n}",
    );
    assert!(en.contains("take") && en.contains("seats") && en.contains("seat"));
    assert!(!en.contains("count") && !en.contains("other"));
}

#[tokio::test]
async fn every_page_speaks_the_visitors_language_without_a_word_of_the_other() {
    let mut en = strings_words(EN);
    let mut fr = strings_words(FR);
    for (en_more, fr_more) in EN_MORE.iter().zip(FR_MORE) {
        en.extend(strings_words(en_more));
        fr.extend(strings_words(fr_more));
    }
    let server = TestServer::start().await;
    let (mut olga, _) = logged_in_browser(&server, "olga").await;
    let (mut gus, _) = logged_in_browser(&server, "gus").await;

    // A group, an event of it with a seat limit, and a participant, all through the pages.
    let form = olga.get("/groups/new").await;
    let group = olga
        .post(
            "/groups/new",
            &[
                ("csrf", &form.csrf()),
                ("username", "jardin"),
                ("name", "Jardin partagé"),
                ("openness", "open"),
            ],
        )
        .await;
    assert_eq!(group.status, StatusCode::SEE_OTHER, "{}", group.body);
    let begins = (Utc::now() + Duration::days(3))
        .format("%Y-%m-%dT10:00")
        .to_string();
    let form = olga.get("/events/new").await;
    let created = olga
        .post(
            "/events/new",
            &[
                ("csrf", &form.csrf()),
                ("title", "Potager"),
                ("description", "Potager"),
                ("begins", &begins),
                ("timezone", "UTC"),
                ("join", "free"),
                ("capacity", "12"),
                ("visibility", "public"),
                ("status", "confirmed"),
                ("category", "FOOD_DRINK"),
                ("anonymous", "on"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let event = created
        .location
        .unwrap()
        .trim_end_matches("?done=published")
        .to_owned();
    let page = gus.get(&event).await;
    gus.post(&format!("{event}/join"), &[("csrf", &page.csrf())])
        .await;

    let organizer_pages = [
        "/".to_owned(),
        "/search?term=potager".to_owned(),
        event.clone(),
        format!("{event}?done=saved"),
        format!("{event}/edit"),
        format!("{event}/participants"),
        format!("{event}/cancel"),
        format!("{event}/delete"),
        "/events/new".to_owned(),
        "/@jardin".to_owned(),
        "/@jardin/events".to_owned(),
        "/@jardin/members".to_owned(),
        "/@jardin/edit".to_owned(),
        "/groups/new".to_owned(),
        "/me/events".to_owned(),
        "/me/settings".to_owned(),
        "/me/account".to_owned(),
        "/@olga".to_owned(),
        "/nowhere".to_owned(),
    ];
    let participant_pages = [
        event.clone(),
        format!("{event}/leave"),
        "/@jardin".to_owned(),
    ];
    let visitor_pages = [
        "/".to_owned(),
        event.clone(),
        "/login".to_owned(),
        "/register".to_owned(),
        "/password/forgot".to_owned(),
        // Not `/about`: it shows the configured description, the administrators' own words in
        // their own language ("Events of local collectives" by default).
        "/terms".to_owned(),
        "/privacy".to_owned(),
    ];

    for (lang, own, other) in [("fr", &fr, &en), ("en", &en, &fr)] {
        for browser in [&mut olga, &mut gus] {
            let home = browser.get("/").await;
            let switched = browser
                .post("/language", &[("csrf", &home.csrf()), ("lang", lang)])
                .await;
            assert_eq!(switched.status, StatusCode::SEE_OTHER);
        }
        let mut visitor = Browser::new(&server.base_url);
        visitor.accept_language = lang.to_owned();
        let mut found = Vec::new();
        for (who, browser, paths) in [
            ("organizer", &mut olga, &organizer_pages[..]),
            ("participant", &mut gus, &participant_pages[..]),
            ("visitor", &mut visitor, &visitor_pages[..]),
        ] {
            for path in paths {
                let page = browser.get(path).await;
                assert!(
                    page.body.contains(&format!("<html lang=\"{lang}\"")),
                    "{who} {path} in {lang}"
                );
                let left = strangers(&page.body, own, other);
                if !left.is_empty() {
                    found.push(format!("{who} {path}: {left:?}"));
                }
            }
        }
        // A form with problems, too.
        let form = olga.get("/events/new").await;
        let refused = olga
            .post(
                "/events/new",
                &[("csrf", &form.csrf()), ("title", "x"), ("capacity", "many")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        let left = strangers(&refused.body, own, other);
        if !left.is_empty() {
            found.push(format!("organizer form with problems: {left:?}"));
        }
        assert!(
            found.is_empty(),
            "words of the other language on {lang} pages:\n{}",
            found.join("\n")
        );
    }
}
