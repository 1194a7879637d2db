//! The administrators' pages of the administration, driven as a browser without JavaScript
//! drives them: `/admin/settings` saves what the instance says about itself through the same
//! service as `saveAdminSettings` (problems beside their fields, in the visitor's language),
//! and `/admin/instances` makes two instances on loopback follow each other, answers the
//! request, stops following, and blocks and unblocks a domain. Who may open and use each page
//! is the backend's to decide, for every role.

use reqwest::StatusCode;
use serde_json::json;
use tests::TestServer;
use tests::browser::Browser;
use tests::federating::{self, wait_for};
use tests::people::{Member, sign_up, sign_up_admin, sign_up_moderator};

async fn logged_in(server: &TestServer, member: &Member) -> Browser {
    let mut browser = Browser::new(&server.base_url);
    let form = browser.get("/login").await;
    let done = browser
        .post(
            "/login",
            &[
                ("csrf", &form.csrf()),
                ("email", &member.email),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    browser
}

/// The settings form as the page fills it, with `changes` over it.
fn settings_form<'a>(csrf: &'a str, changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("csrf", csrf),
        ("slogan", ""),
        ("long_description", ""),
        ("rules", ""),
        ("terms_kind", "default"),
        ("terms_url", ""),
        ("terms", ""),
        ("privacy_kind", "default"),
        ("privacy_url", ""),
        ("privacy", ""),
        ("primary_color", ""),
        ("secondary_color", ""),
    ];
    for (name, value) in changes {
        if let Some(field) = form.iter_mut().find(|(n, _)| n == name) {
            field.1 = value;
        }
    }
    form
}

