//! Orders (one shop's part of a paid checkout), their lines and their history. Rules are decided in `krafto_core::commerce`; these functions only read and write rows,
//! always inside the caller's tenant-scoped transaction.

use crate::schema::{order_counters, order_events, order_lines, orders};
use crate::{DbResult, TenantTx};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use krafto_core::commerce::{OrderStatus, PaymentStatus};
use uuid::Uuid;

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
    pub status: OrderStatus,
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
    /// Paid, partly or wholly refunded (apart from fulfilment).
    pub payment_status: PaymentStatus,
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
        tx.owns_all(orders.iter().map(|o| o.tenant_id))?;
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
        status: Option<OrderStatus>,
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
            q = q.filter(orders::status.eq(s));
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
        status: OrderStatus,
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

    /// Records where the order's money stands after a refund.
    pub async fn set_payment_status(
        tx: &mut TenantTx,
        id: Uuid,
        status: PaymentStatus,
    ) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(orders::table.filter(orders::id.eq(id)))
            .set((
                orders::payment_status.eq(status),
                orders::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .await?;
        Ok(())
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
        tx.owns_all(lines.iter().map(|l| l.tenant_id))?;
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
    pub from_status: Option<OrderStatus>,
    pub to_status: OrderStatus,
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    /// `status` (a move), or `refund_requested`, `refund_declined`, `refund`.
    pub kind: String,
    /// The money a refund event is about.
    pub amount_minor: Option<i64>,
}

impl OrderEventRow {
    /// A move of the order by someone, now.
    pub fn moved(
        tenant_id: Uuid,
        order_id: Uuid,
        from: Option<OrderStatus>,
        to: OrderStatus,
        actor_kind: &str,
        actor_id: Option<Uuid>,
        reason: Option<&str>,
    ) -> OrderEventRow {
        OrderEventRow {
            tenant_id,
            id: Uuid::now_v7(),
            order_id,
            from_status: from,
            to_status: to,
            actor_kind: actor_kind.to_owned(),
            actor_id,
            reason: reason.map(str::to_owned),
            created_at: Utc::now(),
            kind: "status".to_owned(),
            amount_minor: None,
        }
    }

    pub async fn insert(tx: &mut TenantTx, event: &OrderEventRow) -> DbResult<()> {
        Self::insert_all(tx, std::slice::from_ref(event)).await
    }

    pub async fn insert_all(tx: &mut TenantTx, events: &[OrderEventRow]) -> DbResult<()> {
        tx.owns_all(events.iter().map(|e| e.tenant_id))?;
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
