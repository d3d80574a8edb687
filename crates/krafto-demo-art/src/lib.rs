//! Pictures drawn in code for the demo catalogue: a recognisable object per kind of product
//! (a bowl, a ring, a honey jar, a bunch of carrots...) standing on a table against a soft
//! wall, lit from the upper left, its colours and proportions varied by a seed; and a logo
//! and a banner per shop. A demo marketplace looks lived-in without a borrowed photograph.
//!
//! Everything is deterministic: the same request always gives the same pixels, so a stored
//! picture keeps its content address from one run to the next. Pure computation (no I/O, no
//! clock, no global state), for demo data only: nothing here is shown to people as anything
//! but a demo picture. It is its own crate so that it can be optimised in debug builds (see
//! the workspace's `[profile.dev.package.krafto-demo-art]`): drawing is per-pixel work.

mod canvas;
mod motifs;
mod rng;

use canvas::{Canvas, Rgb, Shape, flat, hex, lighten, mix, noise, shade, vertical};
use image::RgbImage;
use rng::Rng;

pub use motifs::Motif;

/// One listing photo to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub motif: Motif,
    /// The object's main colour (`0xRRGGBB`); one of the motif's own when `None`.
    pub colour: Option<u32>,
    /// Varies proportions, details and the backdrop (see [`seed`]).
    pub seed: u64,
    /// A close-up of the same object on the same backdrop.
    pub close_up: bool,
}

/// A seed from a name (FNV-1a): the same name, the same picture.
pub fn seed(name: &str) -> u64 {
    rng::seed_of(name)
}

/// A listing photo, `size` × `size` pixels.
pub fn photo(p: &Photo, size: u32) -> RgbImage {
    let mut bg = Rng::new(p.seed ^ 0xb4c3_d2e1);
    let mut obj = Rng::new(p.seed);
    let mut c = Canvas::new(size, size, bg.next_u32());
    backdrop(&mut c, &mut bg, None);
    let centre = (size as f32 / 2.0, size as f32 / 2.0);
    if p.close_up {
        c.view(1.9, p.motif.focus(), centre);
    } else {
        c.view(1.2, (50.0, 55.0), centre);
    }
    let main = hex(p.colour.unwrap_or_else(|| obj.pick(p.motif.palette())));
    p.motif.draw(&mut c, &mut obj, main);
    c.into_image()
}

/// A shop's logo, `size` × `size`: its signature object on a round badge in its colour.
pub fn logo(motif: Motif, colour: u32, seed: u64, size: u32) -> RgbImage {
    let brand = hex(colour);
    let mut obj = Rng::new(seed);
    let mut c = Canvas::new(size, size, obj.next_u32());
    c.backdrop(|_| move |_| lighten(brand, 0.9));
    let centre = (size as f32 / 2.0, size as f32 / 2.0);
    c.view(1.0, (50.0, 50.0), centre);
    c.glow(
        &Shape::circle(50.8, 51.5, 47.0),
        [0.1, 0.08, 0.06],
        0.25,
        1.5,
    );
    c.fill(
        &Shape::circle(50.0, 50.0, 47.0),
        vertical(lighten(brand, 0.12), shade(brand, 0.82), 3.0, 97.0),
    );
    c.fill(
        &Shape::circle(50.0, 50.0, 43.0).ring(0.5),
        flat(lighten(brand, 0.55)),
    );
    let cream: Rgb = [0.97, 0.95, 0.91];
    c.fill(
        &Shape::circle(50.0, 50.0, 40.0),
        vertical(cream, shade(cream, 0.93), 10.0, 90.0),
    );
    c.view(0.78, (50.0, 57.0), centre);
    let main = hex(obj.pick(motif.palette()));
    motif.draw(&mut c, &mut obj, main);
    c.into_image()
}

/// A shop's banner, `width` × `height`: a few of its objects side by side on a table, the
/// wall tinted with the shop's colour.
pub fn banner(motifs: &[Motif], colour: u32, seed: u64, width: u32, height: u32) -> RgbImage {
    let mut bg = Rng::new(seed ^ 0x7a7a_7a7a);
    let mut c = Canvas::new(width, height, bg.next_u32());
    backdrop(&mut c, &mut bg, Some(hex(colour)));
    let n = motifs.len().max(1);
    for (k, m) in motifs.iter().enumerate() {
        let mut obj = Rng::new(seed.wrapping_add(k as u64 * 0x9e37));
        let x = (k as f32 + 0.5) * width as f32 / n as f32;
        c.view(0.9, (50.0, 52.0), (x, height as f32 * 0.5));
        let main = hex(obj.pick(m.palette()));
        m.draw(&mut c, &mut obj, main);
    }
    c.into_image()
}

