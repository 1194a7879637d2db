//! Mail to an account about what administrators did to it: changes they chose to tell
//! (`adminUpdateUser(notify: true)`), and the approval of a registration that waited for it.

use chrono::{DateTime, Utc};
use entity::action_log::ActionLogAction;
use entity::user;
use sea_orm::ConnectionTrait;

use crate::context::AppContext;
use crate::error::Result;
use crate::i18n::{self, Locale, args};
use crate::identity::Identity;
use crate::mail::{self, Layout, OutgoingMail};

fn build(
    instance: &Identity,
    to: &str,
    locale: Locale,
    subject: String,
    layout: Layout,
) -> OutgoingMail {
    OutgoingMail {
        to: to.to_owned(),
        locale,
        subject,
        text: layout.text(&instance.name),
        html: layout.html(&instance.name, locale.code()),
        attachments: Vec::new(),
    }
}

/// The sentence telling one change, in the account's language.
fn change_sentence(locale: Locale, action: ActionLogAction, after: &user::Model) -> Option<String> {
    let key = match action {
        ActionLogAction::UserEmailChange => "account-changed-email",
        ActionLogAction::UserRoleChange => match after.role {
            user::UserRole::User => "account-changed-role-user",
            user::UserRole::Moderator => "account-changed-role-moderator",
            user::UserRole::Administrator => "account-changed-role-administrator",
        },
        ActionLogAction::UserConfirmation => "account-changed-confirmed",
        ActionLogAction::UserDisabling => "account-changed-disabled",
        ActionLogAction::UserEnabling => "account-changed-enabled",
        _ => return None,
    };
    Some(i18n::text_with(
        locale,
        key,
        &args([("email", after.email.clone())]),
    ))
}

/// Tells the account what changed; a changed address hears it at the old address too.
pub async fn queue_changes(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    before: &user::Model,
    after: &user::Model,
    actions: &[ActionLogAction],
    now: DateTime<Utc>,
) -> Result<()> {
    let locale = super::user_locale(ctx, after);
    let instance = ctx.instance_in(conn).await?;
    let a = args([("instance", instance.name.clone())]);
    let mut layout = Layout::new(i18n::text_with(locale, "account-changed-title", &a));
    for action in actions {
        if let Some(sentence) = change_sentence(locale, *action, after) {
            layout = layout.paragraph(sentence);
        }
    }
    let layout = layout.footnote(i18n::text_with(locale, "account-changed-contact", &a));
    let subject = i18n::text_with(locale, "account-changed-subject", &a);
    let mut recipients = vec![after.email.clone()];
    if before.email != after.email {
        recipients.push(before.email.clone());
    }
    for to in recipients {
        let message = build(&instance, &to, locale, subject.clone(), layout.clone());
        mail::queue(conn, now, &message).await?;
    }
    Ok(())
}

/// Tells the account that a moderator approved it, and where to log in.
pub async fn queue_approval(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    account: &user::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    let locale = super::user_locale(ctx, account);
    let instance = ctx.instance_in(conn).await?;
    let a = args([("instance", instance.name.clone())]);
    let mut layout = Layout::new(i18n::text_with(locale, "account-approved-title", &a))
        .paragraph(i18n::text_with(locale, "account-approved-intro", &a));
    if account.confirmed_at.is_none() {
        layout = layout.paragraph(i18n::text(locale, "account-approved-confirm-first"));
    }
    let layout = layout.button(
        i18n::text(locale, "account-approved-button"),
        ctx.url("/login"),
    );
    let subject = i18n::text_with(locale, "account-approved-subject", &a);
    mail::queue(
        conn,
        now,
        &build(&instance, &account.email, locale, subject, layout),
    )
    .await?;
    Ok(())
}
