use chrono::Duration;
use entity::actor::Openness;
use entity::event::{EventStatus, EventVisibility};

use super::{EventChanges, SearchQuery, service};
use crate::addresses::AddressInput;
use crate::groups::service::NewGroup;
use crate::pagination::Page;
use crate::principal::Principal;
use crate::testing::{TestContext, new_event};

fn place(locality: &str, lon_lat: &str) -> AddressInput {
    AddressInput {
        locality: Some(locality.to_owned()),
        country: Some("France".to_owned()),
        geom: Some(lon_lat.to_owned()),
        ..Default::default()
    }
}

#[tokio::test]
async fn private_restricted_and_draft_events_stay_hidden_from_anonymous_and_unrelated_people() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let stranger = t.person("stranger").await;
    let start = t.ctx.now() + Duration::days(2);
    let mut private = new_event("Members only", start);
    private.visibility = Some(EventVisibility::Private);
    let private = service::create(&t.ctx, &alice.principal(), private)
        .await
        .expect("private");
    let mut restricted = new_event("Accepted people only", start);
    restricted.visibility = Some(EventVisibility::Restricted);
    let restricted = service::create(&t.ctx, &alice.principal(), restricted)
        .await
        .expect("restricted");
    let mut draft = new_event("Not yet", start);
    draft.draft = Some(true);
    let draft = service::create(&t.ctx, &alice.principal(), draft)
        .await
        .expect("draft");
    for event in [&private, &restricted, &draft] {
        for outsider in [Principal::Anonymous, stranger.principal()] {
            let err = super::find_visible(&t.ctx.db, &outsider, &event.uuid)
                .await
                .expect_err("hidden");
            assert_eq!(err.code(), "not_found");
        }
        super::find_visible(&t.ctx.db, &alice.principal(), &event.uuid)
            .await
            .expect("the organizer sees it");
    }
    let listed = super::upcoming(&t.ctx.db, t.ctx.now(), Page::default())
        .await
        .expect("list");
    assert_eq!(listed.total, 0, "none is listed");
    service::create(
        &t.ctx,
        &alice.principal(),
        new_event("Open only today", start),
    )
    .await
    .expect("public");
    let query = SearchQuery {
        term: Some("only".to_owned()),
        ..Default::default()
    };
    let found = super::search(&t.ctx.searches, t.ctx.now(), &query, Page::default())
        .await
        .expect("search");
    let titles: Vec<&str> = found.elements.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["Open only today"], "only the public one is found");
}

#[tokio::test]
async fn only_the_groups_moderators_publish_in_its_name() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let bob = t.person("bob").await;
    let group = crate::groups::service::create(
        &t.ctx,
        &alice.actor,
        NewGroup {
            preferred_username: "collective".to_owned(),
            openness: Some(Openness::Open),
            ..Default::default()
        },
    )
    .await
    .expect("group");
    let request = crate::groups::members::MembershipRequest {
        group_id: group.id,
        actor_id: None,
    };
    crate::groups::members::join(&t.ctx, &bob.principal(), request)
        .await
        .expect("join")
        .into_member()
        .expect("a member");
    let mut in_group = new_event("Assembly", t.ctx.now() + Duration::days(1));
    in_group.attributed_to_id = Some(group.id);
    let err = service::create(&t.ctx, &bob.principal(), in_group.clone())
        .await
        .expect_err("a plain member");
    assert_eq!(err.code(), "forbidden");
    let event = service::create(&t.ctx, &alice.principal(), in_group)
        .await
        .expect("admin");
    let err = service::update(
        &t.ctx,
        &bob.principal(),
        event.id,
        EventChanges {
            title: Some("Hijacked".to_owned()),
            ..Default::default()
        },
    )
    .await
    .expect_err("member cannot edit");
    assert_eq!(err.code(), "forbidden");
}

#[tokio::test]
async fn search_ignores_accents_and_finds_tags_and_places_within_the_radius() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let start = t.ctx.now() + Duration::days(5);
    let mut lyon = new_event("Fête de quartier", start);
    lyon.tags = Some(vec!["Vélo".to_owned()]);
    lyon.physical_address = Some(place("Lyon", "4.8357;45.7640"));
    service::create(&t.ctx, &alice.principal(), lyon)
        .await
        .expect("lyon");
    let mut paris = new_event("Atelier réparation", start);
    paris.physical_address = Some(place("Paris", "2.3522;48.8566"));
    service::create(&t.ctx, &alice.principal(), paris)
        .await
        .expect("paris");

    let search = |query: SearchQuery| {
        let db = t.ctx.searches.clone();
        let now = t.ctx.now();
        async move {
            super::search(&db, now, &query, Page::default())
                .await
                .expect("search")
        }
    };
    let by_text = search(SearchQuery {
        term: Some("FETE".to_owned()),
        ..Default::default()
    })
    .await;
    assert_eq!(by_text.total, 1);
    let by_tag_word = search(SearchQuery {
        term: Some("velo".to_owned()),
        ..Default::default()
    })
    .await;
    assert_eq!(by_tag_word.total, 1);
    let near_lyon = search(SearchQuery {
        near: Some(((45.75, 4.85), 20.0)),
        ..Default::default()
    })
    .await;
    assert_eq!(near_lyon.total, 1);
    assert_eq!(near_lyon.elements[0].title, "Fête de quartier");
    let everywhere = search(SearchQuery {
        near: Some(((47.0, 3.5), 400.0)),
        ..Default::default()
    })
    .await;
    assert_eq!(everywhere.total, 2);
}

