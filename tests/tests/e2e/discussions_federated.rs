//! Group discussions across instances, end to end: a discussion of a group on A reaches its
//! members on B and C in Mobilizon's shape; an answer written on B reaches A and, relayed by
//! the group, C; edits and deletions travel the same ways; a comment's address serves its
//! `Note` to the instances of the group's members and leads members to it; nobody else gets
//! a word.
//!
//! Memberships across instances do not federate yet: each instance is told of them here, as
//! it would keep them.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::TestServer;
use tests::browser::Browser;
use tests::federating::{self, wait_for};
use tests::people::{Member, sign_up};
use tests::signing::{Signer, signed_get};

const CREATE_GROUP: &str = "mutation($u: String!) {
    createGroup(preferredUsername: $u, name: \"Garden\", openness: OPEN, visibility: PUBLIC) { id }
}";
const JOIN: &str = "mutation($g: ID!) { joinGroup(groupId: $g) { id role } }";
const CREATE_DISCUSSION: &str = "mutation($title: String!, $actorId: ID!, $text: String!) {
    createDiscussion(title: $title, text: $text, actorId: $actorId) { id slug lastComment { id } }
}";
const REPLY: &str = "mutation($discussionId: ID!, $text: String!) {
    replyToDiscussion(discussionId: $discussionId, text: $text) { id lastComment { id text } }
}";
const RENAME: &str = "mutation($discussionId: ID!, $title: String!) {
    updateDiscussion(discussionId: $discussionId, title: $title) { id title }
}";
const READ: &str = "query($slug: String!) {
    discussion(slug: $slug) {
        id title actor { preferredUsername domain }
        comments(page: 1, limit: 20) {
            total elements { id text deletedAt actor { preferredUsername domain } }
        }
    }
}";
const UPDATE_COMMENT: &str = "mutation($commentId: ID!, $text: String!) {
    updateComment(commentId: $commentId, text: $text) { id text }
}";
const DELETE_COMMENT: &str =
    "mutation($commentId: ID!) { deleteComment(commentId: $commentId) { id deletedAt } }";

/// `actor_id` belongs to the group `group_id`, as `server` keeps it.
async fn belongs(server: &TestServer, actor_id: i64, group_id: i64) {
    use sea_orm::{ActiveModelTrait, NotSet, Set};
    let now = server.ctx.now();
    entity::member::ActiveModel {
        id: NotSet,
        actor_id: Set(actor_id),
        group_id: Set(group_id),
        role: Set(entity::MemberRole::Member),
        invited_by_id: Set(None),
        ap_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&server.ctx.db)
    .await
    .unwrap();
}

fn host(server: &TestServer) -> String {
    let url = server.ctx.settings.public_url.url();
    format!("{}:{}", url.host_str().unwrap(), url.port().unwrap())
}

/// A person of `home` who belongs to A's group `garden` (its id on A `group_id`), known on
/// both sides; answers the person and the group as `home` knows it.
async fn member_elsewhere(
    a: &TestServer,
    home: &TestServer,
    username: &str,
    group_id: i64,
) -> (Member, entity::actor::Model) {
    let person = sign_up(home, username).await;
    let on_a = federation::resolve_handle(a.federation(), &format!("{username}@{}", host(home)))
        .await
        .expect("A finds the person");
    belongs(a, on_a.id, group_id).await;
    let group = federation::resolve_handle(home.federation(), &format!("garden@{}", host(a)))
        .await
        .expect("the person's instance finds the group");
    let local = backend::actors::find_local_by_username(&home.ctx.db, username)
        .await
        .unwrap()
        .unwrap();
    belongs(home, local.id, group.id).await;
    (person, group)
}

/// The comments of the discussion `slug`, as `member` reads them on their instance.
async fn read(member: &Member, slug: &str) -> Value {
    member.gql.data(READ, json!({ "slug": slug })).await["discussion"].clone()
}

async fn copy_of(server: &TestServer, ap_id: &str) -> Option<entity::discussion::Model> {
    backend::discussions::find_by_ap_id(&server.ctx.db, ap_id)
        .await
        .unwrap()
}

