//! The marketplace's legal pages (terms of sale, legal notice, privacy, contact; seed 000
//! X-LEGAL-01), written by its operators, shown at `/legal/{page}` and linked from every
//! page's footer and from checkout. Read through the tenant cache (every visitor may open
//! them; they change rarely).

use crate::catalog::record;
use crate::{AppState, CurrentTenant};
use krafto_api_types::Code;
use krafto_api_types::legal::{LegalPageView, LegalPages};
use krafto_core::FieldError;
use krafto_db::models::{Actor, LegalKind, LegalPage};
use krafto_web::{ApiError, ApiResult, RequestId};
use serde_json::json;
use std::sync::Arc;
use uuid::Uuid;

/// The longest legal page, in characters (a long privacy policy is ~30,000).
pub(crate) const MAX_CHARS: usize = 50_000;

/// The page named `raw` in an address (`legal-notice`), or a 404 naming the pages there are.
pub(crate) fn kind(raw: &str) -> ApiResult<LegalKind> {
    LegalKind::from_slug(raw).ok_or_else(|| {
        ApiError::not_found(
            Code::NotFound,
            format!("there is no legal page `{raw}`; the pages are terms, legal-notice, privacy and contact"),
        )
    })
}

fn view(kind: LegalKind, page: Option<&LegalPage>) -> LegalPageView {
    LegalPageView {
        page: kind.slug().to_owned(),
        body: page.map(|p| p.body.clone()).unwrap_or_default(),
        updated_at: page.map(|p| p.updated_at),
    }
}

/// Every written page, cached with the tenant (dropped when an operator saves one).
pub(crate) async fn written(
    state: &AppState,
    tenant: &CurrentTenant,
) -> ApiResult<Arc<Vec<LegalPage>>> {
    let (db, scope) = (state.db.clone(), tenant.scope());
    state
        .tenants
        .derived(
            tenant.id,
            "legal",
            Uuid::nil(),
            Box::pin(async move {
                let mut tx = db.tenant(&scope).await?;
                let all = LegalPage::all(&mut tx).await?;
                tx.commit().await?;
                Ok::<_, krafto_db::DbError>(all)
            }),
        )
        .await
        .map_err(|e| ApiError::from(&*e))
}

/// The four pages, written or not, in the footer's order.
pub(crate) async fn pages(state: &AppState, tenant: &CurrentTenant) -> ApiResult<LegalPages> {
    let written = written(state, tenant).await?;
    Ok(LegalPages {
        items: LegalKind::ALL
            .into_iter()
            .map(|k| view(k, written.iter().find(|p| p.kind == k)))
            .collect(),
    })
}

/// One page as the storefront shows it: a 404 when the marketplace has not written it.
pub(crate) async fn page(
    state: &AppState,
    tenant: &CurrentTenant,
    kind: LegalKind,
) -> ApiResult<LegalPageView> {
    let written = written(state, tenant).await?;
    match written.iter().find(|p| p.kind == kind) {
        Some(p) => Ok(view(kind, Some(p))),
        None => Err(ApiError::not_found(
            Code::NotFound,
            format!(
                "this marketplace has not published its {} page yet",
                kind.slug()
            ),
        )),
    }
}

/// Writes (or, with an empty text, takes down) a page, records who did it, and drops the
/// cached pages of every instance.
pub(crate) async fn save(
    state: &AppState,
    tenant: &CurrentTenant,
    rid: &RequestId,
    actor: &Actor,
    kind: LegalKind,
    body: &str,
) -> ApiResult<LegalPageView> {
    let body = body.replace("\r\n", "\n");
    let body = body.trim();
    if body.chars().count() > MAX_CHARS {
        return Err(ApiError::field(FieldError::new(
            "body",
            format!("must be at most {MAX_CHARS} characters"),
        )));
    }
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let before = LegalPage::all(&mut tx)
        .await?
        .into_iter()
        .find(|p| p.kind == kind)
        .map_or(0, |p| p.body.chars().count());
    LegalPage::put(&mut tx, kind, body, actor.id).await?;
    let after = LegalPage::all(&mut tx)
        .await?
        .into_iter()
        .find(|p| p.kind == kind);
    record(
        &mut tx,
        actor,
        if after.is_some() {
            "legal.updated"
        } else {
            "legal.removed"
        },
        format!("legal:{}", kind.slug()),
        json!({ "from": { "characters": before }, "to": { "characters": body.chars().count() } }),
        rid,
    )
    .await?;
    tx.commit().await?;
    state.tenant_changed(tenant.id).await;
    Ok(view(kind, after.as_ref()))
}
