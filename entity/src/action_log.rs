use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One moderation or administration action: who (a moderator's identity; none for the
/// instance itself), what, on what (`object_kind` and `object_id`, and `object_label` saying
/// what it was, kept when it is gone), why, and when.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "action_logs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub actor_id: Option<i64>,
    pub action: ActionLogAction,
    pub object_kind: ObjectKind,
    pub object_id: Option<i64>,
    pub object_label: String,
    pub reason: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

// What was done (Mobilizon's `ActionLogAction`; a plain comment: a doc comment would become
// the GraphQL enum's description).
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(
    feature = "graphql",
    derive(async_graphql::Enum),
    graphql(name = "ActionLogAction")
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum ActionLogAction {
    #[sea_orm(string_value = "report_update_closed")]
    ReportUpdateClosed,
    #[sea_orm(string_value = "report_update_opened")]
    ReportUpdateOpened,
    #[sea_orm(string_value = "report_update_resolved")]
    ReportUpdateResolved,
    #[sea_orm(string_value = "note_creation")]
    NoteCreation,
    #[sea_orm(string_value = "note_deletion")]
    NoteDeletion,
    #[sea_orm(string_value = "event_deletion")]
    EventDeletion,
    #[sea_orm(string_value = "comment_deletion")]
    CommentDeletion,
    #[sea_orm(string_value = "event_update")]
    EventUpdate,
    #[sea_orm(string_value = "actor_suspension")]
    ActorSuspension,
    #[sea_orm(string_value = "actor_unsuspension")]
    ActorUnsuspension,
    #[sea_orm(string_value = "user_deletion")]
    UserDeletion,
    // Convive's own, beside Mobilizon's: what administrators do to accounts.
    #[sea_orm(string_value = "user_role_change")]
    UserRoleChange,
    #[sea_orm(string_value = "user_email_change")]
    UserEmailChange,
    #[sea_orm(string_value = "user_confirmation")]
    UserConfirmation,
    #[sea_orm(string_value = "user_disabling")]
    UserDisabling,
    #[sea_orm(string_value = "user_enabling")]
    UserEnabling,
    #[sea_orm(string_value = "user_approval")]
    UserApproval,
    #[sea_orm(string_value = "invitation_creation")]
    InvitationCreation,
    #[sea_orm(string_value = "registration_rules_change")]
    RegistrationRulesChange,
    #[sea_orm(string_value = "job_retry")]
    JobRetry,
    /// What the instance says about itself (rules, terms, privacy policy, colours…).
    #[sea_orm(string_value = "instance_settings_change")]
    InstanceSettingsChange,
    #[sea_orm(string_value = "domain_blocking")]
    DomainBlocking,
    #[sea_orm(string_value = "domain_unblocking")]
    DomainUnblocking,
    // Our instance's follows of other instances and theirs of ours (Mobilizon's relays),
    // which Mobilizon does not log.
    #[sea_orm(string_value = "instance_following")]
    InstanceFollowing,
    #[sea_orm(string_value = "instance_unfollowing")]
    InstanceUnfollowing,
    #[sea_orm(string_value = "instance_follow_acceptance")]
    InstanceFollowAcceptance,
    #[sea_orm(string_value = "instance_follow_rejection")]
    InstanceFollowRejection,
    #[sea_orm(string_value = "instance_follower_removal")]
    InstanceFollowerRemoval,
}

/// What an action was done on.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ObjectKind {
    #[sea_orm(string_value = "report")]
    Report,
    #[sea_orm(string_value = "report_note")]
    ReportNote,
    #[sea_orm(string_value = "event")]
    Event,
    #[sea_orm(string_value = "comment")]
    Comment,
    #[sea_orm(string_value = "actor")]
    Actor,
    #[sea_orm(string_value = "user")]
    User,
    #[sea_orm(string_value = "invitation")]
    Invitation,
    #[sea_orm(string_value = "instance")]
    Instance,
    #[sea_orm(string_value = "job")]
    Job,
}
