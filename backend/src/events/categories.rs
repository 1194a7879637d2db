//! Event categories: Mobilizon's list, under its GraphQL names.

pub const CATEGORIES: &[&str] = &[
    "ARTS",
    "BOOK_CLUBS",
    "BUSINESS",
    "CAUSES",
    "COMEDY",
    "CRAFTS",
    "FOOD_DRINK",
    "HEALTH",
    "MUSIC",
    "AUTO_BOAT_AIR",
    "COMMUNITY",
    "FAMILY_EDUCATION",
    "FASHION_BEAUTY",
    "FILM_MEDIA",
    "GAMES",
    "LANGUAGE_CULTURE",
    "LEARNING",
    "LGBTQ",
    "MOVEMENTS_POLITICS",
    "NETWORKING",
    "PARTY",
    "PERFORMING_VISUAL_ARTS",
    "PETS",
    "PHOTOGRAPHY",
    "OUTDOORS_ADVENTURE",
    "SPIRITUALITY_RELIGION_BELIEFS",
    "SCIENCE_TECH",
    "SPORTS",
    "THEATRE",
    "MEETING",
];

/// The canonical name of a category given in any case, if it exists.
pub fn parse(raw: &str) -> Option<&'static str> {
    let wanted = raw.trim().to_ascii_uppercase();
    CATEGORIES.iter().copied().find(|c| *c == wanted)
}

/// A readable English label ("BOOK_CLUBS" → "Book clubs"), for calendars and feeds.
pub fn label(category: &str) -> String {
    let words = category.to_ascii_lowercase().replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{ActiveEnum, Iterable};

    /// The list here (kept as `&'static str` for pages and feeds) is the entity's enum, which
    /// is also the GraphQL one: they cannot drift apart.
    #[test]
    fn the_categories_are_the_entity_enums_values_in_its_order() {
        let entity: Vec<String> = entity::EventCategory::iter()
            .map(|c| c.to_value())
            .collect();
        assert_eq!(entity, super::CATEGORIES);
    }
}
