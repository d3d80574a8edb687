//! Keeping the OpenSearch index in step with Postgres through the transactional outbox.
//!
//! Every change to something a search document shows (a listing, its shop, the category
//! tree) announces itself with [`announce`] in the transaction that makes the change; the
//! worker then hands the message to [`Indexer::sync`], which reads the *current* rows inside
//! the tenant's own transaction (row-level security applies, as for any request) and writes
//! them to the index, or deletes the documents of listings buyers may no longer see. Reading
//! the current state makes a message idempotent and lets messages arrive in any order; the
//! external version written with each document (the reading transaction's start, in
//! microseconds) keeps an older snapshot from overwriting a newer one.
//!
//! Never build documents from anything but the rows read here: the visibility rule is
//! `krafto_core::catalog::visible_to_buyers`, the same one Postgres search applies.

use crate::SearchError;
use crate::opensearch::{BulkReport, DocOp, GeoPoint, ListingDoc, OpenSearch};
use diesel::QueryableByName;
use diesel::sql_types::{
    Array, Bool, Float8, Int4, Int8, Nullable, Text, Timestamptz, Uuid as SqlUuid,
};
use krafto_core::catalog::{ListingStatus, ShopStatus, visible_to_buyers};
use krafto_db::models::OutboxMessage;
use krafto_db::{Db, DbResult, DbRole};
use krafto_db::{TenantScope, TenantTx};
use serde_json::{Value, json};
use uuid::Uuid;

/// One listing changed: `{"listing_id": …}`.
pub const LISTING_KIND: &str = "search.listing";
/// A shop changed (status, profile, verification): all its listings, `{"shop_id": …}`.
pub const SHOP_KIND: &str = "search.shop";
/// A category moved in the tree: every listing below it, `{"category_id": …}`.
pub const CATEGORY_KIND: &str = "search.category";
/// Everything of the tenant (first indexing, a new index): `{}`.
pub const TENANT_KIND: &str = "search.tenant";
/// Every kind [`Indexer::sync`] handles.
pub const KINDS: &[&str] = &[LISTING_KIND, SHOP_KIND, CATEGORY_KIND, TENANT_KIND];

/// Listings read and written per round.
const PAGE: i64 = 500;

/// What a sync message covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncTarget {
    Listing(Uuid),
    Shop(Uuid),
    Category(Uuid),
    Tenant,
}

impl SyncTarget {
    pub fn kind(self) -> &'static str {
        match self {
            SyncTarget::Listing(_) => LISTING_KIND,
            SyncTarget::Shop(_) => SHOP_KIND,
            SyncTarget::Category(_) => CATEGORY_KIND,
            SyncTarget::Tenant => TENANT_KIND,
        }
    }

    pub fn payload(self) -> Value {
        match self {
            SyncTarget::Listing(id) => json!({ "listing_id": id }),
            SyncTarget::Shop(id) => json!({ "shop_id": id }),
            SyncTarget::Category(id) => json!({ "category_id": id }),
            SyncTarget::Tenant => json!({}),
        }
    }

    /// Reads a message back; the error says what is wrong with it.
    pub fn parse(kind: &str, payload: &Value) -> Result<SyncTarget, String> {
        let id = |field: &str| {
            payload[field]
                .as_str()
                .and_then(|s| s.parse::<Uuid>().ok())
                .ok_or_else(|| format!("`{kind}` message without a valid `{field}`: {payload}"))
        };
        match kind {
            LISTING_KIND => id("listing_id").map(SyncTarget::Listing),
            SHOP_KIND => id("shop_id").map(SyncTarget::Shop),
            CATEGORY_KIND => id("category_id").map(SyncTarget::Category),
            TENANT_KIND => Ok(SyncTarget::Tenant),
            other => Err(format!("`{other}` is not a search sync kind")),
        }
    }
}

/// Announces a change to the index, in the caller's (tenant-scoped) transaction.
pub async fn announce(tx: &mut TenantTx, target: SyncTarget) -> DbResult<()> {
    OutboxMessage::enqueue(tx, target.kind(), target.payload()).await?;
    Ok(())
}

/// Announces changes to several listings at once (an import).
pub async fn announce_listings(tx: &mut TenantTx, listing_ids: &[Uuid]) -> DbResult<()> {
    OutboxMessage::enqueue_many(
        tx,
        LISTING_KIND,
        listing_ids
            .iter()
            .map(|id| SyncTarget::Listing(*id).payload())
            .collect(),
    )
    .await?;
    Ok(())
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Int8)]
    v: i64,
}

