//! Pictures for tests, made here rather than kept as binary fixtures: a photo with GPS in its
//! EXIF, a transparent PNG, and files that lie about their size.

use std::io::Cursor;

use image::{ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};

/// Written into the EXIF of [`jpeg_with_gps`]: must not survive processing.
pub const GPS_MARKER: &[u8] = b"Exif\0\0";

/// A JPEG of `width`×`height` with an EXIF segment (APP1) holding a GPS position.
pub fn jpeg_with_gps(width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let mut plain = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut Cursor::new(&mut plain), ImageFormat::Jpeg)
        .unwrap_or_else(|e| panic!("encoding a test JPEG: {e}"));
    let exif = exif_with_gps();
    let mut app1 = vec![0xFF, 0xE1];
    let length = u16::try_from(exif.len() + 2).unwrap_or(u16::MAX);
    app1.extend_from_slice(&length.to_be_bytes());
    app1.extend_from_slice(&exif);
    // After the start-of-image marker, where cameras put it.
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&app1);
    out.extend_from_slice(&plain[2..]);
    out
}

/// "Exif\0\0", then a little-endian TIFF: IFD0 pointing at a GPS IFD with a latitude.
fn exif_with_gps() -> Vec<u8> {
    let mut tiff: Vec<u8> = Vec::new();
    tiff.extend_from_slice(GPS_MARKER);
    tiff.extend_from_slice(b"II\x2A\x00\x08\x00\x00\x00");
    // IFD0: one entry, GPSInfo (0x8825), LONG, 1, offset 26.
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&0x8825u16.to_le_bytes());
    tiff.extend_from_slice(&4u16.to_le_bytes());
    tiff.extend_from_slice(&1u32.to_le_bytes());
    tiff.extend_from_slice(&26u32.to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes());
    // GPS IFD: GPSLatitudeRef (1), ASCII, 2, "N".
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&2u32.to_le_bytes());
    tiff.extend_from_slice(b"N\0\0\0");
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff
}

/// A PNG with a transparent half.
pub fn transparent_png(width: u32, height: u32) -> Vec<u8> {
    let image = RgbaImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            Rgba([0, 0, 0, 0])
        } else {
            Rgba([200, 30, 30, 255])
        }
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(image)
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .unwrap_or_else(|e| panic!("encoding a test PNG: {e}"));
    out
}

/// A small PNG whose header claims `width`×`height`: decoding it as claimed would need
/// gigabytes.
pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut png = transparent_png(4, 4);
    // Signature (8), IHDR length (4), "IHDR" (4), then width and height; the chunk's CRC
    // covers "IHDR" and its 13 bytes of data.
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

pub const SVG: &[u8] =
    br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>"#;

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}
