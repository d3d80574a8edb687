//! CSV bulk import of listings: every row is checked; the valid ones become drafts in one
//! transaction, and the report says what happened to each line.
//!
//! Photo URLs of a row are checked like any photo URL, but never shown as given: each is
//! queued for the worker ([`super::photos::FETCH_KIND`]), which fetches it once (public
//! addresses only, size and time limits) and stores it like an upload.

use super::{ListingDraft, parse_listing, variant_rows};
use krafto_api_types::catalog::{ImportReport, ImportRow, ListingInput, Photo};
use krafto_api_types::{Code, FieldProblem};
use krafto_core::FieldError;
use krafto_db::TenantTx;
use krafto_db::models::{Category, Listing, ListingVariant, OutboxMessage};
use krafto_web::{ApiError, ApiResult};
use std::collections::HashMap;
use uuid::Uuid;

/// A data line's number and what became of it.
pub(crate) type RowOutcome = (i64, Result<ListingDraft, Vec<FieldError>>);

/// Largest accepted file.
pub(crate) const MAX_BYTES: usize = 2 * 1024 * 1024;
/// Most rows in one file.
pub(crate) const MAX_ROWS: usize = 1000;

/// Every column the importer knows; `title` and `price` are required.
pub(crate) const COLUMNS: &[&str] = &[
    "title",
    "description",
    "price",
    "quantity",
    "category",
    "tags",
    "materials",
    "length_mm",
    "width_mm",
    "height_mm",
    "weight_g",
    "processing_days",
    "style",
    "photo_urls",
    "photo_alts",
];

