//! The buyer's account pages at `/account`: their profile (name, phone), their address book
//! (add, change, make default, delete) and the deletion of their account data, confirmed on
//! a page of its own. Every action calls `crate::accounts`, the same functions as
//! `/api/v1/store/me`; this module only turns forms into their inputs and answers into
//! pages, with the problems said in the page's language.

use super::account::{SESSION_COOKIE, SignedInPage, cookie};
use super::buy::{country_field, set_cart_count};
use super::{Chrome, Field, Flash, api_failure, attach, message, not_found, render};
use crate::accounts::{self, addresses};
use askama::Template;
use krafto_api_types::Code;
use krafto_api_types::account::{AccountProfile, AddressInput, AddressView, DeleteAccount};
use krafto_i18n::Locale;
use krafto_web::ApiError;
use poem::http::StatusCode;
use poem::web::{Form, Path, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

/// The words for a field's problem, in the page's language (the API's own words are
/// English).
fn problem_text(locale: Locale, field: &str) -> String {
    let key = match field {
        "email" => "problem-email",
        "phone" => "problem-phone",
        "display_name" => "problem-display-name",
        "country" => "problem-country",
        "line2" | "region" => "problem-optional-line",
        "postal_code" => "problem-postal-code",
        "confirm_email" => "problem-confirm-email",
        "address_choice" => "problem-saved-address",
        "quantity" => "cart-quantity-invalid",
        f if f.starts_with("delivery") => "problem-delivery",
        _ => "problem-required",
    };
    locale.t(key)
}

/// Puts a refusal's problems on `fields` in the page's language; returns what to say
/// above the form (the refusal in words when it names no field of the form).
pub(crate) fn attach_localized<'a>(
    locale: Locale,
    fields: impl IntoIterator<Item = &'a mut Field>,
    e: &ApiError,
    otherwise: &str,
) -> String {
    let mut fields: Vec<&mut Field> = fields.into_iter().collect();
    attach(fields.iter_mut().map(|f| &mut **f), e, locale);
    let mut marked = false;
    for f in &mut fields {
        if f.error.is_some() {
            f.error = Some(problem_text(locale, &f.name));
            marked = true;
        }
    }
    if marked {
        locale.t("problem-fix-fields")
    } else {
        otherwise.to_owned()
    }
}

struct AddressRow {
    id: String,
    lines: Vec<String>,
    is_default: bool,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    flash: Flash,
    email: String,
    profile: Vec<Field>,
    profile_error: String,
    addresses: Vec<AddressRow>,
    new_address: Vec<Field>,
    address_error: String,
    /// Buyers may delete their account here (sellers and operators ask the marketplace).
    can_delete: bool,
}

/// The address form's fields, named as the API names them, with `values`.
fn address_fields(locale: Locale, values: &HashMap<String, String>, prefix: &str) -> Vec<Field> {
    let v = |k: &str| values.get(k).cloned().unwrap_or_default();
    let text = |name: &str, key: &str, autocomplete: &'static str, required: bool| {
        let f = Field::new(name, &locale.t(key), v(name))
            .id(&format!("{prefix}{name}"))
            .autocomplete(autocomplete);
        if required { f.required() } else { f }
    };
    vec![
        text("name", "checkout-name", "name", true),
        text("line1", "checkout-line1", "address-line1", true),
        text("line2", "checkout-line2", "address-line2", false),
        text("postal_code", "checkout-postal-code", "postal-code", true),
        text("city", "checkout-city", "address-level2", true),
        text("region", "checkout-region", "address-level1", false),
        country_field("country", "country", &v("country"), locale)
            .id(&format!("{prefix}country"))
            .required(),
    ]
}

fn address_values(a: &AddressView) -> HashMap<String, String> {
    [
        ("name", Some(a.name.clone())),
        ("line1", Some(a.line1.clone())),
        ("line2", a.line2.clone()),
        ("postal_code", Some(a.postal_code.clone())),
        ("city", Some(a.city.clone())),
        ("region", a.region.clone()),
        ("country", Some(a.country.clone())),
    ]
    .into_iter()
    .filter_map(|(k, v)| Some((k.to_owned(), v?)))
    .collect()
}