#[tokio::test]
async fn a_found_event_is_the_stored_event_without_its_search_words() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let mut lyon = new_event("Fête de quartier", t.ctx.now() + Duration::days(5));
    lyon.description = Some("<p>Musique, repas partagé et jeux pour les enfants.</p>".to_owned());
    lyon.tags = Some(vec!["Vélo".to_owned()]);
    lyon.physical_address = Some(place("Lyon", "4.8357;45.7640"));
    let created = service::create(&t.ctx, &alice.principal(), lyon)
        .await
        .expect("lyon");
    let stored = super::find(&t.ctx.db, created.id).await.expect("stored");
    assert!(stored.search_text.contains("musique"));

    let found = super::search(
        &t.ctx.searches,
        t.ctx.now(),
        &SearchQuery {
            term: Some("musique".to_owned()),
            near: Some(((45.75, 4.85), 20.0)),
            ..Default::default()
        },
        Page::default(),
    )
    .await
    .expect("search");
    assert_eq!(found.total, 1);
    let expected = entity::event::Model {
        search_text: String::new(),
        search_text_more: None,
        ..stored
    };
    assert_eq!(found.elements, vec![expected]);
}

#[tokio::test]
async fn search_finds_a_term_inside_a_word_in_any_script() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let start = t.ctx.now() + Duration::days(5);
    for title in ["Велопробег по городу", "Repair café", "自転車の修理"] {
        service::create(&t.ctx, &alice.principal(), new_event(title, start))
            .await
            .expect(title);
    }
    let titles = |term: &str| {
        let db = t.ctx.searches.clone();
        let now = t.ctx.now();
        let query = SearchQuery {
            term: Some(term.to_owned()),
            ..Default::default()
        };
        async move {
            let found = super::search(&db, now, &query, Page::default())
                .await
                .expect("search");
            found
                .elements
                .into_iter()
                .map(|e| e.title)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(titles("пробег").await, vec!["Велопробег по городу"]);
    assert_eq!(titles("ВЕЛО").await, vec!["Велопробег по городу"]);
    assert_eq!(titles("修理").await, vec!["自転車の修理"]);
    assert_eq!(titles("pair caf").await, vec!["Repair café"]);
    assert!(titles("пробеж").await.is_empty());
}

#[tokio::test]
async fn an_event_moved_to_another_place_is_found_near_the_new_one_only() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let mut new = new_event("Vélorution", t.ctx.now() + Duration::days(3));
    new.physical_address = Some(place("Lyon", "4.8357;45.7640"));
    let event = service::create(&t.ctx, &alice.principal(), new)
        .await
        .expect("create");
    service::update(
        &t.ctx,
        &alice.principal(),
        event.id,
        EventChanges {
            physical_address: Some(place("Wellington", "174.7762;-41.2865")),
            ..Default::default()
        },
    )
    .await
    .expect("move");
    let near = |center: (f64, f64)| SearchQuery {
        term: Some("velorution".to_owned()),
        near: Some((center, 30.0)),
        ..Default::default()
    };
    let at_wellington = super::search(
        &t.ctx.searches,
        t.ctx.now(),
        &near((-41.29, 174.78)),
        Page::default(),
    )
    .await
    .expect("search");
    assert_eq!(at_wellington.total, 1);
    let at_lyon = super::search(
        &t.ctx.searches,
        t.ctx.now(),
        &near((45.76, 4.84)),
        Page::default(),
    )
    .await
    .expect("search");
    assert_eq!(at_lyon.total, 0);
}

/// A description whose distinct words pass the place index's bound, between two marked words.
fn long_description() -> String {
    let middle: Vec<String> = (0..500).map(|n| format!("mot{n}")).collect();
    format!("Ouverture {} clôture", middle.join(" "))
}

/// "Forum", in Lyon in three days, with [`long_description`].
async fn create_long_event_in_lyon(t: &TestContext, who: &Principal) -> entity::event::Model {
    let mut new = new_event("Forum", t.ctx.now() + Duration::days(3));
    new.physical_address = Some(place("Lyon", "4.8357;45.7640"));
    new.description = Some(long_description());
    service::create(&t.ctx, who, new).await.expect("create")
}

