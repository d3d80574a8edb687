//! The shop's listings: drafts, changes, publishing, archiving, deleting, CSV import.

use super::{audit, my_shop};
use crate::catalog::{
    self, announce, check_category, completeness, import, listing_view, map_listing_lookup, moved,
    parse_listing, variant_rows,
};
use crate::{AppState, CurrentTenant};
use krafto_api_types::Code;
use krafto_api_types::catalog::{
    ImportReport, ListingInput, ListingPage, ListingPatch, ListingView,
};
use krafto_auth::UserClaims;
use krafto_core::FieldError;
use krafto_core::catalog::{ListingEvent, ListingStatus, ShopStatus, missing_for_publish};
use krafto_db::TenantTx;
use krafto_db::models::{Listing, ListingVariant, MarketplaceSettings};
use krafto_search::sync::SyncTarget;
use krafto_web::{ApiError, ApiResult, RequestId};
use poem::http::StatusCode;
use poem_openapi::types::MaybeUndefined;
use serde_json::json;
use uuid::Uuid;

async fn load_listing_view(tx: &mut TenantTx, l: Listing) -> ApiResult<ListingView> {
    let variants = ListingVariant::of_listing(tx, l.id).await?;
    Ok(listing_view(l, variants))
}

/// Creates a draft listing.
pub(crate) async fn create_listing(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    input: &ListingInput,
) -> ApiResult<ListingView> {
    let draft = parse_listing(input).map_err(ApiError::validation)?;
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    check_category(&mut tx, draft.fields.category_id)
        .await
        .map_err(ApiError::field)?;
    let listing = Listing::create(&mut tx, shop.id, &tenant.currency, &draft.fields).await?;
    ListingVariant::replace(
        &mut tx,
        listing.id,
        &variant_rows(tenant.id, listing.id, &draft.variants),
    )
    .await?;
    announce(state, &mut tx, SyncTarget::Listing(listing.id)).await?;
    let view = load_listing_view(&mut tx, listing).await?;
    tx.commit().await?;
    Ok(view)
}

/// The shop's listings, newest first.
pub(crate) async fn listings(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    status: Option<&str>,
    cursor: Option<Uuid>,
    limit: Option<i64>,
) -> ApiResult<ListingPage> {
    let limit = limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::field(FieldError::new(
            "limit",
            "must be between 1 and 200",
        )));
    }
    let status = status
        .map(ListingStatus::parse)
        .transpose()
        .map_err(|e| ApiError::field(e.at("status")))?;
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let rows = Listing::of_shop(&mut tx, shop.id, status, cursor, limit).await?;
    let ids: Vec<Uuid> = rows.iter().map(|l| l.id).collect();
    let mut variants = ListingVariant::of_listings(&mut tx, &ids).await?;
    tx.commit().await?;
    let next_cursor = (i64::try_from(rows.len()).unwrap_or(0) == limit)
        .then(|| rows.last().map(|l| l.id.to_string()))
        .flatten();
    let items = rows
        .into_iter()
        .map(|l| {
            let mine = variants.extract_if(.., |v| v.listing_id == l.id).collect();
            listing_view(l, mine)
        })
        .collect();
    Ok(ListingPage { items, next_cursor })
}

/// One of the shop's listings.
pub(crate) async fn listing(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    id: Uuid,
) -> ApiResult<ListingView> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let l = Listing::of_shop_for_update(&mut tx, shop.id, id)
        .await
        .map_err(map_listing_lookup(id))?;
    let view = load_listing_view(&mut tx, l).await?;
    tx.commit().await?;
    Ok(view)
}

