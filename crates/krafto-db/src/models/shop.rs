use crate::schema::{shop_verifications, shops};
use crate::{DbResult, TenantTx};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use krafto_core::catalog::{ShopStatus, VerificationStatus};
use uuid::Uuid;

/// A seller's shop in one marketplace.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = shops, check_for_backend(diesel::pg::Pg))]
pub struct Shop {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub owner_id: Uuid,
    pub slug: String,
    pub name: String,
    pub story: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub profile_image_url: Option<String>,
    pub banner_url: Option<String>,
    pub social_links: serde_json::Value,
    pub return_policy: Option<String>,
    pub processing_days_min: Option<i32>,
    pub processing_days_max: Option<i32>,
    pub languages: Vec<String>,
    pub status: ShopStatus,
    pub status_reason: Option<String>,
    pub verified: bool,
    pub rating_count: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The uploaded logo and banner (krafto-media's `StoredImage` as JSON).
    pub logo_image: Option<serde_json::Value>,
    pub banner_image: Option<serde_json::Value>,
}

/// Which uploaded picture of a shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShopImage {
    Logo,
    Banner,
}

/// The editable profile of a shop (create and update write all of it).
#[derive(Debug, Clone, Default, Insertable, AsChangeset)]
#[diesel(table_name = shops, treat_none_as_null = true)]
pub struct ShopProfile {
    pub name: String,
    pub story: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub profile_image_url: Option<String>,
    pub banner_url: Option<String>,
    pub social_links: serde_json::Value,
    pub return_policy: Option<String>,
    pub processing_days_min: Option<i32>,
    pub processing_days_max: Option<i32>,
    pub languages: Vec<String>,
}

