//! The OpenSearch engine: one index shared by every tenant (`{prefix}listings`), spoken to
//! over its REST API with `reqwest`.
//!
//! Isolation is built into every request and must never be left out: each document carries
//! its `tenant_id`, every search and bulk line is routed by the tenant
//! (`routing=<tenant_id>`, so one tenant's documents live on one shard) and every query
//! filters on `term tenant_id`. Document ids are `{tenant_id}:{listing_id}`, so equal listing
//! ids of two tenants can never overwrite each other.
//!
//! The index holds only listings buyers may see; the outbox sync (`crate::sync`) deletes the
//! others. Writes carry an external version (the reading transaction's clock), so a slow
//! writer holding an older snapshot cannot overwrite a newer document.

use crate::{
    CategoryCount, Cursor, Facets, Hit, PRICE_BANDS_MAJOR, PriceBand, SearchEngine, SearchError,
    SearchPage, SearchQuery, Sort,
};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;
use uuid::Uuid;

mod document;

pub use document::{BulkReport, DocOp, GeoPoint, ListingDoc, index_mapping};
use document::{HIT_FIELDS, HitSource};

/// The index prefix used when `OPENSEARCH_INDEX_PREFIX` is not set.
pub const DEFAULT_INDEX_PREFIX: &str = "krafto-";

/// Documents per `_bulk` request.
const BULK_CHUNK: usize = 500;
/// Tries of one bulk request (and of the items the cluster asked to resend).
const BULK_TRIES: u32 = 3;
/// Most categories a facet reports.
const CATEGORY_FACET_SIZE: usize = 500;

/// Searches and writes the listings index of an OpenSearch cluster.
#[derive(Clone)]
pub struct OpenSearch {
    http: reqwest::Client,
    base: reqwest::Url,
    index: String,
}

impl std::fmt::Debug for OpenSearch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may carry credentials; show where, not how.
        f.debug_struct("OpenSearch")
            .field("host", &self.base.host_str())
            .field("index", &self.index)
            .finish()
    }
}

fn backend(what: &str, e: impl std::fmt::Display) -> SearchError {
    SearchError::Backend(format!("{what}: {e}"))
}

