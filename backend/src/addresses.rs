//! Physical places of events and groups. Positions travel as Mobilizon's `geom` strings,
//! `"longitude;latitude"`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::address;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect, Set,
};

use crate::error::{Error, Result, Validation};

/// An address as given by a client.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AddressInput {
    pub description: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub locality: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    /// `"longitude;latitude"`.
    pub geom: Option<String>,
}

/// A checked address, ready to store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Place {
    pub description: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub locality: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

impl Place {
    pub fn position(&self) -> Option<(f64, f64)> {
        self.latitude.zip(self.longitude)
    }

    pub fn is_empty(&self) -> bool {
        self.description.is_none()
            && self.street.is_none()
            && self.postal_code.is_none()
            && self.locality.is_none()
            && self.region.is_none()
            && self.country.is_none()
            && self.position().is_none()
    }
}

fn clean(
    value: Option<&str>,
    field: &str,
    max: usize,
    validation: &mut Validation,
) -> Option<String> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    if value.chars().count() > max {
        validation.add(field, format!("at most {max} characters"));
        return None;
    }
    if value.chars().any(char::is_control) {
        validation.add(field, "control characters are not allowed");
        return None;
    }
    Some(value.to_owned())
}

/// Parses `"longitude;latitude"` into (latitude, longitude).
pub fn parse_geom(raw: &str) -> Option<(f64, f64)> {
    let (lon, lat) = raw.trim().split_once(';')?;
    let lon: f64 = lon.trim().parse().ok()?;
    let lat: f64 = lat.trim().parse().ok()?;
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

/// Writes a position as Mobilizon's `"longitude;latitude"`.
pub fn format_geom(latitude: f64, longitude: f64) -> String {
    format!("{longitude};{latitude}")
}

/// Checks an address; `prefix` names it in errors (`physicalAddress`).
pub fn validate(input: &AddressInput, prefix: &str) -> Result<Place> {
    let mut validation = Validation::new();
    let field = |name: &str| format!("{prefix}.{name}");
    let place = Place {
        description: clean(
            input.description.as_deref(),
            &field("description"),
            255,
            &mut validation,
        ),
        street: clean(
            input.street.as_deref(),
            &field("street"),
            255,
            &mut validation,
        ),
        postal_code: clean(
            input.postal_code.as_deref(),
            &field("postalCode"),
            32,
            &mut validation,
        ),
        locality: clean(
            input.locality.as_deref(),
            &field("locality"),
            255,
            &mut validation,
        ),
        region: clean(
            input.region.as_deref(),
            &field("region"),
            255,
            &mut validation,
        ),
        country: clean(
            input.country.as_deref(),
            &field("country"),
            255,
            &mut validation,
        ),
        latitude: None,
        longitude: None,
    };
    let mut place = place;
    if let Some(geom) = input
        .geom
        .as_deref()
        .map(str::trim)
        .filter(|g| !g.is_empty())
    {
        match parse_geom(geom) {
            Some((lat, lon)) => {
                place.latitude = Some(lat);
                place.longitude = Some(lon);
            }
            None => validation.add(
                &field("geom"),
                "expected \"longitude;latitude\" in degrees, such as \"2.3522;48.8566\"",
            ),
        }
    }
    validation.finish()?;
    Ok(place)
}

pub async fn insert(
    conn: &impl ConnectionTrait,
    place: &Place,
    now: DateTime<Utc>,
) -> Result<address::Model> {
    let row = address::ActiveModel {
        id: NotSet,
        description: Set(place.description.clone()),
        street: Set(place.street.clone()),
        postal_code: Set(place.postal_code.clone()),
        locality: Set(place.locality.clone()),
        region: Set(place.region.clone()),
        country: Set(place.country.clone()),
        latitude: Set(place.latitude),
        longitude: Set(place.longitude),
        position_tried_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    Ok(address::Entity::insert(row)
        .exec_with_returning(conn)
        .await?)
}

/// Stores `place` in the row `existing` (or a new row), or removes the address when `place` is
/// `None`. Returns the id to keep.
pub async fn replace(
    conn: &impl ConnectionTrait,
    existing: Option<i64>,
    place: Option<&Place>,
    now: DateTime<Utc>,
) -> Result<Option<address::Model>> {
    match (existing, place) {
        (Some(id), Some(place)) => {
            let Some(row) = address::Entity::find_by_id(id).one(conn).await? else {
                return insert(conn, place, now).await.map(Some);
            };
            let mut active: address::ActiveModel = row.into();
            active.description = Set(place.description.clone());
            active.street = Set(place.street.clone());
            active.postal_code = Set(place.postal_code.clone());
            active.locality = Set(place.locality.clone());
            active.region = Set(place.region.clone());
            active.country = Set(place.country.clone());
            active.latitude = Set(place.latitude);
            active.longitude = Set(place.longitude);
            // A new address without a position is worth a new try.
            active.position_tried_at = Set(None);
            active.updated_at = Set(now);
            Ok(Some(active.update(conn).await?))
        }
        (None, Some(place)) => insert(conn, place, now).await.map(Some),
        (Some(id), None) => {
            address::Entity::delete_by_id(id).exec(conn).await?;
            Ok(None)
        }
        (None, None) => Ok(None),
    }
}

pub async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<address::Model> {
    address::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("address"))
}

pub async fn find_many(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, address::Model>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(address::Entity::find()
        .filter(address::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect())
}

/// "Maison des associations, 12 rue Haute, 69001 Lyon, France".
pub fn one_line(address: &address::Model) -> String {
    let city = [address.postal_code.as_deref(), address.locality.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    [
        address.description.as_deref(),
        address.street.as_deref(),
        Some(city.as_str()).filter(|c| !c.is_empty()),
        address.region.as_deref(),
        address.country.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter(|part| !part.is_empty())
    .fold(Vec::<&str>::new(), |mut parts, part| {
        // A place named after its street or town should not say it twice.
        if !parts.contains(&part) {
            parts.push(part);
        }
        parts
    })
    .join(", ")
}

/// A town known to the instance, with the average position of its addresses.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownPlace {
    pub locality: String,
    pub latitude: f64,
    pub longitude: f64,
}

/// Towns whose name starts with `name` (accents and case ignored), among addresses with a
/// position. Lets people search "near Lyon" without calling a geocoder.
pub async fn known_places(
    conn: &impl ConnectionTrait,
    name: &str,
    limit: u64,
) -> Result<Vec<KnownPlace>> {
    let wanted = crate::search::fold(name);
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Option<String>, Option<f64>, Option<f64>)> = address::Entity::find()
        .select_only()
        .column(address::Column::Locality)
        .column(address::Column::Latitude)
        .column(address::Column::Longitude)
        .filter(address::Column::Locality.is_not_null())
        .filter(address::Column::Latitude.is_not_null())
        .filter(address::Column::Longitude.is_not_null())
        .into_tuple()
        .all(conn)
        .await?;
    let mut towns: HashMap<String, (String, f64, f64, u32)> = HashMap::new();
    for (locality, lat, lon) in rows {
        let (Some(locality), Some(lat), Some(lon)) = (locality, lat, lon) else {
            continue;
        };
        let key = crate::search::fold(&locality);
        if !key.starts_with(&wanted) {
            continue;
        }
        let entry = towns.entry(key).or_insert((locality, 0.0, 0.0, 0));
        entry.1 += lat;
        entry.2 += lon;
        entry.3 += 1;
    }
    let mut places: Vec<KnownPlace> = towns
        .into_values()
        .map(|(locality, lat, lon, n)| KnownPlace {
            locality,
            latitude: lat / f64::from(n),
            longitude: lon / f64::from(n),
        })
        .collect();
    places.sort_by(|a, b| a.locality.cmp(&b.locality));
    places.truncate(usize::try_from(limit).unwrap_or(10));
    Ok(places)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geom_is_longitude_then_latitude() {
        assert_eq!(parse_geom("2.3522;48.8566"), Some((48.8566, 2.3522)));
        assert_eq!(format_geom(48.8566, 2.3522), "2.3522;48.8566");
        assert_eq!(parse_geom("200;10"), None);
        assert_eq!(parse_geom("2.3,48.8"), None);
    }

    #[test]
    fn a_bad_geom_is_reported_on_its_field() {
        let err = validate(
            &AddressInput {
                geom: Some("here".into()),
                ..Default::default()
            },
            "physicalAddress",
        )
        .expect_err("invalid");
        match err {
            Error::Invalid(fields) => assert_eq!(fields[0].field, "physicalAddress.geom"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn one_line_addresses_skip_empty_and_repeated_parts() {
        let now = Utc::now();
        let address = address::Model {
            id: 1,
            description: Some("Lyon".into()),
            street: Some("12 rue Haute".into()),
            postal_code: Some("69001".into()),
            locality: Some("Lyon".into()),
            region: None,
            country: Some("France".into()),
            latitude: None,
            longitude: None,
            position_tried_at: None,
            created_at: now,
            updated_at: now,
        };
        assert_eq!(one_line(&address), "Lyon, 12 rue Haute, 69001 Lyon, France");
    }
}
