//! Commerce persistence: payout accounts, shipping options, carts, checkouts, orders, the
//! ledger, transfers, refunds and the webhook log. Rules (prices, moves, splits) are decided
//! in `krafto_core::commerce`; these functions only read and write rows, always inside the
//! caller's tenant-scoped transaction.

use crate::schema::{
    cart_lines, carts, checkouts, ledger_entries, listing_variants, listings, order_counters,
    order_events, order_lines, orders, payment_accounts, refunds, seller_accounts,
    shipping_options, transfers, webhook_events,
};
use crate::{AnyTx, DbResult, TenantTx};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// Routes a connected account's events to its marketplace (control-plane table).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = payment_accounts, check_for_backend(diesel::pg::Pg))]
pub struct PaymentAccount {
    pub account_id: String,
    pub tenant_id: Uuid,
    pub holder: String,
    pub created_at: DateTime<Utc>,
}

impl PaymentAccount {
    /// Routes `account_id`'s events to the marketplace of the transaction.
    pub async fn register(tx: &mut TenantTx, account_id: &str, holder: &str) -> DbResult<()> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        diesel::insert_into(payment_accounts::table)
            .values((
                payment_accounts::account_id.eq(account_id),
                payment_accounts::tenant_id.eq(tenant_id),
                payment_accounts::holder.eq(holder),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        Ok(())
    }

    pub async fn find(tx: &mut impl AnyTx, account_id: &str) -> DbResult<Option<PaymentAccount>> {
        let conn = crate::tx::conn(tx);
        Ok(payment_accounts::table
            .find(account_id)
            .select(PaymentAccount::as_select())
            .first(conn)
            .await
            .optional()?)
    }
}

/// A connected account's readiness as last reported.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccountReadiness {
    pub charges_enabled: bool,
    pub payouts_enabled: bool,
    pub details_submitted: bool,
    pub requirements: Vec<String>,
}

/// A seller's Express account.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = seller_accounts, check_for_backend(diesel::pg::Pg))]
pub struct SellerAccount {
    pub tenant_id: Uuid,
    pub shop_id: Uuid,
    pub account_id: String,
    pub charges_enabled: bool,
    pub payouts_enabled: bool,
    pub details_submitted: bool,
    pub requirements: Vec<String>,
    pub state_at: i64,
    pub updated_at: DateTime<Utc>,
}

impl SellerAccount {
    /// Whether buyers may pay this seller.
    pub fn ready(&self) -> bool {
        self.charges_enabled && self.payouts_enabled
    }

