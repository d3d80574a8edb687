//! The seller's onboarding checklist: profile, verification, payouts, first listing.

use super::my_shop;
use super::shop::profile_gaps;
use crate::catalog;
use crate::{AppState, CurrentTenant};
use krafto_api_types::catalog::{Onboarding, OnboardingStep};
use krafto_auth::UserClaims;
use krafto_core::catalog::{ListingStatus, ShopStatus, VerificationStatus};
use krafto_db::models::{Listing, ShopVerification};
use krafto_web::ApiResult;

/// The seller's onboarding checklist, resumable at any time; each step's detail in `locale`.
pub(crate) async fn onboarding(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    locale: krafto_i18n::Locale,
) -> ApiResult<Onboarding> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let verification = ShopVerification::latest_of(&mut tx, shop.id).await?;
    let live = Listing::count_of_shop_in(&mut tx, shop.id, &ListingStatus::public()).await?;
    let pending =
        Listing::count_of_shop_in(&mut tx, shop.id, &[ListingStatus::PendingReview]).await?;
    let payouts = krafto_db::models::SellerAccount::of_shop(&mut tx, shop.id).await?;
    let delivery = krafto_db::models::ShippingOption::of_shops(&mut tx, &[shop.id])
        .await?
        .len();
    let settings = krafto_db::models::MarketplaceSettings::get(&mut tx).await?;
    let review_required = settings.shop_review_required;
    tx.commit().await?;
    // How long the marketplace's review usually takes, said wherever something waits for it.
    let time = crate::marketplace::settings::review_time_text(locale, settings.review_time());
    let gaps = profile_gaps(&shop);
    let profile_detail = if gaps.is_empty() {
        locale.t("sell-step-profile-complete")
    } else {
        let missing = gaps
            .iter()
            .map(|g| locale.t(&format!("sell-gap-{}", g.field.replace('_', "-"))))
            .collect::<Vec<_>>()
            .join(", ");
        locale.t_args("sell-step-profile-missing", &[("missing", missing.into())])
    };
    let (verification_done, verification_detail) = match verification.as_ref().map(|v| v.status) {
        Some(VerificationStatus::Approved) => (true, locale.t("sell-step-verification-approved")),
        Some(VerificationStatus::Submitted) => (
            true,
            locale.t_args(
                "sell-step-verification-submitted",
                &[("time", time.as_str().into())],
            ),
        ),
        Some(VerificationStatus::Rejected) => (
            false,
            locale.t_args(
                "sell-step-verification-rejected",
                &[(
                    "reason",
                    verification
                        .and_then(|v| v.decision_reason)
                        .unwrap_or_default()
                        .into(),
                )],
            ),
        ),
        None => (false, locale.t("sell-step-verification-todo")),
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
                Some(a) if a.ready() => locale.t("sell-step-payouts-ready"),
                Some(a) if a.requirements.is_empty() => locale.t("sell-step-payouts-checking"),
                Some(a) => locale.t_args(
                    "sell-step-payouts-needs",
                    &[("needs", a.requirements.join(", ").into())],
                ),
                None => locale.t("sell-step-payouts-todo"),
            },
        },
        OnboardingStep {
            key: "delivery".into(),
            done: delivery > 0,
            detail: if delivery > 0 {
                locale.t_args("sell-step-delivery-done", &[("n", delivery.into())])
            } else {
                locale.t("sell-step-delivery-todo")
            },
        },
        OnboardingStep {
            key: "first_listing".into(),
            done: live > 0,
            detail: if live > 0 && shop.status != ShopStatus::Active {
                locale.t_args("sell-step-listing-ready", &[("n", live.into())])
            } else if live > 0 {
                locale.t_args("sell-step-listing-live", &[("n", live.into())])
            } else if pending > 0 {
                locale.t_args(
                    "sell-step-listing-pending",
                    &[("n", pending.into()), ("time", time.as_str().into())],
                )
            } else {
                locale.t("sell-step-listing-todo")
            },
        },
        OnboardingStep {
            key: "go_live".into(),
            done: shop.status == ShopStatus::Active,
            detail: match shop.status {
                ShopStatus::Active => locale.t("sell-step-live-open"),
                ShopStatus::PendingReview => locale.t_args(
                    "sell-step-live-waiting",
                    &[
                        ("marketplace", tenant.display_name.as_str().into()),
                        ("time", time.as_str().into()),
                    ],
                ),
                ShopStatus::Suspended => locale.t_args(
                    "sell-step-live-suspended",
                    &[(
                        "reason",
                        shop.status_reason.clone().unwrap_or_default().into(),
                    )],
                ),
                ShopStatus::Draft if review_required => locale.t_args(
                    "sell-step-live-submit-review",
                    &[("time", time.as_str().into())],
                ),
                ShopStatus::Draft => locale.t("sell-step-live-submit"),
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
