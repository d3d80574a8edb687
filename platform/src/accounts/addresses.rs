//! A buyer's address book (`/store/me/addresses`): list, save, change, delete, and the
//! default checkout proposes first. The checks of an address are the checkout's too.

use crate::{AppState, CurrentTenant};
use krafto_api_types::Code;
use krafto_api_types::account::{AddressInput, AddressView};
use krafto_auth::UserClaims;
use krafto_core::FieldError;
use krafto_db::TenantTx;
use krafto_db::models::{AddressFields, BuyerAddress};
use krafto_web::{ApiError, ApiResult};
use uuid::Uuid;

/// How many addresses one buyer may keep.
pub(crate) const MAX_ADDRESSES: i64 = 20;

/// An address as given, before it is checked (the API's and the checkout's shapes).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawAddress<'a> {
    pub name: &'a str,
    pub line1: &'a str,
    pub line2: Option<&'a str>,
    pub postal_code: &'a str,
    pub city: &'a str,
    pub region: Option<&'a str>,
    pub country: &'a str,
}

impl<'a> From<&'a AddressInput> for RawAddress<'a> {
    fn from(a: &'a AddressInput) -> Self {
        Self {
            name: &a.name,
            line1: &a.line1,
            line2: a.line2.as_deref(),
            postal_code: &a.postal_code,
            city: &a.city,
            region: a.region.as_deref(),
            country: &a.country,
        }
    }
}

impl<'a> From<&'a krafto_api_types::commerce::ShippingAddress> for RawAddress<'a> {
    fn from(a: &'a krafto_api_types::commerce::ShippingAddress) -> Self {
        Self {
            name: &a.name,
            line1: &a.line1,
            line2: a.line2.as_deref(),
            postal_code: &a.postal_code,
            city: &a.city,
            region: a.region.as_deref(),
            country: &a.country,
        }
    }
}

impl<'a> From<&'a BuyerAddress> for RawAddress<'a> {
    fn from(a: &'a BuyerAddress) -> Self {
        Self {
            name: &a.name,
            line1: &a.line1,
            line2: a.line2.as_deref(),
            postal_code: &a.postal_code,
            city: &a.city,
            region: a.region.as_deref(),
            country: &a.country,
        }
    }
}

/// Checks an address; its problems are named `{prefix}{field}` (`address.city` at
/// checkout, `city` in the address book) and added to `problems`.
pub(crate) fn check(
    a: RawAddress<'_>,
    prefix: &str,
    problems: &mut Vec<FieldError>,
) -> Option<AddressFields> {
    let before = problems.len();
    let mut need = |field: &str, value: &str, max: usize| {
        let v = value.trim();
        if v.is_empty() || v.chars().count() > max {
            problems.push(FieldError::new(
                format!("{prefix}{field}"),
                format!("is required (at most {max} characters)"),
            ));
        }
        v.to_owned()
    };
    let name = need("name", a.name, 200);
    let line1 = need("line1", a.line1, 200);
    let postal_code = need("postal_code", a.postal_code, 20);
    let city = need("city", a.city, 100);
    let country = match krafto_core::country::delivery_country(a.country) {
        Ok(c) => c.to_owned(),
        Err(e) => {
            problems.push(e.at(format!("{prefix}country")));
            String::new()
        }
    };
    let mut optional = |field: &str, v: Option<&str>| {
        let v = v.map(str::trim).filter(|v| !v.is_empty());
        if v.is_some_and(|v| v.chars().count() > 200) {
            problems.push(FieldError::new(
                format!("{prefix}{field}"),
                "at most 200 characters",
            ));
        }
        v.map(str::to_owned)
    };
    let line2 = optional("line2", a.line2);
    let region = optional("region", a.region);
    (problems.len() == before).then_some(AddressFields {
        name,
        line1,
        line2,
        postal_code,
        city,
        region,
        country,
    })
}

pub(crate) fn view(a: BuyerAddress) -> AddressView {
    AddressView {
        id: a.id,
        name: a.name,
        line1: a.line1,
        line2: a.line2,
        postal_code: a.postal_code,
        city: a.city,
        region: a.region,
        country: a.country,
        is_default: a.is_default,
    }
}

pub(crate) fn not_found(id: Uuid) -> ApiError {
    ApiError::not_found(
        Code::AddressNotFound,
        format!("no saved address {id} in your account"),
    )
}

fn checked(input: &AddressInput) -> ApiResult<AddressFields> {
    let mut problems = Vec::new();
    match check(input.into(), "", &mut problems) {
        Some(f) if problems.is_empty() => Ok(f),
        _ => Err(ApiError::validation(problems)),
    }
}

