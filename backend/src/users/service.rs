//! Account flows: registration and confirmation, logging in and out, refreshing tokens,
//! passwords, and deletion.

use chrono::Duration;
use entity::session::SessionKind;
use entity::user::{self, PendingNotification, UserRole};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::tokens::{self, hash_token, random_token};
use super::{CurrentUser, email, notices, password, sessions};
use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::{Error, Result, Validation, conflict_on_unique};
use crate::i18n::Locale;
use crate::rate_limits::{self, Client};

/// How long a confirmation link stays valid; unconfirmed accounts are purged after it.
pub const CONFIRMATION_VALIDITY: Duration = Duration::hours(48);
/// How long a password reset link stays valid.
pub const RESET_VALIDITY: Duration = Duration::hours(2);
/// A new confirmation or reset mail is not sent more often than this.
pub const MAIL_RESEND_INTERVAL: Duration = Duration::seconds(60);

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: String,
    pub password: String,
    pub locale: Option<String>,
    /// The zone the sign-up page's script read from the browser (an IANA name); the
    /// instance's default zone when absent or not a zone.
    pub timezone: Option<String>,
    /// The token of an invitation link, which admits its bearer while registrations are by
    /// invitation only (or need approval, or an allowlist); spent by the registration.
    pub invitation: Option<String>,
}

/// What a successful login hands out.
#[derive(Debug, Clone)]
pub struct Login {
    pub access_token: String,
    pub refresh_token: String,
    pub user: user::Model,
}

/// Options for accounts made by an administrator (the `users create` command).
#[derive(Debug, Clone, Copy, Default)]
pub struct AdminAccountOptions {
    pub role: Option<UserRole>,
    pub confirmed: bool,
}

async fn parse_locale(ctx: &AppContext, raw: Option<&str>) -> Result<Locale> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => ctx.default_locale().await,
        Some(tag) => Locale::parse(tag).ok_or_else(|| {
            Error::invalid(
                "locale",
                format!(
                    "\"{tag}\" is not available; expected one of: {}",
                    Locale::all_codes().join(", ")
                ),
            )
        }),
    }
}

/// An account someone just registered, with the token that lets them give it its first
/// identity (Mobilizon's `registerPerson`) before it is confirmed.
#[derive(Debug, Clone)]
pub struct Registration {
    pub user: user::Model,
    pub registration_token: String,
}

/// Creates an unconfirmed account and queues its confirmation mail, within the client's
/// budget of registrations and the address's of mail.
pub async fn register(
    ctx: &AppContext,
    client: &Client,
    input: NewAccount,
) -> Result<Registration> {
    let address =
        email::normalize(&input.email).unwrap_or_else(|_| input.email.trim().to_lowercase());
    let admission =
        super::registration::admission(ctx, &ctx.db, &address, input.invitation.as_deref()).await?;
    rate_limits::spend_for_client(
        ctx,
        "registration.client",
        client,
        ctx.settings.rate_limits.registrations_per_client,
    )
    .await?;
    if let Ok(address) = email::normalize(&input.email) {
        rate_limits::spend_mail_to(ctx, &address).await?;
    }
    let (registration_token, token_hash) = random_token();
    let admitted = Admitted {
        registration_token_hash: token_hash,
        awaiting_approval: admission == super::policy::Admission::AwaitingApproval,
    };
    let user = insert_account(ctx, input, AdminAccountOptions::default(), Some(admitted)).await?;
    Ok(Registration {
        user,
        registration_token,
    })
}

/// Creates an account; unless `options.confirmed`, it waits for its confirmation link.
pub async fn create_account(
    ctx: &AppContext,
    input: NewAccount,
    options: AdminAccountOptions,
) -> Result<user::Model> {
    insert_account(ctx, input, options, None).await
}

/// How a registration (rather than an administrator) creates an account.
struct Admitted {
    registration_token_hash: String,
    awaiting_approval: bool,
}

