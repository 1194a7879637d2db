//! Mobilizon's shapes read real data: what an organizer gives an event comes back, a user's
//! place and default identity are kept, an identity's private side is its own, moderators'
//! lists are theirs, and settings Convive does not act on are refused rather than stored.

use chrono::{Duration, Utc};
use serde_json::json;
use tests::TestServer;
use tests::people::sign_up;

#[tokio::test]
async fn an_events_details_given_at_creation_come_back_as_mobilizon_shapes_them() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let created = alice
        .gql
        .data(
            "mutation($b: DateTime!, $a: ID!, $tags: [String], $contacts: [Contact], $metadata: [EventMetadataInput]) {
                createEvent(organizerActorId: $a, title: \"Repair café\", description: \"<p>Bring it</p>\",
                    beginsOn: $b, tags: $tags, phoneAddress: \"+33 1 23 45 67 89\",
                    contacts: $contacts, metadata: $metadata,
                    options: { program: \"<p>Talks</p><script>x()</script>\", isOnline: true,
                               attendees: [\"Ada\"], commentModeration: CLOSED,
                               offers: [{ price: 5.0, priceCurrency: \"EUR\" }] }) {
                    uuid phoneAddress tags { title related { title } }
                    contacts { __typename preferredUsername }
                    metadata { key value type }
                    organizerActor { __typename ... on Person { preferredUsername } }
                    options { program isOnline attendees commentModeration offers { price priceCurrency } }
                }
            }",
            json!({
                "b": Utc::now() + Duration::days(3),
                "a": alice.person_id,
                "tags": ["vélo", null],
                "contacts": [{ "id": alice.person_id }],
                "metadata": [{ "key": "mz:live", "value": "true", "type": "BOOLEAN" }],
            }),
        )
        .await;
    let event = &created["createEvent"];
    assert_eq!(event["phoneAddress"], "+33 1 23 45 67 89");
    assert_eq!(event["tags"][0]["title"], "vélo");
    assert_eq!(event["contacts"][0]["preferredUsername"], "alice");
    assert_eq!(event["metadata"][0]["type"], "BOOLEAN");
    assert_eq!(event["organizerActor"]["__typename"], "Person");
    let options = &event["options"];
    assert_eq!(options["isOnline"], true);
    assert_eq!(options["attendees"], json!(["Ada"]));
    assert_eq!(options["commentModeration"], "CLOSED");
    assert_eq!(options["offers"][0]["priceCurrency"], "EUR");
    assert!(!options["program"].as_str().unwrap().contains("script"));

    let tags = server
        .gql()
        .data("{ tags(filter: \"VELO\") { title } }", json!({}))
        .await;
    assert_eq!(tags["tags"], json!([{ "title": "vélo" }]));
    let language = server
        .gql()
        .data("{ languages(codes: [\"fr\"]) { code name } }", json!({}))
        .await;
    assert_eq!(
        language["languages"],
        json!([{ "code": "fr", "name": "French" }])
    );
}

#[tokio::test]
async fn a_users_place_and_default_identity_are_kept_and_unsupported_settings_refused() {
    let server = TestServer::start().await;
    let bob = sign_up(&server, "bob").await;
    let settings = bob
        .gql
        .data(
            "mutation { setUserSettings(timezone: \"Europe/Paris\", location: { geohash: \"u09tvw\", name: \"Paris\", range: 25 }) {
                timezone location { geohash name range } notificationEachWeek groupNotifications } }",
            json!({}),
        )
        .await;
    assert_eq!(
        settings["setUserSettings"]["location"],
        json!({ "geohash": "u09tvw", "name": "Paris", "range": 25 })
    );
    assert_eq!(settings["setUserSettings"]["notificationEachWeek"], false);
    let code = bob
        .gql
        .error_code(
            "mutation { setUserSettings(notificationEachWeek: true) { timezone } }",
            json!({}),
        )
        .await;
    assert_eq!(code, "invalid");
    let code = bob
        .gql
        .error_code(
            "mutation { setUserSettings(timezone: \"Mars/Olympus\") { timezone } }",
            json!({}),
        )
        .await;
    assert_eq!(code, "invalid");

    bob.gql
        .data(
            "mutation { createPerson(preferredUsername: \"bob_work\", name: \"Bob at work\") { id } }",
            json!({}),
        )
        .await;
    let changed = bob
        .gql
        .data(
            "mutation { changeDefaultActor(preferredUsername: \"bob_work\") { defaultActor { preferredUsername } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        changed["changeDefaultActor"]["defaultActor"]["preferredUsername"],
        "bob_work"
    );
}

#[tokio::test]
async fn an_identitys_private_side_is_its_own_and_moderators_lists_are_theirs() {
    let server = TestServer::start().await;
    let carol = sign_up(&server, "carol").await;
    let dan = sign_up(&server, "dan").await;
    let query = "query($id: ID!) { fetchPerson(preferredUsername: \"carol\") { memberships { total } } person(id: $id) { user { email } participations { total } } }";
    let own = carol
        .gql
        .send(query, json!({ "id": carol.person_id }))
        .await;
    assert_eq!(own["data"]["person"]["user"]["email"], carol.email.as_str());
    assert_eq!(own["data"]["fetchPerson"]["memberships"]["total"], 0);
    let other = dan
        .gql
        .send(
            "{ fetchPerson(preferredUsername: \"carol\") { preferredUsername memberships { total } } }",
            json!({}),
        )
        .await;
    assert_eq!(other["data"]["fetchPerson"]["preferredUsername"], "carol");
    assert_eq!(other["data"]["fetchPerson"]["memberships"], json!(null));
    assert_eq!(other["errors"][0]["code"], "forbidden");
    for list in [
        "{ persons { total } }",
        "{ users { total } }",
        "{ searchPersons(term: \"carol\") { total } }",
    ] {
        assert_eq!(
            dan.gql.error_code(list, json!({})).await,
            "forbidden",
            "{list}"
        );
        assert_eq!(
            server.gql().error_code(list, json!({})).await,
            "unauthenticated",
            "{list}"
        );
    }
    let stats = server
        .gql()
        .data(
            "{ statistics { numberOfUsers numberOfComments } }",
            json!({}),
        )
        .await;
    assert_eq!(stats["statistics"]["numberOfUsers"], 2);
    assert_eq!(stats["statistics"]["numberOfComments"], 0);
}
