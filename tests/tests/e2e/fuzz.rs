//! Fuzzing what arrives from outside, each for `CONVIVE_FUZZ_SECONDS` (see
//! `backend::testing::fuzz`): GraphQL documents and request bodies against a real server,
//! inbox JSON through the parsing and mapping of activities, HTTP signature headers, and form
//! bodies posted to every page that takes one. None may answer with a server error, hang or
//! panic, whatever the input.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use std::time::{Duration, Instant};

use backend::testing::fuzz;
use serde_json::{Value, json};
use tests::TestServer;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Longer than anything that answers should take, even in a debug build on a busy machine.
const HANG: Duration = Duration::from_secs(10);

const GRAPHQL_TOKENS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "...",
    "...F",
    "fragment F on Event { id ...F }",
    "query",
    "mutation",
    "subscription",
    "$v",
    "($v: String)",
    ":",
    "\"",
    "\\u0000",
    "\\",
    "\"\"\"",
    "#",
    "@include(if: true)",
    "@skip(if: $v)",
    "@deprecated",
    "__typename",
    "__schema { types { name fields { name } } }",
    "1e309",
    "-0",
    "99999999999999999999",
    "-2147483649",
    "null",
    "true",
    ",",
    "!",
    "=",
    "searchEvents(limit: 100, page: 2147483647)",
    "config { name }",
    "event(uuid: \"x\")",
    "events { elements { id title organizerActor { id } } }",
    "\u{0}",
    "é",
    "\u{feff}",
    "\u{202e}",
    "a: ",
    "\n",
];

/// The documents Mobilizon's web client sends, and a few of ours.
fn graphql_documents() -> Vec<Vec<u8>> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/mobilizon-client/operations.json"
    );
    let mut documents: Vec<Vec<u8>> = std::fs::read(path)
        .ok()
        .and_then(|raw| serde_json::from_slice::<Value>(&raw).ok())
        .and_then(|fixture| fixture["operations"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|op| op["document"].as_str().map(|d| d.as_bytes().to_vec()))
        .collect();
    documents.extend(
        [
            "{ config { name description registrationsOpen } }",
            "query($term: String, $page: Int) { searchEvents(term: $term, page: $page, limit: 10) { total elements { uuid title beginsOn } } }",
            "mutation { login(email: \"a@b.c\", password: \"wrong wrong\") { accessToken } }",
        ]
        .iter()
        .map(|d| d.as_bytes().to_vec()),
    );
    documents
}

/// What a GraphQL answer must be, whatever was asked: JSON, never a server error, never an
/// error without a code or with `internal`, and quick.
async fn answered_well(client: &reqwest::Client, url: &str, body: Vec<u8>) -> Result<(), String> {
    let started = Instant::now();
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .map_err(|e| format!("no answer: {e}"))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| format!("no body: {e}"))?;
    if started.elapsed() > HANG {
        return Err(format!("answered in {:?}", started.elapsed()));
    }
    if status.is_server_error() {
        return Err(format!("{status}: {text:.500}"));
    }
    let answer: Value =
        serde_json::from_str(&text).map_err(|e| format!("not JSON ({e}): {text:.300}"))?;
    let answers = match &answer {
        Value::Array(many) => many.clone(),
        one => vec![one.clone()],
    };
    for answer in answers {
        for error in answer["errors"].as_array().into_iter().flatten() {
            match error["extensions"]["code"].as_str() {
                None => return Err(format!("an error without a code: {error}")),
                Some("internal") => return Err(format!("internal: {error}")),
                Some(_) => {}
            }
        }
    }
    Ok(())
}

#[test]
fn fuzzed_graphql_documents_are_answered_with_a_coded_error_or_data() {
    let runtime = runtime();
    let server = runtime.block_on(TestServer::start());
    let client = reqwest::Client::new();
    let url = server.url("/graphql");
    let seeds = graphql_documents();
    assert!(seeds.len() > 200, "Mobilizon's client operations are there");
    fuzz::run(
        "graphql-documents",
        &seeds,
        fuzz::mutations(seeds.clone(), GRAPHQL_TOKENS),
        |input| {
            let body = json!({ "query": String::from_utf8_lossy(input) });
            runtime.block_on(answered_well(&client, &url, body.to_string().into_bytes()))
        },
    );
}