async fn insert_account(
    ctx: &AppContext,
    input: NewAccount,
    options: AdminAccountOptions,
    admitted: Option<Admitted>,
) -> Result<user::Model> {
    let awaiting_approval = admitted.as_ref().is_some_and(|a| a.awaiting_approval);
    let registration_token_hash = admitted.map(|a| a.registration_token_hash);
    let invitation = input
        .invitation
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty() && registration_token_hash.is_some())
        .map(str::to_owned);
    let mut validation = Validation::new();
    let email = validation.check(email::normalize(&input.email));
    validation.check(password::validate_new(
        &input.password,
        ctx.settings.auth.min_password_length,
        "password",
    ));
    let locale = validation.check(parse_locale(ctx, input.locale.as_deref()).await);
    validation.finish()?;
    let (Some(email), Some(locale)) = (email, locale) else {
        return Err(Error::internal("validation passed without values"));
    };

    let password_hash = password::hash(&ctx.password_slots, &input.password).await?;
    let now = ctx.now();
    let (token, token_hash) = random_token();
    let tx = begin_write(ctx).await?;
    let row = user::ActiveModel {
        id: NotSet,
        email: Set(email.clone()),
        password_hash: Set(password_hash),
        role: Set(options.role.unwrap_or(UserRole::User)),
        locale: Set(locale.code().to_owned()),
        // What a browser says is a hint: a name that is not a zone gives the default.
        timezone: Set(Some(
            input
                .timezone
                .as_deref()
                .and_then(|tz| tz.trim().parse::<chrono_tz::Tz>().ok())
                .unwrap_or(ctx.instance_in(&tx).await?.default_timezone)
                .name()
                .to_owned(),
        )),
        confirmed_at: Set(options.confirmed.then_some(now)),
        confirmation_token_hash: Set((!options.confirmed).then_some(token_hash)),
        confirmation_sent_at: Set((!options.confirmed).then_some(now)),
        registration_token_hash: Set(registration_token_hash),
        reset_token_hash: Set(None),
        reset_sent_at: Set(None),
        default_actor_id: Set(None),
        last_login_at: Set(None),
        notification_on_day: Set(true),
        notification_before_event: Set(false),
        notification_pending_participation: Set(PendingNotification::Direct),
        location_geohash: Set(None),
        location_name: Set(None),
        location_range: Set(None),
        unconfirmed_email: Set(None),
        email_change_token_hash: Set(None),
        email_change_sent_at: Set(None),
        disabled_at: Set(None),
        awaiting_approval: Set(awaiting_approval),
        created_at: Set(now),
        updated_at: Set(now),
        notification_new_report: Set(true),
    };
    let user = user::Entity::insert(row)
        .exec_with_returning(&tx)
        .await
        .map_err(|e| {
            conflict_on_unique(
                e,
                "email",
                "an account with this email address already exists",
            )
        })?;
    if let Some(token) = &invitation {
        super::registration::spend_invitation(&tx, token, user.id, now).await?;
    }
    if !options.confirmed {
        notices::queue_confirmation(ctx, &tx, &user, &token, now).await?;
    }
    tx.commit().await?;
    tracing::info!(user_id = user.id, "account created");
    Ok(user)
}

/// Confirms the account holding `token` and logs it in.
pub async fn validate(ctx: &AppContext, token: &str) -> Result<Login> {
    let now = ctx.now();
    let invalid = || Error::invalid("token", "this confirmation link is invalid or has expired");
    let user = user::Entity::find()
        .filter(user::Column::ConfirmationTokenHash.eq(hash_token(token)))
        .one(&ctx.db)
        .await?
        .ok_or_else(invalid)?;
    let sent_at = user.confirmation_sent_at.unwrap_or(user.created_at);
    if now - sent_at > CONFIRMATION_VALIDITY {
        return Err(invalid());
    }
    let tx = begin_write(ctx).await?;
    let updated = user::Entity::update_many()
        .col_expr(user::Column::ConfirmedAt, Expr::value(now))
        .col_expr(
            user::Column::ConfirmationTokenHash,
            Expr::value(Option::<String>::None),
        )
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(user.id))
        .filter(user::Column::ConfirmationTokenHash.eq(hash_token(token)))
        .exec(&tx)
        .await?;
    if updated.rows_affected == 0 {
        return Err(invalid());
    }
    if let Err(refusal) = may_log_in(&user) {
        // Confirmed, but not to be logged in yet.
        tx.commit().await?;
        return Err(refusal);
    }
    let login = open_api_session(ctx, &tx, user.id).await?;
    tx.commit().await?;
    tracing::info!(user_id = user.id, "account confirmed");
    Ok(login)
}

