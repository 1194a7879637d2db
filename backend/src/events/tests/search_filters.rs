//! Mobilizon's filters and orders of event lists: online or in person, long events apart,
//! categories, statuses and languages, and the upcoming list in another order.

use chrono::Duration;
use entity::event::EventStatus;

use super::service;
use crate::events::details::{self, DetailsChanges};
use crate::events::{EventChanges, EventKind, EventOrder, EventOrderField, SearchQuery};
use crate::pagination::Page;
use crate::testing::{TestContext, new_event};

async fn titles(t: &TestContext, query: SearchQuery) -> Vec<String> {
    super::super::search(&t.ctx.searches, t.ctx.now(), &query, Page::default())
        .await
        .expect("search")
        .elements
        .into_iter()
        .map(|e| e.title)
        .collect()
}

#[tokio::test]
async fn online_events_are_told_from_those_in_person_by_what_their_organizer_said() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let start = t.ctx.now() + Duration::days(2);
    let stream = service::create(&t.ctx, &alice.principal(), new_event("Stream", start))
        .await
        .expect("stream");
    service::create(&t.ctx, &alice.principal(), new_event("Picnic", start))
        .await
        .expect("picnic");
    details::set(
        &t.ctx,
        &alice.principal(),
        stream.id,
        DetailsChanges {
            is_online: Some(true),
            ..DetailsChanges::default()
        },
    )
    .await
    .expect("online");
    let of_kind = |kind| SearchQuery {
        kind: Some(kind),
        ..SearchQuery::default()
    };
    assert_eq!(titles(&t, of_kind(EventKind::Online)).await, ["Stream"]);
    assert_eq!(titles(&t, of_kind(EventKind::InPerson)).await, ["Picnic"]);
    assert_eq!(titles(&t, SearchQuery::default()).await.len(), 2);
}

#[tokio::test]
async fn long_events_are_kept_apart_only_when_the_instance_counts_them_and_follow_their_dates() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let start = t.ctx.now() + Duration::days(2);
    let mut festival = new_event("Festival", start);
    festival.ends_on = Some(start + Duration::days(10));
    let festival = service::create(&t.ctx, &alice.principal(), festival)
        .await
        .expect("festival");
    let mut open_ended = new_event("Open ended", start);
    open_ended.ends_on = None;
    service::create(&t.ctx, &alice.principal(), open_ended)
        .await
        .expect("open ended");
    service::create(&t.ctx, &alice.principal(), new_event("Evening", start))
        .await
        .expect("evening");
    let long = |long: bool, days: u32| SearchQuery {
        long_events: Some(long),
        long_event_days: days,
        ..SearchQuery::default()
    };
    assert_eq!(titles(&t, long(true, 7)).await, ["Festival"]);
    let mut short = titles(&t, long(false, 7)).await;
    short.sort();
    assert_eq!(short, ["Evening", "Open ended"]);
    // Ten days is not more than ten whole days, as `length::lasts_long` counts.
    assert!(titles(&t, long(true, 10)).await.is_empty());
    // The mode off, nothing is long and the filter is not applied, as in Mobilizon.
    assert_eq!(titles(&t, long(false, 0)).await.len(), 3);
    assert_eq!(titles(&t, long(true, 0)).await.len(), 3);

    // Shortened to two days, the festival is no longer long.
    service::update(
        &t.ctx,
        &alice.principal(),
        festival.id,
        EventChanges {
            ends_on: Some(start + Duration::days(2)),
            ..Default::default()
        },
    )
    .await
    .expect("shorten");
    assert!(titles(&t, long(true, 7)).await.is_empty());
}

#[tokio::test]
async fn events_are_found_by_any_of_several_categories_statuses_and_languages() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let start = t.ctx.now() + Duration::days(2);
    for (title, category, language, status) in [
        ("Run", "SPORTS", "en", EventStatus::Confirmed),
        ("Concert", "MUSIC", "fr", EventStatus::Tentative),
        ("Talk", "LEARNING", "en-GB", EventStatus::Cancelled),
    ] {
        let mut new = new_event(title, start);
        new.category = Some(category.to_owned());
        new.language = Some(language.to_owned());
        new.status = Some(status);
        service::create(&t.ctx, &alice.principal(), new)
            .await
            .expect(title);
    }
    let mut found = titles(
        &t,
        SearchQuery {
            categories: vec!["SPORTS".to_owned(), "MUSIC".to_owned()],
            ..SearchQuery::default()
        },
    )
    .await;
    found.sort();
    assert_eq!(found, ["Concert", "Run"]);
    let found = titles(
        &t,
        SearchQuery {
            statuses: vec![EventStatus::Cancelled],
            ..SearchQuery::default()
        },
    )
    .await;
    assert_eq!(found, ["Talk"]);
    let mut found = titles(
        &t,
        SearchQuery {
            languages: vec!["EN".to_owned(), "en_gb".to_owned()],
            ..SearchQuery::default()
        },
    )
    .await;
    found.sort();
    assert_eq!(found, ["Run", "Talk"]);
    for (bad, field) in [
        (
            SearchQuery {
                categories: vec!["NOPE".to_owned()],
                ..SearchQuery::default()
            },
            "categoryOneOf",
        ),
        (
            SearchQuery {
                languages: vec!["not a language".to_owned()],
                ..SearchQuery::default()
            },
            "languageOneOf",
        ),
    ] {
        let err = super::super::search(&t.ctx.searches, t.ctx.now(), &bad, Page::default())
            .await
            .expect_err("refused");
        assert_eq!(err.code(), "invalid");
        assert!(format!("{err:?}").contains(field), "{err:?}");
    }
}

#[tokio::test]
async fn the_upcoming_list_comes_in_the_order_asked_with_pages_that_never_overlap() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let now = t.ctx.now();
    // Created in this order, starting in the reverse one.
    for (title, days) in [("Third", 3), ("Second", 2), ("First", 1)] {
        service::create(
            &t.ctx,
            &alice.principal(),
            new_event(title, now + Duration::days(days)),
        )
        .await
        .expect(title);
        t.clock.advance(Duration::minutes(1));
    }
    let now = t.ctx.now();
    let in_order = |field, descending| SearchQuery {
        order: EventOrder { field, descending },
        ..SearchQuery::default()
    };
    assert_eq!(
        titles(&t, in_order(EventOrderField::BeginsOn, false)).await,
        ["First", "Second", "Third"]
    );
    assert_eq!(
        titles(&t, in_order(EventOrderField::BeginsOn, true)).await,
        ["Third", "Second", "First"]
    );
    let query = in_order(EventOrderField::InsertedAt, true);
    let mut paged = Vec::new();
    for page in 1..=3 {
        let found = super::super::search(&t.ctx.searches, now, &query, Page { page, limit: 1 })
            .await
            .expect("page");
        assert_eq!(found.total, 3);
        paged.extend(found.elements.into_iter().map(|e| e.title));
    }
    assert_eq!(
        paged,
        ["First", "Second", "Third"],
        "the last created first"
    );
}
