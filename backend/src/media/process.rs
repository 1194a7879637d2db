//! From uploaded bytes to the variants we keep: the format is read from the content (never
//! from a name or a declared type), the picture is decoded within limits, and each variant is
//! re-encoded from pixels alone, so no metadata (EXIF, GPS, XMP, comments) survives.
//!
//! Variants are JPEG only: `image`'s WebP encoder is lossless, which makes photographs several
//! times larger than a JPEG of the same size, and lossy WebP needs libwebp (a C build).

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageFormat, ImageReader, Limits, RgbImage};

/// The sizes kept of each picture: the longest side fits in `max_side`; smaller pictures are
/// never enlarged, and a variant the same size as a smaller one is not kept twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariantName {
    Thumbnail,
    Card,
    Banner,
}

impl VariantName {
    pub const ALL: [VariantName; 3] = [
        VariantName::Banner,
        VariantName::Card,
        VariantName::Thumbnail,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            VariantName::Thumbnail => "thumbnail",
            VariantName::Card => "card",
            VariantName::Banner => "banner",
        }
    }

    pub fn max_side(self) -> u32 {
        match self {
            VariantName::Thumbnail => 320,
            VariantName::Card => 800,
            VariantName::Banner => 1600,
        }
    }
}

const JPEG_QUALITY: u8 = 82;
/// Enough detail for a placeholder; more components cost time and length for nothing.
const BLURHASH_COMPONENTS: (u32, u32) = (4, 3);

/// Why a picture was refused. Each is the uploader's to fix, with its own stable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PictureRefusal {
    #[error("this file is not a picture we accept: send a JPEG, PNG, WebP or GIF")]
    UnsupportedFormat,
    #[error("this picture is {width}×{height} pixels; at most {max}×{max} are accepted")]
    TooManyPixels { width: u32, height: u32, max: u32 },
    #[error("this picture is incomplete or damaged and cannot be read")]
    Unreadable,
    #[error("this file is {size} bytes; at most {limit} bytes are accepted here")]
    TooLarge { size: u64, limit: u64 },
    #[error("this upload would take your pictures past your storage quota of {quota} bytes")]
    QuotaExceeded { quota: u64 },
}

impl PictureRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            PictureRefusal::UnsupportedFormat => "picture_unsupported",
            PictureRefusal::TooManyPixels { .. } => "picture_too_big",
            PictureRefusal::Unreadable => "picture_unreadable",
            PictureRefusal::TooLarge { .. } => "payload_too_large",
            PictureRefusal::QuotaExceeded { .. } => "quota_exceeded",
        }
    }
}

impl From<PictureRefusal> for crate::Error {
    fn from(refusal: PictureRefusal) -> Self {
        crate::Error::rule(refusal.code(), refusal.to_string())
    }
}

/// What decoding may use.
#[derive(Debug, Clone, Copy)]
pub struct DecodeBounds {
    pub max_dimension: u32,
    pub max_decode_bytes: u64,
}

/// One re-encoded size of a picture.
#[derive(Debug, Clone)]
pub struct EncodedVariant {
    pub name: VariantName,
    pub width: u32,
    pub height: u32,
    pub jpeg: Vec<u8>,
}

/// A picture ready to store: its variants, largest first, and its placeholder.
#[derive(Debug, Clone)]
pub struct ProcessedPicture {
    pub variants: Vec<EncodedVariant>,
    pub blurhash: String,
}

/// The format by its first bytes. SVG (a document that can carry scripts) and everything else
/// are refused.
pub fn detect_format(bytes: &[u8]) -> Result<ImageFormat, PictureRefusal> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(ImageFormat::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(ImageFormat::Png)
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Ok(ImageFormat::WebP)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Ok(ImageFormat::Gif)
    } else {
        Err(PictureRefusal::UnsupportedFormat)
    }
}

