//! Comments under events, end to end: two instances on loopback exchange comments, replies,
//! edits and deletions as `Note`s; a toot from elsewhere answering our event becomes a
//! comment, one answering nothing we have is refused; and people comment from the event page
//! with plain forms.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::TestServer;
use tests::browser::Browser;
use tests::federating::{self, wait_for};
use tests::people::{Member, sign_up};
use tests::signing::{SignedPost, Signer};

const CREATE_GROUP: &str = "mutation($u: String!) {
    createGroup(preferredUsername: $u, name: \"Repair collective\", openness: OPEN, visibility: PUBLIC) { id }
}";
const CREATE_EVENT: &str = "mutation($group: ID!, $begins: DateTime!) {
    createEvent(attributedToId: $group, title: \"Repair café\", description: \"<p>Bring what is broken</p>\",
        beginsOn: $begins, options: { timezone: \"Europe/Paris\" }) { id uuid }
}";
const COMMENT: &str = "mutation($event: ID!, $text: String!, $parent: ID) {
    createComment(eventId: $event, text: $text, inReplyToCommentId: $parent) {
        id uuid url text local inReplyToComment { id } originComment { id }
    }
}";
const EDIT: &str = "mutation($id: ID!, $text: String!) {
    updateComment(commentId: $id, text: $text) { id text updatedAt }
}";
const DELETE: &str = "mutation($id: ID!) { deleteComment(commentId: $id) { id deletedAt } }";
const THREADS: &str = "query($uuid: UUID!) {
    event(uuid: $uuid) { comments { id text local deletedAt totalReplies actor { preferredUsername domain }
        replies { id text deletedAt inReplyToComment { id } originComment { id } } } }
}";

/// A's group `repair` (alice's) with a public event, followed by bob on B, and the event's
/// copy on B.
struct TwoInstances {
    a: TestServer,
    b: TestServer,
    alice: Member,
    bob: Member,
    /// The event on A: GraphQL id and uuid.
    event_id: String,
    event_uuid: String,
    /// Its copy on B.
    copy: entity::event::Model,
}

async fn two_instances() -> TwoInstances {
    let a = federating::server().await;
    let b = federating::server().await;
    let alice = sign_up(&a, "alice").await;
    let group = alice.gql.data(CREATE_GROUP, json!({ "u": "repair" })).await;
    let group_id = group["createGroup"]["id"].as_str().unwrap().to_owned();
    let bob = sign_up(&b, "bob").await;
    let bob_actor = backend::actors::find_local_by_username(&b.ctx.db, "bob")
        .await
        .unwrap()
        .unwrap();
    let a_host = a.ctx.settings.public_url.host();
    let follow = federation::follow_remote(
        b.federation(),
        &b.ctx,
        &bob_actor,
        &format!("repair@{a_host}"),
    )
    .await
    .expect("B follows A's group");
    wait_for("B to receive A's Accept", || async {
        let f = backend::groups::followers::find_follow(&b.ctx.db, bob_actor.id, follow.target_id)
            .await
            .unwrap()?;
        f.approved.then_some(())
    })
    .await;
    let begins = Utc::now() + Duration::days(3);
    let created = alice
        .gql
        .data(CREATE_EVENT, json!({ "group": group_id, "begins": begins }))
        .await;
    let event_id = created["createEvent"]["id"].as_str().unwrap().to_owned();
    let event_uuid = created["createEvent"]["uuid"].as_str().unwrap().to_owned();
    let ap_id = a.ctx.url(&format!("/events/{event_uuid}"));
    let copy = wait_for("the event on B", || async {
        backend::events::federated::find_by_ap_id(&b.ctx.db, &ap_id)
            .await
            .unwrap()
    })
    .await;
    TwoInstances {
        a,
        b,
        alice,
        bob,
        event_id,
        event_uuid,
        copy,
    }
}

