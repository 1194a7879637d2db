//! The columns searches read from an event row: its words (title, tags, description and place,
//! folded), its place's position with the cell searches find it by, and how long it lasts.
//! Local events and the copies of other instances' events fill them alike.

use chrono::{DateTime, Utc};
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

/// Sets the event's times with the length searches of long events compare (none without an
/// end).
pub fn set_times(
    row: &mut event::ActiveModel,
    begins_on: DateTime<Utc>,
    ends_on: Option<DateTime<Utc>>,
) {
    row.begins_on = Set(begins_on);
    row.ends_on = Set(ends_on);
    row.lasts_seconds = Set(ends_on.map(|ends_on| (ends_on - begins_on).num_seconds()));
}

#[cfg(test)]
mod tests {
    use sea_orm::ActiveValue;

    use super::*;

    fn place() -> Place {
        Place {
            description: Some("Town hall".to_owned()),
            street: Some("1 Main Street".to_owned()),
            locality: Some("Lyon".to_owned()),
            latitude: Some(45.76),
            longitude: Some(4.83),
            ..Place::default()
        }
    }

    #[test]
    fn an_event_is_found_by_its_title_tags_text_and_place_but_not_its_street() {
        let mut row = event::ActiveModel::default();
        let tags = ["Bikes".to_owned()];
        set_search_words(
            &mut row,
            "Repair Café",
            &tags,
            "<p>Bring <b>tools</b></p>",
            Some(&place()),
        );
        let ActiveValue::Set(words) = row.search_text else {
            panic!("the words are set");
        };
        for word in ["repair", "cafe", "bikes", "bring", "tools", "town", "lyon"] {
            assert!(words.split(' ').any(|w| w == word), "{word} in {words:?}");
        }
        assert!(!words.contains("main"), "{words:?}");
        assert!(!words.contains('<'), "{words:?}");
        assert!(matches!(row.search_text_more, ActiveValue::Set(None)));
    }

    #[test]
    fn an_event_lasts_from_its_start_to_its_end_and_has_no_length_without_an_end() {
        let mut row = event::ActiveModel::default();
        let begins_on = DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        set_times(
            &mut row,
            begins_on,
            Some(begins_on + chrono::Duration::hours(3)),
        );
        assert!(matches!(row.lasts_seconds, ActiveValue::Set(Some(10_800))));
        set_times(&mut row, begins_on, None);
        assert!(matches!(row.lasts_seconds, ActiveValue::Set(None)));
        assert!(matches!(row.ends_on, ActiveValue::Set(None)));
    }

    #[test]
    fn an_event_takes_its_places_position_and_cell_and_loses_them_with_it() {
        let mut row = event::ActiveModel::default();
        set_position(&mut row, Some(&place()));
        assert!(matches!(row.latitude, ActiveValue::Set(Some(l)) if l == 45.76));
        assert!(matches!(row.longitude, ActiveValue::Set(Some(l)) if l == 4.83));
        let cell = crate::search::geo_cell(Some(45.76), Some(4.83));
        assert!(cell.is_some());
        assert!(matches!(row.geo_cell, ActiveValue::Set(c) if c == cell));
        set_position(&mut row, None);
        assert!(matches!(row.latitude, ActiveValue::Set(None)));
        assert!(matches!(row.geo_cell, ActiveValue::Set(None)));
    }
}