/// Changes a listing. Live listings stay live, moving between active and out of stock
/// with their stock.
pub(crate) async fn update_listing(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    id: Uuid,
    input: &ListingPatch,
) -> ApiResult<ListingView> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let current = Listing::of_shop_for_update(&mut tx, shop.id, id)
        .await
        .map_err(map_listing_lookup(id))?;
    if current.status == ListingStatus::Archived {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            Code::InvalidTransition,
            "restore the listing before editing it",
        ));
    }
    let existing_variants = ListingVariant::of_listing(&mut tx, current.id).await?;
    let merged = merge_patch(&current, &existing_variants, input);
    let draft = parse_listing(&merged).map_err(ApiError::validation)?;
    check_category(&mut tx, draft.fields.category_id)
        .await
        .map_err(ApiError::field)?;
    let mut listing = Listing::update_fields(&mut tx, current.id, &draft.fields).await?;
    // The fields hold the photos given by URL; the uploaded ones go back in front.
    catalog::photos::refresh_shown(&mut tx, &listing).await?;
    listing = Listing::find(&mut tx, listing.id).await?;
    if input.variants.is_some() {
        ListingVariant::replace(
            &mut tx,
            listing.id,
            &variant_rows(tenant.id, listing.id, &draft.variants),
        )
        .await?;
    }
    let status = listing.status;
    let next = moved(status.transition(ListingEvent::Stock {
        in_stock: listing.quantity > 0,
    }))?;
    if next != status {
        listing = Listing::set_status(&mut tx, listing.id, next, None).await?;
    }
    announce(state, &mut tx, SyncTarget::Listing(listing.id)).await?;
    let view = load_listing_view(&mut tx, listing).await?;
    tx.commit().await?;
    Ok(view)
}

/// Deletes a listing that never sold: drafts, rejected and archived ones. Live listings
/// are archived instead.
pub(crate) async fn delete_listing(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    id: Uuid,
) -> ApiResult<()> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let l = Listing::of_shop_for_update(&mut tx, shop.id, id)
        .await
        .map_err(map_listing_lookup(id))?;
    if !matches!(
        l.status,
        ListingStatus::Draft | ListingStatus::Rejected | ListingStatus::Archived
    ) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            Code::ListingLive,
            "archive a live or pending listing instead of deleting it",
        ));
    }
    Listing::delete(&mut tx, l.id).await?;
    announce(state, &mut tx, SyncTarget::Listing(l.id)).await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes a draft (or a rejected listing, after changes): live at once, or into the
/// operator's review queue when the marketplace reviews listings. Refused with a 422
/// naming every field the marketplace requires and the listing lacks.
pub(crate) async fn publish(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    rid: &RequestId,
    id: Uuid,
) -> ApiResult<ListingView> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    if shop.status == ShopStatus::Suspended {
        return Err(
            ApiError::forbidden("your shop is suspended; contact the marketplace")
                .with_code(Code::ShopSuspended),
        );
    }
    let l = Listing::of_shop_for_update(&mut tx, shop.id, id)
        .await
        .map_err(map_listing_lookup(id))?;
    let settings = MarketplaceSettings::get(&mut tx).await?;
    let missing = missing_for_publish(
        &completeness(&l),
        usize::try_from(settings.min_photos).unwrap_or(0),
        &settings.required_listing_fields,
    );
    if !missing.is_empty() {
        return Err(ApiError::validation(missing).with_code(Code::ListingIncomplete));
    }
    let to = moved(l.status.transition(ListingEvent::Publish {
        review_required: settings.listing_review_required,
        in_stock: l.quantity > 0,
    }))?;
    let l = Listing::set_status(&mut tx, l.id, to, None).await?;
    announce(state, &mut tx, SyncTarget::Listing(l.id)).await?;
    audit(
        &mut tx,
        c,
        "listing.published",
        format!("listing:{}", l.id),
        json!({ "status": to.as_str() }),
        rid,
    )
    .await?;
    let view = load_listing_view(&mut tx, l).await?;
    tx.commit().await?;
    Ok(view)
}

