//! What Mastodon makes of what we send it, checked against its own rules for an incoming
//! `Create`, as written in mastodon/mastodon (`app/lib/activitypub/activity/create.rb`,
//! `activity.rb`, `parser/status_parser.rb`, `parser/media_attachment_parser.rb`):
//!
//! - `Note` and `Question` become statuses with their `content` as text and their `summary`
//!   as a content warning; `Image`, `Audio`, `Video`, `Article`, `Page` and `Event` are
//!   "converted": the text is the `name`, the `summary` and the link (`url`, else `id`), one
//!   paragraph each, and there is no content warning; any other type is refused.
//! - the link is `url` (a string, or the `text/html` one of a list of links), else `id`;
//! - attachments with a `url` become media (at most 9), described by `summary` or `name`;
//!   those without (`Link`s with `href`, `PropertyValue`s) are skipped;
//! - the visibility: public when `to` has the public collection, unlisted when `cc` has it,
//!   followers-only when `to` has the sender's followers, else direct;
//! - `Hashtag` tags become tags (their `name` without `#`, in lower case); `Mention` tags
//!   mention the account their `href` names (`process_mention`);
//! - `inReplyTo` (an id or an object with one) makes it a reply in that thread.
//!
//! And for an actor (`fetch_remote_actor_service.rb`, `process_account_service.rb`): its type
//! is one of `Application`, `Group`, `Organization`, `Person`, `Service`, its `@context` is
//! ActivityStreams', it has a `preferredUsername` (the account's name, at the id's host) and an
//! `inbox`, else it is refused; `name` is the display name, `summary` the bio,
//! `manuallyApprovesFollowers` locks it, `url` is its profile link only when on the id's host,
//! `icon` and `image` are its avatar and header (their `url`), and `publicKey.publicKeyPem`
//! its key.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use backend::comments::{NewComment, Target};
use backend::testing::{TestContext, new_event};
use chrono::Duration;
use serde_json::Value;

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";
const SUPPORTED_TYPES: [&str; 2] = ["Note", "Question"];
const CONVERTED_TYPES: [&str; 6] = ["Image", "Audio", "Video", "Article", "Page", "Event"];

/// A status as Mastodon stores it from an object.
#[derive(Debug)]
struct Status {
    text: String,
    spoiler_text: String,
    url: String,
    /// (remote URL, description)
    media: Vec<(String, Option<String>)>,
    visibility: &'static str,
    tags: Vec<String>,
    /// The accounts mentioned, by their actor's id.
    mentions: Vec<String>,
    in_reply_to: Option<String>,
}

fn as_array(value: &Value) -> Vec<Value> {
    match value {
        Value::Null => Vec::new(),
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    }
}