/// The titles `term` finds within 30 km of Lyon.
async fn found_near_lyon(t: &TestContext, term: &str) -> Vec<String> {
    let query = SearchQuery {
        term: Some(term.to_owned()),
        near: Some(((45.76, 4.84), 30.0)),
        ..Default::default()
    };
    super::search(&t.ctx.searches, t.ctx.now(), &query, Page::default())
        .await
        .expect("search")
        .elements
        .into_iter()
        .map(|e| e.title)
        .collect()
}

#[tokio::test]
async fn an_event_with_more_words_than_the_place_index_holds_is_found_by_each_of_them() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let event = create_long_event_in_lyon(&t, &alice.principal()).await;
    assert!(event.search_text.len() <= crate::search::WORDS_IN_INDEX_BYTES);
    assert!(event.search_text_more.is_some());
    for term in ["forum", "ouverture", "mot250", "cloture", "lyon"] {
        assert_eq!(found_near_lyon(&t, term).await, ["Forum"], "{term}");
    }
    // Both terms, one in each part of the words.
    assert_eq!(found_near_lyon(&t, "ouverture cloture").await, ["Forum"]);
    assert!(found_near_lyon(&t, "mot500").await.is_empty());

    // Shortened: the words that went are no longer found, and none are left over.
    service::update(
        &t.ctx,
        &alice.principal(),
        event.id,
        EventChanges {
            description: Some("Ouverture".to_owned()),
            ..Default::default()
        },
    )
    .await
    .expect("shorten");
    let shortened = super::find(&t.ctx.db, event.id).await.expect("event");
    assert_eq!(shortened.search_text_more, None);
    assert_eq!(found_near_lyon(&t, "ouverture").await, ["Forum"]);
    assert!(found_near_lyon(&t, "cloture").await.is_empty());
    assert!(found_near_lyon(&t, "mot250").await.is_empty());
}

#[tokio::test]
async fn events_with_long_words_from_before_the_split_are_found_by_each_of_them_after_it() {
    use migration::MigratorTrait as _;
    use sea_orm::ConnectionTrait as _;
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let long = create_long_event_in_lyon(&t, &alice.principal()).await;
    let mut new = new_event("Atelier", t.ctx.now() + Duration::days(4));
    new.physical_address = Some(place("Lyon", "4.8357;45.7640"));
    service::create(&t.ctx, &alice.principal(), new)
        .await
        .expect("create");
    let migrations = migration::Migrator::migrations();
    let since_split = migrations
        .iter()
        .rev()
        .position(|m| m.name() == "m20261128_000020_search_words_in_place_index")
        .expect("the split's migration");
    // Undoing the split puts every word back in one column, as before it.
    migration::Migrator::down(&t.ctx.db, Some(since_split as u32 + 1))
        .await
        .expect("undo the split");
    let whole = t
        .ctx
        .db
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            t.ctx.db.get_database_backend(),
            match t.ctx.db.get_database_backend() {
                sea_orm::DatabaseBackend::Postgres => {
                    "SELECT search_text FROM events WHERE id = $1"
                }
                _ => "SELECT search_text FROM events WHERE id = ?",
            },
            [long.id.into()],
        ))
        .await
        .expect("query")
        .expect("row")
        .try_get::<String>("", "search_text")
        .expect("words");
    assert!(whole.starts_with("forum ouverture mot0 "), "{whole}");
    assert!(whole.contains(" mot499 cloture"), "{whole}");
    migration::Migrator::up(&t.ctx.db, None)
        .await
        .expect("split again");
    for term in ["forum", "ouverture", "mot250", "cloture", "atelier"] {
        assert_eq!(found_near_lyon(&t, term).await.len(), 1, "{term}");
    }
    assert_eq!(found_near_lyon(&t, "lyon").await, ["Forum", "Atelier"]);
}

#[tokio::test]
async fn events_placed_before_cells_existed_are_filed_by_the_migration_as_the_service_files_them() {
    use migration::MigratorTrait as _;
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    // Both hemispheres, both sides of Greenwich, and points on cell edges.
    let places = [
        "2.3522;48.8566",
        "-58.3816;-34.6037",
        "174.7762;-41.2865",
        "-122.4194;37.7749",
        "0;0",
        "-0.25;-0.5",
        "179.99;89.99",
        "-180;-90",
    ];
    let mut filed = Vec::new();
    for (i, position) in places.into_iter().enumerate() {
        let mut new = new_event(&format!("Event {i}"), t.ctx.now() + Duration::days(1));
        new.physical_address = Some(place("Somewhere", position));
        let event = service::create(&t.ctx, &alice.principal(), new)
            .await
            .expect("create");
        assert!(event.geo_cell.is_some(), "{position}");
        filed.push(event);
    }
    // Back to before the cells were filed, whatever migrations came after.
    let migrations = migration::Migrator::migrations();
    let since_cells = migrations
        .iter()
        .rev()
        .position(|m| m.name() == "m20261127_000015_search_by_place_cells")
        .expect("the cells' migration");
    migration::Migrator::down(&t.ctx.db, Some(since_cells as u32 + 1))
        .await
        .expect("undo the cells");
    assert!(
        super::find(&t.ctx.db, filed[0].id).await.is_err(),
        "events have no cell column any more"
    );
    migration::Migrator::up(&t.ctx.db, None)
        .await
        .expect("file again");
    for event in filed {
        let again = super::find(&t.ctx.db, event.id).await.expect("event");
        assert_eq!(
            again.geo_cell,
            event.geo_cell,
            "{:?}",
            (event.latitude, event.longitude)
        );
    }
}

