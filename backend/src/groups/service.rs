//! Creating, changing and deleting groups.

use entity::actor::{self, ActorKind, ActorVisibility, Openness};
use entity::member::{self, MemberRole};
use sea_orm::{ActiveValue::NotSet, ConnectionTrait, EntityTrait, Set};

use super::{GroupVisibility, membership_of, policy};
use crate::actors::{LocalActorUrls, username};
use crate::addresses::{self, AddressInput};
use crate::context::AppContext;
use crate::db::{begin_write, lock_row};
use crate::error::{Error, Result, Validation, conflict_on_unique};
use crate::principal::Principal;

pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_SUMMARY_CHARS: usize = 10_000;

#[derive(Debug, Clone, Default)]
pub struct NewGroup {
    pub preferred_username: String,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub visibility: Option<GroupVisibility>,
    pub openness: Option<Openness>,
    pub manually_approves_followers: Option<bool>,
    pub physical_address: Option<AddressInput>,
}

/// Changes to a group; `None` leaves a field as it is. An address of all-empty fields removes
/// the address.
#[derive(Debug, Clone, Default)]
pub struct GroupChanges {
    pub name: Option<String>,
    pub summary: Option<String>,
    pub visibility: Option<GroupVisibility>,
    pub openness: Option<Openness>,
    pub manually_approves_followers: Option<bool>,
    pub physical_address: Option<AddressInput>,
}

