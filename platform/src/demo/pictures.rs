//! The demo catalogue's pictures: drawn by `krafto-demo-art`, then stored through
//! krafto-media exactly as a seller's upload is (checked, re-encoded to WebP in the media
//! widths, kept under the marketplace's prefix), several at a time.

use bytes::Bytes;
use futures_util::StreamExt;
use krafto_demo_art::{Motif, Photo};
use krafto_media::{Media, StoredImage};
use uuid::Uuid;

/// How large the pictures are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PictureSizes {
    /// Listing photos are square (cards and galleries show them so).
    pub photo: u32,
    pub logo: u32,
    /// Width and height.
    pub banner: (u32, u32),
}

impl Default for PictureSizes {
    /// The demo's: photos as wide as the largest stored width, logos (shown small) at half
    /// that, banners three times as wide as tall.
    fn default() -> Self {
        PictureSizes {
            photo: 1280,
            logo: 640,
            banner: (1920, 640),
        }
    }
}

impl PictureSizes {
    /// Thumbnails, for tests that need the catalogue but do not look at its pictures (a
    /// full-size catalogue takes a good part of a minute to draw and encode).
    pub const SMALL: PictureSizes = PictureSizes {
        photo: 96,
        logo: 64,
        banner: (192, 64),
    };
}

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
    fn render(&self, size: PictureSizes) -> Vec<u8> {
        let img = match self {
            Picture::Photo(p) => krafto_demo_art::photo(p, size.photo),
            Picture::Logo {
                motif,
                colour,
                seed,
            } => krafto_demo_art::logo(*motif, *colour, *seed, size.logo),
            Picture::Banner {
                motifs,
                colour,
                seed,
            } => krafto_demo_art::banner(motifs, *colour, *seed, size.banner.0, size.banner.1),
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
    size: PictureSizes,
    mut progress: impl FnMut(usize, usize),
) -> anyhow::Result<Vec<StoredImage>> {
    let total = pictures.len();
    let at_once = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut stored = futures_util::stream::iter(pictures.into_iter().map(|p| async move {
        let png = tokio::task::spawn_blocking(move || p.render(size)).await?;
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
