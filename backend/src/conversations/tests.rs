//! Organizers writing to their participants, through the use cases: who is written to, who
//! may write and answer, and what each side then sees.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use chrono::Duration;
use entity::actor::ActorKind;
use entity::participant::{self, ParticipantRole};

use super::{Answer, ConversationRef, NewMessage, RemoteNote};
use crate::pagination::Page;
use crate::participations::{JoinRequest, Joined};
use crate::principal::Principal;
use crate::rate_limits::Client;
use crate::testing::{TestContext, TestPerson, new_event};

async fn event(t: &TestContext, organizer: &TestPerson) -> entity::event::Model {
    let mut new = new_event("Repair café", t.ctx.now() + Duration::days(3));
    new.options.anonymous_participation = Some(true);
    crate::events::service::create(&t.ctx, &organizer.principal(), new)
        .await
        .expect("create event")
}

async fn join(t: &TestContext, principal: &Principal, event_id: i64) -> participant::Model {
    let request = JoinRequest {
        event_id,
        ..Default::default()
    };
    crate::participations::join(&t.ctx, principal, &Client::Local, request)
        .await
        .and_then(Joined::into_participation)
        .expect("join")
}

fn message(event_id: i64, roles: Vec<ParticipantRole>, text: &str) -> NewMessage {
    NewMessage {
        event_id,
        sender: None,
        roles,
        text: text.to_owned(),
        language: None,
    }
}

fn answer(conversation: ConversationRef, text: &str) -> Answer {
    Answer {
        conversation,
        text: text.to_owned(),
        language: None,
        identity: None,
        remote: None,
    }
}

fn link_token(text: &str, path: &str) -> String {
    text.split_whitespace()
        .find_map(|w| w.split_once(path).map(|(_, rest)| rest.to_owned()))
        .unwrap_or_else(|| panic!("no {path} link in {text}"))
}

#[tokio::test]
async fn organizers_write_to_the_going_participants_who_answer_on_the_site() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let going = t
        .person_with("going", entity::user::UserRole::User, |u| {
            u.locale = sea_orm::Set("fr".to_owned());
        })
        .await;
    let declined = t.person("declined").await;
    let event = event(&t, &organizer).await;
    join(&t, &going.principal(), event.id).await;
    let no = join(&t, &declined.principal(), event.id).await;
    crate::participations::service::decide(
        &t.ctx,
        &organizer.principal(),
        no.id,
        ParticipantRole::Rejected,
    )
    .await
    .expect("decline");
    t.run_due_jobs().await;
    let before = t.mail_to("declined@example.org").len();

    let sent = super::send_to_participants(
        &t.ctx,
        &organizer.principal(),
        message(
            event.id,
            vec![ParticipantRole::Participant],
            "<p>The room <em>changed</em>: we meet upstairs.</p><script>x()</script>",
        ),
    )
    .await
    .expect("send");
    assert_eq!(sent.conversations.len(), 1, "only the person going");
    t.run_due_jobs().await;
    let mail = t.mail_to("going@example.org");
    let mail = mail.last().expect("a mail to the participant");
    assert!(mail.subject.contains("Repair café"), "{}", mail.subject);
    assert!(
        mail.subject.starts_with("Un message"),
        "in French: {}",
        mail.subject
    );
    assert!(
        mail.text.contains("The room changed: we meet upstairs."),
        "{}",
        mail.text
    );
    assert!(!mail.text.contains("x()"));
    assert_eq!(
        t.mail_to("declined@example.org").len(),
        before,
        "not to the declined"
    );

    // The participant sees it, unread, and answers.
    let mine = super::list(&t.ctx.db, &going.principal(), None, Page::all())
        .await
        .unwrap();
    assert_eq!(mine.total, 1);
    let view = &mine.elements[0];
    assert!(view.participant.unread);
    assert_eq!(
        super::unread_count(&t.ctx.db, &going.principal())
            .await
            .unwrap(),
        1
    );
    assert!(
        mail.text
            .contains(&format!("/messages/{}", view.participant.id))
    );
    let read = super::mark_read(&t.ctx, &going.principal(), view.participant.id, true)
        .await
        .unwrap();
    assert!(!read.participant.unread);
    super::answer(
        &t.ctx,
        &going.principal(),
        answer(
            ConversationRef::Participant(view.participant.id),
            "Thanks, see you there",
        ),
    )
    .await
    .expect("answer");

    // The organizer sees the answer on the event's conversations, unread.
    let theirs = super::of_event(&t.ctx.db, &organizer.principal(), &event, Page::all())
        .await
        .unwrap();
    assert_eq!(theirs.total, 1);
    assert!(theirs.elements[0].participant.unread);
    let messages = super::messages(&t.ctx.db, theirs.elements[0].conversation.id, Page::all())
        .await
        .unwrap();
    assert_eq!(messages.total, 2);
    assert_eq!(messages.elements[1].text, "Thanks, see you there");
    assert_eq!(messages.elements[1].actor_id, going.actor.id);
    // Nobody else reads it: not the declined participant, not the event's conversations.
    assert_eq!(
        super::find_view(&t.ctx.db, &declined.principal(), view.participant.id)
            .await
            .expect_err("not theirs")
            .code(),
        "not_found"
    );
    assert_eq!(
        super::of_event(&t.ctx.db, &going.principal(), &event, Page::all())
            .await
            .unwrap()
            .total,
        0
    );
}

