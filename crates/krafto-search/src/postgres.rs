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
use diesel_async::RunQueryDsl;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use krafto_core::catalog::{ListingStatus, ShopStatus};
use krafto_db::{Db, DbError};
use uuid::Uuid;

/// Searches listings in Postgres.
#[derive(Debug, Clone)]
pub struct PgSearch {
    db: Db,
}

impl PgSearch {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

#[derive(Debug, Clone)]
enum Bind {
    Text(String),
    Uuid(Uuid),
    I64(i64),
    F64(f64),
    TextArray(Vec<String>),
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
            };
        }
        q
    }
}

const FROM: &str = "FROM listings l JOIN shops s ON s.tenant_id = l.tenant_id AND s.id = l.shop_id";

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The filter of `q` (everything but the cursor); returns it and the text parameter, if any.
/// The tenant is named explicitly as well as enforced by row-level security: the planner can
/// then use the `(tenant_id, …)` indexes directly, and the query stays correct on its own.
fn filter_of(tenant: Uuid, q: &SearchQuery) -> (Filter, Option<String>) {
    let mut f = Filter::default();
    let t = f.param(Bind::Uuid(tenant));
    f.and(format!("l.tenant_id = {t} AND s.tenant_id = {t}"));
    // Visibility is decided in krafto_core::catalog; this only spells it in SQL.
    f.and(format!(
        "l.status IN ({}) AND s.status IN ({})",
        quoted(&ListingStatus::public_names()),
        quoted(&ShopStatus::public_names())
    ));
    let mut text_param = None;
    if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let p = f.param(Bind::Text(text.to_owned()));
        f.and(format!(
            "(l.search_doc @@ websearch_to_tsquery('simple', krafto_fold({p})) OR krafto_fold({p}) <% l.search_text)"
        ));
        text_param = Some(p);
    }
    if let Some(c) = q.category {
        let p = f.param(Bind::Uuid(c));
        f.and(format!(
            "l.category_id IN (WITH RECURSIVE sub(id) AS (SELECT id FROM categories WHERE id = {p} \
             UNION ALL SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub)"
        ));
    }
    if let Some(v) = q.price_min {
        let p = f.param(Bind::I64(v));
        f.and(format!("l.price_minor >= {p}"));
    }
    if let Some(v) = q.price_max {
        let p = f.param(Bind::I64(v));
        f.and(format!("l.price_minor <= {p}"));
    }
    if let Some(v) = q.rating_min {
        let p = f.param(Bind::F64(v));
        f.and(format!("coalesce(l.rating_avg, 0)::float8 >= {p}"));
    }
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
        // A bounding box the index can use, then the exact great-circle distance.
        f.and(format!(
            "s.latitude BETWEEN {lat} - {r} / 111.0 AND {lat} + {r} / 111.0 \
             AND 2 * 6371 * asin(sqrt(power(sin(radians(s.latitude - {lat}) / 2), 2) \
             + cos(radians({lat})) * cos(radians(s.latitude)) * power(sin(radians(s.longitude - {lon}) / 2), 2))) <= {r}"
        ));
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
        f.and("l.status = 'active'".to_owned());
    }
    if q.verified_only {
        f.and("s.verified".to_owned());
    }
    (f, text_param)
}

