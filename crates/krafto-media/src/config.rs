//! Media settings, read once from the environment.
//!
//! | variable | meaning |
//! |---|---|
//! | `KRAFTO_MEDIA_DIR` | local storage directory (default `.krafto/media`, relative to the working directory); used when no bucket is set |
//! | `KRAFTO_S3_BUCKET` | store in this bucket of an S3-compatible service instead |
//! | `KRAFTO_S3_ENDPOINT` | the service's URL (AWS when unset) |
//! | `KRAFTO_S3_REGION` | region (default `us-east-1`) |
//! | `KRAFTO_S3_ACCESS_KEY_ID`, `KRAFTO_S3_SECRET_ACCESS_KEY` | credentials (both or neither) |
//! | `KRAFTO_S3_ALLOW_HTTP` | allow a plain `http://` endpoint (default no) |
//! | `KRAFTO_MEDIA_MAX_MB` | largest picture accepted, in MiB (default 10) |
//! | `KRAFTO_MEDIA_MAX_MEGAPIXELS` | largest canvas accepted (default 40) |
//! | `KRAFTO_MEDIA_FETCH_TIMEOUT_SECS` | how long fetching a picture by URL may take (default 15) |

use crate::pipeline::ImageLimits;
use krafto_core::env::{Env, EnvError, TimeUnit};
use secrecy::SecretString;
use std::path::PathBuf;
use std::time::Duration;

/// Where pictures are kept.
#[derive(Debug, Clone)]
pub enum StorageConfig {
    /// A directory of the local filesystem.
    Local { dir: PathBuf },
    /// A bucket of an S3-compatible store.
    S3(S3Config),
}

/// An S3-compatible bucket.
#[derive(Debug, Clone)]
pub struct S3Config {
    pub bucket: String,
    /// `https://…` (or `http://…` with `allow_http`); AWS itself when `None`.
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<SecretString>,
    pub allow_http: bool,
}

/// The media settings.
#[derive(Debug, Clone)]
pub struct MediaConfig {
    pub storage: StorageConfig,
    pub limits: ImageLimits,
    pub fetch_timeout: Duration,
}

/// The local directory when `KRAFTO_MEDIA_DIR` is unset.
pub const DEFAULT_MEDIA_DIR: &str = ".krafto/media";

impl MediaConfig {
    pub fn from_env(env: &Env) -> Result<Self, EnvError> {
        let storage = match env.optional("KRAFTO_S3_BUCKET")? {
            Some(bucket) => StorageConfig::S3(S3Config::from_env(env, bucket)?),
            None => {
                for name in [
                    "KRAFTO_S3_ENDPOINT",
                    "KRAFTO_S3_ACCESS_KEY_ID",
                    "KRAFTO_S3_SECRET_ACCESS_KEY",
                ] {
                    if env.optional(name)?.is_some() {
                        return Err(EnvError::missing(
                            "KRAFTO_S3_BUCKET",
                            format!("the bucket to store pictures in ({name} is set)"),
                        ));
                    }
                }
                StorageConfig::Local {
                    dir: PathBuf::from(env.string_or("KRAFTO_MEDIA_DIR", DEFAULT_MEDIA_DIR)?),
                }
            }
        };
        let max_mb: usize = env.number("KRAFTO_MEDIA_MAX_MB", 1..=100, 10)?;
        let max_mp: u64 = env.number("KRAFTO_MEDIA_MAX_MEGAPIXELS", 1..=250, 40)?;
        Ok(Self {
            storage,
            limits: ImageLimits {
                max_bytes: max_mb * 1024 * 1024,
                max_pixels: max_mp * 1_000_000,
            },
            fetch_timeout: env.duration(
                "KRAFTO_MEDIA_FETCH_TIMEOUT_SECS",
                TimeUnit::Seconds,
                1..=300,
                15,
            )?,
        })
    }

    /// A local directory with the default limits (tests, tools).
    pub fn local(dir: impl Into<PathBuf>) -> Self {
        Self {
            storage: StorageConfig::Local { dir: dir.into() },
            limits: ImageLimits::default(),
            fetch_timeout: Duration::from_secs(15),
        }
    }
}

