//! A geocoding server the administrator runs or chose (`[geocoding]`): Addok, Photon or
//! Nominatim. Called from this server only, never from people's browsers, with a timeout and
//! a bounded answer; all three answer GeoJSON features whose properties name the address's
//! parts, each in its own words.

use std::time::Duration;

use serde::Deserialize;
use url::Url;

use super::{FoundPlace, PlaceKind};
use crate::addresses::Place;
use crate::settings::GeocoderKind;

/// Largest answer read: a page of results is a few kilobytes.
const MAX_ANSWER_BYTES: usize = 512 * 1024;

/// Why a server gave no answer that can be used (logged, then the gazetteer answers).
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    #[error("request failed: {0}")]
    Request(#[from] reqwest::Error),
    #[error("answered HTTP {0}")]
    Status(u16),
    #[error("answer larger than {MAX_ANSWER_BYTES} bytes")]
    TooLarge,
    #[error("unreadable answer: {0}")]
    Unreadable(#[from] serde_json::Error),
}

#[derive(Debug, Clone)]
pub struct RemoteGeocoder {
    kind: GeocoderKind,
    base: Url,
    client: reqwest::Client,
}

#[derive(Deserialize)]
struct Collection {
    #[serde(default)]
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    geometry: Option<Geometry>,
    #[serde(default)]
    properties: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
struct Geometry {
    #[serde(default)]
    coordinates: Vec<f64>,
}

impl RemoteGeocoder {
    pub fn new(kind: GeocoderKind, base: Url, timeout: Duration) -> Result<Self, RemoteError> {
        crate::tls::use_ring();
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Convive/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { kind, base, client })
    }

    fn endpoint(&self, path: &str) -> Url {
        let mut url = self.base.clone();
        let joined = format!("{}/{path}", url.path().trim_end_matches('/'));
        url.set_path(&joined);
        url
    }

    pub async fn search(
        &self,
        query: &str,
        language: &str,
        towns_only: bool,
        limit: usize,
    ) -> Result<Vec<FoundPlace>, RemoteError> {
        let limit = limit.to_string();
        let request = match self.kind {
            GeocoderKind::Addok => {
                let mut params = vec![("q", query), ("limit", limit.as_str())];
                if towns_only {
                    params.push(("type", "municipality"));
                }
                self.client.get(self.endpoint("search/")).query(&params)
            }
            GeocoderKind::Photon => {
                let mut params = vec![("q", query), ("limit", limit.as_str())];
                if let Some(lang) = photon_language(language) {
                    params.push(("lang", lang));
                }
                if towns_only {
                    params.push(("layer", "city"));
                }
                self.client.get(self.endpoint("api")).query(&params)
            }
            GeocoderKind::Nominatim => {
                let mut params = vec![
                    ("q", query),
                    ("limit", limit.as_str()),
                    ("format", "geocodejson"),
                    ("addressdetails", "1"),
                    ("accept-language", language),
                ];
                if towns_only {
                    params.push(("featureType", "city"));
                }
                self.client.get(self.endpoint("search")).query(&params)
            }
        };
        self.places(request).await
    }

    pub async fn reverse(
        &self,
        latitude: f64,
        longitude: f64,
        language: &str,
        zoom: u8,
    ) -> Result<Vec<FoundPlace>, RemoteError> {
        let (lat, lon) = (latitude.to_string(), longitude.to_string());
        let request = match self.kind {
            GeocoderKind::Addok => self
                .client
                .get(self.endpoint("reverse/"))
                .query(&[("lat", lat.as_str()), ("lon", lon.as_str())]),
            GeocoderKind::Photon => {
                let mut params = vec![("lat", lat.as_str()), ("lon", lon.as_str())];
                if let Some(lang) = photon_language(language) {
                    params.push(("lang", lang));
                }
                self.client.get(self.endpoint("reverse")).query(&params)
            }
            GeocoderKind::Nominatim => {
                let zoom = zoom.min(18).to_string();
                self.client.get(self.endpoint("reverse")).query(&[
                    ("lat", lat.as_str()),
                    ("lon", lon.as_str()),
                    ("zoom", zoom.as_str()),
                    ("format", "geocodejson"),
                    ("addressdetails", "1"),
                    ("accept-language", language),
                ])
            }
        };
        self.places(request).await
    }

    async fn places(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<Vec<FoundPlace>, RemoteError> {
        let mut response = request.send().await?;
        if !response.status().is_success() {
            return Err(RemoteError::Status(response.status().as_u16()));
        }
        if response
            .content_length()
            .is_some_and(|length| length > MAX_ANSWER_BYTES as u64)
        {
            return Err(RemoteError::TooLarge);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(RemoteError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        parse(self.kind, &body)
    }
}

/// Photon speaks a few languages and refuses the others.
fn photon_language(language: &str) -> Option<&'static str> {
    ["en", "fr", "de", "it"]
        .into_iter()
        .find(|known| language.get(..2) == Some(*known))
}

/// The places of a GeoJSON answer.
pub(crate) fn parse(kind: GeocoderKind, body: &[u8]) -> Result<Vec<FoundPlace>, RemoteError> {
    let collection: Collection = serde_json::from_slice(body)?;
    Ok(collection
        .features
        .into_iter()
        .filter_map(|feature| place_of(kind, feature))
        .collect())
}

fn text(properties: &serde_json::Map<String, serde_json::Value>, key: &str) -> Option<String> {
    match properties.get(key)? {
        serde_json::Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn place_of(kind: GeocoderKind, feature: Feature) -> Option<FoundPlace> {
    let coordinates = feature.geometry?.coordinates;
    let (&longitude, &latitude) = (coordinates.first()?, coordinates.get(1)?);
    if !(-90.0..=90.0).contains(&latitude) || !(-180.0..=180.0).contains(&longitude) {
        return None;
    }
    let mut properties = feature.properties;
    if kind == GeocoderKind::Nominatim {
        // geocodejson nests the address under `geocoding`.
        if let Some(serde_json::Value::Object(inner)) = properties.remove("geocoding") {
            properties = inner;
        }
    }
    let get = |key: &str| text(&properties, key);
    let (kind_name, locality, region, origin_id) = match kind {
        GeocoderKind::Addok => (
            get("type"),
            get("city").or_else(|| get("municipality")),
            // "93, Seine-Saint-Denis, Île-de-France": the region is last.
            get("context").and_then(|c| c.rsplit(',').next().map(|r| r.trim().to_owned())),
            get("id"),
        ),
        GeocoderKind::Photon => (
            get("type").or_else(|| get("osm_value")),
            get("city").or_else(|| get("locality")),
            get("state"),
            get("osm_type")
                .zip(get("osm_id"))
                .map(|(t, id)| format!("osm:{t}:{id}")),
        ),
        GeocoderKind::Nominatim => (
            get("type"),
            get("city").or_else(|| get("locality")),
            get("state"),
            get("osm_type")
                .zip(get("osm_id"))
                .map(|(t, id)| format!("osm:{t}:{id}")),
        ),
    };
    let street = match (get("housenumber"), get("street")) {
        // Addok gives some house numbers with their street already.
        (Some(number), Some(street)) if number.contains(&street) => Some(number),
        (Some(number), Some(street)) => Some(format!("{number} {street}")),
        (None, Some(street)) => Some(street),
        // Addok names a street by its `name` alone.
        (None, None) if kind_name.as_deref() == Some("street") => get("name"),
        _ => None,
    };
    let kind = match kind_name.as_deref() {
        Some("housenumber" | "house") => PlaceKind::House,
        Some("street") => PlaceKind::Street,
        Some("municipality" | "city" | "town" | "village" | "locality") => PlaceKind::Town,
        _ => PlaceKind::Other,
    };
    let name = get("name");
    // A town's or street's name repeats the address; a venue's name says more.
    let description = name.filter(|name| {
        Some(name) != locality.as_ref()
            && Some(name) != street.as_ref()
            && !street
                .as_deref()
                .is_some_and(|s| s.ends_with(name.as_str()))
    });
    let locality = locality.or_else(|| (kind == PlaceKind::Town).then(|| get("name")).flatten());
    Some(FoundPlace {
        place: Place {
            description,
            street,
            postal_code: get("postcode"),
            locality,
            region,
            country: get("country"),
            latitude: Some(latitude),
            longitude: Some(longitude),
        },
        kind,
        origin_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_addok_answer_gives_street_postcode_town_and_region() {
        let body = r#"{"type":"FeatureCollection","features":[{"type":"Feature",
            "geometry":{"type":"Point","coordinates":[2.4412,48.8610]},
            "properties":{"label":"12 Rue de Paris 93100 Montreuil","type":"housenumber",
              "name":"12 Rue de Paris","housenumber":"12","street":"Rue de Paris",
              "postcode":"93100","city":"Montreuil","context":"93, Seine-Saint-Denis, Île-de-France",
              "id":"93048_1234_00012","score":0.9}}]}"#;
        let places = parse(GeocoderKind::Addok, body.as_bytes()).expect("parsed");
        let found = &places[0];
        assert_eq!(found.kind, PlaceKind::House);
        assert_eq!(found.place.street.as_deref(), Some("12 Rue de Paris"));
        assert_eq!(found.place.postal_code.as_deref(), Some("93100"));
        assert_eq!(found.place.locality.as_deref(), Some("Montreuil"));
        assert_eq!(found.place.region.as_deref(), Some("Île-de-France"));
        assert_eq!(found.place.description, None);
        assert_eq!(found.place.position(), Some((48.8610, 2.4412)));
        assert_eq!(found.origin_id.as_deref(), Some("93048_1234_00012"));
    }

    #[test]
    fn photon_and_nominatim_answers_are_read_in_their_own_words() {
        let photon = r#"{"features":[{"geometry":{"coordinates":[4.8357,45.764]},
            "properties":{"name":"Lyon","type":"city","state":"Auvergne-Rhône-Alpes",
              "country":"France","osm_type":"R","osm_id":120965}}]}"#;
        let found = &parse(GeocoderKind::Photon, photon.as_bytes()).expect("parsed")[0];
        assert_eq!(found.kind, PlaceKind::Town);
        assert_eq!(found.place.locality.as_deref(), Some("Lyon"));
        assert_eq!(found.place.country.as_deref(), Some("France"));
        assert_eq!(found.origin_id.as_deref(), Some("osm:R:120965"));

        let nominatim = r#"{"type":"FeatureCollection","features":[{"type":"Feature",
            "geometry":{"type":"Point","coordinates":[2.35,48.85]},
            "properties":{"geocoding":{"type":"house","name":"Café Oz","housenumber":"1",
              "street":"Rue Saint-Denis","postcode":"75001","city":"Paris","country":"France"}}}]}"#;
        let found = &parse(GeocoderKind::Nominatim, nominatim.as_bytes()).expect("parsed")[0];
        assert_eq!(found.place.description.as_deref(), Some("Café Oz"));
        assert_eq!(found.place.street.as_deref(), Some("1 Rue Saint-Denis"));
    }

    #[test]
    fn features_without_a_valid_position_are_left_out_and_garbage_is_an_error() {
        let body = br#"{"features":[{"geometry":{"coordinates":[500,10]},"properties":{}},
            {"geometry":null,"properties":{}}]}"#;
        assert!(parse(GeocoderKind::Addok, body).expect("parsed").is_empty());
        assert!(parse(GeocoderKind::Addok, b"<html>").is_err());
    }
}