#[tokio::test]
async fn search_pages_come_soonest_first_with_the_whole_total_even_past_the_last_page() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    // Created out of date order, with one that does not match.
    for (title, day) in [
        ("Repair café 3", 9),
        ("Repair café 1", 2),
        ("Choir", 1),
        ("Repair café 2", 4),
    ] {
        service::create(
            &t.ctx,
            &alice.principal(),
            new_event(title, t.ctx.now() + Duration::days(day)),
        )
        .await
        .expect("event");
    }
    let query = SearchQuery {
        term: Some("repair".to_owned()),
        ..Default::default()
    };
    let page = |page: u64| {
        let db = t.ctx.searches.clone();
        let now = t.ctx.now();
        let query = query.clone();
        async move {
            super::search(&db, now, &query, Page { page, limit: 2 })
                .await
                .expect("search")
        }
    };
    let titles = |found: &crate::pagination::Paginated<entity::event::Model>| {
        found
            .elements
            .iter()
            .map(|e| e.title.clone())
            .collect::<Vec<_>>()
    };

    let first = page(1).await;
    assert_eq!(first.total, 3);
    assert_eq!(titles(&first), ["Repair café 1", "Repair café 2"]);
    let second = page(2).await;
    assert_eq!(second.total, 3);
    assert_eq!(titles(&second), ["Repair café 3"]);
    let past = page(3).await;
    assert_eq!(past.total, 3, "the total still counts every match");
    assert!(past.elements.is_empty());
}

#[tokio::test]
async fn several_edits_within_thirty_minutes_make_one_update_mail() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let bob = t.person("bob").await;
    let start = t.ctx.now() + Duration::days(3);
    let event = service::create(&t.ctx, &alice.principal(), new_event("Picnic", start))
        .await
        .expect("event");
    crate::participations::join(
        &t.ctx,
        &bob.principal(),
        &crate::rate_limits::Client::Local,
        crate::participations::JoinRequest {
            event_id: event.id,
            ..Default::default()
        },
    )
    .await
    .and_then(crate::participations::Joined::into_participation)
    .expect("join");
    let edit = |changes: EventChanges| {
        let ctx = t.ctx.clone();
        let who = alice.principal();
        async move {
            service::update(&ctx, &who, event.id, changes)
                .await
                .expect("edit")
        }
    };
    let moved = edit(EventChanges {
        begins_on: Some(start + Duration::hours(1)),
        ends_on: Some(start + Duration::hours(3)),
        ..Default::default()
    })
    .await;
    assert_eq!(moved.sequence, 1);
    t.clock.advance(Duration::minutes(10));
    edit(EventChanges {
        title: Some("Picnic in the park".to_owned()),
        ..Default::default()
    })
    .await;
    // A change of description alone is not worth a mail.
    edit(EventChanges {
        description: Some("<p>Bring a blanket</p>".to_owned()),
        ..Default::default()
    })
    .await;
    t.run_due_jobs().await;
    let updates = |t: &TestContext| {
        t.mail_to("bob@example.org")
            .into_iter()
            .filter(|m| m.subject.starts_with("Changed"))
            .collect::<Vec<_>>()
    };
    assert!(updates(&t).is_empty(), "nothing before 30 minutes");
    t.clock.advance(Duration::minutes(21));
    t.run_due_jobs().await;
    let mails = updates(&t);
    assert_eq!(mails.len(), 1);
    assert!(mails[0].text.contains("New time"), "{}", mails[0].text);
    assert!(mails[0].text.contains("New title"), "{}", mails[0].text);
}

#[tokio::test]
async fn descriptions_are_sanitized_and_links_are_marked_nofollow() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let mut new = new_event("Talk", t.ctx.now() + Duration::days(1));
    new.description = Some(
        r#"<p onclick="x()">Hi <script>alert(1)</script><a href="https://example.org">site</a></p>"#
            .to_owned(),
    );
    let event = service::create(&t.ctx, &alice.principal(), new)
        .await
        .expect("event");
    assert!(
        !event.description.contains("script"),
        "{}",
        event.description
    );
    assert!(
        !event.description.contains("onclick"),
        "{}",
        event.description
    );
    assert!(
        event.description.contains("nofollow"),
        "{}",
        event.description
    );
}