impl S3Config {
    fn from_env(env: &Env, bucket: String) -> Result<Self, EnvError> {
        let endpoint = env.optional("KRAFTO_S3_ENDPOINT")?;
        let allow_http = env.flag("KRAFTO_S3_ALLOW_HTTP", false)?;
        if let Some(e) = &endpoint {
            let lower = e.to_ascii_lowercase();
            if lower.starts_with("http://") && !allow_http {
                return Err(EnvError::invalid(
                    "KRAFTO_S3_ENDPOINT",
                    e,
                    "an https:// URL (set KRAFTO_S3_ALLOW_HTTP=1 to allow http://)",
                ));
            }
            if !lower.starts_with("http://") && !lower.starts_with("https://") {
                return Err(EnvError::invalid(
                    "KRAFTO_S3_ENDPOINT",
                    e,
                    "the URL of the S3-compatible service, like https://s3.example.com",
                ));
            }
        }
        let access_key_id = env.optional("KRAFTO_S3_ACCESS_KEY_ID")?;
        let secret_access_key = env.secret("KRAFTO_S3_SECRET_ACCESS_KEY")?;
        match (&access_key_id, &secret_access_key) {
            (Some(_), None) => {
                return Err(EnvError::missing(
                    "KRAFTO_S3_SECRET_ACCESS_KEY",
                    "the secret of KRAFTO_S3_ACCESS_KEY_ID",
                ));
            }
            (None, Some(_)) => {
                return Err(EnvError::missing(
                    "KRAFTO_S3_ACCESS_KEY_ID",
                    "the key id of KRAFTO_S3_SECRET_ACCESS_KEY",
                ));
            }
            _ => {}
        }
        Ok(Self {
            bucket,
            endpoint,
            region: env.string_or("KRAFTO_S3_REGION", "us-east-1")?,
            access_key_id,
            secret_access_key,
            allow_http,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Result<MediaConfig, EnvError> {
        MediaConfig::from_env(&Env::from_pairs(pairs.iter().copied()))
    }

    #[test]
    fn the_local_directory_is_the_default() {
        let c = config(&[]).unwrap();
        assert!(matches!(c.storage, StorageConfig::Local { ref dir } if dir.ends_with("media")));
        assert_eq!(c.limits, ImageLimits::default());
        let c = config(&[("KRAFTO_MEDIA_DIR", "/srv/pictures")]).unwrap();
        assert!(
            matches!(c.storage, StorageConfig::Local { ref dir } if dir.as_os_str() == "/srv/pictures")
        );
    }

    #[test]
    fn a_bucket_selects_s3_with_its_settings_and_keeps_the_secret_out_of_debug() {
        let c = config(&[
            ("KRAFTO_S3_BUCKET", "pictures"),
            ("KRAFTO_S3_ENDPOINT", "http://127.0.0.1:9000"),
            ("KRAFTO_S3_ALLOW_HTTP", "1"),
            ("KRAFTO_S3_ACCESS_KEY_ID", "id"),
            ("KRAFTO_S3_SECRET_ACCESS_KEY", "secret-9"),
            ("KRAFTO_S3_REGION", "eu-west-3"),
        ])
        .unwrap();
        let StorageConfig::S3(s3) = &c.storage else {
            panic!("expected S3: {c:?}");
        };
        assert_eq!(s3.bucket, "pictures");
        assert_eq!(s3.region, "eu-west-3");
        assert!(s3.allow_http);
        assert!(!format!("{c:?}").contains("secret-9"));
    }

    #[test]
    fn each_mistake_names_its_variable() {
        let name = |pairs: &[(&str, &str)]| config(pairs).unwrap_err().name().to_owned();
        assert_eq!(
            name(&[("KRAFTO_S3_ENDPOINT", "https://s3.example")]),
            "KRAFTO_S3_BUCKET"
        );
        assert_eq!(
            name(&[
                ("KRAFTO_S3_BUCKET", "b"),
                ("KRAFTO_S3_ENDPOINT", "http://s3.example")
            ]),
            "KRAFTO_S3_ENDPOINT"
        );
        assert_eq!(
            name(&[("KRAFTO_S3_BUCKET", "b"), ("KRAFTO_S3_ACCESS_KEY_ID", "id")]),
            "KRAFTO_S3_SECRET_ACCESS_KEY"
        );
        assert_eq!(
            name(&[("KRAFTO_S3_BUCKET", "b"), ("KRAFTO_S3_ALLOW_HTTP", "maybe")]),
            "KRAFTO_S3_ALLOW_HTTP"
        );
        assert_eq!(name(&[("KRAFTO_MEDIA_MAX_MB", "0")]), "KRAFTO_MEDIA_MAX_MB");
    }
}