#[test]
fn fuzzed_graphql_request_bodies_are_answered_with_a_coded_error_or_data() {
    let runtime = runtime();
    let server = runtime.block_on(TestServer::start());
    let client = reqwest::Client::new();
    let url = server.url("/graphql");
    let seeds: Vec<Vec<u8>> = [
        json!({ "query": "query($t: String, $b: DateTime) { searchEvents(term: $t, beginsOn: $b) { total } }",
                "variables": { "t": "vélo", "b": "2027-01-01T10:00:00Z" } }),
        json!([{ "query": "{ config { name } }" }, { "query": "{ events { total } }" }]),
        json!({ "query": "mutation($e: String!) { sendResetPassword(email: $e) }",
                "variables": { "e": "someone@example.org" }, "operationName": null }),
        json!({ "query": "query Q { config { name } } query R { events { total } }", "operationName": "R" }),
    ]
    .iter()
    .map(|body| body.to_string().into_bytes())
    .collect();
    let tokens: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        "\"",
        ":",
        ",",
        "null",
        "1e309",
        "-",
        "\\u0000",
        "\\ud800",
        "\"variables\":",
        "\"query\":",
        "\"operationName\":\"\"",
        "[[[[[[[[",
        "{\"a\":",
        "true",
        "\"extensions\":{}",
    ];
    fuzz::run(
        "graphql-bodies",
        &seeds,
        fuzz::mutations(seeds.clone(), tokens),
        |input| runtime.block_on(answered_well(&client, &url, input.to_vec())),
    );
}

/// Activities other servers really sent (`federation/fixtures/activitypub/`).
fn captured_activities() -> Vec<Vec<u8>> {
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../federation/fixtures/activitypub");
    let mut found = Vec::new();
    let mut folders = vec![root];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                found.push(std::fs::read(&path).unwrap());
            }
        }
    }
    found.sort();
    found
}

#[test]
fn fuzzed_inbox_json_is_parsed_and_mapped_without_panicking() {
    let seeds = captured_activities();
    assert!(seeds.len() > 10, "the captured activities are there");
    let tokens: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        "\"",
        ":",
        ",",
        "null",
        "\"type\":\"Event\"",
        "\"type\":\"Create\"",
        "\"startTime\":\"+262000-01-01T00:00:00Z\"",
        "\"endTime\":\"1969-12-31T23:00:00Z\"",
        "\"location\":{\"type\":\"Place\",\"latitude\":1e309}",
        "\"to\":[\"https://www.w3.org/ns/activitystreams#Public\"]",
        "\"tag\":[{\"type\":\"Hashtag\",\"name\":\"#\"}]",
        "\"maximumAttendeeCapacity\":-1",
        "\"id\":\"http://[::1]:0/\"",
        "\\u0000",
        "\"attachment\":[]",
        "1e309",
        "-9223372036854775809",
    ];
    fuzz::run(
        "inbox-json",
        &seeds,
        fuzz::mutations(seeds.clone(), tokens),
        |input| {
            if let Ok(activity) =
                serde_json::from_slice::<federation::activities::InboxActivity>(input)
                && let federation::activities::InboxActivity::CreateOrUpdate(create) = activity
                && let Ok(event) =
                    federation::objects::event::to_remote(&create.object, 1, None, None)
            {
                let _ = backend::events::input::dates(event.begins_on, event.ends_on);
            }
            if let Ok(actor) = serde_json::from_slice::<federation::protocol::actor::Actor>(input) {
                let _ = federation::objects::actor::to_remote(&actor);
            }
            Ok(())
        },
    );
}

#[test]
fn fuzzed_signature_headers_are_refused_or_checked_without_panicking() {
    use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Uri};
    use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
    use tests::signing::{SignedPost, Signer};

    let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).unwrap();
    let public_pem = key
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap();
    let signer = Signer {
        key_id: "https://peer.example/users/bob#main-key".to_owned(),
        private_key_pem: key.to_pkcs8_pem(LineEnding::LF).unwrap().to_string(),
    };
    let body = r#"{"type":"Follow","id":"https://peer.example/1","actor":"https://peer.example/users/bob","object":"https://convive.example/@repair"}"#;
    let url = "https://convive.example/inbox";
    let now = chrono::Utc::now();
    // A request is written as header lines, a blank line and the body.
    let written = |post: &SignedPost| {
        let mut text = String::new();
        for (name, value) in post.headers(&signer) {
            text.push_str(&format!("{name}: {value}\n"));
        }
        text.push('\n');
        text.push_str(body);
        text.into_bytes()
    };
    let seeds = vec![
        written(&SignedPost::new(url, body)),
        written(&SignedPost::rfc9421(url, body)),
    ];
    let tokens: &[&str] = &[
        ",",
        ";",
        "=",
        "\"",
        ":",
        "sig1=",
        "keyId=",
        "headers=\"",
        "(request-target)",
        "@method",
        "@target-uri",
        "created=-1",
        "created=99999999999999999999",
        "expires=0",
        "alg=\"hs2019\"",
        "alg=\"ed25519\"",
        "sha-256=:",
        "SHA-512=",
        "==",
        "\n",
        ": ",
        "\u{0}",
        "signature-input: sig1=();created=1\n",
        "signature: sig1=::\n",
    ];
    fuzz::run(
        "signatures",
        &seeds,
        fuzz::mutations(seeds.clone(), tokens),
        |input| {
            let text = String::from_utf8_lossy(input);
            let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
            let mut headers = HeaderMap::new();
            for line in head.lines() {
                if let Some((name, value)) = line.split_once(':')
                    && let (Ok(name), Ok(value)) = (
                        HeaderName::from_bytes(name.trim().as_bytes()),
                        HeaderValue::from_str(value.trim()),
                    )
                {
                    headers.append(name, value);
                }
            }
            let incoming = federation::signatures::Incoming {
                method: &Method::POST,
                uri: &Uri::from_static("/inbox"),
                headers: &headers,
                body: body.as_bytes(),
                scheme: "https",
                authority: "convive.example",
            };
            if let Ok(signed) = federation::signatures::read(&incoming, now) {
                let _ = signed.verify(&public_pem);
            }
            Ok(())
        },
    );
}

