//! The review queue at `/admin/review`: shops, listings and verifications awaiting a
//! decision, and the forms that approve or reject them (`moderation::review`).

use super::{DoneQuery, ReasonForm, date, refused, uuid_or_404};
use crate::accounts::addresses::address_lines;
use crate::catalog::listing_view;
use crate::ctx::Ctx;
use crate::moderation;
use crate::web::account::OperatorPage;
use crate::web::{Chrome, Field, Flash, api_failure, attach, render};
use askama::Template;
use krafto_api_types::catalog::Reason;
use krafto_core::Money;
use krafto_core::catalog::ShopEvent;
use krafto_db::models::Shop;
use krafto_web::ApiError;
use poem::web::{Form, Path, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use std::collections::HashMap;
use uuid::Uuid;

struct ShopItem {
    id: String,
    reason: Field,
    name: String,
    slug: String,
    place: String,
    story: String,
    since: String,
}

struct PhotoItem {
    url: String,
    alt: String,
}

struct ListingItem {
    id: String,
    reason: Field,
    title: String,
    price: String,
    description: String,
    shop: String,
    quantity: i32,
    photos: Vec<PhotoItem>,
    since: String,
}

struct VerificationItem {
    id: String,
    reason: Field,
    legal_name: String,
    business_type: String,
    /// The business address the seller gave, as envelope lines.
    address: Vec<String>,
    /// The documents the seller referred to (registration number, ID reference...).
    documents: Vec<String>,
    shop: String,
    since: String,
}

#[derive(Template)]
#[template(path = "admin/review.html")]
struct ReviewPage {
    chrome: Chrome,
    error: String,
    flash: Flash,
    shops: Vec<ShopItem>,
    listings: Vec<ListingItem>,
    verifications: Vec<VerificationItem>,
}

/// The reason box of the rejection form of `what` `id`.
fn reason_field(chrome: &Chrome, what: Decided, id: Uuid) -> Field {
    Field::new(
        "reason",
        &chrome.t("console-review-reject-reason"),
        String::new(),
    )
    .id(&format!("reason-{}-{id}", what.name()))
    .required()
    .attr("maxlength", "1000")
}

/// A seller's business type (`sole_trader`…) in the page's language; a type this page does
/// not know is shown as recorded.
fn business_type(chrome: &Chrome, raw: &str) -> String {
    match raw {
        "individual" | "sole_trader" | "company" | "association" => {
            chrome.t(&format!("console-business-{}", raw.replace('_', "-")))
        }
        other => other.to_owned(),
    }
}

/// The queue; a refused decision is said above it, and on the reason box of its form.
async fn review_page(
    ctx: &Ctx<'_>,
    chrome: Chrome,
    flash: Flash,
    error: Option<(&ApiError, Decided, &str)>,
) -> Response {
    let loaded = async {
        let p = moderation::review::pending(ctx.state, ctx.tenant).await?;
        // The shops named by listings and verifications, read once each.
        let mut names: HashMap<Uuid, String> =
            p.shops.iter().map(|s| (s.id, s.name.clone())).collect();
        let wanted: Vec<Uuid> = p
            .listings
            .iter()
            .map(|l| l.shop_id)
            .chain(p.verifications.iter().map(|v| v.shop_id))
            .collect();
        let mut tx = ctx.tx().await?;
        for id in wanted {
            if let std::collections::hash_map::Entry::Vacant(e) = names.entry(id) {
                e.insert(Shop::find(&mut tx, id).await?.name);
            }
        }
        tx.commit().await?;
        Ok::<_, ApiError>((p, names))
    }
    .await;
    let (p, names) = match loaded {
        Ok(l) => l,
        Err(e) => return api_failure(chrome, &e),
    };
    let shop_name = |id: &Uuid| names.get(id).cloned().unwrap_or_default();
    let mut page = ReviewPage {
        error: String::new(),
        flash,
        verifications: p
            .verifications
            .iter()
            .map(|v| VerificationItem {
                id: v.id.to_string(),
                reason: reason_field(&chrome, Decided::Verification, v.id),
                legal_name: v.legal_name.clone(),
                business_type: business_type(&chrome, &v.business_type),
                address: {
                    let mut a = v.address.clone();
                    if let Some(m) = a.as_object_mut() {
                        m.insert("name".to_owned(), v.legal_name.clone().into());
                    }
                    address_lines(chrome.locale, &a)
                        .into_iter()
                        .skip(1)
                        .collect()
                },
                documents: v.document_refs.clone(),
                shop: shop_name(&v.shop_id),
                since: date(chrome.locale, v.submitted_at),
            })
            .collect(),
        listings: p
            .listings
            .into_iter()
            .map(|l| {
                let shop = shop_name(&l.shop_id);
                let since = date(chrome.locale, l.updated_at);
                let v = listing_view(l, Vec::new());
                ListingItem {
                    id: v.id.to_string(),
                    reason: reason_field(&chrome, Decided::Listing, v.id),
                    price: chrome.locale.money(&Money::of(v.price_minor, &v.currency)),
                    description: v.description.chars().take(400).collect(),
                    quantity: v.quantity,
                    photos: v
                        .photos
                        .into_iter()
                        .take(4)
                        .map(|ph| PhotoItem {
                            alt: if ph.alt.trim().is_empty() {
                                v.title.clone()
                            } else {
                                ph.alt
                            },
                            url: ph.url,
                        })
                        .collect(),
                    title: v.title,
                    shop,
                    since,
                }
            })
            .collect(),
        shops: p
            .shops
            .into_iter()
            .map(|s| ShopItem {
                id: s.id.to_string(),
                reason: reason_field(&chrome, Decided::Shop, s.id),
                place: [s.city, s.country]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", "),
                story: s.story.unwrap_or_default().chars().take(400).collect(),
                since: date(chrome.locale, s.updated_at),
                name: s.name,
                slug: s.slug,
            })
            .collect(),
        chrome: chrome.clone(),
    };
    let Some((e, what, raw_id)) = error else {
        return render(&page);
    };
    // Only the form that was sent takes the refusal's problems.
    let sent = format!("reason-{}-{raw_id}", what.name());
    let reasons = page
        .shops
        .iter_mut()
        .map(|s| &mut s.reason)
        .chain(page.listings.iter_mut().map(|l| &mut l.reason))
        .chain(page.verifications.iter_mut().map(|v| &mut v.reason))
        .filter(|f| f.id == sent);
    page.error = attach(reasons, e, chrome.locale);
    refused(render(&page), chrome, e)
}

