//! The shop's profile and settings at `/sell/shop`, and its uploaded logo and banner.

use super::{Errors, FlashQuery, FormData, Tab, failed, flash, int, list, with_status};
use crate::catalog::selling;
use crate::ctx::Ctx;
use crate::web::Flash;
use crate::web::account::SellerPage;
use crate::web::buy::country_field;
use crate::web::{Chrome, Field, attach, render};
use askama::Template;
use krafto_api_types::ImageView;
use krafto_api_types::catalog::{Location, ShopInput, ShopView};
use krafto_db::models::ShopImage;
use krafto_web::ApiError;
use poem::http::StatusCode;
use poem::web::{Form, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "sell/shop.html")]
struct ShopPage {
    chrome: Chrome,
    tab: Tab,
    slug: String,
    fields: Vec<Field>,
    error: String,
    flash: Flash,
    pictures: Pictures,
}

/// The pictures' part of the page: the uploaded logo and banner, and the upload forms.
struct Pictures {
    logo: Option<ImageView>,
    banner: Option<ImageView>,
    /// Why the last upload was refused, in the page's language, and which picture (`logo`,
    /// `banner`) it was for.
    upload_error: String,
    upload_for: &'static str,
    /// The media limit per file, in MiB.
    max_mb: usize,
}

impl Pictures {
    fn of(s: &ShopView, ctx: &Ctx<'_>) -> Self {
        Self {
            logo: s.logo.clone(),
            banner: s.banner.clone(),
            upload_error: String::new(),
            upload_for: "",
            max_mb: ctx.state.media.limits.max_bytes / (1024 * 1024),
        }
    }
}

fn shop_values(s: &ShopView) -> HashMap<String, String> {
    let mut v = HashMap::new();
    let mut put = |k: &str, val: Option<String>| {
        v.insert(k.to_owned(), val.unwrap_or_default());
    };
    put("name", Some(s.name.clone()));
    put("story", s.story.clone());
    put("city", s.location.city.clone().map(Into::into));
    put("region", s.location.region.clone().map(Into::into));
    put("country", s.location.country.clone().map(Into::into));
    put("profile_image_url", s.profile_image_url.clone());
    put("banner_url", s.banner_url.clone());
    put("return_policy", s.return_policy.clone());
    put(
        "processing_days_min",
        s.processing_days_min.map(|d| d.to_string()),
    );
    put(
        "processing_days_max",
        s.processing_days_max.map(|d| d.to_string()),
    );
    put("languages", Some(s.languages.join(", ")));
    v
}

/// The profile form's fields with the `values` entered and the form's own conversion
/// `errors` (keyed by input name).
fn shop_fields(
    values: &HashMap<String, String>,
    errors: &Errors,
    locale: krafto_i18n::Locale,
) -> Vec<Field> {
    let text = |n: &str, key: &str| Field::filled(n, &locale.t(key), values, errors);
    vec![
        text("name", "sell-shop-name").required(),
        text("city", "checkout-city").api("location.city"),
        text("region", "sell-region").api("location.region"),
        country_field(
            "country",
            "location.country",
            values.get("country").map_or("", String::as_str),
            locale,
        )
        .error(errors.get("country").cloned()),
        text("profile_image_url", "sell-profile-image").kind("url"),
        text("banner_url", "sell-banner").kind("url"),
        text("processing_days_min", "sell-processing-from").kind("number"),
        text("processing_days_max", "sell-processing-to").kind("number"),
        text("languages", "sell-languages"),
        text("story", "sell-story")
            .kind("textarea")
            .attr("rows", "5"),
        text("return_policy", "sell-returns")
            .kind("textarea")
            .attr("rows", "3"),
    ]
}

fn shop_page(
    chrome: Chrome,
    slug: String,
    fields: Vec<Field>,
    error: String,
    flash: Flash,
    pictures: Pictures,
) -> Response {
    render(&ShopPage {
        chrome,
        tab: Tab::Shop,
        slug,
        fields,
        error,
        flash,
        pictures,
    })
}

/// The confirmations of the shop page (`?done=`).
const SHOP_FLASHES: &[(&str, &str)] = &[
    ("logo", "media-flash-logo"),
    ("banner", "media-flash-banner"),
    ("logo-removed", "media-flash-logo-removed"),
    ("banner-removed", "media-flash-banner-removed"),
];

/// `GET /sell/shop`: the shop's profile and settings.
#[handler]
pub(crate) async fn shop_settings(page: SellerPage<'_>, Query(q): Query<FlashQuery>) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    match selling::shop(ctx.state, ctx.tenant, &user).await {
        Ok(s) => {
            let fields = shop_fields(&shop_values(&s), &Errors::new(), chrome.locale);
            let done = q.done.as_deref();
            let pictures = Pictures::of(&s, &ctx);
            shop_page(
                chrome,
                s.slug.clone(),
                fields,
                String::new(),
                Flash::from_done(done, SHOP_FLASHES).or(flash(done)),
                pictures,
            )
        }
        Err(e) => failed(chrome, &e),
    }
}

