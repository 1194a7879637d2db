//! Mentions through the use cases: what a person here writes links the people it names, what
//! comes from elsewhere keeps its own links, and the people of this instance it mentions hear
//! of it by mail.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use chrono::Duration;
use entity::actor::ActorKind;

use super::{NewComment, RemoteNote, Target};
use crate::principal::Principal;
use crate::testing::{TestContext, new_event};

fn text(target: Target, text: &str) -> NewComment {
    NewComment {
        target,
        text: text.to_owned(),
        is_announcement: false,
        language: None,
        identity: None,
        remote: None,
    }
}

#[tokio::test]
async fn a_comment_links_the_people_it_names_and_leaves_unknown_names_and_markup_alone() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let bob = t.person("bob").await;
    let zoe = t.remote_actor("zoe", ActorKind::Person).await;
    let new = new_event("Repair café", t.ctx.now() + Duration::days(3));
    let event = crate::events::service::create(&t.ctx, &organizer.principal(), new)
        .await
        .unwrap();

    let written = "<p>@Bob and @zoe@far.example, ask @nobody. <code>@bob</code> \
                   @<script>alert(1)</script> <a href=\"https://x.example\">@bob</a></p>";
    let comment = super::create(
        &t.ctx,
        &organizer.principal(),
        text(Target::Event(event.id), written),
    )
    .await
    .unwrap()
    .into_comment();
    assert_eq!(
        comment.text,
        format!(
            "<p><a href=\"{}\" class=\"u-url mention\">@Bob</a> and \
             <a href=\"https://far.example/@zoe\" class=\"u-url mention\">@zoe@far.example</a>, \
             ask @nobody. <code>@bob</code> @ \
             <a href=\"https://x.example\" rel=\"nofollow noopener noreferrer\">@bob</a></p>",
            bob.actor.ap_id
        )
    );
    let mentioned: Vec<i64> = super::mentions::mentioned(&t.ctx.db, &comment.text)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(mentioned.len(), 2);
    assert!(mentioned.contains(&bob.actor.id) && mentioned.contains(&zoe.id));
    let audience = super::audience(&t.ctx.db, &comment).await.unwrap();
    assert_eq!(audience, vec!["https://far.example/inbox".to_owned()]);

    t.run_due_jobs().await;
    let to_bob = t.mail_to("bob@example.org");
    assert_eq!(to_bob.len(), 1, "bob is mentioned");
    assert!(to_bob[0].subject.contains("organizer mentioned you"));
    assert!(
        to_bob[0]
            .text
            .contains(&format!("/events/{}#comment-{}", event.uuid, comment.uuid)),
        "{}",
        to_bob[0].text
    );
    assert!(t.mail_to("organizer@example.org").is_empty());
}

#[tokio::test]
async fn a_private_events_comment_mails_nobody_who_may_not_see_it() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    t.person("bob").await;
    let mut new = new_event("Board meeting", t.ctx.now() + Duration::days(3));
    new.visibility = Some(entity::event::EventVisibility::Private);
    let event = crate::events::service::create(&t.ctx, &organizer.principal(), new)
        .await
        .unwrap();
    let comment = super::create(
        &t.ctx,
        &organizer.principal(),
        text(Target::Event(event.id), "<p>@bob, the secret plan</p>"),
    )
    .await
    .unwrap()
    .into_comment();
    assert!(comment.text.contains("class=\"u-url mention\""));
    t.run_due_jobs().await;
    assert!(t.mail_to("bob@example.org").is_empty());
}

#[tokio::test]
async fn a_remote_comment_keeps_its_own_links_and_mentions_people_here_by_them() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let bob = t.person("bob").await;
    let zoe = t.remote_actor("zoe", ActorKind::Person).await;
    let new = new_event("Repair café", t.ctx.now() + Duration::days(3));
    let event = crate::events::service::create(&t.ctx, &organizer.principal(), new)
        .await
        .unwrap();
    // Mastodon's shape; `@organizer` in plain text is zoe's business, not a name here.
    let content = format!(
        "<p><span class=\"h-card\"><a href=\"{}\" class=\"u-url mention\">@<span>bob</span></a></span> and @organizer</p>",
        bob.actor.ap_id
    );
    let principal = Principal::Remote {
        actor_id: zoe.id,
        activity_id: "https://far.example/notes/1/activity".to_owned(),
    };
    let new = NewComment {
        remote: Some(RemoteNote {
            ap_id: "https://far.example/notes/1".to_owned(),
            published_at: None,
        }),
        ..text(Target::Event(event.id), &content)
    };
    let comment = super::create(&t.ctx, &principal, new)
        .await
        .unwrap()
        .into_comment();
    assert_eq!(
        comment.text,
        format!(
            "<p><a href=\"{}\" class=\"u-url mention\" rel=\"nofollow noopener noreferrer\">@bob</a> and @organizer</p>",
            bob.actor.ap_id
        )
    );
    t.run_due_jobs().await;
    assert_eq!(t.mail_to("bob@example.org").len(), 1);
    assert!(t.mail_to("organizer@example.org").is_empty());
}
