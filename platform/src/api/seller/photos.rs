//! A listing's uploaded photos over HTTP: upload (multipart, several at once), list,
//! describe, reorder, delete. The rules are in [`crate::catalog::photos`], shared with the
//! listing form of the seller dashboard.

use crate::api::{ApiTags, UserAuth};
use crate::catalog::photos::{self, PhotoFile};
use crate::ctx::Ctx;
use krafto_api_types::catalog::{ListingPhotoView, PhotoOrder, PhotoPatch};
use krafto_web::{ApiError, ApiResult};
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::types::multipart::Upload;
use poem_openapi::{ApiResponse, Multipart, OpenApi};
use uuid::Uuid;

pub(crate) struct PhotosApi;

/// Pictures to add to a listing.
#[derive(Debug, Multipart)]
pub(crate) struct PhotoUpload {
    /// One or more JPEG, PNG or WebP files (each at most `KRAFTO_MEDIA_MAX_MB`, 10 MiB by
    /// default). They are re-encoded: metadata such as EXIF and GPS position is removed.
    photos: Vec<Upload>,
    /// A text alternative per file, in the files' order (missing ones are blank).
    #[oai(default)]
    alt: Vec<String>,
}

#[derive(ApiResponse)]
pub(crate) enum PhotosAdded {
    /// The photos added, in order.
    #[oai(status = 201)]
    Created(Json<Vec<ListingPhotoView>>),
}

#[derive(ApiResponse)]
pub(crate) enum PhotoDeleted {
    #[oai(status = 204)]
    NoContent,
}

/// Reads the parts of an upload; a file over the media limit is refused before it is read.
pub(crate) async fn files_of(
    uploads: Vec<Upload>,
    alts: &[String],
    max_bytes: usize,
) -> ApiResult<Vec<PhotoFile>> {
    let mut files = Vec::with_capacity(uploads.len());
    for (i, u) in uploads.into_iter().enumerate() {
        let field = format!("photos[{i}]");
        if u.size() > max_bytes {
            return Err(photos::refused(
                &field,
                &krafto_media::MediaError::Image(krafto_media::ImageError::TooLarge { max_bytes }),
            ));
        }
        let bytes = u.into_vec().await.map_err(|e| ApiError::internal(&e))?;
        files.push(PhotoFile {
            bytes: bytes.into(),
            alt: alts.get(i).cloned().unwrap_or_default(),
        });
    }
    Ok(files)
}

/// One picture (a shop's logo or banner, a marketplace's logo).
#[derive(Debug, Multipart)]
pub(crate) struct ImageUpload {
    /// A JPEG, PNG or WebP file (at most `KRAFTO_MEDIA_MAX_MB`, 10 MiB by default). It is
    /// re-encoded: metadata such as EXIF and GPS position is removed.
    pub(crate) image: Upload,
}

/// Reads the one file of an upload; a file over the media limit is refused before it is
/// read (413, naming `image`).
pub(crate) async fn image_of(upload: Upload, max_bytes: usize) -> ApiResult<bytes::Bytes> {
    if upload.size() > max_bytes {
        return Err(photos::refused(
            "image",
            &krafto_media::MediaError::Image(krafto_media::ImageError::TooLarge { max_bytes }),
        ));
    }
    let bytes = upload
        .into_vec()
        .await
        .map_err(|e| ApiError::internal(&e))?;
    Ok(bytes.into())
}

#[OpenApi(prefix_path = "/seller", tag = "ApiTags::Seller")]
impl PhotosApi {
    /// Uploads photos for a listing (`multipart/form-data`): each file is checked (413 too
    /// large, 415 not a picture, 422 unreadable or too many pixels), re-encoded without its
    /// metadata and stored in up to three widths, then added after the listing's photos.
    /// A refused file adds nothing.
    #[oai(
        path = "/listings/:id/photos",
        method = "post",
        operation_id = "seller_upload_listing_photos"
    )]
    async fn upload(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        id: Path<Uuid>,
        body: PhotoUpload,
    ) -> ApiResult<PhotosAdded> {
        let max = ctx.state.media.limits.max_bytes;
        let files = files_of(body.photos, &body.alt, max).await?;
        let added = photos::add_photos(ctx.state, ctx.tenant, &auth.0, id.0, files).await?;
        Ok(PhotosAdded::Created(Json(added)))
    }

    /// The listing's uploaded photos, in order.
    #[oai(
        path = "/listings/:id/photos",
        method = "get",
        operation_id = "seller_list_listing_photos"
    )]
    async fn list(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Vec<ListingPhotoView>>> {
        Ok(Json(
            photos::photos(ctx.state, ctx.tenant, &auth.0, id.0).await?,
        ))
    }

    /// Puts the listing's uploaded photos in a new order (every photo id, each once).
    #[oai(
        path = "/listings/:id/photos/order",
        method = "put",
        operation_id = "seller_reorder_listing_photos"
    )]
    async fn reorder(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        id: Path<Uuid>,
        body: Json<PhotoOrder>,
    ) -> ApiResult<Json<Vec<ListingPhotoView>>> {
        Ok(Json(
            photos::reorder_photos(ctx.state, ctx.tenant, &auth.0, id.0, &body.ids).await?,
        ))
    }

    /// Changes an uploaded photo's text alternative.
    #[oai(
        path = "/listings/:id/photos/:photo_id",
        method = "patch",
        operation_id = "seller_update_listing_photo"
    )]
    async fn update(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        id: Path<Uuid>,
        photo_id: Path<Uuid>,
        body: Json<PhotoPatch>,
    ) -> ApiResult<Json<ListingPhotoView>> {
        let alt = body.alt.as_deref().unwrap_or_default();
        Ok(Json(
            photos::describe_photo(ctx.state, ctx.tenant, &auth.0, id.0, photo_id.0, alt).await?,
        ))
    }

    /// Removes an uploaded photo from the listing.
    #[oai(
        path = "/listings/:id/photos/:photo_id",
        method = "delete",
        operation_id = "seller_delete_listing_photo"
    )]
    async fn delete(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        id: Path<Uuid>,
        photo_id: Path<Uuid>,
    ) -> ApiResult<PhotoDeleted> {
        photos::delete_photo(ctx.state, ctx.tenant, &auth.0, id.0, photo_id.0).await?;
        Ok(PhotoDeleted::NoContent)
    }
}