/// Imports listings from CSV; valid rows become drafts, the report covers every line.
pub(crate) async fn import(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    rid: &RequestId,
    csv: &str,
) -> ApiResult<ImportReport> {
    let categories = catalog::categories(state, tenant).await?;
    let rows = import::parse_file(csv, &tenant.currency, &import::category_index(&categories))?;
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let report = import::import(&mut tx, shop.id, &tenant.currency, rows).await?;
    let imported: Vec<Uuid> = report.rows.iter().filter_map(|r| r.listing_id).collect();
    catalog::announce_listings(state, &mut tx, &imported).await?;
    audit(
        &mut tx,
        c,
        "listings.imported",
        format!("shop:{}", shop.id),
        json!({ "imported": report.imported, "rejected": report.rejected }),
        rid,
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

/// Archives or restores a listing (the catalog state machine decides).
pub(crate) async fn step(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    id: Uuid,
    event: ListingEvent,
) -> ApiResult<ListingView> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let l = Listing::of_shop_for_update(&mut tx, shop.id, id)
        .await
        .map_err(map_listing_lookup(id))?;
    let to = moved(l.status.transition(event))?;
    let l = Listing::set_status(&mut tx, l.id, to, None).await?;
    announce(state, &mut tx, SyncTarget::Listing(l.id)).await?;
    let view = load_listing_view(&mut tx, l).await?;
    tx.commit().await?;
    Ok(view)
}

/// The listing as it would be after the patch, as a full input to check again.
fn merge_patch(l: &Listing, variants: &[ListingVariant], p: &ListingPatch) -> ListingInput {
    use krafto_api_types::catalog::VariantInput;
    let pick = |m: &MaybeUndefined<i32>, old: Option<i32>| match m {
        MaybeUndefined::Value(v) => Some(*v),
        MaybeUndefined::Null => None,
        MaybeUndefined::Undefined => old,
    };
    let old_dims = catalog::dimensions(l.length_mm, l.width_mm, l.height_mm)
        .ok()
        .flatten();
    ListingInput {
        title: p.title.clone().unwrap_or_else(|| l.title.clone().into()),
        description: p
            .description
            .clone()
            .unwrap_or_else(|| l.description.clone().into()),
        price_minor: p.price_minor.unwrap_or(l.price_minor),
        quantity: p.quantity.unwrap_or(l.quantity),
        category_id: match &p.category_id {
            MaybeUndefined::Value(v) => Some(*v),
            MaybeUndefined::Null => None,
            MaybeUndefined::Undefined => l.category_id,
        },
        tags: p
            .tags
            .clone()
            .unwrap_or_else(|| l.tags.clone().into_iter().map(Into::into).collect()),
        materials: p
            .materials
            .clone()
            .unwrap_or_else(|| l.materials.clone().into_iter().map(Into::into).collect()),
        dimensions: match &p.dimensions {
            MaybeUndefined::Value(d) => Some(d.clone()),
            MaybeUndefined::Null => None,
            MaybeUndefined::Undefined => old_dims,
        },
        weight_g: pick(&p.weight_g, l.weight_g),
        processing_days: pick(&p.processing_days, l.processing_days),
        style: match &p.style {
            MaybeUndefined::Value(s) => Some(s.clone()),
            MaybeUndefined::Null => None,
            MaybeUndefined::Undefined => l.style.clone().map(Into::into),
        },
        // Uploaded photos are not part of a patch (they have their own operations).
        photos: p.photos.clone().unwrap_or_else(|| {
            catalog::photos_of(&serde_json::Value::Array(catalog::photos::url_photos(
                &l.photos,
            )))
        }),
        variants: p.variants.clone().unwrap_or_else(|| {
            variants
                .iter()
                .map(|v| VariantInput {
                    sku: v.sku.clone().map(Into::into),
                    options: serde_json::from_value(v.options.clone()).unwrap_or_default(),
                    price_minor: v.price_minor,
                    quantity: v.quantity,
                })
                .collect()
        }),
    }
}
