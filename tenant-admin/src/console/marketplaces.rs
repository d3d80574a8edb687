//! The console's marketplaces: the list (each host a link to the storefront, the operators'
//! e-mail addresses, where payments stand), searched by slug, name or domain, and creating a
//! marketplace from a template.

use super::{Chrome, FormData, StaffPage, failure, message, non_empty, template_label, value};
use crate::{marketplaces, operators, provision};
use askama::Template;
use krafto_api_types::control::{
    BrandingInput, CreateTenant, TemplateName, TenantStatusName, TenantView,
};
use krafto_core::text::percent_encode;
use krafto_web::ApiError;
use krafto_web::pages::{Field, attach, render};
use poem::http::StatusCode;
use poem::web::{Form, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use std::collections::BTreeMap;
use uuid::Uuid;

struct TenantRow {
    id: String,
    name: String,
    slug: String,
    suspended: bool,
    /// Each host with the storefront's address on it.
    hosts: Vec<(String, String)>,
    /// The operators' e-mail addresses.
    operators: Vec<String>,
    template: &'static str,
    stripe: &'static str,
}

/// Where the marketplace's payments stand. Under the built-in test gateway nothing is
/// charged and no account is needed, so a marketplace without one is in test mode.
fn stripe_label(v: &TenantView) -> &'static str {
    if v.stripe.ready {
        "ready"
    } else if v.stripe.account_id.is_some() {
        "onboarding"
    } else if v.stripe.test_mode {
        "test mode"
    } else {
        "no account"
    }
}

#[derive(Template)]
#[template(path = "tenants.html")]
struct ListPage {
    chrome: Option<Chrome>,
    q: String,
    rows: Vec<TenantRow>,
    next: Option<String>,
}

/// `GET /?q=…&cursor=…`: marketplaces, searched by slug, name or domain (the API's list).
#[handler]
pub(super) async fn list(
    Query(query): Query<BTreeMap<String, String>>,
    page: StaffPage<'_>,
) -> Response {
    let StaffPage { ctx, chrome, .. } = page;
    let q = value(&query, "q");
    let cursor = match non_empty(&query, "cursor").map(|c| c.parse::<Uuid>()) {
        None => None,
        Some(Ok(c)) => Some(c),
        Some(Err(_)) => {
            return message(
                Some(chrome),
                StatusCode::BAD_REQUEST,
                "Bad page link",
                "This link is not a page of this list.",
            );
        }
    };
    let page = match marketplaces::list(ctx.state, None, Some(&q), cursor, None).await {
        Ok(p) => p,
        Err(e) => return failure(chrome, &e),
    };
    let mut rows = Vec::with_capacity(page.items.len());
    for t in &page.items {
        // Each marketplace's operators live in its own rows (row-level security): one small
        // read per marketplace of the page.
        let operators = match operators::list(ctx.state, t.id).await {
            Ok(l) => l.items.into_iter().map(|o| o.email).collect(),
            Err(e) => return failure(chrome, &e),
        };
        rows.push(TenantRow {
            id: t.id.to_string(),
            name: t.name.clone(),
            slug: t.slug.clone(),
            suspended: t.status == TenantStatusName::Suspended,
            hosts: t
                .hosts
                .iter()
                .map(|h| (h.clone(), ctx.state.storefront(h)))
                .collect(),
            operators,
            template: template_label(t.template),
            stripe: stripe_label(t),
        });
    }
    render(&ListPage {
        next: page
            .next_cursor
            .map(|c| format!("/?q={}&cursor={c}", percent_encode(&q))),
        rows,
        q,
        chrome: Some(chrome),
    })
}

#[derive(Template)]
#[template(path = "new_tenant.html")]
struct NewTenantPage {
    chrome: Option<Chrome>,
    fields: Vec<Field>,
    error: String,
}

const TEMPLATES: [(&str, &str); 3] = [
    ("handmade", "Handmade: crafts, jewellery, home"),
    ("farm", "Farm: fresh produce and local food"),
    ("b2b", "B2B: supplies for businesses"),
];

/// The creation form's fields, filled from what was posted (handmade is the template until
/// one is chosen).
fn new_tenant_fields(form: &BTreeMap<String, String>) -> Vec<Field> {
    let template = non_empty(form, "template").unwrap_or_else(|| "handmade".to_owned());
    vec![
        Field::new("template", "Template", template).radio(
            TEMPLATES
                .iter()
                .map(|(value, label)| ((*value).to_owned(), (*label).to_owned()))
                .collect(),
        ),
        Field::new("slug", "Slug", value(form, "slug"))
            .hint("Lowercase letters, digits and dashes: the marketplace's own host name.")
            .required(),
        Field::new("name", "Name", value(form, "name")).required(),
        Field::new("locale", "Locale", value(form, "locale")).hint("e.g. fr-FR; en by default."),
        Field::new("currency", "Currency", value(form, "currency"))
            .hint("ISO 4217, EUR by default."),
        Field::new("domain", "Custom domain (optional)", value(form, "domain")).api("domains"),
        Field::new("tagline", "Tagline (optional)", value(form, "tagline")).api("branding.tagline"),
    ]
}

/// `GET /marketplaces/new`
#[handler]
pub(super) fn new_page(page: StaffPage<'_>) -> Response {
    render(&NewTenantPage {
        chrome: Some(page.chrome),
        fields: new_tenant_fields(&BTreeMap::new()),
        error: String::new(),
    })
}

/// `POST /marketplaces/new`: provisions through the API's function; a refusal shows the
/// form again with the entered values and each problem on its field.
#[handler]
pub(super) async fn create(Form(form): FormData, page: StaffPage<'_>) -> Response {
    let template_raw = value(&form, "template");
    let template = match template_raw.as_str() {
        "handmade" => Ok(TemplateName::Handmade),
        "farm" => Ok(TemplateName::Farm),
        "b2b" => Ok(TemplateName::B2b),
        _ => Err(ApiError::field(krafto_core::FieldError::new(
            "template",
            "choose handmade, farm or b2b",
        ))),
    };
    let result = match template {
        Ok(template) => {
            let input = CreateTenant {
                slug: value(&form, "slug").into(),
                name: value(&form, "name").into(),
                template,
                currency: non_empty(&form, "currency").map(Into::into),
                locale: non_empty(&form, "locale").map(Into::into),
                domains: non_empty(&form, "domain")
                    .into_iter()
                    .map(Into::into)
                    .collect(),
                branding: Some(BrandingInput {
                    tagline: non_empty(&form, "tagline").map(Into::into),
                    ..BrandingInput::default()
                }),
                fees: None,
                features: BTreeMap::new(),
            };
            provision::create_tenant(page.ctx.state, &page.actor(), &input, page.ctx.request_id())
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(t) => {
            Redirect::see_other(format!("/marketplaces/{}?done=created", t.id)).into_response()
        }
        Err(e) if e.status.is_client_error() => {
            let mut fields = new_tenant_fields(&form);
            let error = format!(
                "Not created. {}",
                attach(&mut fields, &e, krafto_web::pages::Locale::En)
            );
            let mut r = render(&NewTenantPage {
                chrome: Some(page.chrome),
                fields,
                error,
            });
            r.set_status(e.status);
            r
        }
        Err(e) => failure(page.chrome, &e),
    }
}
