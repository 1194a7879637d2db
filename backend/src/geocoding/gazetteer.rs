//! The towns of the world that the binary carries: GeoNames' towns of 1 000 inhabitants or
//! more (CC-BY 4.0), built by `backend/data/build_towns.py` into `backend/data/towns.tsv.gz`.
//! It answers with no configuration and no network: a town by the start of its name (case
//! and accents ignored) and the town nearest to a position.
//!
//! The table is unpacked at first use (~8 MB of text, ~12 MB with its indexes), by whoever
//! asks first; the others wait for it.

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, OnceLock};

use crate::error::{Error, Result};
use crate::search::{distance_km, fold};

const PACKED: &[u8] = include_bytes!("../../data/towns.tsv.gz");

/// The most towns one name lookup looks at: a prefix such as "sa" starts ~6 000 names; the
/// table being sorted by population, the first ones are the ones people mean.
const MAX_CANDIDATES: usize = 2000;

/// A town of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Town {
    pub name: String,
    /// Region, state or province (in ASCII, as GeoNames' English names), or empty.
    pub region: String,
    /// Department or county, or empty.
    pub county: String,
    /// ISO 3166 code, such as `FR`.
    pub country: String,
    pub population: u32,
    pub latitude: f64,
    pub longitude: f64,
}

/// Where a town's text sits in the unpacked table, its position and size.
struct Row {
    start: u32,
    len: u32,
    latitude: f32,
    longitude: f32,
}

struct Table {
    text: String,
    /// Most populous first.
    rows: Vec<Row>,
    /// Folded names with their row, sorted, for lookups by prefix.
    names: Vec<(Box<str>, u32)>,
    /// Rows by cell of one degree of latitude and longitude, for the nearest town.
    cells: HashMap<(i16, i16), Vec<u32>>,
}

/// The gazetteer; cheap to clone, unpacked once for all clones.
#[derive(Clone, Default)]
pub struct Gazetteer {
    table: Arc<OnceLock<std::result::Result<Table, String>>>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("loaded", &self.table.get().is_some())
            .finish()
    }
}

fn cell(latitude: f64, longitude: f64) -> (i16, i16) {
    // Degrees are within ±180, so the casts cannot overflow.
    #[allow(clippy::cast_possible_truncation)]
    (latitude.floor() as i16, longitude.floor() as i16)
}

impl Table {
    fn unpack() -> std::result::Result<Self, String> {
        let mut text = String::with_capacity(8 * 1024 * 1024);
        flate2::read::GzDecoder::new(PACKED)
            .read_to_string(&mut text)
            .map_err(|e| format!("the gazetteer could not be unpacked: {e}"))?;
        let mut rows = Vec::with_capacity(140_000);
        let mut names = Vec::with_capacity(140_000);
        let mut cells: HashMap<(i16, i16), Vec<u32>> = HashMap::new();
        let mut start = 0usize;
        for line in text.split_inclusive('\n') {
            let body = line.trim_end_matches('\n');
            let fields: Vec<&str> = body.split('\t').collect();
            if let [name, _, _, _, _, lat, lon] = fields[..]
                && let (Ok(latitude), Ok(longitude)) = (lat.parse::<f64>(), lon.parse::<f64>())
            {
                let index = u32::try_from(rows.len()).map_err(|e| e.to_string())?;
                #[allow(clippy::cast_possible_truncation)]
                rows.push(Row {
                    start: u32::try_from(start).map_err(|e| e.to_string())?,
                    len: u32::try_from(body.len()).map_err(|e| e.to_string())?,
                    latitude: latitude as f32,
                    longitude: longitude as f32,
                });
                names.push((fold(name).into_boxed_str(), index));
                cells
                    .entry(cell(latitude, longitude))
                    .or_default()
                    .push(index);
            }
            start += line.len();
        }
        if rows.is_empty() {
            return Err("the gazetteer is empty".to_owned());
        }
        names.sort_unstable();
        Ok(Self {
            text,
            rows,
            names,
            cells,
        })
    }

    fn town(&self, index: u32) -> Option<Town> {
        let row = self.rows.get(index as usize)?;
        let start = row.start as usize;
        let line = self.text.get(start..start + row.len as usize)?;
        let mut fields = line.split('\t');
        let mut next = || fields.next().unwrap_or_default().to_owned();
        let (name, region, county, country, population) = (next(), next(), next(), next(), next());
        Some(Town {
            name,
            region,
            county,
            country,
            population: population.parse().unwrap_or_default(),
            latitude: f64::from(row.latitude),
            longitude: f64::from(row.longitude),
        })
    }

    /// Rows whose folded name starts with `prefix`, at most [`MAX_CANDIDATES`] of the most
    /// populous.
    fn starting_with(&self, prefix: &str) -> Vec<(bool, u32)> {
        let first = self.names.partition_point(|(name, _)| &**name < prefix);
        let mut found: Vec<(bool, u32)> = self.names[first..]
            .iter()
            .take_while(|(name, _)| name.starts_with(prefix))
            .map(|(name, index)| (&**name == prefix, *index))
            .collect();
        found.sort_unstable_by_key(|(_, index)| *index);
        found.truncate(MAX_CANDIDATES);
        found
    }
}