impl OpenSearch {
    /// A client for the cluster at `url` (`http(s)://[user:password@]host:port`, credentials
    /// sent as basic auth) using the index `{index_prefix}listings`.
    pub fn new(url: &str, index_prefix: &str) -> Result<Self, SearchError> {
        let mut base = reqwest::Url::parse(url.trim()).map_err(|e| {
            SearchError::Backend(format!(
                "OPENSEARCH_URL is not a URL ({e}); use e.g. https://user:password@search.example:9200"
            ))
        })?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(SearchError::Backend(
                "OPENSEARCH_URL must start with http:// or https://".to_owned(),
            ));
        }
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let index = format!("{index_prefix}listings");
        let valid_index = !index.starts_with(['-', '_', '+'])
            && index.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')
            });
        if !valid_index {
            return Err(SearchError::Backend(format!(
                "OPENSEARCH_INDEX_PREFIX gives the index name `{index}`; use lowercase letters, \
                 digits, `-`, `_` or `.`, not starting with `-` or `_`"
            )));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(3))
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| backend("cannot build the HTTP client", e))?;
        Ok(Self { http, base, index })
    }

    /// The index name.
    pub fn index(&self) -> &str {
        &self.index
    }

    fn url(&self, path: &str) -> Result<reqwest::Url, SearchError> {
        self.base
            .join(path)
            .map_err(|e| backend("cannot build a request URL", e))
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<Value>,
    ) -> Result<(StatusCode, Value), SearchError> {
        let mut req = self.http.request(method, self.url(path)?).query(query);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.map_err(|e| {
            backend(
                "cannot reach OpenSearch (is OPENSEARCH_URL right and the cluster up?)",
                e.without_url(),
            )
        })?;
        let status = resp.status();
        let text = resp
            .text()
            .await
            .map_err(|e| backend("OpenSearch answer unreadable", e.without_url()))?;
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Ok((status, value))
    }

    /// Creates the index with [`index_mapping`] unless it exists; `true` when it was created.
    /// Also stores the mapping as an index template for the index name, so that a bulk write
    /// after someone deleted the index recreates it with our mapping rather than a guessed
    /// one. Never changes an existing index: a new mapping needs a new index (a new prefix)
    /// and a full reindex.
    pub async fn ensure_index(&self) -> Result<bool, SearchError> {
        let mapping = index_mapping();
        let template = json!({
            "index_patterns": [self.index],
            "priority": 100,
            "template": { "settings": mapping["settings"], "mappings": mapping["mappings"] }
        });
        let (status, body) = self
            .call(
                Method::PUT,
                &format!("_index_template/{}", self.index),
                &[],
                Some(template),
            )
            .await?;
        if !status.is_success() {
            return Err(SearchError::Backend(format!(
                "storing the index template {} answered {status}: {}",
                self.index,
                short(&body)
            )));
        }
        let (status, _) = self.call(Method::HEAD, &self.index, &[], None).await?;
        if status.is_success() {
            return Ok(false);
        }
        if status != StatusCode::NOT_FOUND {
            return Err(SearchError::Backend(format!(
                "checking index {} answered {status}",
                self.index
            )));
        }
        let (status, body) = self
            .call(Method::PUT, &self.index, &[], Some(mapping))
            .await?;
        if status.is_success() {
            tracing::info!(index = %self.index, "created the OpenSearch listings index");
            return Ok(true);
        }
        // Another worker created it between our two calls.
        if error_type(&body) == Some("resource_already_exists_exception") {
            return Ok(false);
        }
        Err(SearchError::Backend(format!(
            "creating index {} answered {status}: {}",
            self.index,
            short(&body)
        )))
    }

    /// Makes every write so far visible to searches (tests and operators; the cluster does
    /// this by itself about once a second).
    pub async fn refresh(&self) -> Result<(), SearchError> {
        let (status, body) = self
            .call(Method::POST, &format!("{}/_refresh", self.index), &[], None)
            .await?;
        if status.is_success() {
            Ok(())
        } else {
            Err(SearchError::Backend(format!(
                "refreshing {} answered {status}: {}",
                self.index,
                short(&body)
            )))
        }
    }

    /// Deletes the whole index (tests and operators only).
    pub async fn delete_index(&self) -> Result<(), SearchError> {
        let (status, body) = self.call(Method::DELETE, &self.index, &[], None).await?;
        if status.is_success() || status == StatusCode::NOT_FOUND {
            Ok(())
        } else {
            Err(SearchError::Backend(format!(
                "deleting {} answered {status}: {}",
                self.index,
                short(&body)
            )))
        }
    }

    /// The NDJSON body of one `_bulk` request: per operation an action line with `_id`,
    /// `routing` and the external version, and for an index the document.
    pub fn bulk_body(&self, tenant: Uuid, ops: &[DocOp]) -> String {
        let mut body = String::new();
        for op in ops {
            let (action, doc) = match op {
                DocOp::Index { doc, .. } => ("index", Some(doc)),
                DocOp::Delete { .. } => ("delete", None),
            };
            let version = match op {
                DocOp::Index { version, .. } | DocOp::Delete { version, .. } => *version,
            };
            let line = json!({ action: {
                "_index": self.index,
                "_id": doc_id(tenant, op.listing_id()),
                "routing": tenant.to_string(),
                "version": version,
                "version_type": "external",
            }});
            body.push_str(&line.to_string());
            body.push('\n');
            if let Some(d) = doc {
                body.push_str(&serde_json::to_string(d).unwrap_or_default());
                body.push('\n');
            }
        }
        body
    }

    /// Writes `ops` for `tenant` with `_bulk`, in chunks, resending what the cluster
    /// rejected as overloaded. Every document must belong to `tenant`.
    pub async fn bulk(&self, tenant: Uuid, ops: &[DocOp]) -> Result<BulkReport, SearchError> {
        if let Some(stray) = ops.iter().find_map(|op| match op {
            DocOp::Index { doc, .. } if doc.tenant_id != tenant => Some(doc.listing_id),
            _ => None,
        }) {
            return Err(SearchError::Backend(format!(
                "refusing to index listing {stray} of another tenant under tenant {tenant}"
            )));
        }
        let mut report = BulkReport::default();
        for chunk in ops.chunks(BULK_CHUNK) {
            let mut pending: Vec<DocOp> = chunk.to_vec();
            let mut tries = 0;
            while !pending.is_empty() {
                tries += 1;
                match self.bulk_once(tenant, &pending, &mut report).await {
                    Ok(retry) if retry.is_empty() => pending.clear(),
                    Ok(retry) if tries < BULK_TRIES => pending = retry,
                    Ok(retry) => {
                        return Err(SearchError::Backend(format!(
                            "OpenSearch kept refusing {} of {} writes as overloaded; retry later",
                            retry.len(),
                            chunk.len()
                        )));
                    }
                    Err(e) if tries < BULK_TRIES => {
                        tracing::warn!(error = %e, tries, "bulk write failed; trying again");
                    }
                    Err(e) => return Err(e),
                }
                if !pending.is_empty() {
                    tokio::time::sleep(Duration::from_millis(200 * 2u64.pow(tries))).await;
                }
            }
        }
        Ok(report)
    }

    /// One `_bulk` call; returns the operations to resend (429 or 5xx items).
    async fn bulk_once(
        &self,
        tenant: Uuid,
        ops: &[DocOp],
        report: &mut BulkReport,
    ) -> Result<Vec<DocOp>, SearchError> {
        let resp = self
            .http
            .post(self.url("_bulk")?)
            .header(reqwest::header::CONTENT_TYPE, "application/x-ndjson")
            .body(self.bulk_body(tenant, ops))
            .send()
            .await
            .map_err(|e| {
                backend(
                    "cannot reach OpenSearch (is OPENSEARCH_URL right and the cluster up?)",
                    e.without_url(),
                )
            })?;
        let status = resp.status();
        let body: Value = resp
            .json()
            .await
            .map_err(|e| backend("bulk answer unreadable", e.without_url()))?;
        if !status.is_success() {
            return Err(SearchError::Backend(format!(
                "bulk write answered {status}: {}",
                short(&body)
            )));
        }
        let items = body["items"].as_array().cloned().unwrap_or_default();
        if items.len() != ops.len() {
            return Err(SearchError::Backend(format!(
                "bulk write answered {} items for {} writes",
                items.len(),
                ops.len()
            )));
        }
        let mut retry = Vec::new();
        let mut failures = Vec::new();
        for (op, item) in ops.iter().zip(items) {
            let result = item
                .as_object()
                .and_then(|o| o.values().next())
                .cloned()
                .unwrap_or(Value::Null);
            let code = result["status"].as_u64().unwrap_or(0);
            match (op, code) {
                (DocOp::Index { .. }, 200..=299) => report.indexed += 1,
                (DocOp::Delete { .. }, 200..=299) => report.deleted += 1,
                // Never indexed, or already gone: the goal is reached.
                (DocOp::Delete { .. }, 404) => report.deleted += 1,
                // The index holds a newer version: this write is stale, and harmless to skip.
                (_, 409) => report.stale += 1,
                (_, 429 | 500..=599) => retry.push(op.clone()),
                _ => failures.push(format!(
                    "{} {}: {}",
                    op.listing_id(),
                    code,
                    short(&result["error"])
                )),
            }
        }
        if !failures.is_empty() {
            return Err(SearchError::Backend(format!(
                "OpenSearch refused {} writes: {}",
                failures.len(),
                failures.into_iter().take(3).collect::<Vec<_>>().join("; ")
            )));
        }
        Ok(retry)
    }

    /// The `_search` body of `q` for `tenant` (asks for one extra hit to know whether a next
    /// page exists).
    pub fn search_body(&self, tenant: Uuid, q: &SearchQuery, minor_per_major: i64) -> Value {
        let limit = q.limit.clamp(1, 100);
        let text = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let mut filter = vec![json!({ "term": { "tenant_id": tenant.to_string() } })];
        // The category and the price filter the hits after the facets are counted
        // (`post_filter`): category counts are as if no category were chosen and price bands
        // as if no price were, each still under the other's choice.
        let category = q
            .category
            .map(|c| json!({ "term": { "category_path": c.to_string() } }));
        let price = (q.price_min.is_some() || q.price_max.is_some()).then(|| {
            let mut range = serde_json::Map::new();
            if let Some(v) = q.price_min {
                range.insert("gte".into(), v.into());
            }
            if let Some(v) = q.price_max {
                range.insert("lte".into(), v.into());
            }
            json!({ "range": { "price_minor": range } })
        });
        if let Some(v) = q.rating_min {
            filter.push(json!({ "range": { "rating_rank": { "gte": v } } }));
        }
        if let Some(v) = &q.country {
            filter.push(json!({ "term": { "country": v.to_uppercase() } }));
        }
        if let Some(v) = &q.region {
            filter.push(json!({ "term": { "region": v } }));
        }
        if let Some(v) = &q.city {
            filter.push(json!({ "term": { "city": v } }));
        }
        if let Some(n) = q.near {
            filter.push(json!({ "geo_distance": {
                "distance": format!("{}km", n.radius_km),
                "location": { "lat": n.latitude, "lon": n.longitude }
            }}));
        }
        for t in &q.tags {
            filter.push(json!({ "term": { "tags.raw": t } }));
        }
        if let Some(v) = &q.style {
            filter.push(json!({ "term": { "style": v } }));
        }
        if q.in_stock_only {
            filter.push(json!({ "term": { "in_stock": true } }));
        }
        if q.verified_only {
            filter.push(json!({ "term": { "verified": true } }));
        }
        let mut bool_query = json!({ "filter": filter });
        if let Some(t) = text {
            bool_query["must"] = json!([{ "multi_match": {
                "query": t,
                "fields": ["title^3", "tags^2", "materials^2", "shop_name^2", "description", "all_text"],
                "type": "best_fields",
                "operator": "and",
                "fuzziness": "AUTO"
            }}]);
        }
        let (field, desc) = sort_field(q.sort, text.is_some());
        let order = if desc { "desc" } else { "asc" };
        let mut body = json!({
            "size": limit + 1,
            "track_total_hits": true,
            "query": { "bool": bool_query },
            "sort": [ { field: order }, { "listing_id": order } ],
            "_source": HIT_FIELDS,
            "aggs": {
                "categories": {
                    "filter": price.clone().unwrap_or_else(|| json!({ "match_all": {} })),
                    "aggs": { "counts": { "terms": { "field": "category_id", "size": CATEGORY_FACET_SIZE } } }
                },
                "price_bands": {
                    "filter": category.clone().unwrap_or_else(|| json!({ "match_all": {} })),
                    "aggs": { "counts": { "range": { "field": "price_minor", "ranges": price_ranges(minor_per_major) } } }
                }
            }
        });
        let chosen: Vec<Value> = category.into_iter().chain(price).collect();
        if !chosen.is_empty() {
            body["post_filter"] = json!({ "bool": { "filter": chosen } });
        }
        if let Some(c) = q.cursor {
            body["search_after"] = json!([sort_value(field, c.key), c.id.to_string()]);
        }
        body
    }

    /// Turns a `_search` answer into a page.
    pub fn page_of(
        answer: &Value,
        q: &SearchQuery,
        minor_per_major: i64,
    ) -> Result<SearchPage, SearchError> {
        let limit = usize::try_from(q.limit.clamp(1, 100)).unwrap_or(1);
        let raw = answer["hits"]["hits"]
            .as_array()
            .ok_or_else(|| SearchError::Backend("search answer has no hits".to_owned()))?;
        let mut hits = Vec::with_capacity(raw.len().min(limit));
        let mut last_sort = None;
        for h in raw.iter().take(limit) {
            let s: HitSource = serde_json::from_value(h["_source"].clone())
                .map_err(|e| backend("unexpected document in the index", e))?;
            last_sort = Some((h["sort"][0].as_f64(), s.listing_id));
            hits.push(Hit {
                listing_id: s.listing_id,
                title: s.title,
                price_minor: s.price_minor,
                currency: s.currency,
                photo_url: s.photo_url,
                photo_alt: s.photo_alt,
                photo_srcset: None,
                shop_id: s.shop_id,
                shop_slug: s.shop_slug,
                shop_name: s.shop_name,
                verified_seller: s.verified,
                city: s.city,
                region: s.region,
                country: s.country,
                rating: s.rating,
                rating_count: s.rating_count,
                in_stock: s.in_stock,
                category_id: s.category_id,
                created_at: s.created_at,
            });
        }
        let next_cursor = if raw.len() > limit {
            match last_sort {
                Some((Some(key), id)) => Some(Cursor { key, id }),
                _ => {
                    return Err(SearchError::Backend(
                        "search answer lacks sort values".to_owned(),
                    ));
                }
            }
        } else {
            None
        };
        let total = answer["hits"]["total"]["value"]
            .as_i64()
            .ok_or_else(|| SearchError::Backend("search answer has no total".to_owned()))?;
        let mut categories: Vec<CategoryCount> =
            answer["aggregations"]["categories"]["counts"]["buckets"]
                .as_array()
                .map(|b| {
                    b.iter()
                        .filter_map(|x| {
                            Some(CategoryCount {
                                category_id: x["key"].as_str()?.parse().ok()?,
                                count: x["doc_count"].as_i64()?,
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
        categories.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(a.category_id.cmp(&b.category_id))
        });
        let band_counts: Vec<i64> = answer["aggregations"]["price_bands"]["counts"]["buckets"]
            .as_array()
            .map(|b| {
                b.iter()
                    .map(|x| x["doc_count"].as_i64().unwrap_or(0))
                    .collect()
            })
            .unwrap_or_default();
        let price_bands = PRICE_BANDS_MAJOR
            .iter()
            .enumerate()
            .map(|(i, m)| PriceBand {
                min_minor: m * minor_per_major,
                max_minor: PRICE_BANDS_MAJOR.get(i + 1).map(|x| x * minor_per_major),
                count: band_counts.get(i).copied().unwrap_or(0),
            })
            .collect();
        Ok(SearchPage {
            hits,
            total,
            facets: Facets {
                categories,
                price_bands,
            },
            next_cursor,
        })
    }

    async fn run(
        &self,
        tenant: Uuid,
        q: &SearchQuery,
        minor_per_major: i64,
    ) -> Result<SearchPage, SearchError> {
        let body = self.search_body(tenant, q, minor_per_major);
        let (status, answer) = self
            .call(
                Method::POST,
                &format!("{}/_search", self.index),
                &[("routing", tenant.to_string())],
                Some(body),
            )
            .await?;
        if !status.is_success() {
            if error_type(&answer) == Some("index_not_found_exception") {
                return Err(SearchError::Backend(format!(
                    "index {} does not exist yet; start `platform worker` with OPENSEARCH_URL \
                     set (it creates the index) and reindex with `platform search-reindex`",
                    self.index
                )));
            }
            if status == StatusCode::BAD_REQUEST && q.cursor.is_some() {
                return Err(SearchError::BadCursor);
            }
            return Err(SearchError::Backend(format!(
                "search answered {status}: {}",
                short(&answer)
            )));
        }
        Self::page_of(&answer, q, minor_per_major)
    }
}

impl SearchEngine for OpenSearch {
    fn name(&self) -> &'static str {
        "opensearch"
    }

    fn search<'a>(
        &'a self,
        scope: &'a krafto_db::TenantScope,
        query: &'a SearchQuery,
        minor_per_major: i64,
    ) -> BoxFuture<'a, Result<SearchPage, SearchError>> {
        self.run(scope.id().get(), query, minor_per_major).boxed()
    }
}

