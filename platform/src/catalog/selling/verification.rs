//! The shop's identity verification (the "verified" badge): submitting it, reading it.

use super::{audit, my_shop};
use crate::{AppState, CurrentTenant};
use chrono::Utc;
use krafto_api_types::Code;
use krafto_api_types::catalog::{VerificationInput, VerificationView};
use krafto_auth::UserClaims;
use krafto_core::catalog::VerificationStatus;
use krafto_core::text::bounded_text;
use krafto_core::{FieldError, Problems};
use krafto_db::models::ShopVerification;
use krafto_web::{ApiError, ApiResult, RequestId};
use poem::http::StatusCode;
use serde_json::json;
use uuid::Uuid;

fn verification_view(v: ShopVerification) -> VerificationView {
    VerificationView {
        id: v.id,
        shop_id: v.shop_id,
        status: v.status.to_string(),
        legal_name: v.legal_name,
        business_type: v.business_type,
        submitted_at: v.submitted_at,
        decided_at: v.decided_at,
        decision_reason: v.decision_reason,
    }
}

/// Submits identity details for the marketplace to verify (the "verified" badge).
pub(crate) async fn submit_verification(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    rid: &RequestId,
    input: &VerificationInput,
) -> ApiResult<VerificationView> {
    let mut p = Problems::new();
    let legal_name = p.check("legal_name", bounded_text(&input.legal_name, 200));
    let a = &input.address;
    let line1 = p.check("address.line1", bounded_text(&a.line1, 200));
    let postal = p.check("address.postal_code", bounded_text(&a.postal_code, 20));
    let city = p.check("address.city", bounded_text(&a.city, 100));
    // The same list buyers choose from (the verification form offers it as a select).
    let country = p.check(
        "address.country",
        krafto_core::country::delivery_country(&a.country),
    );
    if input.document_refs.is_empty() || input.document_refs.len() > 10 {
        p.push(FieldError::new(
            "document_refs",
            "give 1 to 10 document references",
        ));
    }
    let docs: Vec<String> = input
        .document_refs
        .iter()
        .filter_map(|d| p.check("document_refs", bounded_text(d, 200)))
        .collect();
    p.finish().map_err(ApiError::validation)?;
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    match ShopVerification::latest_of(&mut tx, shop.id)
        .await?
        .map(|v| v.status)
    {
        Some(VerificationStatus::Submitted) => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                Code::VerificationPending,
                "a verification is already waiting for review",
            ));
        }
        Some(VerificationStatus::Approved) => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                Code::AlreadyVerified,
                "this shop is already verified",
            ));
        }
        Some(VerificationStatus::Rejected) | None => {}
    }
    let business_type = match input.business_type {
        krafto_api_types::catalog::BusinessType::Individual => "individual",
        krafto_api_types::catalog::BusinessType::SoleTrader => "sole_trader",
        krafto_api_types::catalog::BusinessType::Company => "company",
        krafto_api_types::catalog::BusinessType::Association => "association",
    }
    .to_owned();
    let v = ShopVerification::submit(
        &mut tx,
        &ShopVerification {
            tenant_id: tenant.id,
            id: Uuid::now_v7(),
            shop_id: shop.id,
            legal_name: legal_name.unwrap_or_default(),
            business_type,
            address: json!({ "line1": line1, "line2": a.line2, "postal_code": postal, "city": city, "country": country }),
            document_refs: docs,
            status: VerificationStatus::Submitted,
            decision_reason: None,
            decided_by: None,
            submitted_at: Utc::now(),
            decided_at: None,
        },
    )
        .await?;
    audit(
        &mut tx,
        c,
        "verification.submitted",
        format!("shop:{}", shop.id),
        json!({}),
        rid,
    )
    .await?;
    tx.commit().await?;
    Ok(verification_view(v))
}

/// The shop's latest verification (404 `no_verification` before any).
pub(crate) async fn verification(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
) -> ApiResult<VerificationView> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let v = ShopVerification::latest_of(&mut tx, shop.id)
        .await?
        .ok_or_else(|| {
            ApiError::not_found(Code::NoVerification, "no verification submitted yet")
        })?;
    tx.commit().await?;
    Ok(verification_view(v))
}
