//! The shop's listings at `/sell/listings`: the list, the form (new and edit), saving and
//! publishing, and the archive, restore and delete actions.

use super::listing_fields::{PHOTO_ROWS, VARIANT_ROWS, full_patch, listing_input, listing_values};
use super::{Errors, FlashQuery, FormData, Tab, failed, flash, with_status};
use crate::catalog::photos::{self, PhotoFile};
use crate::catalog::{self, selling};
use crate::ctx::Ctx;
use crate::web::Flash;
use crate::web::account::SellerPage;
use crate::web::{Chrome, Field, attach, message, render};
use askama::Template;
use krafto_api_types::Code;
use krafto_api_types::catalog::ListingView;
use krafto_core::Money;
use krafto_core::catalog::{ListingEvent, ListingStatus};
use krafto_web::ApiError;
use poem::http::StatusCode;
use poem::web::{Form, Path, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

struct ListingRow {
    id: String,
    title: String,
    price: String,
    quantity: i32,
    status: String,
    status_class: String,
    reason: Option<String>,
    photo: Option<String>,
    photo_alt: String,
    public: bool,
}

#[derive(Template)]
#[template(path = "sell/listings.html")]
struct ListingsPage {
    chrome: Chrome,
    tab: Tab,
    status: String,
    statuses: Vec<(&'static str, String)>,
    listings: Vec<ListingRow>,
    next: Option<String>,
    flash: Flash,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ListingsQuery {
    status: Option<String>,
    cursor: Option<Uuid>,
    done: Option<String>,
}

/// `GET /sell/listings`: the shop's listings, filtered by status, newest first.
#[handler]
pub(crate) async fn listings(page: SellerPage<'_>, Query(q): Query<ListingsQuery>) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    let status = q.status.clone().filter(|s| !s.is_empty());
    let page = match selling::listings(
        ctx.state,
        ctx.tenant,
        &user,
        status.as_deref(),
        q.cursor,
        Some(50),
    )
    .await
    {
        Ok(p) => p,
        Err(e) => return failed(chrome, &e),
    };
    render(&ListingsPage {
        tab: Tab::Listings,
        statuses: [
            ("", "sell-filter-all"),
            (ListingStatus::Draft.as_str(), "sell-filter-drafts"),
            (
                ListingStatus::PendingReview.as_str(),
                "sell-filter-in-review",
            ),
            (ListingStatus::Active.as_str(), "sell-filter-live"),
            (
                ListingStatus::OutOfStock.as_str(),
                "sell-filter-out-of-stock",
            ),
            (ListingStatus::Rejected.as_str(), "sell-filter-rejected"),
            (ListingStatus::Archived.as_str(), "sell-filter-archived"),
        ]
        .into_iter()
        .map(|(v, key)| (v, chrome.t(key)))
        .collect(),
        status: status.clone().unwrap_or_default(),
        listings: page
            .items
            .into_iter()
            .map(|l| ListingRow {
                id: l.id.to_string(),
                price: chrome.locale.money(&Money::of(l.price_minor, &l.currency)),
                quantity: l.quantity,
                public: ListingStatus::parse(&l.status).is_ok_and(ListingStatus::is_public),
                status: chrome.t(&format!("listing-status-{}", l.status.replace('_', "-"))),
                status_class: l.status.replace('_', "-"),
                reason: l.status_reason,
                photo: l.photos.first().map(|p| p.url.clone()),
                photo_alt: l.photos.first().map(|p| p.alt.clone()).unwrap_or_default(),
                title: l.title,
            })
            .collect(),
        next: page.next_cursor.map(|c| {
            format!(
                "/sell/listings?cursor={c}{}",
                status.map(|s| format!("&status={s}")).unwrap_or_default()
            )
        }),
        flash: Flash::from_done(
            q.done.as_deref(),
            &[
                ("deleted", "sell-flash-deleted"),
                ("imported", "sell-flash-imported"),
            ],
        )
        .or(flash(q.done.as_deref())),
        chrome,
    })
}

#[derive(Template)]
#[template(path = "sell/listing_form.html")]
struct ListingFormPage {
    chrome: Chrome,
    tab: Tab,
    /// `None` for a new listing.
    id: Option<String>,
    status: String,
    /// The status in the page's language.
    status_label: String,
    reason: Option<String>,
    main: Vec<Field>,
    details: Vec<Field>,
    /// A row per photo (address, description) and per variant.
    photos: Vec<Vec<Field>>,
    variants: Vec<Vec<Field>>,
    /// Variants are folded away until a listing has (or tries to have) one.
    has_variants: bool,
    error: String,
    /// What the marketplace requires before publishing that the listing lacks.
    missing: Vec<String>,
    flash: Flash,
    /// The listing's uploaded photos, in order.
    uploaded: Vec<UploadedPhoto>,
    /// Why the last upload was refused, in the page's language.
    upload_error: String,
    /// The media limit per file, in MiB.
    max_mb: usize,
    /// How long the marketplace's review usually takes, for a flash that says so.
    review_time: String,
}

/// An uploaded photo on the listing form.
struct UploadedPhoto {
    id: String,
    src: String,
    srcset: String,
    alt: String,
    /// 1-based place.
    n: usize,
    height: i32,
    first: bool,
    last: bool,
}

struct ListingFormState<'a> {
    listing: Option<&'a ListingView>,
    values: HashMap<String, String>,
    /// The form's own conversion problems, keyed by input name.
    errors: Errors,
    /// A refusal, marked on the fields it names.
    refusal: Option<&'a ApiError>,
    /// What was done despite the refusal (`Saved as a draft, but not published`).
    lead: &'static str,
    missing: Vec<String>,
    flash: Flash,
    upload_error: String,
}

impl<'a> ListingFormState<'a> {
    fn new(listing: Option<&'a ListingView>, values: HashMap<String, String>) -> Self {
        Self {
            listing,
            values,
            errors: Errors::new(),
            refusal: None,
            lead: "",
            missing: Vec::new(),
            flash: Flash::default(),
            upload_error: String::new(),
        }
    }

    /// The listing's form again after a refused publication: saved as it is, its gaps listed
    /// and marked on their fields.
    fn unpublished(listing: &'a ListingView, e: &'a ApiError, lead: &'static str) -> Self {
        Self {
            refusal: Some(e),
            lead,
            missing: e.errors.iter().map(|p| p.message.clone()).collect(),
            ..Self::new(Some(listing), listing_values(listing))
        }
    }
}

async fn listing_form(ctx: Ctx<'_>, chrome: Chrome, s: ListingFormState<'_>) -> Response {
    let categories = match catalog::categories(ctx.state, ctx.tenant).await {
        Ok(c) => c,
        Err(e) => return failed(chrome, &e),
    };
    let values = &s.values;
    let locale = chrome.locale;
    let text = |n: &str, l: &str| Field::filled(n, l, values, &s.errors);
    let photo_count = PHOTO_ROWS.max(
        values
            .keys()
            .filter(|k| k.starts_with("photo_url_"))
            .count(),
    );
    let mut category_options = vec![(String::new(), locale.t("sell-choose-category"))];
    category_options.extend(catalog_options(&categories, locale));
    let mut main = vec![
        text("title", &locale.t("sell-listing-title")).required(),
        text(
            "price",
            &locale.t_args(
                "sell-listing-price",
                &[("currency", ctx.tenant.currency.as_str().into())],
            ),
        )
        .api("price_minor")
        .required(),
        text("quantity", &locale.t("sell-listing-quantity")).kind("number"),
        text("description", &locale.t("sell-listing-description"))
            .kind("textarea")
            .attr("rows", "6"),
        text("category", &locale.t("search-category"))
            .api("category_id")
            .select(category_options),
    ];
    let mut photos: Vec<Vec<Field>> = (0..photo_count)
        .map(|i| {
            vec![
                text(
                    &format!("photo_url_{i}"),
                    &locale.t_args("sell-photo-url", &[("n", (i + 1).into())]),
                )
                .api(&format!("photos[{i}].url"))
                .kind("url"),
                text(
                    &format!("photo_alt_{i}"),
                    &locale.t_args("sell-photo-alt", &[("n", (i + 1).into())]),
                )
                .api(&format!("photos[{i}].alt")),
            ]
        })
        .collect();
    let mut variants: Vec<Vec<Field>> = (0..VARIANT_ROWS)
        .map(|i| {
            let field = |name: &str, label: &str, api: &str| {
                text(&format!("variant_{name}_{i}"), label).api(&format!("variants[{i}].{api}"))
            };
            vec![
                field(
                    "options",
                    &locale.t_args("sell-variant-options", &[("n", (i + 1).into())]),
                    "options",
                ),
                field("sku", &locale.t("sell-variant-sku"), "sku"),
                field("price", &locale.t("sell-variant-price"), "price_minor"),
                field("quantity", &locale.t("listing-quantity"), "quantity").kind("number"),
            ]
        })
        .collect();
    let mut details = vec![
        text("tags", &locale.t("sell-listing-tags")),
        text("materials", &locale.t("sell-listing-materials")),
        text("processing_days", &locale.t("sell-listing-processing")).kind("number"),
        text("weight_g", &locale.t("sell-listing-weight")).kind("number"),
        text("length_mm", &locale.t("sell-listing-length"))
            .api("dimensions.length_mm")
            .kind("number"),
        text("width_mm", &locale.t("sell-listing-width"))
            .api("dimensions.width_mm")
            .kind("number"),
        text("height_mm", &locale.t("sell-listing-height"))
            .api("dimensions.height_mm")
            .kind("number"),
        text("style", &locale.t("sell-listing-style")),
    ];
    let refusal = match (s.refusal, s.errors.is_empty()) {
        (Some(e), _) => Some(e.clone()),
        (None, false) => Some(ApiError::validation(Vec::new())),
        (None, true) => None,
    };
    let summary = refusal.as_ref().map_or_else(String::new, |e| {
        let all = main
            .iter_mut()
            .chain(photos.iter_mut().flatten())
            .chain(variants.iter_mut().flatten())
            .chain(&mut details);
        attach(all, e, chrome.locale)
    });
    let error = match (s.lead, s.missing.is_empty()) {
        ("", _) => summary,
        (lead, false) => format!("{}.", locale.t(lead)),
        (lead, true) => locale.t_args(
            "sell-lead-with-summary",
            &[("lead", locale.t(lead).into()), ("summary", summary.into())],
        ),
    };
    let uploaded = match (s.listing, ctx.session()) {
        (Some(l), Some(user)) => match photos::photos(ctx.state, ctx.tenant, &user, l.id).await {
            Ok(all) => {
                let count = all.len();
                all.into_iter()
                    .enumerate()
                    .map(|(i, p)| UploadedPhoto {
                        id: p.id.to_string(),
                        height: if p.width > 0 {
                            p.height * 160 / p.width
                        } else {
                            160
                        },
                        src: p.url,
                        srcset: p.srcset,
                        alt: p.alt,
                        n: i + 1,
                        first: i == 0,
                        last: i + 1 == count,
                    })
                    .collect()
            }
            Err(e) => return failed(chrome, &e),
        },
        _ => Vec::new(),
    };
    let review_time = if s.flash.get() == Some("sell-flash-published-review") {
        match crate::marketplace::settings::review_time(ctx.state, ctx.tenant, locale).await {
            Ok(t) => t,
            Err(e) => return failed(chrome, &e),
        }
    } else {
        String::new()
    };
    let has_variants = values
        .iter()
        .any(|(k, v)| k.starts_with("variant_options_") && !v.trim().is_empty())
        || variants.iter().flatten().any(|f| f.error.is_some());
    render(&ListingFormPage {
        tab: Tab::Listings,
        id: s.listing.map(|l| l.id.to_string()),
        status: s
            .listing
            .map_or_else(|| "new".to_owned(), |l| l.status.replace('_', " ")),
        status_label: locale.t(&format!(
            "listing-status-{}",
            s.listing
                .map_or_else(|| "new".to_owned(), |l| l.status.replace('_', "-"))
        )),
        reason: s.listing.and_then(|l| l.status_reason.clone()),
        main,
        details,
        photos,
        variants,
        has_variants,
        error,
        missing: s.missing,
        flash: s.flash,
        uploaded,
        upload_error: s.upload_error,
        max_mb: ctx.state.media.limits.max_bytes / (1024 * 1024),
        review_time,
        chrome,
    })
}

/// Categories as `(id, indented name)`, parents before their children.
fn catalog_options(
    all: &[krafto_db::models::Category],
    locale: krafto_i18n::Locale,
) -> Vec<(String, String)> {
    fn walk(
        all: &[krafto_db::models::Category],
        locale: krafto_i18n::Locale,
        parent: Option<Uuid>,
        depth: usize,
        out: &mut Vec<(String, String)>,
    ) {
        for c in all.iter().filter(|c| c.parent_id == parent) {
            out.push((
                c.id.to_string(),
                format!("{}{}", "— ".repeat(depth), c.name_in(locale.code())),
            ));
            walk(all, locale, Some(c.id), depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(all, locale, None, 0, &mut out);
    out
}

/// `GET /sell/listings/new`.
#[handler]
pub(crate) async fn new_listing(page: SellerPage<'_>) -> Response {
    let SellerPage { ctx, chrome, .. } = page;
    let mut values = HashMap::new();
    values.insert("quantity".to_owned(), "1".to_owned());
    listing_form(ctx, chrome, ListingFormState::new(None, values)).await
}

/// `GET /sell/listings/{id}`: the edit form.
#[handler]
pub(crate) async fn edit_listing(
    page: SellerPage<'_>,
    Path(id): Path<Uuid>,
    Query(q): Query<FlashQuery>,
) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    let l = match selling::listing(ctx.state, ctx.tenant, &user, id).await {
        Ok(l) => l,
        Err(e) => return failed(chrome, &e),
    };
    listing_form(
        ctx,
        chrome,
        ListingFormState {
            flash: match q.done.as_deref() {
                Some("published") if l.status == ListingStatus::PendingReview.as_str() => {
                    Flash::text("sell-flash-published-review")
                }
                Some("published") => Flash::text("sell-flash-published"),
                Some("photos") => Flash::text("media-flash-photos"),
                Some("photo-removed") => Flash::text("media-flash-photo-removed"),
                d => flash(d),
            },
            ..ListingFormState::new(Some(&l), listing_values(&l))
        },
    )
    .await
}

/// `POST /sell/listings` (new) and `POST /sell/listings/{id}` (edit): saves, then publishes
/// when the seller pressed "Save and publish". A refused publish lists the missing fields.
#[handler]
pub(crate) async fn save_listing(
    page: SellerPage<'_>,
    id: Option<Path<Uuid>>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    let f = FormData::from(pairs);
    let publish = f.get("then") == "publish";
    let id = id.map(|p| p.0);
    let existing = match id {
        Some(id) => match selling::listing(ctx.state, ctx.tenant, &user, id).await {
            Ok(l) => Some(l),
            Err(e) => return failed(chrome, &e),
        },
        None => None,
    };
    let input = match listing_input(&f, &ctx.tenant.currency) {
        Ok(i) => i,
        Err(errors) => {
            let s = ListingFormState {
                errors,
                ..ListingFormState::new(existing.as_ref(), f.values())
            };
            return with_status(
                listing_form(ctx, chrome, s).await,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let saved = match id {
        Some(id) => {
            selling::update_listing(ctx.state, ctx.tenant, &user, id, &full_patch(input)).await
        }
        None => selling::create_listing(ctx.state, ctx.tenant, &user, &input).await,
    };
    let saved = match saved {
        Ok(l) => l,
        Err(e) if e.status.is_client_error() && e.code != Code::NoShop => {
            let s = ListingFormState {
                refusal: Some(&e),
                ..ListingFormState::new(existing.as_ref(), f.values())
            };
            return with_status(listing_form(ctx, chrome, s).await, e.status);
        }
        Err(e) => return failed(chrome, &e),
    };
    if !publish {
        return Redirect::see_other(format!("/sell/listings/{}?done=saved", saved.id))
            .into_response();
    }
    match selling::publish(ctx.state, ctx.tenant, &user, ctx.rid, saved.id).await {
        Ok(_) => Redirect::see_other(format!("/sell/listings/{}?done=published", saved.id))
            .into_response(),
        Err(e) if e.status.is_client_error() && e.code != Code::NoShop => {
            let s = ListingFormState::unpublished(&saved, &e, "sell-saved-not-published");
            with_status(listing_form(ctx, chrome, s).await, e.status)
        }
        Err(e) => failed(chrome, &e),
    }
}

/// `POST /sell/listings/{id}/{action}`: publish, archive, restore or delete.
#[handler]
pub(crate) async fn listing_action(
    page: SellerPage<'_>,
    Path((id, action)): Path<(Uuid, String)>,
) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    let result = match action.as_str() {
        "publish" => selling::publish(ctx.state, ctx.tenant, &user, ctx.rid, id)
            .await
            .map(|_| "published"),
        "archive" => selling::step(ctx.state, ctx.tenant, &user, id, ListingEvent::Archive)
            .await
            .map(|_| "saved"),
        "restore" => selling::step(ctx.state, ctx.tenant, &user, id, ListingEvent::Restore)
            .await
            .map(|_| "saved"),
        "delete" => {
            return match selling::delete_listing(ctx.state, ctx.tenant, &user, id).await {
                Ok(()) => Redirect::see_other("/sell/listings?done=deleted").into_response(),
                Err(e) => failed(chrome, &e),
            };
        }
        _ => {
            return message(
                chrome,
                StatusCode::NOT_FOUND,
                "Not found",
                "There is no such listing action.",
            );
        }
    };
    match result {
        Ok(done) => Redirect::see_other(format!("/sell/listings/{id}?done={done}")).into_response(),
        Err(e) if e.code == Code::ListingIncomplete => {
            let listing = match selling::listing(ctx.state, ctx.tenant, &user, id).await {
                Ok(l) => l,
                Err(e) => return failed(chrome, &e),
            };
            let s = ListingFormState::unpublished(&listing, &e, "sell-not-published");
            with_status(listing_form(ctx, chrome, s).await, e.status)
        }
        Err(e) => failed(chrome, &e),
    }
}

/// An upload's refusal in the page's language (413 too large, 415 not a picture, 422 the
/// rest), or `None` when it is not about the files.
fn upload_refusal(locale: krafto_i18n::Locale, e: &ApiError, max_mb: usize) -> Option<String> {
    let field = e.errors.first().map_or("", |p| p.field.as_str());
    let message = e.errors.first().map_or("", |p| p.message.as_str());
    let text = match e.status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            locale.t_args("media-too-large", &[("max", max_mb.into())])
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => locale.t("media-not-image"),
        StatusCode::UNPROCESSABLE_ENTITY if field == "photos" && message.starts_with("choose") => {
            locale.t("media-none-chosen")
        }
        StatusCode::UNPROCESSABLE_ENTITY if field == "photos" => {
            locale.t_args("media-too-many", &[("max", catalog::MAX_PHOTOS.into())])
        }
        StatusCode::UNPROCESSABLE_ENTITY if field.starts_with("alt") => {
            locale.t_args("media-alt-too-long", &[("max", photos::MAX_ALT.into())])
        }
        StatusCode::UNPROCESSABLE_ENTITY => locale.t("media-unreadable"),
        _ => return None,
    };
    Some(text)
}

/// The listing form again, with an upload's refusal above its photos.
async fn refused_upload(
    ctx: Ctx<'_>,
    chrome: Chrome,
    user: &krafto_auth::UserClaims,
    id: Uuid,
    e: &ApiError,
) -> Response {
    let max_mb = ctx.state.media.limits.max_bytes / (1024 * 1024);
    let Some(text) = upload_refusal(chrome.locale, e, max_mb) else {
        return failed(chrome, e);
    };
    let l = match selling::listing(ctx.state, ctx.tenant, user, id).await {
        Ok(l) => l,
        Err(e) => return failed(chrome, &e),
    };
    let s = ListingFormState {
        upload_error: text,
        ..ListingFormState::new(Some(&l), listing_values(&l))
    };
    with_status(listing_form(ctx, chrome, s).await, e.status)
}

/// `POST /sell/listings/{id}/photos` (`multipart/form-data`): adds the chosen files
/// (`photos`, one `alt` for them all). A refused file adds nothing and says why.
#[handler]
pub(crate) async fn upload_photos(
    page: SellerPage<'_>,
    Path(id): Path<Uuid>,
    mut parts: poem::web::Multipart,
) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    let max = ctx.state.media.limits.max_bytes;
    let mut files = Vec::new();
    let mut alt = String::new();
    let mut too_large = false;
    loop {
        let field = match parts.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                let e = ApiError::field(krafto_core::FieldError::new("photos", "unreadable"));
                return refused_upload(ctx, chrome, &user, id, &e).await;
            }
        };
        match field.name() {
            Some("photos") => {
                let named = field.file_name().is_some_and(|n| !n.is_empty());
                let Ok(bytes) = field.bytes().await else {
                    too_large = true;
                    continue;
                };
                if !named && bytes.is_empty() {
                    continue;
                }
                too_large |= bytes.len() > max;
                files.push(bytes);
            }
            Some("alt") => alt = field.text().await.unwrap_or_default(),
            _ => {}
        }
    }
    let result = if too_large {
        Err(photos::refused(
            "photos",
            &krafto_media::MediaError::Image(krafto_media::ImageError::TooLarge { max_bytes: max }),
        ))
    } else {
        let files = files
            .into_iter()
            .map(|b| PhotoFile {
                bytes: b.into(),
                alt: alt.clone(),
            })
            .collect();
        photos::add_photos(ctx.state, ctx.tenant, &user, id, files).await
    };
    match result {
        Ok(_) => {
            Redirect::see_other(format!("/sell/listings/{id}?done=photos#photos")).into_response()
        }
        Err(e) => refused_upload(ctx, chrome, &user, id, &e).await,
    }
}

/// `POST /sell/listings/{id}/photos/{photo}/{action}`: `alt` (the form's `alt`), `up`,
/// `down` or `delete`.
#[handler]
pub(crate) async fn photo_action(
    page: SellerPage<'_>,
    Path((id, photo, action)): Path<(Uuid, Uuid, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    let (state, tenant) = (ctx.state, ctx.tenant);
    let result = match action.as_str() {
        "alt" => {
            let f = FormData::from(pairs);
            photos::describe_photo(state, tenant, &user, id, photo, f.get("alt"))
                .await
                .map(|_| "photos")
        }
        "up" => photos::move_photo(state, tenant, &user, id, photo, -1)
            .await
            .map(|_| "photos"),
        "down" => photos::move_photo(state, tenant, &user, id, photo, 1)
            .await
            .map(|_| "photos"),
        "delete" => photos::delete_photo(state, tenant, &user, id, photo)
            .await
            .map(|()| "photo-removed"),
        _ => return crate::web::not_found(chrome),
    };
    match result {
        Ok(done) => {
            Redirect::see_other(format!("/sell/listings/{id}?done={done}#photos")).into_response()
        }
        Err(e) => refused_upload(ctx, chrome, &user, id, &e).await,
    }
}
