//! The listing form's inputs as the API's `ListingInput` / `ListingPatch`, and a listing as
//! the form's values.

use super::{Errors, FormData, amount, int, list};
use crate::catalog;
use krafto_api_types::catalog::{ListingInput, ListingPatch, ListingView, Photo, VariantInput};
use krafto_core::Money;
use poem_openapi::types::MaybeUndefined;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// Photo and variant rows offered by the listing form (more than a listing usually needs).
pub(super) const PHOTO_ROWS: usize = 5;
pub(super) const VARIANT_ROWS: usize = 4;

pub(super) fn listing_values(l: &ListingView) -> HashMap<String, String> {
    let mut v = HashMap::new();
    let mut put = |k: String, val: String| {
        v.insert(k, val);
    };
    put("title".into(), l.title.clone());
    put("description".into(), l.description.clone());
    put(
        "price".into(),
        Money::of(l.price_minor, &l.currency).decimal(),
    );
    put("quantity".into(), l.quantity.to_string());
    put(
        "category".into(),
        l.category_id.map(|c| c.to_string()).unwrap_or_default(),
    );
    put("tags".into(), l.tags.join(", "));
    put("materials".into(), l.materials.join(", "));
    if let Some(d) = &l.dimensions {
        put("length_mm".into(), d.length_mm.to_string());
        put("width_mm".into(), d.width_mm.to_string());
        put("height_mm".into(), d.height_mm.to_string());
    }
    put(
        "weight_g".into(),
        l.weight_g.map(|w| w.to_string()).unwrap_or_default(),
    );
    put(
        "processing_days".into(),
        l.processing_days.map(|w| w.to_string()).unwrap_or_default(),
    );
    put("style".into(), l.style.clone().unwrap_or_default());
    // Only the photos given by URL are rows of the form (uploads have their own section).
    for (i, p) in l.photos.iter().filter(|p| p.srcset.is_none()).enumerate() {
        put(format!("photo_url_{i}"), p.url.clone());
        put(format!("photo_alt_{i}"), p.alt.clone());
    }
    for (i, var) in l.variants.iter().enumerate() {
        put(
            format!("variant_options_{i}"),
            var.options
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; "),
        );
        put(
            format!("variant_sku_{i}"),
            var.sku.clone().unwrap_or_default(),
        );
        if var.price_minor != l.price_minor {
            put(
                format!("variant_price_{i}"),
                Money::of(var.price_minor, &l.currency).decimal(),
            );
        }
        put(format!("variant_quantity_{i}"), var.quantity.to_string());
    }
    v
}

/// The listing form as the API's input; conversion problems (a price that is not an amount)
/// are named by input. The listing rules themselves are checked by `selling`.
pub(super) fn listing_input(f: &FormData, currency: &str) -> Result<ListingInput, Errors> {
    let mut errors = Errors::new();
    let price = amount(f, "price", currency, &mut errors);
    if price.is_none() && !errors.contains_key("price") {
        errors.insert("price".into(), "give the price, e.g. 24.50".into());
    }
    let category = match f.get("category") {
        "" => None,
        raw => match Uuid::parse_str(raw) {
            Ok(id) => Some(id),
            Err(_) => {
                errors.insert("category".into(), "choose a category from the list".into());
                None
            }
        },
    };
    let length = int(f, "length_mm", &mut errors);
    let width = int(f, "width_mm", &mut errors);
    let height = int(f, "height_mm", &mut errors);
    let dimensions = catalog::dimensions(length, width, height).unwrap_or_else(|e| {
        errors.insert("length_mm".into(), e.0);
        None
    });
    let photos = (0..PHOTO_ROWS * 2)
        .filter_map(|i| {
            let url = f.get(&format!("photo_url_{i}"));
            (!url.is_empty()).then(|| Photo {
                url: url.to_owned(),
                alt: f.get(&format!("photo_alt_{i}")).to_owned(),
                srcset: None,
            })
        })
        .collect();
    let mut variants = Vec::new();
    for i in 0..VARIANT_ROWS {
        let options_raw = f.get(&format!("variant_options_{i}"));
        if options_raw.is_empty() {
            continue;
        }
        let mut options = BTreeMap::new();
        for part in options_raw
            .split(';')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match part.split_once('=').or_else(|| part.split_once(':')) {
                Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
                    options.insert(k.trim().to_owned(), v.trim().to_owned());
                }
                _ => {
                    errors.insert(
                        format!("variant_options_{i}"),
                        "write options as Name=Value, separated by ;".into(),
                    );
                }
            }
        }
        variants.push(VariantInput {
            sku: f.opt(&format!("variant_sku_{i}")).map(Into::into),
            options,
            price_minor: amount(f, &format!("variant_price_{i}"), currency, &mut errors),
            quantity: int(f, &format!("variant_quantity_{i}"), &mut errors).unwrap_or(0),
        });
    }
    let input = ListingInput {
        title: f.get("title").to_owned().into(),
        description: f.get("description").to_owned().into(),
        price_minor: price.unwrap_or(0),
        quantity: int(f, "quantity", &mut errors).unwrap_or(0),
        category_id: category,
        tags: list(f.get("tags")).into_iter().map(Into::into).collect(),
        materials: list(f.get("materials"))
            .into_iter()
            .map(Into::into)
            .collect(),
        dimensions,
        weight_g: int(f, "weight_g", &mut errors),
        processing_days: int(f, "processing_days", &mut errors),
        style: f.opt("style").map(Into::into),
        photos,
        variants,
    };
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

/// Every field of the form, as a patch that sets them all (what the form shows is what the
/// listing becomes).
pub(super) fn full_patch(i: ListingInput) -> ListingPatch {
    let set = |v: Option<i32>| v.map_or(MaybeUndefined::Null, MaybeUndefined::Value);
    ListingPatch {
        title: Some(i.title),
        description: Some(i.description),
        price_minor: Some(i.price_minor),
        quantity: Some(i.quantity),
        category_id: i
            .category_id
            .map_or(MaybeUndefined::Null, MaybeUndefined::Value),
        tags: Some(i.tags),
        materials: Some(i.materials),
        dimensions: i
            .dimensions
            .map_or(MaybeUndefined::Null, MaybeUndefined::Value),
        weight_g: set(i.weight_g),
        processing_days: set(i.processing_days),
        style: i.style.map_or(MaybeUndefined::Null, MaybeUndefined::Value),
        photos: Some(i.photos),
        variants: Some(i.variants),
    }
}