fn address_input(f: &HashMap<String, String>) -> AddressInput {
    let get = |k: &str| f.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let opt = |k: &str| Some(get(k)).filter(|v| !v.is_empty()).map(Into::into);
    AddressInput {
        name: get("name").into(),
        line1: get("line1").into(),
        line2: opt("line2"),
        postal_code: get("postal_code").into(),
        city: get("city").into(),
        region: opt("region"),
        country: get("country").into(),
        is_default: f.get("is_default").is_some_and(|v| !v.is_empty()),
    }
}

fn profile_fields(
    locale: Locale,
    p: &AccountProfile,
    values: Option<&HashMap<String, String>>,
) -> Vec<Field> {
    let v = |k: &str, stored: &Option<String>| {
        values
            .and_then(|v| v.get(k).cloned())
            .or_else(|| stored.clone())
            .unwrap_or_default()
    };
    vec![
        Field::new(
            "display_name",
            &locale.t("account-name"),
            v("display_name", &p.display_name),
        )
        .autocomplete("name"),
        Field::new("phone", &locale.t("account-phone"), v("phone", &p.phone))
            .kind("tel")
            .autocomplete("tel"),
    ]
}

/// What the account page shows after a change (`?done=`).
const DONE: &[(&str, &str)] = &[
    ("profile", "account-profile-saved"),
    ("address", "account-address-saved"),
    ("removed", "account-address-deleted"),
];

#[derive(Debug, Deserialize)]
pub(crate) struct DoneQuery {
    done: Option<String>,
}

/// A refused form of the account page: the page again, with the problems on their fields.
struct Refused<'a> {
    profile: Option<(&'a HashMap<String, String>, &'a ApiError)>,
    address: Option<(&'a HashMap<String, String>, &'a ApiError)>,
}

async fn account_page(page: SignedInPage<'_>, flash: Flash, refused: Refused<'_>) -> Response {
    let SignedInPage { ctx, chrome, user } = page;
    let loaded = async {
        let mut tx = ctx.tx().await?;
        let p = accounts::profile_in(&mut tx, &user).await?;
        let a = addresses::list_in(&mut tx, &user).await?;
        tx.commit().await?;
        Ok::<_, ApiError>((p, a))
    }
    .await;
    let (profile, saved) = match loaded {
        Ok(v) => v,
        Err(e) => return api_failure(chrome, &e),
    };
    let locale = chrome.locale;
    let mut profile_form = profile_fields(locale, &profile, refused.profile.map(|(v, _)| v));
    let profile_error = refused.profile.map_or_else(String::new, |(_, e)| {
        attach_localized(
            locale,
            &mut profile_form,
            e,
            &locale.t("problem-fix-fields"),
        )
    });
    let empty = HashMap::new();
    let mut new_address =
        address_fields(locale, refused.address.map_or(&empty, |(v, _)| v), "new-");
    let address_error = refused.address.map_or_else(String::new, |(_, e)| {
        let otherwise = if e.status == StatusCode::CONFLICT {
            locale.t_args(
                "account-address-limit",
                &[("n", addresses::MAX_ADDRESSES.into())],
            )
        } else {
            locale.t("problem-fix-fields")
        };
        attach_localized(locale, &mut new_address, e, &otherwise)
    });
    let status = refused
        .profile
        .or(refused.address)
        .map_or(StatusCode::OK, |(_, e)| e.status);
    let mut r = render(&AccountPage {
        flash,
        can_delete: profile.role == "buyer",
        email: profile.email,
        profile: profile_form,
        profile_error,
        addresses: saved
            .iter()
            .map(|a| AddressRow {
                id: a.id.to_string(),
                lines: addresses::address_lines(
                    locale,
                    &serde_json::to_value(address_values(a)).unwrap_or_default(),
                ),
                is_default: a.is_default,
            })
            .collect(),
        new_address,
        address_error,
        chrome,
    });
    r.set_status(status);
    r
}

/// `GET /account`: the profile, the address book and the way to delete the account.
#[handler]
pub(crate) async fn show(page: SignedInPage<'_>, Query(q): Query<DoneQuery>) -> Response {
    let flash = Flash::from_done(q.done.as_deref(), DONE);
    account_page(
        page,
        flash,
        Refused {
            profile: None,
            address: None,
        },
    )
    .await
}

