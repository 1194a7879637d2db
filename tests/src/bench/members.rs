//! What a logged-in member asks for, beside the same pages for visitors: the event page, the
//! home page and "my events" with a browser session, and the GraphQL `event(uuid)` query with
//! the fields Mobilizon's client selects for its event page, with an access token.

use std::sync::Arc;

use backend::AppContext;
use serde_json::{Value, json};

use super::load;
use super::seed::{self, Person};

/// Mobilizon's client's operations (5.1.3), as the e2e tests validate them.
const OPERATIONS: &str = include_str!("../../fixtures/mobilizon-client/operations.json");

/// The scenarios of this module.
pub const SCENARIOS: &[&str] = &[
    "member-event-page",
    "member-home",
    "my-events",
    "event-query",
];

/// A member's credentials, taken before the server starts.
#[derive(Clone)]
pub struct Member {
    /// `Cookie` header value of a browser session.
    pub cookie: String,
    /// API access token.
    pub token: String,
}

/// Opens a browser session and an API session for `person`, as logging in does.
pub async fn log_in(ctx: &AppContext, person: &Person) -> anyhow::Result<Member> {
    let session = backend::users::browser::open(ctx, person.user.id).await?;
    let login = backend::users::service::login(
        ctx,
        &backend::rate_limits::Client::Local,
        &person.email,
        seed::PASSWORD,
    )
    .await?;
    Ok(Member {
        cookie: format!("convive_session={session}"),
        token: login.access_token,
    })
}

/// Mobilizon's `FetchEvent` document, fragments included.
pub fn fetch_event_document() -> anyhow::Result<String> {
    let operations: Value = serde_json::from_str(OPERATIONS)?;
    let found = operations
        .as_object()
        .into_iter()
        .flat_map(|o| o.values())
        .filter_map(Value::as_array)
        .flatten()
        .find(|o| o["name"] == "FetchEvent")
        .and_then(|o| o["document"].as_str())
        .ok_or_else(|| anyhow::anyhow!("no FetchEvent among Mobilizon's operations"))?;
    Ok(found.to_owned())
}

/// The request of one member scenario, its label, and whether it is GraphQL.
pub fn request(
    scenario: &str,
    host: &str,
    member: &Member,
    event_uuid: &str,
) -> anyhow::Result<(String, Arc<load::RequestFn>, bool)> {
    let cookie = [("Cookie", member.cookie.as_str())];
    let (label, bytes, graphql) = match scenario {
        "member-event-page" => (
            "event page, logged-in member (HTML)",
            load::get(host, &format!("/events/{event_uuid}"), &cookie),
            false,
        ),
        "member-home" => (
            "home page, logged-in member (HTML)",
            load::get(host, "/", &cookie),
            false,
        ),
        "my-events" => (
            "my events, logged-in member (HTML)",
            load::get(host, "/me/events", &cookie),
            false,
        ),
        "event-query" => {
            let body = json!({
                "operationName": "FetchEvent",
                "query": fetch_event_document()?,
                "variables": { "uuid": event_uuid },
            });
            (
                "GraphQL event(uuid), Mobilizon's FetchEvent, authenticated",
                load::post_json(host, "/api", &body.to_string(), Some(&member.token)),
                true,
            )
        }
        other => anyhow::bail!("not a member scenario: {other}"),
    };
    Ok((
        label.to_owned(),
        Arc::new(move |_, _| bytes.clone()),
        graphql,
    ))
}