    pub async fn of_shop(tx: &mut TenantTx, shop_id: Uuid) -> DbResult<Option<SellerAccount>> {
        let conn = crate::tx::conn(tx);
        Ok(seller_accounts::table
            .filter(seller_accounts::shop_id.eq(shop_id))
            .select(SellerAccount::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    pub async fn of_shops(tx: &mut TenantTx, shop_ids: &[Uuid]) -> DbResult<Vec<SellerAccount>> {
        let conn = crate::tx::conn(tx);
        Ok(seller_accounts::table
            .filter(seller_accounts::shop_id.eq_any(shop_ids))
            .select(SellerAccount::as_select())
            .load(conn)
            .await?)
    }

    /// The shops among `shop_ids` whose sellers can be paid.
    pub async fn ready_shops(tx: &mut TenantTx, shop_ids: &[Uuid]) -> DbResult<Vec<Uuid>> {
        let conn = crate::tx::conn(tx);
        Ok(seller_accounts::table
            .filter(seller_accounts::shop_id.eq_any(shop_ids))
            .filter(seller_accounts::charges_enabled)
            .filter(seller_accounts::payouts_enabled)
            .select(seller_accounts::shop_id)
            .load(conn)
            .await?)
    }

    pub async fn create(
        tx: &mut TenantTx,
        shop_id: Uuid,
        account_id: &str,
        readiness: &AccountReadiness,
    ) -> DbResult<SellerAccount> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        Ok(diesel::insert_into(seller_accounts::table)
            .values((
                seller_accounts::tenant_id.eq(tenant_id),
                seller_accounts::shop_id.eq(shop_id),
                seller_accounts::account_id.eq(account_id),
                seller_accounts::charges_enabled.eq(readiness.charges_enabled),
                seller_accounts::payouts_enabled.eq(readiness.payouts_enabled),
                seller_accounts::details_submitted.eq(readiness.details_submitted),
                seller_accounts::requirements.eq(&readiness.requirements),
            ))
            .returning(SellerAccount::as_returning())
            .get_result(conn)
            .await?)
    }

    /// Applies a reported state unless a newer one (by provider timestamp) was applied
    /// already. Returns whether it was applied.
    pub async fn apply(
        tx: &mut TenantTx,
        account_id: &str,
        readiness: &AccountReadiness,
        state_at: i64,
    ) -> DbResult<bool> {
        let conn = crate::tx::conn(tx);
        let n = diesel::update(
            seller_accounts::table
                .filter(seller_accounts::account_id.eq(account_id))
                .filter(seller_accounts::state_at.le(state_at)),
        )
        .set((
            seller_accounts::charges_enabled.eq(readiness.charges_enabled),
            seller_accounts::payouts_enabled.eq(readiness.payouts_enabled),
            seller_accounts::details_submitted.eq(readiness.details_submitted),
            seller_accounts::requirements.eq(&readiness.requirements),
            seller_accounts::state_at.eq(state_at),
            seller_accounts::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
        Ok(n == 1)
    }
}

/// A shop's delivery option.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = shipping_options, check_for_backend(diesel::pg::Pg))]
pub struct ShippingOption {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub shop_id: Uuid,
    pub name: String,
    pub base_minor: i64,
    pub per_item_minor: i64,
    pub days_min: i32,
    pub days_max: i32,
    pub position: i32,
}

impl ShippingOption {
    pub async fn of_shops(tx: &mut TenantTx, shop_ids: &[Uuid]) -> DbResult<Vec<ShippingOption>> {
        let conn = crate::tx::conn(tx);
        Ok(shipping_options::table
            .filter(shipping_options::shop_id.eq_any(shop_ids))
            .order((shipping_options::shop_id, shipping_options::position))
            .select(ShippingOption::as_select())
            .load(conn)
            .await?)
    }

    /// Replaces a shop's options with `options` (ids kept where given so carts' choices hold).
    pub async fn replace(
        tx: &mut TenantTx,
        shop_id: Uuid,
        options: &[ShippingOption],
    ) -> DbResult<Vec<ShippingOption>> {
        let conn = crate::tx::conn(tx);
        diesel::delete(shipping_options::table.filter(shipping_options::shop_id.eq(shop_id)))
            .execute(conn)
            .await?;
        if options.is_empty() {
            return Ok(Vec::new());
        }
        Ok(diesel::insert_into(shipping_options::table)
            .values(options)
            .returning(ShippingOption::as_returning())
            .get_results(conn)
            .await?)
    }
}

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

/// Stock moves for checkouts: reserving is one conditional update per item, so concurrent
/// checkouts can never take more than there is.
#[derive(Debug)]
pub struct Stock;

impl Stock {
    /// Takes `quantity` units of a listing (and of its variant). Returns the listing's
    /// remaining quantity, or `None` when there are not enough (nothing is taken then).
    pub async fn reserve(
        tx: &mut TenantTx,
        listing_id: Uuid,
        variant_id: Option<Uuid>,
        quantity: i32,
    ) -> DbResult<Option<i32>> {
        let conn = crate::tx::conn(tx);
        if let Some(v) = variant_id {
            let taken = diesel::update(
                listing_variants::table
                    .filter(listing_variants::id.eq(v))
                    .filter(listing_variants::listing_id.eq(listing_id))
                    .filter(listing_variants::quantity.ge(quantity)),
            )
            .set(listing_variants::quantity.eq(listing_variants::quantity - quantity))
            .execute(conn)
            .await?;
            if taken == 0 {
                return Ok(None);
            }
        }
        Ok(diesel::update(
            listings::table
                .filter(listings::id.eq(listing_id))
                .filter(listings::quantity.ge(quantity)),
        )
        .set(listings::quantity.eq(listings::quantity - quantity))
        .returning(listings::quantity)
        .get_result(conn)
        .await
        .optional()?)
    }

    /// Gives back reserved units. Returns the listing's new quantity.
    pub async fn release(
        tx: &mut TenantTx,
        listing_id: Uuid,
        variant_id: Option<Uuid>,
        quantity: i32,
    ) -> DbResult<Option<i32>> {
        let conn = crate::tx::conn(tx);
        if let Some(v) = variant_id {
            diesel::update(listing_variants::table.filter(listing_variants::id.eq(v)))
                .set(listing_variants::quantity.eq(listing_variants::quantity + quantity))
                .execute(conn)
                .await?;
        }
        Ok(
            diesel::update(listings::table.filter(listings::id.eq(listing_id)))
                .set(listings::quantity.eq(listings::quantity + quantity))
                .returning(listings::quantity)
                .get_result(conn)
                .await
                .optional()?,
        )
    }
}

/// A checkout, as stored.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = checkouts, check_for_backend(diesel::pg::Pg))]
pub struct Checkout {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub cart_id: Uuid,
    pub buyer_id: Option<Uuid>,
    pub email: String,
    pub phone: Option<String>,
    pub address: serde_json::Value,
    pub currency: String,
    pub items_minor: i64,
    pub shipping_minor: i64,
    pub buyer_fee_minor: i64,
    pub total_minor: i64,
    pub commission_bps: i32,
    pub platform_fee_bps: i32,
    pub buyer_fee_bps: i32,
    pub plan: serde_json::Value,
    pub status: String,
    pub gateway: String,
    pub payment_id: Option<String>,
    pub client_secret: Option<String>,
    pub idempotency_key: String,
    pub request_hash: String,
    pub failure_reason: Option<String>,
    pub expires_at: DateTime<Utc>,
    pub payment_state_at: i64,
    pub created_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
}

/// A checkout to create.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = checkouts)]
pub struct NewCheckout {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub cart_id: Uuid,
    pub buyer_id: Option<Uuid>,
    pub email: String,
    pub phone: Option<String>,
    pub address: serde_json::Value,
    pub currency: String,
    pub items_minor: i64,
    pub shipping_minor: i64,
    pub buyer_fee_minor: i64,
    pub total_minor: i64,
    pub commission_bps: i32,
    pub platform_fee_bps: i32,
    pub buyer_fee_bps: i32,
    pub plan: serde_json::Value,
    pub gateway: String,
    pub idempotency_key: String,
    pub request_hash: String,
    pub expires_at: DateTime<Utc>,
}

impl Checkout {
    /// Inserts, or returns `None` when the idempotency key is taken (the caller then reads
    /// the existing checkout).
    pub async fn insert(tx: &mut TenantTx, new: &NewCheckout) -> DbResult<Option<Checkout>> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::insert_into(checkouts::table)
            .values(new)
            .on_conflict((checkouts::tenant_id, checkouts::idempotency_key))
            .do_nothing()
            .returning(Checkout::as_returning())
            .get_result(conn)
            .await
            .optional()?)
    }

    /// Serialises requests carrying the same idempotency key in one marketplace until the
    /// caller's transaction ends, so the second one finds the first's checkout.
    pub async fn lock_key(tx: &mut TenantTx, key: &str) -> DbResult<()> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind::<diesel::sql_types::Text, _>(format!("checkout:{tenant_id}:{key}"))
            .execute(conn)
            .await?;
        Ok(())
    }

    pub async fn find(tx: &mut TenantTx, id: Uuid) -> DbResult<Checkout> {
        let conn = crate::tx::conn(tx);
        Ok(checkouts::table
            .filter(checkouts::id.eq(id))
            .select(Checkout::as_select())
            .first(conn)
            .await?)
    }

    pub async fn find_for_update(tx: &mut TenantTx, id: Uuid) -> DbResult<Checkout> {
        let conn = crate::tx::conn(tx);
        Ok(checkouts::table
            .filter(checkouts::id.eq(id))
            .select(Checkout::as_select())
            .for_update()
            .first(conn)
            .await?)
    }

    pub async fn by_key(tx: &mut TenantTx, key: &str) -> DbResult<Option<Checkout>> {
        let conn = crate::tx::conn(tx);
        Ok(checkouts::table
            .filter(checkouts::idempotency_key.eq(key))
            .select(Checkout::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Records the created payment and opens the checkout for payment.
    pub async fn set_payment(
        tx: &mut TenantTx,
        id: Uuid,
        payment_id: &str,
        client_secret: Option<&str>,
    ) -> DbResult<Checkout> {
        let conn = crate::tx::conn(tx);
        Ok(
            diesel::update(checkouts::table.filter(checkouts::id.eq(id)))
                .set((
                    checkouts::payment_id.eq(payment_id),
                    checkouts::client_secret.eq(client_secret),
                    checkouts::status.eq("awaiting_payment"),
                    checkouts::updated_at.eq(diesel::dsl::now),
                ))
                .returning(Checkout::as_returning())
                .get_result(conn)
                .await?,
        )
    }

    pub async fn set_status(
        tx: &mut TenantTx,
        id: Uuid,
        status: &str,
        failure_reason: Option<&str>,
        payment_state_at: i64,
    ) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(checkouts::table.filter(checkouts::id.eq(id)))
            .set((
                checkouts::status.eq(status),
                checkouts::failure_reason.eq(failure_reason),
                checkouts::payment_state_at.eq(payment_state_at),
                checkouts::updated_at.eq(diesel::dsl::now),
                checkouts::paid_at.eq(if status == "paid" {
                    Some(Utc::now())
                } else {
                    None
                }),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }
}

/// An order: one shop's part of a paid checkout.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = orders, check_for_backend(diesel::pg::Pg))]
pub struct Order {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub number: String,
    pub checkout_id: Uuid,
    pub shop_id: Uuid,
    pub buyer_id: Option<Uuid>,
    pub email: String,
    pub phone: Option<String>,
    pub address: serde_json::Value,
    pub status: String,
    pub currency: String,
    pub items_minor: i64,
    pub shipping_minor: i64,
    pub buyer_fee_minor: i64,
    pub total_minor: i64,
    pub commission_minor: i64,
    pub platform_fee_minor: i64,
    pub seller_net_minor: i64,
    pub shipping_option: String,
    pub tracking_number: Option<String>,
    pub access_token_hash: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Which orders a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderScope {
    Buyer(Uuid),
    Shop(Uuid),
    Marketplace,
}

impl Order {
    /// Takes the marketplace's next `n` order counts and returns the last of them. The
    /// counter row stays locked until the transaction ends (numbering is serialised per
    /// marketplace), so call it as late as possible.
    pub async fn next_counts(tx: &mut TenantTx, n: i64) -> DbResult<i64> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        Ok(diesel::insert_into(order_counters::table)
            .values((
                order_counters::tenant_id.eq(tenant_id),
                order_counters::last_value.eq(n),
            ))
            .on_conflict(order_counters::tenant_id)
            .do_update()
            .set(order_counters::last_value.eq(order_counters::last_value + n))
            .returning(order_counters::last_value)
            .get_result(conn)
            .await?)
    }

    /// Gives orders their numbers, in one statement.
    pub async fn set_numbers(tx: &mut TenantTx, ids: &[Uuid], numbers: &[String]) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::sql_query(
            "UPDATE orders o SET number = b.number
               FROM unnest($1::uuid[], $2::text[]) AS b(id, number) WHERE o.id = b.id",
        )
        .bind::<diesel::sql_types::Array<diesel::sql_types::Uuid>, _>(ids)
        .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(numbers)
        .execute(conn)
        .await?;
        Ok(())
    }

    pub async fn insert_all(tx: &mut TenantTx, orders: &[Order]) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::insert_into(orders::table)
            .values(orders)
            .execute(conn)
            .await?;
        Ok(())
    }

    pub async fn of_checkout(tx: &mut TenantTx, checkout_id: Uuid) -> DbResult<Vec<Order>> {
        let conn = crate::tx::conn(tx);
        Ok(orders::table
            .filter(orders::checkout_id.eq(checkout_id))
            .order(orders::number)
            .select(Order::as_select())
            .load(conn)
            .await?)
    }

    pub async fn by_number(tx: &mut TenantTx, number: &str) -> DbResult<Option<Order>> {
        let conn = crate::tx::conn(tx);
        Ok(orders::table
            .filter(orders::number.eq(number))
            .select(Order::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    pub async fn by_number_for_update(tx: &mut TenantTx, number: &str) -> DbResult<Option<Order>> {
        let conn = crate::tx::conn(tx);
        Ok(orders::table
            .filter(orders::number.eq(number))
            .select(Order::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()?)
    }

    pub async fn find(tx: &mut TenantTx, id: Uuid) -> DbResult<Order> {
        let conn = crate::tx::conn(tx);
        Ok(orders::table
            .filter(orders::id.eq(id))
            .select(Order::as_select())
            .first(conn)
            .await?)
    }

    /// Newest first, keyset-paged by `(created_at, id)` before `before`.
    pub async fn list(
        tx: &mut TenantTx,
        scope: OrderScope,
        status: Option<&str>,
        before: Option<(DateTime<Utc>, Uuid)>,
        limit: i64,
    ) -> DbResult<Vec<Order>> {
        let conn = crate::tx::conn(tx);
        let mut q = orders::table.select(Order::as_select()).into_boxed();
        q = match scope {
            OrderScope::Buyer(b) => q.filter(orders::buyer_id.eq(b)),
            OrderScope::Shop(s) => q.filter(orders::shop_id.eq(s)),
            OrderScope::Marketplace => q,
        };
        if let Some(s) = status {
            q = q.filter(orders::status.eq(s.to_owned()));
        }
        if let Some((at, id)) = before {
            q = q.filter(
                orders::created_at
                    .lt(at)
                    .or(orders::created_at.eq(at).and(orders::id.lt(id))),
            );
        }
        Ok(q.order((orders::created_at.desc(), orders::id.desc()))
            .limit(limit)
            .load(conn)
            .await?)
    }

    pub async fn set_status(
        tx: &mut TenantTx,
        id: Uuid,
        status: &str,
        tracking_number: Option<&str>,
    ) -> DbResult<Order> {
        let conn = crate::tx::conn(tx);
        let q = diesel::update(orders::table.filter(orders::id.eq(id)));
        let order = match tracking_number {
            Some(t) => {
                q.set((
                    orders::status.eq(status),
                    orders::tracking_number.eq(t),
                    orders::updated_at.eq(diesel::dsl::now),
                ))
                .returning(Order::as_returning())
                .get_result(conn)
                .await?
            }
            None => {
                q.set((
                    orders::status.eq(status),
                    orders::updated_at.eq(diesel::dsl::now),
                ))
                .returning(Order::as_returning())
                .get_result(conn)
                .await?
            }
        };
        Ok(order)
    }
}

/// A line of an order, with the rates and amounts of the sale.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = order_lines, check_for_backend(diesel::pg::Pg))]
pub struct OrderLine {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub order_id: Uuid,
    pub listing_id: Uuid,
    pub variant_id: Option<Uuid>,
    pub title: String,
    pub variant_label: Option<String>,
    pub unit_price_minor: i64,
    pub quantity: i32,
    pub amount_minor: i64,
    pub commission_bps: i32,
    pub platform_fee_bps: i32,
    pub seller_net_minor: i64,
    pub tenant_share_minor: i64,
    pub platform_fee_minor: i64,
    pub position: i32,
}

impl OrderLine {
    pub async fn insert_all(tx: &mut TenantTx, lines: &[OrderLine]) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::insert_into(order_lines::table)
            .values(lines)
            .execute(conn)
            .await?;
        Ok(())
    }

    pub async fn of_orders(tx: &mut TenantTx, order_ids: &[Uuid]) -> DbResult<Vec<OrderLine>> {
        let conn = crate::tx::conn(tx);
        Ok(order_lines::table
            .filter(order_lines::order_id.eq_any(order_ids))
            .order((order_lines::order_id, order_lines::position))
            .select(OrderLine::as_select())
            .load(conn)
            .await?)
    }
}

/// One move in an order's history.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = order_events, check_for_backend(diesel::pg::Pg))]
pub struct OrderEventRow {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub order_id: Uuid,
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl OrderEventRow {
    pub async fn insert(tx: &mut TenantTx, event: &OrderEventRow) -> DbResult<()> {
        Self::insert_all(tx, std::slice::from_ref(event)).await
    }

    pub async fn insert_all(tx: &mut TenantTx, events: &[OrderEventRow]) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::insert_into(order_events::table)
            .values(events)
            .execute(conn)
            .await?;
        Ok(())
    }

    pub async fn of_order(tx: &mut TenantTx, order_id: Uuid) -> DbResult<Vec<OrderEventRow>> {
        let conn = crate::tx::conn(tx);
        Ok(order_events::table
            .filter(order_events::order_id.eq(order_id))
            .order((order_events::created_at, order_events::id))
            .select(OrderEventRow::as_select())
            .load(conn)
            .await?)
    }
}

/// One side of a ledger journal.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = ledger_entries, check_for_backend(diesel::pg::Pg))]
pub struct LedgerEntry {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub journal_id: Uuid,
    pub checkout_id: Uuid,
    pub order_id: Option<Uuid>,
    pub account: String,
    pub kind: String,
    pub amount_minor: i64,
    pub currency: String,
}

impl LedgerEntry {
    /// Writes one journal; the database refuses it at commit unless it sums to zero.
    pub async fn post(tx: &mut TenantTx, entries: &[LedgerEntry]) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        let entries: Vec<&LedgerEntry> = entries.iter().filter(|e| e.amount_minor != 0).collect();
        if entries.is_empty() {
            return Ok(());
        }
        diesel::insert_into(ledger_entries::table)
            .values(entries.into_iter().cloned().collect::<Vec<_>>())
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Per account and currency, the sum of entries (negative: owed to the account holder),
    /// of every account or of those given.
    pub async fn balances(
        tx: &mut TenantTx,
        accounts: Option<&[String]>,
    ) -> DbResult<Vec<Balance>> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::sql_query(
            "SELECT account, currency, sum(amount_minor)::bigint AS amount_minor
               FROM ledger_entries
              WHERE $1::text[] IS NULL OR account = ANY ($1)
              GROUP BY account, currency ORDER BY account, currency",
        )
        .bind::<diesel::sql_types::Nullable<diesel::sql_types::Array<diesel::sql_types::Text>>, _>(
            accounts.map(<[String]>::to_vec),
        )
        .load(conn)
        .await?)
    }

    /// One account's entries summed per kind and currency (`account` is `Balance::account`
    /// holding the kind).
    pub async fn by_kind(tx: &mut TenantTx, account: &str) -> DbResult<Vec<Balance>> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::sql_query(
            "SELECT kind AS account, currency, sum(amount_minor)::bigint AS amount_minor
               FROM ledger_entries WHERE account = $1
              GROUP BY kind, currency ORDER BY kind, currency",
        )
        .bind::<diesel::sql_types::Text, _>(account)
        .load(conn)
        .await?)
    }

    /// Every entry of one checkout (its sale, transfers and refunds).
    pub async fn of_checkout(tx: &mut TenantTx, checkout_id: Uuid) -> DbResult<Vec<LedgerEntry>> {
        let conn = crate::tx::conn(tx);
        Ok(ledger_entries::table
            .filter(ledger_entries::checkout_id.eq(checkout_id))
            .select(LedgerEntry::as_select())
            .load(conn)
            .await?)
    }
}

/// An account's balance in one currency.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Balance {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub account: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub currency: String,
    #[diesel(sql_type = diesel::sql_types::Int8)]
    pub amount_minor: i64,
}

/// A transfer to a connected account.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = transfers, check_for_backend(diesel::pg::Pg))]
pub struct Transfer {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub checkout_id: Uuid,
    pub order_id: Option<Uuid>,
    pub recipient: String,
    pub destination: String,
    pub amount_minor: i64,
    pub currency: String,
    pub idempotency_key: String,
    pub status: String,
    pub gateway_id: Option<String>,
}

impl Transfer {
    pub async fn insert_all(tx: &mut TenantTx, t: &[Transfer]) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        if t.is_empty() {
            return Ok(());
        }
        diesel::insert_into(transfers::table)
            .values(t)
            .execute(conn)
            .await?;
        Ok(())
    }

