//! A marketplace's legal pages (terms of sale, legal notice, privacy, contact), as its
//! operators write them; read and written inside the caller's tenant transaction.

use crate::schema::legal_pages;
use crate::{DbResult, TenantTx};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// Which legal page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LegalKind {
    Terms,
    LegalNotice,
    Privacy,
    Contact,
}

impl LegalKind {
    pub const ALL: [LegalKind; 4] = [
        LegalKind::Terms,
        LegalKind::LegalNotice,
        LegalKind::Privacy,
        LegalKind::Contact,
    ];

    /// The stored name (`legal_notice`).
    pub fn as_str(self) -> &'static str {
        match self {
            LegalKind::Terms => "terms",
            LegalKind::LegalNotice => "legal_notice",
            LegalKind::Privacy => "privacy",
            LegalKind::Contact => "contact",
        }
    }

    /// The page's path segment (`/legal/legal-notice`).
    pub fn slug(self) -> &'static str {
        match self {
            LegalKind::Terms => "terms",
            LegalKind::LegalNotice => "legal-notice",
            LegalKind::Privacy => "privacy",
            LegalKind::Contact => "contact",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.slug() == slug)
    }

    fn from_stored(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One written legal page.
#[derive(Debug, Clone, PartialEq)]
pub struct LegalPage {
    pub kind: LegalKind,
    pub body: String,
    pub updated_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = legal_pages, check_for_backend(diesel::pg::Pg))]
struct Row {
    kind: String,
    body: String,
    updated_at: DateTime<Utc>,
}

impl LegalPage {
    /// Every page the marketplace has written.
    pub async fn all(tx: &mut TenantTx) -> DbResult<Vec<LegalPage>> {
        let conn = crate::tx::conn(tx);
        let rows: Vec<Row> = legal_pages::table
            .select(Row::as_select())
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(LegalPage {
                    kind: LegalKind::from_stored(&r.kind)?,
                    body: r.body,
                    updated_at: r.updated_at,
                })
            })
            .collect())
    }

    /// Writes `kind` (an empty body removes the page).
    pub async fn put(
        tx: &mut TenantTx,
        kind: LegalKind,
        body: &str,
        by: Option<Uuid>,
    ) -> DbResult<()> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        if body.trim().is_empty() {
            diesel::delete(legal_pages::table.filter(legal_pages::kind.eq(kind.as_str())))
                .execute(conn)
                .await?;
            return Ok(());
        }
        diesel::insert_into(legal_pages::table)
            .values((
                legal_pages::tenant_id.eq(tenant_id),
                legal_pages::kind.eq(kind.as_str()),
                legal_pages::body.eq(body),
                legal_pages::updated_by.eq(by),
            ))
            .on_conflict((legal_pages::tenant_id, legal_pages::kind))
            .do_update()
            .set((
                legal_pages::body.eq(excluded(legal_pages::body)),
                legal_pages::updated_by.eq(excluded(legal_pages::updated_by)),
                legal_pages::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }
}
