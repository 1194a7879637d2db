//! Tags of events: shared rows keyed by their folded form, so "Vélo" and "velo" are one tag.

use std::collections::HashMap;

use entity::{event_tag, tag};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::error::Result;

pub fn slug(title: &str) -> String {
    crate::search::fold(title)
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
    // In the order they were given.
    let mut ordered = tags;
    ordered.sort_by_key(|t| slugs.iter().position(|s| *s == t.slug));
    Ok(ordered)
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
    let tag_ids: Vec<i64> = links.iter().map(|l| l.tag_id).collect();
    let tags: HashMap<i64, tag::Model> = tag::Entity::find()
        .filter(tag::Column::Id.is_in(tag_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let mut by_event: HashMap<i64, Vec<tag::Model>> = HashMap::new();
    for link in links {
        if let Some(tag) = tags.get(&link.tag_id) {
            by_event.entry(link.event_id).or_default().push(tag.clone());
        }
    }
    for tags in by_event.values_mut() {
        tags.sort_by(|a, b| a.slug.cmp(&b.slug));
    }
    Ok(by_event)
}
