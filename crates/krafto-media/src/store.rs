//! Object storage of the re-encoded pictures, through `object_store`: a directory of the
//! local filesystem, or a bucket of any S3-compatible store.
//!
//! Every object of a marketplace sits under its own prefix
//! (`tenants/{tenant_id}/images/{key}/{width}.webp`), and the only way in is
//! [`MediaStore::get_image`] with the tenant the caller resolved: a key stored by another
//! marketplace is simply not found. Keys are content addresses, so an object never changes
//! once written and can be cached forever.

use crate::config::{S3Config, StorageConfig};
use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use secrecy::ExposeSecret;
use std::sync::Arc;
use uuid::Uuid;

/// A storage failure (not "not found", which is `Ok(None)`).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the media storage: {0}")]
    Open(String),
    #[error("media storage: {0}")]
    Backend(#[from] object_store::Error),
}

/// A stored object being read.
pub struct MediaObject {
    /// Its size in bytes.
    pub size: u64,
    /// A strong validator, the same on every backend: derived from the content address.
    pub etag: String,
    /// The bytes, as they arrive from the store.
    pub body: BoxStream<'static, Result<Bytes, std::io::Error>>,
}

impl std::fmt::Debug for MediaObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaObject")
            .field("size", &self.size)
            .field("etag", &self.etag)
            .finish_non_exhaustive()
    }
}

/// The pictures' storage.
#[derive(Clone)]
pub struct MediaStore {
    inner: Arc<dyn ObjectStore>,
    backend: &'static str,
}

impl std::fmt::Debug for MediaStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The backend's own Display may name its endpoint; never its credentials.
        f.debug_struct("MediaStore")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl MediaStore {
    /// The configured storage.
    pub fn open(config: &StorageConfig) -> Result<Self, StoreError> {
        match config {
            StorageConfig::Local { dir } => Self::local(dir),
            StorageConfig::S3(s3) => Self::s3(s3),
        }
    }

    /// A directory of the local filesystem (created when missing).
    pub fn local(dir: &std::path::Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Open(format!("{}: {e}", dir.display())))?;
        let fs = object_store::local::LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| StoreError::Open(format!("{}: {e}", dir.display())))?;
        Ok(Self {
            inner: Arc::new(fs),
            backend: "local",
        })
    }

    /// A bucket of an S3-compatible store.
    pub fn s3(config: &S3Config) -> Result<Self, StoreError> {
        let mut b = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name(&config.bucket)
            .with_region(&config.region)
            .with_allow_http(config.allow_http);
        if let Some(endpoint) = &config.endpoint {
            b = b.with_endpoint(endpoint);
        }
        if let (Some(id), Some(secret)) = (&config.access_key_id, &config.secret_access_key) {
            b = b
                .with_access_key_id(id)
                .with_secret_access_key(secret.expose_secret());
        }
        let s3 = b.build().map_err(|e| StoreError::Open(e.to_string()))?;
        Ok(Self {
            inner: Arc::new(s3),
            backend: "s3",
        })
    }

    /// Memory only (tests).
    pub fn in_memory() -> Self {
        Self {
            inner: Arc::new(object_store::memory::InMemory::new()),
            backend: "memory",
        }
    }

    /// `local`, `s3` or `memory`.
    pub fn backend(&self) -> &'static str {
        self.backend
    }

    fn image_path(tenant: Uuid, key: &str, width: i32) -> ObjectPath {
        ObjectPath::from(format!("tenants/{tenant}/images/{key}/{width}.webp"))
    }

    /// Stores one variant of a marketplace's picture.
    pub async fn put_image(
        &self,
        tenant: Uuid,
        key: &str,
        width: u32,
        bytes: Bytes,
    ) -> Result<(), StoreError> {
        let width = i32::try_from(width).unwrap_or(i32::MAX);
        self.put(&Self::image_path(tenant, key, width), bytes).await
    }

    /// One variant of a picture of the marketplace `tenant`; `None` when that marketplace
    /// has no such object.
    pub async fn get_image(
        &self,
        tenant: Uuid,
        key: &str,
        width: i32,
    ) -> Result<Option<MediaObject>, StoreError> {
        let Some(mut object) = self.get(&Self::image_path(tenant, key, width)).await? else {
            return Ok(None);
        };
        object.etag = format!("\"{key}-{width}\"");
        Ok(Some(object))
    }

    /// Writes an object at a raw path.
    pub async fn put(&self, path: &ObjectPath, bytes: Bytes) -> Result<(), StoreError> {
        self.inner.put(path, PutPayload::from(bytes)).await?;
        Ok(())
    }

    /// Reads an object at a raw path; `None` when there is none.
    pub async fn get(&self, path: &ObjectPath) -> Result<Option<MediaObject>, StoreError> {
        match self.inner.get(path).await {
            Ok(r) => {
                let etag = r
                    .meta
                    .e_tag
                    .clone()
                    .unwrap_or_else(|| format!("\"{}\"", r.meta.size));
                Ok(Some(MediaObject {
                    size: r.meta.size,
                    etag,
                    body: r
                        .into_stream()
                        .map(|c| c.map_err(std::io::Error::other))
                        .boxed(),
                }))
            }
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read(o: MediaObject) -> Vec<u8> {
        let chunks: Vec<_> = o.body.collect().await;
        chunks
            .into_iter()
            .flat_map(|c| c.unwrap().to_vec())
            .collect()
    }

    #[tokio::test]
    async fn a_local_directory_keeps_each_marketplaces_pictures_apart() {
        let dir = tempfile::tempdir().unwrap();
        let store = MediaStore::local(&dir.path().join("media")).unwrap();
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let key = "c".repeat(64);
        store
            .put_image(a, &key, 320, Bytes::from_static(b"pixels"))
            .await
            .unwrap();
        let got = store.get_image(a, &key, 320).await.unwrap().unwrap();
        assert_eq!(got.size, 6);
        assert_eq!(got.etag, format!("\"{key}-320\""));
        assert_eq!(read(got).await, b"pixels");
        assert!(store.get_image(b, &key, 320).await.unwrap().is_none());
        assert!(store.get_image(a, &key, 640).await.unwrap().is_none());
        let on_disk = dir
            .path()
            .join(format!("media/tenants/{a}/images/{key}/320.webp"));
        assert!(on_disk.is_file(), "{}", on_disk.display());
    }
}