/// The signed-in user's addresses, the default first (within the caller's transaction).
pub(crate) async fn list_in(tx: &mut TenantTx, user: &UserClaims) -> ApiResult<Vec<AddressView>> {
    Ok(BuyerAddress::of_user(tx, user.user_id)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

/// The signed-in user's addresses, the default first.
pub(crate) async fn list(
    state: &AppState,
    tenant: &CurrentTenant,
    user: &UserClaims,
) -> ApiResult<Vec<AddressView>> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let v = list_in(&mut tx, user).await?;
    tx.commit().await?;
    Ok(v)
}

/// Saves an address for the user in the caller's transaction (the first one is the
/// default). 409 `conflict` past [`MAX_ADDRESSES`].
pub(crate) async fn save_in(
    tx: &mut TenantTx,
    user_id: Uuid,
    fields: &AddressFields,
    is_default: bool,
) -> ApiResult<BuyerAddress> {
    let n = BuyerAddress::count(tx, user_id).await?;
    if n >= MAX_ADDRESSES {
        return Err(ApiError::new(
            poem::http::StatusCode::CONFLICT,
            Code::Conflict,
            format!("an account keeps at most {MAX_ADDRESSES} addresses: delete one first"),
        ));
    }
    Ok(BuyerAddress::create(tx, user_id, fields, is_default || n == 0).await?)
}

/// Saves a new address.
pub(crate) async fn create(
    state: &AppState,
    tenant: &CurrentTenant,
    user: &UserClaims,
    input: &AddressInput,
) -> ApiResult<AddressView> {
    let fields = checked(input)?;
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let a = save_in(&mut tx, user.user_id, &fields, input.is_default).await?;
    tx.commit().await?;
    Ok(view(a))
}

/// Replaces one of the user's addresses (404 `address_not_found` when it is not theirs).
/// `is_default: false` leaves the default as it is.
pub(crate) async fn update(
    state: &AppState,
    tenant: &CurrentTenant,
    user: &UserClaims,
    id: Uuid,
    input: &AddressInput,
) -> ApiResult<AddressView> {
    let fields = checked(input)?;
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let a = BuyerAddress::update(
        &mut tx,
        user.user_id,
        id,
        &fields,
        input.is_default.then_some(true),
    )
    .await?
    .ok_or_else(|| not_found(id))?;
    tx.commit().await?;
    Ok(view(a))
}

/// Deletes one of the user's addresses (404 `address_not_found` when it is not theirs).
/// When it was the default, the oldest remaining address becomes the default.
pub(crate) async fn delete(
    state: &AppState,
    tenant: &CurrentTenant,
    user: &UserClaims,
    id: Uuid,
) -> ApiResult<()> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let was = BuyerAddress::find(&mut tx, user.user_id, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    BuyerAddress::delete(&mut tx, user.user_id, id).await?;
    if was.is_default
        && let Some(next) = BuyerAddress::of_user(&mut tx, user.user_id)
            .await?
            .into_iter()
            .next()
    {
        let fields = AddressFields {
            name: next.name.clone(),
            line1: next.line1.clone(),
            line2: next.line2.clone(),
            postal_code: next.postal_code.clone(),
            city: next.city.clone(),
            region: next.region.clone(),
            country: next.country.clone(),
        };
        BuyerAddress::update(&mut tx, user.user_id, next.id, &fields, Some(true)).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A country's name in `locale` (`FR` → "France"); the code itself for a country outside
/// the list (never expected: codes are checked when stored).
pub(crate) fn country_name(locale: krafto_i18n::Locale, code: &str) -> String {
    match krafto_core::country::delivery_country(code) {
        Ok(c) => locale.t(&format!("country-{c}")),
        Err(_) => code.to_owned(),
    }
}

/// The delivery countries as `(code, name)` in `locale`, by name: a `<select>`'s options.
pub(crate) fn country_options(locale: krafto_i18n::Locale) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = krafto_core::country::DELIVERY_COUNTRIES
        .iter()
        .map(|c| ((*c).to_owned(), locale.t(&format!("country-{c}"))))
        .collect();
    v.sort_by(|a, b| a.1.cmp(&b.1));
    v
}

/// A stored address (checkout, order) as the lines of an envelope, the country by its
/// name; empty for an order that is collected.
pub(crate) fn address_lines(locale: krafto_i18n::Locale, a: &serde_json::Value) -> Vec<String> {
    let text = |k: &str| {
        a.get(k)
            .and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let Some(name) = text("name") else {
        return Vec::new();
    };
    let mut lines = vec![name];
    lines.extend(text("line1"));
    lines.extend(text("line2"));
    let town = [text("postal_code"), text("city")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if !town.is_empty() {
        lines.push(town);
    }
    lines.extend(text("region"));
    lines.extend(text("country").map(|c| country_name(locale, &c)));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_reads_as_envelope_lines_with_the_country_named() {
        let a = serde_json::json!({ "name": "Ada", "line1": "3 rue Mercière", "line2": null,
            "postal_code": "69002", "city": "Lyon", "region": null, "country": "DE" });
        assert_eq!(
            address_lines(krafto_i18n::Locale::Fr, &a),
            ["Ada", "3 rue Mercière", "69002 Lyon", "Allemagne"]
        );
        assert!(address_lines(krafto_i18n::Locale::En, &serde_json::json!({})).is_empty());
        let options = country_options(krafto_i18n::Locale::Fr);
        assert_eq!(options[0], ("DE".to_owned(), "Allemagne".to_owned()));
    }
}
