//! Decode, check, re-encode: what turns an uploaded file into the pictures that are served.
//!
//! The original is never kept: only pixels survive (turned upright first), re-encoded as
//! lossy WebP, so metadata (EXIF, GPS position, camera serials, XMP, ICC) cannot leak.
//! Limits are checked before decoding: the file's size, then its declared dimensions (a
//! tiny file can declare a gigantic canvas), and the decoder's own allocation limit.

use crate::StoredImage;
use bytes::Bytes;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};
use std::io::Cursor;

/// The widths stored for every picture (smaller pictures stop at their own width).
pub const WIDTHS: [u32; 3] = [320, 640, 1280];

/// WebP quality (0–100) of every stored variant.
const QUALITY: f32 = 80.0;

/// Bumped whenever the output of [`process`] changes for the same input, so that content
/// addresses never name two different results.
const PIPELINE_VERSION: &[u8] = b"krafto-media/2";

/// What a picture may weigh and measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageLimits {
    /// Largest file accepted, in bytes.
    pub max_bytes: usize,
    /// Largest canvas accepted (width × height), against decompression bombs.
    pub max_pixels: u64,
}

impl Default for ImageLimits {
    fn default() -> Self {
        Self {
            max_bytes: 10 * 1024 * 1024,
            max_pixels: 40_000_000,
        }
    }
}

/// Why a file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    #[error("the file is larger than {max_bytes} bytes")]
    TooLarge { max_bytes: usize },
    #[error("the file is not a JPEG, PNG or WebP picture")]
    NotAnImage,
    #[error("the picture has more than {max_pixels} pixels")]
    TooManyPixels { max_pixels: u64 },
    #[error("the picture cannot be read: {0}")]
    Corrupt(String),
    #[error("the picture could not be encoded")]
    Encode,
}

/// One stored width.
#[derive(Debug, Clone)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// WebP bytes.
    pub bytes: Bytes,
}

/// The result of [`process`].
#[derive(Debug, Clone)]
pub struct ProcessedImage {
    /// Content address: hex SHA-256 of the pipeline version and the original bytes.
    pub key: String,
    pub width: u32,
    pub height: u32,
    /// Ascending widths.
    pub variants: Vec<Variant>,
}

impl ProcessedImage {
    /// What a row keeps of it.
    pub fn stored(&self) -> StoredImage {
        StoredImage {
            key: self.key.clone(),
            widths: self
                .variants
                .iter()
                .map(|v| i32::try_from(v.width).unwrap_or(i32::MAX))
                .collect(),
            width: i32::try_from(self.width).unwrap_or(i32::MAX),
            height: i32::try_from(self.height).unwrap_or(i32::MAX),
        }
    }
}

/// The widths to store for a picture `width` pixels wide: each of [`WIDTHS`] under it, and
/// its own width when under the largest (never upscaled).
pub fn widths_for(width: u32) -> Vec<u32> {
    let largest = WIDTHS[WIDTHS.len() - 1];
    let mut out: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < width).collect();
    let top = width.min(largest);
    if !out.contains(&top) {
        out.push(top);
    }
    out
}