#[tokio::test]
async fn invalid_events_are_refused_field_by_field() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let start = t.ctx.now() + Duration::days(1);
    let mut bad = new_event("Hi", start);
    bad.ends_on = Some(start - Duration::hours(1));
    bad.options.timezone = Some("Mars/Olympus".to_owned());
    let err = service::create(&t.ctx, &alice.principal(), bad)
        .await
        .expect_err("invalid");
    assert_eq!(err.code(), "invalid");
    let text = err.to_string();
    assert!(
        text.contains("title") && text.contains("timezone"),
        "{text}"
    );
}

#[tokio::test]
async fn deleting_an_event_tells_its_participants_and_cancelling_shows_it() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let bob = t.person("bob").await;
    let event = service::create(
        &t.ctx,
        &alice.principal(),
        new_event("Concert", t.ctx.now() + Duration::days(2)),
    )
    .await
    .expect("event");
    crate::participations::join(
        &t.ctx,
        &bob.principal(),
        &crate::rate_limits::Client::Local,
        crate::participations::JoinRequest {
            event_id: event.id,
            ..Default::default()
        },
    )
    .await
    .and_then(crate::participations::Joined::into_participation)
    .expect("join");
    let cancelled = service::update(
        &t.ctx,
        &alice.principal(),
        event.id,
        EventChanges {
            status: Some(EventStatus::Cancelled),
            ..Default::default()
        },
    )
    .await
    .expect("cancel");
    assert_eq!(cancelled.status, EventStatus::Cancelled);
    assert_eq!(cancelled.sequence, 1);
    service::delete(&t.ctx, &alice.principal(), event.id)
        .await
        .expect("delete");
    t.run_due_jobs().await;
    let subjects: Vec<String> = t
        .mail_to("bob@example.org")
        .into_iter()
        .map(|m| m.subject)
        .collect();
    assert!(
        subjects.iter().any(|s| s.starts_with("Cancelled")),
        "{subjects:?}"
    );
    assert!(
        subjects.iter().any(|s| s.starts_with("Deleted")),
        "{subjects:?}"
    );
}

/// Payloads of the federation jobs recorded so far (not run: no federation worker here).
async fn recorded_for_federation(t: &TestContext) -> Vec<crate::outbox::Happened> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    entity::job::Entity::find()
        .filter(entity::job::Column::Kind.eq(crate::outbox::PUBLISH_JOB))
        .order_by_asc(entity::job::Column::Id)
        .all(&t.ctx.db)
        .await
        .expect("jobs")
        .into_iter()
        .map(|job| serde_json::from_value(job.payload).expect("a recorded fact"))
        .collect()
}

#[tokio::test]
async fn saving_an_event_without_a_visible_change_sends_no_update_to_other_instances() {
    use crate::outbox::Happened;
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let event = service::create(
        &t.ctx,
        &alice.principal(),
        new_event("Repair café", t.ctx.now() + Duration::days(2)),
    )
    .await
    .expect("event");
    let same_title = EventChanges {
        title: Some("Repair café".to_owned()),
        ..Default::default()
    };
    service::update(&t.ctx, &alice.principal(), event.id, same_title)
        .await
        .expect("saved again");
    assert_eq!(
        recorded_for_federation(&t).await,
        vec![Happened::EventCreated { event_id: event.id }]
    );

    let new_title = EventChanges {
        title: Some("Repair café, second edition".to_owned()),
        ..Default::default()
    };
    service::update(&t.ctx, &alice.principal(), event.id, new_title)
        .await
        .expect("renamed");
    let tags = EventChanges {
        tags: Some(vec!["repair".to_owned(), "bikes".to_owned()]),
        ..Default::default()
    };
    service::update(&t.ctx, &alice.principal(), event.id, tags)
        .await
        .expect("tagged");
    assert_eq!(
        recorded_for_federation(&t).await,
        vec![
            Happened::EventCreated { event_id: event.id },
            Happened::EventUpdated { event_id: event.id },
            Happened::EventUpdated { event_id: event.id },
        ]
    );
}

#[tokio::test]
async fn only_published_local_events_that_are_public_or_unlisted_federate() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let event = service::create(
        &t.ctx,
        &alice.principal(),
        new_event("Repair café", t.ctx.now() + Duration::days(2)),
    )
    .await
    .expect("event");
    let with = |visibility, draft, local| entity::event::Model {
        visibility,
        draft,
        local,
        ..event.clone()
    };
    let cases = [
        (EventVisibility::Public, false, true, true),
        (EventVisibility::Unlisted, false, true, true),
        (EventVisibility::Restricted, false, true, false),
        (EventVisibility::Private, false, true, false),
        (EventVisibility::Public, true, true, false),
        (EventVisibility::Public, false, false, false),
    ];
    for (visibility, draft, local, federates) in cases {
        assert_eq!(
            super::policy::federates(&with(visibility, draft, local)),
            federates,
            "{visibility:?}, draft: {draft}, local: {local}"
        );
    }
}