#[tokio::test]
async fn a_participant_cannot_write_to_all_participants_nor_answer_elsewhere() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let alice = t.person("alice").await;
    let bob = t.person("bob").await;
    let event = event(&t, &organizer).await;
    join(&t, &alice.principal(), event.id).await;
    join(&t, &bob.principal(), event.id).await;
    let err = super::send_to_participants(
        &t.ctx,
        &alice.principal(),
        message(event.id, Vec::new(), "Hello everyone"),
    )
    .await
    .expect_err("a participant");
    assert_eq!(err.code(), "forbidden");
    let anonymous = super::send_to_participants(
        &t.ctx,
        &Principal::Anonymous,
        message(event.id, Vec::new(), "Hello"),
    )
    .await
    .expect_err("anonymous");
    assert_eq!(anonymous.code(), "unauthenticated");

    let sent = super::send_to_participants(
        &t.ctx,
        &organizer.principal(),
        message(event.id, Vec::new(), "Bring a mug"),
    )
    .await
    .expect("send to all");
    assert_eq!(sent.conversations.len(), 2, "one conversation per person");
    let bobs = super::list(&t.ctx.db, &bob.principal(), None, Page::all())
        .await
        .unwrap();
    let err = super::answer(
        &t.ctx,
        &alice.principal(),
        answer(
            ConversationRef::Participant(bobs.elements[0].participant.id),
            "I read Bob's",
        ),
    )
    .await
    .expect_err("another's conversation");
    assert_eq!(err.code(), "not_found");
}

#[tokio::test]
async fn nobody_matching_empty_or_oversized_messages_are_refused() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let event = event(&t, &organizer).await;
    let err = super::send_to_participants(
        &t.ctx,
        &organizer.principal(),
        message(event.id, vec![ParticipantRole::Rejected], "Hello"),
    )
    .await
    .expect_err("nobody declined");
    assert_eq!(err.code(), "no_recipients");
    let alice = t.person("alice").await;
    join(&t, &alice.principal(), event.id).await;
    for text in ["<p> </p>", &"a".repeat(super::MAX_TEXT_BYTES + 1)] {
        let err = super::send_to_participants(
            &t.ctx,
            &organizer.principal(),
            message(event.id, Vec::new(), text),
        )
        .await
        .expect_err("bad text");
        assert_eq!(err.code(), "invalid");
    }
}

#[tokio::test]
async fn messages_are_rationed_per_account() {
    let t = TestContext::with_settings(|s| {
        s.rate_limits.messages_per_actor = crate::settings::Budget::new(1, 3600);
    })
    .await;
    let organizer = t.person("organizer").await;
    let alice = t.person("alice").await;
    let event = event(&t, &organizer).await;
    join(&t, &alice.principal(), event.id).await;
    let principal = organizer.principal();
    let send =
        || super::send_to_participants(&t.ctx, &principal, message(event.id, Vec::new(), "Hello"));
    send().await.expect("first");
    assert_eq!(send().await.expect_err("second").code(), "rate_limited");
}

