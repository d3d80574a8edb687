//! Persistence: the diesel schema, the models, connection pools and the one way to reach
//! tenant data — a transaction whose first statement sets `app.tenant_id`.
//!
//! This crate never hands out a pooled connection: row-level security only isolates tenants
//! when every piece of tenant work runs inside a tenant-scoped transaction (the setting is
//! transaction-local and vanishes at COMMIT or ROLLBACK). There are three kinds of
//! transaction, each its own type: [`TenantTx`] (opened only from a [`TenantScope`]),
//! [`ControlTx`] (control-plane tables) and [`WorkerTx`] (the outbox). A tenant model takes a
//! `&mut TenantTx` and reads the tenant id from it, so a tenant query on the wrong kind of
//! transaction does not compile. The right way, from a marketplace the host gate resolved:
//!
//! ```no_run
//! # async fn f(db: krafto_db::Db, tenant: krafto_db::models::Tenant, id: uuid::Uuid) -> krafto_db::DbResult<()> {
//! let mut tx = db.tenant(&krafto_db::TenantScope::resolved(&tenant)).await?;
//! krafto_db::models::Listing::find(&mut tx, id).await?;
//! # Ok(()) }
//! ```
//!
//! The same query on a control-plane transaction:
//!
//! ```compile_fail
//! # async fn f(db: krafto_db::Db, id: uuid::Uuid) -> krafto_db::DbResult<()> {
//! let mut tx = db.control().await?;
//! krafto_db::models::Listing::find(&mut tx, id).await?; // expected `&mut TenantTx`
//! # Ok(()) }
//! ```
//!
//! and nor does opening a tenant transaction from a bare id:
//!
//! ```compile_fail
//! # async fn f(db: krafto_db::Db, id: uuid::Uuid) -> krafto_db::DbResult<()> {
//! let tx = db.tenant(&id).await?; // expected `&TenantScope`
//! # Ok(()) }
//! ```

pub mod models;
pub mod schema;
#[cfg(test)]
mod status_tests;
mod tx;

pub use krafto_core::TenantId;
pub use tx::{ABANDONED_ROLLBACK_DEADLINE, AnyTx, ControlTx, TenantScope, TenantTx, WorkerTx};

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::pooled_connection::deadpool::{Object, Pool, PoolError};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig};
use diesel_async::{
    AnsiTransactionManager, AsyncConnection, AsyncPgConnection, SimpleAsyncConnection,
};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use futures_util::FutureExt;
use std::time::Duration;

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
    /// A row built for one marketplace was handed to another marketplace's transaction: a
    /// programming error, refused before the database sees it (row-level security would
    /// refuse it too).
    #[error("a row of marketplace {row} was written in a transaction of marketplace {scope}")]
    WrongTenant { row: uuid::Uuid, scope: TenantId },
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

    /// The database gave up on a statement: it ran past `statement_timeout`, or was
    /// cancelled.
    pub fn is_timeout(&self) -> bool {
        match self {
            DbError::Query(DieselError::DatabaseError(_, info)) => {
                info.message().contains("canceling statement due to")
            }
            _ => false,
        }
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
    /// Bounds [`Db::begin`] as a whole (see [`DbTimeouts::acquire`]).
    acquire: Duration,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("role", &self.role)
            .field("status", &self.pool.status())
            .finish()
    }
}

/// How long database work may take, so that a frozen server (one that accepts connections
/// but never answers) costs a request a bounded wait instead of hanging it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DbTimeouts {
    /// Longest a statement may run: the `statement_timeout` of every connection.
    pub statement: Duration,
    /// Longest wait for a working connection as a whole: a free slot, the check of an idle
    /// connection, opening a new one, and `BEGIN`.
    pub acquire: Duration,
}

impl Default for DbTimeouts {
    fn default() -> Self {
        Self {
            statement: Duration::from_secs(10),
            acquire: Duration::from_secs(5),
        }
    }
}

impl Db {
    /// Builds a pool with the default [`DbTimeouts`] (see [`Db::connect_with`]).
    pub fn connect(url: &str, role: DbRole, max_size: usize) -> DbResult<Self> {
        Self::connect_with(url, role, max_size, DbTimeouts::default())
    }

    /// Builds a pool (connections are opened lazily). Every connection runs
    /// `SET ROLE <role>` once when it is established, so a superuser URL in development still
    /// yields a connection that cannot bypass row-level security; and sets its
    /// `statement_timeout`.
    pub fn connect_with(
        url: &str,
        role: DbRole,
        max_size: usize,
        timeouts: DbTimeouts,
    ) -> DbResult<Self> {
        let statement_ms = timeouts.statement.as_millis().max(1);
        let mut config = ManagerConfig::default();
        config.custom_setup = Box::new(move |url| {
            let url = url.to_owned();
            async move {
                let mut conn = AsyncPgConnection::establish(&url).await?;
                conn.batch_execute(&format!(
                    "SET ROLE {}; SET application_name = 'krafto-{}'; SET jit = off; \
                     SET statement_timeout = {statement_ms}",
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
            .wait_timeout(Some(timeouts.acquire))
            .create_timeout(Some(timeouts.acquire))
            .recycle_timeout(Some(timeouts.acquire))
            .runtime(deadpool::Runtime::Tokio1)
            .build()
            .map_err(|e| DbError::Unavailable(e.to_string()))?;
        Ok(Self {
            pool,
            role,
            acquire: timeouts.acquire,
        })
    }

    pub fn role(&self) -> DbRole {
        self.role
    }

    /// Opens a transaction scoped to one tenant: row-level security shows and accepts only
    /// that tenant's rows until the transaction ends. Only a [`TenantScope`] opens one; a
    /// bare id from a path or a body cannot.
    pub async fn tenant(&self, scope: &TenantScope) -> DbResult<TenantTx> {
        // A Uuid renders as hex and hyphens only, so inlining it is injection-safe, and it
        // saves a round trip: BEGIN and the setting travel together.
        let id = scope.id();
        let conn = self
            .begin(&format!(
                "BEGIN; SELECT set_config('app.tenant_id', '{id}', true)"
            ))
            .await?;
        Ok(TenantTx::new(conn, id))
    }

    /// Opens a transaction with no tenant set, for the control-plane tables (marketplaces,
    /// domains, staff, payment accounts); every tenant table shows zero rows in it.
    pub async fn control(&self) -> DbResult<ControlTx> {
        Ok(ControlTx::new(self.begin("BEGIN").await?))
    }

    /// Opens a transaction of the outbox worker (claiming and settling messages across
    /// marketplaces; the worker role sees nothing else).
    pub async fn worker(&self) -> DbResult<WorkerTx> {
        Ok(WorkerTx::new(self.begin("BEGIN").await?))
    }

    async fn begin(&self, sql: &str) -> DbResult<Object<AsyncPgConnection>> {
        // The pool bounds each step, but checks idle connections one after the other: a
        // frozen server would cost one timeout per idle connection without this bound.
        let begin = async {
            let mut conn = self.pool.get().await?;
            AnsiTransactionManager::begin_transaction_sql(&mut *conn, sql).await?;
            Ok(conn)
        };
        tokio::time::timeout(self.acquire, begin)
            .await
            .unwrap_or_else(|_| {
                Err(DbError::Unavailable(format!(
                    "no answer from the database within {} ms",
                    self.acquire.as_millis()
                )))
            })
    }

    /// Checks that a connection can be had and answers.
    pub async fn ping(&self) -> DbResult<()> {
        self.control().await?.commit().await
    }

    pub fn status(&self) -> deadpool::Status {
        self.pool.status()
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
