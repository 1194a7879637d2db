#![allow(clippy::expect_used, clippy::unwrap_used)]

use entity::action_log::ActionLogAction;
use entity::user::UserRole;

use super::*;
use crate::directory::{self, UserFilters};
use crate::pagination::Page;
use crate::rate_limits::Client;
use crate::testing::TestContext;
use crate::users::registration::{self, RegistrationMode, RulesChanges};
use crate::users::service::{self, NewAccount};

/// What a call came to: done, or the code of its refusal.
fn code<T>(result: Result<T>) -> std::result::Result<(), &'static str> {
    result.map(|_| ()).map_err(|e| e.code())
}

/// Every new query and mutation of this module, for each role: anonymous, user, moderator,
/// administrator (and the instance itself, which acts as an administrator).
#[tokio::test]
async fn each_role_may_do_what_mobilizon_lets_it_with_accounts_and_nothing_more() {
    let t = TestContext::new().await;
    let admin = t.person_with("rosa", UserRole::Administrator, |_| {}).await;
    let modo = t.person_with("modo", UserRole::Moderator, |_| {}).await;
    let alice = t.person("alice").await;
    let anonymous = Principal::Anonymous;

    for (who, expected) in [
        (&anonymous, Err("unauthenticated")),
        (&alice.principal(), Err("forbidden")),
        (&modo.principal(), Ok(())),
        (&admin.principal(), Ok(())),
        (&Principal::System, Ok(())),
    ] {
        let filters = UserFilters::default();
        let listed = directory::users(&t.ctx.db, who, &filters, Page::default()).await;
        assert_eq!(code(listed), expected, "users: {who:?}");
        let one = directory::user(&t.ctx.db, who, alice.user.id).await;
        assert_eq!(code(one), expected, "user: {who:?}");
    }
    let confirm = || AccountChanges {
        confirmed: Some(true),
        ..AccountChanges::default()
    };
    for (who, expected) in [
        (&anonymous, Err("unauthenticated")),
        (&alice.principal(), Err("forbidden")),
        (&modo.principal(), Err("forbidden")),
        (&admin.principal(), Ok(())),
    ] {
        let changed = update(&t.ctx, who, alice.user.id, confirm()).await;
        assert_eq!(code(changed), expected, "adminUpdateUser: {who:?}");
    }
    // Nobody changes their own account this way.
    let own = update(&t.ctx, &admin.principal(), admin.user.id, confirm()).await;
    assert_eq!(code(own), Err("forbidden"));
    for (who, expected) in [
        (&anonymous, Err("unauthenticated")),
        (&alice.principal(), Err("forbidden")),
        (&modo.principal(), Err("forbidden")),
        (&admin.principal(), Ok(())),
    ] {
        let saved = registration::save_rules(&t.ctx, who, RulesChanges::default()).await;
        assert_eq!(code(saved), expected, "registration rules: {who:?}");
    }
    for (who, expected) in [
        (&anonymous, Err("unauthenticated")),
        (&alice.principal(), Err("forbidden")),
        (&modo.principal(), Ok(())),
        (&admin.principal(), Ok(())),
    ] {
        let invited = registration::invite(&t.ctx, who).await;
        assert_eq!(code(invited), expected, "invitation: {who:?}");
        let dashboard = crate::instance_dashboard::get(&t.ctx.db, who).await;
        let admin_only = match expected {
            Ok(()) if !matches!(who, Principal::User(u) if u.role == UserRole::Moderator) => Ok(()),
            Ok(()) => Err("forbidden"),
            refused => refused,
        };
        assert_eq!(code(dashboard), admin_only, "dashboard: {who:?}");
    }
    // Approval and deletion, on accounts of their own each.
    let waiting = t
        .person_with("waiting", UserRole::User, |row| {
            row.awaiting_approval = sea_orm::Set(true);
        })
        .await;
    for (who, expected) in [
        (&anonymous, Err("unauthenticated")),
        (&alice.principal(), Err("forbidden")),
        (&modo.principal(), Ok(())),
    ] {
        assert_eq!(
            code(approve(&t.ctx, who, waiting.user.id).await),
            expected,
            "approve: {who:?}"
        );
    }
    let victim = t.person("victim").await;
    for (who, expected) in [
        (&anonymous, Err("unauthenticated")),
        (&alice.principal(), Err("forbidden")),
        (&modo.principal(), Err("forbidden")),
    ] {
        let target = if matches!(who, Principal::User(u) if u.role == UserRole::Moderator) {
            admin.user.id
        } else {
            victim.user.id
        };
        assert_eq!(
            code(delete(&t.ctx, who, target).await),
            expected,
            "delete: {who:?}"
        );
    }
    assert_eq!(
        code(delete(&t.ctx, &modo.principal(), victim.user.id).await),
        Ok(())
    );
    assert_eq!(
        code(delete(&t.ctx, &modo.principal(), modo.user.id).await),
        Err("forbidden")
    );
}