#[derive(QueryableByName)]
struct DocRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Text)]
    description: String,
    #[diesel(sql_type = Array<Text>)]
    tags: Vec<String>,
    #[diesel(sql_type = Array<Text>)]
    materials: Vec<String>,
    #[diesel(sql_type = Nullable<Text>)]
    style: Option<String>,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Text)]
    shop_status: String,
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
    latitude: Option<f64>,
    #[diesel(sql_type = Nullable<Float8>)]
    longitude: Option<f64>,
    #[diesel(sql_type = Int8)]
    price_minor: i64,
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = Nullable<Float8>)]
    rating: Option<f64>,
    #[diesel(sql_type = Int4)]
    rating_count: i32,
    #[diesel(sql_type = Float8)]
    trending_score: f64,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    category_id: Option<Uuid>,
    #[diesel(sql_type = Array<SqlUuid>)]
    category_path: Vec<Uuid>,
    #[diesel(sql_type = Timestamptz)]
    created_at: chrono::DateTime<chrono::Utc>,
    #[diesel(sql_type = Nullable<Text>)]
    photo_url: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    photo_alt: Option<String>,
}

fn scope_sql(target: SyncTarget) -> &'static str {
    match target {
        SyncTarget::Listing(_) => "l.id = $1",
        SyncTarget::Shop(_) => "l.shop_id = $1",
        SyncTarget::Category(_) => {
            "l.category_id IN (WITH RECURSIVE sub(id, depth) AS ( \
                 SELECT id, 0 FROM categories WHERE id = $1 \
                 UNION ALL SELECT c.id, sub.depth + 1 FROM categories c JOIN sub ON c.parent_id = sub.id \
                 WHERE sub.depth < 32) SELECT id FROM sub)"
        }
        SyncTarget::Tenant => "$1::uuid IS NOT NULL",
    }
}

fn target_id(target: SyncTarget) -> Uuid {
    match target {
        SyncTarget::Listing(id) | SyncTarget::Shop(id) | SyncTarget::Category(id) => id,
        SyncTarget::Tenant => Uuid::nil(),
    }
}

/// The rows of one page of `target`'s listings (every status), by id after `after`.
fn page_sql(target: SyncTarget) -> String {
    format!(
        "SELECT l.id, l.title, l.description, l.tags, l.materials, l.style, l.status, \
         s.status AS shop_status, s.id AS shop_id, s.slug AS shop_slug, s.name AS shop_name, \
         s.verified, s.city, s.region, s.country, s.latitude, s.longitude, l.price_minor, \
         l.currency, l.rating_avg::float8 AS rating, l.rating_count, l.trending_score, \
         l.category_id, \
         ARRAY(WITH RECURSIVE up(id, parent_id, depth) AS ( \
                 SELECT c.id, c.parent_id, 0 FROM categories c \
                 WHERE c.tenant_id = l.tenant_id AND c.id = l.category_id \
                 UNION ALL SELECT c.id, c.parent_id, up.depth + 1 FROM categories c JOIN up \
                 ON c.tenant_id = l.tenant_id AND c.id = up.parent_id WHERE up.depth < 32) \
               SELECT id FROM up ORDER BY depth) AS category_path, \
         l.created_at, l.photos->0->>'url' AS photo_url, l.photos->0->>'alt' AS photo_alt \
         FROM listings l JOIN shops s ON s.tenant_id = l.tenant_id AND s.id = l.shop_id \
         WHERE {} AND l.id > $2 ORDER BY l.id LIMIT {PAGE}",
        scope_sql(target)
    )
}

fn visible(row: &DocRow) -> bool {
    match (
        ListingStatus::parse(&row.status),
        ShopStatus::parse(&row.shop_status),
    ) {
        (Ok(l), Ok(s)) => visible_to_buyers(l, s),
        _ => false,
    }
}

fn doc_of(tenant: Uuid, r: DocRow) -> ListingDoc {
    let location = match (r.latitude, r.longitude) {
        (Some(lat), Some(lon)) => Some(GeoPoint { lat, lon }),
        _ => None,
    };
    ListingDoc {
        tenant_id: tenant,
        listing_id: r.id,
        in_stock: r.status == ListingStatus::Active.as_str(),
        title: r.title,
        description: r.description,
        tags: r.tags,
        materials: r.materials,
        style: r.style,
        shop_id: r.shop_id,
        shop_slug: r.shop_slug,
        shop_name: r.shop_name,
        verified: r.verified,
        city: r.city,
        region: r.region,
        country: r.country,
        location,
        price_minor: r.price_minor,
        currency: r.currency,
        rating: r.rating,
        rating_rank: r.rating.unwrap_or(0.0),
        rating_count: r.rating_count,
        trending_score: r.trending_score,
        category_id: r.category_id,
        category_path: r.category_path,
        created_at: r.created_at,
        photo_url: r.photo_url,
        photo_alt: r.photo_alt,
    }
}