/// Decodes, strips and re-encodes. CPU-bound: call it from a blocking pool
/// ([`process_in_background`]), never on the async threads.
pub fn process(bytes: &[u8], bounds: DecodeBounds) -> Result<ProcessedPicture, PictureRefusal> {
    let format = detect_format(bytes)?;
    // A JPEG decoder fills a cut-off scan with grey rather than failing: a complete JPEG ends
    // with its end-of-image marker (some writers pad after it).
    if format == ImageFormat::Jpeg && !ends_with_jpeg_end_marker(bytes) {
        return Err(PictureRefusal::Unreadable);
    }
    let (width, height) = dimensions(bytes, format)?;
    if width > bounds.max_dimension || height > bounds.max_dimension {
        return Err(PictureRefusal::TooManyPixels {
            width,
            height,
            max: bounds.max_dimension,
        });
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits(bounds));
    // Dimensions passed; a refusal of the allocation now is a picture that claims more memory
    // than its size says (a decompression bomb), not a big picture.
    let decoded = reader.decode().map_err(|err| match err {
        image::ImageError::Limits(_) => PictureRefusal::TooManyPixels {
            width,
            height,
            max: bounds.max_dimension,
        },
        _ => PictureRefusal::Unreadable,
    })?;
    let rgb = flatten_on_white(decoded);
    drop_and_encode(rgb)
}

/// Runs [`process`] on tokio's blocking pool.
pub async fn process_in_background(
    bytes: Vec<u8>,
    bounds: DecodeBounds,
) -> crate::Result<Result<ProcessedPicture, PictureRefusal>> {
    tokio::task::spawn_blocking(move || process(&bytes, bounds))
        .await
        .map_err(crate::Error::internal)
}

fn limits(bounds: DecodeBounds) -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(bounds.max_dimension);
    limits.max_image_height = Some(bounds.max_dimension);
    limits.max_alloc = Some(bounds.max_decode_bytes);
    limits
}

/// The dimensions the file's header claims, read without decoding any pixels.
fn dimensions(bytes: &[u8], format: ImageFormat) -> Result<(u32, u32), PictureRefusal> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    // Width and height are checked by the caller, against the header's claim.
    let mut header_only = Limits::default();
    header_only.max_alloc = Some(64 * 1024 * 1024);
    reader.limits(header_only);
    reader
        .into_dimensions()
        .map_err(|_| PictureRefusal::Unreadable)
}

fn ends_with_jpeg_end_marker(bytes: &[u8]) -> bool {
    let tail_start = bytes.len().saturating_sub(4096);
    bytes[tail_start..]
        .windows(2)
        .rposition(|pair| pair == [0xFF, 0xD9])
        .is_some_and(|at| bytes[tail_start + at + 2..].iter().all(|b| *b == 0))
}

/// JPEG has no transparency: transparent parts become white, as on a page.
fn flatten_on_white(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let (width, height) = rgba.dimensions();
    RgbImage::from_fn(width, height, |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let blend = |c: u8| -> u8 {
            let c = u16::from(c);
            let a = u16::from(a);
            // (c·a + 255·(255−a)) / 255, rounded; never above 255.
            u8::try_from((c * a + 255 * (255 - a) + 127) / 255).unwrap_or(u8::MAX)
        };
        image::Rgb([blend(r), blend(g), blend(b)])
    })
}

fn drop_and_encode(source: RgbImage) -> Result<ProcessedPicture, PictureRefusal> {
    let mut variants: Vec<EncodedVariant> = Vec::new();
    // Each size from the previous one: a 12-megapixel photo is scaled down once.
    let mut current = DynamicImage::ImageRgb8(source);
    for name in VariantName::ALL {
        let side = name.max_side();
        if current.width() > side || current.height() > side {
            current = current.thumbnail(side, side);
        }
        let (width, height) = (current.width(), current.height());
        if variants
            .last()
            .is_some_and(|v| v.width == width && v.height == height)
        {
            continue;
        }
        variants.push(EncodedVariant {
            name,
            width,
            height,
            jpeg: encode_jpeg(&current)?,
        });
    }
    let blurhash = blurhash_of(&current)?;
    Ok(ProcessedPicture { variants, blurhash })
}

fn encode_jpeg(image: &DynamicImage) -> Result<Vec<u8>, PictureRefusal> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode_image(image)
        .map_err(|_| PictureRefusal::Unreadable)?;
    Ok(out)
}

fn blurhash_of(smallest: &DynamicImage) -> Result<String, PictureRefusal> {
    // The hash needs only a few pixels' worth of colour; 32 px keeps it under a millisecond.
    let tiny = smallest.thumbnail(32, 32).into_rgba8();
    let (x, y) = BLURHASH_COMPONENTS;
    blurhash::encode(x, y, tiny.width(), tiny.height(), tiny.as_raw())
        .map_err(|_| PictureRefusal::Unreadable)
}

#[cfg(test)]
#[path = "process_tests.rs"]
mod tests;
