//! A picture as stored by krafto-media (listing photos, shop logos and banners, marketplace
//! logos): its content address, the widths kept and its size, and the served paths built
//! from them. Pure data: rows keep it (as JSON or columns) and pages and API objects read
//! their `src`/`srcset` from it, so that no other crate rebuilds a media path by hand.

use serde::{Deserialize, Serialize};

/// Where the platform serves stored pictures.
pub const PUBLIC_PREFIX: &str = "/media";

/// A picture as stored: what a row keeps to show it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredImage {
    /// The content address (64 hex digits), the same for the same original bytes.
    pub key: String,
    /// The widths stored, ascending (each a `{key}/{width}.webp` object).
    pub widths: Vec<i32>,
    /// The picture's size after orientation, before resizing.
    pub width: i32,
    pub height: i32,
}

impl StoredImage {
    /// The path this server serves a width at (`/media/{key}/{width}.webp`).
    pub fn src(&self, width: i32) -> String {
        format!("{PUBLIC_PREFIX}/{}/{width}.webp", self.key)
    }

    /// The smallest stored width at least `wanted` wide (the largest when none is).
    pub fn src_at_least(&self, wanted: i32) -> String {
        let w = self
            .widths
            .iter()
            .copied()
            .find(|w| *w >= wanted)
            .or_else(|| self.widths.last().copied())
            .unwrap_or(self.width);
        self.src(w)
    }

    /// `srcset` of every stored width (`/media/k/320.webp 320w, ...`).
    pub fn srcset(&self) -> String {
        self.widths
            .iter()
            .map(|w| format!("{} {w}w", self.src(*w)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Height of the picture shown `width` wide (for `width`/`height` attributes).
    pub fn height_at(&self, width: i32) -> i32 {
        if self.width <= 0 {
            return self.height;
        }
        let h = i64::from(self.height) * i64::from(width) / i64::from(self.width);
        i32::try_from(h).unwrap_or(self.height)
    }

    /// Width of the picture shown `height` tall (a logo in a header of fixed height).
    pub fn width_at(&self, height: i32) -> i32 {
        if self.height <= 0 {
            return self.width;
        }
        let w = i64::from(self.width) * i64::from(height) / i64::from(self.height);
        i32::try_from(w.max(1)).unwrap_or(self.width)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srcset_names_every_stored_width() {
        let img = StoredImage {
            key: "k".into(),
            widths: vec![320, 640, 1280],
            width: 2000,
            height: 1000,
        };
        assert_eq!(
            img.srcset(),
            "/media/k/320.webp 320w, /media/k/640.webp 640w, /media/k/1280.webp 1280w"
        );
        assert_eq!(img.src_at_least(400), "/media/k/640.webp");
        assert_eq!(img.src_at_least(4000), "/media/k/1280.webp");
        assert_eq!(img.height_at(640), 320);
        assert_eq!(img.width_at(40), 80);
    }
}