async fn comment_at(server: &TestServer, ap_id: &str) -> Option<entity::comment::Model> {
    backend::comments::find_by_ap_id(&server.ctx.db, ap_id)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_comment_on_a_shows_on_bs_copy_a_reply_on_b_shows_on_a_and_edits_and_deletions_travel_both_ways()
 {
    let s = two_instances().await;
    // A's event says peers may reply, and where its replies are.
    let document: Value = reqwest::Client::new()
        .get(s.a.url(&format!("/events/{}", s.event_uuid)))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(document["commentsEnabled"], true, "{document:#}");
    assert_eq!(document["repliesModerationOption"], "allow_all");
    let replies_url = document["replies"].as_str().unwrap().to_owned();

    let asked = s
        .alice
        .gql
        .data(
            COMMENT,
            json!({ "event": s.event_id, "text": "<p>Bring your own tools</p>" }),
        )
        .await;
    let question = &asked["createComment"];
    let question_id = question["id"].as_str().unwrap().to_owned();
    let question_url = question["url"].as_str().unwrap().to_owned();
    assert_eq!(question["local"], true);

    let on_b = wait_for("A's comment on B", || comment_at(&s.b, &question_url)).await;
    assert_eq!(on_b.event_id, s.copy.id);
    assert_eq!(on_b.text, "<p>Bring your own tools</p>");
    assert!(!on_b.local);

    // Bob answers on B, under B's copy of alice's comment.
    let answered = s
        .bob
        .gql
        .data(
            COMMENT,
            json!({ "event": s.copy.id.to_string(), "text": "Even a soldering iron?", "parent": on_b.id.to_string() }),
        )
        .await;
    let reply = &answered["createComment"];
    let reply_id = reply["id"].as_str().unwrap().to_owned();
    let reply_url = reply["url"].as_str().unwrap().to_owned();
    assert_eq!(reply["inReplyToComment"]["id"], on_b.id.to_string());

    let on_a = wait_for("B's reply on A", || comment_at(&s.a, &reply_url)).await;
    assert_eq!(
        on_a.in_reply_to_id.map(|i| i.to_string()),
        Some(question_id.clone())
    );
    assert_eq!(
        on_a.origin_id.map(|i| i.to_string()),
        Some(question_id.clone())
    );
    let threads = s
        .alice
        .gql
        .data(THREADS, json!({ "uuid": s.event_uuid }))
        .await;
    let thread = &threads["event"]["comments"][0];
    assert_eq!(thread["totalReplies"], 1, "{threads:#}");
    assert_eq!(thread["replies"][0]["text"], "Even a soldering iron?");
    let listed: Value = reqwest::Client::new()
        .get(&replies_url)
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["totalItems"], 2, "{listed:#}");

    // Edits, both ways.
    s.alice
        .gql
        .data(
            EDIT,
            json!({ "id": question_id, "text": "<p>Bring your own tools, labelled</p>" }),
        )
        .await;
    wait_for("the edit on B", || async {
        comment_at(&s.b, &question_url)
            .await
            .filter(|c| c.text.contains("labelled"))
    })
    .await;
    s.bob
        .gql
        .data(
            EDIT,
            json!({ "id": reply_id, "text": "Even a soldering station?" }),
        )
        .await;
    wait_for("the edit on A", || async {
        comment_at(&s.a, &reply_url)
            .await
            .filter(|c| c.text.contains("station"))
    })
    .await;

    // Deletions, both ways: tombstones stay where replies hang.
    s.bob.gql.data(DELETE, json!({ "id": reply_id })).await;
    wait_for("the deletion on A", || async {
        comment_at(&s.a, &reply_url)
            .await
            .filter(|c| c.deleted_at.is_some())
    })
    .await;
    s.alice.gql.data(DELETE, json!({ "id": question_id })).await;
    let gone = wait_for("the deletion on B", || async {
        comment_at(&s.b, &question_url)
            .await
            .filter(|c| c.deleted_at.is_some())
    })
    .await;
    assert_eq!(gone.text, "");
    // A deleted comment's address says it is gone.
    let tombstone = reqwest::Client::new()
        .get(&question_url)
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(tombstone.status(), StatusCode::GONE);
}

/// A person on `server` with keys, as a signer and its actor id.
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

/// A `Create` of a `Note` as Mastodon sends a reply.
fn toot(author: &str, n: u32, in_reply_to: &str, content: &str) -> String {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{author}/statuses/{n}/activity"),
        "type": "Create",
        "actor": author,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {
            "id": format!("{author}/statuses/{n}"),
            "type": "Note",
            "attributedTo": author,
            "inReplyTo": in_reply_to,
            "content": content,
            "published": "2026-01-01T10:00:00Z",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
        },
    })
    .to_string()
}

