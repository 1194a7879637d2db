//! Identities: the persons a user acts as. A user has one or more (as in Mobilizon); one of them
//! is the default. Creating, changing and deleting them here; which are whose, and which one
//! acts, in [`of_user`].

pub mod of_user;
mod sign_up;

use entity::actor::{self, ActorKind, ActorVisibility, Openness};
use entity::user;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, EntityTrait, QueryFilter, Set};

pub use of_user::{acting_as, identities, own};
pub use sign_up::{SignUpForm, SignUpOutcome, SignUpProblem, sign_up};

use super::{LocalActorUrls, username};
use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::{Error, Result, Validation, conflict_on_unique};
use crate::principal::Principal;
use crate::users::{CurrentUser, email};
use of_user::count_for_user;

pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_SUMMARY_CHARS: usize = 5000;

#[derive(Debug, Clone, Default)]
pub struct NewPerson {
    pub preferred_username: String,
    pub name: Option<String>,
    pub summary: Option<String>,
}

/// Changes to an identity; `None` leaves a field as it is, `Some("")` clears it.
#[derive(Debug, Clone, Default)]
pub struct PersonChanges {
    pub name: Option<String>,
    pub summary: Option<String>,
}

/// Creates an identity for the logged-in user.
pub async fn create(
    ctx: &AppContext,
    current: &CurrentUser,
    input: NewPerson,
) -> Result<actor::Model> {
    let tx = begin_write(ctx).await?;
    let person = insert(ctx, &tx, current.id, input).await?;
    tx.commit().await?;
    Ok(person)
}

/// Creates the first identity of an account right after registration, before it is
/// confirmed (Mobilizon's `registerPerson`). Only whoever holds the account may: the instance
/// itself, the account logged in, or a caller with the token `createUser` answered with (or
/// the one in the confirmation mail). Without that proof the answer is the same whether the
/// address has an account or not. Refused once the account has an identity.
pub async fn register(
    ctx: &AppContext,
    principal: &Principal,
    raw_email: &str,
    token: Option<&str>,
    input: NewPerson,
) -> Result<actor::Model> {
    let unproven = || Error::Unauthenticated;
    let email = email::normalize(raw_email).map_err(|_| unproven())?;
    let tx = begin_write(ctx).await?;
    let user = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&tx)
        .await?;
    let Some(user) = user.filter(|user| holds_account(ctx, principal, user, token)) else {
        return Err(unproven());
    };
    if count_for_user(&tx, user.id).await? > 0 {
        return Err(Error::rule(
            "identity_exists",
            "this account already has an identity; log in to add another one",
        ));
    }
    let person = insert(ctx, &tx, user.id, input).await?;
    user::Entity::update_many()
        .col_expr(
            user::Column::RegistrationTokenHash,
            Expr::value(Option::<String>::None),
        )
        .filter(user::Column::Id.eq(user.id))
        .exec(&tx)
        .await?;
    tx.commit().await?;
    Ok(person)
}

/// Whether `principal`, with `token`, speaks for the account `user`.
fn holds_account(
    ctx: &AppContext,
    principal: &Principal,
    user: &user::Model,
    token: Option<&str>,
) -> bool {
    match principal {
        Principal::System => return true,
        Principal::User(current) if current.id == user.id => return true,
        _ => {}
    }
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return false;
    };
    let hash = crate::users::tokens::hash_token(token);
    let fresh = ctx.now() - user.created_at < crate::users::service::CONFIRMATION_VALIDITY;
    (fresh && user.registration_token_hash.as_deref() == Some(hash.as_str()))
        || user.confirmation_token_hash.as_deref() == Some(hash.as_str())
}

