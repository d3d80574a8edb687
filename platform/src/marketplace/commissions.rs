//! The marketplace's commission overrides: a rate its operators agree with a shop, or set
//! for a category. Which rate a sold line pays is `krafto_core::commission`'s rule; this
//! module loads that rule for a checkout ([`rule`]), lets operators list, set and remove
//! overrides (every change audited), and tells a seller their own rate.
//!
//! It never reprices anything: checkouts freeze each line's rate when they are made, and
//! order lines keep it.

use crate::{AppState, CurrentTenant};
use krafto_api_types::Code;
use krafto_api_types::commerce::{
    CommissionAppliesTo, CommissionOverrideView, CommissionsView, SetCommission,
};
use krafto_core::commerce::Rates;
use krafto_core::commission::{CommissionRule, RateSource, check_override};
use krafto_core::text::optional_line_text;
use krafto_core::{Bps, FieldError, Problems};
use krafto_db::TenantTx;
use krafto_db::models::{
    Actor, AuditEntry, Category, CommissionOverride, CommissionTarget, NewAuditEntry, Shop,
};
use krafto_web::{ApiError, ApiResult, RequestId};
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

/// Most shops a marketplace's console offers to choose from.
pub(crate) const MAX_SHOP_CHOICES: i64 = 2000;

fn bps(v: i32) -> ApiResult<Bps> {
    Bps::new(i64::from(v)).map_err(|e| ApiError::internal(&e))
}

/// The marketplace's commission rule as it stands in this transaction: its rates and every
/// override (the category tree is read only when a category has one).
pub(crate) async fn rule(tx: &mut TenantTx, rates: Rates) -> ApiResult<CommissionRule> {
    let overrides = CommissionOverride::all(tx).await?;
    let mut rule = CommissionRule::new(rates.commission, rates.platform_fee);
    let mut by_category = false;
    for o in &overrides {
        match o.target() {
            Some(CommissionTarget::Shop(s)) => rule = rule.with_shop(s, bps(o.commission_bps)?),
            Some(CommissionTarget::Category(c)) => {
                by_category = true;
                rule = rule.with_category(c, bps(o.commission_bps)?);
            }
            None => {}
        }
    }
    if by_category {
        for c in Category::all(tx).await? {
            if let Some(parent) = c.parent_id {
                rule = rule.with_parent(c.id, parent);
            }
        }
    }
    Ok(rule)
}

/// The names the views show: shops' and categories', by id.
struct Names {
    shops: HashMap<Uuid, String>,
    categories: HashMap<Uuid, String>,
}

impl Names {
    async fn load(tx: &mut TenantTx, overrides: &[CommissionOverride]) -> ApiResult<Names> {
        let shop_ids: Vec<Uuid> = overrides.iter().filter_map(|o| o.shop_id).collect();
        let shops = if shop_ids.is_empty() {
            HashMap::new()
        } else {
            Shop::names(tx, Some(&shop_ids), MAX_SHOP_CHOICES)
                .await?
                .into_iter()
                .collect()
        };
        let categories = if overrides.iter().any(|o| o.category_id.is_some()) {
            Category::all(tx)
                .await?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect()
        } else {
            HashMap::new()
        };
        Ok(Names { shops, categories })
    }

    fn view(&self, o: CommissionOverride, platform_fee: i32) -> CommissionOverrideView {
        CommissionOverrideView {
            id: o.id,
            applies_to: if o.shop_id.is_some() {
                CommissionAppliesTo::Shop
            } else {
                CommissionAppliesTo::Category
            },
            shop_name: o.shop_id.and_then(|s| self.shops.get(&s).cloned()),
            shop_id: o.shop_id,
            category_name: o.category_id.and_then(|c| self.categories.get(&c).cloned()),
            category_id: o.category_id,
            commission_bps: o.commission_bps,
            effective_commission_bps: o.commission_bps.max(platform_fee),
            note: o.note,
            created_at: o.created_at,
            created_by: o.created_by,
            updated_at: o.updated_at,
            updated_by: o.updated_by,
        }
    }
}

/// The marketplace's rate, Krafto's fee and every override: shops' first, then
/// categories', each by name.
pub(crate) async fn list(state: &AppState, tenant: &CurrentTenant) -> ApiResult<CommissionsView> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let overrides = CommissionOverride::all(&mut tx).await?;
    let names = Names::load(&mut tx, &overrides).await?;
    tx.commit().await?;
    let mut items: Vec<CommissionOverrideView> = overrides
        .into_iter()
        .map(|o| names.view(o, tenant.platform_fee_bps))
        .collect();
    items.sort_by_cached_key(|v| {
        (
            v.applies_to == CommissionAppliesTo::Category,
            v.shop_name
                .clone()
                .or_else(|| v.category_name.clone())
                .unwrap_or_default()
                .to_lowercase(),
        )
    });
    Ok(CommissionsView {
        marketplace_commission_bps: tenant.seller_commission_bps,
        platform_fee_bps: tenant.platform_fee_bps,
        items,
    })
}

/// What an audit entry names: the shop or the category.
fn audit_target(target: CommissionTarget) -> String {
    match target {
        CommissionTarget::Shop(s) => format!("shop:{s}"),
        CommissionTarget::Category(c) => format!("category:{c}"),
    }
}

/// The operator's user id, recorded as who made or changed an override.
fn by(actor: &Actor) -> Option<Uuid> {
    matches!(actor.kind, "operator" | "user")
        .then_some(actor.id)
        .flatten()
}

