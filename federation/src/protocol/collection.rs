//! Ordered collections and their pages, as we serve them (outboxes, followers and members
//! counts, upcoming events).

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum CollectionType {
    OrderedCollection,
    OrderedCollectionPage,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Collection<T> {
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub kind: CollectionType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_of: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<String>,
    pub total_items: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ordered_items: Option<Vec<T>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

impl<T> Collection<T> {
    /// A collection that tells how many items it has, and nothing else.
    pub fn count(id: Option<String>, total_items: u64) -> Self {
        Self {
            id,
            kind: CollectionType::OrderedCollection,
            part_of: None,
            attributed_to: None,
            total_items,
            first: None,
            ordered_items: None,
            next: None,
        }
    }
}