async fn insert(
    ctx: &AppContext,
    tx: &crate::db::WriteTx,
    user_id: i64,
    input: NewPerson,
) -> Result<actor::Model> {
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
    validation.finish()?;
    let (Some(preferred_username), Some(name), Some(summary)) = (preferred_username, name, summary)
    else {
        return Err(Error::internal("validation passed without values"));
    };

    let now = ctx.now();
    let urls = LocalActorUrls::new(&ctx.settings.public_url, &preferred_username);
    let row = actor::ActiveModel {
        id: NotSet,
        ap_id: Set(urls.ap_id.clone()),
        preferred_username: Set(preferred_username),
        domain: Set(None),
        kind: Set(ActorKind::Person),
        name: Set(name),
        summary: Set(summary),
        user_id: Set(Some(user_id)),
        url: Set(Some(urls.ap_id)),
        inbox_url: Set(Some(urls.inbox)),
        shared_inbox_url: Set(Some(urls.shared_inbox)),
        outbox_url: Set(Some(urls.outbox)),
        followers_url: Set(Some(urls.followers)),
        public_key_pem: Set(None),
        private_key_pem: Set(None),
        visibility: Set(ActorVisibility::Public),
        openness: Set(Openness::Open),
        manually_approves_followers: Set(false),
        suspended: Set(false),
        physical_address_id: Set(None),
        last_refreshed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        avatar_media_id: Set(None),
        banner_media_id: Set(None),
    };
    let person = actor::Entity::insert(row)
        .exec_with_returning(tx)
        .await
        .map_err(|e| {
            conflict_on_unique(e, "preferredUsername", "this username is already taken")
        })?;
    user::Entity::update_many()
        .col_expr(user::Column::DefaultActorId, Expr::value(person.id))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(user_id))
        .filter(user::Column::DefaultActorId.is_null())
        .exec(tx)
        .await?;
    tracing::info!(actor_id = person.id, "identity created");
    Ok(person)
}

pub async fn update(
    ctx: &AppContext,
    current: &CurrentUser,
    id: i64,
    changes: PersonChanges,
) -> Result<actor::Model> {
    let tx = begin_write(ctx).await?;
    let person = own(&tx, current, id).await?;
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
    validation.finish()?;
    let now = ctx.now();
    let mut active: actor::ActiveModel = person.clone().into();
    if let Some(Some(name)) = name {
        active.name = Set(name);
    }
    if let Some(Some(summary)) = summary {
        active.summary = Set(summary);
    }
    active.updated_at = Set(now);
    let updated = crate::actors::updated::save(ctx, &tx, now, person, active).await?;
    tx.commit().await?;
    Ok(updated)
}

/// Deletes one of the user's identities. The last one cannot go (delete the account instead).
pub async fn delete(ctx: &AppContext, current: &CurrentUser, id: i64) -> Result<actor::Model> {
    let tx = begin_write(ctx).await?;
    let person = own(&tx, current, id).await?;
    let all = identities(&tx, current.id).await?;
    if all.len() <= 1 {
        return Err(Error::rule(
            "last_identity",
            "an account keeps at least one identity; delete the account instead",
        ));
    }
    let now = ctx.now();
    let user = crate::users::service::find(&tx, current.id).await?;
    if user.default_actor_id == Some(person.id) {
        let next = all.iter().find(|a| a.id != person.id).map(|a| a.id);
        user::Entity::update_many()
            .col_expr(user::Column::DefaultActorId, Expr::value(next))
            .col_expr(user::Column::UpdatedAt, Expr::value(now))
            .filter(user::Column::Id.eq(current.id))
            .exec(&tx)
            .await?;
    }
    crate::outbox::actor_deleted(ctx, &tx, now, &person).await?;
    actor::Entity::delete_by_id(person.id).exec(&tx).await?;
    tx.commit().await?;
    tracing::info!(actor_id = person.id, "identity deleted");
    Ok(person)
}

/// Makes `id` the identity the user acts as by default.
pub async fn set_default(ctx: &AppContext, current: &CurrentUser, id: i64) -> Result<user::Model> {
    let person = own(&ctx.db, current, id).await?;
    let user = crate::users::service::find(&ctx.db, current.id).await?;
    let mut active: user::ActiveModel = user.into();
    active.default_actor_id = Set(Some(person.id));
    active.updated_at = Set(ctx.now());
    Ok(active.update(&ctx.db).await?)
}