/// Checks a file and re-encodes it. CPU-bound: call it from a blocking thread.
pub fn process(bytes: &[u8], limits: &ImageLimits) -> Result<ProcessedImage, ImageError> {
    if bytes.len() > limits.max_bytes {
        return Err(ImageError::TooLarge {
            max_bytes: limits.max_bytes,
        });
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| ImageError::NotAnImage)?;
    match reader.format() {
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) => {}
        _ => return Err(ImageError::NotAnImage),
    }
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| ImageError::Corrupt(e.to_string()))?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err(ImageError::Corrupt("empty picture".into()));
    }
    if u64::from(w) * u64::from(h) > limits.max_pixels {
        return Err(ImageError::TooManyPixels {
            max_pixels: limits.max_pixels,
        });
    }
    let mut decoder_limits = Limits::default();
    // Room for the decoded canvas (RGBA, 16 bits per channel at most) and the decoder's
    // working buffers; anything asking for more is refused by the decoder itself.
    decoder_limits.max_alloc = Some(limits.max_pixels.saturating_mul(8).saturating_add(64 << 20));
    decoder
        .set_limits(decoder_limits)
        .map_err(|_| ImageError::TooManyPixels {
            max_pixels: limits.max_pixels,
        })?;
    let orientation = decoder
        .orientation()
        .map_err(|e| ImageError::Corrupt(e.to_string()))?;
    let mut img =
        DynamicImage::from_decoder(decoder).map_err(|e| ImageError::Corrupt(e.to_string()))?;
    img.apply_orientation(orientation);

    let (width, height) = (img.width(), img.height());
    // Largest first: each smaller width is resized from the one above it, which looks the
    // same and costs a fraction of resampling the original again.
    let mut variants = Vec::new();
    let mut above: Option<DynamicImage> = None;
    for target in widths_for(width).into_iter().rev() {
        let from = above.as_ref().unwrap_or(&img);
        let resized = resized_to(from, target)?;
        let shown = resized.as_ref().unwrap_or(from);
        variants.push(encode(shown)?);
        if resized.is_some() {
            above = resized;
        }
    }
    variants.reverse();

    let mut hasher = Sha256::new();
    hasher.update(PIPELINE_VERSION);
    hasher.update(bytes);
    Ok(ProcessedImage {
        key: hex::encode(hasher.finalize()),
        width,
        height,
        variants,
    })
}

/// `img` resized to `target` pixels wide, or `None` when it is not wider (never upscaled).
fn resized_to(img: &DynamicImage, target: u32) -> Result<Option<DynamicImage>, ImageError> {
    if target >= img.width() {
        return Ok(None);
    }
    let h = (u64::from(img.height()) * u64::from(target) / u64::from(img.width())).max(1);
    let h = u32::try_from(h).map_err(|_| ImageError::Encode)?;
    Ok(Some(img.resize_exact(
        target,
        h,
        image::imageops::FilterType::CatmullRom,
    )))
}

fn encode(img: &DynamicImage) -> Result<Variant, ImageError> {
    let bytes = if img.color().has_alpha() {
        let rgba = img.to_rgba8();
        webp::Encoder::from_rgba(&rgba, rgba.width(), rgba.height())
            .encode_simple(false, QUALITY)
            .map_err(|_| ImageError::Encode)?
            .to_vec()
    } else {
        let rgb = img.to_rgb8();
        webp::Encoder::from_rgb(&rgb, rgb.width(), rgb.height())
            .encode_simple(false, QUALITY)
            .map_err(|_| ImageError::Encode)?
            .to_vec()
    };
    Ok(Variant {
        width: img.width(),
        height: img.height(),
        bytes: Bytes::from(bytes),
    })
}

/// Test pictures, built in code (no binary fixtures): also used by the end-to-end tests.
pub mod samples {
    use image::{ImageEncoder, Rgb, RgbImage};

