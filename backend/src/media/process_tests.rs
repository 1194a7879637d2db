use super::*;
use crate::testing::pictures;

const BOUNDS: DecodeBounds = DecodeBounds {
    max_dimension: 10_000,
    max_decode_bytes: 128 * 1024 * 1024,
};

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_photo_keeps_its_pixels_in_three_sizes_and_loses_its_exif() {
    let photo = pictures::jpeg_with_gps(2000, 1000);
    assert!(contains(&photo, pictures::GPS_MARKER));
    let processed = process(&photo, BOUNDS).expect("processed");
    let sizes: Vec<(&str, u32, u32)> = processed
        .variants
        .iter()
        .map(|v| (v.name.as_str(), v.width, v.height))
        .collect();
    assert_eq!(
        sizes,
        vec![
            ("banner", 1600, 800),
            ("card", 800, 400),
            ("thumbnail", 320, 160)
        ]
    );
    for variant in &processed.variants {
        assert!(variant.jpeg.starts_with(&[0xFF, 0xD8]));
        assert!(
            !contains(&variant.jpeg, pictures::GPS_MARKER),
            "{}",
            variant.name.as_str()
        );
        assert!(!contains(&variant.jpeg, &[0xFF, 0xE1]), "no APP1 segment");
        let decoded = image::load_from_memory(&variant.jpeg).expect("decodes");
        assert_eq!(
            (decoded.width(), decoded.height()),
            (variant.width, variant.height)
        );
    }
    assert!(blurhash::decode(&processed.blurhash, 8, 6, 1.0).is_ok());
}

#[test]
fn a_small_picture_is_never_enlarged_nor_kept_twice() {
    let processed = process(&pictures::jpeg_with_gps(200, 100), BOUNDS).expect("processed");
    assert_eq!(processed.variants.len(), 1);
    assert_eq!(
        (processed.variants[0].width, processed.variants[0].height),
        (200, 100)
    );
}

#[test]
fn transparency_becomes_white() {
    let processed = process(&pictures::transparent_png(64, 64), BOUNDS).expect("processed");
    let decoded = image::load_from_memory(&processed.variants[0].jpeg)
        .expect("decodes")
        .into_rgb8();
    let [r, g, b] = decoded.get_pixel(2, 32).0;
    assert!(r > 240 && g > 240 && b > 240, "{r} {g} {b}");
}

#[test]
fn svg_text_and_a_renamed_file_are_refused_by_their_content() {
    assert_eq!(
        process(pictures::SVG, BOUNDS).map(|_| ()),
        Err(PictureRefusal::UnsupportedFormat)
    );
    assert_eq!(
        process(b"hello, I am a picture.jpg", BOUNDS).map(|_| ()),
        Err(PictureRefusal::UnsupportedFormat)
    );
}

#[test]
fn the_four_accepted_formats_are_recognized_by_their_first_bytes() {
    assert_eq!(
        detect_format(&pictures::jpeg_with_gps(8, 8)),
        Ok(ImageFormat::Jpeg)
    );
    assert_eq!(
        detect_format(&pictures::transparent_png(8, 8)),
        Ok(ImageFormat::Png)
    );
    assert_eq!(detect_format(b"GIF89a\x01\x00"), Ok(ImageFormat::Gif));
    assert_eq!(
        detect_format(b"RIFF\0\0\0\0WEBPVP8 "),
        Ok(ImageFormat::WebP)
    );
    assert_eq!(
        detect_format(b"RIFF\0\0\0\0WAVEfmt "),
        Err(PictureRefusal::UnsupportedFormat)
    );
}

#[test]
fn a_truncated_file_is_unreadable() {
    let photo = pictures::jpeg_with_gps(300, 300);
    assert_eq!(
        process(&photo[..photo.len() / 2], BOUNDS).map(|_| ()),
        Err(PictureRefusal::Unreadable)
    );
    let png = pictures::transparent_png(300, 300);
    assert_eq!(
        process(&png[..png.len() / 2], BOUNDS).map(|_| ()),
        Err(PictureRefusal::Unreadable)
    );
}

#[test]
fn a_picture_claiming_thirty_thousand_pixels_a_side_is_refused_before_decoding() {
    let claim = pictures::png_claiming(30_000, 30_000);
    assert!(claim.len() < 1000);
    assert_eq!(
        process(&claim, BOUNDS).map(|_| ()),
        Err(PictureRefusal::TooManyPixels {
            width: 30_000,
            height: 30_000,
            max: 10_000
        })
    );
}

#[test]
fn a_decompression_bomb_within_the_dimensions_is_refused_by_the_memory_bound() {
    // 9 000 × 9 000 RGBA would take 324 MB; the bound is 128 MiB.
    let claim = pictures::png_claiming(9_000, 9_000);
    assert!(matches!(
        process(&claim, BOUNDS),
        Err(PictureRefusal::TooManyPixels { .. })
    ));
}