/// A copy of the remote event `ap_id` organized by `organizer_actor_id`, as its origin sends
/// it at version `updated`.
fn remote_event(
    t: &TestContext,
    ap_id: &str,
    organizer_actor_id: i64,
    title: &str,
    updated: Option<chrono::DateTime<chrono::Utc>>,
) -> super::federated::RemoteEvent {
    super::federated::RemoteEvent {
        ap_id: ap_id.to_owned(),
        url: ap_id.to_owned(),
        title: title.to_owned(),
        description: String::new(),
        begins_on: t.ctx.now() + Duration::days(3),
        ends_on: None,
        timezone: None,
        status: EventStatus::Confirmed,
        visibility: EventVisibility::Public,
        join_options: entity::event::JoinOptions::Free,
        external_participation_url: None,
        category: None,
        language: None,
        online_address: None,
        place: None,
        maximum_attendee_capacity: None,
        anonymous_participation: false,
        is_online: false,
        organizer_actor_id,
        attributed_to_id: None,
        tags: Vec::new(),
        published_at: updated,
        updated_at: updated,
        picture: None,
        series_url: None,
    }
}

#[tokio::test]
async fn a_copy_of_a_remote_event_arriving_after_its_instance_was_blocked_is_not_stored() {
    use super::federated::{find_by_ap_id, upsert_remote};
    use sea_orm::{ActiveModelTrait as _, Set};
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    // The inbox let the activity in before the block; the fetch of its event ends after it.
    entity::domain_block::ActiveModel {
        domain: Set("blocked.example".to_owned()),
        reason: Set(None),
        created_at: Set(t.ctx.now()),
        ..Default::default()
    }
    .insert(&t.ctx.db)
    .await
    .expect("blocked");
    let ap_id = "https://blocked.example/events/1";
    let stored = upsert_remote(
        &t.ctx,
        remote_event(&t, ap_id, organizer.actor.id, "Spam", None),
    )
    .await
    .expect("not an error");
    assert!(stored.is_none());
    assert!(
        find_by_ap_id(&t.ctx.db, ap_id)
            .await
            .expect("read")
            .is_none()
    );
}

#[tokio::test]
async fn an_older_copy_of_a_remote_event_arriving_late_does_not_replace_a_newer_one() {
    use super::federated::{find_by_ap_id, upsert_remote};
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let created = t.ctx.now() - Duration::hours(1);
    let version = |title: &str, updated: Option<chrono::DateTime<chrono::Utc>>| {
        remote_event(
            &t,
            "https://other.example/events/1",
            organizer.actor.id,
            title,
            updated,
        )
    };
    let title = || async {
        find_by_ap_id(&t.ctx.db, "https://other.example/events/1")
            .await
            .expect("read")
            .expect("stored")
            .title
    };

    upsert_remote(&t.ctx, version("First", Some(created)))
        .await
        .expect("created");
    upsert_remote(
        &t.ctx,
        version("Second", Some(created + Duration::minutes(5))),
    )
    .await
    .expect("updated");
    upsert_remote(&t.ctx, version("First", Some(created)))
        .await
        .expect("a late copy is not an error");
    assert_eq!(title().await, "Second", "the late, older copy was ignored");

    upsert_remote(
        &t.ctx,
        version("Third", Some(created + Duration::minutes(9))),
    )
    .await
    .expect("updated");
    assert_eq!(title().await, "Third");
    upsert_remote(&t.ctx, version("Undated", None))
        .await
        .expect("updated");
    assert_eq!(
        title().await,
        "Undated",
        "a copy that says nothing of its version is taken as it comes"
    );
}

