//! What a page shows while a picture loads: its blurhash decoded into a few pixels, as a
//! `data:` PNG the browser stretches (smoothly) under the picture. No JavaScript, no extra
//! request, and within the pages' Content-Security-Policy (`img-src 'self' data:`).

use std::io::Cursor;

use base64::Engine;
use image::{ImageFormat, RgbaImage};

/// Pixels on the longest side: a blurhash of 4×3 components holds no more detail.
const LONGEST_SIDE: u32 = 8;

/// The placeholder of a picture `width`×`height` with this blurhash, or `None` when the hash
/// does not decode (a picture stored before hashes were kept shows no placeholder).
pub fn data_url(blurhash: &str, width: i32, height: i32) -> Option<String> {
    let (w, h) = small_size(width, height);
    let pixels = blurhash::decode(blurhash, w, h, 1.0).ok()?;
    let image = RgbaImage::from_raw(w, h, pixels)?;
    let mut png = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .ok()?;
    Some(format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    ))
}

/// The picture's proportions in at most [`LONGEST_SIDE`] pixels a side, at least one.
fn small_size(width: i32, height: i32) -> (u32, u32) {
    let (w, h) = (width.max(1) as f64, height.max(1) as f64);
    let scale = f64::from(LONGEST_SIDE) / w.max(h);
    let side = |v: f64| ((v * scale).round() as u32).clamp(1, LONGEST_SIDE);
    (side(w), side(h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wide_picture_gets_a_wide_placeholder() {
        assert_eq!(small_size(1600, 800), (8, 4));
        assert_eq!(small_size(300, 1200), (2, 8));
        assert_eq!(small_size(0, 0), (8, 8));
    }

    #[test]
    fn a_blurhash_becomes_a_small_png_data_url() {
        let url = data_url("LEHV6nWB2yk8pyo0adR*.7kCMdnj", 1600, 900).unwrap();
        assert!(url.starts_with("data:image/png;base64,"));
        assert!(url.len() < 600, "{} bytes", url.len());
    }

    #[test]
    fn a_hash_that_does_not_decode_gives_no_placeholder() {
        assert_eq!(data_url("not a hash", 10, 10), None);
        assert_eq!(data_url("", 10, 10), None);
    }
}
