//! Fixtures for tests that are not about how they come to be: marketplaces, users, shops,
//! listings and paid orders, built the way the app builds them, in a few milliseconds and
//! without the e-mailed-code dance.
//!
//! - A marketplace is provisioned by the control plane's own `POST /control/v1/tenants`
//!   (its provisioning function is private to `tenant_admin`), so it has exactly the
//!   template's categories, fees and flags a provisioned one has.
//! - Users, shops and listings are written through the models inside the marketplace's own
//!   tenant transaction, moved by the `krafto_core` state machines, and users get a session
//!   token minted with the app's keys, as `POST /auth/otp/verify` would hand out.
//! - A paid order goes through the real cart, checkout and test-gateway payment over HTTP:
//!   the checkout use case is private to the platform and is the thing under test elsewhere.
//!
//! Nothing here writes raw SQL, and nothing here is for tests *about* these flows: those
//! drive the HTTP API or the pages, as a person would.

use crate::TestApp;
use chrono::Utc;
use krafto_auth::UserClaims;
use krafto_core::catalog::{ListingEvent, ListingStatus, ShopEvent, ShopStatus};
use krafto_core::{Email, Role, Slug};
use krafto_db::models::{
    AccountReadiness, Category, Listing, ListingFields, MarketplaceSettings, PaymentAccount,
    SellerAccount, ShippingOption, Shop, ShopProfile, Tenant, User,
};
use krafto_db::{Db, DbRole, TenantScope, TenantTx};
use krafto_payments::{AccountHolder, GatewayMode, NewAccount};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A pool acting as the platform does (the `app` role), for the builders' own transactions.
fn app_pool(app: &TestApp) -> Db {
    app.db.pool(DbRole::App, 1)
}

/// The marketplace's row, as the control plane stored it.
async fn load_tenant(db: &Db, id: Uuid) -> Tenant {
    let mut tx = db.control().await.expect("a control transaction");
    let tenant = Tenant::find(&mut tx, id)
        .await
        .expect("the marketplace exists");
    tx.commit().await.expect("commit");
    tenant
}

async fn tenant_tx(db: &Db, tenant: &Tenant) -> TenantTx {
    // A staff path: the builder acts on a marketplace it has loaded.
    db.tenant(&TenantScope::staff(tenant))
        .await
        .expect("a tenant transaction")
}

mod listing;
mod order;
mod shop;
mod tenant;
mod user;

pub use listing::*;
pub use order::*;
pub use shop::*;
pub use tenant::*;
pub use user::*;
