//! The Postgres engine: `tsvector` full text (weighted title > tags, materials, shop name >
//! description) with trigram word similarity for typos, run inside the tenant's
//! row-level-security scope, so another tenant's listings cannot even be considered.

use crate::{
    CategoryCount, Cursor, Facets, Hit, PRICE_BANDS_MAJOR, PriceBand, SearchEngine, SearchError,
    SearchPage, SearchQuery, Sort,
};
use diesel::QueryableByName;
use diesel::pg::Pg;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{
    Array, Bool, Float8, Int4, Int8, Nullable, Text, Timestamptz, Uuid as SqlUuid,
};
use krafto_db::{TenantScope, TenantTx};

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use krafto_core::catalog::{ListingStatus, ShopStatus};
use krafto_db::Db;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// Searches listings in Postgres.
#[derive(Clone)]
pub struct PgSearch {
    db: Db,
    /// Totals and facet counts per tenant and filter set. Counting every match is the one
    /// part of a search that grows with the catalogue, and counts a few seconds old are fine.
    facets: Option<moka::future::Cache<String, Arc<(i64, Facets)>>>,
}

impl std::fmt::Debug for PgSearch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgSearch")
            .field("facet_cache", &self.facets.is_some())
            .finish()
    }
}

/// How long facet counts are reused.
pub(crate) const FACET_TTL: Duration = Duration::from_secs(30);

impl PgSearch {
    pub fn new(db: Db) -> Self {
        let cache = moka::future::Cache::builder()
            .max_capacity(20_000)
            .time_to_live(FACET_TTL)
            .build();
        Self {
            db,
            facets: Some(cache),
        }
    }

    /// Counts every time (benchmarks measuring the database, tests).
    pub fn without_facet_cache(db: Db) -> Self {
        Self { db, facets: None }
    }
}

#[derive(Debug, Clone)]
enum Bind {
    Text(String),
    Uuid(Uuid),
    I64(i64),
    F64(f64),
    TextArray(Vec<String>),
    UuidArray(Vec<Uuid>),
}

/// A WHERE clause under construction with its positional parameters.
#[derive(Debug, Default)]
struct Filter {
    conditions: Vec<String>,
    binds: Vec<Bind>,
}

impl Filter {
    fn param(&mut self, b: Bind) -> String {
        self.binds.push(b);
        format!("${}", self.binds.len())
    }

    fn and(&mut self, condition: String) {
        self.conditions.push(condition);
    }

    fn sql(&self) -> String {
        self.conditions.join(" AND ")
    }

    fn query(&self, sql: String) -> BoxedSqlQuery<'static, Pg, SqlQuery> {
        let mut q = diesel::sql_query(sql).into_boxed::<Pg>();
        for b in &self.binds {
            q = match b.clone() {
                Bind::Text(v) => q.bind::<Text, _>(v),
                Bind::Uuid(v) => q.bind::<SqlUuid, _>(v),
                Bind::I64(v) => q.bind::<Int8, _>(v),
                Bind::F64(v) => q.bind::<Float8, _>(v),
                Bind::TextArray(v) => q.bind::<Array<Text>, _>(v),
                Bind::UuidArray(v) => q.bind::<Array<SqlUuid>, _>(v),
            };
        }
        q
    }
}

/// A filter and what it needs.
#[derive(Debug)]
struct Plan {
    filter: Filter,
    /// The text parameter, when the query has words.
    text: Option<String>,
    /// Words are matched by similarity (typos), over the newest candidates only.
    fuzzy: bool,
    /// Which conditions are the category's and the price's: facet counts for categories
    /// are counted as if no category were chosen, and price bands as if no price were
    /// (the counts of the other choices stay true while one is active).
    category_condition: Option<usize>,
    price_conditions: Vec<usize>,
}

impl Plan {
    /// The conditions but the category's and the price's; then the price's and the
    /// category's, each `TRUE` when absent.
    fn facet_parts(&self) -> (String, String, String) {
        let c = &self.filter.conditions;
        let base: Vec<&str> = c
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                self.category_condition != Some(*i) && !self.price_conditions.contains(i)
            })
            .map(|(_, s)| s.as_str())
            .collect();
        let price: Vec<&str> = self
            .price_conditions
            .iter()
            .filter_map(|i| c.get(*i).map(String::as_str))
            .collect();
        let category = self
            .category_condition
            .and_then(|i| c.get(i))
            .map_or_else(|| "TRUE".to_owned(), |s| format!("({s})"));
        let price = if price.is_empty() {
            "TRUE".to_owned()
        } else {
            format!("({})", price.join(" AND "))
        };
        (base.join(" AND "), price, category)
    }
}

