//! Buyers' and guests' carts and their lines. Rules are decided in `krafto_core::commerce`; these functions only read and write rows,
//! always inside the caller's tenant-scoped transaction.

use crate::schema::{cart_lines, carts};
use crate::{DbResult, TenantTx};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// A buyer's or a guest's cart.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = carts, check_for_backend(diesel::pg::Pg))]
pub struct Cart {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub user_id: Option<Uuid>,
    pub guest_token_hash: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// A line of a cart.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = cart_lines, check_for_backend(diesel::pg::Pg))]
pub struct CartLine {
    pub id: Uuid,
    pub cart_id: Uuid,
    pub listing_id: Uuid,
    pub variant_id: Option<Uuid>,
    pub quantity: i32,
    pub added_price_minor: i64,
    pub created_at: DateTime<Utc>,
}

impl Cart {
    pub async fn of_user(tx: &mut TenantTx, user_id: Uuid) -> DbResult<Option<Cart>> {
        let conn = crate::tx::conn(tx);
        Ok(carts::table
            .filter(carts::user_id.eq(user_id))
            .select(Cart::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    pub async fn of_guest(tx: &mut TenantTx, token_hash: &str) -> DbResult<Option<Cart>> {
        let conn = crate::tx::conn(tx);
        Ok(carts::table
            .filter(carts::guest_token_hash.eq(token_hash))
            .select(Cart::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Creates a cart for a user or a guest token hash (exactly one of them), or returns the
    /// existing one when a concurrent request created it first.
    pub async fn create(
        tx: &mut TenantTx,
        user_id: Option<Uuid>,
        guest_token_hash: Option<&str>,
    ) -> DbResult<Cart> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        let inserted = diesel::insert_into(carts::table)
            .values((
                carts::tenant_id.eq(tenant_id),
                carts::id.eq(Uuid::now_v7()),
                carts::user_id.eq(user_id),
                carts::guest_token_hash.eq(guest_token_hash),
            ))
            .on_conflict_do_nothing()
            .returning(Cart::as_returning())
            .get_result(conn)
            .await
            .optional()?;
        match (inserted, user_id, guest_token_hash) {
            (Some(c), _, _) => Ok(c),
            (None, Some(u), _) => Ok(carts::table
                .filter(carts::user_id.eq(u))
                .select(Cart::as_select())
                .first(conn)
                .await?),
            (None, None, Some(h)) => Ok(carts::table
                .filter(carts::guest_token_hash.eq(h))
                .select(Cart::as_select())
                .first(conn)
                .await?),
            (None, None, None) => Err(diesel::result::Error::NotFound.into()),
        }
    }

    pub async fn lines(tx: &mut TenantTx, cart_id: Uuid) -> DbResult<Vec<CartLine>> {
        let conn = crate::tx::conn(tx);
        Ok(cart_lines::table
            .filter(cart_lines::cart_id.eq(cart_id))
            .order((cart_lines::created_at, cart_lines::id))
            .select(CartLine::as_select())
            .load(conn)
            .await?)
    }

    /// Adds `quantity` of an item (to the existing line of the same item, if any). Returns
    /// the line's new quantity.
    pub async fn add(
        tx: &mut TenantTx,
        cart_id: Uuid,
        listing_id: Uuid,
        variant_id: Option<Uuid>,
        quantity: i32,
        unit_price_minor: i64,
    ) -> DbResult<i32> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        // ON CONFLICT cannot name a NULLS NOT DISTINCT key through diesel's DSL.
        #[derive(QueryableByName)]
        struct Q {
            #[diesel(sql_type = diesel::sql_types::Int4)]
            quantity: i32,
        }
        let q: Q = diesel::sql_query(
            "INSERT INTO cart_lines (tenant_id, id, cart_id, listing_id, variant_id, quantity, added_price_minor)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (tenant_id, cart_id, listing_id, variant_id)
             DO UPDATE SET quantity = LEAST(cart_lines.quantity + EXCLUDED.quantity, 1000)
             RETURNING quantity",
        )
        .bind::<diesel::sql_types::Uuid, _>(tenant_id)
        .bind::<diesel::sql_types::Uuid, _>(Uuid::now_v7())
        .bind::<diesel::sql_types::Uuid, _>(cart_id)
        .bind::<diesel::sql_types::Uuid, _>(listing_id)
        .bind::<diesel::sql_types::Nullable<diesel::sql_types::Uuid>, _>(variant_id)
        .bind::<diesel::sql_types::Int4, _>(quantity)
        .bind::<diesel::sql_types::Int8, _>(unit_price_minor)
        .get_result(conn)
        .await?;
        Ok(q.quantity)
    }

    pub async fn set_quantity(
        tx: &mut TenantTx,
        cart_id: Uuid,
        line_id: Uuid,
        quantity: i32,
    ) -> DbResult<bool> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::update(
            cart_lines::table
                .filter(cart_lines::cart_id.eq(cart_id))
                .filter(cart_lines::id.eq(line_id)),
        )
        .set(cart_lines::quantity.eq(quantity))
        .execute(conn)
        .await?
            == 1)
    }

    pub async fn remove(tx: &mut TenantTx, cart_id: Uuid, line_id: Uuid) -> DbResult<bool> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::delete(
            cart_lines::table
                .filter(cart_lines::cart_id.eq(cart_id))
                .filter(cart_lines::id.eq(line_id)),
        )
        .execute(conn)
        .await?
            == 1)
    }