fn list(raw: &str) -> Vec<String> {
    raw.split(['|', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn int(errors: &mut Vec<FieldError>, field: &str, raw: &str) -> Option<i32> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match raw.parse::<i32>() {
        Ok(v) => Some(v),
        Err(_) => {
            errors.push(FieldError::new(field, "must be a whole number"));
            None
        }
    }
}

/// Reads and checks the file; returns one outcome per data line (line number, draft or
/// errors). A file that cannot be read as a whole is refused with a 422.
pub(crate) fn parse_file(
    csv_text: &str,
    currency: &str,
    category_by_slug: &HashMap<String, Uuid>,
) -> ApiResult<Vec<RowOutcome>> {
    if csv_text.len() > MAX_BYTES {
        return Err(ApiError::new(
            poem::http::StatusCode::PAYLOAD_TOO_LARGE,
            Code::PayloadTooLarge,
            format!("the file is over {} MiB; split it", MAX_BYTES / 1024 / 1024),
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(csv_text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ApiError::field(FieldError::new("file", format!("unreadable header: {e}"))))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect::<Vec<_>>();
    let mut problems = Vec::new();
    for h in &headers {
        if !COLUMNS.contains(&h.as_str()) {
            problems.push(FieldError::new(
                format!("columns.{h}"),
                format!("unknown column; known: {}", COLUMNS.join(", ")),
            ));
        }
    }
    for required in ["title", "price"] {
        if !headers.iter().any(|h| h == required) {
            problems.push(FieldError::new(
                format!("columns.{required}"),
                "required column is missing",
            ));
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::validation(problems));
    }
    let col = |name: &str| headers.iter().position(|h| h == name);
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i64::try_from(i).unwrap_or(i64::MAX).saturating_add(2);
        if out.len() >= MAX_ROWS {
            return Err(ApiError::field(FieldError::new(
                "file",
                format!("more than {MAX_ROWS} rows; split the file"),
            )));
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.push((
                    line,
                    Err(vec![FieldError::new("row", format!("unreadable: {e}"))]),
                ));
                continue;
            }
        };
        let get = |name: &str| col(name).and_then(|c| record.get(c)).unwrap_or("");
        let mut errors = Vec::new();
        let price_minor = match krafto_core::Money::parse(get("price"), currency).map(|m| m.minor())
        {
            Ok(v) => v,
            Err(e) => {
                errors.push(e.at("price"));
                0
            }
        };
        let category_id = match get("category") {
            "" => None,
            slug => match category_by_slug.get(&slug.to_lowercase()) {
                Some(id) => Some(*id),
                None => {
                    errors.push(FieldError::new(
                        "category",
                        format!("no category with slug `{slug}`"),
                    ));
                    None
                }
            },
        };
        let urls = list(get("photo_urls"));
        let alts = list(get("photo_alts"));
        let title = get("title").to_owned();
        let photos = urls
            .iter()
            .enumerate()
            .map(|(i, url)| Photo {
                url: url.clone(),
                alt: alts.get(i).cloned().unwrap_or_else(|| title.clone()),
                srcset: None,
            })
            .collect();
        let length = int(&mut errors, "length_mm", get("length_mm"));
        let width = int(&mut errors, "width_mm", get("width_mm"));
        let height = int(&mut errors, "height_mm", get("height_mm"));
        let dimensions = super::dimensions(length, width, height).unwrap_or_else(|e| {
            errors.push(e.at("dimensions"));
            None
        });
        let input = ListingInput {
            title: title.into(),
            description: get("description").to_owned().into(),
            price_minor,
            quantity: int(&mut errors, "quantity", get("quantity")).unwrap_or(0),
            category_id,
            tags: list(get("tags")).into_iter().map(Into::into).collect(),
            materials: list(get("materials")).into_iter().map(Into::into).collect(),
            dimensions,
            weight_g: int(&mut errors, "weight_g", get("weight_g")),
            processing_days: int(&mut errors, "processing_days", get("processing_days")),
            style: Some(get("style").to_owned())
                .filter(|s| !s.is_empty())
                .map(Into::into),
            photos,
            variants: vec![],
        };
        let parsed = parse_listing(&input);
        let outcome = match (parsed, errors.is_empty()) {
            (Ok(draft), true) => Ok(draft),
            (Ok(_), false) => Err(errors),
            (Err(mut more), _) => {
                // A price of 0 is our placeholder for an unparsable one; report it once.
                more.retain(|e| {
                    !(e.field == "price_minor" && errors.iter().any(|x| x.field == "price"))
                });
                errors.extend(more.into_iter().map(|mut e| {
                    if e.field == "price_minor" {
                        e.field = "price".to_owned();
                    }
                    e
                }));
                Err(errors)
            }
        };
        out.push((line, outcome));
    }
    if out.is_empty() {
        return Err(ApiError::field(FieldError::new(
            "file",
            "has a header but no rows",
        )));
    }
    Ok(out)
}

/// Imports the valid rows as drafts of `shop_id` in the caller's transaction.
pub(crate) async fn import(
    tx: &mut TenantTx,
    shop_id: Uuid,
    currency: &str,
    rows: Vec<RowOutcome>,
) -> ApiResult<ImportReport> {
    let tenant_id = tx.tenant_id().get();
    let mut report = ImportReport {
        imported: 0,
        rejected: 0,
        rows: Vec::with_capacity(rows.len()),
    };
    for (line, outcome) in rows {
        match outcome {
            Ok(mut draft) => {
                let to_fetch = std::mem::replace(
                    &mut draft.fields.photos,
                    serde_json::Value::Array(Vec::new()),
                );
                let listing = Listing::create(tx, shop_id, currency, &draft.fields).await?;
                for photo in to_fetch.as_array().into_iter().flatten() {
                    OutboxMessage::enqueue(
                        tx,
                        super::photos::FETCH_KIND,
                        serde_json::json!({
                            "listing_id": listing.id,
                            "url": photo.get("url"),
                            "alt": photo.get("alt"),
                        }),
                    )
                    .await?;
                }
                ListingVariant::replace(
                    tx,
                    listing.id,
                    &variant_rows(tenant_id, listing.id, &draft.variants),
                )
                .await?;
                report.imported += 1;
                report.rows.push(ImportRow {
                    line,
                    ok: true,
                    listing_id: Some(listing.id),
                    errors: vec![],
                });
            }
            Err(errors) => {
                report.rejected += 1;
                report.rows.push(ImportRow {
                    line,
                    ok: false,
                    listing_id: None,
                    errors: errors
                        .into_iter()
                        .map(|e| FieldProblem {
                            field: e.field,
                            message: e.message,
                        })
                        .collect(),
                });
            }
        }
    }
    Ok(report)
}

/// Slug → id of the tenant's categories.
pub(crate) fn category_index(all: &[Category]) -> HashMap<String, Uuid> {
    all.iter().map(|c| (c.slug.clone(), c.id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_judged_and_bad_headers_refuse_the_file() {
        let cats: HashMap<String, Uuid> = [("ceramics".to_owned(), Uuid::now_v7())]
            .into_iter()
            .collect();
        let file = "title,price,quantity,category,tags,photo_urls\n\
                    Blue bowl,24.50,3,ceramics,bowl|blue,https://img.example/b.jpg\n\
                    ,abc,1,nope,,\n\
                    Mug,12,-1,,,\n";
        let rows = parse_file(file, "EUR", &cats).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].0, 2);
        let draft = rows[0].1.as_ref().unwrap();
        assert_eq!(draft.fields.price_minor, 2450);
        assert_eq!(draft.fields.tags, ["bowl", "blue"]);
        let fields: Vec<&str> = rows[1]
            .1
            .as_ref()
            .unwrap_err()
            .iter()
            .map(|e| e.field.as_str())
            .collect();
        assert_eq!(fields, ["price", "category", "title"]);
        let fields: Vec<&str> = rows[2]
            .1
            .as_ref()
            .unwrap_err()
            .iter()
            .map(|e| e.field.as_str())
            .collect();
        assert_eq!(fields, ["quantity"]);
        let err = parse_file("title,prix\nA,1\n", "EUR", &cats).unwrap_err();
        let named: Vec<&str> = err.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(named, ["columns.prix", "columns.price"]);
    }
}