/// Creates a group; `creator` (one of the caller's identities) becomes its creator.
pub async fn create(
    ctx: &AppContext,
    creator: &actor::Model,
    input: NewGroup,
) -> Result<actor::Model> {
    if creator.kind != ActorKind::Person || !creator.is_local() {
        return Err(Error::forbidden("only local identities create groups"));
    }
    let mut validation = Validation::new();
    let preferred_username = validation.check(username::validate(
        &input.preferred_username,
        "preferredUsername",
    ));
    let name = validation.check(username::optional_text(
        input.name.as_deref(),
        "name",
        MAX_NAME_CHARS,
    ));
    let summary = validation.check(username::optional_text(
        input.summary.as_deref(),
        "summary",
        MAX_SUMMARY_CHARS,
    ));
    let place = match &input.physical_address {
        Some(address) => validation.check(addresses::validate(address, "physicalAddress")),
        None => Some(addresses::Place::default()),
    };
    validation.finish()?;
    let (Some(preferred_username), Some(name), Some(summary), Some(place)) =
        (preferred_username, name, summary, place)
    else {
        return Err(Error::internal("validation passed without values"));
    };

    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let address_id = if place.is_empty() {
        None
    } else {
        Some(addresses::insert(&tx, &place, now).await?.id)
    };
    let urls = LocalActorUrls::new(&ctx.settings.public_url, &preferred_username);
    let row = actor::ActiveModel {
        id: NotSet,
        ap_id: Set(urls.ap_id.clone()),
        preferred_username: Set(preferred_username),
        domain: Set(None),
        kind: Set(ActorKind::Group),
        name: Set(name),
        summary: Set(summary),
        user_id: Set(None),
        url: Set(Some(urls.ap_id)),
        inbox_url: Set(Some(urls.inbox)),
        shared_inbox_url: Set(Some(urls.shared_inbox)),
        outbox_url: Set(Some(urls.outbox)),
        followers_url: Set(Some(urls.followers)),
        public_key_pem: Set(None),
        private_key_pem: Set(None),
        visibility: Set(input.visibility.unwrap_or(GroupVisibility::Public).into()),
        openness: Set(input.openness.unwrap_or(Openness::InviteOnly)),
        manually_approves_followers: Set(input.manually_approves_followers.unwrap_or(false)),
        suspended: Set(false),
        physical_address_id: Set(address_id),
        last_refreshed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        avatar_media_id: Set(None),
        banner_media_id: Set(None),
    };
    let group = actor::Entity::insert(row)
        .exec_with_returning(&tx)
        .await
        .map_err(|e| {
            conflict_on_unique(e, "preferredUsername", "this username is already taken")
        })?;
    member::Entity::insert(member::ActiveModel {
        id: NotSet,
        actor_id: Set(creator.id),
        group_id: Set(group.id),
        role: Set(MemberRole::Creator),
        invited_by_id: Set(None),
        ap_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec(&tx)
    .await?;
    tx.commit().await?;
    tracing::info!(group_id = group.id, "group created");
    Ok(group)
}

/// Refuses changes to `group`'s profile by anyone but its administrators (for the edit form
/// and the update alike).
pub async fn check_editable(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    group: &actor::Model,
) -> Result<()> {
    let role = membership_of(conn, principal, group.id)
        .await?
        .map(|m| m.role);
    if !policy::can_update_group(role) {
        return Err(Error::forbidden(
            "only the group's administrators can change it",
        ));
    }
    Ok(())
}

/// Changes a group's profile; its administrators only.
pub async fn update(
    ctx: &AppContext,
    principal: &Principal,
    group_id: i64,
    changes: GroupChanges,
) -> Result<actor::Model> {
    let tx = begin_write(ctx).await?;
    let group = super::find(&tx, group_id).await?;
    check_editable(&tx, principal, &group).await?;
    let mut validation = Validation::new();
    let name = changes
        .name
        .as_deref()
        .map(|n| validation.check(username::optional_text(Some(n), "name", MAX_NAME_CHARS)));
    let summary = changes.summary.as_deref().map(|s| {
        validation.check(username::optional_text(
            Some(s),
            "summary",
            MAX_SUMMARY_CHARS,
        ))
    });
    let place = changes
        .physical_address
        .as_ref()
        .map(|a| validation.check(addresses::validate(a, "physicalAddress")));
    validation.finish()?;

    let now = ctx.now();
    let mut active: actor::ActiveModel = group.clone().into();
    if let Some(Some(name)) = name {
        active.name = Set(name);
    }
    if let Some(Some(summary)) = summary {
        active.summary = Set(summary);
    }
    if let Some(visibility) = changes.visibility {
        active.visibility = Set(visibility.into());
    }
    if let Some(openness) = changes.openness {
        active.openness = Set(openness);
    }
    if let Some(manual) = changes.manually_approves_followers {
        active.manually_approves_followers = Set(manual);
    }
    if let Some(Some(place)) = place {
        let stored = addresses::replace(
            &tx,
            group.physical_address_id,
            (!place.is_empty()).then_some(&place),
            now,
        )
        .await?;
        active.physical_address_id = Set(stored.map(|a| a.id));
    }
    active.updated_at = Set(now);
    let updated = crate::actors::updated::save(ctx, &tx, now, group, active).await?;
    tx.commit().await?;
    Ok(updated)
}

/// Deletes a group with its events (their participants are told), memberships and follows.
pub async fn delete(
    ctx: &AppContext,
    principal: &Principal,
    group_id: i64,
) -> Result<actor::Model> {
    let tx = begin_write(ctx).await?;
    lock_row(&tx, "actors", group_id).await?;
    let group = super::find(&tx, group_id).await?;
    let role = membership_of(&tx, principal, group.id)
        .await?
        .map(|m| m.role);
    if !policy::can_delete_group(role, principal.is_instance_moderator()) {
        return Err(Error::forbidden(
            "only the group's administrators can delete it",
        ));
    }
    crate::events::service::delete_all_of_group(ctx, &tx, group.id).await?;
    if let Some(address_id) = group.physical_address_id {
        addresses::replace(&tx, Some(address_id), None, ctx.now()).await?;
    }
    crate::outbox::actor_deleted(ctx, &tx, ctx.now(), &group).await?;
    actor::Entity::delete_by_id(group.id).exec(&tx).await?;
    tx.commit().await?;
    tracing::info!(group_id = group.id, "group deleted");
    Ok(group)
}

/// Counts administrators other than `except` (a member row id), for "a group always keeps an
/// administrator".
pub(super) async fn other_administrators(
    conn: &impl ConnectionTrait,
    group_id: i64,
    except: i64,
) -> Result<u64> {
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};
    Ok(member::Entity::find()
        .filter(member::Column::GroupId.eq(group_id))
        .filter(member::Column::Role.is_in([MemberRole::Administrator, MemberRole::Creator]))
        .filter(member::Column::Id.ne(except))
        .count(conn)
        .await?)
}

impl From<GroupVisibility> for ActorVisibility {
    fn from(visibility: GroupVisibility) -> Self {
        match visibility {
            GroupVisibility::Public => ActorVisibility::Public,
            GroupVisibility::Unlisted => ActorVisibility::Unlisted,
        }
    }
}
