//! Behavioural isolation at the database: two tenants, the platform's role, and every way
//! one tenant's transaction could touch the other's rows.

use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use krafto_db::models::{Category, NewCategory, NewTenant, OutboxMessage, Tenant, User};
use krafto_db::schema::{audit_log, categories, one_time_codes, outbox, users};
use krafto_db::{Db, DbRole, TenantScope, TenantTx};
use krafto_testkit::TestDb;
use uuid::Uuid;

struct Side {
    tenant: Uuid,
    scope: TenantScope,
    user: Uuid,
    category: Uuid,
}

fn new_tenant(slug: &str) -> NewTenant {
    NewTenant {
        id: Uuid::now_v7(),
        slug: slug.to_owned(),
        name: slug.to_owned(),
        template: "handmade".to_owned(),
        currency: "EUR".to_owned(),
        locale: "fr-FR".to_owned(),
        display_name: slug.to_owned(),
        logo_url: None,
        primary_color: "#112233".to_owned(),
        accent_color: "#445566".to_owned(),
        tagline: None,
        seller_commission_bps: 1000,
        platform_fee_bps: 200,
        minimum_order_minor: 0,
        features: serde_json::json!({}),
        refund_platform_fee: false,
    }
}

/// Tenant, user, category and an outbox message, written the way the app writes them.
async fn side(control: &Db, app: &Db, slug: &str) -> Side {
    let mut tx = control.control().await.expect("tx");
    let row = Tenant::insert(&mut tx, &new_tenant(slug))
        .await
        .expect("tenant");
    tx.commit().await.expect("commit");
    let (tenant, scope) = (row.id, TenantScope::staff(&row));
    let mut tx = app.tenant(&scope).await.expect("tx");
    let (user, _) = User::sign_in(&mut tx, &format!("ana@{slug}.example"))
        .await
        .expect("user");
    let category = Category::insert(
        &mut tx,
        &NewCategory {
            tenant_id: tenant,
            id: Uuid::now_v7(),
            parent_id: None,
            slug: "ceramics".into(),
            name: "Ceramics".into(),
            description: None,
            position: 0,
            names: serde_json::json!({}),
        },
    )
    .await
    .expect("category")
    .id;
    OutboxMessage::enqueue(&mut tx, "test.event", serde_json::json!({}))
        .await
        .expect("outbox");
    tx.commit().await.expect("commit");
    Side {
        tenant,
        scope,
        user: user.id,
        category,
    }
}

async fn two_tenants(db: &TestDb) -> (Db, Side, Side) {
    let control = db.pool(DbRole::Control, 2);
    let app = db.pool(DbRole::App, 1);
    let a = side(&control, &app, "alpha").await;
    let b = side(&control, &app, "beta").await;
    (app, a, b)
}

async fn counts(tx: &mut (impl Counting + ?Sized)) -> [i64; 5] {
    [
        tx.one(users::table.count()).await,
        tx.one(categories::table.count()).await,
        tx.one(one_time_codes::table.count()).await,
        tx.one(audit_log::table.count()).await,
        tx.one(outbox::table.count()).await,
    ]
}

