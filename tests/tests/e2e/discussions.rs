//! Group discussions, end to end: members start, answer, rename and delete them through
//! Mobilizon's operations and through the pages (without JavaScript), outsiders neither see
//! nor write them, a moderator deletes anyone's comment, and members get a mail for each new
//! word unless they asked for none.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::TestServer;
use tests::browser::Browser;
use tests::federating;
use tests::people::{Member, sign_up};
use tests::signing::{SignedPost, Signer};

const CREATE_GROUP: &str = "mutation($u: String!) {
    createGroup(preferredUsername: $u, name: \"Garden\", openness: OPEN, visibility: PUBLIC) { id }
}";
const JOIN: &str = "mutation($g: ID!) { joinGroup(groupId: $g) { id role } }";
/// Mobilizon's `DiscussionFields` fragment, as its client selects it.
const FIELDS: &str = "id title slug
    lastComment { id text insertedAt updatedAt deletedAt publishedAt actor { id preferredUsername domain } }
    actor { id type preferredUsername } creator { id preferredUsername }";

fn create_discussion() -> String {
    format!(
        "mutation($title: String!, $actorId: ID!, $text: String!) {{
            createDiscussion(title: $title, text: $text, actorId: $actorId) {{ {FIELDS} }}
        }}"
    )
}

fn reply_to_discussion() -> String {
    format!(
        "mutation($discussionId: ID!, $text: String!) {{
            replyToDiscussion(discussionId: $discussionId, text: $text) {{ {FIELDS} }}
        }}"
    )
}

fn update_discussion() -> String {
    format!(
        "mutation($discussionId: ID!, $title: String!) {{
            updateDiscussion(discussionId: $discussionId, title: $title) {{ {FIELDS} }}
        }}"
    )
}

fn get_discussion() -> String {
    format!(
        "query($slug: String!, $page: Int, $limit: Int) {{
            discussion(slug: $slug) {{
                comments(page: $page, limit: $limit) {{
                    total elements {{ id text actor {{ preferredUsername }} insertedAt updatedAt deletedAt publishedAt }}
                }}
                {FIELDS}
            }}
        }}"
    )
}

const GROUP_DISCUSSIONS: &str = "query($name: String!, $discussionsPage: Int, $discussionsLimit: Int) {
    group(preferredUsername: $name) {
        id preferredUsername
        discussions(page: $discussionsPage, limit: $discussionsLimit) {
            total elements { id title slug insertedAt updatedAt lastComment { id text actor { preferredUsername } publishedAt deletedAt } }
        }
    }
}";
const DELETE_DISCUSSION: &str =
    "mutation($discussionId: ID!) { deleteDiscussion(discussionId: $discussionId) { id } }";
const UPDATE_COMMENT: &str = "mutation($commentId: ID!, $text: String!) {
    updateComment(commentId: $commentId, text: $text) { id text updatedAt }
}";
const DELETE_COMMENT: &str =
    "mutation($commentId: ID!) { deleteComment(commentId: $commentId) { id deletedAt text } }";

struct Garden {
    group_id: String,
    olga: Member,
    mia: Member,
    vic: Member,
}

/// Olga's open group, which Mia joins; Vic stays outside.
async fn garden(server: &TestServer) -> Garden {
    let olga = sign_up(server, "olga").await;
    let group = olga.gql.data(CREATE_GROUP, json!({ "u": "garden" })).await;
    let group_id = group["createGroup"]["id"].as_str().unwrap().to_owned();
    let mia = sign_up(server, "mia").await;
    mia.gql.data(JOIN, json!({ "g": group_id })).await;
    let vic = sign_up(server, "vic").await;
    Garden {
        group_id,
        olga,
        mia,
        vic,
    }
}

fn str_at<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no {pointer} in {value:#}"))
}

