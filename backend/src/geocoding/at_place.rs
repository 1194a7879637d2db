//! What "events in Montreuil", "in 93100" or "in Lyon" means: events whose address names the
//! town or postal code, and events near the town the gazetteer knows by that name (or, for a
//! town it does not know, the average position of this instance's addresses there).

use sea_orm::ConnectionTrait;

use super::{Geocoder, country_of_language};
use crate::error::Result;
use crate::events::PlaceFilter;
use crate::search::fold;

impl Geocoder {
    /// The filter for a place typed in a search, or `None` when nothing is known by that name.
    /// `radius_km` is how far from the town's position events are found.
    pub async fn place_filter(
        &self,
        conn: &impl ConnectionTrait,
        typed: &str,
        language: &str,
        radius_km: f64,
    ) -> Result<Option<PlaceFilter>> {
        let mut postal_code = None;
        let name = typed
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|word| {
                let is_code =
                    (4..=5).contains(&word.len()) && word.chars().all(|c| c.is_ascii_digit());
                if is_code && postal_code.is_none() {
                    postal_code = Some((*word).to_owned());
                }
                !is_code && !word.is_empty()
            })
            .collect::<Vec<_>>()
            .join(" ");
        let mut filter = PlaceFilter {
            postal_code,
            ..PlaceFilter::default()
        };
        if fold(&name).chars().count() >= 2 {
            filter.localities.push(name.clone());
            let towns = self
                .gazetteer
                .towns_named(&name, country_of_language(language), 5)
                .await?;
            if let Some(town) = towns.iter().find(|t| fold(&t.name) == fold(&name)) {
                if town.name != name {
                    filter.localities.push(town.name.clone());
                }
                filter.near = Some(((town.latitude, town.longitude), radius_km));
            } else if let Some(known) = crate::addresses::known_places(conn, &name, 1)
                .await?
                .into_iter()
                .next()
            {
                filter.near = Some(((known.latitude, known.longitude), radius_km));
            } else {
                // Unknown to the gazetteer and to our addresses: no such town.
                filter.localities.clear();
            }
        }
        Ok((filter.postal_code.is_some() || !filter.localities.is_empty()).then_some(filter))
    }
}