/// Sends the confirmation mail again. Answers the same whatever the address, so it cannot be
/// used to learn who has an account.
pub async fn resend_confirmation(ctx: &AppContext, client: &Client, raw_email: &str) -> Result<()> {
    let email = email::normalize(raw_email)?;
    spend_account_mail(ctx, client, &email).await?;
    let now = ctx.now();
    let Some(user) = find_by_email(&ctx.db, &email).await? else {
        return Ok(());
    };
    if user.confirmed_at.is_some()
        || user
            .confirmation_sent_at
            .is_some_and(|at| now - at < MAIL_RESEND_INTERVAL)
    {
        return Ok(());
    }
    let (token, token_hash) = random_token();
    let tx = begin_write(ctx).await?;
    user::Entity::update_many()
        .col_expr(user::Column::ConfirmationTokenHash, Expr::value(token_hash))
        .col_expr(user::Column::ConfirmationSentAt, Expr::value(now))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(user.id))
        .exec(&tx)
        .await?;
    notices::queue_confirmation(ctx, &tx, &user, &token, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Counts a confirmation or reset mail asked for, whether or not the address has an account,
/// so that the budgets tell nobody which addresses do.
async fn spend_account_mail(ctx: &AppContext, client: &Client, address: &str) -> Result<()> {
    rate_limits::spend_for_client(
        ctx,
        "account_mail.client",
        client,
        ctx.settings.rate_limits.account_mails_per_client,
    )
    .await?;
    rate_limits::spend_mail_to(ctx, address).await
}

pub async fn find_by_email(
    conn: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(conn)
        .await?)
}

pub async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<user::Model> {
    user::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("user"))
}

/// Checks email and password and opens an API session.
pub async fn login(
    ctx: &AppContext,
    client: &Client,
    raw_email: &str,
    password_input: &str,
) -> Result<Login> {
    let user = check_credentials(ctx, client, raw_email, password_input).await?;
    let tx = begin_write(ctx).await?;
    let login = open_api_session(ctx, &tx, user.id).await?;
    tx.commit().await?;
    Ok(login)
}

/// The account matching the credentials, within the login budgets (shared by API and
/// browser logins). The attempt is counted before the password is checked, so attempts sent
/// at once are held to the budget like attempts sent one after another; a right password
/// gives back what it was counted. A client that keeps failing on an account waits; the
/// account's owner elsewhere does not (see `rate_limits.login_per_account`).
pub async fn check_credentials(
    ctx: &AppContext,
    client: &Client,
    raw_email: &str,
    password_input: &str,
) -> Result<user::Model> {
    let budgets = &ctx.settings.rate_limits;
    let email = email::normalize(raw_email).ok();
    // Unknown and malformed addresses are counted too: guessing costs the same either way.
    let account = email
        .clone()
        .unwrap_or_else(|| raw_email.trim().to_lowercase());
    let pair = match client.subject() {
        Some(client) => {
            rate_limits::spend(ctx, LOGIN_CLIENT, &client, budgets.login_per_client).await?;
            let pair = format!("{client} {account}");
            let count =
                rate_limits::spend(ctx, LOGIN_PAIR, &pair, budgets.login_per_client_and_account)
                    .await?;
            Some((client, pair, count.hits))
        }
        None => None,
    };
    let on_account =
        rate_limits::count(ctx, LOGIN_ACCOUNT, &account, budgets.login_per_account).await?;
    let failed_here_before = pair.as_ref().is_some_and(|(_, _, hits)| *hits > 1);
    if on_account.over(budgets.login_per_account) && failed_here_before {
        return Err(on_account.refusal(ctx.now()));
    }

    let user = match &email {
        Some(email) => find_by_email(&ctx.db, email).await?,
        None => None,
    };
    let Some(user) = user else {
        // Same cost as a real check, so timing does not reveal which addresses have accounts.
        password::verify(&ctx.password_slots, password_input, password::DUMMY_HASH).await?;
        return Err(Error::InvalidCredentials);
    };
    if !password::verify(&ctx.password_slots, password_input, &user.password_hash).await? {
        return Err(Error::InvalidCredentials);
    }
    // The right password: this attempt was no failure.
    if let Some((client, pair, _)) = &pair {
        rate_limits::forget(ctx, LOGIN_PAIR, pair).await?;
        rate_limits::refund(ctx, LOGIN_CLIENT, client).await?;
    }
    rate_limits::refund(ctx, LOGIN_ACCOUNT, &account).await?;
    if user.confirmed_at.is_none() {
        return Err(Error::UserNotConfirmed);
    }
    if let Some(suspension) = crate::actors::suspensions::of_user(&ctx.db, user.id).await? {
        let why = suspension
            .reason
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        return Err(Error::rule(
            "account_suspended",
            format!("this account was suspended by the moderators{why}"),
        ));
    }
    may_log_in(&user)?;
    let now = ctx.now();
    user::Entity::update_many()
        .col_expr(user::Column::LastLoginAt, Expr::value(now))
        .filter(user::Column::Id.eq(user.id))
        .exec(&ctx.db)
        .await?;
    Ok(user)
}

