//! Maps of a place, drawn from the tiles of the administrator's tile server (`[maps]`) and
//! served from our own origin ([`tiles`]): a browser never asks another site for anything.
//! The map of an event page is laid out here, tile by tile, so the page can draw it with no
//! script.

pub mod tiles;

pub use tiles::{Tile, TileError, TileProxy};

/// Side of a tile, in pixels (the web's "slippy map" tiles).
pub const TILE_SIZE: i64 = 256;

/// The zoom of an event page's map: streets and their names.
pub const PLACE_ZOOM: u8 = 16;

/// One tile of a drawn map, and where its top left corner goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedTile {
    pub tile: Tile,
    pub x: i64,
    pub y: i64,
}

/// A map centred on a place: the tiles that cover it and where each goes, in a box of
/// `width` × `height` pixels whose centre is the place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceMap {
    pub width: i64,
    pub height: i64,
    pub tiles: Vec<PlacedTile>,
}

/// The position of a point in the whole world's picture at `zoom`, in pixels (Web Mercator).
pub fn world_pixel(latitude: f64, longitude: f64, zoom: u8) -> (f64, f64) {
    // Web Mercator stops short of the poles.
    let latitude = latitude.clamp(-85.051_128, 85.051_128).to_radians();
    let size = (TILE_SIZE as f64) * f64::from(1u32 << zoom.min(30));
    let x = (longitude.clamp(-180.0, 180.0) + 180.0) / 360.0 * size;
    let y =
        (1.0 - (latitude.tan() + 1.0 / latitude.cos()).ln() / std::f64::consts::PI) / 2.0 * size;
    (x, y)
}

/// The map of `width` × `height` pixels around a place, at `zoom`.
pub fn place_map(latitude: f64, longitude: f64, zoom: u8, width: i64, height: i64) -> PlaceMap {
    let (cx, cy) = world_pixel(latitude, longitude, zoom);
    let left = cx.round() as i64 - width / 2;
    let top = cy.round() as i64 - height / 2;
    let count = 1i64 << zoom.min(30);
    let mut tiles = Vec::new();
    for ty in left_tile(top)..=left_tile(top + height - 1) {
        if !(0..count).contains(&ty) {
            continue;
        }
        for tx in left_tile(left)..=left_tile(left + width - 1) {
            tiles.push(PlacedTile {
                // Beyond the date line, the world starts again.
                tile: Tile {
                    zoom,
                    x: tx.rem_euclid(count) as u32,
                    y: ty as u32,
                },
                x: tx * TILE_SIZE - left,
                y: ty * TILE_SIZE - top,
            });
        }
    }
    PlaceMap {
        width,
        height,
        tiles,
    }
}

/// The tile a pixel of the world's picture falls in.
fn left_tile(pixel: i64) -> i64 {
    pixel.div_euclid(TILE_SIZE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_falls_in_the_tile_the_usual_formula_gives() {
        // Paris, Notre-Dame, at zoom 16: tile 33 195 / 22 547.
        let (x, y) = world_pixel(48.853, 2.3499, 16);
        assert_eq!(
            (x as i64 / TILE_SIZE, y as i64 / TILE_SIZE),
            (33_195, 22_547)
        );
        assert_eq!(world_pixel(0.0, 0.0, 0), (128.0, 128.0));
    }

    #[test]
    fn the_tiles_of_a_map_cover_it_and_its_centre_is_the_place() {
        let map = place_map(48.853, 2.3499, 16, 600, 300);
        let (cx, cy) = world_pixel(48.853, 2.3499, 16);
        for placed in &map.tiles {
            // Each tile's corner, back in the world's picture, is its own.
            let world_x = placed.x + cx.round() as i64 - 300;
            let world_y = placed.y + cy.round() as i64 - 150;
            assert_eq!(world_x, i64::from(placed.tile.x) * TILE_SIZE);
            assert_eq!(world_y, i64::from(placed.tile.y) * TILE_SIZE);
        }
        // 600 pixels need 3 or 4 tiles across, 300 need 2 or 3 down.
        assert!((6..=12).contains(&map.tiles.len()), "{}", map.tiles.len());
        assert!(map.tiles.iter().any(|t| t.x <= 0 && t.y <= 0));
        assert!(
            map.tiles
                .iter()
                .all(|t| t.x > -TILE_SIZE && t.y > -TILE_SIZE)
        );
    }

    #[test]
    fn a_map_across_the_date_line_takes_the_tiles_of_the_other_side() {
        let map = place_map(0.0, 179.999, 2, 600, 300);
        let xs: Vec<u32> = map.tiles.iter().map(|t| t.tile.x).collect();
        assert!(xs.contains(&0) && xs.contains(&3), "{xs:?}");
    }
}