#[tokio::test]
async fn an_administrator_saves_the_instances_settings_on_their_page_and_every_page_reads_them() {
    let server = TestServer::start().await;
    let boss = sign_up_admin(&server, "boss").await;
    let mut admin = logged_in(&server, &boss).await;
    let dashboard = admin.get("/admin").await;
    assert!(dashboard.body.contains("href=\"/admin/settings\""));
    assert!(dashboard.body.contains("href=\"/admin/instances\""));

    let page = admin.get("/admin/settings").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let name = &server.ctx.settings.instance.name;
    assert!(
        page.body.contains(&format!("value=\"{name}\"")),
        "the file's name until one is chosen: {}",
        page.body
    );
    assert!(page.body.contains("href=\"/admin/users\""), "registrations");

    // Every problem at once, beside its field, nothing saved.
    let csrf = page.csrf();
    let refused = admin
        .post(
            "/admin/settings",
            &settings_form(
                &csrf,
                &[
                    ("slogan", "Not saved"),
                    ("terms_kind", "custom"),
                    ("primary_color", "red"),
                ],
            ),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["terms", "primary_color"] {
        assert!(
            refused.body.contains(&format!("id=\"{field}-error\"")),
            "{field}: {}",
            refused.body
        );
    }
    assert!(refused.body.contains("Give a colour such as #1e7d97"));
    assert!(
        refused.body.contains("value=\"Not saved\""),
        "kept as typed"
    );
    assert!(!refused.body.contains("primaryColor"), "no API names");
    // In the account's language.
    let locale = "mutation($l: String!) { updateLocale(locale: $l) { id } }";
    boss.gql.data(locale, json!({ "l": "fr" })).await;
    let form = admin.get("/admin/settings").await;
    assert!(
        form.body.contains("Tant que vous ne les changez pas ici"),
        "{}",
        form.body
    );
    let refused = admin
        .post(
            "/admin/settings",
            &settings_form(&form.csrf(), &[("secondary_color", "#12")]),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Donnez une couleur comme"),
        "{}",
        refused.body
    );
    boss.gql.data(locale, json!({ "l": "en" })).await;
    let said = boss
        .gql
        .data("{ adminSettings { instanceSlogan } }", json!({}))
        .await;
    assert_eq!(said["adminSettings"]["instanceSlogan"], json!(null));

    let saved = admin
        .post(
            "/admin/settings",
            &settings_form(
                &csrf,
                &[
                    ("slogan", "Events of the valley"),
                    ("rules", "Be kind.\nNo ads."),
                    ("terms_kind", "custom"),
                    ("terms", "Our **own** terms"),
                    ("privacy_kind", "url"),
                    ("privacy_url", "https://example.org/privacy"),
                    ("primary_color", "#1E7D97"),
                ],
            ),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let after = admin.get(saved.location.as_deref().unwrap()).await;
    assert!(
        after.body.contains("The settings are saved"),
        "{}",
        after.body
    );
    assert!(after.body.contains("Be kind.\nNo ads."), "{}", after.body);
    assert!(after.body.contains("value=\"#1e7d97\""));

    // The same service as the API's, read by every page.
    let said = boss
        .gql
        .data(
            "{ adminSettings { instanceSlogan instanceRules instanceTerms primaryColor } }",
            json!({}),
        )
        .await;
    let said = &said["adminSettings"];
    assert_eq!(said["instanceSlogan"], "Events of the valley");
    assert_eq!(said["primaryColor"], "#1e7d97");
    assert!(
        said["instanceTerms"]
            .as_str()
            .unwrap()
            .contains("<strong>own</strong>"),
        "{said}"
    );
    let mut visitor = Browser::new(&server.base_url);
    let about = visitor.get("/about").await;
    assert!(about.body.contains("Events of the valley"));
    assert!(about.body.contains("Be kind."));
    let terms = visitor.get("/terms").await;
    assert!(
        terms.body.contains("<strong>own</strong>"),
        "{}",
        terms.body
    );
    let log = admin.get("/admin/log").await;
    assert!(
        log.body
            .contains("changed what the instance says about itself"),
        "{}",
        log.body
    );
}

/// A page or a form of the administration: its path, the fields it posts (none: shown), and
/// the status each of visitor, member, moderator and administrator gets.
type Case = (
    &'static str,
    Option<&'static [(&'static str, &'static str)]>,
    [StatusCode; 4],
);

#[tokio::test]
async fn only_administrators_open_and_use_the_settings_and_instances_pages() {
    let server = TestServer::start().await;
    let member = sign_up(&server, "member").await;
    let modo = sign_up_moderator(&server, "modo").await;
    let boss = sign_up_admin(&server, "boss").await;
    let mut browsers = [
        ("visitor", Browser::new(&server.base_url)),
        ("member", logged_in(&server, &member).await),
        ("moderator", logged_in(&server, &modo).await),
        ("administrator", logged_in(&server, &boss).await),
    ];
    let to_login = StatusCode::SEE_OTHER;
    let no = StatusCode::FORBIDDEN;
    let cases: [Case; 10] = [
        ("/admin/settings", None, [to_login, no, no, StatusCode::OK]),
        ("/admin/instances", None, [to_login, no, no, StatusCode::OK]),
        (
            "/admin/settings",
            Some(&[("slogan", "Meet"), ("terms_kind", "default")]),
            [to_login, no, no, StatusCode::SEE_OTHER],
        ),
        // The confirmation a block asks first.
        (
            "/admin/instances/block?domain=spam.example&reason=Spam",
            None,
            [to_login, no, no, StatusCode::OK],
        ),
        (
            "/admin/instances/block",
            Some(&[("domain", "spam.example"), ("reason", "Spam")]),
            [to_login, no, no, StatusCode::SEE_OTHER],
        ),
        (
            "/admin/instances/unblock",
            Some(&[("domain", "spam.example")]),
            [to_login, no, no, StatusCode::SEE_OTHER],
        ),
        (
            "/admin/instances/follow",
            Some(&[("domain", "localhost:1")]),
            [to_login, no, no, StatusCode::UNPROCESSABLE_ENTITY],
        ),
        (
            "/admin/instances/unfollow",
            Some(&[("domain", "far.example")]),
            [to_login, no, no, StatusCode::NOT_FOUND],
        ),
        (
            "/admin/instances/accept",
            Some(&[("domain", "far.example")]),
            [to_login, no, no, StatusCode::NOT_FOUND],
        ),
        (
            "/admin/instances/reject",
            Some(&[("domain", "far.example")]),
            [to_login, no, no, StatusCode::NOT_FOUND],
        ),
    ];
    let mut wrong = Vec::new();
    for (path, form, expected) in cases {
        for (i, ((role, browser), expected)) in browsers.iter_mut().zip(expected).enumerate() {
            let page = match form {
                None => browser.get(path).await,
                Some(fields) => {
                    let csrf = browser.get("/").await.csrf();
                    let mut sent = vec![("csrf", csrf.as_str())];
                    sent.extend_from_slice(fields);
                    browser.post(path, &sent).await
                }
            };
            let method = if form.is_some() { "POST" } else { "GET" };
            if page.status != expected {
                wrong.push(format!(
                    "{method} {path} as {role}: expected {expected}, got {}",
                    page.status
                ));
            } else if i == 0
                && !page
                    .location
                    .as_deref()
                    .is_some_and(|l| l.starts_with("/login"))
            {
                wrong.push(format!("{method} {path} as {role}: not sent to log in"));
            } else if expected == no && !page.body.contains("only administrators") {
                wrong.push(format!("{method} {path} as {role}: does not say why"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Only the administrator's actions happened.
    let said = boss
        .gql
        .data("{ adminSettings { instanceSlogan } }", json!({}))
        .await;
    assert_eq!(said["adminSettings"]["instanceSlogan"], "Meet");
    let blocks = boss
        .gql
        .data("{ domainBlocks { domain } }", json!({}))
        .await;
    assert_eq!(blocks["domainBlocks"], json!([]), "blocked, then unblocked");
    // Moderators are not linked to administrators' pages.
    let dashboard = browsers[2].1.get("/admin").await;
    assert!(!dashboard.body.contains("href=\"/admin/settings\""));
    assert!(!dashboard.body.contains("href=\"/admin/instances\""));
}

/// Whether `server`'s instance actor has a follow from (`incoming`) or to the instance at
/// `other`, and whether it is approved.
async fn relay_follow(server: &TestServer, other: &TestServer, incoming: bool) -> Option<bool> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let ours = backend::actors::system::relay(&server.ctx.db)
        .await
        .unwrap();
    let theirs =
        backend::instances::instance_actor(&server.ctx.db, &other.ctx.settings.public_url.host())
            .await
            .ok()?;
    let (follower, target) = if incoming {
        (theirs.id, ours.id)
    } else {
        (ours.id, theirs.id)
    };
    entity::follow::Entity::find()
        .filter(entity::follow::Column::FollowerId.eq(follower))
        .filter(entity::follow::Column::TargetId.eq(target))
        .one(&server.ctx.db)
        .await
        .unwrap()
        .map(|f| f.approved)
}

#[tokio::test]
async fn two_instances_follow_each_other_from_their_administration_and_one_blocks_a_domain() {
    let a = federating::server().await;
    let b = federating::server().await;
    let (a_host, b_host) = (
        a.ctx.settings.public_url.host(),
        b.ctx.settings.public_url.host(),
    );
    let anna = sign_up_admin(&a, "anna").await;
    let mut on_a = logged_in(&a, &anna).await;
    let mut on_b = logged_in(&b, &sign_up_admin(&b, "bruno").await).await;

    // Nobody answers at this domain: said beside the field.
    let page = on_a.get("/admin/instances").await;
    let refused = on_a
        .post(
            "/admin/instances/follow",
            &[("csrf", &page.csrf()), ("domain", "localhost:1")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"follow_domain-error\""),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("value=\"localhost:1\""));

    let asked = on_a
        .post(
            "/admin/instances/follow",
            &[("csrf", &page.csrf()), ("domain", &b_host)],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let listed = on_a.get(asked.location.as_deref().unwrap()).await;
    assert!(
        listed.body.contains("asked to follow it"),
        "{}",
        listed.body
    );
    assert!(listed.body.contains(&b_host));
    assert!(listed.body.contains("Asked, no answer yet"));

    wait_for("B to hear A's request", || async {
        relay_follow(&b, &a, true)
            .await
            .filter(|approved| !approved)
    })
    .await;
    let page = on_b.get("/admin").await;
    assert!(page.body.contains("1 instance asks to follow this one"));
    let page = on_b.get("/admin/instances").await;
    assert!(page.body.contains(&a_host), "{}", page.body);
    let accepted = on_b
        .post(
            "/admin/instances/accept",
            &[("csrf", &page.csrf()), ("domain", &a_host)],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    assert_eq!(relay_follow(&b, &a, true).await, Some(true));
    // Blocking A would end that follow: B's confirmation says so, and going back keeps it.
    let question = on_b
        .get(&format!("/admin/instances/block?domain={a_host}"))
        .await;
    assert_eq!(question.status, StatusCode::OK, "{}", question.body);
    assert!(
        question
            .body
            .contains("1 follow of its people, groups or instance here ends."),
        "{}",
        question.body
    );
    assert!(question.body.contains("known profile"), "{}", question.body);
    assert_eq!(relay_follow(&b, &a, true).await, Some(true));
    wait_for("A to hear B's Accept", || async {
        relay_follow(&a, &b, false)
            .await
            .filter(|approved| *approved)
    })
    .await;
    let page = on_a.get("/admin/instances").await;
    assert!(page.body.contains("Stop following"), "{}", page.body);
    let stopped = on_a
        .post(
            "/admin/instances/unfollow",
            &[("csrf", &page.csrf()), ("domain", &b_host)],
        )
        .await;
    assert_eq!(stopped.status, StatusCode::SEE_OTHER);
    assert_eq!(relay_follow(&a, &b, false).await, None);
    wait_for("B to hear A stopped", || async {
        relay_follow(&b, &a, true).await.is_none().then_some(())
    })
    .await;

    // Blocking a domain asks first, saying what goes; twice is said beside the field; then
    // unblocking it; all on record.
    let page = on_a.get("/admin/instances").await;
    assert!(page.body.contains("No instance is blocked."));
    assert!(
        page.body
            .contains("<form method=\"get\" action=\"/admin/instances/block\""),
        "the block form only leads to the confirmation: {}",
        page.body
    );
    let question = on_a
        .get("/admin/instances/block?domain=Spam.Example&reason=Spam")
        .await;
    assert_eq!(question.status, StatusCode::OK, "{}", question.body);
    assert!(
        question.body.contains("Block spam.example?"),
        "{}",
        question.body
    );
    assert!(question.body.contains("No profile of it is known here."));
    assert!(question.body.contains("No event of it is stored here."));
    assert!(
        question
            .body
            .contains("<button class=\"danger\" type=\"submit\">Block</button>")
    );
    assert!(
        question.body.contains("href=\"/admin/instances#blocks\""),
        "a way back"
    );
    assert!(
        question
            .body
            .contains("name=\"domain\" value=\"spam.example\"")
    );
    assert!(
        question.body.contains(">Spam</textarea>"),
        "the reason as typed"
    );
    let page = on_a.get("/admin/instances").await;
    assert!(
        page.body.contains("No instance is blocked."),
        "asking blocks nothing"
    );
    let block = [
        ("csrf", question.csrf()),
        ("domain", "spam.example".to_owned()),
        ("reason", "Spam".to_owned()),
    ];
    let block: Vec<(&str, &str)> = block.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let blocked = on_a.post("/admin/instances/block", &block).await;
    assert_eq!(blocked.status, StatusCode::SEE_OTHER, "{}", blocked.body);
    let page = on_a.get(blocked.location.as_deref().unwrap()).await;
    assert!(page.body.contains("The instance is blocked."));
    assert!(page.body.contains("spam.example") && page.body.contains("Spam"));
    let again = on_a.post("/admin/instances/block", &block).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again.body.contains("This domain is blocked already."),
        "{}",
        again.body
    );
    // Said before asking, too.
    let again = on_a.get("/admin/instances/block?domain=spam.example").await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again.body.contains("id=\"block_domain-error\""),
        "{}",
        again.body
    );
    assert!(again.body.contains("value=\"spam.example\""));
    let unblocked = on_a
        .post(
            "/admin/instances/unblock",
            &[("csrf", &page.csrf()), ("domain", "spam.example")],
        )
        .await;
    assert_eq!(unblocked.status, StatusCode::SEE_OTHER);
    let log = on_a.get("/admin/log").await;
    assert!(log.body.contains("blocked an instance"), "{}", log.body);
    assert!(log.body.contains("unblocked an instance"));
    // What the administrators did to the follows is on record on both sides, in their words
    // and in the API's.
    assert!(log.body.contains("made our instance follow another"));
    assert!(
        log.body
            .contains("made our instance stop following another")
    );
    assert!(log.body.contains(&b_host));
    let on_b_log = on_b.get("/admin/log").await;
    assert!(
        on_b_log.body.contains("let another instance follow ours"),
        "{}",
        on_b_log.body
    );
    let actions = |log: serde_json::Value| -> Vec<String> {
        log["actionLogs"]["elements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap().to_owned())
            .collect()
    };
    let query = "{ actionLogs(limit: 20) { elements { action objectLabel object { id } } } }";
    let on_record = actions(anna.gql.data(query, json!({})).await);
    assert_eq!(
        on_record,
        [
            "DOMAIN_UNBLOCKING",
            "DOMAIN_BLOCKING",
            "INSTANCE_UNFOLLOWING",
            "INSTANCE_FOLLOWING"
        ]
    );
}

#[tokio::test]
async fn the_blocked_instances_are_listed_a_page_at_a_time() {
    let clock = backend::clock::ManualClock::new(chrono::Utc::now());
    let server = TestServer::builder()
        .manual_clock(clock.clone())
        .start()
        .await;
    let boss = sign_up_admin(&server, "boss").await;
    let mut admin = logged_in(&server, &boss).await;
    // 31 blocks, one a minute: one more than a page holds.
    for n in 0..31 {
        backend::domain_blocks::block(
            &server.ctx,
            &backend::principal::Principal::System,
            &format!("spam{n:02}.example"),
            None,
        )
        .await
        .unwrap();
        clock.advance(chrono::Duration::minutes(1));
    }
    let first = admin.get("/admin/instances").await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("spam30.example"), "newest first");
    assert!(first.body.contains("spam01.example"));
    assert!(!first.body.contains("spam00.example"), "on the next page");
    let next = "/admin/instances?page=1&#38;blocks=2#blocks";
    assert!(
        first
            .body
            .contains(&format!("href=\"{next}\" rel=\"next\"")),
        "{}",
        first.body
    );
    let second = admin.get(&next.replace("&#38;", "&")).await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.body.contains("spam00.example"), "{}", second.body);
    assert!(!second.body.contains("spam01.example"));
    assert!(
        second
            .body
            .contains("href=\"/admin/instances?page=1&#38;blocks=1#blocks\" rel=\"prev\""),
        "{}",
        second.body
    );
    assert!(!second.body.contains("rel=\"next\""));
}