#[tokio::test]
async fn an_administrator_changes_an_account_and_it_is_logged_and_told() {
    let t = TestContext::new().await;
    let admin = t.person_with("rosa", UserRole::Administrator, |_| {}).await;
    let alice = t.person("alice").await;
    let changed = update(
        &t.ctx,
        &admin.principal(),
        alice.user.id,
        AccountChanges {
            email: Some("Alice.New@Example.org".to_owned()),
            role: Some(UserRole::Moderator),
            notify: true,
            ..AccountChanges::default()
        },
    )
    .await
    .expect("changed");
    assert_eq!(changed.email, "alice.new@example.org");
    assert_eq!(changed.role, UserRole::Moderator);
    t.run_due_jobs().await;
    assert_eq!(t.mail_to("alice.new@example.org").len(), 1);
    assert_eq!(
        t.mail_to("alice@example.org").len(),
        1,
        "the old address hears it"
    );
    assert!(
        t.mail_to("alice.new@example.org")[0]
            .text
            .contains("moderator")
    );
    let log = crate::action_log::list(&t.ctx.db, &admin.principal(), Page::default())
        .await
        .unwrap();
    let actions: Vec<_> = log.elements.iter().map(|l| l.action).collect();
    assert!(actions.contains(&ActionLogAction::UserEmailChange));
    assert!(actions.contains(&ActionLogAction::UserRoleChange));

    // Another account's address is taken.
    let bob = t.person("bob").await;
    let err = update(
        &t.ctx,
        &admin.principal(),
        bob.user.id,
        AccountChanges {
            email: Some("alice.new@example.org".to_owned()),
            ..AccountChanges::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "conflict");

    // Found by part of its address, newest first.
    let found = directory::users(
        &t.ctx.db,
        &admin.principal(),
        &UserFilters {
            email: Some("ALICE.new".to_owned()),
            ..UserFilters::default()
        },
        Page::default(),
    )
    .await
    .unwrap();
    assert_eq!(found.total, 1);
    assert_eq!(found.elements[0].id, alice.user.id);
    // A `%` is a character, not a wildcard.
    let none = directory::users(
        &t.ctx.db,
        &admin.principal(),
        &UserFilters {
            email: Some("%".to_owned()),
            ..UserFilters::default()
        },
        Page::default(),
    )
    .await
    .unwrap();
    assert_eq!(none.total, 0);
}

fn account(email: &str, invitation: Option<String>) -> NewAccount {
    NewAccount {
        email: email.to_owned(),
        password: "long enough".to_owned(),
        locale: None,
        timezone: None,
        invitation,
    }
}

#[tokio::test]
async fn a_disabled_account_cannot_log_in_until_enabled_again() {
    let t = TestContext::new().await;
    let admin = t.person_with("rosa", UserRole::Administrator, |_| {}).await;
    let user = service::create_account(
        &t.ctx,
        account("dora@example.org", None),
        crate::users::AdminAccountOptions {
            role: None,
            confirmed: true,
        },
    )
    .await
    .unwrap();
    let disabled = AccountChanges {
        disabled: Some(true),
        ..AccountChanges::default()
    };
    update(&t.ctx, &admin.principal(), user.id, disabled)
        .await
        .unwrap();
    let err = service::login(&t.ctx, &Client::Local, "dora@example.org", "long enough")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "account_disabled");
    let enabled = AccountChanges {
        disabled: Some(false),
        ..AccountChanges::default()
    };
    update(&t.ctx, &admin.principal(), user.id, enabled)
        .await
        .unwrap();
    service::login(&t.ctx, &Client::Local, "dora@example.org", "long enough")
        .await
        .expect("enabled again");
}

#[tokio::test]
async fn a_deleted_account_loses_its_identities_and_keeps_its_address_taken() {
    let t = TestContext::new().await;
    let modo = t.person_with("modo", UserRole::Moderator, |_| {}).await;
    let spammer = t.person("spammer").await;
    let deleted = delete(&t.ctx, &modo.principal(), spammer.user.id)
        .await
        .unwrap();
    assert!(deleted.disabled_at.is_some());
    assert!(
        crate::actors::find(&t.ctx.db, spammer.actor.id)
            .await
            .is_err()
    );
    let again = delete(&t.ctx, &modo.principal(), spammer.user.id)
        .await
        .unwrap_err();
    assert_eq!(again.code(), "user_already_disabled");
    let taken = service::register(&t.ctx, &Client::Local, account("spammer@example.org", None))
        .await
        .unwrap_err();
    assert_eq!(taken.code(), "conflict");
    let log = crate::action_log::list(&t.ctx.db, &modo.principal(), Page::default())
        .await
        .unwrap();
    assert_eq!(log.elements[0].action, ActionLogAction::UserDeletion);
}