#[tokio::test]
async fn a_remote_event_its_origin_deleted_is_not_brought_back_by_a_late_copy() {
    use super::federated::{delete_remote, find_by_ap_id, forget_remote, upsert_remote};
    use crate::received_activities::purge_event_deletions;
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let created = t.ctx.now() - Duration::hours(1);
    let held = "https://other.example/events/1";
    let copy = |ap_id: &str, title: &str, minutes: i64| {
        remote_event(
            &t,
            ap_id,
            organizer.actor.id,
            title,
            Some(created + Duration::minutes(minutes)),
        )
    };
    let db = &t.ctx.db;
    let stored = |ap_id: &'static str| async move {
        find_by_ap_id(db, ap_id).await.expect("read").is_some()
    };

    upsert_remote(&t.ctx, copy(held, "Repair café", 0))
        .await
        .expect("created")
        .expect("stored");
    assert!(delete_remote(&t.ctx, held).await.expect("deleted"));
    assert!(!stored(held).await);
    // The Create retried after a failed first delivery, then an Update sent before the
    // deletion: neither brings it back.
    let late = upsert_remote(&t.ctx, copy(held, "Repair café", 0))
        .await
        .expect("a late copy is not an error");
    assert!(late.is_none());
    let late = upsert_remote(&t.ctx, copy(held, "Repair café, moved", 5))
        .await
        .expect("a late copy is not an error");
    assert!(late.is_none());
    assert!(!stored(held).await);

    // A deletion that arrives before the event itself.
    let ahead = "https://other.example/events/2";
    assert!(!delete_remote(&t.ctx, ahead).await.expect("remembered"));
    assert!(
        upsert_remote(&t.ctx, copy(ahead, "Picnic", 0))
            .await
            .expect("a late copy is not an error")
            .is_none()
    );
    assert!(!stored(ahead).await);

    // An event its origin answered 404 for is removed, but may come back.
    let missing = "https://other.example/events/3";
    upsert_remote(&t.ctx, copy(missing, "Fair", 0))
        .await
        .expect("created")
        .expect("stored");
    assert!(forget_remote(&t.ctx, missing).await.expect("forgotten"));
    assert!(!stored(missing).await);
    assert!(
        upsert_remote(&t.ctx, copy(missing, "Fair", 1))
            .await
            .expect("stored again")
            .is_some()
    );

    // Deletions are remembered as long as activity ids are, past any sender's retries.
    let days = crate::received_activities::KEEP_DAYS;
    assert_eq!(
        purge_event_deletions(
            &t.ctx.db,
            t.ctx.now() + Duration::days(days) - Duration::minutes(1)
        )
        .await
        .expect("purge"),
        0
    );
    assert_eq!(
        purge_event_deletions(
            &t.ctx.db,
            t.ctx.now() + Duration::days(days) + Duration::minutes(1)
        )
        .await
        .expect("purge"),
        2
    );
}

#[tokio::test]
async fn a_remote_event_delivered_twice_at_once_is_stored_once_and_both_deliveries_succeed() {
    use super::federated::upsert_remote;
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let published = Some(t.ctx.now() - Duration::hours(1));
    for n in 0..10 {
        // Its `Create` and the `Announce` of its group, which fetches it.
        let ap_id = format!("https://other.example/events/{n}");
        let copy = || remote_event(&t, &ap_id, organizer.actor.id, "Picnic", published);
        let (first, second) =
            tokio::join!(upsert_remote(&t.ctx, copy()), upsert_remote(&t.ctx, copy()));
        let first = first.expect("first").expect("stored");
        let second = second.expect("second").expect("stored");
        assert_eq!(first.id, second.id);
    }
}

#[tokio::test]
async fn on_postgresql_searches_are_planned_once_for_any_values_and_other_statements_are_not() {
    use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
    let t = TestContext::new().await;
    if t.ctx.db.get_database_backend() != DatabaseBackend::Postgres {
        return; // SQLite has no plan cache mode
    }
    let alice = t.person("alice").await;
    service::create(
        &t.ctx,
        &alice.principal(),
        new_event("Vélo repair", t.ctx.now() + Duration::days(2)),
    )
    .await
    .expect("event");
    // One connection: the searches' and the one asked afterwards are the same.
    let searches = crate::db::connect_for_searches(&t.ctx.db, &t.database.url, 1, &t.ctx.changes)
        .await
        .expect("connect");
    let query = SearchQuery {
        term: Some("velo rep".to_owned()),
        ..Default::default()
    };
    for _ in 0..7 {
        let found = super::search(&searches, t.ctx.now(), &query, Page::default())
            .await
            .expect("search");
        assert_eq!(found.total, 1);
    }
    // The driver prepared the search once on this connection; PostgreSQL says how it ran.
    let plans = searches
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements \
             WHERE statement LIKE '%COUNT(*) OVER ()%'",
        ))
        .await
        .expect("plans")
        .expect("the search's prepared statement");
    assert_eq!(plans.try_get::<i64>("", "custom_plans").expect("custom"), 0);
    assert_eq!(
        plans.try_get::<i64>("", "generic_plans").expect("generic"),
        7
    );
    let mode = |conn: sea_orm::DatabaseConnection| async move {
        conn.query_one_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT current_setting('plan_cache_mode') AS mode",
        ))
        .await
        .expect("setting")
        .expect("row")
        .try_get::<String>("", "mode")
        .expect("mode")
    };
    assert_eq!(mode(searches).await, "force_generic_plan");
    assert_eq!(mode(t.ctx.db.clone()).await, "auto");
}

