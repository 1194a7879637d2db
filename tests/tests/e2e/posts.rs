//! Group posts, end to end: a moderator writes one from the group's page, visitors read it
//! there and in the group's Atom feed (parsed), members-only posts and drafts stay with the
//! members, a member who is not a moderator cannot post, Mobilizon's operations answer in its
//! shapes, and an instance following the group receives the `Article`, its change and its
//! deletion.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::TestServer;
use tests::browser::Browser;
use tests::federating::{self, wait_for};
use tests::people::{Member, sign_up};

const CREATE_GROUP: &str = "mutation($u: String!) {
    createGroup(preferredUsername: $u, name: \"Repair collective\", openness: OPEN, visibility: PUBLIC) { id }
}";
const JOIN: &str = "mutation($g: ID!) { joinGroup(groupId: $g) { id role } }";
const CREATE_POST: &str = "mutation($g: ID!, $title: String!, $body: String!, $v: PostVisibility, $draft: Boolean, $tags: [String]) {
    createPost(attributedToId: $g, title: $title, body: $body, visibility: $v, draft: $draft, tags: $tags) {
        id slug url title body draft visibility language publishAt insertedAt
        author { id preferredUsername } attributedTo { id preferredUsername }
        tags { slug title } picture { id }
    }
}";
const UPDATE_POST: &str = "mutation($id: ID!, $title: String, $draft: Boolean) {
    updatePost(id: $id, title: $title, draft: $draft) { id title draft publishAt }
}";
const DELETE_POST: &str = "mutation($id: ID!) { deletePost(id: $id) { id } }";
const POST: &str = "query($slug: String!) { post(slug: $slug) { id title body visibility draft } }";
const GROUP_POSTS: &str = "query($u: String!) {
    group(preferredUsername: $u) { posts(page: 1, limit: 10) { total elements { title draft visibility } } }
}";

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

/// Writes a post through the page's form; the post's path.
async fn write_from_page(browser: &mut Browser, fields: &[(&str, &str)]) -> String {
    let form = browser.get("/@repair/posts/new").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("for=\"post_title\""), "a labelled title");
    let csrf = form.csrf();
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    let written = browser.post("/@repair/posts/new", &all).await;
    assert_eq!(written.status, StatusCode::SEE_OTHER, "{}", written.body);
    let to = written.location.expect("to the post");
    assert!(to.starts_with("/p/"), "{to}");
    to
}

