//! The forms of a marketplace's page (`POST /marketplaces/{id}/{action}`): each turns its
//! fields into the input of the API's function, and the answer into the page again (with
//! the confirmation, or with the refusal on its fields).

use super::{MarketplacePage, PageView, Section, section_id, tenant_page_with};
use crate::console::{FormData, StaffPage, failure, message, non_empty, value};
use crate::ctx::Ctx;
use crate::stripe::{self, Provisioned};
use crate::{marketplaces, operators, provision};
use krafto_api_types::Code;
use krafto_api_types::control::{
    AddDomain, BrandingPatch, CreateOperator, FeesInput, StripeLinkRequest, TenantStatusName,
    UpdateTenant,
};
use krafto_db::models::Actor;
use krafto_web::{ApiError, ApiResult};
use poem::http::StatusCode;
use poem::web::{Form, Path, Redirect};
use poem::{IntoResponse, Response, handler};
use poem_openapi::types::MaybeUndefined;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The forms of a marketplace's page, by the last segment of their action URL.
fn section_of(action: &str) -> Option<Section> {
    Some(match action {
        "branding" => Section::Branding,
        "fees" => Section::Fees,
        "features" => Section::Features,
        "status" => Section::Status,
        "domains" | "remove-domain" => Section::Domains,
        "operators" | "remove-operator" => Section::Operators,
        "stripe-account" | "stripe-link" => Section::Stripe,
        _ => return None,
    })
}

/// `POST /marketplaces/{id}/{action}`: one form of the marketplace's page. After a change:
/// back to the page with its confirmation; after a refusal of bad input: the page again with
/// the entered values and the problem on its field (and the refusal's status).
#[handler]
pub(in crate::console) async fn submit(
    Path((_, action)): Path<(String, String)>,
    Form(form): FormData,
    page: MarketplacePage<'_>,
) -> Response {
    let MarketplacePage { staff, id } = page;
    let actor = staff.actor();
    let StaffPage { ctx, chrome, .. } = staff;
    let state = ctx.state;
    let Some(section) = section_of(&action) else {
        return message(
            Some(chrome),
            StatusCode::NOT_FOUND,
            "Not found",
            &format!("a marketplace's page has no form `{action}`"),
        );
    };
    let result = if action == "stripe-link" {
        // Links are single-use: shown on the page, never put in a redirect or a bookmark.
        match stripe::account_link(state, id, &StripeLinkRequest::default()).await {
            Ok(link) => {
                let view = PageView {
                    onboarding_url: Some(link.url),
                    ..PageView::default()
                };
                return tenant_page_with(state, chrome, id, view).await;
            }
            Err(e) => Err(e),
        }
    } else {
        perform(&ctx, &actor, id, &action, &form).await
    };
    match result {
        Ok(done) => Redirect::see_other(format!(
            "/marketplaces/{id}?done={done}#{}",
            section_id(section)
        ))
        .into_response(),
        Err(e) if e.status.is_client_error() && e.status != StatusCode::NOT_FOUND => {
            let view = PageView {
                refused: Some((section, &form, &e)),
                ..PageView::default()
            };
            tenant_page_with(state, chrome, id, view).await
        }
        Err(e) => failure(chrome, &e),
    }
}

/// A whole number typed into a form; empty means "unchanged".
fn number(form: &BTreeMap<String, String>, key: &str, api: &str) -> ApiResult<Option<i64>> {
    match non_empty(form, key) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| {
            ApiError::field(krafto_core::FieldError::new(api, "must be a whole number"))
        }),
    }
}

