//! One picture sent by a page's upload form (`multipart/form-data`: the file as `image`,
//! beside a few text fields), read the way the API reads it, and its refusal said in the
//! page's language. Used by the shop page (logo, banner) and the console (the marketplace's
//! logo); the checks of the picture itself are krafto-media's, through the domain.

use bytes::Bytes;
use krafto_web::ApiError;
use poem::http::StatusCode;
use std::collections::HashMap;

/// What an upload form sent: its text fields, and the file or why there is none to use.
pub(crate) struct ImageForm {
    pub fields: HashMap<String, String>,
    /// The file; 413 over the media limit, 422 an unreadable body or no file chosen (each
    /// naming `image`).
    pub image: Result<Bytes, ApiError>,
}

/// Reads an upload form; a file over `max_bytes` is refused, as the API refuses it.
pub(crate) async fn read(mut parts: poem::web::Multipart, max_bytes: usize) -> ImageForm {
    let mut fields = HashMap::new();
    let mut file: Option<Bytes> = None;
    let mut too_large = false;
    let mut unreadable = false;
    loop {
        match parts.next_field().await {
            Ok(Some(field)) => match field.name().map(str::to_owned) {
                Some(name) if name == "image" => {
                    let named = field.file_name().is_some_and(|n| !n.is_empty());
                    match field.bytes().await {
                        // The form sent with no file chosen.
                        Ok(b) if !named && b.is_empty() => {}
                        Ok(b) => {
                            too_large |= b.len() > max_bytes;
                            file = Some(b.into());
                        }
                        Err(_) => too_large = true,
                    }
                }
                Some(name) => {
                    fields.insert(name, field.text().await.unwrap_or_default());
                }
                None => {}
            },
            Ok(None) => break,
            Err(_) => {
                unreadable = true;
                break;
            }
        }
    }
    let image = if too_large {
        Err(crate::catalog::photos::refused(
            "image",
            &krafto_media::MediaError::Image(krafto_media::ImageError::TooLarge { max_bytes }),
        ))
    } else if unreadable {
        Err(ApiError::field(krafto_core::FieldError::new(
            "image",
            "unreadable",
        )))
    } else {
        file.ok_or_else(|| {
            ApiError::field(krafto_core::FieldError::new(
                "image",
                "choose at least one picture",
            ))
        })
    };
    ImageForm { fields, image }
}

/// A picture's refusal in the page's language (413 too large, 415 not a picture, 422 no
/// file, unreadable or too many pixels), or `None` when it is not about the file.
pub(crate) fn refusal(locale: krafto_i18n::Locale, e: &ApiError, max_mb: usize) -> Option<String> {
    let message = e.errors.first().map_or("", |p| p.message.as_str());
    Some(match e.status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            locale.t_args("media-image-too-large", &[("max", max_mb.into())])
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => locale.t("media-not-image"),
        StatusCode::UNPROCESSABLE_ENTITY if message.starts_with("choose") => {
            locale.t("media-image-none-chosen")
        }
        StatusCode::UNPROCESSABLE_ENTITY => locale.t("media-unreadable"),
        _ => return None,
    })
}