/// The filter of `q` (everything but the cursor). `fuzzy` matches words by trigram
/// similarity (typos) instead of full text. The tenant is named explicitly as well as
/// enforced by row-level security, so the planner uses the `(tenant_id, …)` indexes.
/// The shop conditions of `q` (location, verified), when it has any.
fn shop_filter(tenant: Uuid, q: &SearchQuery) -> Option<Filter> {
    let mut f = Filter::default();
    let t = f.param(Bind::Uuid(tenant));
    f.and(format!(
        "s.tenant_id = {t} AND s.status = '{}'",
        ShopStatus::Active.as_str()
    ));
    let before = f.conditions.len();
    if let Some(v) = &q.country {
        let p = f.param(Bind::Text(v.to_uppercase()));
        f.and(format!("s.country = {p}"));
    }
    if let Some(v) = &q.region {
        let p = f.param(Bind::Text(v.clone()));
        f.and(format!("krafto_fold(s.region) = krafto_fold({p})"));
    }
    if let Some(v) = &q.city {
        let p = f.param(Bind::Text(v.clone()));
        f.and(format!("krafto_fold(s.city) = krafto_fold({p})"));
    }
    if let Some(n) = q.near {
        let lat = f.param(Bind::F64(n.latitude));
        let lon = f.param(Bind::F64(n.longitude));
        let r = f.param(Bind::F64(n.radius_km));
        // A bounding box first, then the exact great-circle distance.
        f.and(format!(
            "s.latitude BETWEEN {lat} - {r} / 111.0 AND {lat} + {r} / 111.0 \
             AND 2 * 6371 * asin(sqrt(power(sin(radians(s.latitude - {lat}) / 2), 2) \
             + cos(radians({lat})) * cos(radians(s.latitude)) * power(sin(radians(s.longitude - {lon}) / 2), 2))) <= {r}"
        ));
    }
    if q.verified_only {
        f.and("s.verified".to_owned());
    }
    (f.conditions.len() > before).then_some(f)
}

fn plan(
    tenant: Uuid,
    q: &SearchQuery,
    fuzzy: bool,
    subtree: &[Uuid],
    shop_ids: Option<&[Uuid]>,
) -> Plan {
    let mut f = Filter::default();
    let t = f.param(Bind::Uuid(tenant));
    // `public` is kept by the database from krafto_core::catalog's rule (see the migration
    // and the test that checks every status pair).
    f.and(format!("l.tenant_id = {t} AND l.public"));
    let mut text = None;
    let (mut category_condition, mut price_conditions) = (None, Vec::new());
    if let Some(words) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let p = f.param(Bind::Text(words.to_owned()));
        if fuzzy {
            f.and(format!("krafto_fold({p}) <% l.search_text"));
        } else {
            f.and(format!(
                "l.search_doc @@ websearch_to_tsquery('simple', krafto_fold({p}))"
            ));
        }
        text = Some(p);
    }
    if q.category.is_some() {
        // The subtree, resolved beforehand: a literal list the planner can estimate.
        let p = f.param(Bind::UuidArray(subtree.to_vec()));
        category_condition = Some(f.conditions.len());
        f.and(format!("l.category_id = ANY({p}::uuid[])"));
    }
    if let Some(v) = q.price_min {
        let p = f.param(Bind::I64(v));
        price_conditions.push(f.conditions.len());
        f.and(format!("l.price_minor >= {p}"));
    }
    if let Some(v) = q.price_max {
        let p = f.param(Bind::I64(v));
        price_conditions.push(f.conditions.len());
        f.and(format!("l.price_minor <= {p}"));
    }
    if let Some(v) = q.rating_min {
        let p = f.param(Bind::F64(v));
        f.and(format!("coalesce(l.rating_avg, 0)::float8 >= {p}"));
    }
    if let Some(ids) = shop_ids {
        // Shop filters (location, verified) were resolved to shop ids beforehand: shops are
        // few, and a literal list keeps the listing indexes usable for the page.
        let p = f.param(Bind::UuidArray(ids.to_vec()));
        f.and(format!("l.shop_id = ANY({p}::uuid[])"));
    }
    if !q.tags.is_empty() {
        let p = f.param(Bind::TextArray(q.tags.clone()));
        f.and(format!("l.tags @> {p}::text[]"));
    }
    if let Some(v) = &q.style {
        let p = f.param(Bind::Text(v.clone()));
        f.and(format!("krafto_fold(l.style) = krafto_fold({p})"));
    }
    if q.in_stock_only {
        f.and(format!("l.status = '{}'", ListingStatus::Active.as_str()));
    }

    Plan {
        filter: f,
        text,
        fuzzy,
        category_condition,
        price_conditions,
    }
}

