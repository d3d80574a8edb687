//! Conversions from stored models to API objects used by both servers, and the mapping of
//! persistence errors to API errors.

use krafto_api_types::control::{AuditEntryView, AuditPage, BrandingPatch};
use krafto_api_types::{Branding, FeeSchedule, ImageView};
use krafto_core::image::StoredImage;
use krafto_core::text::{line_text, optional_line_text};
use krafto_core::{FeatureFlags, HexColor, Problems, WebUrl};
use krafto_db::models::{AuditEntry, Tenant, TenantChanges};
use poem_openapi::types::MaybeUndefined;
use std::collections::BTreeMap;

pub fn branding(t: &Tenant) -> Branding {
    Branding {
        display_name: t.display_name.clone(),
        logo_url: t.logo_url.clone(),
        primary_color: t.primary_color.clone(),
        accent_color: t.accent_color.clone(),
        tagline: t.tagline.clone(),
        logo: stored_image(t.logo_image.as_ref()).map(|i| image_view(&i)),
    }
}

/// A picture kept in a row as JSON (a shop's logo or banner, a marketplace's logo); `None`
/// when there is none or it does not read as one.
pub fn stored_image(v: Option<&serde_json::Value>) -> Option<StoredImage> {
    v.and_then(|v| serde_json::from_value(v.clone()).ok())
}

/// A stored picture as the API shows it: its ~640 px URL and every width for `srcset`.
pub fn image_view(img: &StoredImage) -> ImageView {
    ImageView {
        url: img.src_at_least(640),
        srcset: img.srcset(),
        widths: img.widths.clone(),
        width: img.width,
        height: img.height,
    }
}

/// The one set of branding rules (staff in the control plane, operators in their console):
/// a name of 1–120 characters, `#rrggbb` colours, an `http(s)` logo URL, a tagline of at
/// most 200 characters; `null` clears the logo and the tagline (so does a blank tagline). Problems are
/// named `{prefix}{field}`; valid values land in `changes`.
pub fn branding_changes(
    b: &BrandingPatch,
    prefix: &str,
    p: &mut Problems,
    changes: &mut TenantChanges,
) {
    let at = |field: &str| format!("{prefix}{field}");
    if let Some(v) = &b.display_name {
        changes.display_name = p.check(&at("display_name"), line_text(v, 120));
    }
    match &b.logo_url {
        MaybeUndefined::Value(v) => {
            changes.logo_url = p
                .check(&at("logo_url"), WebUrl::parse(v))
                .map(|u| Some(u.into_string()));
        }
        MaybeUndefined::Null => changes.logo_url = Some(None),
        MaybeUndefined::Undefined => {}
    }
    // White text sits on the brand colour (buttons, the header's name) and needs 4.5:1;
    // the accent draws focus rings and large text and needs 3:1 (WCAG AA).
    if let Some(v) = &b.primary_color {
        changes.primary_color = p
            .check(
                &at("primary_color"),
                HexColor::parse(v).and_then(|c| c.readable_on(&HexColor::white(), 4.5)),
            )
            .map(HexColor::into_string);
    }
    if let Some(v) = &b.accent_color {
        changes.accent_color = p
            .check(
                &at("accent_color"),
                HexColor::parse(v).and_then(|c| c.readable_on(&HexColor::white(), 3.0)),
            )
            .map(HexColor::into_string);
    }
    match &b.tagline {
        MaybeUndefined::Value(v) => {
            changes.tagline = p.check(&at("tagline"), optional_line_text(Some(v), 200));
        }
        MaybeUndefined::Null => changes.tagline = Some(None),
        MaybeUndefined::Undefined => {}
    }
}

pub fn fees(t: &Tenant) -> FeeSchedule {
    FeeSchedule {
        seller_commission_bps: t.seller_commission_bps,
        platform_fee_bps: t.platform_fee_bps,
        minimum_order_minor: t.minimum_order_minor,
        refund_platform_fee: t.refund_platform_fee,
    }
}

/// The stored flags, completed with every known flag (new ones off).
pub fn feature_flags(t: &Tenant) -> FeatureFlags {
    let stored: BTreeMap<String, bool> =
        serde_json::from_value(t.features.clone()).unwrap_or_default();
    FeatureFlags::from_stored(stored)
}

/// One page of audit entries with its cursor ; a full page carries the cursor of the next.
pub fn audit_page(rows: Vec<AuditEntry>, limit: i64) -> AuditPage {
    let next_cursor = (i64::try_from(rows.len()).unwrap_or(0) == limit)
        .then(|| rows.last().map(|r| r.id.to_string()))
        .flatten();
    AuditPage {
        items: rows
            .into_iter()
            .map(|r| AuditEntryView {
                id: r.id,
                tenant_id: r.tenant_id,
                actor_kind: r.actor_kind,
                actor_id: r.actor_id,
                actor: r.actor_label,
                action: r.action,
                target: r.target,
                details: r.details,
                request_id: r.request_id,
                at: r.created_at,
            })
            .collect(),
        next_cursor,
    }
}