#[tokio::test]
async fn a_toot_answering_our_event_becomes_a_comment_and_one_answering_nothing_we_have_is_refused()
{
    let a = federating::server().await;
    let b = federating::server().await;
    let alice = sign_up(&a, "alice").await;
    let created = alice
        .gql
        .data(
            "mutation($b: DateTime!) { createEvent(title: \"Soup\", beginsOn: $b) { uuid } }",
            json!({ "b": Utc::now() + Duration::days(2) }),
        )
        .await;
    let uuid = created["createEvent"]["uuid"].as_str().unwrap();
    let event_url = a.ctx.url(&format!("/events/{uuid}"));
    let (zoe, zoe_id) = person_with_keys(&b, "zoe").await;
    let inbox = a.ctx.url("/inbox");

    let reply = toot(
        &zoe_id,
        1,
        &event_url,
        "<p>Count me in <script>x()</script></p>",
    );
    let response = SignedPost::new(&inbox, &reply).send(&zoe).await;
    assert!(response.status().is_success(), "{}", response.status());
    let comment = comment_at(&a, &format!("{zoe_id}/statuses/1"))
        .await
        .unwrap();
    assert_eq!(comment.text, "<p>Count me in </p>");
    let page = reqwest::get(a.url(&format!("/events/{uuid}")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Count me in"), "{page}");

    let stray = toot(&zoe_id, 2, "https://elsewhere.example/notes/1", "<p>Hm</p>");
    let response = SignedPost::new(&inbox, &stray).send(&zoe).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(
        comment_at(&a, &format!("{zoe_id}/statuses/2"))
            .await
            .is_none()
    );
}

async fn logged_in_browser(server: &TestServer, username: &str) -> Browser {
    let member = sign_up(server, username).await;
    let mut browser = Browser::new(&server.base_url);
    let form = browser.get("/login").await;
    let csrf = form.csrf();
    let ok = browser
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", &member.email),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    browser
}

#[tokio::test]
async fn a_participant_asks_a_question_from_the_event_page_and_the_organizer_answers() {
    let server = TestServer::start().await;
    let olga = sign_up(&server, "olga").await;
    let created = olga
        .gql
        .data(
            "mutation($b: DateTime!) { createEvent(title: \"Soup\", beginsOn: $b) { uuid } }",
            json!({ "b": Utc::now() + Duration::days(2) }),
        )
        .await;
    let uuid = created["createEvent"]["uuid"].as_str().unwrap().to_owned();
    let path = format!("/events/{uuid}");

    // Without a session: the comments, and a way to log in to write.
    let mut visitor = Browser::new(&server.base_url);
    let before = visitor.get(&path).await;
    assert!(before.body.contains("No comments yet."), "{}", before.body);
    assert!(before.body.contains("Log in to comment"));

    let mut gus = logged_in_browser(&server, "gus").await;
    let page = gus.get(&path).await;
    let csrf = page.csrf();
    let asked = gus
        .post(
            &format!("{path}/comments"),
            &[
                ("csrf", &csrf),
                ("text", "Is there <parking>?"),
                ("reply_to", ""),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let question = backend::comments::threads_of(&server.ctx.db, {
        backend::events::find_by_uuid(&server.ctx.db, &uuid)
            .await
            .unwrap()
            .id
    })
    .await
    .unwrap()
    .remove(0)
    .root;
    assert_eq!(question.text, "<p>Is there &lt;parking&gt;?</p>");

    // The organizer answers in the thread, from the same page.
    let mut organizer = Browser::new(&server.base_url);
    let form = organizer.get("/login").await;
    let csrf = form.csrf();
    organizer
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", &olga.email),
                ("password", "long enough password"),
            ],
        )
        .await;
    let page = organizer.get(&path).await;
    assert!(
        page.body.contains("Is there &lt;parking&gt;?"),
        "{}",
        page.body
    );
    let csrf = page.csrf();
    let answered = organizer
        .post(
            &format!("{path}/comments"),
            &[
                ("csrf", &csrf),
                ("text", "Yes, behind the hall"),
                ("reply_to", &question.uuid),
            ],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER);

    // Everyone sees the thread at once, the visitor without a session included.
    let after = visitor.get(&path).await;
    assert!(
        after.body.contains("Is there &lt;parking&gt;?"),
        "{}",
        after.body
    );
    assert!(after.body.contains("Yes, behind the hall"));
    // A forged form changes nothing.
    let forged = gus
        .post(
            &format!("{path}/comments"),
            &[("csrf", "forged"), ("text", "spam"), ("reply_to", "")],
        )
        .await;
    assert_ne!(forged.status, StatusCode::SEE_OTHER);

    // The organizer deletes the question: a tombstone holds the answer.
    let page = organizer.get(&path).await;
    let csrf = page.csrf();
    let deleted = organizer
        .post(
            &format!("{path}/comments/{}/delete", question.uuid),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    let after = visitor.get(&path).await;
    assert!(after.body.contains("This comment was deleted."));
    assert!(!after.body.contains("parking"));
    assert!(after.body.contains("Yes, behind the hall"));
}

#[tokio::test]
async fn a_comment_naming_a_person_here_links_to_their_profile_and_mails_them() {
    let server = TestServer::start().await;
    let olga = sign_up(&server, "olga").await;
    let bob = sign_up(&server, "bob").await;
    let created = olga
        .gql
        .data(
            "mutation($b: DateTime!) { createEvent(title: \"Soup\", beginsOn: $b) { uuid } }",
            json!({ "b": Utc::now() + Duration::days(2) }),
        )
        .await;
    let uuid = created["createEvent"]["uuid"].as_str().unwrap().to_owned();
    let path = format!("/events/{uuid}");

    let mut gus = logged_in_browser(&server, "gus").await;
    let page = gus.get(&path).await;
    let csrf = page.csrf();
    let posted = gus
        .post(
            &format!("{path}/comments"),
            &[
                ("csrf", &csrf),
                ("text", "Ask @bob, not @nobody or @<b>x</b>"),
                ("reply_to", ""),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER);

    let page = Browser::new(&server.base_url).get(&path).await;
    let profile = server.url("/@bob");
    assert!(
        page.body.contains(&format!(
            "Ask <a href=\"{profile}\" class=\"u-url mention\">@bob</a>, not @nobody or @&lt;b&gt;x&lt;/b&gt;"
        )),
        "{}",
        page.body
    );
    let mail = server.wait_for_mail(&bob.email, "mentioned you").await;
    assert!(mail.mail.text.contains(&path), "{}", mail.mail.text);
}
