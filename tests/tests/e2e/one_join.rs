//! One join, whoever asks: an RSVP through GraphQL on A and a signed `Join` posted to A's
//! inbox by a person on B run the same backend function. Two twin events of one seat each
//! show it: the same rows, the same work planned for the event (its debounced count
//! `Update`), each person answered in their own way (mail here, `Accept` there), and the same
//! refusal (`event_full`, with its message) for whoever comes next.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use backend::outbox::{Happened, PUBLISH_JOB};
use chrono::Utc;
use entity::participant::{self, ParticipantRole};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use tests::TestServer;
use tests::federating;
use tests::people::sign_up;
use tests::signing::{SignedPost, Signer};

const CREATE_EVENT: &str = "mutation($title: String!, $begins: DateTime!) {
    createEvent(title: $title, beginsOn: $begins,
        options: { maximumAttendeeCapacity: 1, waitlistEnabled: false,
            timezone: \"Europe/Paris\" }) { id uuid }
}";
const JOIN: &str = "mutation($e: ID!) { joinEvent(eventId: $e) { id role } }";

/// A person on `server` with keys, as a signer, and their actor's id.
async fn person_with_keys(server: &TestServer, username: &str) -> (Signer, String) {
    sign_up(server, username).await;
    let actor = backend::actors::find_local_by_username(&server.ctx.db, username)
        .await
        .unwrap()
        .unwrap();
    let actor = federation::keys::ensure(&server.ctx, actor).await.unwrap();
    let signer = Signer {
        key_id: format!("{}#main-key", actor.ap_id),
        private_key_pem: actor.private_key_pem.clone().unwrap(),
    };
    (signer, actor.ap_id)
}

/// The jobs an RSVP may plan. Deliveries are left out (workers make them from the facts,
/// maybe already), and so is the instance's own upkeep.
const RSVP_WORK: [&str; 5] = [
    PUBLISH_JOB,
    backend::mail::SEND_MAIL_JOB,
    backend::participations::reminders::BEFORE_EVENT_JOB,
    backend::participations::reminders::ON_DAY_JOB,
    backend::participations::notices::PENDING_DIGEST_JOB,
];

/// What an RSVP planned, as kinds of work: federation's facts by name (a refusal with its
/// reason), other jobs by kind.
async fn planned_since(server: &TestServer, after_job: i64) -> Vec<String> {
    let mut planned: Vec<String> = entity::job::Entity::find()
        .filter(entity::job::Column::Id.gt(after_job))
        .filter(entity::job::Column::Kind.is_in(RSVP_WORK))
        .order_by_asc(entity::job::Column::Id)
        .all(&server.ctx.db)
        .await
        .unwrap()
        .into_iter()
        .map(|job| {
            if job.kind != PUBLISH_JOB {
                return job.kind;
            }
            match serde_json::from_value::<Happened>(job.payload).unwrap() {
                Happened::EventUpdated { .. } => "count update".to_owned(),
                Happened::ParticipationAnswered { .. } => "answer by federation".to_owned(),
                Happened::JoinRefused { reason, .. } => format!("refusal by federation: {reason}"),
                other => format!("{other:?}"),
            }
        })
        .collect();
    planned.sort();
    planned
}

async fn last_job(server: &TestServer) -> i64 {
    entity::job::Entity::find()
        .order_by_desc(entity::job::Column::Id)
        .one(&server.ctx.db)
        .await
        .unwrap()
        .map_or(0, |job| job.id)
}

async fn participants(server: &TestServer, event_id: i64) -> Vec<participant::Model> {
    participant::Entity::find()
        .filter(participant::Column::EventId.eq(event_id))
        .filter(participant::Column::Role.ne(ParticipantRole::Creator))
        .all(&server.ctx.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_join_through_graphql_and_a_signed_remote_join_go_through_the_same_function() {
    let a = federating::server().await;
    let b = federating::server().await;
    let alice = sign_up(&a, "alice").await;
    let begins = Utc::now() + chrono::Duration::days(5);
    let mut events = Vec::new();
    for title in ["Workshop here", "Workshop there"] {
        let created = alice
            .gql
            .data(CREATE_EVENT, json!({ "title": title, "begins": begins }))
            .await;
        let id: i64 = created["createEvent"]["id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let uuid = created["createEvent"]["uuid"].as_str().unwrap().to_owned();
        events.push((id, a.ctx.url(&format!("/events/{uuid}"))));
    }
    let [(here, _), (there, there_ap_id)] = [events[0].clone(), events[1].clone()];
    let dora = sign_up(&a, "dora").await;
    let frank = sign_up(&a, "frank").await;
    let (erin, erin_id) = person_with_keys(&b, "erin").await;
    let (gina, gina_id) = person_with_keys(&b, "gina").await;
    let join = |actor: &str, n: &str| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{actor}#joins/{n}"),
            "type": "Join",
            "actor": actor,
            "object": there_ap_id,
        })
        .to_string()
    };
    let inbox = a.ctx.url("/inbox");

    // The first of each: dora through GraphQL, erin by a signed `Join`.
    let before = last_job(&a).await;
    let joined = dora.gql.data(JOIN, json!({ "e": here.to_string() })).await;
    assert_eq!(joined["joinEvent"]["role"], "PARTICIPANT");
    let by_graphql = planned_since(&a, before).await;
    let before = last_job(&a).await;
    let response = SignedPost::new(&inbox, &join(&erin_id, "1"))
        .send(&erin)
        .await;
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
    let by_federation = planned_since(&a, before).await;

    let (row_here, row_there) = (participants(&a, here).await, participants(&a, there).await);
    assert_eq!((row_here.len(), row_there.len()), (1, 1));
    let (row_here, row_there) = (&row_here[0], &row_there[0]);
    assert_eq!(row_here.role, ParticipantRole::Participant);
    assert_eq!(row_there.role, ParticipantRole::Participant);
    assert_eq!(
        (&row_here.message, &row_here.email),
        (&row_there.message, &row_there.email)
    );
    assert_eq!(row_there.ap_id, Some(format!("{erin_id}#joins/1")));
    // The same work for the event; each person hears in their own way (mail and reminders
    // here, an answer by federation there).
    let for_the_person = |p: &String| {
        p.starts_with("answer") || p == backend::mail::SEND_MAIL_JOB || p.starts_with("reminders.")
    };
    let for_the_event = |planned: &[String]| -> Vec<String> {
        planned
            .iter()
            .filter(|p| !for_the_person(p))
            .cloned()
            .collect()
    };
    assert_eq!(for_the_event(&by_graphql), ["count update"]);
    assert_eq!(for_the_event(&by_federation), for_the_event(&by_graphql));
    assert!(
        by_graphql.contains(&backend::mail::SEND_MAIL_JOB.to_owned()),
        "{by_graphql:?}"
    );
    assert!(
        by_federation.contains(&"answer by federation".to_owned()),
        "{by_federation:?}"
    );

    // The next of each: the same refusal, given as an error here and a `Reject` there.
    let before = last_job(&a).await;
    let refused = frank
        .gql
        .error(JOIN, json!({ "e": here.to_string() }))
        .await;
    assert_eq!(refused["extensions"]["code"], "event_full");
    let message = refused["message"].as_str().unwrap().to_owned();
    assert_eq!(planned_since(&a, before).await, Vec::<String>::new());
    let before = last_job(&a).await;
    let response = SignedPost::new(&inbox, &join(&gina_id, "1"))
        .send(&gina)
        .await;
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
    assert_eq!(
        planned_since(&a, before).await,
        [format!("refusal by federation: {message}")]
    );
    assert_eq!(participants(&a, here).await.len(), 1, "no seat for frank");
    assert_eq!(participants(&a, there).await.len(), 1, "no seat for gina");
}