#[tokio::test]
async fn members_discuss_through_mobilizons_operations_and_outsiders_are_kept_out() {
    let server = TestServer::start().await;
    let g = garden(&server).await;

    let started = g
        .mia
        .gql
        .data(
            &create_discussion(),
            json!({ "title": "Seeds", "actorId": g.group_id, "text": "<p>Who brings seeds?</p>" }),
        )
        .await;
    let d = &started["createDiscussion"];
    let id = str_at(d, "/id").to_owned();
    let slug = str_at(d, "/slug").to_owned();
    assert_eq!(str_at(d, "/title"), "Seeds");
    assert_eq!(str_at(d, "/lastComment/text"), "<p>Who brings seeds?</p>");
    assert_eq!(str_at(d, "/lastComment/actor/preferredUsername"), "mia");
    assert_eq!(str_at(d, "/creator/preferredUsername"), "mia");
    assert_eq!(str_at(d, "/actor/preferredUsername"), "garden");
    assert_eq!(str_at(d, "/actor/type"), "Group");
    let first_comment = str_at(d, "/lastComment/id").to_owned();

    let vars = json!({ "title": "Mine", "actorId": g.group_id, "text": "Hello" });
    let code = g.vic.gql.error_code(&create_discussion(), vars).await;
    assert_eq!(code, "forbidden");
    let vars = json!({ "title": " ", "actorId": g.group_id, "text": "Hello" });
    let error = g.mia.gql.error(&create_discussion(), vars).await;
    assert_eq!(error["extensions"]["code"], "invalid", "{error:#}");
    assert_eq!(error["extensions"]["field"], "title", "{error:#}");

    let answered = g
        .olga
        .gql
        .data(
            &reply_to_discussion(),
            json!({ "discussionId": id, "text": "I do" }),
        )
        .await;
    let d = &answered["replyToDiscussion"];
    assert_eq!(str_at(d, "/lastComment/text"), "I do");
    assert_eq!(str_at(d, "/lastComment/actor/preferredUsername"), "olga");
    let vars = json!({ "discussionId": id, "text": "Me too" });
    assert_eq!(
        g.vic.gql.error_code(&reply_to_discussion(), vars).await,
        "not_found"
    );

    // Members list it with its last comment; others get an empty list, as from Mobilizon.
    let vars = json!({ "name": "garden", "discussionsPage": 1, "discussionsLimit": 10 });
    let listed = g.mia.gql.data(GROUP_DISCUSSIONS, vars.clone()).await;
    let list = &listed["group"]["discussions"];
    assert_eq!(list["total"], 1, "{list:#}");
    assert_eq!(str_at(list, "/elements/0/lastComment/text"), "I do");
    for outsider in [&g.vic.gql, &server.gql()] {
        let listed = outsider.data(GROUP_DISCUSSIONS, vars.clone()).await;
        assert_eq!(listed["group"]["discussions"]["total"], 0);
        assert_eq!(listed["group"]["discussions"]["elements"], json!([]));
    }

    let vars = json!({ "slug": slug, "page": 1, "limit": 10 });
    let read = g.mia.gql.data(&get_discussion(), vars.clone()).await;
    let comments = &read["discussion"]["comments"];
    assert_eq!(comments["total"], 2, "{comments:#}");
    assert_eq!(str_at(comments, "/elements/0/id"), first_comment);
    assert_eq!(
        str_at(comments, "/elements/1/actor/preferredUsername"),
        "olga"
    );
    assert_eq!(
        g.vic.gql.error_code(&get_discussion(), vars.clone()).await,
        "not_found"
    );
    assert_eq!(
        server
            .gql()
            .error_code(&get_discussion(), vars.clone())
            .await,
        "unauthenticated"
    );

    // Comments are edited by their authors and deleted by them or the group's moderators.
    let vars = json!({ "commentId": first_comment, "text": "Who brings tulips?" });
    let edited = g.mia.gql.data(UPDATE_COMMENT, vars.clone()).await;
    assert_eq!(edited["updateComment"]["text"], "Who brings tulips?");
    assert_eq!(
        g.olga.gql.error_code(UPDATE_COMMENT, vars).await,
        "forbidden"
    );
    let vars = json!({ "commentId": first_comment });
    assert_eq!(
        g.vic.gql.error_code(DELETE_COMMENT, vars.clone()).await,
        "not_found"
    );
    let deleted = g.olga.gql.data(DELETE_COMMENT, vars).await;
    assert!(
        deleted["deleteComment"]["deletedAt"].is_string(),
        "{deleted:#}"
    );
    assert_eq!(deleted["deleteComment"]["text"], "");

    // Its creator renames it; an outsider cannot delete it; its creator does.
    let vars = json!({ "discussionId": id, "title": "Seeds and bulbs" });
    let renamed = g.mia.gql.data(&update_discussion(), vars).await;
    assert_eq!(renamed["updateDiscussion"]["title"], "Seeds and bulbs");
    assert_eq!(renamed["updateDiscussion"]["slug"], slug.as_str());
    let vars = json!({ "discussionId": id });
    assert_eq!(
        g.vic.gql.error_code(DELETE_DISCUSSION, vars.clone()).await,
        "not_found"
    );
    let gone = g.mia.gql.data(DELETE_DISCUSSION, vars).await;
    assert_eq!(gone["deleteDiscussion"]["id"], id.as_str());
    let vars = json!({ "slug": slug, "page": 1, "limit": 10 });
    assert_eq!(
        g.mia.gql.error_code(&get_discussion(), vars).await,
        "not_found"
    );

    // Each member heard of the other's words by mail, with a link to the discussion.
    let mail = server.wait_for_mail(&g.olga.email, "mia started").await;
    assert!(
        mail.mail.text.contains("Who brings seeds?"),
        "{}",
        mail.mail.text
    );
    assert!(
        mail.mail.text.contains(&format!("/@garden/c/{slug}")),
        "{}",
        mail.mail.text
    );
    server.wait_for_mail(&g.mia.email, "olga answered").await;
    assert!(
        server
            .sent_mail()
            .iter()
            .all(|m| m.mail.to != g.vic.email || !m.mail.subject.contains("Seeds")),
        "an outsider hears nothing"
    );
}

