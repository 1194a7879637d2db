//! Where the map of an event page gets its tiles (`backend::maps`).

use serde::{Deserialize, Serialize};
use url::Url;

/// Deepest zoom any tile server is asked for.
pub const MAX_ZOOM: u8 = 19;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MapSettings {
    /// The administrator's tile server, as a template such as
    /// `https://tiles.example.org/{z}/{x}/{y}.png`. Browsers never call it: its tiles are
    /// fetched by this server and served from our own origin at `/tiles/{z}/{x}/{y}.png`.
    /// Unset, event pages show the place's coordinates and links to map apps instead.
    pub tile_server: Option<String>,
    /// Shown under each map, as the tile server's terms ask.
    pub attribution: String,
    /// The deepest zoom served; deeper tiles are refused.
    pub max_zoom: u8,
    /// How much of the tiles this node keeps in memory, in bytes.
    pub cache_bytes: usize,
    /// How long fetching one tile may take.
    pub timeout_secs: u64,
}

impl Default for MapSettings {
    fn default() -> Self {
        Self {
            tile_server: None,
            attribution: "© OpenStreetMap contributors".to_owned(),
            max_zoom: 18,
            cache_bytes: 64 * 1024 * 1024,
            timeout_secs: 5,
        }
    }
}

impl MapSettings {
    /// The tile server's template, when one is set and usable.
    pub fn server(&self) -> Option<&str> {
        let template = self.tile_server.as_deref()?;
        let url = Url::parse(&template.replace(['{', '}'], "")).ok()?;
        let placeholders = ["{z}", "{x}", "{y}"].iter().all(|p| template.contains(p));
        (matches!(url.scheme(), "http" | "https") && placeholders).then_some(template)
    }

    pub(super) fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if let Some(template) = &self.tile_server {
            if self.server().is_none() {
                problems.push(format!(
                    "key \"maps.tile_server\": \"{template}\" is not an http(s) address with {{z}}, {{x}} and {{y}}, such as https://tiles.example.org/{{z}}/{{x}}/{{y}}.png"
                ));
            }
            if self.attribution.trim().is_empty() {
                problems.push(
                    "key \"maps.attribution\": required when maps.tile_server is set (the tiles' terms ask for it)"
                        .to_owned(),
                );
            }
        }
        if self.max_zoom > MAX_ZOOM {
            problems.push(format!(
                "key \"maps.max_zoom\": expected between 0 and {MAX_ZOOM}"
            ));
        }
        if !(64 * 1024..=4 * 1024 * 1024 * 1024).contains(&self.cache_bytes) {
            problems.push(
                "key \"maps.cache_bytes\": expected between 65536 (64 KiB) and 4294967296 (4 GiB)"
                    .to_owned(),
            );
        }
        if !(1..=60).contains(&self.timeout_secs) {
            problems.push("key \"maps.timeout_secs\": expected between 1 and 60".to_owned());
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tile_server_needs_an_http_address_with_its_three_placeholders() {
        let mut maps = MapSettings {
            tile_server: Some("https://tiles.example.org/{z}/{x}/{y}.png".to_owned()),
            ..MapSettings::default()
        };
        assert!(maps.problems().is_empty());
        maps.tile_server = Some("https://tiles.example.org/{z}/{x}.png".to_owned());
        assert!(maps.problems()[0].contains("maps.tile_server"));
        maps.tile_server = Some("ftp://tiles.example.org/{z}/{x}/{y}.png".to_owned());
        assert!(maps.problems()[0].contains("maps.tile_server"));
        maps.tile_server = None;
        maps.max_zoom = 25;
        assert!(maps.problems()[0].contains("maps.max_zoom"));
    }
}
