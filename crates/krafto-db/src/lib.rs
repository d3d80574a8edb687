//! Persistence: the diesel schema, the models, connection pools and the one way to reach
//! tenant data — a transaction whose first statement sets `app.tenant_id`.
//!
//! This crate must never hand out a pooled connection outside a [`Tx`]: row-level security
//! only isolates tenants when every piece of tenant work runs inside a tenant-scoped
//! transaction (the setting is transaction-local and vanishes at COMMIT or ROLLBACK).

pub mod models;
pub mod schema;

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::pooled_connection::deadpool::{Object, Pool, PoolError};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig};
use diesel_async::{
    AnsiTransactionManager, AsyncConnection, AsyncPgConnection, SimpleAsyncConnection,
    TransactionManager,
};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use futures_util::FutureExt;
use std::ops::{Deref, DerefMut};
use std::time::Duration;
use uuid::Uuid;

pub use diesel_async::AsyncPgConnection as PgConn;

/// Every migration of the repository, embedded in the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

/// Changes whenever any migration file changes (see `build.rs`).
pub const MIGRATIONS_FINGERPRINT: &str = env!("KRAFTO_MIGRATIONS_FINGERPRINT");

/// The database role a pool's connections act as (`SET ROLE` at connect).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbRole {
    /// The platform: no BYPASSRLS, owns nothing.
    App,
    /// The control plane.
    Control,
    /// The outbox worker.
    Worker,
}

impl DbRole {
    pub fn name(self) -> &'static str {
        match self {
            DbRole::App => "krafto_app",
            DbRole::Control => "krafto_control",
            DbRole::Worker => "krafto_worker",
        }
    }
}

/// Errors of the persistence layer.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("no database connection available: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Query(#[from] DieselError),
    #[error("migration failed: {0}")]
    Migration(String),
}

impl DbError {
    /// The violated constraint's name when this is a unique violation.
    pub fn unique_violation(&self) -> Option<&str> {
        match self {
            DbError::Query(DieselError::DatabaseError(
                DatabaseErrorKind::UniqueViolation,
                info,
            )) => Some(info.constraint_name().unwrap_or("")),
            _ => None,
        }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, DbError::Query(DieselError::NotFound))
    }

    /// Row-level security refused a write (`WITH CHECK` failed).
    pub fn is_rls_violation(&self) -> bool {
        match self {
            DbError::Query(DieselError::DatabaseError(_, info)) => {
                info.message().contains("row-level security")
            }
            _ => false,
        }
    }
}

impl From<PoolError> for DbError {
    fn from(e: PoolError) -> Self {
        DbError::Unavailable(e.to_string())
    }
}

pub type DbResult<T> = Result<T, DbError>;

/// A pool of connections acting as one role.
#[derive(Clone)]
pub struct Db {
    pool: Pool<AsyncPgConnection>,
    role: DbRole,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("role", &self.role)
            .field("status", &self.pool.status())
            .finish()
    }
}

impl Db {
    /// Builds a pool (connections are opened lazily). Every connection runs
    /// `SET ROLE <role>` once when it is established, so a superuser URL in development still
    /// yields a connection that cannot bypass row-level security.
    pub fn connect(url: &str, role: DbRole, max_size: usize) -> DbResult<Self> {
        let mut config = ManagerConfig::default();
        config.custom_setup = Box::new(move |url| {
            let url = url.to_owned();
            async move {
                let mut conn = AsyncPgConnection::establish(&url).await?;
                conn.batch_execute(&format!(
                    "SET ROLE {}; SET application_name = 'krafto-{}'; SET jit = off",
                    role.name(),
                    role.name()
                ))
                .await
                .map_err(|e| diesel::ConnectionError::BadConnection(format!(
                    "cannot SET ROLE {}: {e} (run `tenant-admin migrate` first; the connecting user must be a member of the role)",
                    role.name()
                )))?;
                Ok(conn)
            }
            .boxed()
        });
        let manager = AsyncDieselConnectionManager::new_with_config(url, config);
        let pool = Pool::builder(manager)
            .max_size(max_size)
            .wait_timeout(Some(Duration::from_secs(5)))
            .create_timeout(Some(Duration::from_secs(5)))
            .runtime(deadpool::Runtime::Tokio1)
            .build()
            .map_err(|e| DbError::Unavailable(e.to_string()))?;
        Ok(Self { pool, role })
    }