#[test]
fn fuzzed_form_bodies_never_make_a_page_fail() {
    let runtime = runtime();
    let server = runtime.block_on(TestServer::start());
    // A visitor and a logged-in organizer with an event, each with their form token.
    let (visitor, member, uuid) = runtime.block_on(async {
        let member = tests::people::sign_up(&server, "fuzzer").await;
        let created = member
            .gql
            .data(
                "mutation($a: ID!) { createEvent(organizerActorId: $a, title: \"Fuzz night\",
                    beginsOn: \"2030-01-01T20:00:00Z\", options: { anonymousParticipation: true }) { uuid } }",
                json!({ "a": member.person_id }),
            )
            .await;
        let uuid = created["createEvent"]["uuid"].as_str().unwrap().to_owned();
        let mut visitor = tests::browser::Browser::new(&server.base_url);
        let visitor_csrf = visitor.get("/login").await.csrf();
        let mut organizer = tests::browser::Browser::new(&server.base_url);
        let organizer_csrf = organizer.get("/login").await.csrf();
        organizer
            .post(
                "/login",
                &[
                    ("csrf", &organizer_csrf),
                    ("email", &member.email),
                    ("password", "long enough password"),
                ],
            )
            .await;
        let organizer_csrf = organizer.get("/me/settings").await.csrf();
        ((visitor, visitor_csrf), (organizer, organizer_csrf), uuid)
    });
    let paths = [
        "/login".to_owned(),
        "/register".to_owned(),
        "/password/forgot".to_owned(),
        "/language".to_owned(),
        "/events/new".to_owned(),
        format!("/events/{uuid}/edit"),
        format!("/events/{uuid}/join"),
        format!("/events/{uuid}/join-anonymously"),
        format!("/events/{uuid}/cancel"),
        "/me/settings".to_owned(),
        "/me/feeds".to_owned(),
        "/me/identities".to_owned(),
        "/groups/new".to_owned(),
    ];
    let seeds: Vec<Vec<u8>> = [
        "email=a%40b.org&password=long+enough+password",
        "email=new%40example.org&password=long+enough&username=newcomer",
        "title=Repair+caf%C3%A9&begins=2030-02-01T19%3A00&ends=2030-02-01T21%3A00&timezone=Europe%2FParis&description=Bring+things&place=Caf%C3%A9&address=Paris&chosen=typed&tags=repair%2Cvelo&capacity=10&join=free&category=MEETING",
        "email=someone%40example.org&message=Hello",
        "timezone=Europe%2FParis&notification_on_day=on&locale=fr",
        "preferred_username=collective&name=Collective&summary=We+fix+things",
        "language=fr",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    let tokens: &[&str] = &[
        "&",
        "=",
        "%",
        "%00",
        "%FF",
        "%C3",
        "+",
        "csrf=",
        "&csrf=",
        "title=",
        "begins_on=",
        "begins=2030-13-45T99%3A99",
        "latitude=1e309",
        "capacity=-1",
        "capacity=99999999999999999999",
        "timezone=Mars%2FOlympus",
        "visibility=secret",
        "tags=",
        "%2C",
        "[]",
        "a[b]=c",
        "email=%40",
        "&&&&",
        "=&=",
    ];
    fuzz::run(
        "forms",
        &seeds,
        fuzz::mutations(seeds.clone(), tokens),
        |input| {
            // The first byte picks the page and the sender; the token is given so that the
            // form is read past its CSRF check.
            let pick = input.first().copied().unwrap_or(0) as usize;
            let path = &paths[pick % paths.len()];
            let ((browser, csrf), who) = if pick.is_multiple_of(2) {
                (&visitor, "visitor")
            } else {
                (&member, "organizer")
            };
            let mut body = format!("csrf={csrf}&").into_bytes();
            body.extend_from_slice(input);
            let started = Instant::now();
            let status = runtime.block_on(browser.post_raw(path, body));
            match status {
                None => Err(format!("no answer from {path} for the {who}")),
                Some(status) if status.is_server_error() => {
                    Err(format!("{status} from {path} for the {who}"))
                }
                Some(_) if started.elapsed() > HANG => {
                    Err(format!("{path} answered in {:?}", started.elapsed()))
                }
                Some(_) => Ok(()),
            }
        },
    );
}
