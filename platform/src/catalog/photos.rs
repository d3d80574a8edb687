//! A listing's uploaded photos: adding (several at once), describing, ordering, removing,
//! and the photos a CSV import names by URL, fetched by the worker.
//!
//! The rows (`listing_photos`) are the truth; `listings.photos`, which every page, card,
//! search document and the publish rule read, is rewritten from them after each change by
//! [`refresh_shown`]: the uploaded photos in their order, then the photos given by URL.
//! Pictures are checked and re-encoded by krafto-media before anything is written, so a
//! refused file changes nothing.

use super::selling::my_shop;
use super::{MAX_PHOTOS, announce, map_listing_lookup, photos_of};
use crate::{AppState, CurrentTenant};
use bytes::Bytes;
use krafto_api_types::Code;
use krafto_api_types::FieldProblem;
use krafto_api_types::catalog::ListingPhotoView;
use krafto_auth::UserClaims;
use krafto_core::FieldError;
use krafto_core::text::bounded_text;
use krafto_db::models::{Listing, ListingPhoto, NewListingPhoto};
use krafto_db::{DbResult, TenantTx};
use krafto_media::{ImageError, MediaError, StoredImage};
use krafto_search::sync::SyncTarget;
use krafto_web::{ApiError, ApiResult};
use poem::http::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

/// The outbox message that fetches a photo named by URL in a CSV import:
/// `{listing_id, url, alt}`.
pub(crate) const FETCH_KIND: &str = "listing_photos.fetch";

/// Longest text alternative.
pub(crate) const MAX_ALT: usize = 300;

/// A text alternative: blank is allowed (a decorative photo), long is not.
fn alt_text(raw: &str) -> Result<String, krafto_core::Invalid> {
    if raw.trim().is_empty() {
        Ok(String::new())
    } else {
        bounded_text(raw, MAX_ALT)
    }
}

/// A file sent for a listing, with its text alternative.
#[derive(Debug, Clone)]
pub(crate) struct PhotoFile {
    pub bytes: Bytes,
    pub alt: String,
}

/// The picture of a row.
pub(crate) fn image_of(p: &ListingPhoto) -> StoredImage {
    StoredImage {
        key: p.image_key.clone(),
        widths: p.widths.clone(),
        width: p.width,
        height: p.height,
    }
}

pub(crate) fn photo_view(p: &ListingPhoto) -> ListingPhotoView {
    let img = image_of(p);
    ListingPhotoView {
        id: p.id,
        position: p.position,
        alt: p.alt.clone(),
        url: img.src_at_least(640),
        srcset: img.srcset(),
        widths: p.widths.clone(),
        width: p.width,
        height: p.height,
    }
}

/// The photos given by URL among a listing's shown photos.
pub(crate) fn url_photos(shown: &Value) -> Vec<Value> {
    shown
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|p| p.get("photo_id").is_none())
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// Rewrites `listings.photos` from the rows: uploaded photos first, in order, then the
/// photos given by URL.
pub(crate) async fn refresh_shown(tx: &mut TenantTx, listing: &Listing) -> DbResult<()> {
    let rows = ListingPhoto::of_listing(tx, listing.id).await?;
    let mut shown: Vec<Value> = rows
        .iter()
        .map(|p| {
            let img = image_of(p);
            json!({
                "url": img.src_at_least(640),
                "alt": p.alt,
                "srcset": img.srcset(),
                "photo_id": p.id,
            })
        })
        .collect();
    shown.extend(url_photos(&listing.photos));
    ListingPhoto::write_shown(tx, listing.id, &Value::Array(shown)).await
}

/// A refused picture as an answer naming the field: 413 too large, 415 not a picture,
/// 422 unreadable or too many pixels.
pub(crate) fn refused(field: &str, e: &MediaError) -> ApiError {
    let (status, code) = match e {
        MediaError::Image(ImageError::TooLarge { .. }) => {
            (StatusCode::PAYLOAD_TOO_LARGE, Code::PayloadTooLarge)
        }
        MediaError::Image(ImageError::NotAnImage) => (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Code::UnsupportedMediaType,
        ),
        MediaError::Image(ImageError::TooManyPixels { .. } | ImageError::Corrupt(_)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, Code::ValidationFailed)
        }
        MediaError::Image(ImageError::Encode) | MediaError::Store(_) | MediaError::Fetch(_) => {
            return ApiError::internal(e);
        }
    };
    let message = e.to_string();
    let mut err = ApiError::new(status, code, format!("{field}: {message}"));
    err.errors.push(FieldProblem {
        field: field.to_owned(),
        message,
    });
    err
}

