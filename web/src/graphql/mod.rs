//! The GraphQL API: thin adapters over backend services, with Mobilizon's operation, argument
//! and type names. Each context has its own module with its query and mutation objects,
//! merged here.

mod absinthe_uploads;
mod action_logs;
mod addresses;
mod admin_settings;
mod comments;
mod config;
mod conversations;
pub mod cors;
pub mod cost;
mod directory;
mod discussions;
mod encodings;
pub mod errors;
mod event_details;
mod event_queries;
mod events;
mod exports;
mod feeds;
mod group_members;
mod group_queries;
mod groups;
pub mod http;
mod instances;
mod interact;
mod loaders;
mod media;
mod objects;
pub mod parsed;
mod participations;
mod persons;
mod posts;
mod recurrence;
mod reports;
mod suspensions;
mod tags;
mod user_admin;
mod users;

use async_graphql::{Context, EmptySubscription, MergedObject, Schema};
use axum::http::{HeaderMap, header};
use backend::AppContext;
use backend::users::CurrentUser;

use errors::GqlResult;

#[derive(MergedObject, Default)]
pub struct Query(
    config::ConfigQuery,
    users::UserQuery,
    persons::PersonQuery,
    group_queries::GroupQuery,
    event_queries::EventQuery,
    comments::CommentQuery,
    conversations::ConversationQuery,
    posts::PostQuery,
    interact::InteractQuery,
    tags::TagQuery,
    directory::DirectoryQuery,
    directory::LanguageQuery,
    instances::InstanceQuery,
    admin_settings::AdminSettingsQuery,
    recurrence::RecurrenceQuery,
    reports::ReportQuery,
    action_logs::ActionLogQuery,
    addresses::AddressQuery,
    user_admin::UserAdminQuery,
    discussions::DiscussionQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    users::UserMutation,
    persons::PersonMutation,
    groups::GroupMutation,
    events::EventMutation,
    participations::ParticipationMutation,
    comments::CommentMutation,
    conversations::ConversationMutation,
    posts::PostMutation,
    exports::ExportMutation,
    feeds::FeedTokensMutation,
    media::MediaMutation,
    instances::InstanceMutation,
    admin_settings::AdminSettingsMutation,
    reports::ReportMutation,
    suspensions::SuspensionMutation,
    user_admin::UserAdminMutation,
    discussions::DiscussionMutation,
);

pub type ConviveSchema = Schema<Query, Mutation, EmptySubscription>;

pub fn build_schema(ctx: AppContext, fetcher: federation::Federation) -> ConviveSchema {
    let limits = ctx.settings.graphql.clone();
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .data(loaders::Loaders::new(&ctx.db))
        .data(media::loader(&ctx.db))
        .data(posts::loader(&ctx.db))
        .data(fetcher)
        .data(ctx)
        .register_output_type::<group_queries::GroupSearchResult>()
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity)
        .limit_recursive_depth(64)
        .finish()
}

/// Who is asking: set per request from the `Authorization` header.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub user: Option<CurrentUser>,
}

impl Viewer {
    /// Reads `Authorization: Bearer <accessToken>`. A missing, expired or forged token leaves
    /// the request anonymous: operations that need a user then answer `unauthenticated`.
    pub async fn from_headers(ctx: &AppContext, headers: &HeaderMap) -> Self {
        let token = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let Some(token) = token else {
            return Self::default();
        };
        match backend::users::service::authenticate(ctx, token).await {
            Ok(user) => Self { user: Some(user) },
            Err(backend::Error::Unauthenticated) => Self::default(),
            Err(err) => {
                tracing::error!(error = %err, "authenticating a request failed");
                Self::default()
            }
        }
    }
}

/// The domain context of the schema.
pub fn app<'a>(ctx: &Context<'a>) -> GqlResult<&'a AppContext> {
    ctx.data::<AppContext>()
}

/// The logged-in user, or an `unauthenticated` error.
pub fn current_user<'a>(ctx: &Context<'a>) -> GqlResult<&'a CurrentUser> {
    ctx.data_opt::<Viewer>()
        .and_then(|viewer| viewer.user.as_ref())
        .ok_or_else(|| errors::to_gql(backend::Error::Unauthenticated))
}

/// The logged-in user, if any.
pub fn viewer<'a>(ctx: &Context<'a>) -> Option<&'a CurrentUser> {
    ctx.data_opt::<Viewer>()
        .and_then(|viewer| viewer.user.as_ref())
}

/// The caller as the domain sees them.
pub fn principal(ctx: &Context<'_>) -> backend::principal::Principal {
    viewer(ctx).cloned().into()
}

/// Where the request comes from, for the rate limits.
pub fn client(ctx: &Context<'_>) -> backend::rate_limits::Client {
    ctx.data_opt::<backend::rate_limits::Client>()
        .copied()
        .unwrap_or(backend::rate_limits::Client::Local)
}

/// Parses a GraphQL `ID` holding one of our integer ids.
pub fn parse_id(id: &async_graphql::ID, field: &str) -> GqlResult<i64> {
    id.parse::<i64>()
        .map_err(|_| errors::invalid(field, "not a valid id"))
}
