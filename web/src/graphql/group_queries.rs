//! Finding groups, with Mobilizon's names: `group` and `searchGroups` (by words and place).

use async_graphql::{Context, Enum, ID, Interface, Object};
use backend::groups;
use entity::actor::ActorKind;

use super::addresses::Address;
use super::app;
use super::errors::{GqlResult, IntoGql, invalid};
use super::objects::{Group, Media, PaginatedGroupList, page};

/// Mobilizon's `GroupSearchResult`: what a found group shows, over its groups here and the
/// results of its global search (which this instance does not have).
// Clippy reads the fields' repeated `ty = …` as duplicated attributes.
#[allow(clippy::duplicated_attributes)]
#[derive(Interface)]
#[graphql(
    field(name = "id", ty = "ID"),
    field(name = "url", ty = "&str"),
    field(name = "type", method = "actor_type", ty = "ActorKind"),
    field(name = "name", ty = "Option<&str>"),
    field(name = "domain", ty = "Option<&str>"),
    field(name = "summary", ty = "Option<&str>"),
    field(name = "preferred_username", ty = "&str"),
    field(name = "avatar", ty = "Option<Media>"),
    field(name = "banner", ty = "Option<Media>"),
    field(name = "followers_count", ty = "u64"),
    field(name = "members_count", ty = "u64"),
    field(name = "physical_address", ty = "Option<Address>")
)]
pub enum GroupSearchResult {
    Group(Group),
}

/// Where to search (Mobilizon's `SearchTarget`).
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum SearchTarget {
    /// This instance's content only.
    #[graphql(name = "SELF")]
    Itself,
    /// This instance's and what it stored from others.
    Internal,
    /// Mobilizon's search across instances: this instance has none, so it searches as
    /// `INTERNAL`, as Mobilizon does when its global search is off.
    Global,
}

/// How found groups are sorted (Mobilizon's `SearchGroupSortOptions`).
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum SearchGroupSortOptions {
    /// By username: found groups are not ranked here.
    MatchDesc,
    MemberCountAsc,
    MemberCountDesc,
    CreatedAtAsc,
    CreatedAtDesc,
    LastEventActivity,
}

#[derive(Default)]
pub struct GroupQuery;

#[Object]
impl GroupQuery {
    /// A group by `name` (local) or `name@host`.
    async fn group(&self, ctx: &Context<'_>, preferred_username: String) -> GqlResult<Group> {
        Ok(Group(
            groups::find_by_username(&app(ctx)?.db, &preferred_username)
                .await
                .gql()?,
        ))
    }

    /// Public groups whose name or username contains every word of `term`, near a place
    /// when `location` is given.
    #[allow(clippy::too_many_arguments)]
    async fn search_groups(
        &self,
        ctx: &Context<'_>,
        term: Option<String>,
        #[graphql(desc = "A geohash of the center, as Mobilizon clients send it.")]
        location: Option<String>,
        #[graphql(desc = "Kilometers around `location` (default 50).")] radius: Option<f64>,
        #[graphql(desc = "Corners of a map, as top_lat,left_lon:bottom_lat,right_lon.")]
        bbox: Option<String>,
        search_target: Option<SearchTarget>,
        sort_by: Option<SearchGroupSortOptions>,
        #[graphql(
            name = "languageOneOf",
            desc = "Ignored, as Mobilizon's search of its own groups ignores it: groups \
                          have no language."
        )]
        _language_one_of: Option<Vec<Option<String>>>,
        #[graphql(
            name = "boostLanguages",
            desc = "Ignored, as Mobilizon's search of its own groups ignores it."
        )]
        _boost_languages: Option<Vec<Option<String>>>,
        #[graphql(
            name = "zoom",
            desc = "Ignored: only Mobilizon's global search reads the map's zoom."
        )]
        _zoom: Option<i32>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<PaginatedGroupList> {
        let term = term.as_deref().unwrap_or("");
        // `@name@host` finds a group of another instance through WebFinger, as in Mobilizon.
        if let Some(handle) = federation::other_instance_handle(app(ctx)?, term) {
            let fetcher = ctx.data::<federation::Federation>()?;
            let found = match federation::resolve_handle(fetcher, handle).await {
                Ok(actor) if actor.kind == entity::ActorKind::Group && !actor.suspended => {
                    vec![Group(actor)]
                }
                Ok(_) => Vec::new(),
                Err(err) => {
                    tracing::debug!(error = %err, "a group handle did not resolve");
                    Vec::new()
                }
            };
            return Ok(PaginatedGroupList {
                total: found.len() as u64,
                elements: found,
            });
        }
        let created_newest_first = match sort_by.unwrap_or(SearchGroupSortOptions::MatchDesc) {
            SearchGroupSortOptions::MatchDesc => None,
            SearchGroupSortOptions::CreatedAtAsc => Some(false),
            SearchGroupSortOptions::CreatedAtDesc => Some(true),
            SearchGroupSortOptions::MemberCountAsc
            | SearchGroupSortOptions::MemberCountDesc
            | SearchGroupSortOptions::LastEventActivity => {
                return Err(invalid(
                    "sortBy",
                    "groups are sorted by name or creation here",
                ));
            }
        };
        let query = groups::GroupSearch {
            term: term.to_owned(),
            near: super::event_queries::near(location.as_deref(), radius)?,
            within_box: super::event_queries::geo_box(bbox.as_deref())?,
            local_only: search_target == Some(SearchTarget::Itself),
            created_newest_first,
        };
        let list = groups::search(&app(ctx)?.db, &query, self::page(page, limit)?)
            .await
            .gql()?;
        Ok(PaginatedGroupList {
            total: list.total,
            elements: list.elements.into_iter().map(Group).collect(),
        })
    }
}