/// Builds the writes for one page of `target` inside `tenant`'s transaction; returns them
/// and the last listing id read (`None` when the page was the last).
pub async fn load_page(
    db: &Db,
    scope: &TenantScope,
    target: SyncTarget,
    after: Uuid,
) -> DbResult<(Vec<DocOp>, Option<Uuid>)> {
    let tenant = scope.id().get();
    let mut tx = db.tenant(scope).await?;
    let version: Version = tx
        .fetch_one(diesel::sql_query(
            "SELECT (extract(epoch FROM now()) * 1000000)::int8 AS v",
        ))
        .await?;
    let rows: Vec<DocRow> = tx
        .fetch_all(
            diesel::sql_query(page_sql(target))
                .bind::<SqlUuid, _>(target_id(target))
                .bind::<SqlUuid, _>(after),
        )
        .await?;
    tx.commit().await?;
    let full = i64::try_from(rows.len()).unwrap_or(i64::MAX) >= PAGE;
    let last = rows.last().map(|r| r.id);
    let mut ops: Vec<DocOp> = rows
        .into_iter()
        .map(|r| {
            if visible(&r) {
                DocOp::Index {
                    doc: Box::new(doc_of(tenant, r)),
                    version: version.v,
                }
            } else {
                DocOp::Delete {
                    listing_id: r.id,
                    version: version.v,
                }
            }
        })
        .collect();
    // A listing that is gone (deleted, or never of this tenant) leaves no document behind.
    if let SyncTarget::Listing(id) = target
        && ops.is_empty()
    {
        ops.push(DocOp::Delete {
            listing_id: id,
            version: version.v,
        });
    }
    Ok((ops, if full { last } else { None }))
}

/// Writes what sync messages announce to an OpenSearch index.
#[derive(Debug)]
pub struct Indexer {
    db: Db,
    engine: OpenSearch,
    index_ready: tokio::sync::OnceCell<()>,
}

impl Indexer {
    /// `db` must be a platform-role pool (`DbRole::App`): documents are read inside the
    /// tenant's row-level-security scope, never around it.
    pub fn new(db: Db, engine: OpenSearch) -> Result<Self, SearchError> {
        if db.role() != DbRole::App {
            return Err(SearchError::Backend(format!(
                "the search indexer reads tenant data and needs a krafto_app pool \
                 (DbRole::App), not {}",
                db.role().name()
            )));
        }
        Ok(Self {
            db,
            engine,
            index_ready: tokio::sync::OnceCell::new(),
        })
    }

    pub fn engine(&self) -> &OpenSearch {
        &self.engine
    }

    /// Brings the index in line with the current rows of `target` in `tenant`.
    pub async fn sync(
        &self,
        scope: &TenantScope,
        target: SyncTarget,
    ) -> Result<BulkReport, SearchError> {
        let tenant = scope.id().get();
        self.index_ready
            .get_or_try_init(|| async { self.engine.ensure_index().await.map(|_| ()) })
            .await?;
        let mut total = BulkReport::default();
        let mut after = Uuid::nil();
        loop {
            let (ops, next) = load_page(&self.db, scope, target, after).await?;
            if !ops.is_empty() {
                let r = self.engine.bulk(tenant, &ops).await?;
                total.indexed += r.indexed;
                total.deleted += r.deleted;
                total.stale += r.stale;
            }
            match next {
                Some(id) => after = id,
                None => break,
            }
        }
        tracing::debug!(
            tenant.id = %tenant,
            kind = target.kind(),
            indexed = total.indexed,
            deleted = total.deleted,
            stale = total.stale,
            "search index synced"
        );
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_round_trip_through_messages_and_junk_is_named() {
        let id = Uuid::now_v7();
        for t in [
            SyncTarget::Listing(id),
            SyncTarget::Shop(id),
            SyncTarget::Category(id),
            SyncTarget::Tenant,
        ] {
            assert_eq!(SyncTarget::parse(t.kind(), &t.payload()), Ok(t));
        }
        let e = SyncTarget::parse(LISTING_KIND, &json!({ "listing_id": "x" })).unwrap_err();
        assert!(e.contains("listing_id"), "{e}");
        assert!(SyncTarget::parse("mail.send", &json!({})).is_err());
    }
}
