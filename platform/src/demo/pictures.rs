//! The demo catalogue's pictures: drawn by `krafto-demo-art`, then stored through
//! krafto-media exactly as a seller's upload is (checked, re-encoded to WebP in the media
//! widths, kept under the marketplace's prefix), several at a time.

use bytes::Bytes;
use futures_util::StreamExt;
use krafto_demo_art::{Motif, Photo};
use krafto_media::{Media, StoredImage};
use uuid::Uuid;

/// Listing photos are square (the cards and the gallery show them so), as wide as the
/// largest stored width.
pub(super) const PHOTO_SIZE: u32 = 1280;
/// Logos are shown small; a modest source keeps the demo quick.
pub(super) const LOGO_SIZE: u32 = 640;
/// Banners are three times as wide as tall.
pub(super) const BANNER: (u32, u32) = (1920, 640);

/// A picture to draw.
#[derive(Debug, Clone)]
pub(super) enum Picture {
    Photo(Photo),
    Logo {
        motif: Motif,
        colour: u32,
        seed: u64,
    },
    Banner {
        motifs: [Motif; 3],
        colour: u32,
        seed: u64,
    },
}

impl Picture {
    /// The picture as a PNG file, as a seller would upload it.
    fn render(&self) -> Vec<u8> {
        let img = match self {
            Picture::Photo(p) => krafto_demo_art::photo(p, PHOTO_SIZE),
            Picture::Logo {
                motif,
                colour,
                seed,
            } => krafto_demo_art::logo(*motif, *colour, *seed, LOGO_SIZE),
            Picture::Banner {
                motifs,
                colour,
                seed,
            } => krafto_demo_art::banner(motifs, *colour, *seed, BANNER.0, BANNER.1),
        };
        krafto_demo_art::png(&img)
    }
}

/// Draws and stores `pictures` for `tenant`, as many at once as there are cores; returns
/// them stored, in order. `progress(done, total)` is told after each one.
pub(super) async fn store_all(
    media: &Media,
    tenant: Uuid,
    pictures: Vec<Picture>,
    mut progress: impl FnMut(usize, usize),
) -> anyhow::Result<Vec<StoredImage>> {
    let total = pictures.len();
    let at_once = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut stored = futures_util::stream::iter(pictures.into_iter().map(|p| async move {
        let png = tokio::task::spawn_blocking(move || p.render()).await?;
        anyhow::Ok(media.ingest(tenant, Bytes::from(png)).await?)
    }))
    .buffered(at_once);
    let mut out = Vec::with_capacity(total);
    while let Some(img) = stored.next().await {
        out.push(img?);
        progress(out.len(), total);
    }
    Ok(out)
}
