//! Mail to the people of this instance a comment mentions (Mobilizon's `event_comment_mention`,
//! which it mails by default), in each reader's language, with a link to the comment. Queued
//! in the transaction of the comment, sent by the mail job. Nobody gets mail about their own
//! comment, nor about an event they may not see.

use chrono::{DateTime, Utc};
use entity::{actor, comment, event};
use sea_orm::ConnectionTrait;

use crate::context::AppContext;
use crate::conversations::notices::paragraphs;
use crate::error::Result;
use crate::events::notices::build;
use crate::i18n::{self, args};
use crate::mail::{self, Layout};
use crate::participations::Recipient;
use crate::principal::Principal;
use crate::users::CurrentUser;

pub(super) async fn queue_to_mentioned(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    event: &event::Model,
    comment: &comment::Model,
    author: &actor::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    let user_ids: Vec<i64> = super::mentions::mentioned(conn, &comment.text)
        .await?
        .into_iter()
        .filter(|a| a.is_local() && a.id != author.id)
        .filter_map(|a| a.user_id)
        .filter(|id| Some(*id) != author.user_id)
        .collect();
    if user_ids.is_empty() {
        return Ok(());
    }
    let users = crate::users::reachable_by_mail(conn, user_ids).await?;
    let url = ctx.url(&format!("/events/{}#comment-{}", event.uuid, comment.uuid));
    // Through the caller's transaction: the pool may have no other connection to give.
    let instance = ctx.instance_in(conn).await?;
    let a = args([
        ("title", event.title.clone()),
        ("author", crate::actors::display_name(author)),
        ("instance", instance.name.clone()),
    ]);
    for user in &users {
        let recipient = Recipient::from_user(ctx, user, None);
        let locale = recipient.locale;
        let reader = Principal::User(CurrentUser::from_model(user, 0, locale));
        let access = crate::events::access(conn, &reader, event).await?;
        if !crate::events::policy::can_view(crate::events::facts(event), access) {
            continue;
        }
        let mut layout = Layout::new(event.title.clone()).paragraph(i18n::text_with(
            locale,
            "comment-mention-intro",
            &a,
        ));
        for paragraph in paragraphs(&comment.text) {
            layout = layout.paragraph(paragraph);
        }
        layout = layout
            .button(i18n::text(locale, "comment-mention-open"), url.clone())
            .footnote(i18n::text_with(locale, "comment-mention-why", &a));
        let subject = i18n::text_with(locale, "comment-mention-subject", &a);
        mail::queue(conn, now, &build(&instance, &recipient, subject, layout)).await?;
    }
    Ok(())
}
