//! Sellers' Stripe payouts (`po_…`) as `payout.*` events report them, and the money
//! movements of the shop between two payouts (transfers with their orders, reversals, debt
//! recoveries). Which movements belong to which payout is decided in the platform's
//! `commerce::payout_history`; these functions only read and write rows, always inside the
//! caller's tenant-scoped transaction.

use crate::schema::{seller_accounts, seller_payouts};
use crate::{DbResult, TenantTx};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamptz};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// A seller's payout from their connected account to their bank.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = seller_payouts, check_for_backend(diesel::pg::Pg))]
pub struct SellerPayout {
    pub tenant_id: Uuid,
    pub id: Uuid,
    /// Stripe's payout id.
    pub gateway_id: String,
    pub shop_id: Uuid,
    pub amount_minor: i64,
    pub currency: String,
    /// `pending`, `in_transit`, `paid`, `failed` or `canceled` (Stripe's words).
    pub status: String,
    pub payout_created_at: DateTime<Utc>,
    pub arrival_date: Option<DateTime<Utc>>,
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
    /// `created` of the newest event applied.
    pub state_at: i64,
}

/// One movement of a shop's money, for the payout it went out with.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct PayoutMovementRow {
    #[diesel(sql_type = Timestamptz)]
    pub at: DateTime<Utc>,
    /// `transfer`, `reversal` or `recovery`.
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub transfer_id: Uuid,
    #[diesel(sql_type = BigInt)]
    pub amount_minor: i64,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub order_number: Option<String>,
    /// The order's items, shipping and the seller's net (transfers only).
    #[diesel(sql_type = Nullable<BigInt>)]
    pub items_minor: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub shipping_minor: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub seller_net_minor: Option<i64>,
}

impl SellerPayout {
    /// The shop whose seller holds `account_id`, if any in this marketplace.
    pub async fn shop_of_account(tx: &mut TenantTx, account_id: &str) -> DbResult<Option<Uuid>> {
        let conn = crate::tx::conn(tx);
        Ok(seller_accounts::table
            .filter(seller_accounts::account_id.eq(account_id))
            .select(seller_accounts::shop_id)
            .first(conn)
            .await
            .optional()?)
    }

