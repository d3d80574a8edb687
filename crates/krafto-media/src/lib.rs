//! Pictures people upload: listing photos, shop logos and banners, marketplace logos.
//!
//! Every picture goes through one path: [`pipeline`] decodes it (JPEG, PNG or WebP), refuses
//! what is not a picture, too heavy or too many pixels, and re-encodes it as lossy WebP in up
//! to three widths (never upscaled), which drops every byte of EXIF, GPS or other metadata
//! the original carried; [`store`] keeps the results in object storage (the local
//! filesystem, or any S3-compatible store) under the marketplace's own prefix, at keys
//! derived from the content. [`fetch`] brings in pictures named by URL (CSV imports) without
//! letting a URL reach the platform's own network.
//!
//! This crate knows nothing of HTTP servers (no poem) nor of the database: callers keep the
//! [`StoredImage`] it returns (key, widths, dimensions) in their own rows, and serve the
//! variants through [`MediaStore::get_image`]. It never stores an original as uploaded.

pub mod config;
pub mod fetch;
pub mod pipeline;
pub mod store;

pub use config::{MediaConfig, S3Config, StorageConfig};
pub use fetch::{FetchError, Fetcher};
pub use pipeline::{ImageError, ImageLimits, ProcessedImage, WIDTHS};
pub use store::{MediaObject, MediaStore, StoreError};

pub use krafto_core::image::{PUBLIC_PREFIX, StoredImage};

use bytes::Bytes;
use uuid::Uuid;

/// Reads `{key}` and `{width}.webp` of a served path; `None` for anything else (so nothing
/// but a stored variant's name ever reaches the store).
pub fn parse_public_name(key: &str, file: &str) -> Option<(String, i32)> {
    let valid_key = key.len() == 64
        && key
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    let width = file.strip_suffix(".webp")?;
    let valid_width = !width.is_empty()
        && width.len() <= 4
        && width.bytes().all(|b| b.is_ascii_digit())
        && !width.starts_with('0');
    if !(valid_key && valid_width) {
        return None;
    }
    Some((key.to_owned(), width.parse().ok()?))
}

/// Anything that stops a picture from being stored.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error(transparent)]
    Image(#[from] ImageError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Fetch(#[from] FetchError),
}

/// The storage, the limits and the fetcher: what the platform holds in its state.
#[derive(Debug, Clone)]
pub struct Media {
    pub store: MediaStore,
    pub limits: ImageLimits,
    pub fetcher: Fetcher,
}

impl Media {
    /// Opens the configured storage.
    pub fn from_config(config: &MediaConfig) -> Result<Self, StoreError> {
        Ok(Self {
            store: MediaStore::open(&config.storage)?,
            limits: config.limits,
            fetcher: Fetcher::new(config.limits.max_bytes, config.fetch_timeout),
        })
    }

    /// Checks and re-encodes a picture (nothing stored yet). The image work runs on the
    /// blocking pool, never on the async runtime's threads.
    pub async fn process(&self, bytes: Bytes) -> Result<ProcessedImage, ImageError> {
        let limits = self.limits;
        tokio::task::spawn_blocking(move || pipeline::process(&bytes, &limits))
            .await
            .map_err(|_| ImageError::Encode)?
    }

    /// Stores a processed picture of `tenant`.
    pub async fn put(
        &self,
        tenant: Uuid,
        processed: &ProcessedImage,
    ) -> Result<StoredImage, StoreError> {
        for v in &processed.variants {
            self.store
                .put_image(tenant, &processed.key, v.width, v.bytes.clone())
                .await?;
        }
        Ok(processed.stored())
    }

    /// Checks, re-encodes and stores a picture of `tenant`.
    pub async fn ingest(&self, tenant: Uuid, bytes: Bytes) -> Result<StoredImage, MediaError> {
        let processed = self.process(bytes).await?;
        Ok(self.put(tenant, &processed).await?)
    }

    /// Fetches a picture named by an outside URL (see [`Fetcher`]) and stores it like an
    /// upload.
    pub async fn ingest_url(&self, tenant: Uuid, url: &str) -> Result<StoredImage, MediaError> {
        let bytes = self.fetcher.fetch(url).await?;
        self.ingest(tenant, bytes).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_stored_variants_name_is_read_from_a_served_path() {
        let key = "a".repeat(64);
        assert_eq!(
            parse_public_name(&key, "640.webp"),
            Some((key.clone(), 640))
        );
        assert_eq!(parse_public_name(&key, "640.png"), None);
        assert_eq!(parse_public_name(&key, "0640.webp"), None);
        assert_eq!(parse_public_name(&key, "../x.webp"), None);
        assert_eq!(parse_public_name(&"A".repeat(64), "640.webp"), None);
        assert_eq!(parse_public_name("abc", "640.webp"), None);
    }
}
