//! Tags of events: shared rows keyed by their folded form, so "Vélo" and "velo" are one tag.

use std::collections::HashMap;

use entity::{event_tag, tag};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use sea_orm::QueryTrait as _;
use sea_orm::sea_query::ExprTrait as _;

use crate::error::Result;

pub fn slug(title: &str) -> String {
    crate::search::fold(title)
}

/// The tags of these titles, created when new, in the order they were given. Shared by
/// events and posts.
pub async fn upsert(conn: &impl ConnectionTrait, titles: &[String]) -> Result<Vec<tag::Model>> {
    if titles.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<tag::ActiveModel> = titles
        .iter()
        .map(|title| tag::ActiveModel {
            id: NotSet,
            slug: Set(slug(title)),
            title: Set(title.clone()),
        })
        .collect();
    tag::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::column(tag::Column::Slug)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    let slugs: Vec<String> = titles.iter().map(|t| slug(t)).collect();
    let tags = tag::Entity::find()
        .filter(tag::Column::Slug.is_in(slugs.clone()))
        .all(conn)
        .await?;
    // In the order they were given.
    let mut ordered = tags;
    ordered.sort_by_key(|t| slugs.iter().position(|s| *s == t.slug));
    Ok(ordered)
}

/// Replaces the tags of an event.
pub async fn set_for_event(
    conn: &impl ConnectionTrait,
    event_id: i64,
    titles: &[String],
) -> Result<Vec<tag::Model>> {
    event_tag::Entity::delete_many()
        .filter(event_tag::Column::EventId.eq(event_id))
        .exec(conn)
        .await?;
    let tags = upsert(conn, titles).await?;
    if tags.is_empty() {
        return Ok(Vec::new());
    }
    let links: Vec<event_tag::ActiveModel> = tags
        .iter()
        .map(|t| event_tag::ActiveModel {
            event_id: Set(event_id),
            tag_id: Set(t.id),
        })
        .collect();
    event_tag::Entity::insert_many(links)
        .exec_without_returning(conn)
        .await?;
    Ok(tags)
}

/// Tags of several events at once (no query per event).
pub async fn for_events(
    conn: &impl ConnectionTrait,
    event_ids: &[i64],
) -> Result<HashMap<i64, Vec<tag::Model>>> {
    if event_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let links = event_tag::Entity::find()
        .filter(event_tag::Column::EventId.is_in(event_ids.iter().copied()))
        .all(conn)
        .await?;
    let links = links.into_iter().map(|l| (l.event_id, l.tag_id)).collect();
    by_owner(conn, links).await
}

/// The tags of each owner (an event, a post) from its `(owner, tag)` links, sorted by slug:
/// one query for all the tags.
pub(crate) async fn by_owner(
    conn: &impl ConnectionTrait,
    links: Vec<(i64, i64)>,
) -> Result<HashMap<i64, Vec<tag::Model>>> {
    let tag_ids: Vec<i64> = links.iter().map(|(_, tag_id)| *tag_id).collect();
    let tags: HashMap<i64, tag::Model> = tag::Entity::find()
        .filter(tag::Column::Id.is_in(tag_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let mut by_owner: HashMap<i64, Vec<tag::Model>> = HashMap::new();
    for (owner, tag_id) in links {
        if let Some(tag) = tags.get(&tag_id) {
            by_owner.entry(owner).or_default().push(tag.clone());
        }
    }
    for tags in by_owner.values_mut() {
        tags.sort_by(|a, b| a.slug.cmp(&b.slug));
    }
    Ok(by_owner)
}

/// Tags of listed events (public, published): tags only private events use are not shown.
fn listed_tag_ids() -> sea_orm::sea_query::SelectStatement {
    use sea_orm::QuerySelect;
    let listed = super::listed()
        .select_only()
        .column(entity::event::Column::Id)
        .into_query();
    event_tag::Entity::find()
        .select_only()
        .column(event_tag::Column::TagId)
        .filter(sea_orm::sea_query::Expr::col(event_tag::Column::EventId).in_subquery(listed))
        .into_query()
}

/// Tags of listed events whose title or slug contains `filter` (any case, accents or not),
/// by slug: Mobilizon's `tags(filter:)`.
pub async fn list(
    conn: &impl ConnectionTrait,
    filter: Option<&str>,
    page: crate::pagination::Page,
) -> Result<Vec<tag::Model>> {
    use sea_orm::{QueryOrder, QuerySelect};
    let mut query = tag::Entity::find()
        .filter(sea_orm::sea_query::Expr::col(tag::Column::Id).in_subquery(listed_tag_ids()));
    if let Some(filter) = filter.map(slug).filter(|f| !f.is_empty()) {
        query = query.filter(tag::Column::Slug.contains(&filter));
    }
    Ok(query
        .order_by_asc(tag::Column::Slug)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?)
}

/// Tags found on the same listed events as `tag_id`, most shared first.
pub async fn related(
    conn: &impl ConnectionTrait,
    tag_id: i64,
    limit: u64,
) -> Result<Vec<tag::Model>> {
    use sea_orm::sea_query::{Expr, Func, Order};
    use sea_orm::{QueryOrder, QuerySelect};
    let listed = super::listed()
        .select_only()
        .column(entity::event::Column::Id)
        .into_query();
    let events_with_tag = event_tag::Entity::find()
        .select_only()
        .column(event_tag::Column::EventId)
        .filter(event_tag::Column::TagId.eq(tag_id))
        .filter(Expr::col(event_tag::Column::EventId).in_subquery(listed))
        .into_query();
    let ids: Vec<i64> = event_tag::Entity::find()
        .select_only()
        .column(event_tag::Column::TagId)
        .filter(Expr::col(event_tag::Column::EventId).in_subquery(events_with_tag))
        .filter(event_tag::Column::TagId.ne(tag_id))
        .group_by(event_tag::Column::TagId)
        .order_by(
            Expr::expr(Func::count(Expr::col(event_tag::Column::EventId))),
            Order::Desc,
        )
        .order_by_asc(event_tag::Column::TagId)
        .limit(limit)
        .into_tuple()
        .all(conn)
        .await?;
    let mut tags = tag::Entity::find()
        .filter(tag::Column::Id.is_in(ids.clone()))
        .all(conn)
        .await?;
    tags.sort_by_key(|t| ids.iter().position(|id| *id == t.id));
    Ok(tags)
}
