//! The status columns and their krafto-core enums agree: each enum's values are exactly the
//! texts its column's CHECK constraint allows, each value is written as its text and read
//! back unchanged through Postgres, and a text the enum does not know fails to load.

use diesel::QueryableByName;
use diesel::sql_types::Text;
use diesel::{IntoSql, select};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use krafto_core::catalog::{ListingStatus, ReportStatus, ShopStatus, VerificationStatus};
use krafto_core::commerce::{CheckoutStatus, OrderStatus, SettlementStatus};
use krafto_core::{OutboxStatus, TenantStatus};
use krafto_testkit::TestDb;
use std::collections::BTreeSet;

#[derive(QueryableByName, Debug)]
struct ConstraintRow {
    #[diesel(sql_type = Text)]
    def: String,
}

/// The texts the one single-column CHECK constraint on `table.column` allows.
async fn allowed_texts(
    conn: &mut AsyncPgConnection,
    table: &str,
    column: &str,
) -> BTreeSet<String> {
    let rows: Vec<ConstraintRow> = diesel::sql_query(
        "SELECT pg_get_constraintdef(c.oid) AS def
           FROM pg_constraint c
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
          WHERE c.conrelid = $1::regclass AND c.contype = 'c' AND a.attname = $2
            AND cardinality(c.conkey) = 1",
    )
    .bind::<Text, _>(table)
    .bind::<Text, _>(column)
    .load(conn)
    .await
    .expect("the CHECK constraints");
    assert_eq!(
        rows.len(),
        1,
        "{table}.{column} has exactly one CHECK of its own: {rows:?}"
    );
    // `CHECK ((status = ANY (ARRAY['a'::text, 'b'::text])))`: the quoted parts.
    let def = &rows[0].def;
    let texts: BTreeSet<String> = def
        .split('\'')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    assert!(!texts.is_empty(), "no list in {def}");
    texts
}

/// One enum against its column: the same set of texts (but the values the column never
/// holds, after `except`), and every value through Postgres.
macro_rules! assert_column_matches {
    ($conn:expr, $table:literal, $enum:ty) => {
        assert_column_matches!($conn, $table, $enum, except [])
    };
    ($conn:expr, $table:literal, $enum:ty, except [$($never:expr),*]) => {{
        let conn: &mut AsyncPgConnection = $conn;
        let never: Vec<$enum> = vec![$($never),*];
        let ours: BTreeSet<String> = <$enum>::ALL
            .iter()
            .filter(|v| !never.contains(v))
            .map(|v| v.to_string())
            .collect();
        assert_eq!(
            ours.len(),
            <$enum>::ALL.len() - never.len(),
            "{} repeats a text",
            stringify!($enum)
        );
        assert_eq!(
            ours,
            allowed_texts(conn, $table, "status").await,
            "{} and the CHECK constraint of {}.status list different values",
            stringify!($enum),
            $table
        );
        for v in <$enum>::ALL {
            let written: String = select(v.into_sql::<Text>())
                .get_result(conn)
                .await
                .expect("bind the status");
            assert_eq!(written, v.as_str(), "{v:?} is written as its text");
            let read: $enum = select(v.as_str().into_sql::<Text>())
                .get_result(conn)
                .await
                .expect("read the status");
            assert_eq!(read, v);
        }
        let unknown = select("no_such_status".into_sql::<Text>())
            .get_result::<$enum>(conn)
            .await;
        assert!(
            unknown.is_err(),
            "{} loaded an unknown text: {unknown:?}",
            stringify!($enum)
        );
    }};
}

#[tokio::test]
async fn every_status_enum_matches_its_check_constraint() {
    let db = TestDb::new().await;
    let mut conn = db.superuser().await;
    assert_column_matches!(&mut conn, "tenants", TenantStatus);
    assert_column_matches!(&mut conn, "outbox", OutboxStatus);
    assert_column_matches!(&mut conn, "shops", ShopStatus);
    assert_column_matches!(&mut conn, "shop_verifications", VerificationStatus);
    assert_column_matches!(&mut conn, "listings", ListingStatus);
    assert_column_matches!(&mut conn, "reports", ReportStatus);
    assert_column_matches!(&mut conn, "checkouts", CheckoutStatus);
    assert_column_matches!(&mut conn, "orders", OrderStatus);
    assert_column_matches!(&mut conn, "transfers", SettlementStatus);
    // A refund is sent when it is recorded: never held.
    assert_column_matches!(
        &mut conn,
        "refunds",
        SettlementStatus,
        except[SettlementStatus::Held]
    );
}