async fn logged_in(server: &TestServer, member: &Member) -> Browser {
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

/// Posts a page's first form (its CSRF token) with `fields`; where it leads.
async fn submit(
    browser: &mut Browser,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> String {
    let form = browser.get(page).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let csrf = form.csrf();
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    let sent = browser.post(action, &all).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    sent.location.expect("a redirection")
}

#[tokio::test]
async fn members_start_answer_rename_and_delete_a_discussion_from_the_pages_without_javascript() {
    let server = TestServer::start().await;
    let g = garden(&server).await;
    let mut mia = logged_in(&server, &g.mia).await;
    let mut olga = logged_in(&server, &g.olga).await;
    let mut vic = logged_in(&server, &g.vic).await;

    // The group page links its discussions for members only.
    let group_page = mia.get("/@garden").await;
    assert!(
        group_page.body.contains("href=\"/@garden/discussions\""),
        "{}",
        group_page.body
    );
    assert!(
        !vic.get("/@garden")
            .await
            .body
            .contains("/@garden/discussions")
    );
    assert_eq!(
        vic.get("/@garden/discussions").await.status,
        StatusCode::FORBIDDEN
    );
    let anonymous = Browser::new(&server.base_url)
        .get("/@garden/discussions")
        .await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location.unwrap().starts_with("/login"));

    let list = mia.get("/@garden/discussions").await;
    assert!(
        list.body.contains("for=\"discussion_title\""),
        "a labelled title"
    );
    assert!(
        list.body.contains("for=\"discussion_text\""),
        "a labelled text"
    );
    let path = submit(
        &mut mia,
        "/@garden/discussions",
        "/@garden/discussions",
        &[
            ("title", "Tools"),
            ("text", "Who has a <spade>?\n\nI lost mine."),
        ],
    )
    .await;
    assert!(path.starts_with("/@garden/c/tools-"), "{path}");
    let shown = olga.get(&path).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("<h1>Tools</h1>"), "{}", shown.body);
    assert!(
        shown
            .body
            .contains("<p>Who has a &lt;spade&gt;?</p><p>I lost mine.</p>")
    );
    assert_eq!(vic.get(&path).await.status, StatusCode::NOT_FOUND);

    let answered = submit(&mut olga, &path, &path, &[("text", "Take mine")]).await;
    assert!(
        answered.starts_with(&format!("{path}#comment-")),
        "{answered}"
    );
    let listed = mia.get("/@garden/discussions").await;
    assert!(
        listed.body.contains("Take mine"),
        "the last word: {}",
        listed.body
    );

    // Mia renames her discussion; Olga, the group's administrator, may too; a comment is
    // edited by its author and deleted by the moderator, leaving a tombstone.
    let renamed = submit(
        &mut mia,
        &path,
        &format!("{path}/rename"),
        &[("title", "Garden tools")],
    )
    .await;
    assert_eq!(renamed, path, "the address stays");
    let page = mia.get(&path).await;
    assert!(page.body.contains("<h1>Garden tools</h1>"));
    let uuid = answered.rsplit("#comment-").next().unwrap().to_owned();
    assert!(
        !page.body.contains(&format!("{path}/comments/{uuid}/edit")),
        "only its author edits a comment"
    );
    let edited = submit(
        &mut olga,
        &path,
        &format!("{path}/comments/{uuid}/edit"),
        &[("text", "Take mine, it is in the shed")],
    )
    .await;
    assert!(edited.ends_with(&uuid));
    assert!(olga.get(&path).await.body.contains("it is in the shed"));
    let first = page
        .body
        .split("id=\"comment-")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    submit(
        &mut olga,
        &path,
        &format!("{path}/comments/{first}/delete"),
        &[],
    )
    .await;
    let page = mia.get(&path).await;
    assert!(page.body.contains("This comment was deleted."));
    assert!(!page.body.contains("I lost mine."));

    // In French, for a member who reads French.
    g.mia
        .gql
        .data(
            "mutation { updateLocale(locale: \"fr\") { locale } }",
            json!({}),
        )
        .await;
    let mut french = logged_in(&server, &g.mia).await;
    let page = french.get(&path).await;
    assert!(page.body.contains("Votre réponse"), "{}", page.body);
    assert!(page.body.contains("Supprimer la discussion"));

    // Deleting asks first, then the discussion is gone.
    let confirm = mia.get(&format!("{path}/delete")).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("Garden tools"));
    let gone = submit(
        &mut mia,
        &format!("{path}/delete"),
        &format!("{path}/delete"),
        &[],
    )
    .await;
    assert_eq!(gone, "/@garden/discussions");
    assert_eq!(olga.get(&path).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_member_who_stops_the_mails_gets_none_and_the_others_still_do() {
    let server = TestServer::start().await;
    let g = garden(&server).await;
    let mut olga = logged_in(&server, &g.olga).await;
    let page = olga.get("/@garden/discussions").await;
    assert!(page.body.contains("Stop these mails"), "{}", page.body);
    let back = submit(
        &mut olga,
        "/@garden/discussions",
        "/@garden/discussions/mail",
        &[("wanted", "off")],
    )
    .await;
    assert_eq!(back, "/@garden/discussions");
    assert!(
        olga.get("/@garden/discussions")
            .await
            .body
            .contains("Receive these mails")
    );

    let vars = json!({ "title": "Quiet", "actorId": g.group_id, "text": "Anyone?" });
    let started = g.mia.gql.data(&create_discussion(), vars).await;
    let id = str_at(&started, "/createDiscussion/id").to_owned();
    g.olga
        .gql
        .data(
            &reply_to_discussion(),
            json!({ "discussionId": id, "text": "Here" }),
        )
        .await;
    server.wait_for_mail(&g.mia.email, "olga answered").await;
    assert!(
        server
            .sent_mail()
            .iter()
            .all(|m| !(m.mail.to == g.olga.email && m.mail.subject.contains("Quiet"))),
        "Olga asked for none"
    );
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

/// A `Create` of a `Note` as Mobilizon sends a member's answer in a group's discussion: the
/// member is `actor`, the group `attributedTo`, the discussion `context`.
fn answer(author: &str, n: u32, group: &str, discussion: &str, content: &str) -> String {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{author}/comments/{n}/activity"),
        "type": "Create",
        "actor": author,
        "to": [group],
        "object": {
            "id": format!("{author}/comments/{n}"),
            "type": "Note",
            "actor": author,
            "attributedTo": group,
            "context": discussion,
            "inReplyTo": discussion,
            "content": content,
            "mediaType": "text/html",
            "published": chrono::Utc::now().to_rfc3339(),
            "to": [group],
        },
    })
    .to_string()
}

