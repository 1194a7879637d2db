//! Who may register ([`RegistrationMode`]): chosen in `convive.toml` and, once an
//! administrator chooses in the administration ([`save_rules`]), kept in the database so that
//! every node applies the same; the invitations that admit someone while registrations are
//! by invitation only ([`invite`]); and the sign-up form's captcha-free defence against
//! scripts ([`form_ticket`], [`check_form`]): a field people never see must stay empty, and
//! the form must have been shown a few seconds before it is sent.

use chrono::{DateTime, Duration, Utc};
use entity::action_log::{ActionLogAction, ObjectKind};
use entity::{instance_setting, invitation};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, Set,
};
use serde::{Deserialize, Serialize};

use super::policy::{self, Admission, Refusal};
use super::tokens::{hash_token, random_token};
use crate::action_log::{self, Object};
use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::{Error, Result};
use crate::principal::Principal;
use crate::settings::InstanceSettings;

const KEY: &str = "registration";
/// Entries of the allowlist.
pub const MAX_ALLOWLIST: usize = 1_000;
/// How long an invitation link stays valid.
pub const INVITATION_VALIDITY: Duration = Duration::days(14);
/// How long a shown sign-up form stays usable.
const FORM_VALIDITY: Duration = Duration::hours(12);

/// Who may register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegistrationMode {
    /// Anyone.
    Open,
    /// Anyone, but a moderator approves each new account before it may log in.
    Approval,
    /// Only addresses of the allowlist's domains, or the allowlist's addresses.
    Allowlist,
    /// Only with an invitation link from a moderator.
    Invitation,
    /// Nobody.
    Closed,
}

impl RegistrationMode {
    pub const ALL: [RegistrationMode; 5] = [
        RegistrationMode::Open,
        RegistrationMode::Approval,
        RegistrationMode::Allowlist,
        RegistrationMode::Invitation,
        RegistrationMode::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RegistrationMode::Open => "open",
            RegistrationMode::Approval => "approval",
            RegistrationMode::Allowlist => "allowlist",
            RegistrationMode::Invitation => "invitation",
            RegistrationMode::Closed => "closed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == raw.trim())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationRules {
    pub mode: RegistrationMode,
    /// Lowercase domains (`example.org`) and addresses.
    pub allowlist: Vec<String>,
}

impl RegistrationRules {
    /// Mobilizon's `registrationsOpen`: anyone may sign up (maybe to wait for approval).
    pub fn open_to_all(&self) -> bool {
        matches!(
            self.mode,
            RegistrationMode::Open | RegistrationMode::Approval
        )
    }

    /// Whether `email` (normalized) is on the allowlist, by its address or its domain.
    pub fn allows(&self, email: &str) -> bool {
        let domain = email.rsplit_once('@').map(|(_, d)| d).unwrap_or("");
        self.allowlist
            .iter()
            .any(|entry| entry == email || entry == domain)
    }
}

/// The rules the configuration file sets.
pub fn configured(instance: &InstanceSettings) -> RegistrationRules {
    RegistrationRules {
        mode: instance
            .registration_mode
            .unwrap_or(if instance.registrations_open {
                RegistrationMode::Open
            } else {
                RegistrationMode::Closed
            }),
        allowlist: instance
            .registrations_allowlist
            .iter()
            .filter_map(|e| allowlist_entry(e))
            .collect(),
    }
}

/// An allowlist entry in its kept form: a lowercase domain, or a normalized address.
pub fn allowlist_entry(raw: &str) -> Option<String> {
    let raw = raw.trim().to_lowercase();
    if raw.contains('@') {
        return super::email::normalize(&raw).ok();
    }
    let labels_ok = raw.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    });
    (raw.contains('.') && raw.len() <= 253 && labels_ok).then_some(raw)
}

