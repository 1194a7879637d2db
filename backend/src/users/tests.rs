use chrono::Duration;
use entity::participant::ParticipantRole;
use entity::user::UserRole;

use super::service::{self, NewAccount};
use crate::rate_limits::Client;
use crate::testing::TestContext;

fn account(email: &str) -> NewAccount {
    NewAccount {
        email: email.to_owned(),
        password: "long enough".to_owned(),
        locale: None,
        timezone: None,
        invitation: None,
    }
}

#[tokio::test]
async fn unconfirmed_accounts_are_purged_after_48_hours_and_confirmed_ones_stay() {
    let t = TestContext::new().await;
    let waiting = service::register(&t.ctx, &Client::Local, account("waiting@example.org"))
        .await
        .expect("register")
        .user;
    let kept = service::register(&t.ctx, &Client::Local, account("kept@example.org"))
        .await
        .expect("register")
        .user;
    t.run_due_jobs().await;
    let token = t
        .ctx
        .mailer
        .sent()
        .into_iter()
        .find(|m| m.mail.to == "kept@example.org")
        .and_then(|m| {
            m.mail
                .text
                .split_whitespace()
                .find(|w| w.contains("/validate/"))
                .map(|w| w.rsplit('/').next().unwrap_or_default().to_owned())
        })
        .expect("confirmation link");
    service::validate(&t.ctx, &token).await.expect("validate");

    t.clock.advance(Duration::hours(47));
    assert_eq!(service::purge_unconfirmed(&t.ctx).await.expect("purge"), 0);
    t.clock.advance(Duration::hours(2));
    assert_eq!(service::purge_unconfirmed(&t.ctx).await.expect("purge"), 1);
    assert!(service::find(&t.ctx.db, waiting.id).await.is_err());
    assert!(service::find(&t.ctx.db, kept.id).await.is_ok());
}

#[tokio::test]
async fn a_confirmation_link_expires_after_48_hours() {
    let t = TestContext::new().await;
    service::register(&t.ctx, &Client::Local, account("late@example.org"))
        .await
        .expect("register");
    t.run_due_jobs().await;
    let text = t.ctx.mailer.sent()[0].mail.text.clone();
    let token = text
        .split_whitespace()
        .find(|w| w.contains("/validate/"))
        .and_then(|w| w.rsplit('/').next())
        .expect("token")
        .to_owned();
    t.clock.advance(Duration::hours(49));
    let err = service::validate(&t.ctx, &token)
        .await
        .expect_err("expired");
    assert_eq!(err.code(), "invalid");
}

