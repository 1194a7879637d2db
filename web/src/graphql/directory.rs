//! The instance seen whole, with Mobilizon's names: `persons`, `groups`, `users` and `user`
//! for moderators, `statistics` and `categoryStatistics` for everyone.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use backend::directory::{self, ActorFilters};
use entity::ActorKind;

use super::errors::{GqlResult, IntoGql};
use super::objects::{Group, PaginatedGroupList, Person, User, page};
use super::{app, parse_id, principal};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "SortDirection")]
pub enum SortDirection {
    Asc,
    Desc,
}

/// What a list of events is sorted by.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "EventOrderBy")]
pub enum EventOrderBy {
    BeginsOn,
    InsertedAt,
    UpdatedAt,
}

/// The backend's sort for `order` and `direction` (by start, ascending, as Mobilizon, when
/// not given).
pub fn event_order(
    order: Option<EventOrderBy>,
    direction: Option<SortDirection>,
) -> backend::events::EventOrder {
    use backend::events::EventOrderField as Field;
    backend::events::EventOrder {
        field: match order.unwrap_or(EventOrderBy::BeginsOn) {
            EventOrderBy::BeginsOn => Field::BeginsOn,
            EventOrderBy::InsertedAt => Field::InsertedAt,
            EventOrderBy::UpdatedAt => Field::UpdatedAt,
        },
        descending: direction == Some(SortDirection::Desc),
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "SortableUserField")]
pub enum SortableUserField {
    Id,
}

/// A page of persons (Mobilizon's `Persons`).
#[derive(SimpleObject)]
#[graphql(name = "Persons")]
pub struct PaginatedPersonList {
    pub total: u64,
    pub elements: Vec<Person>,
}

#[derive(SimpleObject)]
pub struct Users {
    total: u64,
    elements: Vec<User>,
}

#[derive(SimpleObject)]
pub struct Statistics {
    number_of_users: u64,
    /// Published public events known here, this instance's and others'.
    number_of_events: u64,
    number_of_local_events: u64,
    /// Comments do not exist here yet: none.
    number_of_comments: u64,
    number_of_local_comments: u64,
    /// Public groups known here.
    number_of_groups: u64,
    number_of_local_groups: u64,
    number_of_instance_followers: u64,
    number_of_instance_followings: u64,
}

#[derive(SimpleObject)]
pub struct CategoryStatistics {
    /// The category's GraphQL name.
    key: String,
    number: u64,
}

#[derive(Default)]
pub struct DirectoryQuery;

#[Object]
impl DirectoryQuery {
    /// People of this instance and others, newest first: for moderators.
    #[allow(clippy::too_many_arguments)]
    async fn persons(
        &self,
        ctx: &Context<'_>,
        preferred_username: Option<String>,
        name: Option<String>,
        domain: Option<String>,
        local: Option<bool>,
        suspended: Option<bool>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<PaginatedPersonList> {
        let filters = ActorFilters {
            preferred_username,
            name,
            domain,
            local,
            suspended,
        };
        let list = directory::actors(
            &app(ctx)?.db,
            &principal(ctx),
            ActorKind::Person,
            &filters,
            self::page(page, limit)?,
        )
        .await
        .gql()?;
        Ok(PaginatedPersonList {
            total: list.total,
            elements: list.elements.into_iter().map(Person).collect(),
        })
    }

    /// Groups of this instance and others, newest first: for moderators.
    #[allow(clippy::too_many_arguments)]
    async fn groups(
        &self,
        ctx: &Context<'_>,
        preferred_username: Option<String>,
        name: Option<String>,
        domain: Option<String>,
        local: Option<bool>,
        suspended: Option<bool>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<PaginatedGroupList> {
        let filters = ActorFilters {
            preferred_username,
            name,
            domain,
            local,
            suspended,
        };
        let list = directory::actors(
            &app(ctx)?.db,
            &principal(ctx),
            ActorKind::Group,
            &filters,
            self::page(page, limit)?,
        )
        .await
        .gql()?;
        Ok(PaginatedGroupList {
            total: list.total,
            elements: list.elements.into_iter().map(Group).collect(),
        })
    }

    /// Accounts whose address contains `email`: for moderators. No address of a connection
    /// is kept, so a `currentSignInIp` filter matches no account.
    #[allow(clippy::too_many_arguments)]
    async fn users(
        &self,
        ctx: &Context<'_>,
        email: Option<String>,
        current_sign_in_ip: Option<String>,
        page: Option<i64>,
        limit: Option<i64>,
        #[graphql(name = "sort")] _sort: Option<SortableUserField>,
        direction: Option<SortDirection>,
        #[graphql(
            desc = "Convive: only the registrations waiting for a moderator's approval \
                          (`true`), or only the others (`false`)."
        )]
        awaiting_approval: Option<bool>,
    ) -> GqlResult<Users> {
        let filters = directory::UserFilters {
            email,
            awaiting_approval,
            ascending: direction == Some(SortDirection::Asc),
        };
        let list = directory::users(
            &app(ctx)?.db,
            &principal(ctx),
            &filters,
            self::page(page, limit)?,
        )
        .await
        .gql()?;
        if current_sign_in_ip.is_some_and(|ip| !ip.trim().is_empty()) {
            return Ok(Users {
                total: 0,
                elements: Vec::new(),
            });
        }
        Ok(Users {
            total: list.total,
            elements: list.elements.into_iter().map(User::from).collect(),
        })
    }

    /// One account: for moderators.
    async fn user(&self, ctx: &Context<'_>, id: ID) -> GqlResult<User> {
        let id = parse_id(&id, "id")?;
        Ok(User::from(
            directory::user(&app(ctx)?.db, &principal(ctx), id)
                .await
                .gql()?,
        ))
    }

    /// What the instance holds, counted.
    async fn statistics(&self, ctx: &Context<'_>) -> GqlResult<Statistics> {
        let counts = directory::statistics(&app(ctx)?.db).await.gql()?;
        Ok(Statistics {
            number_of_users: counts.users,
            number_of_events: counts.events,
            number_of_local_events: counts.local_events,
            number_of_comments: 0,
            number_of_local_comments: 0,
            number_of_groups: counts.groups,
            number_of_local_groups: counts.local_groups,
            number_of_instance_followers: counts.instance_followers,
            number_of_instance_followings: counts.instance_followings,
        })
    }

    /// Published public events by category, most used first.
    async fn category_statistics(&self, ctx: &Context<'_>) -> GqlResult<Vec<CategoryStatistics>> {
        Ok(directory::events_by_category(&app(ctx)?.db)
            .await
            .gql()?
            .into_iter()
            .map(|(key, number)| CategoryStatistics { key, number })
            .collect())
    }
}

#[derive(SimpleObject)]
pub struct Language {
    /// ISO 639-1.
    code: String,
    /// In English.
    name: String,
}

#[derive(Default)]
pub struct LanguageQuery;

#[Object]
impl LanguageQuery {
    /// The languages an event may be written in, only those of `codes` when given.
    async fn languages(&self, codes: Option<Vec<String>>) -> Vec<Language> {
        backend::languages::list(codes.as_deref())
            .into_iter()
            .map(|(code, name)| Language {
                code: code.to_owned(),
                name: name.to_owned(),
            })
            .collect()
    }
}