/// Runs one form of a marketplace's page through the API's function; returns which
/// confirmation to show.
async fn perform(
    ctx: &Ctx<'_>,
    actor: &Actor,
    id: Uuid,
    action: &str,
    form: &BTreeMap<String, String>,
) -> ApiResult<&'static str> {
    let state = ctx.state;
    let rid = ctx.request_id();
    let update = |input: UpdateTenant| async move {
        provision::update_tenant(state, actor, id, &input, rid)
            .await
            .map(|_| ())
    };
    match action {
        // An empty logo URL or tagline clears it.
        "branding" => {
            let clearable = |k: &str| match non_empty(form, k) {
                Some(v) => MaybeUndefined::Value(v.into()),
                None => MaybeUndefined::Null,
            };
            update(UpdateTenant {
                branding: Some(BrandingPatch {
                    display_name: Some(value(form, "display_name").into()),
                    logo_url: clearable("logo_url"),
                    primary_color: Some(value(form, "primary_color").into()),
                    accent_color: Some(value(form, "accent_color").into()),
                    tagline: clearable("tagline"),
                }),
                ..UpdateTenant::default()
            })
            .await?;
            Ok("branding")
        }
        // An empty box leaves that fee as it is.
        "fees" => {
            let fees = FeesInput {
                seller_commission_bps: number(
                    form,
                    "seller_commission_bps",
                    "fees.seller_commission_bps",
                )?,
                platform_fee_bps: number(form, "platform_fee_bps", "fees.platform_fee_bps")?,
                minimum_order_minor: number(
                    form,
                    "minimum_order_minor",
                    "fees.minimum_order_minor",
                )?,
                buyer_fee_bps: number(form, "buyer_fee_bps", "fees.buyer_fee_bps")?,
                refund_platform_fee: Some(form.contains_key("refund_platform_fee")),
            };
            update(UpdateTenant {
                fees: Some(fees),
                ..UpdateTenant::default()
            })
            .await?;
            Ok("fees")
        }
        // Every flag the marketplace has, on when its box is ticked.
        "features" => {
            let current = marketplaces::view(state, id).await?;
            let flags = current
                .features
                .keys()
                .map(|k| (k.clone(), form.contains_key(&format!("feature.{k}"))))
                .collect();
            update(UpdateTenant {
                features: Some(flags),
                ..UpdateTenant::default()
            })
            .await?;
            Ok("features")
        }
        // `status=suspended` with a reason, or `status=active`.
        "status" => {
            let (status, reason, done) = match value(form, "status").as_str() {
                "suspended" => (
                    TenantStatusName::Suspended,
                    Some(value(form, "suspended_reason")),
                    "suspended",
                ),
                "active" => (TenantStatusName::Active, None, "resumed"),
                _ => {
                    return Err(ApiError::field(krafto_core::FieldError::new(
                        "status",
                        "choose to suspend or to resume the marketplace",
                    )));
                }
            };
            update(UpdateTenant {
                status: Some(status),
                suspended_reason: reason.map(Into::into),
                ..UpdateTenant::default()
            })
            .await?;
            Ok(done)
        }
        "domains" => {
            let input = AddDomain {
                host: value(form, "host").into(),
                primary: form.contains_key("primary"),
            };
            provision::add_domain(state, actor, id, &input, ctx.request_id()).await?;
            Ok("domain-added")
        }
        "remove-domain" => {
            provision::remove_domain(state, actor, id, &value(form, "host"), ctx.request_id())
                .await?;
            Ok("domain-removed")
        }
        "operators" => {
            let input = CreateOperator {
                email: value(form, "email").into(),
                display_name: non_empty(form, "display_name").map(Into::into),
            };
            operators::add(state, actor, id, &input, ctx.request_id()).await?;
            Ok("operator")
        }
        "remove-operator" => {
            let user_id = value(form, "user_id").parse().map_err(|_| {
                ApiError::field(krafto_core::FieldError::new(
                    "user_id",
                    "is not one of the operators listed",
                ))
            })?;
            match operators::remove(state, actor, id, user_id, ctx.request_id()).await {
                Ok(()) => Ok("operator-removed"),
                // Removed meanwhile (another tab, a second click): the outcome stands.
                Err(e) if matches!(e.code, Code::NotFound) => Ok("operator-gone"),
                Err(e) => Err(e),
            }
        }
        "stripe-account" => Ok(
            match stripe::create_account(state, actor, id, ctx.request_id()).await? {
                Provisioned::Created(_) => "stripe-created",
                Provisioned::Existing(_) => "stripe-existing",
            },
        ),
        _ => Err(ApiError::not_found(
            Code::FormNotFound,
            format!("a marketplace's page has no form `{action}`"),
        )),
    }
}
