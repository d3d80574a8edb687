//! The three kinds of transaction and the tenant door.
//!
//! - [`TenantTx`]: scoped to one marketplace (`app.tenant_id` set as its first statement);
//!   opened only from a [`TenantScope`], which only the host gate, the worker (from a claimed
//!   outbox message) and named staff paths create. Tenant models take it and read the tenant
//!   id from it.
//! - [`ControlTx`]: no tenant set; the control-plane tables (tenant tables show zero rows).
//! - [`WorkerTx`]: the outbox worker's claims and settlements.
//!
//! None of them hands out its connection outside this crate: queries run through the models,
//! or through their `fetch_all`/`fetch_one`/`run` methods (named apart from diesel's `RunQueryDsl`, whose by-value methods would otherwise win), always inside the transaction.
//! Forced row-level security in the database stays the first wall; these types are the
//! second.

use crate::DbResult;
use crate::models::{NewTenant, OutboxMessage, Tenant};
use diesel::pg::Pg;
use diesel::query_builder::QueryFragment;
use diesel_async::methods::{ExecuteDsl, LoadQuery};
use diesel_async::pooled_connection::deadpool::Object;
use diesel_async::{AnsiTransactionManager, AsyncPgConnection, RunQueryDsl, TransactionManager};
use futures_util::TryFutureExt;
use krafto_core::TenantId;

/// The right to open transactions for one marketplace, made where the marketplace was
/// established: the host gate (the request's host resolved to it), the worker (a claimed
/// outbox message names it) or a named staff path of the control plane. There is no way to
/// make one from a bare id.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TenantScope {
    id: TenantId,
}

impl std::fmt::Debug for TenantScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TenantScope({})", self.id)
    }
}

impl TenantScope {
    /// The host gate: the marketplace the request's host resolved to.
    pub fn resolved(tenant: &Tenant) -> Self {
        Self {
            id: TenantId::from_uuid(tenant.id),
        }
    }

    /// The worker: the marketplace of a message it claimed from the outbox.
    pub fn claimed(message: &OutboxMessage) -> Self {
        Self {
            id: TenantId::from_uuid(message.tenant_id),
        }
    }

    /// A staff path of the control plane, acting on a marketplace it has loaded.
    pub fn staff(tenant: &Tenant) -> Self {
        Self::resolved(tenant)
    }

    /// Provisioning: the marketplace being created in this very transaction.
    pub fn provisioning(new: &NewTenant) -> Self {
        Self {
            id: TenantId::from_uuid(new.id),
        }
    }

    pub fn id(&self) -> TenantId {
        self.id
    }
}

mod sealed {
    pub trait Sealed {}
    /// Unnameable outside this crate: only krafto-db can call [`super::AnyTx::conn`].
    #[derive(Debug)]
    pub struct Key(pub(super) ());
}

/// Any of the three transactions. Control-plane tables (marketplaces, domains) are read and
/// written through it: which of them a role may touch is the database's grants' business.
pub trait AnyTx: sealed::Sealed + Send {
    #[doc(hidden)]
    fn conn(&mut self, key: sealed::Key) -> &mut AsyncPgConnection;
}

/// The connection of a transaction, for this crate's models.
pub(crate) fn conn<T: AnyTx + ?Sized>(tx: &mut T) -> &mut AsyncPgConnection {
    tx.conn(sealed::Key(()))
}

/// How long the rollback of a transaction dropped unfinished may wait for the database.
pub const ABANDONED_ROLLBACK_DEADLINE: std::time::Duration = std::time::Duration::from_secs(5);

/// An open transaction on a pooled connection; dropping it unfinished rolls back.
struct Open {
    conn: Option<Object<AsyncPgConnection>>,
}

impl Open {
    fn conn(&mut self) -> &mut AsyncPgConnection {
        self.conn
            .as_deref_mut()
            .expect("transaction already finished")
    }

    async fn commit(&mut self) -> DbResult<()> {
        if let Some(mut conn) = self.conn.take() {
            AnsiTransactionManager::commit_transaction(&mut *conn).await?;
        }
        Ok(())
    }