    /// A `width` × `height` JPEG with a gradient.
    pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(width, height, |x, y| {
            Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
        });
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
            .write_image(img.as_raw(), width, height, image::ExtendedColorType::Rgb8)
            .expect("encoding a JPEG in memory");
        out
    }

    /// A `width` × `height` PNG.
    pub fn png(width: u32, height: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(width, height, |x, _| Rgb([(x % 256) as u8, 90, 160]));
        let mut out = Vec::new();
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(img.as_raw(), width, height, image::ExtendedColorType::Rgb8)
            .expect("encoding a PNG in memory");
        out
    }

    /// The GPS latitude reference written by [`jpeg_with_gps`], findable in the bytes.
    pub const GPS_MARKER: &[u8] = b"KRAFTO-GPS-45.7640N";

    /// A JPEG carrying an EXIF segment (APP1) with a GPS block: latitude 45°45'50" N and a
    /// camera make and a recognisable marker, as a phone would write them.
    pub fn jpeg_with_gps(width: u32, height: u32) -> Vec<u8> {
        let jpeg = jpeg(width, height);
        let app1 = exif_app1();
        // SOI, then our APP1, then the rest of the encoder's segments.
        let mut out = Vec::with_capacity(jpeg.len() + app1.len());
        out.extend_from_slice(&jpeg[..2]);
        out.extend_from_slice(&app1);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    /// An `Exif\0\0` APP1 segment: IFD0 with Make and a GPS IFD pointer; the GPS IFD with
    /// GPSLatitudeRef "N", GPSLatitude 45/1 45/1 50/1, and a maker note holding the marker.
    fn exif_app1() -> Vec<u8> {
        // Little-endian TIFF.
        let mut t: Vec<u8> = Vec::new();
        t.extend_from_slice(b"II");
        t.extend_from_slice(&42u16.to_le_bytes());
        t.extend_from_slice(&8u32.to_le_bytes());
        // IFD0 at 8: 2 entries (12 bytes each) + next-IFD offset.
        let ifd0_len = 2 + 2 * 12 + 4;
        let make_off = 8 + ifd0_len; // "KraftoCam\0" (10 bytes)
        let gps_off = make_off + 10;
        // GPS IFD: 3 entries.
        let gps_len = 2 + 3 * 12 + 4;
        let lat_off = gps_off + gps_len; // 3 rationals = 24 bytes
        let marker_off = lat_off + 24;
        let entry = |t: &mut Vec<u8>, tag: u16, typ: u16, count: u32, value: u32| {
            t.extend_from_slice(&tag.to_le_bytes());
            t.extend_from_slice(&typ.to_le_bytes());
            t.extend_from_slice(&count.to_le_bytes());
            t.extend_from_slice(&value.to_le_bytes());
        };
        t.extend_from_slice(&2u16.to_le_bytes());
        entry(&mut t, 0x010F, 2, 10, make_off as u32); // Make, ASCII
        entry(&mut t, 0x8825, 4, 1, gps_off as u32); // GPS IFD pointer
        t.extend_from_slice(&0u32.to_le_bytes());
        t.extend_from_slice(b"KraftoCam\0");
        t.extend_from_slice(&3u16.to_le_bytes());
        entry(&mut t, 0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0")); // GPSLatitudeRef
        entry(&mut t, 0x0002, 5, 3, lat_off as u32); // GPSLatitude
        entry(
            &mut t,
            0x001B,
            7,
            GPS_MARKER.len() as u32,
            marker_off as u32,
        ); // ProcessingMethod
        t.extend_from_slice(&0u32.to_le_bytes());
        for (n, d) in [(45u32, 1u32), (45, 1), (50, 1)] {
            t.extend_from_slice(&n.to_le_bytes());
            t.extend_from_slice(&d.to_le_bytes());
        }
        t.extend_from_slice(GPS_MARKER);
        let mut payload = b"Exif\0\0".to_vec();
        payload.extend_from_slice(&t);
        let mut seg = vec![0xFF, 0xE1];
        seg.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        seg.extend_from_slice(&payload);
        seg
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::ImageDecoder;

    fn limits() -> ImageLimits {
        ImageLimits::default()
    }

    fn decode_webp(bytes: &[u8]) -> image::codecs::webp::WebPDecoder<Cursor<&[u8]>> {
        image::codecs::webp::WebPDecoder::new(Cursor::new(bytes)).expect("a WebP")
    }

    #[test]
    fn a_jpeg_with_gps_comes_back_as_three_webp_widths_without_any_metadata() {
        let original = samples::jpeg_with_gps(1600, 1200);
        // The sample really carries EXIF with our GPS block, as a decoder reads it.
        let mut d = image::codecs::jpeg::JpegDecoder::new(Cursor::new(&original)).unwrap();
        let exif = d.exif_metadata().unwrap().expect("the sample has EXIF");
        assert!(
            exif.windows(GPS_MARKER_LEN)
                .any(|w| w == samples::GPS_MARKER)
        );

        let out = process(&original, &limits()).unwrap();
        assert_eq!((out.width, out.height), (1600, 1200));
        let widths: Vec<u32> = out.variants.iter().map(|v| v.width).collect();
        assert_eq!(widths, vec![320, 640, 1280]);
        for v in &out.variants {
            assert_eq!(&v.bytes[..4], b"RIFF");
            assert_eq!(&v.bytes[8..12], b"WEBP");
            assert!(!v.bytes.windows(4).any(|w| w == b"Exif" || w == b"EXIF"));
            assert!(
                !v.bytes
                    .windows(GPS_MARKER_LEN)
                    .any(|w| w == samples::GPS_MARKER)
            );
            assert!(!v.bytes.windows(9).any(|w| w == b"KraftoCam"));
            let mut d = decode_webp(&v.bytes);
            assert_eq!(d.exif_metadata().unwrap(), None);
            assert_eq!(d.dimensions(), (v.width, v.width * 3 / 4));
        }
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for b in bytes {
            crc ^= u32::from(*b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    const GPS_MARKER_LEN: usize = samples::GPS_MARKER.len();

    #[test]
    fn a_small_picture_is_never_upscaled() {
        let out = process(&samples::png(500, 250), &limits()).unwrap();
        let widths: Vec<u32> = out.variants.iter().map(|v| v.width).collect();
        assert_eq!(widths, vec![320, 500]);
        assert_eq!(out.stored().widths, vec![320, 500]);
        assert_eq!(widths_for(100), vec![100]);
        assert_eq!(widths_for(640), vec![320, 640]);
        assert_eq!(widths_for(5000), vec![320, 640, 1280]);
    }

    #[test]
    fn the_same_file_gets_the_same_key_and_another_file_another() {
        let a = process(&samples::png(40, 40), &limits()).unwrap();
        let b = process(&samples::png(40, 40), &limits()).unwrap();
        let c = process(&samples::png(41, 40), &limits()).unwrap();
        assert_eq!(a.key, b.key);
        assert_ne!(a.key, c.key);
        assert_eq!(a.key.len(), 64);
    }

    #[test]
    fn what_is_not_a_picture_is_refused() {
        assert_eq!(
            process(b"%PDF-1.7 not a picture", &limits()).unwrap_err(),
            ImageError::NotAnImage
        );
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"></svg>"#;
        assert_eq!(process(svg, &limits()).unwrap_err(), ImageError::NotAnImage);
        // A GIF is a picture, but not one of ours.
        assert_eq!(
            process(b"GIF89a\x01\x00\x01\x00", &limits()).unwrap_err(),
            ImageError::NotAnImage
        );
        let mut broken = samples::jpeg(64, 64);
        broken.truncate(40);
        assert!(matches!(
            process(&broken, &limits()).unwrap_err(),
            ImageError::Corrupt(_)
        ));
    }

    #[test]
    fn too_heavy_files_and_too_many_pixels_are_refused_before_decoding() {
        let small = ImageLimits {
            max_bytes: 1000,
            max_pixels: 40_000_000,
        };
        assert_eq!(
            process(&samples::jpeg(400, 400), &small).unwrap_err(),
            ImageError::TooLarge { max_bytes: 1000 }
        );
        // A PNG header declaring 100000 × 100000 pixels (a decompression bomb's shape).
        let mut bomb = samples::png(1, 1);
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        // The IHDR chunk's CRC covers its type and data (bytes 12..29), stored at 29..33.
        let crc = crc32(&bomb[12..29]);
        bomb[29..33].copy_from_slice(&crc.to_be_bytes());
        assert_eq!(
            process(&bomb, &limits()).unwrap_err(),
            ImageError::TooManyPixels {
                max_pixels: 40_000_000
            }
        );
        let tight = ImageLimits {
            max_bytes: 10 << 20,
            max_pixels: 100 * 100,
        };
        assert!(matches!(
            process(&samples::png(101, 100), &tight).unwrap_err(),
            ImageError::TooManyPixels { .. }
        ));
    }

    #[test]
    fn webp_and_transparent_pngs_are_read() {
        let webp = process(&samples::png(700, 100), &limits())
            .unwrap()
            .variants[0]
            .bytes
            .clone();
        let again = process(&webp, &limits()).unwrap();
        assert_eq!(again.width, 320);

        let mut rgba = Vec::new();
        let img = image::RgbaImage::from_pixel(50, 50, image::Rgba([10, 20, 30, 0]));
        image::ImageEncoder::write_image(
            image::codecs::png::PngEncoder::new(&mut rgba),
            img.as_raw(),
            50,
            50,
            image::ExtendedColorType::Rgba8,
        )
        .unwrap();
        let out = process(&rgba, &limits()).unwrap();
        let d = decode_webp(&out.variants[0].bytes);
        assert!(d.color_type().has_alpha());
    }
}