#[tokio::test]
async fn the_upcoming_list_next_changes_when_the_first_listed_event_is_over() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let now = t.ctx.now();
    assert_eq!(
        super::next_over_at(&t.ctx.db, now).await.expect("none"),
        None
    );
    let mut festival = new_event("Festival", now + Duration::days(2));
    festival.ends_on = Some(now + Duration::days(5));
    let mut open_ended = new_event("Open-ended", now + Duration::days(3));
    open_ended.ends_on = None;
    // Drafts are not listed, so their end changes nothing.
    let mut draft = new_event("Draft", now + Duration::hours(1));
    draft.draft = Some(true);
    for event in [festival, open_ended, draft] {
        service::create(&t.ctx, &alice.principal(), event)
            .await
            .expect("event");
    }
    let next = |at| {
        let db = t.ctx.db.clone();
        async move { super::next_over_at(&db, at).await.expect("next") }
    };
    assert_eq!(next(now).await, Some(now + Duration::days(3)));
    assert_eq!(
        next(now + Duration::days(3) + Duration::seconds(1)).await,
        Some(now + Duration::days(5))
    );
    assert_eq!(next(now + Duration::days(6)).await, None);
}

mod moved_rules;
mod search_filters;

#[tokio::test]
async fn an_address_stored_without_a_position_gets_its_towns_and_is_then_found_near_it() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let mut typed = new_event("Balade en ville", t.ctx.now() + Duration::days(3));
    typed.physical_address = Some(AddressInput {
        street: Some("3 place Bellecour".to_owned()),
        locality: Some("Lyon".to_owned()),
        ..Default::default()
    });
    let event = service::create(&t.ctx, &alice.principal(), typed)
        .await
        .expect("created");
    assert_eq!(event.latitude, None);
    let mut nowhere = new_event("Nulle part", t.ctx.now() + Duration::days(3));
    nowhere.physical_address = Some(AddressInput {
        locality: Some("Qwyxville".to_owned()),
        ..Default::default()
    });
    service::create(&t.ctx, &alice.principal(), nowhere)
        .await
        .expect("created");

    let found = crate::geocoding::positions::find_positions(&t.ctx, 10)
        .await
        .expect("looked up");
    assert_eq!(found, 1, "Lyon is known, Qwyxville is not");
    // Tried once: not again before a week.
    let again = crate::geocoding::positions::find_positions(&t.ctx, 10)
        .await
        .expect("looked up");
    assert_eq!(again, 0);

    let near_lyon = super::search(
        &t.ctx.searches,
        t.ctx.now(),
        &SearchQuery {
            near: Some(((45.75, 4.85), 10.0)),
            ..Default::default()
        },
        Page::default(),
    )
    .await
    .expect("search");
    assert_eq!(near_lyon.total, 1);
    assert_eq!(near_lyon.elements[0].title, "Balade en ville");
}

#[tokio::test]
async fn a_town_or_postal_code_finds_the_events_there_by_address_or_by_position() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let at = |locality: &str, postal_code: Option<&str>, geom: Option<&str>| AddressInput {
        locality: Some(locality.to_owned()),
        postal_code: postal_code.map(str::to_owned),
        geom: geom.map(str::to_owned),
        ..Default::default()
    };
    for (title, address) in [
        ("Apéro Montreuil", at("Montreuil", Some("93100"), None)),
        (
            "Près de Montreuil",
            at("Bagnolet", None, Some("2.4180;48.8690")),
        ),
        (
            "Vélo à Lyon",
            at("Lyon", Some("69002"), Some("4.832;45.7578")),
        ),
    ] {
        let mut new = new_event(title, t.ctx.now() + Duration::days(3));
        new.physical_address = Some(address);
        service::create(&t.ctx, &alice.principal(), new)
            .await
            .expect("created");
    }
    let titles = |place: &'static str| {
        let ctx = t.ctx.clone();
        async move {
            let filter = ctx
                .geocoder
                .place_filter(&ctx.searches, place, "fr", 5.0)
                .await
                .expect("filter");
            let filter = filter?;
            let query = SearchQuery {
                at_place: Some(filter),
                ..Default::default()
            };
            let mut titles: Vec<String> =
                super::search(&ctx.searches, ctx.now(), &query, Page::default())
                    .await
                    .expect("search")
                    .elements
                    .into_iter()
                    .map(|e| e.title)
                    .collect();
            titles.sort();
            Some(titles)
        }
    };
    assert_eq!(
        titles("montreuil").await,
        Some(vec![
            "Apéro Montreuil".to_owned(),
            "Près de Montreuil".to_owned()
        ])
    );
    assert_eq!(
        titles("93100").await,
        Some(vec!["Apéro Montreuil".to_owned()])
    );
    assert_eq!(titles("Lyon").await, Some(vec!["Vélo à Lyon".to_owned()]));
    assert_eq!(titles("Qwyxville").await, None);
}
