//! Organizers write to their participants, end to end: with plain forms, the organizer writes
//! to those going (a confirmation says how many people get it), a participant gets the mail,
//! answers on the site, and the organizer reads the answer; someone declined is not written
//! to; a participant cannot write to everyone; Mobilizon's GraphQL does the same.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::browser::Browser;
use tests::people::{Member, sign_up};
use tests::{TestServer, find_link};

const CREATE_EVENT: &str = "mutation($b: DateTime!) {
    createEvent(title: \"Soup night\", beginsOn: $b) { id uuid }
}";
const JOIN: &str = "mutation($event: ID!, $actor: ID) {
    joinEvent(eventId: $event, actorId: $actor) { id role }
}";
const DECIDE: &str = "mutation($id: ID!, $role: ParticipantRoleEnum!) {
    updateParticipation(id: $id, role: $role) { id role }
}";
const SEND: &str =
    "mutation($event: ID!, $actor: ID!, $text: String!, $roles: [ParticipantRoleEnum]) {
    sendEventPrivateMessage(eventId: $event, actorId: $actor, text: $text, roles: $roles) {
        id conversationParticipantId unread lastComment { text visibility }
    }
}";
const MINE: &str = "query {
    loggedPerson { unreadConversationsCount conversations {
        total elements { id conversationParticipantId unread event { title } lastComment { text actor { preferredUsername } } }
    } }
}";
const REPLY: &str = "mutation($actor: ID!, $conversation: ID!, $text: String!) {
    postPrivateMessage(actorId: $actor, conversationId: $conversation, text: $text) {
        id comments { total elements { text actor { preferredUsername } } }
    }
}";

struct Event {
    id: String,
    uuid: String,
}

async fn event_of(organizer: &Member) -> Event {
    let created = organizer
        .gql
        .data(CREATE_EVENT, json!({ "b": Utc::now() + Duration::days(2) }))
        .await;
    Event {
        id: created["createEvent"]["id"].as_str().unwrap().to_owned(),
        uuid: created["createEvent"]["uuid"].as_str().unwrap().to_owned(),
    }
}

