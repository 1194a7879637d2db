//! Address lookup: from words to places (Mobilizon's `searchAddress`) and from a position to
//! places (`reverseGeocode`), for the event form and the API, and towns by name for searches
//! by place. One interface over two sources: the towns the binary carries ([`gazetteer`]),
//! which answer with no configuration, and a server the administrator sets ([`remote`]),
//! called from here only. When that server fails, the towns answer and the failure is logged.

mod at_place;
pub mod countries;
pub mod gazetteer;
pub mod positions;
pub mod remote;

use std::time::Duration;

pub use gazetteer::{Gazetteer, Town};
pub use positions::FindPositionsJob;
pub use remote::RemoteGeocoder;

use crate::addresses::Place;
use crate::error::{Error, Result};
use crate::principal::Principal;
use crate::settings::GeocodingSettings;

/// Longest query looked up.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most places one lookup answers.
pub const MAX_RESULTS: usize = 20;
/// How far from a position its nearest town may be.
const NEAREST_TOWN_KM: f64 = 50.0;

/// What kind of place was found (Mobilizon's `Address.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    House,
    Street,
    /// A town, village or city: its position is the town's.
    Town,
    Other,
}

impl PlaceKind {
    /// The word Mobilizon's clients choose an icon by.
    pub fn as_mobilizon(self) -> &'static str {
        match self {
            PlaceKind::House => "house",
            PlaceKind::Street => "street",
            PlaceKind::Town => "administrative",
            PlaceKind::Other => "zone",
        }
    }
}

/// A place a lookup found: an address ready to be an event's, with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundPlace {
    pub place: Place,
    pub kind: PlaceKind,
    /// Its id at the server that found it.
    pub origin_id: Option<String>,
}

/// What to look for.
#[derive(Debug, Clone, Default)]
pub struct AddressQuery {
    pub text: String,
    /// A language code such as `fr`: servers answer in it, and the towns of the country it
    /// is mostly spoken in come first.
    pub language: String,
    /// Towns only (Mobilizon's `type: ADMINISTRATIVE`).
    pub towns_only: bool,
    pub limit: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Geocoder {
    pub gazetteer: Gazetteer,
    remote: Option<RemoteGeocoder>,
}

impl Geocoder {
    pub fn from_settings(settings: &GeocodingSettings) -> Result<Self> {
        let remote = match settings.server() {
            Some((kind, url)) => Some(
                RemoteGeocoder::new(kind, url, Duration::from_secs(settings.timeout_secs))
                    .map_err(Error::internal)?,
            ),
            None => None,
        };
        Ok(Self {
            gazetteer: Gazetteer::default(),
            remote,
        })
    }

    /// Places matching `query`, the likeliest first. Anyone may look addresses up.
    pub async fn search_address(
        &self,
        _principal: &Principal,
        query: &AddressQuery,
    ) -> Result<Vec<FoundPlace>> {
        let text = query.text.trim();
        if text.chars().count() > MAX_QUERY_CHARS {
            return Err(Error::invalid(
                "query",
                format!("at most {MAX_QUERY_CHARS} characters"),
            ));
        }
        let limit = query.limit.clamp(1, MAX_RESULTS);
        if text.chars().count() < 2 {
            return Ok(Vec::new());
        }
        if let Some(remote) = &self.remote {
            match remote
                .search(text, &query.language, query.towns_only, limit)
                .await
            {
                Ok(places) => return Ok(distinct(places)),
                Err(err) => {
                    tracing::warn!(error = %err, "geocoding server failed; the built-in towns answer")
                }
            }
        }
        self.towns_for(text, &query.language, query.towns_only, limit)
            .await
    }

