//! The schema audit: reads the catalog and fails when any tenant table could leak.

use diesel::QueryableByName;
use diesel::sql_types::{Array, Bool, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use krafto_testkit::TestDb;
use std::collections::{BTreeMap, BTreeSet};

/// Control-plane tables: no row-level security, the platform may only read the ones it
/// routes with. Every other table must be a tenant table.
const CONTROL_PLANE_TABLES: &[&str] = &[
    "tenants",
    "tenant_domains",
    "staff",
    "payment_accounts",
    // Issue 13: routes a payment's events (disputes) to its marketplace; only the mapping.
    "payment_routes",
    // Issue 11: no tenant data in these (a keyed hash of an address; revocation ids; staff's
    // sessions).
    "otp_address_requests",
    "revoked_tokens",
    "staff_sessions",
];
/// Policies besides `tenant_isolation`, each a deliberate exception: (table, policy, role).
const EXTRA_POLICIES: &[(&str, &str, &str)] = &[("outbox", "worker_claims", "krafto_worker")];
const EXPECTED_QUAL: &str = "(tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS \"nullif\"))";

#[derive(QueryableByName, Debug)]
struct TableRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Bool)]
    has_tenant_id: bool,
    #[diesel(sql_type = Bool)]
    rls: bool,
    #[diesel(sql_type = Bool)]
    forced: bool,
}

async fn tables(conn: &mut AsyncPgConnection) -> Vec<TableRow> {
    diesel::sql_query(
        "SELECT c.relname AS name,
                EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped) AS has_tenant_id,
                c.relrowsecurity AS rls, c.relforcerowsecurity AS forced
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> '__diesel_schema_migrations'
          ORDER BY 1",
    )
    .load(conn)
    .await
    .expect("tables")
}

#[derive(QueryableByName, Debug)]
struct PolicyRow {
    #[diesel(sql_type = Text)]
    tablename: String,
    #[diesel(sql_type = Text)]
    policyname: String,
    #[diesel(sql_type = Array<Text>)]
    roles: Vec<String>,
    #[diesel(sql_type = Nullable<Text>)]
    qual: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    with_check: Option<String>,
}

#[tokio::test]
async fn every_tenant_table_forces_row_level_security_with_the_tenant_policy() {
    let db = TestDb::new().await;
    let mut conn = db.superuser().await;
    let all = tables(&mut conn).await;
    let policies: Vec<PolicyRow> = diesel::sql_query(
        "SELECT tablename::text, policyname::text, roles::text[] AS roles, qual, with_check FROM pg_policies WHERE schemaname = 'public'",
    )
    .load(&mut conn)
    .await
    .expect("policies");
    let tenant_tables: Vec<&TableRow> = all
        .iter()
        .filter(|t| !CONTROL_PLANE_TABLES.contains(&t.name.as_str()))
        .collect();
    assert!(
        tenant_tables.len() >= 5,
        "expected the tenant tables, found {tenant_tables:?}"
    );
    let mut failures = Vec::new();
    for t in &tenant_tables {
        if !t.has_tenant_id {
            failures.push(format!(
                "{}: not a control-plane table, yet it has no tenant_id column",
                t.name
            ));
        }
        if !t.rls || !t.forced {
            failures.push(format!(
                "{}: row-level security enabled={} forced={}",
                t.name, t.rls, t.forced
            ));
        }
        let mine: Vec<&PolicyRow> = policies.iter().filter(|p| p.tablename == t.name).collect();
        match mine.iter().find(|p| p.policyname == "tenant_isolation") {
            Some(p) => {
                if p.roles != ["public"]
                    || p.qual.as_deref() != Some(EXPECTED_QUAL)
                    || p.with_check.as_deref() != Some(EXPECTED_QUAL)
                {
                    failures.push(format!(
                        "{}: tenant_isolation has the wrong shape: {p:?}",
                        t.name
                    ));
                }
            }
            None => failures.push(format!("{}: no tenant_isolation policy", t.name)),
        }
        for p in mine.iter().filter(|p| p.policyname != "tenant_isolation") {
            let allowed = EXTRA_POLICIES.iter().any(|(tb, name, role)| {
                *tb == t.name && *name == p.policyname && p.roles == [*role]
            });
            if !allowed {
                failures.push(format!("{}: unexpected policy {p:?}", t.name));
            }
        }
    }
    for name in CONTROL_PLANE_TABLES {
        assert!(
            all.iter().any(|t| t.name == *name),
            "control-plane table {name} is missing"
        );
    }
    assert!(
        failures.is_empty(),
        "schema audit failed:\n{}",
        failures.join("\n")
    );
}