/// Builds a keyset condition from the key and id parameters.
type KeysetCondition = dyn Fn(&str, &str) -> String + Send + Sync;

/// How one sort orders rows and pages through them.
struct Order {
    /// `ORDER BY` over plain columns (so the partial indexes serve it).
    by: String,
    /// The first sort column as float8, returned as the cursor key.
    key: String,
    /// The keyset condition given the key parameter and the id parameter.
    after: Box<KeysetCondition>,
}

/// Relevance ranks at most this many matches, the newest: ranking every match of a common
/// word in a large marketplace costs tens of milliseconds, and these are the ones people buy.
pub(crate) const RANKED_CANDIDATES: i64 = 1000;

/// How many typo matches are counted and paged (the newest); similarity is checked row by row.
pub(crate) const FUZZY_CANDIDATES: i64 = 1000;

fn order(sort: Sort, text: Option<&str>, fuzzy: bool) -> Order {
    match (sort, text) {
        (Sort::Relevance, Some(p)) if !fuzzy => {
            let rank = format!(
                "ts_rank_cd(l.search_doc, websearch_to_tsquery('simple', krafto_fold({p})))::float8"
            );
            let r = rank.clone();
            Order {
                by: format!("{rank} DESC, l.id DESC"),
                key: rank,
                after: Box::new(move |k, id| format!("({r}, l.id) < ({k}, {id})")),
            }
        }
        // Without words, or matching by similarity: newest first.
        (Sort::Relevance | Sort::Newest, _) => Order {
            by: "l.created_at DESC, l.id DESC".into(),
            // Microseconds since the epoch: exact in a float8 for millennia.
            key: "(extract(epoch FROM l.created_at) * 1000000)::int8::float8".into(),
            after: Box::new(|k, id| {
                format!(
                    "(l.created_at, l.id) < ('epoch'::timestamptz + {k}::int8 * interval '1 microsecond', {id})"
                )
            }),
        },
        (Sort::PriceAsc, _) => Order {
            by: "l.price_minor ASC, l.id ASC".into(),
            key: "l.price_minor::float8".into(),
            after: Box::new(|k, id| format!("(l.price_minor, l.id) > ({k}::int8, {id})")),
        },
        (Sort::PriceDesc, _) => Order {
            by: "l.price_minor DESC, l.id DESC".into(),
            key: "l.price_minor::float8".into(),
            after: Box::new(|k, id| format!("(l.price_minor, l.id) < ({k}::int8, {id})")),
        },
        (Sort::TopRated, _) => Order {
            by: "coalesce(l.rating_avg, 0) DESC, l.id DESC".into(),
            key: "coalesce(l.rating_avg, 0)::float8".into(),
            after: Box::new(|k, id| {
                format!("(coalesce(l.rating_avg, 0), l.id) < ({k}::numeric, {id})")
            }),
        },
        (Sort::Trending, _) => Order {
            by: "l.trending_score DESC, l.id DESC".into(),
            key: "l.trending_score".into(),
            after: Box::new(|k, id| format!("(l.trending_score, l.id) < ({k}, {id})")),
        },
    }
}

