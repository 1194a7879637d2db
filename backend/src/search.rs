//! What searching needs everywhere: text folded so that "Vélo" finds "velo", and distances on
//! the globe for "within 10 km of here".

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lowercase, without accents, whitespace collapsed: "  Fête du Vélo " → "fete du velo".
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = true;
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        let c = match c {
            'œ' | 'Œ' => {
                out.push('o');
                'e'
            }
            'æ' | 'Æ' => {
                out.push('a');
                'e'
            }
            'ß' => {
                out.push('s');
                's'
            }
            other => other,
        };
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
        } else {
            out.extend(c.to_lowercase());
            last_space = false;
        }
    }
    out.trim_end().to_owned()
}

/// The words of a search query, folded, each without a simple plural's ending, without
/// duplicates.
pub fn terms(query: &str) -> Vec<String> {
    let mut terms: Vec<String> = fold(query)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| singular(t).to_owned())
        .collect();
    terms.dedup();
    terms.truncate(10);
    terms
}

/// A folded word without the `s` of a simple plural ("balades", "concerts") or the `x` of a
/// French one in `-ux` ("bateaux", "jeux"). Terms are looked for inside words, so the singular
/// finds the word and its plural alike. Short words (bus, gaz) and `-ss` (boss) are kept.
fn singular(term: &str) -> &str {
    let long_enough = term.chars().count() > 3;
    if long_enough && term.ends_with('s') && !term.ends_with("ss")
        || long_enough && term.ends_with("ux")
    {
        &term[..term.len() - 1]
    } else {
        term
    }
}