/// Sets the rate of one shop or one category (made if it has none). Every invalid field is
/// named and nothing is written: exactly one of `shop_id` and `category_id`, of this
/// marketplace; a rate of 0 to 10 000 basis points and not below Krafto's fee; a one-line
/// note. Returns the override and whether it was made by this call.
pub(crate) async fn set(
    state: &AppState,
    tenant: &CurrentTenant,
    rid: &RequestId,
    actor: &Actor,
    body: &SetCommission,
) -> ApiResult<(CommissionOverrideView, bool)> {
    let mut p = Problems::new();
    let target = match (body.shop_id, body.category_id) {
        (Some(s), None) => Some(CommissionTarget::Shop(s)),
        (None, Some(c)) => Some(CommissionTarget::Category(c)),
        (None, None) => {
            p.push(FieldError::new("shop_id", "give a shop or a category"));
            None
        }
        (Some(_), Some(_)) => {
            p.push(FieldError::new(
                "category_id",
                "give a shop or a category, not both",
            ));
            None
        }
    };
    let rate = match check_override(body.commission_bps, bps(tenant.platform_fee_bps)?) {
        Ok(r) => Some(r),
        Err(e) => {
            p.push(e);
            None
        }
    };
    let note = p.check("note", optional_line_text(body.note.as_deref(), 300));
    p.finish().map_err(ApiError::validation)?;
    let (Some(target), Some(rate), Some(note)) = (target, rate, note) else {
        return Err(ApiError::internal(&"validated fields missing"));
    };
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    check_target(&mut tx, target).await?;
    let before = CommissionOverride::of_target_for_update(&mut tx, target).await?;
    let saved = CommissionOverride::put(
        &mut tx,
        target,
        i32::from(rate.get()),
        note.as_deref(),
        by(actor),
    )
    .await?;
    AuditEntry::record(
        &mut tx,
        &NewAuditEntry::new(
            actor,
            "commission.set",
            audit_target(target),
            json!({
                "commission_bps": {
                    "from": before.as_ref().map(|b| b.commission_bps),
                    "to": saved.commission_bps,
                },
                "note": saved.note,
            }),
            Some(rid.0.clone()),
        ),
    )
    .await?;
    let names = Names::load(&mut tx, std::slice::from_ref(&saved)).await?;
    tx.commit().await?;
    Ok((names.view(saved, tenant.platform_fee_bps), before.is_none()))
}

/// The shop or category must be this marketplace's (row-level security hides every other
/// marketplace's, so another's is "no such" here too).
async fn check_target(tx: &mut TenantTx, target: CommissionTarget) -> ApiResult<()> {
    let (found, field, message) = match target {
        CommissionTarget::Shop(s) => (
            Shop::find(tx, s).await.map(|_| ()),
            "shop_id",
            "no such shop in this marketplace",
        ),
        CommissionTarget::Category(c) => (
            Category::find(tx, c).await.map(|_| ()),
            "category_id",
            "no such category in this marketplace",
        ),
    };
    match found {
        Ok(()) => Ok(()),
        Err(e) if e.is_not_found() => Err(ApiError::field(FieldError::new(field, message))),
        Err(e) => Err(e.into()),
    }
}

/// Removes override `id`: its lines pay the next rate of the rule from now on. 404
/// `commission_not_found` when this marketplace has no such override.
pub(crate) async fn remove(
    state: &AppState,
    tenant: &CurrentTenant,
    rid: &RequestId,
    actor: &Actor,
    id: Uuid,
) -> ApiResult<()> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let removed = CommissionOverride::remove(&mut tx, id).await?;
    let Some((removed, target)) = removed.and_then(|r| r.target().map(|t| (r, t))) else {
        return Err(ApiError::not_found(
            Code::CommissionNotFound,
            format!("no commission override {id} in this marketplace"),
        ));
    };
    AuditEntry::record(
        &mut tx,
        &NewAuditEntry::new(
            actor,
            "commission.removed",
            audit_target(target),
            json!({
                "commission_bps": { "from": removed.commission_bps, "to": null },
            }),
            Some(rid.0.clone()),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A shop's commission as its seller is told it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShopCommission {
    /// What the shop's lines pay (outside the categories below).
    pub commission_bps: i32,
    /// Whether the rate was agreed with the shop.
    pub negotiated: bool,
    /// Without a rate of its own, the categories that pay another rate: (name, bps).
    pub categories: Vec<(String, i32)>,
}

/// The commission the signed-in seller's shop pays on its next sales (sales already made
/// keep theirs).
pub(crate) async fn of_seller(
    state: &AppState,
    tenant: &CurrentTenant,
    seller: &krafto_auth::UserClaims,
) -> ApiResult<ShopCommission> {
    let rates = crate::commerce::rates_of(tenant)?;
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop_id = crate::catalog::selling::my_shop(&mut tx, seller).await?.id;
    let rule = rule(&mut tx, rates).await?;
    let overrides = CommissionOverride::all(&mut tx).await?;
    let names = Names::load(&mut tx, &overrides).await?;
    tx.commit().await?;
    let own = rule.rate(shop_id, None);
    let negotiated = own.source == RateSource::Shop;
    let mut categories: Vec<(String, i32)> = if negotiated {
        Vec::new()
    } else {
        overrides
            .iter()
            .filter_map(|o| {
                let c = o.category_id?;
                let name = names.categories.get(&c)?.clone();
                let rate = rule.rate(shop_id, Some(c)).commission.get();
                Some((name, i32::from(rate)))
            })
            .collect()
    };
    categories.sort();
    Ok(ShopCommission {
        commission_bps: i32::from(own.commission.get()),
        negotiated,
        categories,
    })
}
