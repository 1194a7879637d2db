//! What searching needs everywhere: text folded so that "Vélo" finds "velo", and distances on
//! the globe for "within 10 km of here".

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

/// The words of a search query, folded, without duplicates.
pub fn terms(query: &str) -> Vec<String> {
    let mut terms: Vec<String> = fold(query)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    terms.dedup();
    terms.truncate(10);
    terms
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
    fn geohashes_round_trip_to_about_a_metre() {
        let hash = encode_geohash(48.8566, 2.3522, 9).expect("encode");
        let (lat, lon) = decode_geohash(&hash).expect("decode");
        assert!((lat - 48.8566).abs() < 1e-4 && (lon - 2.3522).abs() < 1e-4);
        assert!(decode_geohash("not a hash!").is_none());
    }
}