#[derive(QueryableByName)]
struct HitRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Int8)]
    price_minor: i64,
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = Nullable<Text>)]
    photo_url: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    photo_alt: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    photo_srcset: Option<String>,
    #[diesel(sql_type = SqlUuid)]
    shop_id: Uuid,
    #[diesel(sql_type = Text)]
    shop_slug: String,
    #[diesel(sql_type = Text)]
    shop_name: String,
    #[diesel(sql_type = Bool)]
    verified: bool,
    #[diesel(sql_type = Nullable<Text>)]
    city: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    region: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    country: Option<String>,
    #[diesel(sql_type = Nullable<Float8>)]
    rating: Option<f64>,
    #[diesel(sql_type = Int4)]
    rating_count: i32,
    #[diesel(sql_type = Bool)]
    in_stock: bool,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    category_id: Option<Uuid>,
    #[diesel(sql_type = Timestamptz)]
    created_at: chrono::DateTime<chrono::Utc>,
    #[diesel(sql_type = Float8)]
    sort_key: f64,
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

/// A category and all its descendants.
async fn category_subtree(
    tx: &mut TenantTx,
    tenant: Uuid,
    root: Uuid,
) -> Result<Vec<Uuid>, SearchError> {
    let rows: Vec<IdRow> = tx
        .fetch_all(
            diesel::sql_query(
        "WITH RECURSIVE sub(id) AS (SELECT id FROM categories WHERE tenant_id = $1 AND id = $2 \
         UNION ALL SELECT c.id FROM categories c JOIN sub ON c.tenant_id = $1 AND c.parent_id = sub.id) SELECT id FROM sub",
    )
            .bind::<SqlUuid, _>(tenant)
            .bind::<SqlUuid, _>(root),
        )
        .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

#[derive(QueryableByName)]
struct FacetRow {
    #[diesel(sql_type = Nullable<SqlUuid>)]
    category_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Int4>)]
    band: Option<i32>,
    #[diesel(sql_type = Int4)]
    by_category: i32,
    /// Matches of every filter.
    #[diesel(sql_type = Int8)]
    n: i64,
    /// Matches of every filter but the category.
    #[diesel(sql_type = Int8)]
    n_any_category: i64,
    /// Matches of every filter but the price.
    #[diesel(sql_type = Int8)]
    n_any_price: i64,
}

fn band_expr(minor_per_major: i64) -> String {
    let mut sql = String::from("CASE");
    for (i, b) in PRICE_BANDS_MAJOR.iter().enumerate().skip(1).rev() {
        sql.push_str(&format!(
            " WHEN l.price_minor >= {} THEN {i}",
            b * minor_per_major
        ));
    }
    sql.push_str(" ELSE 0 END");
    sql
}