    pub fn role(&self) -> DbRole {
        self.role
    }

    /// Opens a transaction scoped to one tenant: row-level security shows and accepts only
    /// that tenant's rows until the transaction ends.
    pub async fn tenant(&self, tenant_id: Uuid) -> DbResult<Tx> {
        // A Uuid renders as hex and hyphens only, so inlining it is injection-safe, and it
        // saves a round trip: BEGIN and the setting travel together.
        self.begin(&format!(
            "BEGIN; SELECT set_config('app.tenant_id', '{tenant_id}', true)"
        ))
        .await
    }

    /// Opens a transaction with no tenant set: control-plane tables only; every tenant table
    /// shows zero rows.
    pub async fn unscoped(&self) -> DbResult<Tx> {
        self.begin("BEGIN").await
    }

    async fn begin(&self, sql: &str) -> DbResult<Tx> {
        let mut conn = self.pool.get().await?;
        AnsiTransactionManager::begin_transaction_sql(&mut *conn, sql).await?;
        Ok(Tx { conn: Some(conn) })
    }

    /// Checks that a connection can be had and answers.
    pub async fn ping(&self) -> DbResult<()> {
        let tx = self.unscoped().await?;
        tx.commit().await
    }

    pub fn status(&self) -> deadpool::Status {
        self.pool.status()
    }
}

/// An open transaction. Dereferences to the connection for queries. Dropping it without
/// [`Tx::commit`] rolls back.
pub struct Tx {
    conn: Option<Object<AsyncPgConnection>>,
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tx")
    }
}

impl Tx {
    pub async fn commit(mut self) -> DbResult<()> {
        if let Some(mut conn) = self.conn.take() {
            AnsiTransactionManager::commit_transaction(&mut *conn).await?;
        }
        Ok(())
    }

    pub async fn rollback(mut self) -> DbResult<()> {
        if let Some(mut conn) = self.conn.take() {
            AnsiTransactionManager::rollback_transaction(&mut *conn).await?;
        }
        Ok(())
    }
}

impl Deref for Tx {
    type Target = AsyncPgConnection;
    fn deref(&self) -> &AsyncPgConnection {
        self.conn.as_deref().expect("transaction already finished")
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AsyncPgConnection {
        self.conn
            .as_deref_mut()
            .expect("transaction already finished")
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else {
            return;
        };
        // Roll back off the request path so the connection returns to the pool clean. Without
        // a runtime the pool's recycle check sees the open transaction and discards it.
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            handle.spawn(async move {
                if let Err(e) = AnsiTransactionManager::rollback_transaction(&mut *conn).await {
                    tracing::warn!(error = %e, "rollback of an abandoned transaction failed");
                }
            });
        }
    }
}

/// Runs all pending migrations over `url` (an owner or superuser URL). Returns the versions
/// applied.
pub async fn migrate(url: &str) -> DbResult<Vec<String>> {
    let conn = AsyncPgConnection::establish(url).await.map_err(|e| {
        DbError::Unavailable(format!("{e} (is DATABASE_URL right and the server up?)"))
    })?;
    tokio::task::spawn_blocking(move || {
        let mut harness = diesel_async::AsyncMigrationHarness::new(conn);
        harness
            .run_pending_migrations(MIGRATIONS)
            .map(|versions| versions.iter().map(ToString::to_string).collect())
            .map_err(|e| DbError::Migration(e.to_string()))
    })
    .await
    .map_err(|e| DbError::Migration(e.to_string()))?
}
