//! Instances an admin blocked. A blocked domain's posts to our inboxes are refused, nothing is
//! delivered or fetched there (pending deliveries are cancelled), and what we had cached from
//! it goes: its events, and its people's participations and follows here; its actors are
//! suspended (hidden everywhere), and come back with an unblock; the pictures copied from it
//! are deleted. Both go into the action log.

use chrono::{DateTime, Utc};
use entity::action_log::{ActionLogAction, ObjectKind};
use entity::domain_block;
use entity::{actor, event, follow, participant};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Set,
};

use crate::action_log::{self, Object};
use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::{Error, Result, conflict_on_unique};
use crate::pagination::{Page, Paginated};
use crate::principal::Principal;

pub mod lookup;
mod preview;
pub use lookup::{domain_of, is_blocked, is_url_blocked, lock_domain, normalize};
pub use preview::{BlockPreview, preview};

const MAX_REASON_CHARS: usize = 1000;
const ALREADY_BLOCKED: &str = "this domain is already blocked";

fn newest_first() -> sea_orm::Select<domain_block::Entity> {
    domain_block::Entity::find()
        .order_by_desc(domain_block::Column::CreatedAt)
        .order_by_asc(domain_block::Column::Domain)
}

/// The blocked instances, newest first: administrators only (and the instance itself).
pub async fn list(
    conn: &impl ConnectionTrait,
    principal: &Principal,
) -> Result<Vec<domain_block::Model>> {
    principal.require_admin("only administrators see blocked instances")?;
    Ok(newest_first().all(conn).await?)
}