/// Checks and stores the files, then adds them after the listing's photos. Nothing is
/// added unless every file is a usable picture.
pub(crate) async fn add_photos(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    listing_id: Uuid,
    files: Vec<PhotoFile>,
) -> ApiResult<Vec<ListingPhotoView>> {
    if files.is_empty() {
        return Err(ApiError::field(FieldError::new(
            "photos",
            "choose at least one picture",
        )));
    }
    let mut problems = Vec::new();
    let mut alts = Vec::new();
    for (i, f) in files.iter().enumerate() {
        match alt_text(&f.alt) {
            Ok(a) => alts.push(a),
            Err(e) => problems.push(e.at(format!("alt[{i}]"))),
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::validation(problems));
    }
    // The listing must be the seller's, with room for the files, before any work.
    {
        let mut tx = state.db.tenant(&tenant.scope()).await?;
        let shop = my_shop(&mut tx, c).await?;
        let l = Listing::of_shop_for_update(&mut tx, shop.id, listing_id)
            .await
            .map_err(map_listing_lookup(listing_id))?;
        room_for(&l, files.len())?;
        tx.commit().await?;
    }
    let mut processed = Vec::with_capacity(files.len());
    for (i, f) in files.into_iter().enumerate() {
        let p = state
            .media
            .process(f.bytes)
            .await
            .map_err(|e| refused(&format!("photos[{i}]"), &MediaError::Image(e)))?;
        processed.push(p);
    }
    let mut stored = Vec::with_capacity(processed.len());
    for p in &processed {
        stored.push(
            state
                .media
                .put(tenant.id, p)
                .await
                .map_err(|e| ApiError::internal(&e))?,
        );
    }
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let l = Listing::of_shop_for_update(&mut tx, shop.id, listing_id)
        .await
        .map_err(map_listing_lookup(listing_id))?;
    room_for(&l, stored.len())?;
    let mut added = Vec::new();
    for (img, alt) in stored.into_iter().zip(alts) {
        added.push(ListingPhoto::add(&mut tx, &new_row(listing_id, img, alt, None)).await?);
    }
    refresh_shown(&mut tx, &l).await?;
    announce(state, &mut tx, SyncTarget::Listing(listing_id)).await?;
    tx.commit().await?;
    Ok(added.iter().map(photo_view).collect())
}

pub(crate) fn new_row(
    listing_id: Uuid,
    img: StoredImage,
    alt: String,
    source_url: Option<String>,
) -> NewListingPhoto {
    NewListingPhoto {
        listing_id,
        alt,
        image_key: img.key,
        widths: img.widths,
        width: img.width,
        height: img.height,
        source_url,
    }
}

fn room_for(l: &Listing, more: usize) -> ApiResult<()> {
    let now = photos_of(&l.photos).len();
    if now + more > MAX_PHOTOS {
        return Err(ApiError::field(FieldError::new(
            "photos",
            format!("a listing has at most {MAX_PHOTOS} photos ({now} already)"),
        )));
    }
    Ok(())
}

/// The listing's uploaded photos, in order.
pub(crate) async fn photos(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    listing_id: Uuid,
) -> ApiResult<Vec<ListingPhotoView>> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    Listing::of_shop_for_update(&mut tx, shop.id, listing_id)
        .await
        .map_err(map_listing_lookup(listing_id))?;
    let rows = ListingPhoto::of_listing(&mut tx, listing_id).await?;
    tx.commit().await?;
    Ok(rows.iter().map(photo_view).collect())
}

fn photo_not_found(id: Uuid) -> ApiError {
    ApiError::not_found(Code::NotFound, format!("this listing has no photo {id}"))
}