impl Shop {
    /// Sets (or with `None` removes) a shop's uploaded logo or banner.
    pub async fn set_image(
        tx: &mut TenantTx,
        id: Uuid,
        which: ShopImage,
        image: Option<serde_json::Value>,
    ) -> DbResult<Shop> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        let target = shops::table
            .filter(shops::tenant_id.eq(tenant_id))
            .filter(shops::id.eq(id));
        let now = shops::updated_at.eq(Utc::now());
        let q = match which {
            ShopImage::Logo => {
                diesel::update(target)
                    .set((shops::logo_image.eq(image), now))
                    .returning(Shop::as_returning())
                    .get_result(conn)
                    .await?
            }
            ShopImage::Banner => {
                diesel::update(target)
                    .set((shops::banner_image.eq(image), now))
                    .returning(Shop::as_returning())
                    .get_result(conn)
                    .await?
            }
        };
        Ok(q)
    }

    pub async fn create(
        tx: &mut TenantTx,
        owner_id: Uuid,
        slug: &str,
        profile: &ShopProfile,
    ) -> DbResult<Shop> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        Ok(diesel::insert_into(shops::table)
            .values((
                shops::tenant_id.eq(tenant_id),
                shops::id.eq(Uuid::now_v7()),
                shops::owner_id.eq(owner_id),
                shops::slug.eq(slug),
                profile,
            ))
            .returning(Shop::as_returning())
            .get_result(conn)
            .await?)
    }

    pub async fn find(tx: &mut TenantTx, id: Uuid) -> DbResult<Shop> {
        let conn = crate::tx::conn(tx);
        Ok(shops::table
            .filter(shops::id.eq(id))
            .select(Shop::as_select())
            .first(conn)
            .await?)
    }

    pub async fn find_for_update(tx: &mut TenantTx, id: Uuid) -> DbResult<Shop> {
        let conn = crate::tx::conn(tx);
        Ok(shops::table
            .filter(shops::id.eq(id))
            .select(Shop::as_select())
            .for_update()
            .first(conn)
            .await?)
    }

    /// Live shops to feature: verified first, then the most recently active.
    pub async fn featured(tx: &mut TenantTx, limit: i64) -> DbResult<Vec<Shop>> {
        let conn = crate::tx::conn(tx);
        Ok(shops::table
            .filter(shops::status.eq(ShopStatus::Active))
            .order((shops::verified.desc(), shops::updated_at.desc()))
            .limit(limit)
            .select(Shop::as_select())
            .load(conn)
            .await?)
    }

    /// Whether the marketplace has any shop at all.
    pub async fn any(tx: &mut TenantTx) -> DbResult<bool> {
        let conn = crate::tx::conn(tx);
        Ok(
            diesel::select(diesel::dsl::exists(shops::table.select(shops::id)))
                .get_result(conn)
                .await?,
        )
    }

    /// The owners' e-mail addresses of these shops, by shop id.
    pub async fn owner_emails(tx: &mut TenantTx, ids: &[Uuid]) -> DbResult<Vec<(Uuid, String)>> {
        let conn = crate::tx::conn(tx);
        use crate::schema::users;
        Ok(shops::table
            .inner_join(
                users::table.on(users::id
                    .eq(shops::owner_id)
                    .and(users::tenant_id.eq(shops::tenant_id))),
            )
            .filter(shops::id.eq_any(ids))
            .select((shops::id, users::email))
            .load(conn)
            .await?)
    }

    /// The names of shops, by id: of `ids`, or of every shop (by name, at most `limit`)
    /// when `ids` is `None`.
    pub async fn names(
        tx: &mut TenantTx,
        ids: Option<&[Uuid]>,
        limit: i64,
    ) -> DbResult<Vec<(Uuid, String)>> {
        let conn = crate::tx::conn(tx);
        let mut q = shops::table
            .select((shops::id, shops::name))
            .order((shops::name.asc(), shops::id.asc()))
            .limit(limit)
            .into_boxed();
        if let Some(ids) = ids {
            q = q.filter(shops::id.eq_any(ids.to_vec()));
        }
        Ok(q.load(conn).await?)
    }

    pub async fn find_by_slug(tx: &mut TenantTx, slug: &str) -> DbResult<Option<Shop>> {
        let conn = crate::tx::conn(tx);
        Ok(shops::table
            .filter(shops::slug.eq(slug))
            .select(Shop::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    pub async fn of_owner(tx: &mut TenantTx, owner_id: Uuid) -> DbResult<Option<Shop>> {
        let conn = crate::tx::conn(tx);
        Ok(shops::table
            .filter(shops::owner_id.eq(owner_id))
            .select(Shop::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// The owner's shop, locked for the rest of the transaction (status moves).
    pub async fn of_owner_for_update(tx: &mut TenantTx, owner_id: Uuid) -> DbResult<Option<Shop>> {
        let conn = crate::tx::conn(tx);
        Ok(shops::table
            .filter(shops::owner_id.eq(owner_id))
            .select(Shop::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()?)
    }

    pub async fn update_profile(
        tx: &mut TenantTx,
        id: Uuid,
        profile: &ShopProfile,
    ) -> DbResult<Shop> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::update(shops::table.filter(shops::id.eq(id)))
            .set((profile, shops::updated_at.eq(Utc::now())))
            .returning(Shop::as_returning())
            .get_result(conn)
            .await?)
    }

    pub async fn set_status(
        tx: &mut TenantTx,
        id: Uuid,
        status: ShopStatus,
        reason: Option<&str>,
    ) -> DbResult<Shop> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::update(shops::table.filter(shops::id.eq(id)))
            .set((
                shops::status.eq(status),
                shops::status_reason.eq(reason),
                shops::updated_at.eq(Utc::now()),
            ))
            .returning(Shop::as_returning())
            .get_result(conn)
            .await?)
    }

    pub async fn set_verified(tx: &mut TenantTx, id: Uuid, verified: bool) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(shops::table.filter(shops::id.eq(id)))
            .set((
                shops::verified.eq(verified),
                shops::updated_at.eq(Utc::now()),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Shops awaiting review, oldest first.
    pub async fn pending_review(tx: &mut TenantTx, limit: i64) -> DbResult<Vec<Shop>> {
        let conn = crate::tx::conn(tx);
        Ok(shops::table
            .filter(shops::status.eq(ShopStatus::PendingReview))
            .order(shops::updated_at.asc())
            .limit(limit)
            .select(Shop::as_select())
            .load(conn)
            .await?)
    }
}

/// A seller's know-your-customer submission.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = shop_verifications, check_for_backend(diesel::pg::Pg))]
pub struct ShopVerification {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub shop_id: Uuid,
    pub legal_name: String,
    pub business_type: String,
    pub address: serde_json::Value,
    pub document_refs: Vec<String>,
    pub status: VerificationStatus,
    pub decision_reason: Option<String>,
    pub decided_by: Option<Uuid>,
    pub submitted_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

impl ShopVerification {
    pub async fn submit(tx: &mut TenantTx, v: &ShopVerification) -> DbResult<ShopVerification> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::insert_into(shop_verifications::table)
            .values(v)
            .returning(ShopVerification::as_returning())
            .get_result(conn)
            .await?)
    }

    pub async fn latest_of(tx: &mut TenantTx, shop_id: Uuid) -> DbResult<Option<ShopVerification>> {
        let conn = crate::tx::conn(tx);
        Ok(shop_verifications::table
            .filter(shop_verifications::shop_id.eq(shop_id))
            .order(shop_verifications::submitted_at.desc())
            .select(ShopVerification::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    pub async fn find_for_update(tx: &mut TenantTx, id: Uuid) -> DbResult<ShopVerification> {
        let conn = crate::tx::conn(tx);
        Ok(shop_verifications::table
            .filter(shop_verifications::id.eq(id))
            .select(ShopVerification::as_select())
            .for_update()
            .first(conn)
            .await?)
    }

    pub async fn decide(
        tx: &mut TenantTx,
        id: Uuid,
        status: VerificationStatus,
        reason: Option<&str>,
        by: Uuid,
    ) -> DbResult<ShopVerification> {
        let conn = crate::tx::conn(tx);
        Ok(
            diesel::update(shop_verifications::table.filter(shop_verifications::id.eq(id)))
                .set((
                    shop_verifications::status.eq(status),
                    shop_verifications::decision_reason.eq(reason),
                    shop_verifications::decided_by.eq(by),
                    shop_verifications::decided_at.eq(Utc::now()),
                ))
                .returning(ShopVerification::as_returning())
                .get_result(conn)
                .await?,
        )
    }

    pub async fn pending(tx: &mut TenantTx, limit: i64) -> DbResult<Vec<ShopVerification>> {
        let conn = crate::tx::conn(tx);
        Ok(shop_verifications::table
            .filter(shop_verifications::status.eq(VerificationStatus::Submitted))
            .order(shop_verifications::submitted_at.asc())
            .limit(limit)
            .select(ShopVerification::as_select())
            .load(conn)
            .await?)
    }
}