/// The sort key (as float8, for the cursor) and whether it descends.
fn sort_key(sort: Sort, text: Option<&str>) -> (String, bool) {
    match (sort, text) {
        (Sort::Relevance, Some(p)) => (
            format!(
                "(ts_rank_cd(l.search_doc, websearch_to_tsquery('simple', krafto_fold({p}))) \
                 + word_similarity(krafto_fold({p}), l.search_text))::float8"
            ),
            true,
        ),
        (Sort::Relevance | Sort::Newest, _) => {
            ("extract(epoch FROM l.created_at)::float8".to_owned(), true)
        }
        (Sort::PriceAsc, _) => ("l.price_minor::float8".to_owned(), false),
        (Sort::PriceDesc, _) => ("l.price_minor::float8".to_owned(), true),
        (Sort::TopRated, _) => ("coalesce(l.rating_avg, 0)::float8".to_owned(), true),
        (Sort::Trending, _) => ("l.trending_score".to_owned(), true),
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
struct FacetRow {
    #[diesel(sql_type = Nullable<SqlUuid>)]
    category_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Int4>)]
    band: Option<i32>,
    #[diesel(sql_type = Int4)]
    by_category: i32,
    #[diesel(sql_type = Int8)]
    n: i64,
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
    async fn run(
        &self,
        tenant: Uuid,
        q: &SearchQuery,
        minor_per_major: i64,
    ) -> Result<SearchPage, SearchError> {
        let limit = q.limit.clamp(1, 100);
        let (mut f, text) = filter_of(tenant, q);
        let facet_filter = f.sql();
        let facet_binds = f.binds.len();
        let (key, desc) = sort_key(q.sort, text.as_deref());
        if let Some(c) = q.cursor {
            let k = f.param(Bind::F64(c.key));
            let id = f.param(Bind::Uuid(c.id));
            let op = if desc { "<" } else { ">" };
            f.and(format!("({key}, l.id) {op} ({k}, {id})"));
        }
        let dir = if desc { "DESC" } else { "ASC" };
        let hits_sql = format!(
            "SELECT l.id, l.title, l.price_minor, l.currency, l.photos->0->>'url' AS photo_url, \
             l.photos->0->>'alt' AS photo_alt, s.id AS shop_id, s.slug AS shop_slug, s.name AS shop_name, \
             s.verified, s.city, s.region, s.country, l.rating_avg::float8 AS rating, l.rating_count, \
             (l.status = 'active') AS in_stock, l.category_id, l.created_at, {key} AS sort_key \
             {FROM} WHERE {} ORDER BY {key} {dir}, l.id {dir} LIMIT {}",
            f.sql(),
            limit + 1
        );
        let facets_sql = format!(
            "SELECT l.category_id, {band} AS band, GROUPING(l.category_id) AS by_category, count(*) AS n \
             {FROM} WHERE {facet_filter} GROUP BY GROUPING SETS ((l.category_id), ({band}))",
            band = band_expr(minor_per_major)
        );
        let facet_query = Filter {
            conditions: vec![],
            binds: f.binds[..facet_binds].to_vec(),
        }
        .query(facets_sql);

        let mut tx = self.db.tenant(tenant).await?;
        let mut rows: Vec<HitRow> = f
            .query(hits_sql)
            .load(&mut *tx)
            .await
            .map_err(DbError::from)?;
        let facet_rows: Vec<FacetRow> = facet_query.load(&mut *tx).await.map_err(DbError::from)?;
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
        let mut facets = Facets::default();
        let mut total = 0;
        let mut bands = vec![0i64; PRICE_BANDS_MAJOR.len()];
        for r in facet_rows {
            if r.by_category == 0 {
                total += r.n;
                if let Some(c) = r.category_id {
                    facets.categories.push(CategoryCount {
                        category_id: c,
                        count: r.n,
                    });
                }
            } else if let Some(b) = r
                .band
                .and_then(|b| usize::try_from(b).ok())
                .filter(|b| *b < bands.len())
            {
                bands[b] += r.n;
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
        let hits = rows
            .into_iter()
            .map(|r| Hit {
                listing_id: r.id,
                title: r.title,
                price_minor: r.price_minor,
                currency: r.currency,
                photo_url: r.photo_url,
                photo_alt: r.photo_alt,
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
        tenant: Uuid,
        query: &'a SearchQuery,
        minor_per_major: i64,
    ) -> BoxFuture<'a, Result<SearchPage, SearchError>> {
        self.run(tenant, query, minor_per_major).boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_filter_binds_its_values_and_the_cursor_is_not_part_of_the_facets() {
        let q = SearchQuery {
            text: Some("bol".into()),
            price_min: Some(100),
            price_max: Some(900),
            tags: vec!["wood".into()],
            in_stock_only: true,
            ..SearchQuery::default()
        };
        let (f, text) = filter_of(Uuid::nil(), &q);
        assert_eq!(text.as_deref(), Some("$2"));
        assert_eq!(f.binds.len(), 5);
        let sql = f.sql();
        assert!(
            sql.starts_with("l.tenant_id = $1 AND s.tenant_id = $1 AND l.status IN ('active', 'out_of_stock') AND s.status IN ('active')"),
            "{sql}"
        );
        assert!(sql.contains("l.price_minor >= $3") && sql.contains("l.price_minor <= $4"));
        assert!(sql.contains("l.tags @> $5::text[]"));
        assert!(sql.contains("l.status = 'active'"));
    }

    #[test]
    fn price_bands_scale_with_the_currency() {
        assert_eq!(
            band_expr(100),
            "CASE WHEN l.price_minor >= 25000 THEN 4 WHEN l.price_minor >= 10000 THEN 3 WHEN l.price_minor >= 5000 THEN 2 WHEN l.price_minor >= 2000 THEN 1 ELSE 0 END"
        );
    }
}