fn value_or_id(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Object(map) => map.get("id").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

/// JsonLdHelper's `url_to_href`: a string, or the `href` of the first link (of that type).
fn url_to_href(value: &Value, media_type: Option<&str>) -> Option<String> {
    let links = as_array(value);
    let chosen = media_type
        .and_then(|t| links.iter().find(|l| l["mediaType"].as_str() == Some(t)))
        .or(links.first())?;
    match chosen {
        Value::String(s) => Some(s.clone()),
        other => other["href"].as_str().map(str::to_owned),
    }
}

fn present(value: &Value) -> Option<String> {
    value
        .as_str()
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}

fn mastodon_status(object: &Value, followers: &str) -> Option<Status> {
    let kind = object["type"].as_str()?;
    let converted = CONVERTED_TYPES.contains(&kind);
    if !converted && !SUPPORTED_TYPES.contains(&kind) {
        return None;
    }
    let id = object["id"].as_str()?.to_owned();
    let url = url_to_href(&object["url"], Some("text/html")).unwrap_or_else(|| id.clone());
    let summary = present(&object["summary"]);
    let (text, spoiler_text) = if converted {
        let paragraphs: Vec<String> = [present(&object["name"]), summary, Some(url.clone())]
            .into_iter()
            .flatten()
            .collect();
        (paragraphs.join("\n\n"), String::new())
    } else {
        (
            present(&object["content"]).unwrap_or_default(),
            summary.unwrap_or_default(),
        )
    };
    let media = as_array(&object["attachment"])
        .iter()
        .filter_map(|a| {
            let url = url_to_href(&a["url"], None)?;
            let description = present(&a["summary"]).or_else(|| present(&a["name"]));
            Some((url, description))
        })
        .take(9)
        .collect();
    let ids = |key: &str| -> Vec<String> {
        as_array(&object[key])
            .iter()
            .filter_map(value_or_id)
            .collect()
    };
    let visibility = if ids("to").iter().any(|t| t == PUBLIC) {
        "public"
    } else if ids("cc").iter().any(|c| c == PUBLIC) {
        "unlisted"
    } else if ids("to").iter().any(|t| t == followers) {
        "private"
    } else {
        "direct"
    };
    let tags = as_array(&object["tag"])
        .iter()
        .filter(|t| t["type"].as_str() == Some("Hashtag"))
        .filter_map(|t| t["name"].as_str())
        .map(|n| n.trim_start_matches('#').to_lowercase())
        .collect();
    let mentions = as_array(&object["tag"])
        .iter()
        .filter(|t| t["type"].as_str() == Some("Mention"))
        .filter_map(|t| t["href"].as_str())
        .map(str::to_owned)
        .collect();
    Some(Status {
        text,
        spoiler_text,
        url,
        media,
        visibility,
        tags,
        mentions,
        in_reply_to: value_or_id(&object["inReplyTo"]),
    })
}

const ACTOR_TYPES: [&str; 5] = ["Application", "Group", "Organization", "Person", "Service"];

/// An account as Mastodon stores it from an actor's document.
#[derive(Debug)]
struct Account {
    username: String,
    domain: String,
    kind: String,
    display_name: String,
    note: String,
    locked: bool,
    url: String,
    avatar: Option<String>,
    header: Option<String>,
    inbox: String,
    shared_inbox: Option<String>,
    followers: Option<String>,
    public_key: String,
}

fn image_url(value: &Value) -> Option<String> {
    let first = as_array(value).into_iter().next()?;
    first["url"].as_str().map(str::to_owned)
}

fn mastodon_account(document: &Value) -> Option<Account> {
    let context = as_array(&document["@context"]);
    if !context
        .iter()
        .any(|c| c == "https://www.w3.org/ns/activitystreams")
    {
        return None;
    }
    let kind = document["type"].as_str()?;
    if !ACTOR_TYPES.contains(&kind) {
        return None;
    }
    let id = url::Url::parse(document["id"].as_str()?).ok()?;
    let username = present(&document["preferredUsername"])?;
    let inbox = present(&document["inbox"])?;
    let url = url_to_href(&document["url"], Some("text/html"))
        .filter(|u| url::Url::parse(u).is_ok_and(|u| u.host_str() == id.host_str()))
        .unwrap_or_else(|| id.to_string());
    let shared_inbox = document["endpoints"]["sharedInbox"]
        .as_str()
        .or(document["sharedInbox"].as_str())
        .map(str::to_owned);
    Some(Account {
        username,
        domain: id.host_str()?.to_owned(),
        kind: kind.to_owned(),
        display_name: present(&document["name"]).unwrap_or_default(),
        note: present(&document["summary"]).unwrap_or_default(),
        locked: document["manuallyApprovesFollowers"]
            .as_bool()
            .unwrap_or(false),
        url,
        avatar: image_url(&document["icon"]),
        header: image_url(&document["image"]),
        inbox,
        shared_inbox,
        followers: present(&document["followers"]),
        public_key: document["publicKey"]["publicKeyPem"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    })
}

#[tokio::test]
async fn mastodon_shows_our_group_as_a_group_account_with_its_name_bio_avatar_and_page() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let group = backend::groups::service::create(
        &t.ctx,
        &alice.actor,
        backend::groups::service::NewGroup {
            preferred_username: "repair".to_owned(),
            name: Some("Repair collective".to_owned()),
            summary: Some("<p>We mend bikes and toasters.</p>".to_owned()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let logo = backend::media::upload(
        &t.ctx,
        &alice.principal(),
        backend::media::Upload {
            bytes: backend::testing::pictures::jpeg_with_gps(400, 400),
            name: "Logo".to_owned(),
            alt: None,
            purpose: entity::MediaPurpose::Avatar,
            identity: None,
        },
    )
    .await
    .unwrap();
    backend::media::set_actor_picture(
        &t.ctx,
        &alice.principal(),
        group.id,
        backend::media::ActorPicture::Avatar,
        Some(&logo.uuid),
    )
    .await
    .unwrap();
    let group = backend::actors::find(&t.ctx.db, group.id).await.unwrap();
    let group = federation::objects::actor::ApActor::local_with_keys(&t.ctx, group)
        .await
        .unwrap()
        .model;
    let document = federation::objects::actor::to_json(&t.ctx, &group)
        .await
        .unwrap();
    let document = serde_json::to_value(federation::protocol::WithContext::new(&document)).unwrap();
    let account = mastodon_account(&document).expect("a Group is an account, not refused");

    assert_eq!(account.kind, "Group", "shown with Mastodon's group badge");
    assert_eq!(account.username, "repair");
    assert_eq!(
        account.domain,
        url::Url::parse(&group.ap_id).unwrap().host_str().unwrap()
    );
    assert_eq!(account.display_name, "Repair collective");
    assert!(
        account.note.contains("We mend bikes and toasters."),
        "{account:?}"
    );
    assert!(!account.locked, "an open group takes followers at once");
    assert_eq!(
        Some(account.url.as_str()),
        group.url.as_deref(),
        "the group's page, on our host: {account:?}"
    );
    let avatar = account.avatar.as_deref().expect("the logo as its avatar");
    assert!(avatar.contains(&logo.uuid), "{avatar}");
    assert!(account.header.is_none());
    assert_eq!(Some(account.inbox.as_str()), group.inbox_url.as_deref());
    assert_eq!(account.shared_inbox, group.shared_inbox_url);
    assert_eq!(account.followers, group.followers_url);
    assert_eq!(
        Some(account.public_key.as_str()),
        group.public_key_pem.as_deref()
    );
}

#[tokio::test]
async fn mastodon_shows_our_event_as_a_status_with_its_name_when_where_and_link() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let mut new = new_event("Repair café", t.ctx.now() + Duration::days(3));
    new.tags = Some(vec!["Repair".to_owned(), "bikes".to_owned()]);
    new.online_address = Some("https://meet.example.org/repair".to_owned());
    let event = backend::events::service::create(&t.ctx, &alice.principal(), new)
        .await
        .unwrap();
    let document = federation::objects::event::to_json(&t.ctx, &t.ctx.db, &event)
        .await
        .unwrap();
    let object = serde_json::to_value(&document).unwrap();
    let followers = alice.actor.followers_url.clone().unwrap_or_default();
    let status = mastodon_status(&object, &followers).expect("an Event is converted, not refused");

    let paragraphs: Vec<&str> = status.text.split("\n\n").collect();
    assert_eq!(paragraphs[0], "Repair café", "{status:?}");
    assert!(
        paragraphs[1].starts_with("🗓️ "),
        "when, in the summary: {status:?}"
    );
    assert!(
        paragraphs[1].contains("🌐 https://meet.example.org/repair"),
        "{status:?}"
    );
    assert_eq!(paragraphs[2], event.url, "the link to the event page");
    assert_eq!(status.url, event.url);
    assert_eq!(status.spoiler_text, "", "no content warning");
    assert_eq!(status.visibility, "public");
    let mut tags = status.tags.clone();
    tags.sort();
    assert_eq!(tags, ["bikes", "repair"]);
    // The online address is a `Link` for Mobilizon, not a picture Mastodon would fetch.
    assert!(status.media.is_empty(), "{:?}", status.media);
    assert!(status.in_reply_to.is_none());
}

#[tokio::test]
async fn mastodon_shows_our_comment_as_a_reply_to_the_event_with_its_text() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let event = backend::events::service::create(
        &t.ctx,
        &alice.principal(),
        new_event("Repair café", t.ctx.now() + Duration::days(3)),
    )
    .await
    .unwrap();
    let posted = backend::comments::create(
        &t.ctx,
        &alice.principal(),
        NewComment {
            target: Target::Event(event.id),
            text: "<p>Bring your <b>broken</b> toaster!</p>".to_owned(),
            is_announcement: false,
            language: None,
            identity: None,
            remote: None,
        },
    )
    .await
    .unwrap();
    let note = federation::objects::comment::to_note(&t.ctx.db, posted.comment())
        .await
        .unwrap();
    let object = serde_json::to_value(&note).unwrap();
    let followers = alice.actor.followers_url.clone().unwrap_or_default();
    let status = mastodon_status(&object, &followers).expect("a Note is a status");
    assert!(
        status.text.contains("Bring your <b>broken</b> toaster!"),
        "{status:?}"
    );
    assert_eq!(status.spoiler_text, "", "no content warning");
    assert_eq!(status.in_reply_to.as_deref(), Some(event.ap_id.as_str()));
    assert_eq!(status.visibility, "public");
    assert!(status.media.is_empty());
    assert!(status.mentions.is_empty());
}

#[tokio::test]
async fn mastodon_notifies_the_people_our_comment_mentions_as_it_does_for_its_own() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let bob = t.person("bob").await;
    let zoe = t
        .remote_actor("zoe", entity::actor::ActorKind::Person)
        .await;
    let event = backend::events::service::create(
        &t.ctx,
        &alice.principal(),
        new_event("Repair café", t.ctx.now() + Duration::days(3)),
    )
    .await
    .unwrap();
    let posted = backend::comments::create(
        &t.ctx,
        &alice.principal(),
        NewComment {
            target: Target::Event(event.id),
            text: "<p>@zoe@far.example and @bob: see you there</p>".to_owned(),
            is_announcement: false,
            language: None,
            identity: None,
            remote: None,
        },
    )
    .await
    .unwrap();
    let note = federation::objects::comment::to_note(&t.ctx.db, posted.comment())
        .await
        .unwrap();
    let object = serde_json::to_value(&note).unwrap();
    let host = url::Url::parse(&bob.actor.ap_id).unwrap();
    let host = match host.port() {
        Some(port) => format!("{}:{port}", host.host_str().unwrap()),
        None => host.host_str().unwrap().to_owned(),
    };
    let mut tags = as_array(&object["tag"]);
    tags.sort_by_key(|t| t["name"].as_str().map(str::to_owned));
    assert_eq!(
        tags,
        vec![
            serde_json::json!({"type": "Mention", "href": bob.actor.ap_id, "name": format!("@bob@{host}")}),
            serde_json::json!({"type": "Mention", "href": zoe.ap_id, "name": "@zoe@far.example"}),
        ]
    );
    let cc = as_array(&object["cc"]);
    assert!(cc.contains(&Value::from(zoe.ap_id.as_str())), "{cc:?}");
    let content = object["content"].as_str().unwrap();
    assert!(
        content.contains(&format!(
            "<a href=\"{}\" class=\"u-url mention\">@zoe@far.example</a>",
            zoe.ap_id
        )),
        "{content}"
    );
    let status = mastodon_status(&object, "").expect("a Note is a status");
    assert_eq!(
        status.visibility, "public",
        "mentions do not make it direct"
    );
    assert!(status.mentions.contains(&zoe.ap_id));
}

#[tokio::test]
async fn mastodon_shows_our_groups_post_as_a_public_status_with_its_title_and_link() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let group = backend::groups::service::create(
        &t.ctx,
        &alice.actor,
        backend::groups::service::NewGroup {
            preferred_username: "repair".to_owned(),
            name: Some("Repair".to_owned()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let post = backend::posts::create(
        &t.ctx,
        &alice.principal(),
        backend::posts::NewPost {
            group_id: group.id,
            title: "The room changed".to_owned(),
            body: backend::posts::Body::Html("<p>Room 4</p>".to_owned()),
            draft: false,
            visibility: entity::PostVisibility::Public,
            language: None,
            tags: Vec::new(),
            identity: None,
            remote: None,
        },
    )
    .await
    .unwrap()
    .into_post();
    let article = federation::objects::post::to_article(&t.ctx, &t.ctx.db, &post)
        .await
        .unwrap();
    let object = serde_json::to_value(&article).unwrap();
    assert_eq!(
        object["attributedTo"],
        group.ap_id.as_str(),
        "Mobilizon's shape"
    );
    assert_eq!(object["actor"], alice.actor.ap_id.as_str());
    let followers = group.followers_url.clone().unwrap_or_default();
    let status = mastodon_status(&object, &followers).expect("an Article is converted");
    let paragraphs: Vec<&str> = status.text.split("\n\n").collect();
    assert_eq!(
        paragraphs,
        ["The room changed", post.ap_id.as_str()],
        "{status:?}"
    );
    assert_eq!(status.url, post.ap_id, "the link to the post's page");
    assert_eq!(status.visibility, "public");
    assert!(status.media.is_empty());
    assert!(status.mentions.is_empty());
}

#[test]
fn mastodon_refuses_what_it_does_not_know_and_reads_its_own_toots_as_notes() {
    assert!(
        mastodon_status(
            &serde_json::json!({"type": "Group", "id": "https://x.example/g"}),
            ""
        )
        .is_none()
    );
    let path = format!(
        "{}/fixtures/activitypub/mastodon-post-activity.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let activity: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let toot = mastodon_status(&activity["object"], "").expect("a toot");
    assert_eq!(toot.spoiler_text, "cw");
}