/// The rules in force: the administrators' choice, else the configuration file's.
pub async fn rules(ctx: &AppContext, conn: &impl ConnectionTrait) -> Result<RegistrationRules> {
    let Some(row) = instance_setting::Entity::find_by_id(KEY.to_owned())
        .one(conn)
        .await?
    else {
        return Ok(configured(&ctx.settings.instance));
    };
    Ok(serde_json::from_str(&row.value).unwrap_or_else(|err| {
        tracing::error!(error = %err, "unreadable registration rules; using the configured ones");
        configured(&ctx.settings.instance)
    }))
}

/// An administrator's change; `None` leaves a part as it is.
#[derive(Debug, Clone, Default)]
pub struct RulesChanges {
    pub mode: Option<RegistrationMode>,
    pub allowlist: Option<Vec<String>>,
}

/// An administrator changes who may register, on every node at once.
pub async fn save_rules(
    ctx: &AppContext,
    principal: &Principal,
    changes: RulesChanges,
) -> Result<RegistrationRules> {
    principal.require_admin("only administrators choose who may register")?;
    let mut rules = rules(ctx, &ctx.db).await?;
    if let Some(list) = changes.allowlist {
        if list.len() > MAX_ALLOWLIST {
            return Err(Error::invalid(
                "registrationsAllowlist",
                format!("at most {MAX_ALLOWLIST} entries"),
            ));
        }
        let mut kept = Vec::new();
        for raw in list.iter().filter(|e| !e.trim().is_empty()) {
            let entry = allowlist_entry(raw).ok_or_else(|| {
                Error::invalid(
                    "registrationsAllowlist",
                    format!(
                        "\"{}\" is neither an email domain nor an address",
                        raw.trim()
                    ),
                )
            })?;
            if !kept.contains(&entry) {
                kept.push(entry);
            }
        }
        rules.allowlist = kept;
    }
    if let Some(mode) = changes.mode {
        rules.mode = mode;
    }
    let value = serde_json::to_string(&rules).map_err(Error::internal)?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    instance_setting::Entity::insert(instance_setting::ActiveModel {
        key: Set(KEY.to_owned()),
        value: Set(value),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(instance_setting::Column::Key)
            .update_columns([
                instance_setting::Column::Value,
                instance_setting::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(&tx)
    .await?;
    let moderator = action_log::moderator_of(&tx, principal).await?;
    let object = Object {
        kind: ObjectKind::Instance,
        id: 0,
        label: rules.mode.code().to_owned(),
    };
    let action = ActionLogAction::RegistrationRulesChange;
    action_log::record(&tx, now, moderator, action, object, None).await?;
    tx.commit().await?;
    tracing::info!(mode = rules.mode.code(), "registration rules changed");
    Ok(rules)
}

/// Whether `email` (normalized) may register now, with `invitation` if they bring one.
/// Checked again, with the invitation spent, in the transaction that creates the account
/// ([`spend_invitation`]).
pub async fn admission(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    email: &str,
    invitation: Option<&str>,
) -> Result<Admission> {
    Ok(admission_or_refusal(ctx, conn, email, invitation).await??)
}

/// As [`admission`], with the refusal kept typed (the sign-up form tells it beside the
/// form's other problems).
pub async fn admission_or_refusal(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    email: &str,
    invitation: Option<&str>,
) -> Result<std::result::Result<Admission, Refusal>> {
    let rules = rules(ctx, conn).await?;
    let invited = match invitation.map(str::trim).filter(|t| !t.is_empty()) {
        Some(token) => match valid_invitation(conn, token, ctx.now()).await {
            Ok(_) => true,
            Err(Error::Invalid(_)) => return Ok(Err(Refusal::InvitationInvalid)),
            Err(other) => return Err(other),
        },
        None => false,
    };
    Ok(policy::admission(rules.mode, rules.allows(email), invited))
}

fn invalid_invitation() -> Error {
    Error::invalid(
        "invitation",
        "this invitation is not valid: it was used already, or has expired",
    )
}

async fn valid_invitation(
    conn: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<invitation::Model> {
    invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(hash_token(token)))
        .filter(invitation::Column::UsedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(now))
        .one(conn)
        .await?
        .ok_or_else(invalid_invitation)
}

/// Marks the invitation used by the new account, in its transaction; the same invitation
/// sent twice at once admits one account.
pub async fn spend_invitation(
    conn: &impl ConnectionTrait,
    token: &str,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let spent = invitation::Entity::update_many()
        .col_expr(invitation::Column::UsedAt, Expr::value(now))
        .col_expr(invitation::Column::UsedByUserId, Expr::value(user_id))
        .filter(invitation::Column::TokenHash.eq(hash_token(token)))
        .filter(invitation::Column::UsedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(now))
        .exec(conn)
        .await?;
    if spent.rows_affected == 0 {
        return Err(invalid_invitation());
    }
    Ok(())
}

/// A new invitation and the one secret that opens it.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub token: String,
    pub invitation: invitation::Model,
}

impl Invitation {
    /// The sign-up page, opened for one person.
    pub fn link(&self, ctx: &AppContext) -> String {
        ctx.url(&format!("/register?invitation={}", self.token))
    }
}

/// A moderator makes an invitation for one person, valid [`INVITATION_VALIDITY`].
pub async fn invite(ctx: &AppContext, principal: &Principal) -> Result<Invitation> {
    principal.require_known()?;
    let user = principal.user();
    if !policy::can_admit(user.map(|u| u.role)) {
        return Err(Error::forbidden(
            "only moderators invite people to register",
        ));
    }
    let (token, token_hash) = random_token();
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let invitation = invitation::ActiveModel {
        id: NotSet,
        token_hash: Set(token_hash),
        created_by_user_id: Set(user.map(|u| u.id)),
        created_at: Set(now),
        expires_at: Set(now + INVITATION_VALIDITY),
        used_at: Set(None),
        used_by_user_id: Set(None),
    }
    .insert(&tx)
    .await?;
    let moderator = action_log::moderator_of(&tx, principal).await?;
    let object = Object {
        kind: ObjectKind::Invitation,
        id: invitation.id,
        label: format!("#{}", invitation.id),
    };
    let action = ActionLogAction::InvitationCreation;
    action_log::record(&tx, now, moderator, action, object, None).await?;
    tx.commit().await?;
    Ok(Invitation { token, invitation })
}

#[derive(Serialize, Deserialize)]
struct FormClaims {
    iat: i64,
    typ: String,
}

const FORM_TYPE: &str = "sign_up_form";

/// What the sign-up form carries to prove when it was shown (signed, so it cannot be
/// back-dated).
pub fn form_ticket(ctx: &AppContext) -> Result<String> {
    let claims = FormClaims {
        iat: ctx.now().timestamp(),
        typ: FORM_TYPE.to_owned(),
    };
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&ctx.secrets.token_signing_key),
    )
    .map_err(Error::internal)
}

/// Refuses a sign-up form whose hidden field (`honeypot`) was filled, which people never
/// see, or that comes back sooner than `auth.sign_up_min_fill_secs` after it was shown, or
/// without a ticket of this instance.
pub fn check_form(ctx: &AppContext, ticket: &str, honeypot: &str) -> Result<()> {
    let refused = || {
        Error::rule(
            "sign_up_refused",
            "this form could not be accepted; wait a few seconds and send it again",
        )
    };
    if !honeypot.trim().is_empty() {
        return Err(refused());
    }
    let mut validation = Validation::new(Algorithm::HS256);
    validation.validate_exp = false;
    validation.required_spec_claims.clear();
    let claims = jsonwebtoken::decode::<FormClaims>(
        ticket.trim(),
        &DecodingKey::from_secret(&ctx.secrets.token_signing_key),
        &validation,
    )
    .map_err(|_| refused())?
    .claims;
    let age = ctx.now().timestamp() - claims.iat;
    if claims.typ != FORM_TYPE
        || age < i64::from(ctx.settings.auth.sign_up_min_fill_secs)
        || age > FORM_VALIDITY.num_seconds()
    {
        return Err(refused());
    }
    Ok(())
}
