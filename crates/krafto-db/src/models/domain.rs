use crate::schema::tenant_domains;
use crate::{AnyTx, DbResult};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// A custom domain of a marketplace.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = tenant_domains, check_for_backend(diesel::pg::Pg))]
pub struct TenantDomain {
    pub host: String,
    pub tenant_id: Uuid,
    pub verified: bool,
    pub is_primary: bool,
    pub created_at: DateTime<Utc>,
}

impl TenantDomain {
    pub fn new(tenant_id: Uuid, host: String, verified: bool, is_primary: bool) -> Self {
        Self {
            host,
            tenant_id,
            verified,
            is_primary,
            created_at: Utc::now(),
        }
    }

    pub async fn insert(tx: &mut impl AnyTx, domain: &TenantDomain) -> DbResult<TenantDomain> {
        let conn = crate::tx::conn(tx);
        if domain.is_primary {
            // One primary per tenant: the newest primary wins.
            diesel::update(
                tenant_domains::table.filter(tenant_domains::tenant_id.eq(domain.tenant_id)),
            )
            .set(tenant_domains::is_primary.eq(false))
            .execute(conn)
            .await?;
        }
        Ok(diesel::insert_into(tenant_domains::table)
            .values(domain)
            .returning(TenantDomain::as_returning())
            .get_result(conn)
            .await?)
    }

    pub async fn for_tenant(tx: &mut impl AnyTx, tenant_id: Uuid) -> DbResult<Vec<TenantDomain>> {
        let conn = crate::tx::conn(tx);
        Ok(tenant_domains::table
            .filter(tenant_domains::tenant_id.eq(tenant_id))
            .order(tenant_domains::host.asc())
            .select(TenantDomain::as_select())
            .load(conn)
            .await?)
    }

    pub async fn for_tenants(tx: &mut impl AnyTx, ids: &[Uuid]) -> DbResult<Vec<TenantDomain>> {
        let conn = crate::tx::conn(tx);
        Ok(tenant_domains::table
            .filter(tenant_domains::tenant_id.eq_any(ids))
            .order(tenant_domains::host.asc())
            .select(TenantDomain::as_select())
            .load(conn)
            .await?)
    }

    /// Removes a domain of this tenant; `false` when it had no such domain.
    pub async fn delete(tx: &mut impl AnyTx, tenant_id: Uuid, host: &str) -> DbResult<bool> {
        let conn = crate::tx::conn(tx);
        let n = diesel::delete(
            tenant_domains::table
                .filter(tenant_domains::tenant_id.eq(tenant_id))
                .filter(tenant_domains::host.eq(host)),
        )
        .execute(conn)
        .await?;
        Ok(n == 1)
    }
}
