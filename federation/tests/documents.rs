//! The JSON-LD documents other servers read from us (a group, a person, an event), compared
//! with golden files and read back through our own lenient parser. Values that differ on every
//! run (uuids, keys) are replaced by placeholders before comparing.
//!
//! `UPDATE_GOLDEN=1 cargo test -p federation --test documents` rewrites the golden files; read
//! the diff before committing it: it is what Mobilizon and Mastodon will see.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use backend::addresses::AddressInput;
use backend::groups::service::NewGroup;
use backend::testing::{TestContext, new_event};
use chrono::Duration;
use serde_json::Value;

fn golden(name: &str, actual: &Value) {
    let path = format!("{}/tests/golden/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = serde_json::to_string_pretty(actual).unwrap() + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{path} is missing: run with UPDATE_GOLDEN=1"));
    assert_eq!(
        text, expected,
        "{name} changed; run with UPDATE_GOLDEN=1 and review the diff"
    );
}

/// Replaces every occurrence of the run's volatile values with stable names.
fn stable(mut text: String, volatile: &[(&str, &str)]) -> Value {
    for (value, placeholder) in volatile {
        text = text.replace(value, placeholder);
    }
    serde_json::from_str(&text).unwrap()
}

#[tokio::test]
async fn our_group_person_and_event_documents_match_their_golden_files_and_read_back() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let group = backend::groups::service::create(
        &t.ctx,
        &alice.actor,
        NewGroup {
            preferred_username: "repair".to_owned(),
            name: Some("Repair collective".to_owned()),
            summary: Some("<p>We fix things together.</p>".to_owned()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let mut new = new_event("Repair café", t.ctx.now() + Duration::days(3));
    new.attributed_to_id = Some(group.id);
    new.tags = Some(vec!["repair".to_owned(), "bikes".to_owned()]);
    new.physical_address = Some(AddressInput {
        description: Some("Maison des associations".to_owned()),
        street: Some("12 rue des Tanneurs".to_owned()),
        postal_code: Some("69001".to_owned()),
        locality: Some("Lyon".to_owned()),
        country: Some("France".to_owned()),
        geom: Some("4.8357;45.7640".to_owned()),
        ..Default::default()
    });
    let event = backend::events::service::create(&t.ctx, &alice.principal(), new)
        .await
        .unwrap();

    let group = federation::keys::ensure(&t.ctx, group).await.unwrap();
    let person = federation::keys::ensure(&t.ctx, alice.actor.clone())
        .await
        .unwrap();
    let group_json = federation::objects::actor::to_json(&t.ctx, &group)
        .await
        .unwrap();
    let person_json = federation::objects::actor::to_json(&t.ctx, &person)
        .await
        .unwrap();
    let event_json = federation::objects::event::to_json(&t.ctx, &t.ctx.db, &event)
        .await
        .unwrap();

    let volatile = [
        (event.uuid.as_str(), "EVENT-UUID"),
        (group.public_key_pem.as_deref().unwrap(), "GROUP-PUBLIC-KEY"),
        (
            person.public_key_pem.as_deref().unwrap(),
            "PERSON-PUBLIC-KEY",
        ),
    ];
    let escaped: Vec<(String, &str)> = volatile
        .iter()
        .map(|(v, p)| {
            (
                serde_json::to_string(v)
                    .unwrap()
                    .trim_matches('"')
                    .to_owned(),
                *p,
            )
        })
        .collect();
    let escaped: Vec<(&str, &str)> = escaped.iter().map(|(v, p)| (v.as_str(), *p)).collect();
    let to_stable = |v: &Value| stable(serde_json::to_string(v).unwrap(), &escaped);

    golden(
        "group.json",
        &to_stable(&serde_json::to_value(&group_json).unwrap()),
    );
    golden(
        "person.json",
        &to_stable(&serde_json::to_value(&person_json).unwrap()),
    );
    golden(
        "event.json",
        &to_stable(&serde_json::to_value(&event_json).unwrap()),
    );

    // What we write, we read back unchanged.
    let event_value = serde_json::to_value(&event_json).unwrap();
    let reread: federation::protocol::event::Event =
        serde_json::from_value(event_value.clone()).unwrap();
    assert_eq!(serde_json::to_value(&reread).unwrap(), event_value);
    for actor in [&group_json, &person_json] {
        let value = serde_json::to_value(actor).unwrap();
        let reread: federation::protocol::actor::Actor =
            serde_json::from_value(value.clone()).unwrap();
        assert_eq!(serde_json::to_value(&reread).unwrap(), value);
    }
    // And it becomes the same event on another instance.
    let remote = federation::objects::event::to_remote(&reread, 1, Some(2), None).unwrap();
    assert_eq!(remote.title, "Repair café");
    assert_eq!(remote.timezone.as_deref(), Some("Europe/Paris"));
    assert_eq!(remote.begins_on, event.begins_on);
}