/// `POST /sell/shop`: saves the profile (social links and anything the form does not show
/// are kept as they are).
#[handler]
pub(crate) async fn save_shop(
    page: SellerPage<'_>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    let current = match selling::shop(ctx.state, ctx.tenant, &user).await {
        Ok(s) => s,
        Err(e) => return failed(chrome, &e),
    };
    let f = FormData::from(pairs);
    let mut errors = Errors::new();
    let input = ShopInput {
        name: f.get("name").to_owned().into(),
        story: f.opt("story").map(Into::into),
        location: Some(Location {
            city: f.opt("city").map(Into::into),
            region: f.opt("region").map(Into::into),
            country: f.opt("country").map(Into::into),
            latitude: current.location.latitude,
            longitude: current.location.longitude,
        }),
        profile_image_url: f.opt("profile_image_url").map(Into::into),
        banner_url: f.opt("banner_url").map(Into::into),
        social_links: current.social_links.clone(),
        return_policy: f.opt("return_policy").map(Into::into),
        processing_days_min: int(&f, "processing_days_min", &mut errors),
        processing_days_max: int(&f, "processing_days_max", &mut errors),
        languages: list(f.get("languages"))
            .into_iter()
            .map(Into::into)
            .collect(),
    };
    let result = if errors.is_empty() {
        selling::update_shop(ctx.state, ctx.tenant, &user, &input).await
    } else {
        Err(ApiError::validation(Vec::new()))
    };
    match result {
        Ok(_) => Redirect::see_other("/sell/shop?done=saved").into_response(),
        Err(e) if e.status.is_client_error() => {
            let mut fields = shop_fields(&f.values(), &errors, chrome.locale);
            let error = attach(&mut fields, &e, chrome.locale);
            let pictures = Pictures::of(&current, &ctx);
            with_status(
                shop_page(
                    chrome,
                    current.slug,
                    fields,
                    error,
                    Flash::default(),
                    pictures,
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => failed(chrome, &e),
    }
}

/// Which picture a form names (`which`): `logo` or `banner`.
fn which_image(raw: &str) -> Option<(ShopImage, &'static str)> {
    match raw.trim() {
        "logo" => Some((ShopImage::Logo, "logo")),
        "banner" => Some((ShopImage::Banner, "banner")),
        _ => None,
    }
}

/// The shop page again, with an upload's refusal next to the picture it was for.
async fn refused_image(
    ctx: Ctx<'_>,
    chrome: Chrome,
    user: &krafto_auth::UserClaims,
    which: &'static str,
    e: &ApiError,
) -> Response {
    let mut pictures = Pictures {
        logo: None,
        banner: None,
        upload_error: String::new(),
        upload_for: which,
        max_mb: ctx.state.media.limits.max_bytes / (1024 * 1024),
    };
    let Some(text) = crate::web::upload::refusal(chrome.locale, e, pictures.max_mb) else {
        return failed(chrome, e);
    };
    let s = match selling::shop(ctx.state, ctx.tenant, user).await {
        Ok(s) => s,
        Err(e) => return failed(chrome, &e),
    };
    pictures.upload_error = text;
    pictures.logo = s.logo.clone();
    pictures.banner = s.banner.clone();
    let fields = shop_fields(&shop_values(&s), &Errors::new(), chrome.locale);
    with_status(
        shop_page(
            chrome,
            s.slug.clone(),
            fields,
            String::new(),
            Flash::default(),
            pictures,
        ),
        e.status,
    )
}

/// `POST /sell/shop/images` (`multipart/form-data`): `which` (`logo` or `banner`) and the
/// file as `image`. The same checks and pipeline as the API; a refused file changes nothing
/// and the page says why.
#[handler]
pub(crate) async fn upload_image(page: SellerPage<'_>, parts: poem::web::Multipart) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    let form = crate::web::upload::read(parts, ctx.state.media.limits.max_bytes).await;
    let which = form.fields.get("which").map_or("", String::as_str);
    let Some((image, word)) = which_image(which) else {
        return crate::web::not_found(chrome);
    };
    let result = match form.image {
        Ok(bytes) => {
            selling::set_shop_image(ctx.state, ctx.tenant, &user, ctx.rid, image, "image", bytes)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Redirect::see_other(format!("/sell/shop?done={word}#pictures")).into_response(),
        Err(e) => refused_image(ctx, chrome, &user, word, &e).await,
    }
}

/// `POST /sell/shop/images/remove`: `which` (`logo` or `banner`).
#[handler]
pub(crate) async fn remove_image(
    page: SellerPage<'_>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    let f = FormData::from(pairs);
    let Some((image, word)) = which_image(f.get("which")) else {
        return crate::web::not_found(chrome);
    };
    match selling::remove_shop_image(ctx.state, ctx.tenant, &user, ctx.rid, image).await {
        Ok(_) => {
            Redirect::see_other(format!("/sell/shop?done={word}-removed#pictures")).into_response()
        }
        Err(e) => failed(chrome, &e),
    }
}
