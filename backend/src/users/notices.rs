//! Mail about the account itself: confirmation and password reset.

use chrono::{DateTime, Utc};
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

pub fn confirmation_mail(
    ctx: &AppContext,
    instance: &Identity,
    user: &user::Model,
    token: &str,
) -> OutgoingMail {
    let locale = super::user_locale(ctx, user);
    let link = ctx.url(&format!("/validate/{token}"));
    let a = args([("instance", instance.name.clone())]);
    let layout = Layout::new(i18n::text_with(locale, "confirm-title", &a))
        .paragraph(i18n::text_with(locale, "confirm-intro", &a))
        .button(i18n::text(locale, "confirm-button"), link)
        .paragraph(i18n::text(locale, "confirm-expiry"))
        .footnote(i18n::text(locale, "confirm-not-you"));
    build(
        instance,
        &user.email,
        locale,
        i18n::text_with(locale, "confirm-subject", &a),
        layout,
    )
}

pub fn reset_mail(
    ctx: &AppContext,
    instance: &Identity,
    user: &user::Model,
    token: &str,
) -> OutgoingMail {
    let locale = super::user_locale(ctx, user);
    let link = ctx.url(&format!("/password-reset/{token}"));
    let a = args([("instance", instance.name.clone())]);
    let layout = Layout::new(i18n::text_with(locale, "reset-title", &a))
        .paragraph(i18n::text_with(locale, "reset-intro", &a))
        .button(i18n::text(locale, "reset-button"), link)
        .paragraph(i18n::text(locale, "reset-expiry"))
        .footnote(i18n::text(locale, "reset-not-you"));
    build(
        instance,
        &user.email,
        locale,
        i18n::text_with(locale, "reset-subject", &a),
        layout,
    )
}

pub async fn queue_confirmation(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    user: &user::Model,
    token: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let instance = ctx.instance_in(conn).await?;
    mail::queue(conn, now, &confirmation_mail(ctx, &instance, user, token)).await?;
    Ok(())
}

pub async fn queue_reset(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    user: &user::Model,
    token: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let instance = ctx.instance_in(conn).await?;
    mail::queue(conn, now, &reset_mail(ctx, &instance, user, token)).await?;
    Ok(())
}
