//! The tiles of the administrator's tile server, fetched by this server and kept in memory,
//! so that browsers ask only our own origin (`/tiles/{z}/{x}/{y}.png`). Nothing of the
//! visitor goes to the tile server: no cookie, no address, no referrer; only which tile.
//! Each node keeps its own cache, bounded in bytes; a tile is small and the same for
//! everyone, so nothing needs sharing between nodes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;

use crate::error::{Error, Result};
use crate::settings::MapSettings;

/// Largest tile read: a tile is tens of kilobytes.
pub const MAX_TILE_BYTES: usize = 512 * 1024;

/// One tile of the world's picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tile {
    pub zoom: u8,
    pub x: u32,
    pub y: u32,
}

/// A tile's picture and its media type.
#[derive(Debug, Clone)]
pub struct TileImage {
    pub bytes: Bytes,
    pub content_type: &'static str,
}

/// What asking for a tile gave.
#[derive(Debug, Clone)]
pub enum Fetched {
    Image(TileImage),
    /// The tile server failed, answered too slowly, or sent something that is no tile
    /// (logged; the page shows the map's other tiles).
    Unavailable,
}

/// Why the tile server gave nothing usable (logged, never shown).
#[derive(Debug, thiserror::Error)]
pub enum TileError {
    #[error("request failed: {0}")]
    Request(#[from] reqwest::Error),
    #[error("answered HTTP {0}")]
    Status(u16),
    #[error("answered {0:?}, not a picture")]
    NotAPicture(Option<String>),
    #[error("answer larger than {MAX_TILE_BYTES} bytes")]
    TooLarge,
}

#[derive(Debug, Clone)]
pub struct TileProxy {
    template: String,
    max_zoom: u8,
    client: reqwest::Client,
    cache: Arc<Mutex<Cache>>,
}

impl TileProxy {
    /// The proxy of `[maps]`, if a tile server is set.
    pub fn from_settings(settings: &MapSettings, public_url: &str) -> Result<Option<Self>> {
        let Some(template) = settings.server() else {
            return Ok(None);
        };
        crate::tls::use_ring();
        let timeout = Duration::from_secs(settings.timeout_secs);
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            // Tile servers' terms ask who is calling.
            .user_agent(format!(
                "Convive/{} (+{public_url})",
                env!("CARGO_PKG_VERSION")
            ))
            .build()
            .map_err(Error::internal)?;
        Ok(Some(Self {
            template: template.to_owned(),
            max_zoom: settings.max_zoom,
            client,
            cache: Arc::new(Mutex::new(Cache::new(settings.cache_bytes))),
        }))
    }

    /// The deepest zoom served.
    pub fn max_zoom(&self) -> u8 {
        self.max_zoom
    }

    /// A tile, from this node's memory or the tile server; a tile outside the world or
    /// deeper than the settings allow is not found.
    pub async fn tile(&self, tile: Tile) -> Result<Fetched> {
        let count = 1u64 << tile.zoom.min(31);
        if tile.zoom > self.max_zoom || u64::from(tile.x) >= count || u64::from(tile.y) >= count {
            return Err(Error::not_found("tile"));
        }
        if let Some(image) = self.cached(tile) {
            return Ok(Fetched::Image(image));
        }
        match self.fetch(tile).await {
            Ok(image) => {
                if let Ok(mut cache) = self.cache.lock() {
                    cache.put(tile, image.clone());
                }
                Ok(Fetched::Image(image))
            }
            Err(err) => {
                tracing::warn!(error = %err, zoom = tile.zoom, "a map tile could not be fetched");
                Ok(Fetched::Unavailable)
            }
        }
    }

    fn cached(&self, tile: Tile) -> Option<TileImage> {
        self.cache.lock().ok()?.get(tile)
    }