/// One page of [`list`], and how many there are.
pub async fn page(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    page: Page,
) -> Result<Paginated<domain_block::Model>> {
    principal.require_admin("only administrators see blocked instances")?;
    let total = domain_block::Entity::find().count(conn).await?;
    let elements = newest_first()
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

fn admin_only(principal: &Principal) -> Result<()> {
    principal.require_admin("only administrators block instances")
}

/// What a block of `domain` would be asked with, checked as [`block`] and [`preview`] both
/// check it: the domain as stored and the reason as kept.
fn checked(
    ctx: &AppContext,
    principal: &Principal,
    domain: &str,
    reason: Option<&str>,
) -> Result<(String, Option<String>)> {
    admin_only(principal)?;
    let domain = normalize(domain)?;
    if domain == ctx.settings.public_url.host() {
        return Err(Error::invalid(
            "domain",
            "this instance cannot block itself",
        ));
    }
    let reason = crate::actors::username::optional_text(reason, "reason", MAX_REASON_CHARS)?;
    Ok((domain, reason))
}

/// Blocks `domain` (see the module's documentation for what follows).
pub async fn block(
    ctx: &AppContext,
    principal: &Principal,
    domain: &str,
    reason: Option<&str>,
) -> Result<domain_block::Model> {
    let (domain, reason) = checked(ctx, principal, domain, reason)?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    lock_domain(&tx, &domain).await?;
    let block = domain_block::Entity::insert(domain_block::ActiveModel {
        id: NotSet,
        domain: Set(domain.clone()),
        reason: Set(reason),
        created_at: Set(now),
    })
    .exec_with_returning(&tx)
    .await
    .map_err(|e| conflict_on_unique(e, "domain", ALREADY_BLOCKED))?;
    forget_domain(ctx, &tx, &domain, now).await?;
    let action = ActionLogAction::DomainBlocking;
    let moderator = action_log::moderator_of(&tx, principal).await?;
    let reason = block.reason.as_deref();
    action_log::record(&tx, now, moderator, action, logged(&block), reason).await?;
    tx.commit().await?;
    tracing::info!(domain = %domain, "instance blocked");
    Ok(block)
}

/// Lifts a block: the domain's actors are visible again (but those a moderator suspended);
/// their events come back as they are sent again or looked up.
pub async fn unblock(ctx: &AppContext, principal: &Principal, domain: &str) -> Result<()> {
    admin_only(principal)?;
    let domain = normalize(domain)?;
    let tx = begin_write(ctx).await?;
    let Some(block) = domain_block::Entity::find()
        .filter(domain_block::Column::Domain.eq(domain.as_str()))
        .one(&tx)
        .await?
    else {
        return Err(Error::not_found("domain block"));
    };
    domain_block::Entity::delete_by_id(block.id)
        .exec(&tx)
        .await?;
    let action = ActionLogAction::DomainUnblocking;
    let moderator = action_log::moderator_of(&tx, principal).await?;
    action_log::record(&tx, ctx.now(), moderator, action, logged(&block), None).await?;
    // Actors a moderator suspended stay suspended: the block was not why.
    let suspended_by_moderators = entity::suspension::Entity::find()
        .select_only()
        .column(entity::suspension::Column::ActorId)
        .into_query();
    actor::Entity::update_many()
        .col_expr(actor::Column::Suspended, Expr::value(false))
        .filter(actor::Column::Domain.eq(domain.as_str()))
        .filter(actor::Column::Id.not_in_subquery(suspended_by_moderators))
        .exec(&tx)
        .await?;
    crate::events::hidden::refresh(&tx, actors_of(&domain)).await?;
    tx.commit().await?;
    tracing::info!(domain = %domain, "instance unblocked");
    Ok(())
}

/// A block as the action log names it.
fn logged(block: &domain_block::Model) -> Object {
    Object {
        kind: ObjectKind::Instance,
        id: block.id,
        label: block.domain.clone(),
    }
}

/// The ids of the actors of `domain`.
fn actors_of(domain: &str) -> sea_orm::sea_query::SelectStatement {
    actor::Entity::find()
        .select_only()
        .column(actor::Column::Id)
        .filter(actor::Column::Domain.eq(domain))
        .into_query()
}

async fn forget_domain(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    domain: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let actor_ids: Vec<i64> = actor::Entity::find()
        .select_only()
        .column(actor::Column::Id)
        .filter(actor::Column::Domain.eq(domain))
        .into_tuple()
        .all(conn)
        .await?;
    actor::Entity::update_many()
        .col_expr(actor::Column::Suspended, Expr::value(true))
        .filter(actor::Column::Domain.eq(domain))
        .exec(conn)
        .await?;
    // The remote events go below; events of ours for their groups stay, hidden.
    crate::events::hidden::refresh(conn, actors_of(domain)).await?;
    let events: Vec<String> = event::Entity::find()
        .select_only()
        .column(event::Column::ApId)
        .filter(event::Column::Local.eq(false))
        .filter(
            sea_orm::Condition::any()
                .add(event::Column::OrganizerActorId.is_in(actor_ids.iter().copied()))
                .add(event::Column::AttributedToId.is_in(actor_ids.iter().copied())),
        )
        .into_tuple()
        .all(conn)
        .await?;
    for ap_id in events {
        crate::events::federated::delete_remote_in(ctx, conn, &ap_id).await?;
    }
    // Pictures copied from there go too; they are fetched again after an unblock.
    crate::media::remote::forget_pictures_of(conn, now, &actor_ids).await?;
    participant::Entity::delete_many()
        .filter(participant::Column::ActorId.is_in(actor_ids.iter().copied()))
        .exec(conn)
        .await?;
    follow::Entity::delete_many()
        .filter(follow::Column::FollowerId.is_in(actor_ids.iter().copied()))
        .exec(conn)
        .await?;
    // Their comments become tombstones: the replies of others under them keep their thread.
    entity::comment::Entity::update_many()
        .col_expr(entity::comment::Column::Text, Expr::value(""))
        .col_expr(entity::comment::Column::DeletedAt, Expr::value(now))
        .col_expr(entity::comment::Column::UpdatedAt, Expr::value(now))
        .filter(entity::comment::Column::ActorId.is_in(actor_ids.iter().copied()))
        .filter(entity::comment::Column::DeletedAt.is_null())
        .exec(conn)
        .await?;
    for scheme in ["https", "http"] {
        let prefix = format!("deliver:{scheme}://{domain}/");
        crate::jobs::cancel_pending(conn, now, &prefix).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestContext;

    #[tokio::test]
    async fn only_administrators_see_the_blocked_instances() {
        let t = TestContext::new().await;
        block(&t.ctx, &Principal::System, "spam.example", Some("spam"))
            .await
            .expect("blocked");
        let person = t.person("someone").await;
        let admin = t
            .person_with("boss", entity::user::UserRole::Administrator, |_| {})
            .await;
        let refused = [
            (Principal::Anonymous, "unauthenticated"),
            (person.principal(), "forbidden"),
        ];
        for (principal, code) in refused {
            let err = list(&t.ctx.db, &principal).await.expect_err("not an admin");
            assert_eq!(err.code(), code, "{principal:?}");
        }
        for principal in [admin.principal(), Principal::System] {
            let blocks = list(&t.ctx.db, &principal).await.expect("listed");
            assert_eq!(blocks.len(), 1);
            assert_eq!(blocks[0].domain, "spam.example");
        }
    }

    #[test]
    fn a_domain_is_a_lowercase_host_with_its_port_when_not_the_default() {
        assert_eq!(
            normalize("Events.Example.org").unwrap(),
            "events.example.org"
        );
        assert_eq!(
            normalize(" https://events.example.org/@group ").unwrap(),
            "events.example.org"
        );
        assert_eq!(normalize("localhost:4001").unwrap(), "localhost:4001");
        assert_eq!(
            normalize("https://example.org:443/").unwrap(),
            "example.org"
        );
        assert_eq!(normalize("example.org.").unwrap(), "example.org");
        assert!(normalize("").is_err());
        assert!(normalize("://").is_err());
        assert_eq!(
            domain_of("http://localhost:4001/@bob/inbox").as_deref(),
            Some("localhost:4001")
        );
    }
}