#[derive(QueryableByName, Debug)]
struct KeyRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    constraint_name: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Bool)]
    includes_tenant_id: bool,
    #[diesel(sql_type = Bool)]
    leads_with_tenant_id: bool,
}

#[tokio::test]
async fn tenant_primary_and_foreign_keys_include_tenant_id() {
    let db = TestDb::new().await;
    let mut conn = db.superuser().await;
    let keys: Vec<KeyRow> = diesel::sql_query(
        "SELECT c.relname::text AS table_name, k.conname::text AS constraint_name, k.contype::text AS kind,
                (SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id') = ANY (k.conkey) AS includes_tenant_id,
                (SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id') = k.conkey[1] AS leads_with_tenant_id
           FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND k.contype IN ('p', 'f', 'u')
            AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')
            AND c.relname <> ALL (ARRAY['tenants', 'tenant_domains', 'staff', 'payment_accounts', 'payment_routes'])",
    )
    .load(&mut conn)
    .await
    .expect("constraints");
    let mut failures = Vec::new();
    let mut tables_with_pk = BTreeSet::new();
    for k in &keys {
        match k.kind.as_str() {
            "p" => {
                tables_with_pk.insert(k.table_name.clone());
                if !k.leads_with_tenant_id {
                    failures.push(format!(
                        "{}.{}: primary key does not lead with tenant_id",
                        k.table_name, k.constraint_name
                    ));
                }
            }
            _ if !k.includes_tenant_id => {
                failures.push(format!(
                    "{}.{}: {} key without tenant_id",
                    k.table_name, k.constraint_name, k.kind
                ));
            }
            _ => {}
        }
    }
    for t in tables(&mut conn)
        .await
        .iter()
        .filter(|t| t.has_tenant_id && !CONTROL_PLANE_TABLES.contains(&t.name.as_str()))
    {
        if !tables_with_pk.contains(&t.name) {
            failures.push(format!("{}: no primary key", t.name));
        }
    }
    assert!(
        failures.is_empty(),
        "key audit failed:\n{}",
        failures.join("\n")
    );
}

#[derive(QueryableByName, Debug)]
struct RoleRow {
    #[diesel(sql_type = Text)]
    rolname: String,
    #[diesel(sql_type = Bool)]
    rolsuper: bool,
    #[diesel(sql_type = Bool)]
    rolbypassrls: bool,
    #[diesel(sql_type = Bool)]
    owns_something: bool,
}

#[derive(QueryableByName, Debug)]
struct Privilege {
    #[diesel(sql_type = Bool)]
    granted: bool,
}

async fn column_privilege(
    conn: &mut AsyncPgConnection,
    role: &str,
    table: &str,
    column: &str,
    privilege: &str,
) -> bool {
    let row: Privilege = diesel::sql_query(format!(
        "SELECT has_column_privilege('{role}', '{table}', '{column}', '{privilege}') AS granted"
    ))
    .get_result(conn)
    .await
    .expect("column privilege");
    row.granted
}

async fn privilege(conn: &mut AsyncPgConnection, role: &str, table: &str, privilege: &str) -> bool {
    let row: Privilege = diesel::sql_query(format!(
        "SELECT has_table_privilege('{role}', '{table}', '{privilege}') AS granted"
    ))
    .get_result(conn)
    .await
    .expect("privilege");
    row.granted
}

#[tokio::test]
async fn runtime_roles_cannot_bypass_row_level_security_and_own_nothing() {
    let db = TestDb::new().await;
    let mut conn = db.superuser().await;
    let roles: Vec<RoleRow> = diesel::sql_query(
        "SELECT r.rolname::text AS rolname, r.rolsuper, r.rolbypassrls,
                EXISTS (SELECT 1 FROM pg_class c WHERE c.relowner = r.oid) AS owns_something
           FROM pg_roles r WHERE r.rolname IN ('krafto_app', 'krafto_control', 'krafto_worker', 'krafto_owner') ORDER BY 1",
    )
    .load(&mut conn)
    .await
    .expect("roles");
    assert_eq!(roles.len(), 4, "{roles:?}");
    for r in &roles {
        assert!(
            !r.rolsuper && !r.rolbypassrls,
            "{} may bypass row-level security: {r:?}",
            r.rolname
        );
        if r.rolname != "krafto_owner" {
            assert!(
                !r.owns_something,
                "{} owns a relation, so FORCE would be its only guard",
                r.rolname
            );
        }
    }
    let owner_owns_all: Privilege = diesel::sql_query(
        "SELECT bool_and(pg_get_userbyid(c.relowner) = 'krafto_owner') AS granted
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> '__diesel_schema_migrations'",
    )
    .get_result(&mut conn)
    .await
    .expect("owners");
    assert!(
        owner_owns_all.granted,
        "every table must be owned by krafto_owner"
    );
    // The platform reads the routing tables and nothing else of the control plane.
    assert!(privilege(&mut conn, "krafto_app", "tenants", "SELECT").await);
    for p in ["INSERT", "UPDATE", "DELETE"] {
        assert!(
            !privilege(&mut conn, "krafto_app", "tenants", p).await,
            "krafto_app may {p} tenants"
        );
        assert!(
            !privilege(&mut conn, "krafto_app", "tenant_domains", p).await,
            "krafto_app may {p} tenant_domains"
        );
    }
    // Operators restyle their marketplace: the platform may update the branding columns
    // of `tenants` and nothing else that matters (fees, status, slug stay with the control
    // plane).
    for column in [
        "display_name",
        "logo_url",
        "primary_color",
        "accent_color",
        "tagline",
    ] {
        assert!(
            column_privilege(&mut conn, "krafto_app", "tenants", column, "UPDATE").await,
            "krafto_app may not update tenants.{column}"
        );
    }
    for column in [
        "slug",
        "status",
        "seller_commission_bps",
        "platform_fee_bps",
        "buyer_fee_bps",
        "features",
        "stripe_account_id",
    ] {
        assert!(
            !column_privilege(&mut conn, "krafto_app", "tenants", column, "UPDATE").await,
            "krafto_app may update tenants.{column}"
        );
    }
    assert!(
        !privilege(&mut conn, "krafto_app", "staff", "SELECT").await,
        "krafto_app may read staff"
    );
    assert!(
        !privilege(&mut conn, "krafto_app", "staff_sessions", "SELECT").await,
        "krafto_app may read staff sessions"
    );
    for p in ["UPDATE", "TRUNCATE"] {
        for table in ["revoked_tokens", "otp_address_requests"] {
            assert!(
                !privilege(&mut conn, "krafto_app", table, p).await,
                "krafto_app may {p} {table}"
            );
        }
    }
    for p in ["UPDATE", "DELETE"] {
        assert!(
            !privilege(&mut conn, "krafto_app", "audit_log", p).await,
            "audit_log must be append-only, krafto_app may {p}"
        );
    }
    assert!(
        !privilege(&mut conn, "krafto_worker", "users", "SELECT").await,
        "the worker may read users"
    );
}

#[derive(QueryableByName, Debug)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Text)]
    is_nullable: String,
    #[diesel(sql_type = Text)]
    udt_name: String,
}

/// `diesel::table!` columns of `crates/krafto-db/src/schema.rs`: table → column → type.
fn declared_schema() -> BTreeMap<String, BTreeMap<String, String>> {
    let src = include_str!("../../crates/krafto-db/src/schema.rs");
    let mut tables = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in src.lines().map(str::trim) {
        if let Some(name) = line
            .strip_suffix('{')
            .map(str::trim)
            .filter(|l| l.contains('('))
        {
            current = Some(
                name.split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
            );
        } else if line == "}" {
            current = None;
        } else if let (Some(t), Some((col, ty))) = (&current, line.split_once("->")) {
            tables
                .entry(t.clone())
                .or_insert_with(BTreeMap::new)
                .insert(
                    col.trim().to_owned(),
                    ty.trim().trim_end_matches(',').to_owned(),
                );
        }
    }
    tables
}

fn diesel_type(data_type: &str, udt_name: &str, nullable: bool) -> String {
    if data_type == "ARRAY" {
        let element = diesel_type(udt_name.trim_start_matches('_'), "", false);
        return diesel_type_nullable(format!("Array<{element}>"), nullable);
    }
    let base = match data_type {
        "uuid" => "Uuid",
        "text" => "Text",
        // (Array elements arrive by their type name: `_int4` → `int4`.)
        "integer" | "int4" => "Int4",
        "bigint" | "int8" => "Int8",
        "boolean" => "Bool",
        "jsonb" => "Jsonb",
        "timestamp with time zone" => "Timestamptz",
        "date" => "Date",
        "double precision" => "Float8",
        "numeric" => "Numeric",
        "tsvector" => "Tsvector",
        other => other,
    };
    diesel_type_nullable(base.to_owned(), nullable)
}

fn diesel_type_nullable(base: String, nullable: bool) -> String {
    if nullable {
        format!("Nullable<{base}>")
    } else {
        base
    }
}

#[tokio::test]
async fn schema_rs_matches_the_migrated_database() {
    let db = TestDb::new().await;
    let mut conn = db.superuser().await;
    let cols: Vec<ColumnRow> = diesel::sql_query(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text, udt_name::text FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
    )
    .load(&mut conn)
    .await
    .expect("columns");
    let mut actual: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for c in cols {
        actual.entry(c.table_name).or_default().insert(
            c.column_name,
            diesel_type(&c.data_type, &c.udt_name, c.is_nullable == "YES"),
        );
    }
    assert_eq!(
        declared_schema(),
        actual,
        "schema.rs is out of date with the migrations: update crates/krafto-db/src/schema.rs"
    );
}

#[derive(QueryableByName, Debug)]
struct Public {
    #[diesel(sql_type = Bool)]
    public: bool,
}

/// The database keeps `listings.public` by triggers; it must say exactly what
/// `krafto_core::catalog::visible_to_buyers` says, for every pair of statuses, and follow a
/// shop's status changes.
#[tokio::test]
async fn the_databases_visibility_flag_agrees_with_the_catalog_rule() {
    use krafto_core::catalog::{ListingStatus, ShopStatus, visible_to_buyers};
    let db = TestDb::new().await;
    let mut conn = db.superuser().await;
    let tenant = uuid::Uuid::now_v7();
    let user = uuid::Uuid::now_v7();
    let shop = uuid::Uuid::now_v7();
    diesel_async::SimpleAsyncConnection::batch_execute(
        &mut conn,
        &format!(
            "INSERT INTO tenants (id, slug, name, template, currency, locale, display_name, primary_color, accent_color, seller_commission_bps, platform_fee_bps) \
             VALUES ('{tenant}', 'vis', 'Vis', 'handmade', 'EUR', 'fr', 'Vis', '#000000', '#ffffff', 1000, 200); \
             INSERT INTO users (tenant_id, id, email, role) VALUES ('{tenant}', '{user}', 'a@b.fr', 'seller'); \
             INSERT INTO shops (tenant_id, id, owner_id, slug, name) VALUES ('{tenant}', '{shop}', '{user}', 'vis', 'Vis')"
        ),
    )
    .await
    .expect("seed");
    let mut listings = Vec::new();
    for l in ListingStatus::ALL {
        let id = uuid::Uuid::now_v7();
        diesel::sql_query(format!(
            "INSERT INTO listings (tenant_id, id, shop_id, title, price_minor, currency, quantity, status) \
             VALUES ('{tenant}', '{id}', '{shop}', 'x', 100, 'EUR', 1, '{}')",
            l.as_str()
        ))
        .execute(&mut conn)
        .await
        .expect("listing");
        listings.push((l, id));
    }
    for s in ShopStatus::ALL {
        diesel::sql_query(format!(
            "UPDATE shops SET status = '{}' WHERE id = '{shop}'",
            s.as_str()
        ))
        .execute(&mut conn)
        .await
        .expect("shop status");
        for (l, id) in &listings {
            let row: Public =
                diesel::sql_query(format!("SELECT public FROM listings WHERE id = '{id}'"))
                    .get_result(&mut conn)
                    .await
                    .expect("public");
            assert_eq!(
                row.public,
                visible_to_buyers(*l, s),
                "listing {l:?} in a {s:?} shop"
            );
        }
    }
}
