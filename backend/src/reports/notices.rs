//! The mail that tells a reporter what became of their report, and the one that tells the
//! instance's moderators that a report arrived, each in its reader's language.

use chrono::{DateTime, Utc};
use entity::report::{self, ReportStatus};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::context::AppContext;
use crate::error::Result;
use crate::i18n::{self, Locale, args};
use crate::identity::Identity;
use crate::mail::{self, Layout, OutgoingMail};

/// Where and in which language the reporter hears: the account behind their identity, or
/// the address an anonymous reporter left. `None` when there is nobody to tell.
async fn recipient(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    report: &report::Model,
) -> Result<Option<(String, Locale)>> {
    if let Some(email) = &report.reporter_email {
        let locale = ctx.instance_in(conn).await?.default_locale;
        return Ok(Some((email.clone(), locale)));
    }
    let reporter = crate::actors::find(conn, report.reporter_actor_id).await?;
    let Some(user_id) = reporter.user_id else {
        return Ok(None);
    };
    let Some(user) = entity::user::Entity::find_by_id(user_id).one(conn).await? else {
        return Ok(None);
    };
    Ok(Some((
        user.email.clone(),
        crate::users::user_locale(ctx, &user),
    )))
}

pub fn outcome_mail(
    instance: &Identity,
    to: &str,
    locale: Locale,
    reported: &str,
    status: ReportStatus,
) -> OutgoingMail {
    let a = args([
        ("instance", instance.name.clone()),
        ("reported", reported.to_owned()),
    ]);
    let outcome = match status {
        ReportStatus::Resolved => "report-resolved",
        ReportStatus::Closed | ReportStatus::Open => "report-closed",
    };
    let layout = Layout::new(i18n::text_with(locale, "report-outcome-title", &a))
        .paragraph(i18n::text_with(locale, outcome, &a))
        .footnote(i18n::text_with(locale, "report-outcome-thanks", &a));
    OutgoingMail {
        to: to.to_owned(),
        locale,
        subject: i18n::text_with(locale, "report-outcome-subject", &a),
        text: layout.text(&instance.name),
        html: layout.html(&instance.name, locale.code()),
        attachments: Vec::new(),
    }
}

/// Queues the outcome's mail in the caller's transaction.
pub async fn queue_outcome(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    report: &report::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some((to, locale)) = recipient(ctx, conn, report).await? else {
        return Ok(());
    };
    let reported = crate::actors::find(conn, report.reported_actor_id).await?;
    let name = crate::actors::handle(&reported);
    let instance = ctx.instance_in(conn).await?;
    mail::queue(
        conn,
        now,
        &outcome_mail(&instance, &to, locale, &name, report.status),
    )
    .await?;
    Ok(())
}

/// Tells every moderator and administrator (confirmed, not disabled) that a report arrived,
/// in the caller's transaction.
pub async fn queue_to_moderators(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    report: &report::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    use entity::user::{self, UserRole};
    use sea_orm::{ColumnTrait, QueryFilter};
    let moderators = user::Entity::find()
        .filter(user::Column::Role.is_in([UserRole::Moderator, UserRole::Administrator]))
        .filter(user::Column::ConfirmedAt.is_not_null())
        .filter(user::Column::DisabledAt.is_null())
        .filter(user::Column::NotificationNewReport.eq(true))
        .all(conn)
        .await?;
    if moderators.is_empty() {
        return Ok(());
    }
    let reported = crate::actors::find(conn, report.reported_actor_id).await?;
    let name = crate::actors::handle(&reported);
    let instance = ctx.instance_in(conn).await?.name.clone();
    let a = args([("instance", instance.clone()), ("reported", name)]);
    for moderator in moderators {
        let locale = crate::users::user_locale(ctx, &moderator);
        let mut layout = Layout::new(i18n::text_with(locale, "report-new-title", &a))
            .paragraph(i18n::text_with(locale, "report-new-intro", &a));
        if let Some(content) = &report.content {
            layout = layout.paragraph(content.clone());
        }
        let layout = layout
            .button(i18n::text(locale, "report-new-button"), ctx.url("/admin"))
            .footnote(i18n::text_with(locale, "report-new-why", &a));
        let message = OutgoingMail {
            to: moderator.email.clone(),
            locale,
            subject: i18n::text_with(locale, "report-new-subject", &a),
            text: layout.text(&instance),
            html: layout.html(&instance, locale.code()),
            attachments: Vec::new(),
        };
        mail::queue(conn, now, &message).await?;
    }
    Ok(())
}
