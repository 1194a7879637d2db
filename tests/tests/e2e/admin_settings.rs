//! What administrators say about the instance, as Mobilizon's admin page saves it
//! (`saveAdminSettings`) and its client reads it back (`config`), and `refreshProfile`.

use serde_json::json;
use tests::TestServer;
use tests::people::{sign_up, sign_up_admin};

const SAVE: &str =
    "mutation($instanceName: String, $instanceSlogan: String, $instanceRules: String,
        $instanceTerms: String, $instanceTermsType: InstanceTermsType, $instanceTermsUrl: String,
        $instancePrivacyPolicyType: InstancePrivacyType, $instancePrivacyPolicyUrl: String,
        $primaryColor: String, $registrationsOpen: Boolean, $instanceLanguages: [String]) {
    saveAdminSettings(instanceName: $instanceName, instanceSlogan: $instanceSlogan,
        instanceRules: $instanceRules, instanceTerms: $instanceTerms,
        instanceTermsType: $instanceTermsType, instanceTermsUrl: $instanceTermsUrl,
        instancePrivacyPolicyType: $instancePrivacyPolicyType,
        instancePrivacyPolicyUrl: $instancePrivacyPolicyUrl, primaryColor: $primaryColor,
        registrationsOpen: $registrationsOpen, instanceLanguages: $instanceLanguages) {
        instanceName instanceSlogan instanceRules instanceTermsType instanceTerms
        instancePrivacyPolicyType instancePrivacyPolicyUrl primaryColor registrationsOpen
        instanceLogo { url }
    }
}";