    /// Places at a position, the nearest first (Mobilizon's `reverseGeocode`).
    pub async fn reverse_geocode(
        &self,
        _principal: &Principal,
        latitude: f64,
        longitude: f64,
        language: &str,
        zoom: u8,
    ) -> Result<Vec<FoundPlace>> {
        if !(-90.0..=90.0).contains(&latitude) {
            return Err(Error::invalid(
                "latitude",
                "expected degrees between -90 and 90",
            ));
        }
        if !(-180.0..=180.0).contains(&longitude) {
            return Err(Error::invalid(
                "longitude",
                "expected degrees between -180 and 180",
            ));
        }
        if let Some(remote) = &self.remote {
            match remote.reverse(latitude, longitude, language, zoom).await {
                Ok(places) => return Ok(distinct(places)),
                Err(err) => {
                    tracing::warn!(error = %err, "geocoding server failed; the built-in towns answer")
                }
            }
        }
        Ok(self
            .gazetteer
            .nearest(latitude, longitude, NEAREST_TOWN_KM)
            .await?
            .map(|town| town_place(&town, None, None, language))
            .into_iter()
            .collect())
    }

    /// The towns a query names, keeping what else it says (a street, a postal code) in the
    /// places found: "12 rue de Paris, Montreuil 93100" gives Montreuil with that street and
    /// postal code, at the town's position.
    async fn towns_for(
        &self,
        text: &str,
        language: &str,
        towns_only: bool,
        limit: usize,
    ) -> Result<Vec<FoundPlace>> {
        let country = country_of_language(language);
        let parsed = ParsedQuery::new(text);
        for (town_words, rest) in parsed.splits() {
            let towns = self
                .gazetteer
                .towns_named(&town_words, country, limit)
                .await?;
            let exact: Vec<&Town> = towns
                .iter()
                .filter(|t| crate::search::fold(&t.name) == crate::search::fold(&town_words))
                .collect();
            if !exact.is_empty() {
                let street = (!towns_only).then_some(rest).flatten();
                return Ok(exact
                    .into_iter()
                    .map(|town| {
                        town_place(town, street.clone(), parsed.postal_code.clone(), language)
                    })
                    .collect());
            }
        }
        // Nothing named exactly: the towns whose name starts so (someone still typing).
        let last = parsed.parts.last().cloned().unwrap_or_default();
        Ok(self
            .gazetteer
            .towns_named(&last, country, limit)
            .await?
            .iter()
            .map(|town| town_place(town, None, parsed.postal_code.clone(), language))
            .collect())
    }
}

/// The places in their order, each once (a server may give one place twice, through two
/// of its records).
fn distinct(places: Vec<FoundPlace>) -> Vec<FoundPlace> {
    let mut kept: Vec<FoundPlace> = Vec::with_capacity(places.len());
    for place in places {
        if !kept.iter().any(|k| k.place == place.place) {
            kept.push(place);
        }
    }
    kept
}

/// The country whose towns come first for a language: where it is mostly spoken from, for
/// the languages pages are offered in; none for English, spoken everywhere.
fn country_of_language(language: &str) -> Option<&'static str> {
    match language.get(..2)? {
        "fr" => Some("FR"),
        "de" => Some("DE"),
        "it" => Some("IT"),
        "es" => Some("ES"),
        "nl" => Some("NL"),
        _ => None,
    }
}

/// A town as a place, its country named in `language` (as the servers name it).
fn town_place(
    town: &Town,
    street: Option<String>,
    postal_code: Option<String>,
    language: &str,
) -> FoundPlace {
    FoundPlace {
        place: Place {
            description: None,
            street,
            postal_code,
            locality: Some(town.name.clone()),
            region: Some(town.region.clone()).filter(|r| !r.is_empty()),
            country: Some(town.country.as_str())
                .filter(|c| !c.is_empty())
                .map(|code| countries::name(code, language).unwrap_or(code).to_owned()),
            latitude: Some(town.latitude),
            longitude: Some(town.longitude),
        },
        kind: PlaceKind::Town,
        origin_id: None,
    }
}

/// A typed address cut into its parts: those between commas, with a postal code (a word of
/// four or five digits) taken apart.
struct ParsedQuery {
    parts: Vec<String>,
    postal_code: Option<String>,
}