/// Changes a photo's text alternative.
pub(crate) async fn describe_photo(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    listing_id: Uuid,
    photo_id: Uuid,
    alt: &str,
) -> ApiResult<ListingPhotoView> {
    let alt = alt_text(alt).map_err(|e| ApiError::field(e.at("alt")))?;
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let l = Listing::of_shop_for_update(&mut tx, shop.id, listing_id)
        .await
        .map_err(map_listing_lookup(listing_id))?;
    if !ListingPhoto::set_alt(&mut tx, listing_id, photo_id, &alt).await? {
        return Err(photo_not_found(photo_id));
    }
    refresh_shown(&mut tx, &l).await?;
    announce(state, &mut tx, SyncTarget::Listing(listing_id)).await?;
    let rows = ListingPhoto::of_listing(&mut tx, listing_id).await?;
    tx.commit().await?;
    rows.iter()
        .find(|p| p.id == photo_id)
        .map(photo_view)
        .ok_or_else(|| photo_not_found(photo_id))
}

/// Puts the listing's uploaded photos in the order given (every photo, each once).
pub(crate) async fn reorder_photos(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    listing_id: Uuid,
    ids: &[Uuid],
) -> ApiResult<Vec<ListingPhotoView>> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let l = Listing::of_shop_for_update(&mut tx, shop.id, listing_id)
        .await
        .map_err(map_listing_lookup(listing_id))?;
    let rows = ListingPhoto::of_listing(&mut tx, listing_id).await?;
    let mut given = ids.to_vec();
    given.sort_unstable();
    given.dedup();
    let mut existing: Vec<Uuid> = rows.iter().map(|p| p.id).collect();
    existing.sort_unstable();
    if given.len() != ids.len() || given != existing {
        return Err(ApiError::field(FieldError::new(
            "ids",
            "must list every photo of the listing, each once",
        )));
    }
    for (i, id) in ids.iter().enumerate() {
        ListingPhoto::set_position(&mut tx, listing_id, *id, i32::try_from(i).unwrap_or(0)).await?;
    }
    refresh_shown(&mut tx, &l).await?;
    announce(state, &mut tx, SyncTarget::Listing(listing_id)).await?;
    let rows = ListingPhoto::of_listing(&mut tx, listing_id).await?;
    tx.commit().await?;
    Ok(rows.iter().map(photo_view).collect())
}

/// Moves a photo one place earlier (`-1`) or later (`1`).
pub(crate) async fn move_photo(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    listing_id: Uuid,
    photo_id: Uuid,
    by: isize,
) -> ApiResult<Vec<ListingPhotoView>> {
    let current = photos(state, tenant, c, listing_id).await?;
    let mut ids: Vec<Uuid> = current.iter().map(|p| p.id).collect();
    let Some(at) = ids.iter().position(|id| *id == photo_id) else {
        return Err(photo_not_found(photo_id));
    };
    let to = at
        .saturating_add_signed(by)
        .min(ids.len().saturating_sub(1));
    ids.swap(at, to);
    reorder_photos(state, tenant, c, listing_id, &ids).await
}

/// Removes a photo from the listing.
pub(crate) async fn delete_photo(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    listing_id: Uuid,
    photo_id: Uuid,
) -> ApiResult<()> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let l = Listing::of_shop_for_update(&mut tx, shop.id, listing_id)
        .await
        .map_err(map_listing_lookup(listing_id))?;
    if !ListingPhoto::delete(&mut tx, listing_id, photo_id).await? {
        return Err(photo_not_found(photo_id));
    }
    refresh_shown(&mut tx, &l).await?;
    announce(state, &mut tx, SyncTarget::Listing(listing_id)).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a photo fetched from `url` (by the worker, for a CSV import) to a listing. The
/// listing may have gone meanwhile: then nothing is added.
pub(crate) async fn add_fetched(
    state: &AppState,
    tx: &mut TenantTx,
    listing_id: Uuid,
    url: &str,
    alt: &str,
    img: StoredImage,
) -> ApiResult<bool> {
    let l = match Listing::find_for_update(tx, listing_id).await {
        Ok(l) => l,
        Err(e) if e.is_not_found() => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    let alt = alt_text(alt).unwrap_or_default();
    ListingPhoto::add(tx, &new_row(listing_id, img, alt, Some(url.to_owned()))).await?;
    refresh_shown(tx, &l).await?;
    announce(state, tx, SyncTarget::Listing(listing_id)).await?;
    Ok(true)
}