#[tokio::test]
async fn anonymous_participants_get_the_message_by_mail_and_answer_with_its_link() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let event = event(&t, &organizer).await;
    let request = JoinRequest {
        event_id: event.id,
        email: Some("guest@example.org".to_owned()),
        locale: Some("fr".to_owned()),
        ..Default::default()
    };
    crate::participations::join(&t.ctx, &Principal::Anonymous, &Client::Local, request)
        .await
        .expect("join by email");
    t.run_due_jobs().await;
    let confirm = link_token(
        &t.mail_to("guest@example.org")[0].text,
        "/participation/email/confirm/",
    );
    crate::participations::service::confirm(&t.ctx, &confirm)
        .await
        .expect("confirm");

    super::send_to_participants(
        &t.ctx,
        &organizer.principal(),
        message(
            event.id,
            vec![ParticipantRole::Participant],
            "Doors open at 7",
        ),
    )
    .await
    .expect("send");
    t.run_due_jobs().await;
    let mail = t.mail_to("guest@example.org").pop().unwrap();
    assert!(mail.subject.starts_with("Un message"), "{}", mail.subject);
    let token = link_token(&mail.text, super::ANSWER_PATH);
    let answered = super::answer(
        &t.ctx,
        &Principal::Anonymous,
        answer(ConversationRef::Token(token.clone()), "Merci !"),
    )
    .await
    .expect("answer by link");
    assert!(answered.participant.is_none());
    let err = super::answer(
        &t.ctx,
        &Principal::Anonymous,
        answer(ConversationRef::Token("not-the-token".into()), "Hi"),
    )
    .await
    .expect_err("a wrong link");
    assert_eq!(err.code(), "not_found");
    let theirs = super::of_event(&t.ctx.db, &organizer.principal(), &event, Page::all())
        .await
        .unwrap();
    assert!(theirs.elements[0].participant.unread);
    // The anonymous actor is shared: it takes part in no conversation by itself.
    let participants = super::participants(&t.ctx.db, answered.conversation.id)
        .await
        .unwrap();
    assert_eq!(participants.len(), 1);
    assert_eq!(participants[0].id, organizer.actor.id);
}

#[tokio::test]
async fn a_remote_participant_answers_with_a_note_and_a_stranger_cannot() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let event = event(&t, &organizer).await;
    let far = t.remote_actor("far", ActorKind::Person).await;
    let stranger = t.remote_actor("stranger", ActorKind::Person).await;
    let far_principal = Principal::Remote {
        actor_id: far.id,
        activity_id: format!("{}/join/1", far.ap_id),
    };
    join(&t, &far_principal, event.id).await;
    let sent = super::send_to_participants(
        &t.ctx,
        &organizer.principal(),
        message(event.id, Vec::new(), "Hello from here"),
    )
    .await
    .expect("send");
    let first = super::edge_message(&t.ctx.db, sent.conversations[0].id, false)
        .await
        .unwrap()
        .unwrap();
    let note = |who: &entity::actor::Model, n: u32| Answer {
        remote: Some(RemoteNote {
            ap_id: format!("{}/notes/{n}", who.ap_id),
            published_at: None,
        }),
        ..answer(ConversationRef::InReplyTo(first.ap_id.clone()), "Thanks")
    };
    let stranger_principal = Principal::Remote {
        actor_id: stranger.id,
        activity_id: format!("{}/create/1", stranger.ap_id),
    };
    let err = super::answer(&t.ctx, &stranger_principal, note(&stranger, 1))
        .await
        .expect_err("not theirs");
    assert_eq!(err.code(), "not_found");
    let answered = super::answer(&t.ctx, &far_principal, note(&far, 1))
        .await
        .expect("answer");
    let again = super::answer(&t.ctx, &far_principal, note(&far, 1))
        .await
        .expect("the same note again");
    assert_eq!(answered.message.id, again.message.id);
    assert!(!answered.message.local);
    let messages = super::messages(&t.ctx.db, sent.conversations[0].id, Page::all())
        .await
        .unwrap();
    assert_eq!(messages.total, 2);
}