/// `POST /account/profile`: saves the name and phone.
#[handler]
pub(crate) async fn save_profile(
    page: SignedInPage<'_>,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let input = krafto_api_types::account::ProfileInput {
        display_name: values.get("display_name").cloned().map(Into::into),
        phone: values.get("phone").cloned().map(Into::into),
    };
    match accounts::update_profile(page.ctx.state, page.ctx.tenant, &page.user, &input).await {
        Ok(_) => Redirect::see_other("/account?done=profile").into_response(),
        Err(e) if e.status.is_client_error() => {
            let refused = Refused {
                profile: Some((&values, &e)),
                address: None,
            };
            account_page(page, Flash::default(), refused).await
        }
        Err(e) => api_failure(page.chrome, &e),
    }
}

/// `POST /account/addresses`: saves a new address.
#[handler]
pub(crate) async fn add_address(
    page: SignedInPage<'_>,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let input = address_input(&values);
    match addresses::create(page.ctx.state, page.ctx.tenant, &page.user, &input).await {
        Ok(_) => Redirect::see_other("/account?done=address").into_response(),
        Err(e) if e.status.is_client_error() => {
            let refused = Refused {
                profile: None,
                address: Some((&values, &e)),
            };
            account_page(page, Flash::default(), refused).await
        }
        Err(e) => api_failure(page.chrome, &e),
    }
}

#[derive(Template)]
#[template(path = "account_address.html")]
struct AddressPage {
    chrome: Chrome,
    id: String,
    fields: Vec<Field>,
    is_default: bool,
    error: String,
}

fn address_id(raw: &str) -> Option<Uuid> {
    raw.parse().ok()
}

/// `GET /account/addresses/{id}`: one saved address to change.
#[handler]
pub(crate) async fn edit_address(page: SignedInPage<'_>, Path(id): Path<String>) -> Response {
    let SignedInPage { ctx, chrome, user } = page;
    let Some(id) = address_id(&id) else {
        return not_found(chrome);
    };
    let found = match addresses::list(ctx.state, ctx.tenant, &user).await {
        Ok(all) => all.into_iter().find(|a| a.id == id),
        Err(e) => return api_failure(chrome, &e),
    };
    let Some(a) = found else {
        return not_found(chrome);
    };
    render(&AddressPage {
        id: a.id.to_string(),
        fields: address_fields(chrome.locale, &address_values(&a), ""),
        is_default: a.is_default,
        error: String::new(),
        chrome,
    })
}

/// `POST /account/addresses/{id}`: saves the changed address.
#[handler]
pub(crate) async fn update_address(
    page: SignedInPage<'_>,
    Path(id): Path<String>,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let SignedInPage { ctx, chrome, user } = page;
    let Some(id) = address_id(&id) else {
        return not_found(chrome);
    };
    let input = address_input(&values);
    match addresses::update(ctx.state, ctx.tenant, &user, id, &input).await {
        Ok(_) => Redirect::see_other("/account?done=address").into_response(),
        Err(e) if e.code == Code::AddressNotFound => not_found(chrome),
        Err(e) if e.status.is_client_error() => {
            let locale = chrome.locale;
            let mut fields = address_fields(locale, &values, "");
            let error = attach_localized(locale, &mut fields, &e, &locale.t("problem-fix-fields"));
            let mut r = render(&AddressPage {
                id: id.to_string(),
                fields,
                is_default: input.is_default,
                error,
                chrome,
            });
            r.set_status(e.status);
            r
        }
        Err(e) => api_failure(chrome, &e),
    }
}