impl PgSearch {
    /// Totals and facets of a filter, from the cache when it is fresh.
    async fn count(
        &self,
        tx: &mut TenantTx,
        tenant: Uuid,
        plan: &Plan,
        minor_per_major: i64,
        fresh: bool,
    ) -> Result<Arc<(i64, Facets)>, SearchError> {
        let (base, price, category) = plan.facet_parts();
        let source = if plan.fuzzy {
            format!(
                "(SELECT l.* FROM listings l WHERE {base} ORDER BY l.created_at DESC, l.id DESC LIMIT {FUZZY_CANDIDATES}) l"
            )
        } else {
            format!("listings l WHERE {base}")
        };
        let sql = format!(
            "SELECT l.category_id, {band} AS band, GROUPING(l.category_id) AS by_category, \
             count(*) FILTER (WHERE {price} AND {category}) AS n, \
             count(*) FILTER (WHERE {price}) AS n_any_category, \
             count(*) FILTER (WHERE {category}) AS n_any_price \
             FROM {source} GROUP BY GROUPING SETS ((l.category_id), ({band}))",
            band = band_expr(minor_per_major)
        );
        let cache_key = format!("{tenant}|{sql}|{:?}", plan.filter.binds);
        if let Some(hit) = match &self.facets {
            Some(c) if !fresh => c.get(&cache_key).await,
            _ => None,
        } {
            return Ok(hit);
        }
        let rows: Vec<FacetRow> = tx.fetch_all(plan.filter.query(sql)).await?;
        let mut facets = Facets::default();
        let mut total = 0;
        let mut bands = vec![0i64; PRICE_BANDS_MAJOR.len()];
        for r in rows {
            if r.by_category == 0 {
                total += r.n;
                if let Some(c) = r.category_id.filter(|_| r.n_any_category > 0) {
                    facets.categories.push(CategoryCount {
                        category_id: c,
                        count: r.n_any_category,
                    });
                }
            } else if let Some(b) = r
                .band
                .and_then(|b| usize::try_from(b).ok())
                .filter(|b| *b < bands.len())
            {
                bands[b] += r.n_any_price;
            }
        }
        facets.categories.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(a.category_id.cmp(&b.category_id))
        });
        facets.price_bands = bands
            .iter()
            .enumerate()
            .map(|(i, n)| PriceBand {
                min_minor: PRICE_BANDS_MAJOR[i] * minor_per_major,
                max_minor: PRICE_BANDS_MAJOR.get(i + 1).map(|m| m * minor_per_major),
                count: *n,
            })
            .collect();
        let counted = Arc::new((total, facets));
        if let Some(c) = &self.facets {
            c.insert(cache_key, counted.clone()).await;
        }
        Ok(counted)
    }

    /// One page of hits for `plan` (fresh, never cached).
    async fn page(
        &self,
        tx: &mut TenantTx,
        q: &SearchQuery,
        plan: &Plan,
        fuzzy: bool,
        limit: i64,
    ) -> Result<Vec<HitRow>, SearchError> {
        let order = order(q.sort, plan.text.as_deref(), fuzzy);
        let mut f = Filter {
            conditions: plan.filter.conditions.clone(),
            binds: plan.filter.binds.clone(),
        };
        let base = f.sql();
        let mut keyset = "TRUE".to_owned();
        if let Some(c) = q.cursor {
            let k = f.param(Bind::F64(c.key));
            let id = f.param(Bind::Uuid(c.id));
            keyset = (order.after)(&k, &id);
            f.and(keyset.clone());
        }
        // The page is chosen on listings alone, then its shops are joined: the partial indexes
        // serve the ORDER BY … LIMIT.
        let ranked = q.sort == Sort::Relevance && plan.text.is_some() && !fuzzy;
        let page_source = if ranked {
            format!(
                "(SELECT l.*, {key} AS sort_key FROM (SELECT l.* FROM listings l WHERE {base} \
                 ORDER BY l.created_at DESC, l.id DESC LIMIT {RANKED_CANDIDATES}) l WHERE {keyset} ORDER BY {by} LIMIT {n}) l",
                key = order.key,
                by = order.by,
                n = limit + 1,
            )
        } else {
            format!(
                "(SELECT l.*, {key} AS sort_key FROM listings l WHERE {filter} ORDER BY {by} LIMIT {n}) l",
                key = order.key,
                filter = f.sql(),
                by = order.by,
                n = limit + 1,
            )
        };
        let sql = format!(
            "SELECT l.id, l.title, l.price_minor, l.currency, l.photos->0->>'url' AS photo_url, \
             l.photos->0->>'alt' AS photo_alt, l.photos->0->>'srcset' AS photo_srcset, s.id AS shop_id, s.slug AS shop_slug, s.name AS shop_name, \
             s.verified, s.city, s.region, s.country, l.rating_avg::float8 AS rating, l.rating_count, \
             (l.status = '{active}') AS in_stock, l.category_id, l.created_at, l.sort_key \
             FROM {page_source} JOIN shops s ON s.tenant_id = l.tenant_id AND s.id = l.shop_id ORDER BY {by}",
            active = ListingStatus::Active.as_str(),
            by = order.by,
        );
        Ok(tx.fetch_all(f.query(sql)).await?)
    }

    async fn run(
        &self,
        scope: &TenantScope,
        q: &SearchQuery,
        minor_per_major: i64,
    ) -> Result<SearchPage, SearchError> {
        let limit = q.limit.clamp(1, 100);
        let tenant = scope.id().get();
        let mut tx = self.db.tenant(scope).await?;
        let subtree = match q.category {
            Some(c) => category_subtree(&mut tx, tenant, c).await?,
            None => Vec::new(),
        };
        let shop_ids = match shop_filter(tenant, q) {
            Some(sf) => {
                let rows: Vec<IdRow> = tx
                    .fetch_all(sf.query(format!("SELECT s.id FROM shops s WHERE {}", sf.sql())))
                    .await?;
                Some(rows.into_iter().map(|r| r.id).collect::<Vec<_>>())
            }
            None => None,
        };
        let mut plan = plan(tenant, q, false, &subtree, shop_ids.as_deref());
        let mut rows = self.page(&mut tx, q, &plan, false, limit).await?;
        let mut counted = self
            .count(&mut tx, tenant, &plan, minor_per_major, false)
            .await?;
        // Cached counts may lag a change by a few seconds; a first page that shows every
        // result tells the exact count, so a disagreement means they are stale.
        let whole = q.cursor.is_none() && i64::try_from(rows.len()).unwrap_or(0) <= limit;
        if whole && counted.0 != i64::try_from(rows.len()).unwrap_or(0) {
            counted = self
                .count(&mut tx, tenant, &plan, minor_per_major, true)
                .await?;
        }
        // Full text first; when the words match nothing, match them by similarity (typos).
        if counted.0 == 0 && plan.text.is_some() && q.cursor.is_none() {
            plan = self::plan(tenant, q, true, &subtree, shop_ids.as_deref());
            rows = self.page(&mut tx, q, &plan, true, limit).await?;
            counted = self
                .count(&mut tx, tenant, &plan, minor_per_major, rows.is_empty())
                .await?;
        }
        tx.commit().await?;
        let next_cursor = if i64::try_from(rows.len()).unwrap_or(0) > limit {
            rows.truncate(usize::try_from(limit).unwrap_or(0));
            rows.last().map(|r| Cursor {
                key: r.sort_key,
                id: r.id,
            })
        } else {
            None
        };
        let (total, facets) = (counted.0, counted.1.clone());
        let hits = rows
            .into_iter()
            .map(|r| Hit {
                listing_id: r.id,
                title: r.title,
                price_minor: r.price_minor,
                currency: r.currency,
                photo_url: r.photo_url,
                photo_alt: r.photo_alt,
                photo_srcset: r.photo_srcset,
                shop_id: r.shop_id,
                shop_slug: r.shop_slug,
                shop_name: r.shop_name,
                verified_seller: r.verified,
                city: r.city,
                region: r.region,
                country: r.country,
                rating: r.rating,
                rating_count: r.rating_count,
                in_stock: r.in_stock,
                category_id: r.category_id,
                created_at: r.created_at,
            })
            .collect();
        Ok(SearchPage {
            hits,
            total,
            facets,
            next_cursor,
        })
    }
}