    pub async fn find_for_update(tx: &mut TenantTx, id: Uuid) -> DbResult<Transfer> {
        let conn = crate::tx::conn(tx);
        Ok(transfers::table
            .filter(transfers::id.eq(id))
            .select(Transfer::as_select())
            .for_update()
            .first(conn)
            .await?)
    }

    pub async fn of_checkout(tx: &mut TenantTx, checkout_id: Uuid) -> DbResult<Vec<Transfer>> {
        let conn = crate::tx::conn(tx);
        Ok(transfers::table
            .filter(transfers::checkout_id.eq(checkout_id))
            .order(transfers::id)
            .select(Transfer::as_select())
            .load(conn)
            .await?)
    }

    pub async fn settle(
        tx: &mut TenantTx,
        id: Uuid,
        status: &str,
        gateway_id: Option<&str>,
        error: Option<&str>,
    ) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(transfers::table.filter(transfers::id.eq(id)))
            .set((
                transfers::status.eq(status),
                transfers::gateway_id.eq(gateway_id),
                transfers::last_error.eq(error),
                transfers::sent_at.eq(if status == "sent" {
                    Some(Utc::now())
                } else {
                    None
                }),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }
}

/// A refund asked of the gateway.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = refunds, check_for_backend(diesel::pg::Pg))]
pub struct Refund {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub checkout_id: Uuid,
    pub order_id: Option<Uuid>,
    pub amount_minor: i64,
    pub reason: String,
    pub status: String,
    pub gateway_id: Option<String>,
}

impl Refund {
    pub async fn insert(tx: &mut TenantTx, r: &Refund) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::insert_into(refunds::table)
            .values(r)
            .execute(conn)
            .await?;
        Ok(())
    }