#[tokio::test]
async fn access_tokens_expire_after_their_lifetime() {
    let t = TestContext::new().await;
    service::create_account(
        &t.ctx,
        account("tok@example.org"),
        super::AdminAccountOptions {
            role: None,
            confirmed: true,
        },
    )
    .await
    .expect("account");
    let login = service::login(&t.ctx, &Client::Local, "tok@example.org", "long enough")
        .await
        .expect("login");
    assert!(
        service::authenticate(&t.ctx, &login.access_token)
            .await
            .is_ok()
    );
    t.clock.advance(Duration::minutes(16));
    assert_eq!(
        service::authenticate(&t.ctx, &login.access_token)
            .await
            .expect_err("expired")
            .code(),
        "unauthenticated"
    );
    // The refresh token still works and gives a fresh access token.
    let refreshed = service::refresh(&t.ctx, &login.refresh_token)
        .await
        .expect("refresh");
    assert!(
        service::authenticate(&t.ctx, &refreshed.access_token)
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn mail_is_only_sent_by_workers_never_during_the_request() {
    let t = TestContext::new().await;
    service::register(&t.ctx, &Client::Local, account("queued@example.org"))
        .await
        .expect("register");
    assert!(t.ctx.mailer.sent().is_empty(), "nothing sent yet");
    assert_eq!(t.run_due_jobs().await, 1);
    assert_eq!(t.ctx.mailer.sent().len(), 1);
}

#[tokio::test]
async fn an_account_speaks_its_language_or_the_instances_when_that_is_no_longer_offered() {
    let t = TestContext::new().await;
    let user = service::register(&t.ctx, &Client::Local, account("anna@example.org"))
        .await
        .expect("register")
        .user;
    let speaking = |locale: &str| {
        super::user_locale(
            &t.ctx,
            &entity::user::Model {
                locale: locale.to_owned(),
                ..user.clone()
            },
        )
    };
    assert_eq!(speaking("fr"), crate::i18n::Locale::Fr);
    assert_eq!(speaking("tlh"), t.ctx.file_default_locale());
}

/// A full event of one seat, taken by `holder`, with `waiting` first in line.
async fn full_event_with_waitlist(
    t: &TestContext,
    organizer: &crate::testing::TestPerson,
    holder: &crate::testing::TestPerson,
    waiting: &crate::testing::TestPerson,
) -> i64 {
    use crate::participations::{JoinRequest, Joined};
    let mut small = crate::testing::new_event("Repair café", t.ctx.now() + Duration::days(3));
    small.options.maximum_attendee_capacity = Some(1);
    let event = crate::events::service::create(&t.ctx, &organizer.principal(), small)
        .await
        .expect("event");
    for (who, expected) in [
        (holder, ParticipantRole::Participant),
        (waiting, ParticipantRole::Waitlisted),
    ] {
        let request = JoinRequest {
            event_id: event.id,
            ..Default::default()
        };
        let joined = crate::participations::join(&t.ctx, &who.principal(), &Client::Local, request)
            .await
            .and_then(Joined::into_participation)
            .expect("joined");
        assert_eq!(joined.role, expected);
    }
    event.id
}

async fn role_of(
    t: &TestContext,
    who: &crate::testing::TestPerson,
    event_id: i64,
) -> Option<ParticipantRole> {
    crate::participations::of_actor(&t.ctx.db, event_id, who.actor.id)
        .await
        .expect("participation")
        .map(|p| p.role)
}

fn promoted_mail(t: &TestContext, email: &str) -> usize {
    t.mail_to(email)
        .iter()
        .filter(|m| m.subject.starts_with("A seat is yours"))
        .count()
}

#[tokio::test]
async fn deleting_an_account_gives_its_seats_to_the_first_in_line_who_is_told_by_mail() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let hash = super::password::hash(&t.ctx.password_slots, "long enough")
        .await
        .expect("hash");
    let leaving = t
        .person_with("leaving", UserRole::User, |row| {
            row.password_hash = sea_orm::Set(hash)
        })
        .await;
    let ana = t.person("ana").await;
    let event_id = full_event_with_waitlist(&t, &organizer, &leaving, &ana).await;

    let wrong = service::delete_account(&t.ctx, &leaving.user, "not the password").await;
    assert_eq!(wrong.expect_err("wrong password").code(), "invalid");
    assert_eq!(
        role_of(&t, &ana, event_id).await,
        Some(ParticipantRole::Waitlisted)
    );
    service::delete_account(&t.ctx, &leaving.user, "long enough")
        .await
        .expect("deleted");
    assert_eq!(
        role_of(&t, &ana, event_id).await,
        Some(ParticipantRole::Participant),
        "the freed seat went to the first in line"
    );
    t.run_due_jobs().await;
    assert_eq!(promoted_mail(&t, "ana@example.org"), 1);
}

#[tokio::test]
async fn a_moderator_deleting_an_account_gives_its_seats_to_the_first_in_line_too() {
    let t = TestContext::new().await;
    let organizer = t.person("organizer").await;
    let spammer = t.person("spammer").await;
    let ana = t.person("ana").await;
    let modo = t.person_with("modo", UserRole::Moderator, |_| {}).await;
    let event_id = full_event_with_waitlist(&t, &organizer, &spammer, &ana).await;

    let refused = super::administration::delete(&t.ctx, &ana.principal(), spammer.user.id).await;
    assert_eq!(refused.expect_err("not a moderator").code(), "forbidden");
    assert_eq!(
        role_of(&t, &ana, event_id).await,
        Some(ParticipantRole::Waitlisted),
        "a refused deletion frees nothing"
    );
    super::administration::delete(&t.ctx, &modo.principal(), spammer.user.id)
        .await
        .expect("deleted");
    assert_eq!(role_of(&t, &spammer, event_id).await, None);
    assert_eq!(
        role_of(&t, &ana, event_id).await,
        Some(ParticipantRole::Participant)
    );
    t.run_due_jobs().await;
    assert_eq!(promoted_mail(&t, "ana@example.org"), 1);
}
