//! Payment-account routing: which marketplace a connected account's gateway events belong
//! to (control-plane table). Only reads and writes rows; never decides anything.

use crate::schema::payment_accounts;
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
