//! Following a group: its public events come to the follower (by mail when `notify`, and to
//! remote followers through federation).

use entity::actor::{self, ActorKind};
use entity::follow;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    Set,
};

use super::find;
use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::{Error, Result};

pub async fn find_follow(
    conn: &impl ConnectionTrait,
    follower_id: i64,
    target_id: i64,
) -> Result<Option<follow::Model>> {
    Ok(follow::Entity::find()
        .filter(follow::Column::FollowerId.eq(follower_id))
        .filter(follow::Column::TargetId.eq(target_id))
        .one(conn)
        .await?)
}

/// `follower` follows the group. Local groups accept at once unless they approve followers by
/// hand; following again only changes `notify`.
pub async fn follow(
    ctx: &AppContext,
    follower: &actor::Model,
    group_id: i64,
    notify: bool,
) -> Result<follow::Model> {
    let now = ctx.now();
    let tx = begin_write(&ctx.db).await?;
    let group = find(&tx, group_id).await?;
    if group.kind != ActorKind::Group {
        return Err(Error::not_found("group"));
    }
    let follow = match find_follow(&tx, follower.id, group.id).await? {
        Some(existing) => {
            let mut active: follow::ActiveModel = existing.into();
            active.notify = Set(notify);
            active.updated_at = Set(now);
            active.update(&tx).await?
        }
        None => {
            follow::Entity::insert(follow::ActiveModel {
                id: NotSet,
                follower_id: Set(follower.id),
                target_id: Set(group.id),
                approved: Set(group.is_local() && !group.manually_approves_followers),
                notify: Set(notify),
                ap_id: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            })
            .exec_with_returning(&tx)
            .await?
        }
    };
    tx.commit().await?;
    Ok(follow)
}

pub async fn unfollow(
    ctx: &AppContext,
    follower: &actor::Model,
    group_id: i64,
) -> Result<follow::Model> {
    let tx = begin_write(&ctx.db).await?;
    let follow = find_follow(&tx, follower.id, group_id)
        .await?
        .ok_or(Error::not_found("follow"))?;
    follow::Entity::delete_by_id(follow.id).exec(&tx).await?;
    tx.commit().await?;
    Ok(follow)
}