/// The entries of an Atom document, read by an XML parser: (id, title, content).
fn atom_entries(atom: &str) -> Vec<(String, String, String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(atom);
    let mut entries = Vec::new();
    let mut current: Option<(String, String, String)> = None;
    let mut field = String::new();
    loop {
        match reader.read_event().expect("well-formed Atom") {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if name == "entry" {
                    current = Some(Default::default());
                }
                field = name;
            }
            Event::Text(text) => {
                let text = text.decode().expect("text").into_owned();
                if let Some(entry) = current.as_mut() {
                    match field.as_str() {
                        "id" => entry.0.push_str(&text),
                        "title" => entry.1.push_str(&text),
                        "content" => entry.2.push_str(&text),
                        _ => {}
                    }
                }
            }
            Event::GeneralRef(r) => {
                let name = String::from_utf8_lossy(&r).into_owned();
                let text = match name.as_str() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                };
                if let Some(entry) = current.as_mut()
                    && field == "content"
                {
                    entry.2.push_str(text);
                }
            }
            Event::End(e) => {
                if e.name().as_ref() == b"entry" {
                    entries.extend(current.take());
                }
                field.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    entries
}

#[tokio::test]
async fn a_moderator_writes_a_post_from_the_page_and_visitors_read_it_on_the_group_page_and_in_its_feed()
 {
    let server = TestServer::start().await;
    let olga = sign_up(&server, "olga").await;
    let group = olga.gql.data(CREATE_GROUP, json!({ "u": "repair" })).await;
    let group_id = group["createGroup"]["id"].as_str().unwrap().to_owned();
    let mia = sign_up(&server, "mia").await;
    mia.gql.data(JOIN, json!({ "g": group_id })).await;

    let mut moderator = logged_in(&server, &olga).await;
    let page = moderator.get("/@repair").await;
    assert!(
        page.body.contains("href=\"/@repair/posts/new\""),
        "{}",
        page.body
    );
    let public = write_from_page(
        &mut moderator,
        &[
            ("title", "The room changed"),
            ("body", "We meet in **room 4** now."),
            ("visibility", "public"),
        ],
    )
    .await;
    let private = write_from_page(
        &mut moderator,
        &[
            ("title", "Keys for members"),
            ("body", "The code is 1234."),
            ("visibility", "private"),
        ],
    )
    .await;
    let draft = write_from_page(
        &mut moderator,
        &[
            ("title", "Next season"),
            ("body", "Soon."),
            ("visibility", "public"),
            ("draft", "on"),
        ],
    )
    .await;

    // A visitor: the public post on the group page and its own page, nothing else.
    let mut visitor = Browser::new(&server.base_url);
    let group_page = visitor.get("/@repair").await;
    assert!(
        group_page.body.contains("The room changed"),
        "{}",
        group_page.body
    );
    assert!(!group_page.body.contains("Keys for members"));
    assert!(!group_page.body.contains("Next season"));
    assert!(!group_page.body.contains("/posts/new"));
    let shown = visitor.get(&public).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(
        shown.body.contains("<strong>room 4</strong>"),
        "{}",
        shown.body
    );
    assert!(!shown.body.contains("/edit\""), "no edit link for visitors");
    for hidden in [&private, &draft] {
        assert_eq!(visitor.get(hidden).await.status, StatusCode::NOT_FOUND);
    }

    // The group's feed carries the public post beside its events, and only it.
    let feed = visitor.get("/@repair/feed/atom").await;
    assert_eq!(feed.status, StatusCode::OK);
    let entries = atom_entries(&feed.body);
    assert_eq!(entries.len(), 1, "{}", feed.body);
    let (id, title, content) = &entries[0];
    assert_eq!(id, &server.ctx.url(&public));
    assert_eq!(title, "The room changed");
    assert!(content.contains("<strong>room 4</strong>"), "{content}");

    // A member sees the members-only post and the draft, and may not write.
    let mut member = logged_in(&server, &mia).await;
    let group_page = member.get("/@repair").await;
    for title in ["The room changed", "Keys for members", "Next season"] {
        assert!(group_page.body.contains(title), "{title}");
    }
    assert!(!group_page.body.contains("/posts/new"));
    for path in [&private, &draft] {
        assert_eq!(member.get(path).await.status, StatusCode::OK);
    }
    assert_eq!(
        member.get("/@repair/posts/new").await.status,
        StatusCode::FORBIDDEN
    );
    let csrf = member.get("/@repair").await.csrf();
    let refused = member
        .post(
            "/@repair/posts/new",
            &[("csrf", &csrf), ("title", "Mine"), ("body", "Hello")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let code = mia
        .gql
        .error_code(
            CREATE_POST,
            json!({ "g": group_id, "title": "Mine", "body": "<p>Hello</p>" }),
        )
        .await;
    assert_eq!(code, "forbidden");

    // A problem comes back beside its field.
    let csrf = moderator.get("/@repair/posts/new").await.csrf();
    let empty = moderator
        .post(
            "/@repair/posts/new",
            &[("csrf", &csrf), ("title", "No text"), ("body", "   ")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty
            .body
            .contains("aria-describedby=\"post_body-error body-hint\""),
        "{}",
        empty.body
    );

    // Deleting asks first, then the post is gone.
    let question = moderator.get(&format!("{public}/delete")).await;
    assert!(
        question.body.contains("The room changed"),
        "{}",
        question.body
    );
    let csrf = question.csrf();
    let deleted = moderator
        .post(&format!("{public}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert_eq!(visitor.get(&public).await.status, StatusCode::NOT_FOUND);
    assert!(atom_entries(&visitor.get("/@repair/feed/atom").await.body).is_empty());
}

#[tokio::test]
async fn mobilizons_post_operations_answer_in_its_shapes_and_hide_drafts_from_outsiders() {
    let server = TestServer::start().await;
    let olga = sign_up(&server, "olga").await;
    let group = olga.gql.data(CREATE_GROUP, json!({ "u": "repair" })).await;
    let group_id = group["createGroup"]["id"].as_str().unwrap().to_owned();
    let created = olga
        .gql
        .data(
            CREATE_POST,
            json!({ "g": group_id, "title": "Soon", "body": "<p>Plans</p><script>x()</script>",
                    "draft": true, "tags": ["Vélo", null] }),
        )
        .await;
    let post = &created["createPost"];
    assert_eq!(post["body"], "<p>Plans</p>");
    assert_eq!(post["draft"], true);
    assert_eq!(post["visibility"], "PUBLIC");
    assert_eq!(post["language"], "und");
    assert_eq!(post["publishAt"], Value::Null);
    assert_eq!(post["attributedTo"]["preferredUsername"], "repair");
    assert_eq!(post["author"]["preferredUsername"], "olga");
    assert_eq!(post["tags"][0]["title"], "Vélo");
    let slug = post["slug"].as_str().unwrap().to_owned();
    assert_eq!(post["url"], server.ctx.url(&format!("/p/{slug}")));
    let id = post["id"].as_str().unwrap().to_owned();

    let anonymous = server.gql();
    assert_eq!(
        anonymous.error_code(POST, json!({ "slug": slug })).await,
        "not_found"
    );
    let listed = anonymous.data(GROUP_POSTS, json!({ "u": "repair" })).await;
    assert_eq!(listed["group"]["posts"]["total"], 0);
    let listed = olga.gql.data(GROUP_POSTS, json!({ "u": "repair" })).await;
    assert_eq!(listed["group"]["posts"]["total"], 1);

    let published = olga
        .gql
        .data(
            UPDATE_POST,
            json!({ "id": id, "title": "Now", "draft": false }),
        )
        .await;
    assert_eq!(published["updatePost"]["title"], "Now");
    assert!(published["updatePost"]["publishAt"].is_string());
    let seen = anonymous.data(POST, json!({ "slug": slug })).await;
    assert_eq!(seen["post"]["title"], "Now");

    let deleted = olga.gql.data(DELETE_POST, json!({ "id": id })).await;
    assert_eq!(deleted["deletePost"]["id"], id.as_str());
    assert_eq!(
        anonymous.error_code(POST, json!({ "slug": slug })).await,
        "not_found"
    );
}

#[tokio::test]
async fn an_instance_following_the_group_receives_its_article_then_its_change_and_deletion() {
    let a = federating::server().await;
    let b = federating::server().await;
    let alice = sign_up(&a, "alice").await;
    let group = alice.gql.data(CREATE_GROUP, json!({ "u": "repair" })).await;
    let group_id = group["createGroup"]["id"].as_str().unwrap().to_owned();
    sign_up(&b, "bob").await;
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

    let created = alice
        .gql
        .data(
            CREATE_POST,
            json!({ "g": group_id, "title": "The room changed", "body": "<p>Room 4</p>" }),
        )
        .await;
    let id = created["createPost"]["id"].as_str().unwrap().to_owned();
    let url = created["createPost"]["url"].as_str().unwrap().to_owned();
    let copy = wait_for("the post on B", || async {
        backend::posts::find_by_ap_id(&b.ctx.db, &url)
            .await
            .unwrap()
    })
    .await;
    assert_eq!(copy.title, "The room changed");
    assert_eq!(copy.body, "<p>Room 4</p>");
    assert!(!copy.local);
    assert_eq!(copy.group_id, follow.target_id);
    let author = backend::actors::find(&b.ctx.db, copy.author_id)
        .await
        .unwrap();
    assert_eq!(
        author.preferred_username, "alice",
        "its author, not only its group"
    );
    // B shows it on its page of the group.
    let page = reqwest::get(b.url(&format!("/@repair@{a_host}")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("The room changed"), "{page}");

    alice
        .gql
        .data(
            UPDATE_POST,
            json!({ "id": id, "title": "The room changed again" }),
        )
        .await;
    wait_for("the change on B", || async {
        let post = backend::posts::find_by_ap_id(&b.ctx.db, &url)
            .await
            .unwrap()?;
        (post.title == "The room changed again").then_some(())
    })
    .await;
    alice.gql.data(DELETE_POST, json!({ "id": id })).await;
    wait_for("the deletion on B", || async {
        backend::posts::find_by_ap_id(&b.ctx.db, &url)
            .await
            .unwrap()
            .is_none()
            .then_some(())
    })
    .await;
}
