//! Listing search: one query shape, one result shape, and a [`SearchEngine`] trait with two
//! engines: Postgres (full text + trigram, inside the tenant's row-level-security scope; the
//! default) and [`OpenSearch`] (one shared index, every request filtered and routed by
//! tenant), which [`sync`] keeps in step with Postgres through the outbox.
//!
//! Every engine must answer only for the tenant it is asked about, and only with listings
//! buyers may see (see `krafto_core::catalog`). The conformance tests in `tests/e2e` hold
//! every engine to the same answers.

mod cursor;
pub mod opensearch;
mod postgres;
pub mod sync;

pub use cursor::Cursor;
pub use opensearch::OpenSearch;
pub use postgres::PgSearch;

use futures_util::future::BoxFuture;
use krafto_db::TenantScope;
use uuid::Uuid;

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best text match first (newest first without a text query).
    #[default]
    Relevance,
    Newest,
    PriceAsc,
    PriceDesc,
    TopRated,
    Trending,
}

impl Sort {
    pub const ALL: [Sort; 6] = [
        Sort::Relevance,
        Sort::Newest,
        Sort::PriceAsc,
        Sort::PriceDesc,
        Sort::TopRated,
        Sort::Trending,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::PriceAsc => "price_asc",
            Sort::PriceDesc => "price_desc",
            Sort::TopRated => "top_rated",
            Sort::Trending => "trending",
        }
    }

    pub fn parse(s: &str) -> Option<Sort> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A point and a radius.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Near {
    pub latitude: f64,
    pub longitude: f64,
    pub radius_km: f64,
}

/// Everything a buyer can ask for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchQuery {
    pub text: Option<String>,
    /// This category and all of its sub-categories.
    pub category: Option<Uuid>,
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    pub rating_min: Option<f64>,
    pub country: Option<String>,
    pub region: Option<String>,
    pub city: Option<String>,
    pub near: Option<Near>,
    /// Listings carrying every one of these tags.
    pub tags: Vec<String>,
    pub style: Option<String>,
    pub in_stock_only: bool,
    pub verified_only: bool,
    pub sort: Sort,
    pub cursor: Option<Cursor>,
    pub limit: i64,
}

impl SearchQuery {
    /// The filters set on this query, by name, each with the query that drops it.
    pub fn relaxations(&self) -> Vec<(&'static str, SearchQuery)> {
        let base = SearchQuery {
            cursor: None,
            ..self.clone()
        };
        let mut out = Vec::new();
        let mut add = |name: &'static str, set: bool, f: &dyn Fn(&mut SearchQuery)| {
            if set {
                let mut q = base.clone();
                f(&mut q);
                out.push((name, q));
            }
        };
        add(
            "price",
            self.price_min.is_some() || self.price_max.is_some(),
            &|q| {
                q.price_min = None;
                q.price_max = None;
            },
        );
        add("rating", self.rating_min.is_some(), &|q| {
            q.rating_min = None
        });
        add(
            "location",
            self.country.is_some()
                || self.region.is_some()
                || self.city.is_some()
                || self.near.is_some(),
            &|q| {
                q.country = None;
                q.region = None;
                q.city = None;
                q.near = None;
            },
        );
        add("tags", !self.tags.is_empty(), &|q| q.tags.clear());
        add("style", self.style.is_some(), &|q| q.style = None);
        add("in_stock", self.in_stock_only, &|q| q.in_stock_only = false);
        add("verified", self.verified_only, &|q| q.verified_only = false);
        add("category", self.category.is_some(), &|q| q.category = None);
        add("text", self.text.is_some(), &|q| q.text = None);
        out
    }
}

/// One listing as a search card.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub listing_id: Uuid,
    pub title: String,
    pub price_minor: i64,
    pub currency: String,
    pub photo_url: Option<String>,
    pub photo_alt: Option<String>,
    /// Every stored width of an uploaded photo (`srcset`); `None` for a photo given by URL
    /// (and from OpenSearch, whose documents do not carry it yet).
    pub photo_srcset: Option<String>,
    pub shop_id: Uuid,
    pub shop_slug: String,
    pub shop_name: String,
    pub verified_seller: bool,
    pub city: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub rating: Option<f64>,
    pub rating_count: i32,
    pub in_stock: bool,
    pub category_id: Option<Uuid>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Result count per category.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryCount {
    pub category_id: Uuid,
    pub count: i64,
}

/// Result count in a price band `[min, max)` (minor units; `max` open-ended when `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct PriceBand {
    pub min_minor: i64,
    pub max_minor: Option<i64>,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Facets {
    pub categories: Vec<CategoryCount>,
    pub price_bands: Vec<PriceBand>,
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchPage {
    pub hits: Vec<Hit>,
    /// All matches, not just this page.
    pub total: i64,
    pub facets: Facets,
    pub next_cursor: Option<Cursor>,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(transparent)]
    Db(#[from] krafto_db::DbError),
    #[error("search backend failed: {0}")]
    Backend(String),
    #[error("invalid cursor")]
    BadCursor,
}

/// The price band boundaries in major units; scaled by the currency's minor unit.
pub const PRICE_BANDS_MAJOR: &[i64] = &[0, 20, 50, 100, 250];

/// A search backend. Implementations answer for one tenant at a time.
pub trait SearchEngine: Send + Sync + std::fmt::Debug {
    fn name(&self) -> &'static str;

    /// Runs a query for the marketplace of `scope`; `minor_per_major` scales the price
    /// bands (100 for EUR).
    fn search<'a>(
        &'a self,
        scope: &'a TenantScope,
        query: &'a SearchQuery,
        minor_per_major: i64,
    ) -> BoxFuture<'a, Result<SearchPage, SearchError>>;
}
