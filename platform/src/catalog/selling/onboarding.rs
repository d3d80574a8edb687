//! The seller's onboarding checklist: profile, verification, payouts, first listing.

use super::my_shop;
use super::shop::profile_gaps;
use crate::catalog;
use crate::{AppState, CurrentTenant};
use krafto_api_types::catalog::{Onboarding, OnboardingStep};
use krafto_auth::UserClaims;
use krafto_core::catalog::{ListingStatus, VerificationStatus};
use krafto_db::models::{Listing, ShopVerification};
use krafto_web::ApiResult;

/// The seller's onboarding checklist, resumable at any time.
pub(crate) async fn onboarding(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
) -> ApiResult<Onboarding> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let verification = ShopVerification::latest_of(&mut tx, shop.id).await?;
    let live = Listing::count_of_shop_in(&mut tx, shop.id, &ListingStatus::public()).await?;
    let pending =
        Listing::count_of_shop_in(&mut tx, shop.id, &[ListingStatus::PendingReview]).await?;
    let payouts = krafto_db::models::SellerAccount::of_shop(&mut tx, shop.id).await?;
    tx.commit().await?;
    let gaps = profile_gaps(&shop);
    let profile_detail = if gaps.is_empty() {
        "complete".to_owned()
    } else {
        format!(
            "missing: {}",
            gaps.iter()
                .map(|g| g.field.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let (verification_done, verification_detail) = match verification.as_ref().map(|v| v.status) {
        Some(VerificationStatus::Approved) => (true, VerificationStatus::Approved.to_string()),
        Some(VerificationStatus::Submitted) => (
            true,
            "submitted, waiting for the marketplace's review".to_owned(),
        ),
        Some(VerificationStatus::Rejected) => (
            false,
            format!(
                "rejected: {}; submit again",
                verification
                    .and_then(|v| v.decision_reason)
                    .unwrap_or_default()
            ),
        ),
        None => (
            false,
            "submit your legal name, business type, address and documents".to_owned(),
        ),
    };
    let steps = vec![
        OnboardingStep {
            key: "profile".into(),
            done: gaps.is_empty(),
            detail: profile_detail,
        },
        OnboardingStep {
            key: "verification".into(),
            done: verification_done,
            detail: verification_detail,
        },
        OnboardingStep {
            key: "payouts".into(),
            done: payouts.as_ref().is_some_and(|a| a.ready()),
            detail: match payouts {
                Some(a) if a.ready() => "payments and payouts enabled".into(),
                Some(a) if a.requirements.is_empty() => "Stripe is checking your details".into(),
                Some(a) => format!("Stripe still needs: {}", a.requirements.join(", ")),
                None => "connect a bank account through Stripe to get paid".into(),
            },
        },
        OnboardingStep {
            key: "first_listing".into(),
            done: live > 0,
            detail: if live > 0 {
                format!("{live} listing(s) live")
            } else if pending > 0 {
                format!("{pending} listing(s) waiting for review")
            } else {
                "publish your first listing".into()
            },
        },
    ];
    let next_step = steps.iter().find(|s| !s.done).map(|s| s.key.clone());
    Ok(Onboarding {
        complete: next_step.is_none(),
        next_step,
        steps,
        shop_status: catalog::shop_status_name(shop.status),
    })
}