    /// Removes the lines of these items (bought in a checkout), in one statement.
    pub async fn remove_items(
        tx: &mut TenantTx,
        cart_id: Uuid,
        items: &[(Uuid, Option<Uuid>)],
    ) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        let (listings, variants): (Vec<Uuid>, Vec<Option<Uuid>>) = items.iter().copied().unzip();
        diesel::sql_query(
            "DELETE FROM cart_lines c USING unnest($2::uuid[], $3::uuid[]) AS b(listing_id, variant_id)
              WHERE c.cart_id = $1 AND c.listing_id = b.listing_id
                AND c.variant_id IS NOT DISTINCT FROM b.variant_id",
        )
        .bind::<diesel::sql_types::Uuid, _>(cart_id)
        .bind::<diesel::sql_types::Array<diesel::sql_types::Uuid>, _>(listings)
        .bind::<diesel::sql_types::Array<diesel::sql_types::Nullable<diesel::sql_types::Uuid>>, _>(
            variants,
        )
        .execute(conn)
        .await?;
        Ok(())
    }

    /// Moves every line of `from` into `into` (adding quantities of the same item) and
    /// deletes `from`.
    pub async fn merge(tx: &mut TenantTx, from: Uuid, into: Uuid) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::sql_query(
            "INSERT INTO cart_lines (tenant_id, id, cart_id, listing_id, variant_id, quantity, added_price_minor, created_at)
             SELECT tenant_id, gen_random_uuid(), $2, listing_id, variant_id, quantity, added_price_minor, created_at
               FROM cart_lines WHERE cart_id = $1
             ON CONFLICT (tenant_id, cart_id, listing_id, variant_id)
             DO UPDATE SET quantity = LEAST(cart_lines.quantity + EXCLUDED.quantity, 1000)",
        )
        .bind::<diesel::sql_types::Uuid, _>(from)
        .bind::<diesel::sql_types::Uuid, _>(into)
        .execute(conn)
        .await?;
        diesel::delete(carts::table.filter(carts::id.eq(from)))
            .execute(conn)
            .await?;
        Ok(())
    }

    pub async fn touch(tx: &mut TenantTx, cart_id: Uuid) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(carts::table.filter(carts::id.eq(cart_id)))
            .set(carts::updated_at.eq(diesel::dsl::now))
            .execute(conn)
            .await?;
        Ok(())
    }
}