/// `GET /admin/review`: shops, listings and verifications awaiting a decision.
#[handler]
pub(crate) async fn show_review(page: OperatorPage<'_>, Query(q): Query<DoneQuery>) -> Response {
    let OperatorPage { ctx, chrome, .. } = page;
    let flash = Flash::from_done(
        q.done.as_deref(),
        &[
            ("shop-approved", "console-done-shop-approved"),
            ("shop-rejected", "console-done-shop-rejected"),
            ("listing-approved", "console-done-listing-approved"),
            ("listing-rejected", "console-done-listing-rejected"),
            (
                "verification-approved",
                "console-done-verification-approved",
            ),
            (
                "verification-rejected",
                "console-done-verification-rejected",
            ),
        ],
    );
    review_page(&ctx, chrome, flash, None).await
}

/// What a review form decides about.
#[derive(Debug, Clone, Copy)]
enum Decided {
    Shop,
    Listing,
    Verification,
}

impl Decided {
    fn name(self) -> &'static str {
        match self {
            Decided::Shop => "shop",
            Decided::Listing => "listing",
            Decided::Verification => "verification",
        }
    }
}

async fn decide(
    page: OperatorPage<'_>,
    what: Decided,
    raw_id: &str,
    reject: Option<&ReasonForm>,
) -> Response {
    let actor = page.actor();
    let OperatorPage { ctx, chrome, .. } = page;
    let (state, tenant, rid) = (ctx.state, ctx.tenant, ctx.rid);
    let done = async {
        let id = uuid_or_404(chrome.locale, raw_id)?;
        let why = match reject {
            Some(f) => Some(moderation::review::reason(&Reason {
                reason: f.reason.clone().into(),
            })?),
            None => None,
        };
        match (what, why) {
            (Decided::Shop, None) => moderation::review::shop_move(
                state,
                tenant,
                rid,
                &actor,
                id,
                ShopEvent::Approve,
                None,
                "shop.approved",
            )
            .await
            .map(drop),
            (Decided::Shop, Some(r)) => moderation::review::shop_move(
                state,
                tenant,
                rid,
                &actor,
                id,
                ShopEvent::Reject,
                Some(r),
                "shop.rejected",
            )
            .await
            .map(drop),
            (Decided::Listing, why) => {
                let action = if why.is_some() {
                    "listing.rejected"
                } else {
                    "listing.approved"
                };
                moderation::review::listing_move(state, tenant, rid, &actor, id, why, action)
                    .await
                    .map(drop)
            }
            (Decided::Verification, why) => {
                moderation::review::decide_verification(state, tenant, rid, &actor, id, why)
                    .await
                    .map(drop)
            }
        }
    }
    .await;
    match done {
        Ok(()) => Redirect::see_other(format!(
            "/admin/review?done={}-{}",
            what.name(),
            if reject.is_some() {
                "rejected"
            } else {
                "approved"
            }
        ))
        .into_response(),
        Err(e) => review_page(&ctx, chrome, Flash::default(), Some((&e, what, raw_id))).await,
    }
}

/// `POST /admin/shops/{id}/approve`
#[handler]
pub(crate) async fn approve_shop(page: OperatorPage<'_>, Path(id): Path<String>) -> Response {
    decide(page, Decided::Shop, &id, None).await
}

/// `POST /admin/shops/{id}/reject` (`reason` required)
#[handler]
pub(crate) async fn reject_shop(
    page: OperatorPage<'_>,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Response {
    decide(page, Decided::Shop, &id, Some(&form)).await
}

/// `POST /admin/listings/{id}/approve`
#[handler]
pub(crate) async fn approve_listing(page: OperatorPage<'_>, Path(id): Path<String>) -> Response {
    decide(page, Decided::Listing, &id, None).await
}

/// `POST /admin/listings/{id}/reject` (`reason` required)
#[handler]
pub(crate) async fn reject_listing(
    page: OperatorPage<'_>,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Response {
    decide(page, Decided::Listing, &id, Some(&form)).await
}

/// `POST /admin/verifications/{id}/approve`
#[handler]
pub(crate) async fn approve_verification(
    page: OperatorPage<'_>,
    Path(id): Path<String>,
) -> Response {
    decide(page, Decided::Verification, &id, None).await
}

/// `POST /admin/verifications/{id}/reject` (`reason` required)
#[handler]
pub(crate) async fn reject_verification(
    page: OperatorPage<'_>,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Response {
    decide(page, Decided::Verification, &id, Some(&form)).await
}
