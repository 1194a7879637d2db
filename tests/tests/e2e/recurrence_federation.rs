//! A recurring event between two Convive instances: each date goes out as its own `Event`
//! (what Mobilizon and Mastodon understand), carrying the series it belongs to in our own
//! term `convive:series`; B keeps that link, and the page of a date on B says it is part of a
//! series and lists the other dates B holds. The series' address on A leads to its next date.

use chrono::{Datelike, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::federating::{self, wait_for};
use tests::people::sign_up;

#[tokio::test]
async fn each_date_reaches_b_with_its_series_and_b_shows_the_other_dates_of_that_series() {
    let a = federating::server().await;
    let b = federating::server().await;
    let alice = sign_up(&a, "alice").await;
    let group = alice
        .gql
        .data(
            "mutation { createGroup(preferredUsername: \"repair\", name: \"Repair collective\",
                openness: OPEN, visibility: PUBLIC) { id } }",
            json!({}),
        )
        .await;
    let group_id = group["createGroup"]["id"].as_str().unwrap().to_owned();
    sign_up(&b, "bob").await;
    let bob = backend::actors::find_local_by_username(&b.ctx.db, "bob")
        .await
        .unwrap()
        .unwrap();
    let a_host = a.ctx.settings.public_url.host();
    let follow =
        federation::follow_remote(b.federation(), &b.ctx, &bob, &format!("repair@{a_host}"))
            .await
            .expect("B resolves the group and follows it");
    wait_for("B to receive A's Accept", || async {
        let f = backend::groups::followers::find_follow(&b.ctx.db, bob.id, follow.target_id)
            .await
            .unwrap()?;
        f.approved.then_some(())
    })
    .await;

    let year = Utc::now().year() + 1;
    let created = alice
        .gql
        .data(
            "mutation($g: ID!, $b: DateTime!) {
                createEvent(attributedToId: $g, title: \"Repair café\", beginsOn: $b,
                    options: { timezone: \"Europe/Paris\" },
                    recurrence: { frequency: WEEKLY, weekdays: [TUESDAY], count: 3 }) {
                    seriesId occurrences(limit: 10) { uuid }
                }
            }",
            json!({ "g": group_id, "b": format!("{year}-03-02T18:00:00Z") }),
        )
        .await;
    let series_uuid = created["createEvent"]["seriesId"]
        .as_str()
        .unwrap()
        .to_owned();
    let uuids: Vec<String> = created["createEvent"]["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["uuid"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(uuids.len(), 3);
    let series_url = a.ctx.url(&format!("/series/{series_uuid}"));

    // Each date's document names its series, in a term its context declares.
    let document: Value = reqwest::Client::new()
        .get(a.url(&format!("/events/{}", uuids[1])))
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(document["series"], json!(series_url), "{document:#}");
    let terms = &document["@context"][2];
    assert_eq!(
        terms["series"],
        json!({ "@id": "convive:series", "@type": "@id" })
    );
    assert!(terms["convive"].as_str().is_some(), "{terms:#}");

    // B holds every date with the link.
    let mut held = Vec::new();
    for uuid in &uuids {
        let ap_id = a.ctx.url(&format!("/events/{uuid}"));
        let stored = wait_for("a date on B", || async {
            backend::events::federated::find_by_ap_id(&b.ctx.db, &ap_id)
                .await
                .unwrap()
        })
        .await;
        assert_eq!(
            stored.remote_series_url.as_deref(),
            Some(series_url.as_str())
        );
        held.push(stored);
    }
    let page = reqwest::get(b.url(&format!("/events/{}", held[0].uuid)))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("part of a series on the instance it comes from"),
        "{page}"
    );
    for other in &held[1..] {
        assert!(
            page.contains(&format!("href=\"/events/{}\"", other.uuid)),
            "the other dates held here are listed: {page}"
        );
    }

    // The series' address on A leads to its next date.
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let answer = no_redirects.get(&series_url).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        answer.headers()["location"].to_str().unwrap(),
        format!("/events/{}", uuids[0])
    );
    let unknown = no_redirects
        .get(a.url("/series/no-such-series"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}