async fn join(member: &Member, event: &Event) -> Value {
    member
        .gql
        .data(
            JOIN,
            json!({ "event": event.id, "actor": member.person_id }),
        )
        .await
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

#[tokio::test]
async fn the_organizer_writes_to_those_going_one_answers_on_the_site_and_the_organizer_reads_it() {
    let server = TestServer::start().await;
    let olga = sign_up(&server, "olga").await;
    let gus = sign_up(&server, "gus").await;
    let dora = sign_up(&server, "dora").await;
    let event = event_of(&olga).await;
    join(&gus, &event).await;
    let declined = join(&dora, &event).await;
    olga.gql
        .data(
            DECIDE,
            json!({ "id": declined["joinEvent"]["id"], "role": "REJECTED" }),
        )
        .await;

    // The organizer's form, then the confirmation of how many people get it.
    let mut organizer = logged_in(&server, &olga).await;
    let event_page = organizer.get(&format!("/events/{}", event.uuid)).await;
    assert!(event_page.body.contains("Write to participants"));
    let form = organizer
        .get(&format!("/events/{}/write", event.uuid))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("People going"), "{}", form.body);
    let csrf = form.csrf();
    let text = "The room changed: we meet upstairs.";
    let confirm = organizer
        .post(
            &format!("/events/{}/write", event.uuid),
            &[("csrf", &csrf), ("audience", "going"), ("text", text)],
        )
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(
        confirm.body.contains("This message goes to 1 person."),
        "{}",
        confirm.body
    );
    let sent = organizer
        .post(
            &format!("/events/{}/write", event.uuid),
            &[
                ("csrf", &csrf),
                ("audience", "going"),
                ("text", text),
                ("confirmed", "yes"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    assert_eq!(sent.location.as_deref(), Some("/messages?sent=1"));

    // The participant going gets it by mail, with a link to answer; the declined one not.
    let mail = server
        .wait_for_mail(&gus.email, "A message from the organizers")
        .await;
    assert!(mail.mail.text.contains(text), "{}", mail.mail.text);
    assert!(mail.mail.subject.contains("Soup night"));
    let link = find_link(&mail.mail.text, "/messages/").expect("answer link");
    let path = link
        .split_once("/messages/")
        .map(|(_, id)| format!("/messages/{id}"))
        .unwrap();
    assert!(
        server
            .sent_mail()
            .iter()
            .all(|m| !(m.mail.to == dora.email && m.mail.subject.contains("A message from"))),
        "the declined participant is not written to"
    );

    // They read it on the site and answer there.
    let mut guest = logged_in(&server, &gus).await;
    let list = guest.get("/messages").await;
    assert!(list.body.contains("Soup night"), "{}", list.body);
    assert!(list.body.contains("1 unread message<"), "{}", list.body);
    let page = guest.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(text), "{}", page.body);
    let csrf = page.csrf();
    let answered = guest
        .post(
            &path,
            &[("csrf", &csrf), ("text", "Thanks, we <will> find it")],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER);

    // The organizer sees the answer, unread, in their messages.
    let theirs = organizer.get("/messages").await;
    assert!(theirs.body.contains("1 unread message<"), "{}", theirs.body);
    assert!(theirs.body.contains("gus"), "{}", theirs.body);
    let href = theirs
        .body
        .split("href=\"/messages/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a conversation link");
    let conversation = organizer.get(&format!("/messages/{href}")).await;
    assert!(
        conversation
            .body
            .contains("Thanks, we &lt;will&gt; find it"),
        "{}",
        conversation.body
    );
    // Dora, declined, has nothing to read.
    let dora_mine = dora.gql.data(MINE, json!({})).await;
    assert_eq!(dora_mine["loggedPerson"]["conversations"]["total"], 0);
}

#[tokio::test]
async fn a_participant_cannot_write_to_everyone_and_mobilizons_api_writes_and_answers() {
    let server = TestServer::start().await;
    let olga = sign_up(&server, "olga").await;
    let gus = sign_up(&server, "gus").await;
    let event = event_of(&olga).await;
    join(&gus, &event).await;

    // A participant may not write to all, through the API or the page.
    let code = gus
        .gql
        .error_code(
            SEND,
            json!({ "event": event.id, "actor": gus.person_id, "text": "Hi all" }),
        )
        .await;
    assert_eq!(code, "forbidden");
    let mut guest = logged_in(&server, &gus).await;
    let refused = guest.get(&format!("/events/{}/write", event.uuid)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // The organizer writes through Mobilizon's mutation.
    let sent = olga
        .gql
        .data(
            SEND,
            json!({ "event": event.id, "actor": olga.person_id, "text": "<p>Bring bowls</p>",
                    "roles": ["PARTICIPANT"] }),
        )
        .await;
    let sent = &sent["sendEventPrivateMessage"];
    assert_eq!(sent["unread"], false, "the sender has read what they wrote");
    assert_eq!(sent["lastComment"]["visibility"], "PRIVATE");
    let nobody = olga
        .gql
        .error_code(
            SEND,
            json!({ "event": event.id, "actor": olga.person_id, "text": "Hi",
                    "roles": ["REJECTED"] }),
        )
        .await;
    assert_eq!(nobody, "no_recipients");

    let mine = gus.gql.data(MINE, json!({})).await;
    let person = &mine["loggedPerson"];
    assert_eq!(person["unreadConversationsCount"], 1);
    let first = &person["conversations"]["elements"][0];
    assert_eq!(first["unread"], true);
    assert_eq!(first["event"]["title"], "Soup night");
    assert_eq!(first["lastComment"]["text"], "<p>Bring bowls</p>");
    assert_eq!(first["lastComment"]["actor"]["preferredUsername"], "olga");

    let replied = gus
        .gql
        .data(
            REPLY,
            json!({ "actor": gus.person_id, "conversation": first["id"], "text": "Will do" }),
        )
        .await;
    assert_eq!(
        replied["postPrivateMessage"]["comments"]["total"], 2,
        "{replied:#}"
    );
    let read = gus
        .gql
        .data(
            "mutation($id: ID!) { updateConversation(conversationId: $id, read: true) { unread } }",
            json!({ "id": first["conversationParticipantId"] }),
        )
        .await;
    assert_eq!(read["updateConversation"]["unread"], false);

    // The organizer finds the answer on the event's conversations; others find none there.
    let query = "query($uuid: UUID!) { event(uuid: $uuid) { conversations {
        total elements { unread lastComment { text } } } } }";
    let theirs = olga.gql.data(query, json!({ "uuid": event.uuid })).await;
    let list = &theirs["event"]["conversations"];
    assert_eq!(list["total"], 1);
    assert_eq!(list["elements"][0]["unread"], true);
    assert_eq!(list["elements"][0]["lastComment"]["text"], "Will do");
    let others = gus.gql.data(query, json!({ "uuid": event.uuid })).await;
    assert_eq!(others["event"]["conversations"]["total"], 0);
    // A conversation is read by its own sides only.
    let code = gus
        .gql
        .error_code(
            "query($id: ID) { conversation(id: $id) { id } }",
            json!({ "id": sent["conversationParticipantId"] }),
        )
        .await;
    assert_eq!(code, "not_found");
}

