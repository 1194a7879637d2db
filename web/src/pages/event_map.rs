//! Where an event is, on its page: a map drawn from our own origin's tiles (`/tiles/…`) when
//! the administrator set a tile server, else the place's coordinates with links to open them
//! in a map app (`geo:`) or on OpenStreetMap. Either way the page asks no other site for
//! anything. The map is inline SVG: its tiles are placed by the server, so it needs no script
//! and no inline style (which the pages' Content-Security-Policy forbids).

use backend::i18n::Locale;
use backend::maps::{self, PLACE_ZOOM, TILE_SIZE};

use super::i18n::with;

/// The map's box, in pixels (the page scales it to its width).
const WIDTH: i64 = 640;
const HEIGHT: i64 = 320;

pub struct EventMap {
    /// The map drawn from the tiles, when there is a tile server.
    pub drawn: Option<Drawn>,
    /// "48.85300, 2.34990"
    pub coordinates: String,
    pub geo: String,
    pub osm: String,
    /// What the map shows, for those who cannot see it.
    pub label: String,
    pub attribution: String,
}

pub struct Drawn {
    pub width: i64,
    pub height: i64,
    /// Each tile's address on our origin and where its top left corner goes.
    pub tiles: Vec<(String, i64, i64)>,
    pub tile_size: i64,
    /// The place, at the centre.
    pub pin_x: i64,
    pub pin_y: i64,
}

/// The map of a place at `latitude`, `longitude`, named `place` when it has a name.
pub fn of(
    ctx: &backend::AppContext,
    locale: Locale,
    latitude: f64,
    longitude: f64,
    place: Option<&str>,
) -> EventMap {
    let drawn = ctx.tiles.as_ref().map(|proxy| {
        let zoom = PLACE_ZOOM.min(proxy.max_zoom());
        let map = maps::place_map(latitude, longitude, zoom, WIDTH, HEIGHT);
        Drawn {
            width: map.width,
            height: map.height,
            tiles: map
                .tiles
                .iter()
                .map(|p| {
                    let href = format!("/tiles/{}/{}/{}.png", p.tile.zoom, p.tile.x, p.tile.y);
                    (href, p.x, p.y)
                })
                .collect(),
            tile_size: TILE_SIZE,
            pin_x: WIDTH / 2,
            pin_y: HEIGHT / 2,
        }
    });
    let coordinates = format!("{latitude:.5}, {longitude:.5}");
    EventMap {
        drawn,
        geo: format!("geo:{latitude:.5},{longitude:.5}"),
        osm: format!(
            "https://www.openstreetmap.org/?mlat={latitude:.5}&mlon={longitude:.5}#map=16/{latitude:.5}/{longitude:.5}"
        ),
        label: with(
            locale,
            "event-map-label",
            "place",
            place.map_or_else(|| coordinates.clone(), str::to_owned),
        ),
        coordinates,
        attribution: with(
            locale,
            "event-map-attribution",
            "attribution",
            ctx.settings.maps.attribution.clone(),
        ),
    }
}