    /// The payout with this Stripe id, locked until the transaction ends.
    pub async fn find_for_update(
        tx: &mut TenantTx,
        gateway_id: &str,
    ) -> DbResult<Option<SellerPayout>> {
        let conn = crate::tx::conn(tx);
        Ok(seller_payouts::table
            .filter(seller_payouts::gateway_id.eq(gateway_id))
            .select(SellerPayout::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()?)
    }

    /// Inserts a payout first seen; `false` when another delivery inserted it meanwhile.
    pub async fn insert(tx: &mut TenantTx, p: &SellerPayout) -> DbResult<bool> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::insert_into(seller_payouts::table)
            .values(p)
            .on_conflict((seller_payouts::tenant_id, seller_payouts::gateway_id))
            .do_nothing()
            .execute(conn)
            .await?
            == 1)
    }

    /// Replaces what an event says of the payout (the caller checked it is newer).
    pub async fn update_state(tx: &mut TenantTx, p: &SellerPayout) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(seller_payouts::table.filter(seller_payouts::gateway_id.eq(&p.gateway_id)))
            .set((
                seller_payouts::amount_minor.eq(p.amount_minor),
                seller_payouts::currency.eq(&p.currency),
                seller_payouts::status.eq(&p.status),
                seller_payouts::payout_created_at.eq(p.payout_created_at),
                seller_payouts::arrival_date.eq(p.arrival_date),
                seller_payouts::failure_code.eq(&p.failure_code),
                seller_payouts::failure_message.eq(&p.failure_message),
                seller_payouts::state_at.eq(p.state_at),
                seller_payouts::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }

    /// A shop's payouts (every shop's when `None`), newest first, `limit` from `offset`.
    pub async fn list(
        tx: &mut TenantTx,
        shop_id: Option<Uuid>,
        limit: i64,
        offset: i64,
    ) -> DbResult<Vec<SellerPayout>> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        let mut q = seller_payouts::table
            .filter(seller_payouts::tenant_id.eq(tenant_id))
            .select(SellerPayout::as_select())
            .order((
                seller_payouts::payout_created_at.desc(),
                seller_payouts::id.desc(),
            ))
            .limit(limit)
            .offset(offset)
            .into_boxed();
        if let Some(shop) = shop_id {
            q = q.filter(seller_payouts::shop_id.eq(shop));
        }
        Ok(q.load(conn).await?)
    }

    /// The newest paid payout of the shop created before `before`: where the next one's
    /// movements start.
    pub async fn previous_paid(
        tx: &mut TenantTx,
        shop_id: Uuid,
        before: DateTime<Utc>,
    ) -> DbResult<Option<DateTime<Utc>>> {
        let conn = crate::tx::conn(tx);
        Ok(seller_payouts::table
            .filter(seller_payouts::shop_id.eq(shop_id))
            .filter(seller_payouts::status.eq("paid"))
            .filter(seller_payouts::payout_created_at.lt(before))
            .select(seller_payouts::payout_created_at)
            .order(seller_payouts::payout_created_at.desc())
            .first(conn)
            .await
            .optional()?)
    }

    /// The shop's money moved to or from its connected account in `(after, until]`: transfers
    /// sent (with their orders), reversals taken and the debts recovered from those
    /// transfers, oldest first.
    pub async fn movements(
        tx: &mut TenantTx,
        shop_id: Uuid,
        after: Option<DateTime<Utc>>,
        until: DateTime<Utc>,
    ) -> DbResult<Vec<PayoutMovementRow>> {
        let tenant_id = tx.tenant_id().get();
        let recipient = format!("seller:{shop_id}");
        let conn = crate::tx::conn(tx);
        Ok(diesel::sql_query(
            "WITH t AS (
                SELECT id, order_id, amount_minor, currency, sent_at FROM transfers
                 WHERE tenant_id = $1 AND recipient = $2 AND status = 'sent'
                   AND ($3::timestamptz IS NULL OR sent_at > $3) AND sent_at <= $4)
             SELECT t.sent_at AS at, 'transfer' AS kind, t.id AS transfer_id, t.amount_minor,
                    t.currency, o.number AS order_number, o.items_minor, o.shipping_minor,
                    o.seller_net_minor
               FROM t LEFT JOIN orders o ON o.tenant_id = $1 AND o.id = t.order_id
             UNION ALL
             SELECT r.created_at, 'recovery', t.id, r.amount_minor, t.currency, o.number,
                    NULL, NULL, NULL
               FROM debt_recoveries r JOIN t ON t.id = r.transfer_id
               LEFT JOIN debts d ON d.tenant_id = $1 AND d.id = r.debt_id
               LEFT JOIN orders o ON o.tenant_id = $1 AND o.id = d.order_id
              WHERE r.tenant_id = $1
             UNION ALL
             SELECT v.sent_at, 'reversal', v.transfer_id, v.amount_minor, v.currency, o.number,
                    NULL, NULL, NULL
               FROM transfer_reversals v
               JOIN transfers tr ON tr.tenant_id = $1 AND tr.id = v.transfer_id
               LEFT JOIN orders o ON o.tenant_id = $1 AND o.id = tr.order_id
              WHERE v.tenant_id = $1 AND v.recipient = $2 AND v.status = 'sent'
                AND ($3::timestamptz IS NULL OR v.sent_at > $3) AND v.sent_at <= $4
             ORDER BY 1, 2",
        )
        .bind::<diesel::sql_types::Uuid, _>(tenant_id)
        .bind::<Text, _>(recipient)
        .bind::<Nullable<Timestamptz>, _>(after)
        .bind::<Timestamptz, _>(until)
        .load(conn)
        .await?)
    }
}