/// Refuses an account that administrators disabled or that waits for a moderator's approval.
pub fn may_log_in(user: &user::Model) -> Result<()> {
    if user.disabled_at.is_some() {
        return Err(Error::rule(
            "account_disabled",
            "this account was disabled by the administrators",
        ));
    }
    if user.awaiting_approval {
        return Err(Error::rule(
            "registration_pending",
            "a moderator has not approved this account yet; you will get a mail when they do",
        ));
    }
    Ok(())
}

/// What the login budgets count (`rate_limits` keys).
const LOGIN_CLIENT: &str = "login.client";
const LOGIN_PAIR: &str = "login.client_account";
const LOGIN_ACCOUNT: &str = "login.account";

async fn open_api_session(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Login> {
    let now = ctx.now();
    let issued = sessions::create(
        conn,
        user_id,
        SessionKind::Api,
        now,
        Duration::days(ctx.settings.auth.refresh_token_days),
    )
    .await?;
    let user = find(conn, user_id).await?;
    Ok(Login {
        access_token: access_token_for(ctx, user_id, issued.session.id)?,
        refresh_token: issued.token,
        user,
    })
}

fn access_token_for(ctx: &AppContext, user_id: i64, session_id: i64) -> Result<String> {
    tokens::issue_access_token(
        &ctx.secrets.token_signing_key,
        user_id,
        session_id,
        ctx.now(),
        Duration::minutes(ctx.settings.auth.access_token_minutes),
    )
}

/// Exchanges a refresh token for a new access token and a new refresh token.
pub async fn refresh(ctx: &AppContext, refresh_token: &str) -> Result<Login> {
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let issued = sessions::rotate(
        &tx,
        refresh_token,
        now,
        Duration::days(ctx.settings.auth.refresh_token_days),
    )
    .await;
    // A detected reuse revoked a session: keep that even though the call fails.
    let issued = match issued {
        Ok(issued) => issued,
        Err(err) => {
            tx.commit().await?;
            return Err(err);
        }
    };
    let user = find(&tx, issued.session.user_id).await?;
    tx.commit().await?;
    Ok(Login {
        access_token: access_token_for(ctx, user.id, issued.session.id)?,
        refresh_token: issued.token,
        user,
    })
}

/// Ends the session of a refresh token. Unknown tokens are not an error: the result is the same.
pub async fn logout(ctx: &AppContext, refresh_token: &str) -> Result<()> {
    let now = ctx.now();
    if let Some(session) =
        sessions::find_active(&ctx.db, refresh_token, SessionKind::Api, now).await?
    {
        sessions::revoke(&ctx.db, session.id, now).await?;
    }
    Ok(())
}

/// Resolves an access token to the user it speaks for.
pub async fn authenticate(ctx: &AppContext, access_token: &str) -> Result<CurrentUser> {
    let now = ctx.now();
    let claims = tokens::decode_access_token(&ctx.secrets.token_signing_key, access_token, now)?;
    let user_id: i64 = claims.sub.parse().map_err(|_| Error::Unauthenticated)?;
    // Read before the database is: a change committed meanwhile makes what is read outdated.
    let generation = ctx.changes.generation();
    if let Some(kept) = ctx.logins.api(generation, claims.sid, user_id, now) {
        return Ok(kept);
    }
    let session = sessions::find_by_id_active(&ctx.db, claims.sid, now)
        .await?
        .filter(|s| s.user_id == user_id)
        .ok_or(Error::Unauthenticated)?;
    let user = user::Entity::find_by_id(user_id)
        .one(&ctx.db)
        .await?
        .filter(|u| u.confirmed_at.is_some() && may_log_in(u).is_ok())
        .ok_or(Error::Unauthenticated)?;
    let current = CurrentUser::from_model(&user, session.id, super::user_locale(ctx, &user));
    ctx.logins
        .keep_api(generation, &current, session.expires_at);
    Ok(current)
}

/// Queues a reset link. Answers the same whether or not the account exists.
pub async fn send_reset_password(
    ctx: &AppContext,
    client: &Client,
    raw_email: &str,
    locale: Option<&str>,
) -> Result<()> {
    let email = email::normalize(raw_email)?;
    // Checked even though unused when the account exists, so bad input is reported the same.
    let _ = parse_locale(ctx, locale).await?;
    spend_account_mail(ctx, client, &email).await?;
    let now = ctx.now();
    let Some(user) = find_by_email(&ctx.db, &email).await? else {
        return Ok(());
    };
    if user
        .reset_sent_at
        .is_some_and(|at| now - at < MAIL_RESEND_INTERVAL)
    {
        return Ok(());
    }
    let (token, token_hash) = random_token();
    let tx = begin_write(ctx).await?;
    user::Entity::update_many()
        .col_expr(user::Column::ResetTokenHash, Expr::value(token_hash))
        .col_expr(user::Column::ResetSentAt, Expr::value(now))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(user.id))
        .exec(&tx)
        .await?;
    notices::queue_reset(ctx, &tx, &user, &token, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new password from a reset link, ends every other session and logs in. Following the
/// link proves the address, so an unconfirmed account becomes confirmed.
pub async fn reset_password(ctx: &AppContext, token: &str, new_password: &str) -> Result<Login> {
    password::validate_new(
        new_password,
        ctx.settings.auth.min_password_length,
        "password",
    )?;
    let now = ctx.now();
    let invalid = || Error::invalid("token", "this reset link is invalid or has expired");
    let user = user::Entity::find()
        .filter(user::Column::ResetTokenHash.eq(hash_token(token)))
        .one(&ctx.db)
        .await?
        .ok_or_else(invalid)?;
    if user
        .reset_sent_at
        .is_none_or(|at| now - at > RESET_VALIDITY)
    {
        return Err(invalid());
    }
    may_log_in(&user)?;
    let password_hash = password::hash(&ctx.password_slots, new_password).await?;
    let tx = begin_write(ctx).await?;
    let updated = user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(password_hash))
        .col_expr(
            user::Column::ResetTokenHash,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            user::Column::ConfirmedAt,
            Expr::value(user.confirmed_at.unwrap_or(now)),
        )
        .col_expr(
            user::Column::ConfirmationTokenHash,
            Expr::value(Option::<String>::None),
        )
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(user.id))
        .filter(user::Column::ResetTokenHash.eq(hash_token(token)))
        .exec(&tx)
        .await?;
    if updated.rows_affected == 0 {
        return Err(invalid());
    }
    sessions::revoke_all(&tx, user.id, None, now).await?;
    let login = open_api_session(ctx, &tx, user.id).await?;
    tx.commit().await?;
    // The owner proved themselves by mail: failures others piled on the account are forgotten.
    rate_limits::forget(ctx, LOGIN_ACCOUNT, &user.email).await?;
    tracing::info!(user_id = user.id, "password reset");
    Ok(login)
}