#[tokio::test]
async fn the_header_and_the_list_say_how_many_messages_wait_until_the_conversation_is_opened() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let bob = sign_up(&server, "bob").await;
    let event = event_of(&alice).await;
    join(&bob, &event).await;
    let mut reader = logged_in(&server, &bob).await;
    let before = reader.get("/messages").await;
    assert!(!before.body.contains("class=\"badge\""), "{}", before.body);

    // Alice writes, then writes again in the same conversation.
    let sent = alice
        .gql
        .data(
            SEND,
            json!({ "event": event.id, "actor": alice.person_id, "text": "Room changed",
                    "roles": ["PARTICIPANT"] }),
        )
        .await;
    let conversation = sent["sendEventPrivateMessage"]["id"].clone();
    let page = reader.get("/messages").await;
    assert!(page.body.contains("1 unread message<"), "{}", page.body);
    assert!(
        page.body.contains(
            "<span class=\"badge\" aria-hidden=\"true\">1</span><span class=\"visually-hidden\">(1 conversation unread)</span>"
        ),
        "{}",
        page.body
    );
    alice
        .gql
        .data(
            REPLY,
            json!({ "actor": alice.person_id, "conversation": conversation, "text": "Room 4" }),
        )
        .await;
    let page = reader.get("/messages").await;
    assert!(page.body.contains("2 unread messages"), "{}", page.body);
    assert!(page.body.contains("(1 conversation unread)"));
    let mine = bob.gql.data(MINE, json!({})).await;
    assert_eq!(mine["loggedPerson"]["unreadConversationsCount"], 1);
    let first = mine["loggedPerson"]["conversations"]["elements"][0].clone();
    assert_eq!(first["unread"], true);

    // Bob opens it: nothing waits any more, in the header, the list or the API.
    let href = format!(
        "/messages/{}",
        first["conversationParticipantId"].as_str().unwrap()
    );
    let opened = reader.get(&href).await;
    assert_eq!(opened.status, StatusCode::OK);
    assert!(opened.body.contains("Room 4"));
    let page = reader.get("/messages").await;
    assert!(!page.body.contains("unread"), "{}", page.body);
    assert!(!page.body.contains("class=\"badge\""));
    let mine = bob.gql.data(MINE, json!({})).await;
    assert_eq!(mine["loggedPerson"]["unreadConversationsCount"], 0);
    assert_eq!(
        mine["loggedPerson"]["conversations"]["elements"][0]["unread"],
        false
    );

    // Marked unread again through Mobilizon's mutation: its last message waits.
    let unread = bob
        .gql
        .data(
            "mutation($id: ID!) { updateConversation(conversationId: $id, read: false) { unread } }",
            json!({ "id": first["conversationParticipantId"] }),
        )
        .await;
    assert_eq!(unread["updateConversation"]["unread"], true);
    let page = reader.get("/messages").await;
    assert!(page.body.contains("1 unread message<"), "{}", page.body);
}