    async fn fetch(&self, tile: Tile) -> std::result::Result<TileImage, TileError> {
        let url = self
            .template
            .replace("{z}", &tile.zoom.to_string())
            .replace("{x}", &tile.x.to_string())
            .replace("{y}", &tile.y.to_string());
        let mut response = self.client.get(url).send().await?;
        if !response.status().is_success() {
            return Err(TileError::Status(response.status().as_u16()));
        }
        let declared = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            });
        let content_type = match declared.as_deref() {
            Some("image/png") => "image/png",
            Some("image/jpeg") => "image/jpeg",
            Some("image/webp") => "image/webp",
            _ => return Err(TileError::NotAPicture(declared)),
        };
        if response
            .content_length()
            .is_some_and(|length| length > MAX_TILE_BYTES as u64)
        {
            return Err(TileError::TooLarge);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            if body.len() + chunk.len() > MAX_TILE_BYTES {
                return Err(TileError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(TileImage {
            bytes: Bytes::from(body),
            content_type,
        })
    }
}

/// Tiles kept in memory, at most `limit` bytes of them; the one used longest ago goes first.
#[derive(Debug)]
struct Cache {
    entries: HashMap<Tile, (TileImage, u64)>,
    bytes: usize,
    limit: usize,
    clock: u64,
}

impl Cache {
    fn new(limit: usize) -> Self {
        Self {
            entries: HashMap::new(),
            bytes: 0,
            limit,
            clock: 0,
        }
    }

    fn get(&mut self, tile: Tile) -> Option<TileImage> {
        self.clock += 1;
        let clock = self.clock;
        let (image, used) = self.entries.get_mut(&tile)?;
        *used = clock;
        Some(image.clone())
    }

    fn put(&mut self, tile: Tile, image: TileImage) {
        let size = image.bytes.len();
        if size > self.limit {
            return;
        }
        self.clock += 1;
        if let Some((old, _)) = self.entries.insert(tile, (image, self.clock)) {
            self.bytes -= old.bytes.len();
        }
        self.bytes += size;
        while self.bytes > self.limit {
            let Some(oldest) = self
                .entries
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(tile, _)| *tile)
            else {
                break;
            };
            if let Some((gone, _)) = self.entries.remove(&oldest) {
                self.bytes -= gone.bytes.len();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(size: usize) -> TileImage {
        TileImage {
            bytes: Bytes::from(vec![0u8; size]),
            content_type: "image/png",
        }
    }

    fn tile(x: u32) -> Tile {
        Tile { zoom: 5, x, y: 1 }
    }

    #[test]
    fn the_cache_keeps_within_its_bytes_and_drops_the_tile_used_longest_ago() {
        let mut cache = Cache::new(300);
        cache.put(tile(1), image(100));
        cache.put(tile(2), image(100));
        cache.put(tile(3), image(100));
        assert!(cache.get(tile(1)).is_some());
        cache.put(tile(4), image(100));
        assert_eq!(cache.bytes, 300);
        assert!(cache.get(tile(2)).is_none(), "used longest ago");
        assert!(cache.get(tile(1)).is_some() && cache.get(tile(4)).is_some());
        cache.put(tile(5), image(301));
        assert!(cache.get(tile(5)).is_none(), "larger than the whole cache");
        assert_eq!(cache.bytes, 300);
    }

    #[tokio::test]
    async fn tiles_outside_the_world_or_deeper_than_allowed_are_not_found() {
        let settings = MapSettings {
            tile_server: Some("http://127.0.0.1:9/{z}/{x}/{y}.png".to_owned()),
            max_zoom: 10,
            ..MapSettings::default()
        };
        let proxy = TileProxy::from_settings(&settings, "http://localhost")
            .unwrap()
            .unwrap();
        for asked in [
            Tile {
                zoom: 11,
                x: 0,
                y: 0,
            },
            Tile {
                zoom: 2,
                x: 4,
                y: 0,
            },
            Tile {
                zoom: 2,
                x: 0,
                y: 4,
            },
        ] {
            assert!(matches!(
                proxy.tile(asked).await,
                Err(Error::NotFound { .. })
            ));
        }
    }
}
