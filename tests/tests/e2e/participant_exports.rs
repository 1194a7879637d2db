//! `exportEventParticipants` as Mobilizon's client uses it: the organizer asks for the file,
//! downloads it from `/exports/csv/{path}` with a plain link, and nobody else can make one;
//! the address stops working after an hour.

use backend::clock::{Clock, ManualClock};
use chrono::{Duration, Utc};
use serde_json::json;
use tests::TestServer;
use tests::people::sign_up;

const CREATE_EVENT: &str = "mutation($begins: DateTime!) {
    createEvent(title: \"Fête du vélo\", description: \"<p>Ride</p>\", beginsOn: $begins) { id }
}";
const EXPORT: &str =
    "mutation($event: ID!, $format: ExportFormatEnum, $roles: [ParticipantRoleEnum]) {
    exportEventParticipants(eventId: $event, format: $format, roles: $roles) { path format }
}";

#[tokio::test]
async fn the_organizer_downloads_the_participants_as_csv_and_others_are_refused() {
    let clock = ManualClock::new(Utc::now());
    let server = TestServer::builder()
        .manual_clock(clock.clone())
        .start()
        .await;
    let alice = sign_up(&server, "alice").await;
    let bob = sign_up(&server, "bob").await;
    let created = alice
        .gql
        .data(
            CREATE_EVENT,
            json!({ "begins": clock.now() + Duration::days(3) }),
        )
        .await;
    let event_id = created["createEvent"]["id"].as_str().unwrap().to_owned();
    bob.gql
        .data(
            "mutation($event: ID!, $actor: ID!) {
                joinEvent(eventId: $event, actorId: $actor, message: \"=2+2, I bring \\\"cake\\\"\") { id }
            }",
            json!({ "event": event_id, "actor": bob.person_id }),
        )
        .await;

    let exported = alice
        .gql
        .data(EXPORT, json!({ "event": event_id, "format": "CSV" }))
        .await;
    assert_eq!(exported["exportEventParticipants"]["format"], "CSV");
    let path = exported["exportEventParticipants"]["path"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(path.ends_with(".csv") && path.len() > 40, "{path}");

    // As the client does: a plain link, no credentials.
    let http = reqwest::Client::new();
    let download = http
        .get(server.url(&format!("/exports/csv/{path}")))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), 200);
    assert_eq!(
        download.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert_eq!(download.headers()["cache-control"], "no-store");
    let disposition = download.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment;") && disposition.contains("_participants.csv"),
        "{disposition}"
    );
    let csv = download.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "Participant name,Participant status,Participant registration date,Participant message"
    );
    assert_eq!(lines.len(), 3, "the organizer and bob: {csv}");
    assert!(lines[1].starts_with("alice (@alice),Creator,"), "{csv}");
    assert!(lines[2].starts_with("bob (@bob),Participant,"), "{csv}");
    // Quoted, and not a formula for spreadsheets.
    assert!(
        lines[2].ends_with(",\"'=2+2, I bring \"\"cake\"\"\""),
        "{csv}"
    );

    // Only the roles asked for.
    let creators = alice
        .gql
        .data(
            EXPORT,
            json!({ "event": event_id, "format": "CSV", "roles": ["CREATOR"] }),
        )
        .await;
    let creators_path = creators["exportEventParticipants"]["path"]
        .as_str()
        .unwrap();
    let csv = http
        .get(server.url(&format!("/exports/csv/{creators_path}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(!csv.contains("bob"), "{csv}");

    // A participant is not an organizer; an anonymous caller is nobody.
    assert_eq!(
        bob.gql
            .error_code(EXPORT, json!({ "event": event_id, "format": "CSV" }))
            .await,
        "forbidden"
    );
    assert_eq!(
        server
            .gql()
            .error_code(EXPORT, json!({ "event": event_id, "format": "CSV" }))
            .await,
        "unauthenticated"
    );
    // Formats this instance does not make are refused, not answered with a CSV.
    let error = alice
        .gql
        .error(EXPORT, json!({ "event": event_id, "format": "PDF" }))
        .await;
    assert_eq!(error["extensions"]["code"], "invalid");
    assert_eq!(error["extensions"]["field"], "format");
    let formats = server
        .gql()
        .data(
            "{ config { exportFormats { eventParticipants } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        formats["config"]["exportFormats"]["eventParticipants"],
        json!(["csv"])
    );

    // Wrong addresses and expired files are all "not found".
    for wrong in [
        "/exports/csv/not-a-token.csv".to_owned(),
        format!("/exports/pdf/{path}"),
        format!("/exports/csv/{}", path.trim_end_matches(".csv")),
    ] {
        let status = http.get(server.url(&wrong)).send().await.unwrap().status();
        assert_eq!(status, 404, "{wrong}");
    }
    clock.advance(Duration::minutes(61));
    let status = http
        .get(server.url(&format!("/exports/csv/{path}")))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 404, "expired after an hour");
    let purged = backend::participations::export::purge(&server.ctx)
        .await
        .unwrap();
    assert_eq!(purged, 2, "both files are deleted once expired");
}