async fn set_mode(t: &TestContext, mode: RegistrationMode, allowlist: &[&str]) {
    registration::save_rules(
        &t.ctx,
        &Principal::System,
        RulesChanges {
            mode: Some(mode),
            allowlist: Some(allowlist.iter().map(|s| (*s).to_owned()).collect()),
        },
    )
    .await
    .expect("rules saved");
}

#[tokio::test]
async fn each_registration_mode_admits_whom_it_says() {
    let t = TestContext::new().await;
    let modo = t.person_with("modo", UserRole::Moderator, |_| {}).await;
    let register = |email: &str, invitation: Option<String>| {
        service::register(&t.ctx, &Client::Local, account(email, invitation))
    };

    set_mode(&t, RegistrationMode::Closed, &[]).await;
    let err = register("a@example.org", None).await.unwrap_err();
    assert_eq!(err.code(), "registrations_closed");

    set_mode(
        &t,
        RegistrationMode::Allowlist,
        &["Friends.example", "one@else.example"],
    )
    .await;
    register("b@friends.example", None)
        .await
        .expect("its domain is allowed");
    register("one@else.example", None)
        .await
        .expect("this address is allowed");
    let err = register("two@else.example", None).await.unwrap_err();
    assert_eq!(err.code(), "registration_not_allowed");

    set_mode(&t, RegistrationMode::Invitation, &[]).await;
    let err = register("c@example.org", None).await.unwrap_err();
    assert_eq!(err.code(), "invitation_required");
    let invitation = registration::invite(&t.ctx, &modo.principal())
        .await
        .unwrap();
    assert!(invitation.link(&t.ctx).contains("/register?invitation="));
    register("c@example.org", Some(invitation.token.clone()))
        .await
        .expect("invited");
    let used = register("d@example.org", Some(invitation.token))
        .await
        .unwrap_err();
    assert_eq!(used.code(), "invalid", "an invitation admits one person");

    set_mode(&t, RegistrationMode::Approval, &[]).await;
    let waiting = register("e@example.org", None)
        .await
        .expect("registered")
        .user;
    assert!(waiting.awaiting_approval);
    t.run_due_jobs().await;
    let link = t.mail_to("e@example.org")[0]
        .text
        .split_whitespace()
        .find(|w| w.contains("/validate/"))
        .map(|w| w.rsplit('/').next().unwrap_or_default().to_owned())
        .expect("confirmation link");
    let err = service::validate(&t.ctx, &link).await.unwrap_err();
    assert_eq!(
        err.code(),
        "registration_pending",
        "confirmed, not yet approved"
    );
    let err = service::login(&t.ctx, &Client::Local, "e@example.org", "long enough")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "registration_pending");
    let pending = directory::users(
        &t.ctx.db,
        &modo.principal(),
        &UserFilters {
            awaiting_approval: Some(true),
            ..UserFilters::default()
        },
        Page::default(),
    )
    .await
    .unwrap();
    assert_eq!(pending.elements.len(), 1);
    approve(&t.ctx, &modo.principal(), waiting.id)
        .await
        .expect("approved");
    t.run_due_jobs().await;
    assert_eq!(t.mail_to("e@example.org").len(), 2, "told of the approval");
    service::login(&t.ctx, &Client::Local, "e@example.org", "long enough")
        .await
        .expect("approved and confirmed");

    set_mode(&t, RegistrationMode::Open, &[]).await;
    register("f@example.org", None).await.expect("open");
}

#[tokio::test]
async fn moderators_hear_of_a_new_report_by_mail() {
    let t = TestContext::new().await;
    t.person_with("modo", UserRole::Moderator, |_| {}).await;
    t.person_with("rosa", UserRole::Administrator, |_| {}).await;
    let alice = t.person("alice").await;
    let troll = t.person("troll").await;
    crate::reports::create(
        &t.ctx,
        &alice.principal(),
        &Client::Local,
        crate::reports::NewReport {
            reported_actor_id: troll.actor.id,
            content: Some("Insults".to_owned()),
            ..Default::default()
        },
    )
    .await
    .expect("reported");
    t.run_due_jobs().await;
    for moderator in ["modo@example.org", "rosa@example.org"] {
        let mail = t.mail_to(moderator);
        assert_eq!(mail.len(), 1, "{moderator}");
        assert!(mail[0].text.contains("troll") && mail[0].text.contains("Insults"));
    }
    assert!(t.mail_to("alice@example.org").is_empty());
}