#[tokio::test]
async fn an_administrator_publishes_rules_terms_and_colours_that_every_client_reads() {
    let server = TestServer::start().await;
    let admin = sign_up_admin(&server, "rosa").await;
    let alice = sign_up(&server, "alice").await;
    let name = server.ctx.settings.instance.name.clone();
    let variables = json!({
        "instanceName": name,
        "instanceSlogan": "Events of the valley",
        "instanceRules": "<p>Be kind</p><script>alert(1)</script>",
        "instanceTermsType": "CUSTOM",
        "instanceTerms": "<p>Our terms</p>",
        "instancePrivacyPolicyType": "URL",
        "instancePrivacyPolicyUrl": "https://example.org/privacy",
        "primaryColor": "#1E7D97",
        "registrationsOpen": true,
        "instanceLanguages": ["en", "fr"],
    });
    assert_eq!(
        alice.gql.error_code(SAVE, variables.clone()).await,
        "forbidden"
    );
    assert_eq!(
        alice
            .gql
            .error_code("{ adminSettings { instanceName } }", json!({}))
            .await,
        "forbidden"
    );
    let saved = admin.gql.data(SAVE, variables).await["saveAdminSettings"].clone();
    assert_eq!(saved["instanceName"], name);
    assert_eq!(saved["instanceSlogan"], "Events of the valley");
    assert_eq!(saved["instanceRules"], "<p>Be kind</p>");
    assert_eq!(saved["instanceTermsType"], "CUSTOM");
    assert_eq!(saved["primaryColor"], "#1e7d97");
    assert_eq!(saved["instanceLogo"], json!(null));

    let config = server
        .gql()
        .data(
            "{ config { slogan rules primaryColor secondaryColor
                terms(locale: \"en\") { type url bodyHtml }
                privacy(locale: \"en\") { type url bodyHtml } } }",
            json!({}),
        )
        .await["config"]
        .clone();
    assert_eq!(config["slogan"], "Events of the valley");
    assert_eq!(config["rules"], "<p>Be kind</p>");
    assert_eq!(config["primaryColor"], "#1e7d97");
    assert_eq!(config["secondaryColor"], json!(null));
    assert_eq!(
        config["terms"],
        json!({ "type": "CUSTOM", "url": null, "bodyHtml": "<p>Our terms</p>" })
    );
    assert_eq!(
        config["privacy"],
        json!({ "type": "URL", "url": "https://example.org/privacy", "bodyHtml": null })
    );

    // An instance keeps a name, speaks languages Convive knows; pictures are not set here.
    let error = admin.gql.error(SAVE, json!({ "instanceName": " " })).await;
    assert_eq!(error["extensions"]["code"], "invalid");
    assert_eq!(error["extensions"]["field"], "instanceName");
    let error = admin
        .gql
        .error(SAVE, json!({ "instanceLanguages": ["tlh"] }))
        .await;
    assert_eq!(error["extensions"]["field"], "instanceLanguages");
    let error = admin
        .gql
        .error(
            "mutation { saveAdminSettings(instanceLogo: { mediaId: \"1\" }) { instanceName } }",
            json!({}),
        )
        .await;
    assert_eq!(error["extensions"]["field"], "instanceLogo");
    let read = admin
        .gql
        .data(
            "{ adminSettings { instanceSlogan instanceTermsType } }",
            json!({}),
        )
        .await;
    assert_eq!(
        read["adminSettings"]["instanceSlogan"],
        "Events of the valley"
    );
}

#[tokio::test]
async fn only_administrators_refresh_profiles_and_a_local_one_comes_back_as_it_is() {
    let server = TestServer::start().await;
    let admin = sign_up_admin(&server, "rosa").await;
    let alice = sign_up(&server, "alice").await;
    const REFRESH: &str = "mutation($id: ID!) { refreshProfile(id: $id) { id preferredUsername } }";
    let refreshed = admin
        .gql
        .data(REFRESH, json!({ "id": alice.person_id }))
        .await;
    assert_eq!(refreshed["refreshProfile"]["preferredUsername"], "alice");
    assert_eq!(
        alice
            .gql
            .error_code(REFRESH, json!({ "id": alice.person_id }))
            .await,
        "forbidden"
    );
}

#[tokio::test]
async fn a_remote_groups_profile_is_fetched_again_when_an_administrator_asks() {
    use tests::federating;
    let a = federating::server().await;
    let b = federating::server().await;
    let alice = sign_up(&a, "alice").await;
    let created = alice
        .gql
        .data(
            "mutation { createGroup(preferredUsername: \"repair\", name: \"Repair\", visibility: PUBLIC) { id } }",
            json!({}),
        )
        .await;
    let on_a = created["createGroup"]["id"].as_str().unwrap().to_owned();
    let admin = sign_up_admin(&b, "rosa").await;
    let found = admin
        .gql
        .data(
            "query($uri: String!) { interact(uri: $uri) { ... on Group { id name } } }",
            json!({ "uri": a.ctx.url("/@repair") }),
        )
        .await;
    assert_eq!(found["interact"]["name"], "Repair");
    let on_b = found["interact"]["id"].as_str().unwrap().to_owned();
    // Nobody on B follows it: B hears nothing of the change.
    alice
        .gql
        .data(
            "mutation($id: ID!) { updateGroup(id: $id, name: \"Repair café\") { id } }",
            json!({ "id": on_a }),
        )
        .await;
    admin
        .gql
        .data(
            "mutation($id: ID!) { refreshProfile(id: $id) { id } }",
            json!({ "id": on_b }),
        )
        .await;
    let id: i64 = on_b.parse().unwrap();
    federating::wait_for("the refreshed name", || {
        let db = b.ctx.db.clone();
        async move {
            let actor = backend::actors::find(&db, id).await.ok()?;
            (actor.name.as_deref() == Some("Repair café")).then_some(())
        }
    })
    .await;
}

#[tokio::test]
async fn the_administrations_times_are_shown_in_the_zone_the_administrators_chose() {
    use backend::i18n::Locale;
    use sea_orm::{EntityTrait, QueryOrder};
    let server = TestServer::start().await;
    let admin = sign_up_admin(&server, "rosa").await;
    let saved = admin
        .gql
        .data(
            "mutation { saveAdminSettings(defaultTimezone: \"Pacific/Auckland\") { defaultTimezone } }",
            json!({}),
        )
        .await;
    assert_eq!(
        saved["saveAdminSettings"]["defaultTimezone"],
        "Pacific/Auckland"
    );
    let entry = entity::action_log::Entity::find()
        .order_by_desc(entity::action_log::Column::Id)
        .one(&server.ctx.db)
        .await
        .unwrap()
        .expect("the change is on record");
    let zone = server.ctx.instance().await.unwrap().default_timezone;
    assert_eq!(zone.name(), "Pacific/Auckland");
    let there = Locale::En.format_datetime(&entry.created_at.with_timezone(&zone));
    let file_zone = server.ctx.settings.instance.timezone();
    let in_file_zone = Locale::En.format_datetime(&entry.created_at.with_timezone(&file_zone));
    assert_ne!(
        there, in_file_zone,
        "Auckland is hours away from the file's zone"
    );

    let mut browser = tests::browser::Browser::new(&server.base_url);
    let form = browser.get("/login").await;
    let csrf = form.csrf();
    let logged = browser
        .post(
            "/login",
            &[
                ("csrf", csrf.as_str()),
                ("email", admin.email.as_str()),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert_eq!(logged.status, reqwest::StatusCode::SEE_OTHER);
    let log = browser.get("/admin/log").await;
    assert!(log.body.contains(&there), "{there}: {}", log.body);
    assert!(!log.body.contains(&in_file_zone));
}
