//! The columns searches read from an event row: its words (title, tags, description and place,
//! folded) and its place's position with the cell searches find it by. Local events and the
//! copies of other instances' events fill them alike.

use entity::event;
use sea_orm::Set;

use super::sanitize;
use crate::addresses::Place;

/// Sets the words searched for an event (title, tags, description and place, folded) in the
/// two columns that hold them.
pub fn set_search_words(
    row: &mut event::ActiveModel,
    title: &str,
    tags: &[String],
    description: &str,
    place: Option<&Place>,
) {
    let (words, more) = search_columns(title, tags, description, place);
    row.search_text = Set(words);
    row.search_text_more = Set(more);
}

/// `events.search_text` and `events.search_text_more` for these details.
pub fn search_columns(
    title: &str,
    tags: &[String],
    description: &str,
    place: Option<&Place>,
) -> (String, Option<String>) {
    crate::search::split_words(search_words(title, tags, description, place))
}

fn search_words(title: &str, tags: &[String], description: &str, place: Option<&Place>) -> String {
    let mut parts = vec![title.to_owned()];
    parts.extend(tags.iter().cloned());
    parts.push(sanitize::plain_text(description));
    if let Some(place) = place {
        parts.extend(
            [&place.description, &place.locality, &place.region]
                .into_iter()
                .flatten()
                .cloned(),
        );
    }
    crate::search::words(&parts.join(" "))
}

/// The event's copy of its place's position, and the cell searches find it by.
pub fn set_position(row: &mut event::ActiveModel, place: Option<&Place>) {
    let (latitude, longitude) = (
        place.and_then(|p| p.latitude),
        place.and_then(|p| p.longitude),
    );
    row.latitude = Set(latitude);
    row.longitude = Set(longitude);
    row.geo_cell = Set(crate::search::geo_cell(latitude, longitude));
}
