//! The double-entry ledger: journals and balances. Rules are decided in `krafto_core::commerce`; these functions only read and write rows,
//! always inside the caller's tenant-scoped transaction.

use crate::schema::ledger_entries;
use crate::{DbResult, TenantTx};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

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
        tx.owns_all(entries.iter().map(|e| e.tenant_id))?;
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