/// The document id of a listing: unique across tenants.
pub fn doc_id(tenant: Uuid, listing: Uuid) -> String {
    format!("{tenant}:{listing}")
}

/// The primary sort field and whether it descends (the tie-break on `listing_id` follows).
fn sort_field(sort: Sort, has_text: bool) -> (&'static str, bool) {
    match (sort, has_text) {
        (Sort::Relevance, true) => ("_score", true),
        (Sort::Relevance | Sort::Newest, _) => ("created_at", true),
        (Sort::PriceAsc, _) => ("price_minor", false),
        (Sort::PriceDesc, _) => ("price_minor", true),
        (Sort::TopRated, _) => ("rating_rank", true),
        (Sort::Trending, _) => ("trending_score", true),
    }
}

/// A cursor key as `search_after` expects it: whole numbers for integer and date fields
/// (dates sort as epoch milliseconds).
fn sort_value(field: &str, key: f64) -> Value {
    let integral = matches!(field, "created_at" | "price_minor");
    if integral && key.fract() == 0.0 && key.abs() < 9.0e15 {
        // Checked integral and within f64's exact integer range.
        json!(key as i64)
    } else {
        json!(key)
    }
}

/// The price bands as `range` aggregation ranges (`from` inclusive, `to` exclusive).
fn price_ranges(minor_per_major: i64) -> Vec<Value> {
    PRICE_BANDS_MAJOR
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let mut r = serde_json::Map::new();
            r.insert("key".into(), json!(i.to_string()));
            if i > 0 {
                r.insert("from".into(), json!(m * minor_per_major));
            }
            if let Some(next) = PRICE_BANDS_MAJOR.get(i + 1) {
                r.insert("to".into(), json!(next * minor_per_major));
            }
            Value::Object(r)
        })
        .collect()
}

