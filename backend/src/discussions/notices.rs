//! Mail to a group's members when someone starts or answers a discussion, in each reader's
//! language, with a link to the discussion. Queued in the transaction of the comment, sent by
//! the mail job. A member may ask for none ([`set_mail`]); the author and their other
//! identities get none; each person gets one mail, whichever of their identities belong.

use chrono::{DateTime, Utc};
use entity::member::{self, MemberRole};
use entity::{actor, discussion, discussion_comment, discussion_mail_stop};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    QueryTrait, Set,
};

use crate::context::AppContext;
use crate::conversations::notices::paragraphs;
use crate::error::{Error, Result};
use crate::events::notices::build;
use crate::i18n::{self, args};
use crate::mail::{self, Layout};
use crate::participations::Recipient;
use crate::principal::Principal;

/// Where a discussion is read on this instance.
pub fn page_url(ctx: &AppContext, group: &actor::Model, discussion: &discussion::Model) -> String {
    ctx.url(&format!(
        "/@{}/c/{}",
        crate::actors::handle(group),
        discussion.slug
    ))
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn queue_to_members(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    group: &actor::Model,
    discussion: &discussion::Model,
    comment: &discussion_comment::Model,
    author: &actor::Model,
    started: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    let quiet = discussion_mail_stop::Entity::find()
        .select_only()
        .column(discussion_mail_stop::Column::MemberId)
        .into_query();
    let actor_ids: Vec<i64> = member::Entity::find()
        .select_only()
        .column(member::Column::ActorId)
        .filter(member::Column::GroupId.eq(group.id))
        .filter(member::Column::Role.is_in(MemberRole::BELONGING))
        .filter(member::Column::Id.not_in_subquery(quiet))
        .into_tuple()
        .all(conn)
        .await?;
    let user_ids: Vec<i64> = actor::Entity::find()
        .select_only()
        .column(actor::Column::UserId)
        .filter(actor::Column::Id.is_in(actor_ids))
        .filter(actor::Column::Domain.is_null())
        .filter(actor::Column::Suspended.eq(false))
        .filter(actor::Column::UserId.is_not_null())
        .into_tuple::<Option<i64>>()
        .all(conn)
        .await?
        .into_iter()
        .flatten()
        .filter(|id| Some(*id) != author.user_id)
        .collect();
    if user_ids.is_empty() {
        return Ok(());
    }
    let users = crate::users::reachable_by_mail(conn, user_ids).await?;
    let url = page_url(ctx, group, discussion);
    let instance = ctx.instance_in(conn).await?;
    let a = args([
        ("title", discussion.title.clone()),
        ("group", crate::actors::display_name(group)),
        ("author", crate::actors::display_name(author)),
        ("instance", instance.name.clone()),
    ]);
    let (subject, intro) = if started {
        ("discussion-started-subject", "discussion-started-intro")
    } else {
        ("discussion-reply-subject", "discussion-reply-intro")
    };
    for user in &users {
        let recipient = Recipient::from_user(ctx, user, None);
        let locale = recipient.locale;
        let mut layout =
            Layout::new(discussion.title.clone()).paragraph(i18n::text_with(locale, intro, &a));
        for paragraph in paragraphs(&comment.text) {
            layout = layout.paragraph(paragraph);
        }
        layout = layout
            .button(i18n::text(locale, "discussion-open"), url.clone())
            .footnote(i18n::text_with(locale, "discussion-why", &a));
        let mail = build(
            &instance,
            &recipient,
            i18n::text_with(locale, subject, &a),
            layout,
        );
        mail::queue(conn, now, &mail).await?;
    }
    Ok(())
}

/// Whether the caller's membership in this group gets mail about its discussions.
pub async fn mail_wanted(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    group_id: i64,
) -> Result<bool> {
    let Some(membership) = crate::groups::membership_of(conn, principal, group_id).await? else {
        return Err(Error::not_found("group"));
    };
    Ok(discussion_mail_stop::Entity::find_by_id(membership.id)
        .one(conn)
        .await?
        .is_none())
}

/// A member asks for mail about their group's discussions, or for none. Answers what they
/// get now.
pub async fn set_mail(
    ctx: &AppContext,
    principal: &Principal,
    group_id: i64,
    wanted: bool,
) -> Result<bool> {
    principal.require_known()?;
    let tx = crate::db::begin_write(ctx).await?;
    let membership = crate::groups::membership_of(&tx, principal, group_id)
        .await?
        .filter(|m| super::policy::can_take_part(Some(m.role)))
        .ok_or(Error::forbidden(
            "only the group's members take part in its discussions",
        ))?;
    let stop = discussion_mail_stop::Entity::find_by_id(membership.id)
        .one(&tx)
        .await?;
    match (wanted, stop) {
        (true, Some(stop)) => {
            discussion_mail_stop::Entity::delete_by_id(stop.member_id)
                .exec(&tx)
                .await?;
        }
        (false, None) => {
            discussion_mail_stop::ActiveModel {
                member_id: Set(membership.id),
            }
            .insert(&tx)
            .await?;
        }
        _ => {}
    }
    tx.commit().await?;
    Ok(wanted)
}