#[tokio::test]
async fn reading_as_one_tenant_never_shows_another_tenants_rows() {
    let db = TestDb::new().await;
    let (app, a, b) = two_tenants(&db).await;
    let mut tx = app.tenant(&a.scope).await.unwrap();
    assert!(
        User::find(&mut tx, b.user)
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(
        Category::find(&mut tx, b.category)
            .await
            .unwrap_err()
            .is_not_found()
    );
    let visible: Vec<Uuid> = tx
        .fetch_all(users::table.select(users::tenant_id))
        .await
        .unwrap();
    assert_eq!(visible, vec![a.tenant], "only A's users are visible to A");
    let visible: Vec<Uuid> = tx
        .fetch_all(outbox::table.select(outbox::tenant_id))
        .await
        .unwrap();
    assert_eq!(visible, vec![a.tenant]);
    assert!(User::find(&mut tx, a.user).await.is_ok());
}

#[tokio::test]
async fn updating_and_deleting_as_one_tenant_touches_nothing_of_another() {
    let db = TestDb::new().await;
    let (app, a, b) = two_tenants(&db).await;
    let mut tx = app.tenant(&a.scope).await.unwrap();
    let updated = tx
        .run(
            diesel::update(users::table.filter(users::id.eq(b.user)))
                .set(users::role.eq("operator")),
        )
        .await
        .unwrap();
    let deleted_users = tx
        .run(diesel::delete(users::table.filter(users::id.eq(b.user))))
        .await
        .unwrap();
    let deleted_all_categories = tx.run(diesel::delete(categories::table)).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!((updated, deleted_users), (0, 0));
    assert_eq!(
        deleted_all_categories, 1,
        "a blanket delete only reaches A's own category"
    );
    let mut tx = app.tenant(&b.scope).await.unwrap();
    let user = User::find(&mut tx, b.user).await.unwrap();
    assert_eq!(user.role, "buyer", "B's user is untouched");
    assert!(
        Category::find(&mut tx, b.category).await.is_ok(),
        "B's category survived"
    );
}

#[tokio::test]
async fn inserting_a_row_for_another_tenant_fails() {
    let db = TestDb::new().await;
    let (app, a, b) = two_tenants(&db).await;
    let mut tx = app.tenant(&a.scope).await.unwrap();
    // The models cannot even say it (they take the tenant from the transaction), so write
    // the row by hand: the database's row-level security is the wall being tested.
    let err = tx
        .run(diesel::insert_into(users::table).values((
            users::tenant_id.eq(b.tenant),
            users::id.eq(Uuid::now_v7()),
            users::email.eq("mallory@example.com"),
            users::role.eq("buyer"),
        )))
        .await
        .unwrap_err();
    assert!(
        err.is_rls_violation(),
        "expected a row-level security refusal, got {err}"
    );
    drop(tx);
    let mut tx = app.tenant(&b.scope).await.unwrap();
    assert!(
        User::find_by_email(&mut tx, "mallory@example.com")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_foreign_key_cannot_point_into_another_tenant() {
    let db = TestDb::new().await;
    let (app, a, b) = two_tenants(&db).await;
    let mut tx = app.tenant(&a.scope).await.unwrap();
    let err = Category::insert(
        &mut tx,
        &NewCategory {
            tenant_id: a.tenant,
            id: Uuid::now_v7(),
            parent_id: Some(b.category),
            slug: "sneaky".into(),
            name: "Sneaky".into(),
            description: None,
            position: 0,
            names: serde_json::json!({}),
        },
    )
    .await
    .unwrap_err();
    assert!(
        err.to_string().contains("foreign key"),
        "expected a foreign key violation, got {err}"
    );
}

#[tokio::test]
async fn with_no_tenant_set_every_tenant_table_shows_zero_rows() {
    let db = TestDb::new().await;
    let (app, a, _b) = two_tenants(&db).await;
    let mut tx = app.control().await.unwrap();
    assert_eq!(counts(&mut tx).await, [0; 5]);
    tx.commit().await.unwrap();
    let mut tx = app.tenant(&a.scope).await.unwrap();
    let [u, c, _, _, o] = counts(&mut tx).await;
    assert_eq!(
        (u, c, o),
        (1, 1, 1),
        "the same rows exist and are visible with the tenant set"
    );
}

#[derive(QueryableByName)]
struct Setting {
    #[diesel(sql_type = Nullable<Text>)]
    value: Option<String>,
}

async fn current_tenant_setting(tx: &mut (impl Counting + ?Sized)) -> Option<String> {
    let s: Setting = tx
        .one(diesel::sql_query(
            "SELECT current_setting('app.tenant_id', true) AS value",
        ))
        .await;
    s.value.filter(|v| !v.is_empty())
}

#[tokio::test]
async fn a_pooled_connection_never_carries_one_tenants_setting_into_the_next() {
    let db = TestDb::new().await;
    // Pool of one: every transaction below runs on the same physical connection.
    let (app, a, b) = two_tenants(&db).await;
    let mut tx = app.tenant(&a.scope).await.unwrap();
    assert_eq!(
        current_tenant_setting(&mut tx).await,
        Some(a.tenant.to_string())
    );
    tx.commit().await.unwrap();

    let mut tx = app.tenant(&b.scope).await.unwrap();
    assert_eq!(
        current_tenant_setting(&mut tx).await,
        Some(b.tenant.to_string())
    );
    let seen: Vec<Uuid> = tx
        .fetch_all(users::table.select(users::tenant_id))
        .await
        .unwrap();
    assert_eq!(seen, vec![b.tenant]);
    // Abandoned without commit: rolled back, and the setting must not survive either.
    drop(tx);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;

    let mut tx = app.control().await.unwrap();
    assert_eq!(
        current_tenant_setting(&mut tx).await,
        None,
        "no tenant after the previous transaction ended"
    );
    assert_eq!(counts(&mut tx).await, [0; 5]);
    tx.commit().await.unwrap();
    assert_eq!(
        app.status().size,
        1,
        "all of this ran on one pooled connection"
    );
}

#[tokio::test]
async fn a_marketplace_may_restyle_only_itself_even_though_tenants_has_no_row_security() {
    let db = TestDb::new().await;
    let (app, a, b) = two_tenants(&db).await;
    let restyle = || krafto_db::models::TenantChanges {
        primary_color: Some("#123456".to_owned()),
        ..krafto_db::models::TenantChanges::default()
    };
    // Scoped to alpha, naming beta's row: the database refuses.
    let mut tx = app.tenant(&a.scope).await.unwrap();
    let err = Tenant::update(&mut tx, b.tenant, restyle())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("only its own branding"),
        "expected the branding scope refusal, got {err}"
    );
    drop(tx);
    // With no marketplace in scope at all: refused too.
    let mut tx = app.control().await.unwrap();
    assert!(Tenant::update(&mut tx, a.tenant, restyle()).await.is_err());
    drop(tx);
    // Its own row: allowed.
    let mut tx = app.tenant(&a.scope).await.unwrap();
    let own = Tenant::update(&mut tx, a.tenant, restyle()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(own.primary_color, "#123456");
    let control = db.pool(DbRole::Control, 1);
    let mut tx = control.control().await.unwrap();
    let beta = Tenant::find(&mut tx, b.tenant).await.unwrap();
    assert_ne!(beta.primary_color, "#123456", "beta is untouched");
}

/// The two kinds of transaction these tests read through, the same way.
trait Counting {
    async fn one<Q, U>(&mut self, q: Q) -> U
    where
        Q: diesel_async::methods::LoadQuery<'static, diesel_async::AsyncPgConnection, U>
            + Send
            + 'static,
        U: Send;
}

impl Counting for TenantTx {
    async fn one<Q, U>(&mut self, q: Q) -> U
    where
        Q: diesel_async::methods::LoadQuery<'static, diesel_async::AsyncPgConnection, U>
            + Send
            + 'static,
        U: Send,
    {
        self.fetch_one(q).await.expect("query")
    }
}

impl Counting for krafto_db::ControlTx {
    async fn one<Q, U>(&mut self, q: Q) -> U
    where
        Q: diesel_async::methods::LoadQuery<'static, diesel_async::AsyncPgConnection, U>
            + Send
            + 'static,
        U: Send,
    {
        self.fetch_one(q).await.expect("query")
    }
}

#[tokio::test]
async fn a_row_built_for_another_marketplace_is_refused_before_the_database_sees_it() {
    let db = TestDb::new().await;
    let (app, a, b) = two_tenants(&db).await;
    let mut tx = app.tenant(&a.scope).await.unwrap();
    let err = Category::insert(
        &mut tx,
        &NewCategory {
            tenant_id: b.tenant,
            id: Uuid::now_v7(),
            parent_id: None,
            slug: "elsewhere".into(),
            name: "Elsewhere".into(),
            description: None,
            position: 0,
            names: serde_json::json!({}),
        },
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, krafto_db::DbError::WrongTenant { row, .. } if row == b.tenant),
        "expected the wrong-tenant refusal, got {err}"
    );
    // The transaction is still usable: nothing reached the database.
    assert_eq!(
        Category::find(&mut tx, a.category).await.unwrap().id,
        a.category
    );
}