/// Changes the password of the logged-in user; other sessions end.
pub async fn change_password(
    ctx: &AppContext,
    current: &CurrentUser,
    old_password: &str,
    new_password: &str,
) -> Result<user::Model> {
    let user = find(&ctx.db, current.id).await?;
    if !password::verify(&ctx.password_slots, old_password, &user.password_hash).await? {
        return Err(Error::invalid(
            "oldPassword",
            "the current password is wrong",
        ));
    }
    password::validate_new(
        new_password,
        ctx.settings.auth.min_password_length,
        "newPassword",
    )?;
    if old_password == new_password {
        return Err(Error::invalid(
            "newPassword",
            "the new password must differ from the current one",
        ));
    }
    let now = ctx.now();
    let password_hash = password::hash(&ctx.password_slots, new_password).await?;
    let tx = begin_write(ctx).await?;
    let mut active: user::ActiveModel = user.into();
    active.password_hash = Set(password_hash);
    active.updated_at = Set(now);
    let user = active.update(&tx).await?;
    sessions::revoke_all(&tx, user.id, Some(current.session_id), now).await?;
    tx.commit().await?;
    Ok(user)
}

/// Deletes the account and its identities after checking the password.
pub async fn delete_account(
    ctx: &AppContext,
    current: &CurrentUser,
    password_input: &str,
) -> Result<()> {
    let user = find(&ctx.db, current.id).await?;
    if !password::verify(&ctx.password_slots, password_input, &user.password_hash).await? {
        return Err(Error::invalid("password", "the password is wrong"));
    }
    let tx = begin_write(ctx).await?;
    // The identities go with the account (a cascade): other instances hear they are gone.
    let now = ctx.now();
    for identity in crate::actors::persons::of_user::identities(&tx, user.id).await? {
        // Their seats go to those waiting, as if they had left, before the cascade removes
        // the rows (which would free them for nobody).
        crate::participations::leave::withdraw_from_upcoming(ctx, &tx, &identity).await?;
        crate::outbox::actor_deleted(ctx, &tx, now, &identity).await?;
    }
    user::Entity::delete_by_id(user.id).exec(&tx).await?;
    tx.commit().await?;
    tracing::info!(user_id = user.id, "account deleted");
    Ok(())
}