impl SearchEngine for PgSearch {
    fn name(&self) -> &'static str {
        "postgres"
    }

    fn search<'a>(
        &'a self,
        scope: &'a TenantScope,
        query: &'a SearchQuery,
        minor_per_major: i64,
    ) -> BoxFuture<'a, Result<SearchPage, SearchError>> {
        self.run(scope, query, minor_per_major).boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_filter_binds_its_values_and_shop_filters_resolve_to_shops_first() {
        let q = SearchQuery {
            text: Some("bol".into()),
            price_min: Some(100),
            price_max: Some(900),
            tags: vec!["wood".into()],
            in_stock_only: true,
            ..SearchQuery::default()
        };
        let p = plan(Uuid::nil(), &q, false, &[], None);
        assert_eq!(p.text.as_deref(), Some("$2"));
        let f = p.filter;
        assert_eq!(f.binds.len(), 5);
        let sql = f.sql();
        assert!(
            sql.starts_with("l.tenant_id = $1 AND l.public AND l.search_doc @@"),
            "{sql}"
        );
        assert!(sql.contains("l.price_minor >= $3") && sql.contains("l.price_minor <= $4"));
        assert!(sql.contains("l.tags @> $5::text[]"));
        assert!(sql.contains("l.status = 'active'"));
        let near = SearchQuery {
            verified_only: true,
            ..SearchQuery::default()
        };
        assert!(shop_filter(Uuid::nil(), &near).is_some());
        assert!(shop_filter(Uuid::nil(), &q).is_none());
        let fuzzy = plan(Uuid::nil(), &q, true, &[], None);
        assert!(
            fuzzy
                .filter
                .sql()
                .contains("krafto_fold($2) <% l.search_text")
        );
    }

    #[test]
    fn price_bands_scale_with_the_currency() {
        assert_eq!(
            band_expr(100),
            "CASE WHEN l.price_minor >= 25000 THEN 4 WHEN l.price_minor >= 10000 THEN 3 WHEN l.price_minor >= 5000 THEN 2 WHEN l.price_minor >= 2000 THEN 1 ELSE 0 END"
        );
    }
}