/// A soft wall above a table, a window's light from the left, a faint vignette.
fn backdrop(c: &mut Canvas, r: &mut Rng, tint: Option<Rgb>) {
    let mut wall = hex(r.pick(&[
        0xf4eee6, 0xeaf0ea, 0xeeeaf3, 0xf5eae2, 0xe7eef2, 0xf3f0e2, 0xf1ece9,
    ]));
    if let Some(t) = tint {
        wall = mix(wall, lighten(t, 0.6), 0.35);
    }
    let (table, wood) = r.pick(&[
        (0xe3d5c3, false),
        (0xd9c3a5, true),
        (0xd8d6d0, false),
        (0xe9e2d8, false),
        (0xcbb08c, true),
    ]);
    let table = hex(table);
    let horizon = r.range(0.56, 0.63);
    let light = r.range(0.12, 0.4);
    let seed = r.next_u32();
    let (w, h) = (c.w as f32, c.h as f32);
    let aspect = w / h;
    // The window's light and the vignette fall off separately across and down.
    let across: Vec<(f32, f32)> = (0..c.w)
        .map(|i| {
            let u = (i as f32 + 0.5) / w;
            (
                (-((u - light) * aspect).powi(2) / 0.09).exp(),
                ((u - 0.5) * aspect).powi(2),
            )
        })
        .collect();
    let last = across.len().saturating_sub(1);
    let column = move |u: f32| ((u * w) as usize).min(last);
    let across = std::sync::Arc::new(across);
    c.backdrop(move |v| {
        let across = across.clone();
        let light_down = 0.16 * (-(v - 0.22).powi(2) / 0.09).exp();
        let wall_c = mix(lighten(wall, 0.35), wall, v / horizon);
        let t = ((v - horizon) / (1.0 - horizon)).clamp(0.0, 1.0);
        let table_c = mix(lighten(table, 0.1), shade(table, 0.84), t);
        // The table's edge, anti-aliased over a pixel and a half.
        let edge = ((v - horizon) * h / 1.5 + 0.5).clamp(0.0, 1.0);
        let vig_down = (v - 0.5).powi(2);
        move |u| {
            let (light_across, vig_across) = across[column(u)];
            let wall_px = lighten(wall_c, light_down * light_across);
            let table_px = if wood && edge > 0.0 {
                let grain =
                    (v * 260.0 + 5.0 * noise(u * 100.0 * aspect, v * 100.0, 9.0, seed)).sin();
                shade(table_c, 0.97 + 0.03 * grain)
            } else {
                table_c
            };
            let base = if edge <= 0.0 {
                wall_px
            } else if edge >= 1.0 {
                table_px
            } else {
                mix(wall_px, table_px, edge)
            };
            shade(base, 1.0 - 0.2 * (vig_across + vig_down))
        }
    });
}

/// The picture as a PNG (fast compression: it is re-encoded on upload anyway).
pub fn png(img: &RgbImage) -> Vec<u8> {
    use image::ImageEncoder;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut out = Vec::new();
    // Writing into a Vec cannot fail, and the buffer matches its own dimensions.
    let _ = PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Sub)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::Rgb8,
        );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn background_share(img: &RgbImage, reference: &RgbImage) -> f32 {
        let same = img
            .pixels()
            .zip(reference.pixels())
            .filter(|(a, b)| a.0.iter().zip(b.0).all(|(x, y)| x.abs_diff(y) < 6))
            .count();
        same as f32 / (img.width() * img.height()) as f32
    }

    /// The backdrop alone, as [`photo`] draws it for `seed`.
    fn empty(seed: u64, size: u32) -> RgbImage {
        let mut bg = Rng::new(seed ^ 0xb4c3_d2e1);
        let mut c = Canvas::new(size, size, bg.next_u32());
        backdrop(&mut c, &mut bg, None);
        c.into_image()
    }

    #[test]
    fn every_motif_draws_an_object_of_its_own_over_the_backdrop() {
        let size = 160;
        let mut drawn = Vec::new();
        for (i, m) in Motif::ALL.into_iter().enumerate() {
            let p = Photo {
                motif: m,
                colour: None,
                seed: 1000 + i as u64,
                close_up: false,
            };
            let img = photo(&p, size);
            let bg = background_share(&img, &empty(p.seed, size));
            assert!(
                // A necklace is thin; a lettuce fills the frame.
                bg < 0.95 && bg > 0.3,
                "{m:?}: {:.0}% of the picture is backdrop",
                bg * 100.0
            );
            drawn.push((m, img));
        }
        // No two motifs draw the same picture.
        for (i, (a, ia)) in drawn.iter().enumerate() {
            for (b, ib) in &drawn[i + 1..] {
                assert_ne!(ia.as_raw(), ib.as_raw(), "{a:?} and {b:?}");
            }
        }
    }

    #[test]
    fn the_same_request_gives_the_same_pixels_and_another_seed_others() {
        let p = Photo {
            motif: Motif::HoneyJar,
            colour: Some(0xd99a1e),
            seed: seed("lyon/rucher/miel"),
            close_up: false,
        };
        let a = photo(&p, 96);
        assert_eq!(a.as_raw(), photo(&p, 96).as_raw());
        assert_eq!(png(&a), png(&photo(&p, 96)));
        let other = Photo {
            seed: seed("lyon/rucher/miel-2"),
            ..p.clone()
        };
        assert_ne!(a.as_raw(), photo(&other, 96).as_raw());
        let close = Photo {
            close_up: true,
            ..p
        };
        assert_ne!(a.as_raw(), photo(&close, 96).as_raw());
    }

    #[test]
    fn logos_and_banners_have_the_asked_size_and_decode_back() {
        let l = logo(Motif::Bowl, 0x8a4b2a, 7, 128);
        assert_eq!((l.width(), l.height()), (128, 128));
        let b = banner(
            &[Motif::Bowl, Motif::Mug, Motif::Vase],
            0x8a4b2a,
            7,
            300,
            100,
        );
        assert_eq!((b.width(), b.height()), (300, 100));
        let decoded = image::load_from_memory(&png(&b)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(decoded.to_rgb8().as_raw(), b.as_raw());
    }
}