impl Gazetteer {
    fn table(&self) -> Result<&Table> {
        self.table
            .get_or_init(Table::unpack)
            .as_ref()
            .map_err(|e| Error::internal(std::io::Error::other(e.clone())))
    }

    /// Unpacks the table now (it takes a fraction of a second), off the async threads.
    pub async fn load(&self) -> Result<()> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.table().map(|_| ()))
            .await
            .map_err(Error::internal)?
    }

    /// Towns whose name starts with `name` (case and accents ignored), those named exactly
    /// so first, then those of `country` (ISO code) if given, the most populous first.
    pub async fn towns_named(
        &self,
        name: &str,
        country: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Town>> {
        self.load().await?;
        let table = self.table()?;
        let wanted = fold(name);
        if wanted.chars().count() < 2 {
            return Ok(Vec::new());
        }
        let mut found = table.starting_with(&wanted);
        found.sort_by_key(|&(exact, index)| {
            let in_country = country.is_some_and(|country| {
                table
                    .town(index)
                    .is_some_and(|t| t.country.eq_ignore_ascii_case(country))
            });
            (!exact, !in_country, index)
        });
        Ok(found
            .into_iter()
            .take(limit)
            .filter_map(|(_, index)| table.town(index))
            .collect())
    }

    /// The town nearest to a position, within `max_km`.
    pub async fn nearest(
        &self,
        latitude: f64,
        longitude: f64,
        max_km: f64,
    ) -> Result<Option<Town>> {
        self.load().await?;
        let table = self.table()?;
        let (lat_cell, lon_cell) = cell(latitude, longitude);
        let mut best: Option<(f64, u32)> = None;
        // A degree of latitude is ~111 km; the rings widen until one holds a town, then once
        // more, since a town in the next ring may still be nearer than a far corner of this one.
        let mut found_at = None;
        for ring in 0i16..=3 {
            for dlat in -ring..=ring {
                for dlon in -ring..=ring {
                    if dlat.abs() != ring && dlon.abs() != ring {
                        continue;
                    }
                    let mut lon = lon_cell + dlon;
                    if lon < -180 {
                        lon += 360;
                    } else if lon >= 180 {
                        lon -= 360;
                    }
                    for &index in table
                        .cells
                        .get(&(lat_cell + dlat, lon))
                        .map(Vec::as_slice)
                        .unwrap_or_default()
                    {
                        let row = &table.rows[index as usize];
                        let distance = distance_km(
                            (latitude, longitude),
                            (f64::from(row.latitude), f64::from(row.longitude)),
                        );
                        if best.is_none_or(|(d, _)| distance < d) {
                            best = Some((distance, index));
                        }
                    }
                }
            }
            if best.is_some() && found_at.is_none() {
                found_at = Some(ring);
            }
            if found_at.is_some_and(|at| ring > at) {
                break;
            }
        }
        Ok(best
            .filter(|(distance, _)| *distance <= max_km)
            .and_then(|(_, index)| table.town(index)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn montreuil_by_its_name_is_first_the_one_near_paris() {
        let gazetteer = Gazetteer::default();
        let towns = gazetteer
            .towns_named("montreuil", Some("FR"), 5)
            .await
            .expect("lookup");
        let first = &towns[0];
        assert_eq!(first.name, "Montreuil");
        assert_eq!(first.country, "FR");
        assert!(first.county.contains("Seine-Saint-Denis"), "{first:?}");
        assert!((first.latitude - 48.864).abs() < 0.01, "{first:?}");
    }

    #[tokio::test]
    async fn names_are_found_by_their_start_without_accents_and_exact_names_come_first() {
        let gazetteer = Gazetteer::default();
        let towns = gazetteer
            .towns_named("Saint-Etienne", None, 3)
            .await
            .expect("lookup");
        assert_eq!(towns[0].name, "Saint-Étienne");
        let lyon = gazetteer.towns_named("Lyo", None, 1).await.expect("lookup");
        assert_eq!(lyon[0].name, "Lyon");
        assert!(
            gazetteer
                .towns_named("L", None, 5)
                .await
                .expect("lookup")
                .is_empty()
        );
        assert!(
            gazetteer
                .towns_named("zzzzqx", None, 5)
                .await
                .expect("lookup")
                .is_empty()
        );
    }

    #[tokio::test]
    async fn the_nearest_town_to_a_position_is_found_and_none_in_the_open_sea() {
        let gazetteer = Gazetteer::default();
        let town = gazetteer
            .nearest(48.8635, 2.4410, 20.0)
            .await
            .expect("lookup")
            .expect("a town");
        assert_eq!(town.name, "Montreuil");
        assert_eq!(
            gazetteer.nearest(0.0, -30.0, 50.0).await.expect("lookup"),
            None
        );
        // Across the antimeridian: Fiji's towns sit on both sides of it.
        assert!(
            gazetteer
                .nearest(-16.8, 179.99, 200.0)
                .await
                .expect("lookup")
                .is_some()
        );
    }
}