impl ParsedQuery {
    fn new(text: &str) -> Self {
        let mut postal_code = None;
        let parts = text
            .split(',')
            .map(|part| {
                part.split_whitespace()
                    .filter(|word| {
                        let is_code = (4..=5).contains(&word.len())
                            && word.chars().all(|c| c.is_ascii_digit());
                        if is_code && postal_code.is_none() {
                            postal_code = Some((*word).to_owned());
                        }
                        !is_code
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|part| !part.is_empty())
            .collect();
        Self { parts, postal_code }
    }

    /// The ways to read the query as (town, what comes before it): each part from the last,
    /// then, within the last part, its last one to three words ("12 rue Haute Lyon").
    fn splits(&self) -> Vec<(String, Option<String>)> {
        let mut splits = Vec::new();
        for i in (0..self.parts.len()).rev() {
            let before = self.parts[..i].join(", ");
            splits.push((
                self.parts[i].clone(),
                Some(before).filter(|b| !b.is_empty()),
            ));
        }
        if let Some(last) = self.parts.last() {
            let words: Vec<&str> = last.split_whitespace().collect();
            for n in (1..=3.min(words.len().saturating_sub(1))).rev() {
                let (head, town) = words.split_at(words.len() - n);
                let mut before = self.parts[..self.parts.len() - 1].to_vec();
                before.push(head.join(" "));
                splits.push((town.join(" "), Some(before.join(", "))));
            }
        }
        splits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(text: &str) -> AddressQuery {
        AddressQuery {
            text: text.to_owned(),
            language: "fr".to_owned(),
            towns_only: false,
            limit: 5,
        }
    }

    #[tokio::test]
    async fn a_typed_address_gives_its_town_with_the_street_and_postal_code_kept() {
        let geocoder = Geocoder::default();
        let found = geocoder
            .search_address(
                &Principal::Anonymous,
                &query("12 rue de Paris, Montreuil 93100"),
            )
            .await
            .expect("lookup");
        let first = &found[0];
        assert_eq!(first.place.street.as_deref(), Some("12 rue de Paris"));
        assert_eq!(first.place.postal_code.as_deref(), Some("93100"));
        assert_eq!(first.place.locality.as_deref(), Some("Montreuil"));
        assert_eq!(first.place.country.as_deref(), Some("France"));
        let (lat, lon) = first.place.position().expect("a position");
        assert!(
            (lat - 48.86).abs() < 0.02 && (lon - 2.44).abs() < 0.02,
            "{first:?}"
        );
    }

    #[tokio::test]
    async fn a_town_is_found_without_commas_and_while_it_is_being_typed() {
        let geocoder = Geocoder::default();
        let found = geocoder
            .search_address(&Principal::Anonymous, &query("3 place Bellecour Lyon"))
            .await
            .expect("lookup");
        assert_eq!(found[0].place.locality.as_deref(), Some("Lyon"));
        assert_eq!(found[0].place.street.as_deref(), Some("3 place Bellecour"));
        let typing = geocoder
            .search_address(&Principal::Anonymous, &query("Montp"))
            .await
            .expect("lookup");
        assert_eq!(typing[0].place.locality.as_deref(), Some("Montpellier"));
    }

    #[tokio::test]
    async fn a_position_gives_its_town_and_a_bad_one_is_refused_on_its_field() {
        let geocoder = Geocoder::default();
        let found = geocoder
            .reverse_geocode(&Principal::Anonymous, 45.7578, 4.832, "en", 15)
            .await
            .expect("lookup");
        assert_eq!(found[0].place.locality.as_deref(), Some("Lyon"));
        assert_eq!(found[0].place.country.as_deref(), Some("France"));
        let in_germany = geocoder
            .reverse_geocode(&Principal::Anonymous, 52.52, 13.405, "fr", 15)
            .await
            .expect("lookup");
        assert_eq!(in_germany[0].place.country.as_deref(), Some("Allemagne"));
        match geocoder
            .reverse_geocode(&Principal::Anonymous, 95.0, 0.0, "en", 15)
            .await
        {
            Err(Error::Invalid(fields)) => assert_eq!(fields[0].field, "latitude"),
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn an_overlong_query_is_refused_and_a_one_letter_one_finds_nothing() {
        let geocoder = Geocoder::default();
        assert!(matches!(
            geocoder
                .search_address(&Principal::Anonymous, &query(&"a".repeat(201)))
                .await,
            Err(Error::Invalid(_))
        ));
        assert!(
            geocoder
                .search_address(&Principal::Anonymous, &query("a"))
                .await
                .expect("lookup")
                .is_empty()
        );
    }
}