    pub async fn find_for_update(tx: &mut TenantTx, id: Uuid) -> DbResult<Refund> {
        let conn = crate::tx::conn(tx);
        Ok(refunds::table
            .filter(refunds::id.eq(id))
            .select(Refund::as_select())
            .for_update()
            .first(conn)
            .await?)
    }

    pub async fn settle(
        tx: &mut TenantTx,
        id: Uuid,
        status: &str,
        gateway_id: Option<&str>,
        error: Option<&str>,
    ) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(refunds::table.filter(refunds::id.eq(id)))
            .set((
                refunds::status.eq(status),
                refunds::gateway_id.eq(gateway_id),
                refunds::last_error.eq(error),
                refunds::sent_at.eq(if status == "sent" {
                    Some(Utc::now())
                } else {
                    None
                }),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }
}

/// The webhook de-duplication log.
#[derive(Debug)]
pub struct WebhookEvent;

impl WebhookEvent {
    /// Records an event id; `false` when it was recorded before (its effects exist already).
    /// Call in the transaction that applies the effects.
    pub async fn record(tx: &mut TenantTx, event_id: &str, kind: &str) -> DbResult<bool> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        Ok(diesel::insert_into(webhook_events::table)
            .values((
                webhook_events::tenant_id.eq(tenant_id),
                webhook_events::event_id.eq(event_id),
                webhook_events::kind.eq(kind),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?
            == 1)
    }
}