#[tokio::test]
async fn a_member_on_another_instance_answers_with_a_note_in_mobilizons_shape_once() {
    let a = federating::server().await;
    let b = federating::server().await;
    let g = garden(&a).await;
    let vars = json!({ "title": "Seeds", "actorId": g.group_id, "text": "Who brings seeds?" });
    let started = g.mia.gql.data(&create_discussion(), vars).await;
    let slug = str_at(&started, "/createDiscussion/slug").to_owned();
    let discussion_url = a.ctx.url(&format!("/@garden/c/{slug}"));
    let group_url = a.ctx.url("/@garden");
    let inbox = a.ctx.url("/inbox");
    let (zoe, zoe_id) = person_with_keys(&b, "zoe").await;
    let (sam, sam_id) = person_with_keys(&b, "sam").await;

    // Before she is a member, her answer is refused and kept nowhere.
    let note = answer(&zoe_id, 1, &group_url, &discussion_url, "<p>Bulbs!</p>");
    let refused = SignedPost::new(&inbox, &note).send(&zoe).await;
    assert!(refused.status().is_client_error(), "{}", refused.status());
    // Zoe joins (her membership as this instance keeps it), then answers.
    let zoe_here = backend::actors::remote::find_by_ap_id(&a.ctx.db, &zoe_id)
        .await
        .unwrap()
        .expect("zoe is known since she wrote");
    {
        use sea_orm::{ActiveModelTrait, NotSet, Set};
        let now = a.ctx.now();
        entity::member::ActiveModel {
            id: NotSet,
            actor_id: Set(zoe_here.id),
            group_id: Set(g.group_id.parse().unwrap()),
            role: Set(entity::MemberRole::Member),
            invited_by_id: Set(None),
            ap_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&a.ctx.db)
        .await
        .unwrap();
    }
    for _ in 0..2 {
        let sent = SignedPost::new(&inbox, &note).send(&zoe).await;
        assert!(sent.status().is_success(), "{}", sent.status());
    }
    let vars = json!({ "slug": slug, "page": 1, "limit": 10 });
    let read = g.mia.gql.data(&get_discussion(), vars).await;
    let comments = &read["discussion"]["comments"];
    assert_eq!(
        comments["total"], 2,
        "the same note twice is one answer: {comments:#}"
    );
    assert_eq!(str_at(comments, "/elements/1/text"), "<p>Bulbs!</p>");
    assert_eq!(
        str_at(comments, "/elements/1/actor/preferredUsername"),
        "zoe"
    );
    a.wait_for_mail(&g.mia.email, "answered").await;

    // Sam, who is not a member, cannot answer.
    let note = answer(&sam_id, 1, &group_url, &discussion_url, "<p>Let me in</p>");
    let refused = SignedPost::new(&inbox, &note).send(&sam).await;
    assert!(refused.status().is_client_error(), "{}", refused.status());
}