/// The distinct words of an event's searchable text, folded, in first-seen order: what a
/// search term is looked for in. Query terms are whole alphanumeric runs, so a term is found in
/// these words exactly when it is found in the folded text itself, and a 1 KB description with
/// its repetitions becomes a few hundred bytes that fit in an index entry.
pub fn words(text: &str) -> String {
    let folded = fold(text);
    let mut seen = std::collections::HashSet::new();
    let mut out = String::with_capacity(folded.len() / 2);
    for word in folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if seen.insert(word) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// How many bytes of an event's words `events.search_text` holds; the rest go to
/// `events.search_text_more`. PostgreSQL keeps `search_text` in the place index, whose entries
/// are limited to ~2.7 KB, so that a search near a place reads no event row.
pub const WORDS_IN_INDEX_BYTES: usize = 2000;

/// `words` cut between two words so that the first part holds at most
/// [`WORDS_IN_INDEX_BYTES`]; the second part holds the rest, if any.
pub fn split_words(words: String) -> (String, Option<String>) {
    if words.len() <= WORDS_IN_INDEX_BYTES {
        return (words, None);
    }
    // A space's byte never occurs inside a character's, so the cut is a character boundary;
    // a first word longer than the bound leaves the first part empty, which a search handles
    // like any split.
    let cut = words.as_bytes()[..=WORDS_IN_INDEX_BYTES]
        .iter()
        .rposition(|&b| b == b' ')
        .unwrap_or(0);
    let more = words[cut..].trim_start().to_owned();
    let mut head = words;
    head.truncate(cut);
    (head, Some(more))
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub fn like_escape(term: &str) -> String {
    let mut out = String::with_capacity(term.len());
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub const EARTH_RADIUS_KM: f64 = 6371.0;

/// Great-circle distance in kilometres.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// A latitude/longitude box holding every point within `radius_km` of `center`, to narrow a
/// query with indexes before the exact distance check. Returns (min_lat, max_lat, min_lon,
/// max_lon); longitudes may wrap, in which case the full range is returned.
pub fn bounding_box(center: (f64, f64), radius_km: f64) -> (f64, f64, f64, f64) {
    let delta_lat = (radius_km / EARTH_RADIUS_KM).to_degrees();
    let min_lat = (center.0 - delta_lat).max(-90.0);
    let max_lat = (center.0 + delta_lat).min(90.0);
    let cos = center.0.to_radians().cos();
    if cos <= 1e-6 || max_lat >= 89.9 || min_lat <= -89.9 {
        return (min_lat, max_lat, -180.0, 180.0);
    }
    let delta_lon = (radius_km / (EARTH_RADIUS_KM * cos)).to_degrees();
    let (min_lon, max_lon) = (center.1 - delta_lon, center.1 + delta_lon);
    if min_lon < -180.0 || max_lon > 180.0 {
        return (min_lat, max_lat, -180.0, 180.0);
    }
    (min_lat, max_lat, min_lon, max_lon)
}

/// The positions (`latitude`, `longitude` columns) within `radius_km` of `center`: a box the
/// indexes narrow to, then the distance. Equirectangular: only arithmetic, so it runs the
/// same on SQLite and PostgreSQL; within a few hundred km it is off by well under 1%.
pub fn within_radius<C>(latitude: C, longitude: C, center: (f64, f64), radius_km: f64) -> Condition
where
    C: ColumnTrait + Copy,
{
    let (lat, lon) = center;
    let (min_lat, max_lat, min_lon, max_lon) = bounding_box(center, radius_km);
    let km_per_degree = EARTH_RADIUS_KM.to_radians();
    let shrink = lat.to_radians().cos();
    let radius_deg = radius_km / km_per_degree;
    let dx = Expr::col(longitude).sub(lon).mul(shrink);
    let dy = Expr::col(latitude).sub(lat);
    Condition::all()
        .add(latitude.between(min_lat, max_lat))
        .add(longitude.between(min_lon, max_lon))
        .add(
            dx.clone()
                .mul(dx)
                .add(dy.clone().mul(dy))
                .lte(radius_deg * radius_deg),
        )
}

/// A box of latitudes and longitudes: (min_lat, max_lat, min_lon, max_lon).
pub type GeoBox = (f64, f64, f64, f64);

/// Reads Mobilizon's `bbox` argument, the corners of a map as
/// `top_lat,left_lon:bottom_lat,right_lon`.
pub fn parse_bbox(raw: &str) -> crate::error::Result<GeoBox> {
    let invalid = || {
        crate::error::Error::invalid(
            "bbox",
            "expected the corners as top_lat,left_lon:bottom_lat,right_lon",
        )
    };
    let (top_left, bottom_right) = raw.trim().split_once(':').ok_or_else(invalid)?;
    let corner = |raw: &str| -> crate::error::Result<(f64, f64)> {
        let (lat, lon) = raw.split_once(',').ok_or_else(invalid)?;
        let lat: f64 = lat.trim().parse().map_err(|_| invalid())?;
        let lon: f64 = lon.trim().parse().map_err(|_| invalid())?;
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return Err(invalid());
        }
        Ok((lat, lon))
    };
    let (top, left) = corner(top_left)?;
    let (bottom, right) = corner(bottom_right)?;
    Ok((
        bottom.min(top),
        bottom.max(top),
        left.min(right),
        left.max(right),
    ))
}

/// The positions inside `geo_box`.
pub fn inside_box<C>(latitude: C, longitude: C, geo_box: GeoBox) -> Condition
where
    C: ColumnTrait + Copy,
{
    let (min_lat, max_lat, min_lon, max_lon) = geo_box;
    Condition::all()
        .add(latitude.between(min_lat, max_lat))
        .add(longitude.between(min_lon, max_lon))
}

/// Places are filed in cells of a quarter of a degree (about 28 km north to south), so that a
/// search near a place reads the events of a few cells instead of a whole band of latitude
/// around the globe. A migration computes the same numbers in SQL (`m20261127_000015`).
const CELLS_PER_DEGREE: f64 = 4.0;
/// Cell columns: longitudes -180..=180 give 0..=1440.
const CELL_COLUMNS: i32 = 1441;
/// Beyond this many cells (a radius of ~150 km), a search reads the listing in date order.
const MAX_SEARCHED_CELLS: usize = 400;

fn cell_row(latitude: f64) -> i32 {
    ((latitude.clamp(-90.0, 90.0) + 90.0) * CELLS_PER_DEGREE).floor() as i32
}

fn cell_column(longitude: f64) -> i32 {
    ((longitude.clamp(-180.0, 180.0) + 180.0) * CELLS_PER_DEGREE).floor() as i32
}

/// The cell a position is filed in.
pub fn geo_cell(latitude: Option<f64>, longitude: Option<f64>) -> Option<i32> {
    let (latitude, longitude) = (latitude?, longitude?);
    if !latitude.is_finite() || !longitude.is_finite() {
        return None;
    }
    Some(cell_row(latitude) * CELL_COLUMNS + cell_column(longitude))
}

/// Every cell a position inside `bounding_box` (as [`bounding_box`] returns it) can be filed
/// in, or `None` when they are too many to be worth listing.
pub fn geo_cells(bounding_box: (f64, f64, f64, f64)) -> Option<Vec<i32>> {
    let (min_lat, max_lat, min_lon, max_lon) = bounding_box;
    let rows = cell_row(min_lat)..=cell_row(max_lat);
    let columns = cell_column(min_lon)..=cell_column(max_lon);
    if rows.clone().count() * columns.clone().count() > MAX_SEARCHED_CELLS {
        return None;
    }
    Some(
        rows.flat_map(|row| {
            columns
                .clone()
                .map(move |column| row * CELL_COLUMNS + column)
        })
        .collect(),
    )
}

/// Decodes a geohash (as Mobilizon's `location` argument) to (latitude, longitude).
pub fn decode_geohash(hash: &str) -> Option<(f64, f64)> {
    let (coord, _, _) = geohash::decode(hash.trim()).ok()?;
    Some((coord.y, coord.x))
}

/// Encodes a position as a geohash of `precision` characters.
pub fn encode_geohash(latitude: f64, longitude: f64, precision: usize) -> Option<String> {
    geohash::encode(
        geohash::Coord {
            x: longitude,
            y: latitude,
        },
        precision,
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_accents_case_and_extra_spaces() {
        assert_eq!(fold("  Fête du   Vélo "), "fete du velo");
        assert_eq!(fold("ŒUVRE Straße"), "oeuvre strasse");
        assert_eq!(fold("Ça marche 🎉"), "ca marche 🎉");
    }

    #[test]
    fn query_terms_are_folded_words() {
        assert_eq!(terms("Réparation, vélo!"), vec!["reparation", "velo"]);
        assert!(terms("  ,; ").is_empty());
        // SQLite's search matches each term with `GLOB '*term*'`: no term may hold a wildcard.
        assert_eq!(terms("a*b?c[d]e^f"), vec!["a", "b", "c", "d", "e", "f"]);
    }

    #[test]
    fn a_plural_term_finds_its_singular_and_short_words_keep_their_ending() {
        assert_eq!(terms("Balades vélos"), vec!["balade", "velo"]);
        assert_eq!(terms("bateaux jeux"), vec!["bateau", "jeu"]);
        assert_eq!(
            terms("bus gaz boss prix"),
            vec!["bus", "gaz", "boss", "prix"]
        );
        assert!(words("une balade").contains(&terms("balades")[0]));
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_escape("50%_off\\"), "50\\%\\_off\\\\");
    }

    #[test]
    fn paris_to_lyon_is_about_392_km() {
        let d = distance_km((48.8566, 2.3522), (45.7640, 4.8357));
        assert!((d - 392.0).abs() < 3.0, "{d}");
    }

    #[test]
    fn the_bounding_box_contains_the_circle() {
        let center = (48.8566, 2.3522);
        let (min_lat, max_lat, min_lon, max_lon) = bounding_box(center, 10.0);
        for bearing in 0..360 {
            let b = f64::from(bearing).to_radians();
            // A point 9.9 km away in this direction (small-distance approximation).
            let lat = center.0 + (9.9 / EARTH_RADIUS_KM).to_degrees() * b.cos();
            let lon = center.1
                + (9.9 / (EARTH_RADIUS_KM * center.0.to_radians().cos())).to_degrees() * b.sin();
            assert!((min_lat..=max_lat).contains(&lat) && (min_lon..=max_lon).contains(&lon));
        }
    }

    #[test]
    fn words_within_the_bound_stay_whole() {
        let words = "fete velo ".repeat(200).trim_end().to_owned();
        assert_eq!(words.len(), 1999);
        assert_eq!(split_words(words.clone()), (words, None));
    }

    #[test]
    fn longer_words_are_cut_between_two_words_within_the_bound() {
        // Multi-byte words, so that a cut by bytes alone would fall inside a character.
        let words: Vec<String> = (0..400).map(|n| format!("été{n}")).collect();
        let joined = words.join(" ");
        let (head, more) = split_words(joined.clone());
        let more = more.expect("the rest of the words");
        assert!(head.len() <= WORDS_IN_INDEX_BYTES && head.len() > WORDS_IN_INDEX_BYTES - 10);
        assert_eq!(format!("{head} {more}"), joined);
        assert!(words.contains(&head.rsplit(' ').next().unwrap_or_default().to_owned()));
        assert!(words.contains(&more.split(' ').next().unwrap_or_default().to_owned()));
    }

    #[test]
    fn a_single_word_longer_than_the_bound_goes_whole_to_the_rest() {
        let word = "a".repeat(WORDS_IN_INDEX_BYTES + 5);
        assert_eq!(split_words(word.clone()), (String::new(), Some(word)));
    }

    #[test]
    fn searchable_words_are_folded_and_each_kept_once() {
        assert_eq!(
            words("Fête du vélo, la FÊTE! du Vélo-club 2027"),
            "fete du velo la club 2027"
        );
        assert_eq!(words("  "), "");
    }

    #[test]
    fn a_term_is_in_the_words_exactly_when_it_is_in_the_folded_text() {
        let text = "Atelier réparation: vélos, VÉLOS et vélo-cargos; 50% off_line";
        let (folded, words) = (fold(text), words(text));
        for query in [
            "velo", "los", "cargo", "repar", "50", "off", "line", "x", "atelier",
        ] {
            for term in terms(query) {
                assert_eq!(folded.contains(&term), words.contains(&term), "{term}");
            }
        }
    }

    #[test]
    fn every_place_within_a_radius_is_filed_in_one_of_the_searched_cells() {
        for (center, radius) in [
            ((48.8566, 2.3522), 25.0),
            ((-33.87, 151.21), 60.0),
            ((0.0, 0.0), 1.0),
            ((64.13, -21.9), 100.0),
        ] {
            let cells = geo_cells(bounding_box(center, radius)).expect("a few cells");
            for step in 0..2000 {
                let bearing = f64::from(step).to_radians() * 0.18;
                let reach = radius * f64::from(step % 100) / 100.0;
                let lat = center.0 + (reach / EARTH_RADIUS_KM).to_degrees() * bearing.cos();
                let lon = center.1
                    + (reach / (EARTH_RADIUS_KM * center.0.to_radians().cos())).to_degrees()
                        * bearing.sin();
                let cell = geo_cell(Some(lat), Some(lon)).expect("a cell");
                assert!(cells.contains(&cell), "{lat},{lon} near {center:?}");
            }
        }
    }

    #[test]
    fn cells_are_not_listed_for_a_wide_search_or_across_the_date_line() {
        assert!(geo_cells(bounding_box((48.8566, 2.3522), 800.0)).is_none());
        assert!(geo_cells(bounding_box((0.0, 179.9), 50.0)).is_none());
        assert_eq!(geo_cell(Some(f64::NAN), Some(0.0)), None);
        assert_eq!(geo_cell(Some(1.0), None), None);
        assert_ne!(
            geo_cell(Some(1.0), Some(2.0)),
            geo_cell(Some(2.0), Some(1.0))
        );
    }

    #[test]
    fn map_corners_are_read_as_mobilizon_sends_them() {
        assert_eq!(
            parse_bbox("45.8,4.7:45.7,4.9").expect("bbox"),
            (45.7, 45.8, 4.7, 4.9)
        );
        for bad in ["", "45.8,4.7", "a,b:c,d", "95,4:45,5"] {
            assert!(parse_bbox(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn geohashes_round_trip_to_about_a_metre() {
        let hash = encode_geohash(48.8566, 2.3522, 9).expect("encode");
        let (lat, lon) = decode_geohash(&hash).expect("decode");
        assert!((lat - 48.8566).abs() < 1e-4 && (lon - 2.3522).abs() < 1e-4);
        assert!(decode_geohash("not a hash!").is_none());
    }
}