    async fn rollback(&mut self) -> DbResult<()> {
        if let Some(mut conn) = self.conn.take() {
            AnsiTransactionManager::rollback_transaction(&mut *conn).await?;
        }
        Ok(())
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else {
            return;
        };
        // Roll back off the request path so the connection returns to the pool clean. Without
        // a runtime the pool's recycle check sees the open transaction and discards it. A
        // database that does not answer the rollback (frozen, partitioned) loses the
        // connection instead of holding it, and a task, until the network gives up.
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            handle.spawn(async move {
                let rollback = AnsiTransactionManager::rollback_transaction(&mut *conn);
                match tokio::time::timeout(ABANDONED_ROLLBACK_DEADLINE, rollback).await {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => {
                        tracing::warn!(error = %e, "rollback of an abandoned transaction failed");
                    }
                    Err(_) => {
                        tracing::warn!(
                            "the database did not answer the rollback of an abandoned \
                             transaction; closing its connection"
                        );
                        drop(Object::take(conn));
                    }
                }
            });
        }
    }
}

macro_rules! transaction {
    ($(#[$doc:meta])* $name:ident { $($field:ident: $ty:ty),* }) => {
        $(#[$doc])*
        pub struct $name {
            open: Open,
            $($field: $ty),*
        }

        impl sealed::Sealed for $name {}

        impl AnyTx for $name {
            fn conn(&mut self, _: sealed::Key) -> &mut AsyncPgConnection {
                self.open.conn()
            }
        }

        impl $name {
            pub async fn commit(mut self) -> DbResult<()> {
                self.open.commit().await
            }

            pub async fn rollback(mut self) -> DbResult<()> {
                self.open.rollback().await
            }

            /// Runs a query inside this transaction and loads every row.
            pub fn fetch_all<'a, Q, U>(
                &'a mut self,
                query: Q,
            ) -> impl std::future::Future<Output = DbResult<Vec<U>>> + Send + 'a
            where
                Q: LoadQuery<'static, AsyncPgConnection, U> + Send + 'static,
                U: Send + 'a,
            {
                query.load(self.open.conn()).map_err(crate::DbError::from)
            }

            /// Runs a query inside this transaction and loads its one row (`NotFound` when
            /// there is none).
            pub fn fetch_one<'a, Q, U>(
                &'a mut self,
                query: Q,
            ) -> impl std::future::Future<Output = DbResult<U>> + Send + 'a
            where
                Q: LoadQuery<'static, AsyncPgConnection, U> + Send + 'static,
                U: Send + 'a,
            {
                query.get_result(self.open.conn()).map_err(crate::DbError::from)
            }

            /// Runs a statement inside this transaction; the number of rows it touched.
            pub fn run<'a, Q>(
                &'a mut self,
                query: Q,
            ) -> impl std::future::Future<Output = DbResult<usize>> + Send + 'a
            where
                Q: ExecuteDsl<AsyncPgConnection> + QueryFragment<Pg> + Send + 'static,
            {
                query.execute(self.open.conn()).map_err(crate::DbError::from)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(stringify!($name))
            }
        }
    };
}

transaction!(
    /// A transaction scoped to one marketplace: row-level security shows and accepts only
    /// its rows. Tenant models take it and read the tenant id from it.
    TenantTx { tenant: TenantId }
);

transaction!(
    /// A transaction with no tenant set: the control-plane tables.
    ControlTx {}
);

transaction!(
    /// A transaction of the outbox worker.
    WorkerTx {}
);

impl TenantTx {
    pub(crate) fn new(conn: Object<AsyncPgConnection>, tenant: TenantId) -> Self {
        Self {
            open: Open { conn: Some(conn) },
            tenant,
        }
    }

    /// The marketplace this transaction is scoped to.
    pub fn tenant_id(&self) -> TenantId {
        self.tenant
    }

    /// Refuses rows that carry another marketplace's id than this transaction's: the models
    /// call it before writing rows built by their callers.
    pub(crate) fn owns_all(&self, rows: impl IntoIterator<Item = uuid::Uuid>) -> DbResult<()> {
        match rows.into_iter().find(|r| *r != self.tenant.get()) {
            Some(row) => Err(crate::DbError::WrongTenant {
                row,
                scope: self.tenant,
            }),
            None => Ok(()),
        }
    }

    /// Takes a transaction-scoped advisory lock on `key` (within this marketplace), released
    /// at commit or rollback: serialises work that must not run twice at once.
    pub async fn lock(&mut self, key: &str) -> DbResult<()> {
        let key = format!("{}:{key}", self.tenant);
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind::<diesel::sql_types::Text, _>(key)
            .execute(self.open.conn())
            .await?;
        Ok(())
    }
}

impl ControlTx {
    pub(crate) fn new(conn: Object<AsyncPgConnection>) -> Self {
        Self {
            open: Open { conn: Some(conn) },
        }
    }
}

impl WorkerTx {
    pub(crate) fn new(conn: Object<AsyncPgConnection>) -> Self {
        Self {
            open: Open { conn: Some(conn) },
        }
    }
}
