//! What the listings index holds: the document of a listing, the index's mapping, and the
//! fields a search hit reads back.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

/// A geographic point (`geo_point`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

/// One listing as indexed: everything the filters, sorts and cards need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListingDoc {
    pub tenant_id: Uuid,
    pub listing_id: Uuid,
    pub title: String,
    pub description: String,
    pub tags: Vec<String>,
    pub materials: Vec<String>,
    pub style: Option<String>,
    pub shop_id: Uuid,
    pub shop_slug: String,
    pub shop_name: String,
    pub verified: bool,
    pub city: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub location: Option<GeoPoint>,
    pub price_minor: i64,
    pub currency: String,
    /// The average rating, when there is one (cards).
    pub rating: Option<f64>,
    /// The rating with "none" as 0, for the filter and the sort.
    pub rating_rank: f64,
    pub rating_count: i32,
    pub trending_score: f64,
    pub in_stock: bool,
    pub category_id: Option<Uuid>,
    /// The category and all its ancestors: a category filter includes sub-categories.
    pub category_path: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
    pub photo_url: Option<String>,
    pub photo_alt: Option<String>,
}

/// One write to the index. `version` must grow with the data's age (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub enum DocOp {
    Index { doc: Box<ListingDoc>, version: i64 },
    Delete { listing_id: Uuid, version: i64 },
}

impl DocOp {
    pub fn listing_id(&self) -> Uuid {
        match self {
            DocOp::Index { doc, .. } => doc.listing_id,
            DocOp::Delete { listing_id, .. } => *listing_id,
        }
    }
}

/// What a bulk write did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BulkReport {
    pub indexed: usize,
    pub deleted: usize,
    /// Writes skipped because the index already held newer data.
    pub stale: usize,
}

/// The settings and mappings of the listings index.
pub fn index_mapping() -> Value {
    let folded_text = json!({ "type": "text", "analyzer": "folded", "copy_to": "all_text" });
    let folded_keyword = json!({ "type": "keyword", "normalizer": "folded" });
    let keyword = json!({ "type": "keyword" });
    let stored_only = json!({ "type": "keyword", "index": false, "doc_values": false });
    json!({
        "settings": {
            "analysis": {
                "analyzer": {
                    "folded": { "type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding"] }
                },
                "normalizer": {
                    "folded": { "type": "custom", "filter": ["lowercase", "asciifolding"] }
                }
            }
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "tenant_id": keyword,
                "listing_id": keyword,
                "title": folded_text,
                "description": folded_text,
                "tags": { "type": "text", "analyzer": "folded", "copy_to": "all_text", "fields": { "raw": keyword } },
                "materials": folded_text,
                "shop_name": folded_text,
                "all_text": { "type": "text", "analyzer": "folded" },
                "style": folded_keyword,
                "shop_id": keyword,
                "shop_slug": keyword,
                "verified": { "type": "boolean" },
                "city": folded_keyword,
                "region": folded_keyword,
                "country": keyword,
                "location": { "type": "geo_point" },
                "price_minor": { "type": "long" },
                "currency": keyword,
                "rating": { "type": "double" },
                "rating_rank": { "type": "double" },
                "rating_count": { "type": "integer" },
                "trending_score": { "type": "double" },
                "in_stock": { "type": "boolean" },
                "category_id": keyword,
                "category_path": keyword,
                "created_at": { "type": "date" },
                "photo_url": stored_only,
                "photo_alt": stored_only
            }
        }
    })
}

/// The fields a hit needs back (`_source` filtering).
pub(super) const HIT_FIELDS: &[&str] = &[
    "listing_id",
    "title",
    "price_minor",
    "currency",
    "photo_url",
    "photo_alt",
    "shop_id",
    "shop_slug",
    "shop_name",
    "verified",
    "city",
    "region",
    "country",
    "rating",
    "rating_count",
    "in_stock",
    "category_id",
    "created_at",
];

#[derive(Debug, Deserialize)]
pub(super) struct HitSource {
    pub(super) listing_id: Uuid,
    pub(super) title: String,
    pub(super) price_minor: i64,
    pub(super) currency: String,
    pub(super) photo_url: Option<String>,
    pub(super) photo_alt: Option<String>,
    pub(super) shop_id: Uuid,
    pub(super) shop_slug: String,
    pub(super) shop_name: String,
    pub(super) verified: bool,
    pub(super) city: Option<String>,
    pub(super) region: Option<String>,
    pub(super) country: Option<String>,
    pub(super) rating: Option<f64>,
    pub(super) rating_count: i32,
    pub(super) in_stock: bool,
    pub(super) category_id: Option<Uuid>,
    pub(super) created_at: DateTime<Utc>,
}
