//! Mobilizon's lists of events with the arguments its client sends: `events` near a place,
//! in an order, long events apart; `searchEvents` by kind (online or in person), length,
//! categories and statuses.

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use tests::TestServer;
use tests::people::sign_up;

const CREATE: &str = "mutation($title: String!, $begins: DateTime!, $ends: DateTime,
        $place: AddressInput, $options: EventOptionsInput, $category: EventCategory) {
    createEvent(title: $title, description: \"<p>Come</p>\", beginsOn: $begins, endsOn: $ends,
        physicalAddress: $place, options: $options, category: $category) { id }
}";

fn titles(list: &Value) -> Vec<String> {
    list["elements"]
        .as_array()
        .expect("elements")
        .iter()
        .map(|e| e["title"].as_str().expect("title").to_owned())
        .collect()
}

#[tokio::test]
async fn the_upcoming_list_and_the_search_filter_as_mobilizons_client_asks() {
    let server = TestServer::builder()
        .settings(|s| s.instance.duration_of_long_event = 7)
        .start()
        .await;
    let alice = sign_up(&server, "alice").await;
    let soon = Utc::now() + Duration::days(2);
    let lyon = json!({ "locality": "Lyon", "geom": "4.8357;45.7640" });
    for (title, begins, ends, place, options, category) in [
        (
            "Festival in Lyon",
            soon + Duration::days(1),
            Some(soon + Duration::days(12)),
            lyon.clone(),
            json!({}),
            "PARTY",
        ),
        (
            "Evening in Lyon",
            soon,
            Some(soon + Duration::hours(3)),
            lyon.clone(),
            json!({}),
            "MUSIC",
        ),
        (
            "Stream",
            soon + Duration::days(2),
            None,
            Value::Null,
            json!({ "isOnline": true }),
            "LEARNING",
        ),
    ] {
        alice
            .gql
            .data(
                CREATE,
                json!({ "title": title, "begins": begins, "ends": ends, "place": place,
                        "options": options, "category": category }),
            )
            .await;
    }

    let events = |variables: Value| {
        let gql = server.gql();
        async move {
            gql.data(
                "query($location: String, $radius: Float, $orderBy: EventOrderBy,
                       $direction: SortDirection, $longEvents: Boolean) {
                    events(location: $location, radius: $radius, orderBy: $orderBy,
                           direction: $direction, longEvents: $longEvents) {
                        total elements { title longEvent }
                    }
                }",
                variables,
            )
            .await["events"]
                .clone()
        }
    };
    assert_eq!(
        titles(&events(json!({})).await),
        ["Evening in Lyon", "Festival in Lyon", "Stream"]
    );
    assert_eq!(
        titles(&events(json!({ "orderBy": "BEGINS_ON", "direction": "DESC" })).await),
        ["Stream", "Festival in Lyon", "Evening in Lyon"]
    );
    // u05kq is a geohash cell in Lyon.
    assert_eq!(
        titles(&events(json!({ "location": "u05kq", "radius": 20.0 })).await),
        ["Evening in Lyon", "Festival in Lyon"]
    );
    let long = events(json!({ "longEvents": true })).await;
    assert_eq!(titles(&long), ["Festival in Lyon"]);
    assert_eq!(long["elements"][0]["longEvent"], true);
    assert_eq!(
        titles(&events(json!({ "longEvents": false })).await),
        ["Evening in Lyon", "Stream"]
    );

    let search = |variables: Value| {
        let gql = server.gql();
        async move {
            gql.data(
                "query($type: EventType, $longEvents: Boolean, $categoryOneOf: [String],
                       $statusOneOf: [EventStatus]) {
                    searchEvents(type: $type, longEvents: $longEvents,
                                 categoryOneOf: $categoryOneOf, statusOneOf: $statusOneOf) {
                        total elements { title }
                    }
                }",
                variables,
            )
            .await["searchEvents"]
                .clone()
        }
    };
    assert_eq!(
        titles(&search(json!({ "type": "ONLINE" })).await),
        ["Stream"]
    );
    assert_eq!(
        titles(&search(json!({ "type": "IN_PERSON", "longEvents": false })).await),
        ["Evening in Lyon"]
    );
    assert_eq!(
        titles(&search(json!({ "categoryOneOf": ["MUSIC", "LEARNING"] })).await),
        ["Evening in Lyon", "Stream"]
    );
    assert_eq!(
        search(json!({ "statusOneOf": ["CANCELLED"] })).await["total"],
        0
    );
    let error = server
        .gql()
        .error(
            "{ searchEvents(categoryOneOf: [\"NOT_A_CATEGORY\"]) { total } }",
            json!({}),
        )
        .await;
    assert_eq!(error["extensions"]["code"], "invalid");
    assert_eq!(error["extensions"]["field"], "categoryOneOf");
}

#[tokio::test]
async fn groups_are_found_near_a_place_as_mobilizons_search_asks() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    for (username, place) in [
        (
            "lyon_bikes",
            json!({ "locality": "Lyon", "geom": "4.8357;45.7640" }),
        ),
        (
            "paris_bikes",
            json!({ "locality": "Paris", "geom": "2.3522;48.8566" }),
        ),
        ("nowhere_bikes", Value::Null),
    ] {
        alice
            .gql
            .data(
                "mutation($u: String!, $place: AddressInput) {
                    createGroup(preferredUsername: $u, name: $u, visibility: PUBLIC, physicalAddress: $place) { id }
                }",
                json!({ "u": username, "place": place }),
            )
            .await;
    }
    let search = |variables: Value| {
        let gql = server.gql();
        async move {
            let found = gql
                .data(
                    "query($term: String, $location: String, $radius: Float) {
                        searchGroups(term: $term, location: $location, radius: $radius) {
                            total elements { preferredUsername }
                        }
                    }",
                    variables,
                )
                .await;
            let mut names: Vec<String> = found["searchGroups"]["elements"]
                .as_array()
                .expect("elements")
                .iter()
                .map(|g| g["preferredUsername"].as_str().expect("name").to_owned())
                .collect();
            names.sort();
            names
        }
    };
    assert_eq!(
        search(json!({ "term": "bikes", "location": "u05kq", "radius": 20.0 })).await,
        ["lyon_bikes"]
    );
    assert_eq!(
        search(json!({ "location": "u05kq", "radius": 500.0 })).await,
        ["lyon_bikes", "paris_bikes"]
    );
    assert_eq!(search(json!({ "term": "bikes" })).await.len(), 3);
    let error = server
        .gql()
        .error(
            "{ searchGroups(location: \"u05kq\", radius: 5000) { total } }",
            json!({}),
        )
        .await;
    assert_eq!(error["extensions"]["field"], "radius");
}