async fn comment_at(server: &TestServer, ap_id: &str) -> Option<entity::discussion_comment::Model> {
    backend::discussions::find_comment_by_ap_id(&server.ctx.db, ap_id)
        .await
        .unwrap()
}

/// Waits until the comment `ap_id` on `server` passes `check`.
async fn wait_comment(
    server: &TestServer,
    what: &str,
    ap_id: &str,
    check: impl Fn(&entity::discussion_comment::Model) -> bool,
) -> entity::discussion_comment::Model {
    wait_for(what, || async {
        comment_at(server, ap_id).await.filter(|c| check(c))
    })
    .await
}

#[tokio::test]
async fn a_discussion_on_a_reaches_members_on_b_and_c_and_answers_edits_and_deletions_travel_both_ways()
 {
    let a = federating::server().await;
    let b = federating::server().await;
    let c = federating::server().await;
    let olga = sign_up(&a, "olga").await;
    let created = olga.gql.data(CREATE_GROUP, json!({ "u": "garden" })).await;
    let group_gql_id = created["createGroup"]["id"].as_str().unwrap().to_owned();
    let group_id: i64 = group_gql_id.parse().unwrap();
    let mia = sign_up(&a, "mia").await;
    mia.gql.data(JOIN, json!({ "g": group_gql_id })).await;
    let (zoe, garden_on_b) = member_elsewhere(&a, &b, "zoe", group_id).await;
    let (cal, _) = member_elsewhere(&a, &c, "cal", group_id).await;
    // Sam, on B too, belongs to nothing.
    let sam = sign_up(&b, "sam").await;

    // Mia starts a discussion on A: B and C keep it for Zoe and Cal, who get a mail.
    let vars =
        json!({ "title": "Seeds", "actorId": group_gql_id, "text": "<p>Who brings seeds?</p>" });
    let started = mia.gql.data(CREATE_DISCUSSION, vars).await;
    let slug = started["createDiscussion"]["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    let first_uuid = started["createDiscussion"]["lastComment"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let discussion_url = a.ctx.url(&format!("/@garden/c/{slug}"));
    let on_b = wait_for("the discussion on B", || copy_of(&b, &discussion_url)).await;
    let on_c = wait_for("the discussion on C", || copy_of(&c, &discussion_url)).await;
    assert_eq!(on_b.title, "Seeds");
    assert_eq!(on_b.group_id, garden_on_b.id);
    assert!(!on_b.local);
    b.wait_for_mail(&zoe.email, "Seeds").await;
    c.wait_for_mail(&cal.email, "Seeds").await;
    let read_b = read(&zoe, &on_b.slug).await;
    assert_eq!(read_b["actor"]["preferredUsername"], "garden");
    assert_eq!(read_b["comments"]["total"], 1, "{read_b:#}");
    let first = &read_b["comments"]["elements"][0];
    assert_eq!(first["text"], "<p>Who brings seeds?</p>");
    assert_eq!(first["actor"]["preferredUsername"], "mia");
    // Members only: Sam on B reads nothing of it.
    let code = sam.gql.error_code(READ, json!({ "slug": on_b.slug })).await;
    assert_eq!(code, "not_found");

    // Zoe answers on B: A has it from her, C from the group.
    let vars = json!({ "discussionId": on_b.id.to_string(), "text": "<p>Bulbs!</p>" });
    let answered = zoe.gql.data(REPLY, vars).await;
    let zoe_uuid = answered["replyToDiscussion"]["lastComment"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let zoe_comment = backend::discussions::find_comment(&b.ctx.db, &zoe_uuid)
        .await
        .unwrap();
    assert!(zoe_comment.ap_id.starts_with(&b.ctx.url("/comments/")));
    let zoe_url = zoe_comment.ap_id.clone();
    let on_a = wait_comment(&a, "Zoe's answer on A", &zoe_url, |_| true).await;
    assert_eq!(on_a.text, "<p>Bulbs!</p>");
    a.wait_for_mail(&olga.email, "answered").await;
    wait_comment(&c, "Zoe's answer on C", &zoe_url, |_| true).await;
    c.wait_for_mail(&cal.email, "answered").await;

    // Zoe edits her answer on B; Mia edits her first words, then renames the discussion, on A.
    let vars = json!({ "commentId": zoe_uuid, "text": "<p>Bulbs and seeds</p>" });
    zoe.gql.data(UPDATE_COMMENT, vars).await;
    let vars = json!({ "commentId": first_uuid, "text": "<p>Who brings seeds, and when?</p>" });
    mia.gql.data(UPDATE_COMMENT, vars).await;
    for (server, name) in [(&a, "A"), (&c, "C")] {
        wait_comment(server, &format!("Zoe's edit on {name}"), &zoe_url, |c| {
            c.text == "<p>Bulbs and seeds</p>"
        })
        .await;
    }
    for (server, name) in [(&b, "B"), (&c, "C")] {
        wait_comment(
            server,
            &format!("Mia's edit on {name}"),
            &discussion_url,
            |c| c.text == "<p>Who brings seeds, and when?</p>",
        )
        .await;
    }
    let discussion_id = started["createDiscussion"]["id"].as_str().unwrap();
    let vars = json!({ "discussionId": discussion_id, "title": "Seeds in March" });
    mia.gql.data(RENAME, vars).await;
    for (server, name) in [(&b, "B"), (&c, "C")] {
        wait_for(&format!("the new title on {name}"), || async {
            copy_of(server, &discussion_url)
                .await
                .filter(|d| d.title == "Seeds in March")
        })
        .await;
    }

    // Cal answers on C, then deletes his answer: A and B keep a tombstone.
    let vars = json!({ "discussionId": on_c.id.to_string(), "text": "<p>Typo</p>" });
    let typo = cal.gql.data(REPLY, vars).await;
    let typo_uuid = typo["replyToDiscussion"]["lastComment"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let typo_url = backend::discussions::find_comment(&c.ctx.db, &typo_uuid)
        .await
        .unwrap()
        .ap_id;
    wait_comment(&b, "Cal's answer on B", &typo_url, |_| true).await;
    cal.gql
        .data(DELETE_COMMENT, json!({ "commentId": typo_uuid }))
        .await;
    for (server, name) in [(&a, "A"), (&b, "B")] {
        let gone = wait_comment(
            server,
            &format!("the tombstone on {name}"),
            &typo_url,
            |c| c.deleted_at.is_some(),
        )
        .await;
        assert_eq!(gone.text, "", "a tombstone keeps no text");
    }

    // Olga, who runs the group, deletes Zoe's answer on A: B and C follow the group.
    let zoe_on_a_uuid = comment_at(&a, &zoe_url).await.unwrap().uuid;
    olga.gql
        .data(DELETE_COMMENT, json!({ "commentId": zoe_on_a_uuid }))
        .await;
    for (server, name) in [(&b, "B"), (&c, "C")] {
        wait_comment(
            server,
            &format!("Zoe's answer deleted on {name}"),
            &zoe_url,
            |c| c.deleted_at.is_some(),
        )
        .await;
    }
    let read_b = read(&zoe, &on_b.slug).await;
    assert_eq!(read_b["title"], "Seeds in March");
    let texts: Vec<&str> = read_b["comments"]["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["text"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        texts,
        ["<p>Who brings seeds, and when?</p>", "", ""],
        "{read_b:#}"
    );
}

async fn logged_in(server: &TestServer, member: &Member) -> Browser {
    let mut browser = Browser::new(&server.base_url);
    let csrf = browser.get("/login").await.csrf();
    let fields = [
        ("csrf", csrf.as_str()),
        ("email", member.email.as_str()),
        ("password", "long enough password"),
    ];
    let ok = browser.post("/login", &fields).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    browser
}

#[tokio::test]
async fn a_discussions_comment_is_served_to_its_members_instances_and_pages_and_to_nobody_else() {
    let a = federating::server().await;
    let b = federating::server().await;
    let olga = sign_up(&a, "olga").await;
    let created = olga.gql.data(CREATE_GROUP, json!({ "u": "garden" })).await;
    let group_gql_id = created["createGroup"]["id"].as_str().unwrap().to_owned();
    let mia = sign_up(&a, "mia").await;
    mia.gql.data(JOIN, json!({ "g": group_gql_id })).await;
    let vic = sign_up(&a, "vic").await;
    let vars =
        json!({ "title": "Seeds", "actorId": group_gql_id, "text": "<p>Who brings seeds?</p>" });
    let started = mia.gql.data(CREATE_DISCUSSION, vars).await;
    let slug = started["createDiscussion"]["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    let first_uuid = started["createDiscussion"]["lastComment"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let discussion_id = started["createDiscussion"]["id"].as_str().unwrap();
    let vars = json!({ "discussionId": discussion_id, "text": "<p>Bulbs?</p>" });
    let answered = mia.gql.data(REPLY, vars).await;
    let uuid = answered["replyToDiscussion"]["lastComment"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let address = a.ctx.url(&format!("/comments/{uuid}"));
    let discussion_url = a.ctx.url(&format!("/@garden/c/{slug}"));

    // Asked without a signature, or by an instance where no member lives: not found.
    let unsigned = reqwest::Client::new()
        .get(&address)
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), StatusCode::NOT_FOUND);
    assert!(!unsigned.text().await.unwrap().contains("Bulbs"));
    sign_up(&b, "zoe").await;
    let zoe_actor = backend::actors::find_local_by_username(&b.ctx.db, "zoe")
        .await
        .unwrap()
        .unwrap();
    let zoe_actor = federation::keys::ensure(&b.ctx, zoe_actor).await.unwrap();
    let signer = Signer {
        key_id: format!("{}#main-key", zoe_actor.ap_id),
        private_key_pem: zoe_actor.private_key_pem.clone().unwrap(),
    };
    let outsider = signed_get(&address, &signer).await;
    assert_eq!(outsider.status(), StatusCode::NOT_FOUND);
    assert!(!outsider.text().await.unwrap().contains("Bulbs"));

    // Once Zoe belongs, her instance reads the group's words, addressed to its members only.
    let zoe_on_a = federation::resolve_handle(a.federation(), &format!("zoe@{}", host(&b)))
        .await
        .unwrap();
    belongs(
        &a,
        zoe_on_a.id,
        created["createGroup"]["id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap(),
    )
    .await;
    let member_instance = signed_get(&address, &signer).await;
    assert_eq!(member_instance.status(), StatusCode::OK);
    let note: Value = member_instance.json().await.unwrap();
    assert_eq!(note["type"], "Note");
    assert_eq!(note["content"], "<p>Bulbs?</p>");
    assert_eq!(note["context"], discussion_url.as_str());
    assert_eq!(note["attributedTo"], a.ctx.url("/@garden").as_str());
    assert_eq!(note["to"], json!([a.ctx.url("/@garden/members")]));
    assert!(!note.to_string().contains("#Public"), "{note:#}");
    // The first comment is the discussion's own note, with its title.
    let first: Value = signed_get(&a.ctx.url(&format!("/comments/{first_uuid}")), &signer)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["id"], discussion_url.as_str());
    assert_eq!(first["name"], "Seeds");

    // People: a member is sent to the comment in its discussion; others find nothing.
    let mut mia_browser = logged_in(&a, &mia).await;
    let sent = mia_browser.get(&format!("/comments/{uuid}")).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    assert_eq!(
        sent.location.as_deref(),
        Some(format!("/@garden/c/{slug}#comment-{uuid}").as_str())
    );
    let mut vic_browser = logged_in(&a, &vic).await;
    let refused = vic_browser.get(&format!("/comments/{uuid}")).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert!(!refused.body.contains("Seeds") && !refused.body.contains(&slug));
    let anonymous = Browser::new(&a.base_url)
        .get(&format!("/comments/{uuid}"))
        .await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location.unwrap().starts_with("/login"));

    // Deleted, it is gone.
    mia.gql
        .data(DELETE_COMMENT, json!({ "commentId": uuid }))
        .await;
    assert_eq!(
        signed_get(&address, &signer).await.status(),
        StatusCode::GONE
    );
}
