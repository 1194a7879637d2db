//! Where addresses are looked up (`backend::geocoding`).

use serde::{Deserialize, Serialize};
use url::Url;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GeocoderKind {
    Addok,
    Photon,
    Nominatim,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GeocodingSettings {
    /// A geocoding server of the administrator's choice; unset, the towns the binary carries
    /// (GeoNames) answer, with no network.
    pub provider: Option<GeocoderKind>,
    /// Its address, such as `http://127.0.0.1:7878` (Addok), `https://photon.example.org`.
    pub url: Option<String>,
    /// How long one request may take before the built-in towns answer instead.
    pub timeout_secs: u64,
}

impl Default for GeocodingSettings {
    fn default() -> Self {
        Self {
            provider: None,
            url: None,
            timeout_secs: 5,
        }
    }
}

impl GeocodingSettings {
    /// The server to call, if one is set and its address is usable.
    pub fn server(&self) -> Option<(GeocoderKind, Url)> {
        let url = Url::parse(self.url.as_deref()?).ok()?;
        matches!(url.scheme(), "http" | "https").then_some((self.provider?, url))
    }

    pub(super) fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        match (&self.provider, &self.url) {
            (Some(_), None) => problems.push(
                "key \"geocoding.url\": required when geocoding.provider is set".to_owned(),
            ),
            (None, Some(_)) => problems.push(
                "key \"geocoding.provider\": required when geocoding.url is set; expected addok, photon or nominatim".to_owned(),
            ),
            (Some(_), Some(url)) if self.server().is_none() => problems.push(format!(
                "key \"geocoding.url\": \"{url}\" is not an http(s) address such as http://127.0.0.1:7878"
            )),
            _ => {}
        }
        if !(1..=60).contains(&self.timeout_secs) {
            problems.push("key \"geocoding.timeout_secs\": expected between 1 and 60".to_owned());
        }
        problems
    }
}
