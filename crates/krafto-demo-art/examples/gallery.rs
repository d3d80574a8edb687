//! Draws every motif (a photo and its close-up), a logo and a banner into a directory, and
//! prints how long each took: `cargo run -p krafto-demo-art --example gallery -- DIR [SIZE]`.

use krafto_demo_art::{Motif, Photo, banner, logo, photo, png, seed};
use std::io::Write;
use std::time::Instant;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "gallery".to_owned()));
    let size: u32 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1280);
    std::fs::create_dir_all(&dir)?;
    let mut out = std::io::stdout().lock();
    let all = Instant::now();
    // A contact sheet of every photo, 256 pixels each, eight to a row.
    let thumb = 256;
    let count = Motif::ALL.len() as u32 * 2;
    let mut sheet = image::RgbImage::new(thumb * 8, thumb * count.div_ceil(8));
    let mut at = 0u32;
    for m in Motif::ALL {
        for close_up in [false, true] {
            let p = Photo {
                motif: m,
                colour: None,
                seed: seed(&format!("{m:?}")),
                close_up,
            };
            let t = Instant::now();
            let img = photo(&p, size);
            let drawn = t.elapsed();
            let small =
                image::imageops::resize(&img, thumb, thumb, image::imageops::FilterType::Triangle);
            image::imageops::replace(
                &mut sheet,
                &small,
                i64::from(at % 8 * thumb),
                i64::from(at / 8 * thumb),
            );
            at += 1;
            let bytes = png(&img);
            let suffix = if close_up { "-close" } else { "" };
            std::fs::write(dir.join(format!("{m:?}{suffix}.png")), &bytes)?;
            writeln!(
                out,
                "{m:?}{suffix}: drawn in {} ms, PNG in {} ms total",
                drawn.as_millis(),
                t.elapsed().as_millis()
            )?;
        }
    }
    std::fs::write(dir.join("sheet.png"), png(&sheet))?;
    let l = logo(Motif::Bowl, 0x8a4b2a, 1, size);
    std::fs::write(dir.join("logo.png"), png(&l))?;
    let b = banner(
        &[Motif::Bowl, Motif::Mug, Motif::Vase],
        0x8a4b2a,
        1,
        size * 3 / 2,
        size / 2,
    );
    std::fs::write(dir.join("banner.png"), png(&b))?;
    writeln!(out, "all: {} ms", all.elapsed().as_millis())?;
    Ok(())
}