fn error_type(body: &Value) -> Option<&str> {
    body["error"]["type"].as_str()
}

/// A short account of an error body for messages and logs.
fn short(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        other => match (
            other["error"]["type"].as_str(),
            other["error"]["reason"].as_str(),
        ) {
            (Some(t), Some(r)) => format!("{t}: {r}"),
            _ => match (other["type"].as_str(), other["reason"].as_str()) {
                (Some(t), Some(r)) => format!("{t}: {r}"),
                _ => other.to_string(),
            },
        },
    };
    s.chars().take(300).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> OpenSearch {
        OpenSearch::new("http://127.0.0.1:9200", DEFAULT_INDEX_PREFIX).unwrap()
    }

    #[test]
    fn bad_urls_and_index_names_are_refused_with_a_hint() {
        assert!(OpenSearch::new("not a url", "x-").is_err());
        assert!(OpenSearch::new("ftp://search", "x-").is_err());
        let e = OpenSearch::new("http://search:9200", "Big Prefix ")
            .unwrap_err()
            .to_string();
        assert!(e.contains("OPENSEARCH_INDEX_PREFIX"), "{e}");
        assert_eq!(engine().index(), "krafto-listings");
    }

    #[test]
    fn every_search_filters_on_the_tenant_and_cursors_become_search_after() {
        let tenant = Uuid::now_v7();
        let id = Uuid::now_v7();
        let q = SearchQuery {
            sort: Sort::PriceAsc,
            cursor: Some(Cursor { key: 2400.0, id }),
            limit: 10,
            ..SearchQuery::default()
        };
        let b = engine().search_body(tenant, &q, 100);
        assert_eq!(
            b["query"]["bool"]["filter"][0],
            json!({ "term": { "tenant_id": tenant.to_string() } })
        );
        assert_eq!(b["size"], 11);
        assert_eq!(b["search_after"], json!([2400, id.to_string()]));
        assert_eq!(
            b["sort"],
            json!([{ "price_minor": "asc" }, { "listing_id": "asc" }])
        );
    }

    #[test]
    fn price_bands_match_the_postgres_bands() {
        assert_eq!(
            price_ranges(100),
            vec![
                json!({ "key": "0", "to": 2000 }),
                json!({ "key": "1", "from": 2000, "to": 5000 }),
                json!({ "key": "2", "from": 5000, "to": 10000 }),
                json!({ "key": "3", "from": 10000, "to": 25000 }),
                json!({ "key": "4", "from": 25000 }),
            ]
        );
    }
}