/// Removes accounts never confirmed within the validity of their link.
pub async fn purge_unconfirmed(ctx: &AppContext) -> Result<u64> {
    let cutoff = ctx.now() - CONFIRMATION_VALIDITY;
    let result = user::Entity::delete_many()
        .filter(user::Column::ConfirmedAt.is_null())
        .filter(user::Column::CreatedAt.lt(cutoff))
        .exec(&ctx.db)
        .await?;
    if result.rows_affected > 0 {
        tracing::info!(count = result.rows_affected, "unconfirmed accounts purged");
    }
    Ok(result.rows_affected)
}

pub async fn list(
    conn: &impl ConnectionTrait,
    page: u64,
    limit: u64,
) -> Result<(u64, Vec<user::Model>)> {
    let query = user::Entity::find();
    let total = query.clone().count(conn).await?;
    let rows = query
        .order_by_asc(user::Column::Id)
        .offset(page.saturating_sub(1) * limit)
        .limit(limit)
        .all(conn)
        .await?;
    Ok((total, rows))
}

/// Changes the language of the account.
pub async fn set_locale(
    ctx: &AppContext,
    current: &CurrentUser,
    locale: &str,
) -> Result<user::Model> {
    let locale = parse_locale(ctx, Some(locale)).await?;
    let user = find(&ctx.db, current.id).await?;
    let mut active: user::ActiveModel = user.into();
    active.locale = Set(locale.code().to_owned());
    active.updated_at = Set(ctx.now());
    Ok(active.update(&ctx.db).await?)
}