/// `POST /account/addresses/{id}/default`: makes a saved address the default.
#[handler]
pub(crate) async fn make_default(page: SignedInPage<'_>, Path(id): Path<String>) -> Response {
    let SignedInPage { ctx, chrome, user } = page;
    let Some(id) = address_id(&id) else {
        return not_found(chrome);
    };
    let found = match addresses::list(ctx.state, ctx.tenant, &user).await {
        Ok(all) => all.into_iter().find(|a| a.id == id),
        Err(e) => return api_failure(chrome, &e),
    };
    let Some(a) = found else {
        return not_found(chrome);
    };
    let mut input = address_input(&address_values(&a));
    input.is_default = true;
    match addresses::update(ctx.state, ctx.tenant, &user, id, &input).await {
        Ok(_) => Redirect::see_other("/account?done=address").into_response(),
        Err(e) if e.code == Code::AddressNotFound => not_found(chrome),
        Err(e) => api_failure(chrome, &e),
    }
}

/// `POST /account/addresses/{id}/delete`: deletes a saved address.
#[handler]
pub(crate) async fn delete_address(page: SignedInPage<'_>, Path(id): Path<String>) -> Response {
    let SignedInPage { ctx, chrome, user } = page;
    let Some(id) = address_id(&id) else {
        return not_found(chrome);
    };
    match addresses::delete(ctx.state, ctx.tenant, &user, id).await {
        Ok(()) => Redirect::see_other("/account?done=removed").into_response(),
        Err(e) if e.code == Code::AddressNotFound => not_found(chrome),
        Err(e) => api_failure(chrome, &e),
    }
}

#[derive(Template)]
#[template(path = "account_delete.html")]
struct DeletePage {
    chrome: Chrome,
    email: String,
    confirm: Field,
    error: String,
}

/// `GET /account/delete`: what deleting the account does, and the confirmation asked.
#[handler]
pub(crate) async fn delete_form(page: SignedInPage<'_>) -> Response {
    let SignedInPage { ctx, chrome, user } = page;
    let profile = match accounts::profile(ctx.state, ctx.tenant, &user).await {
        Ok(p) => p,
        Err(e) => return api_failure(chrome, &e),
    };
    render(&DeletePage {
        confirm: confirm_field(chrome.locale, ""),
        email: profile.email,
        error: String::new(),
        chrome,
    })
}

fn confirm_field(locale: Locale, value: &str) -> Field {
    Field::new("confirm_email", &locale.t("account-delete-confirm"), value)
        .kind("email")
        .autocomplete("off")
        .required()
}

/// `POST /account/delete`: erases the buyer's personal data once they typed their e-mail,
/// ends their sessions and says it is done.
#[handler]
pub(crate) async fn delete_submit(
    page: SignedInPage<'_>,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let SignedInPage { ctx, chrome, user } = page;
    let typed = values.get("confirm_email").cloned().unwrap_or_default();
    let input = DeleteAccount {
        confirm_email: typed.clone().into(),
    };
    match accounts::delete_account(ctx.state, ctx.tenant, &user, &input).await {
        Ok(()) => {
            if let Some(token) = cookie(ctx.req, SESSION_COOKIE)
                && let Err(e) = crate::sessions::end(ctx.state, ctx.tenant, &token).await
            {
                tracing::error!(error = %e.detail, "the erased account's page session could not be revoked");
            }
            let mut chrome = Chrome::for_user(ctx.req, ctx.state, ctx.tenant, None);
            chrome.cart_count = 0;
            let (heading, text) = (
                chrome.t("account-deleted-title"),
                chrome.t("account-deleted-text"),
            );
            let mut r = message(chrome, StatusCode::OK, &heading, &text);
            if let Ok(v) =
                format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0").parse()
            {
                r.headers_mut().append("set-cookie", v);
            }
            set_cart_count(&mut r, 0);
            r
        }
        Err(e) if e.status.is_client_error() => {
            let locale = chrome.locale;
            let email = match accounts::profile(ctx.state, ctx.tenant, &user).await {
                Ok(p) => p.email,
                Err(e) => return api_failure(chrome, &e),
            };
            let mut confirm = confirm_field(locale, &typed);
            let otherwise = match e.code {
                Code::OrdersInProgress => locale.t("account-delete-orders-in-progress"),
                _ => locale.t("account-delete-not-buyer"),
            };
            let error = attach_localized(locale, [&mut confirm], &e, &otherwise);
            let mut r = render(&DeletePage {
                email,
                confirm,
                error,
                chrome,
            });
            r.set_status(e.status);
            r
        }
        Err(e) => api_failure(chrome, &e),
    }
}
