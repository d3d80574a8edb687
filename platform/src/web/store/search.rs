//! Search results and category pages: filters, sorts, facet counts and suggestions, from the
//! same search function as the store API.

use super::{Card, failure};
use crate::catalog;
use crate::ctx::Ctx;
use crate::web::{Chrome, api_failure, render, summary};
use askama::Template;
use krafto_core::Money;
use krafto_core::text::percent_encode;
use poem::http::StatusCode;
use poem::web::{Path, Query};
use poem::{Response, handler};
use std::collections::{BTreeMap, HashMap};

struct CategoryOption {
    slug: String,
    name: String,
    count: Option<i64>,
    selected: bool,
    /// Depth in the tree (sub-categories are indented under their parent).
    depth: usize,
}

/// The matches in a category and its sub-categories.
fn subtree_count(
    all: &[krafto_db::models::Category],
    c: &krafto_db::models::Category,
    counts: &HashMap<String, i64>,
) -> i64 {
    fn walk(
        all: &[krafto_db::models::Category],
        c: &krafto_db::models::Category,
        counts: &HashMap<String, i64>,
        depth: usize,
    ) -> i64 {
        let own = counts.get(&c.slug).copied().unwrap_or(0);
        if depth > 32 {
            return own;
        }
        own + all
            .iter()
            .filter(|child| child.parent_id == Some(c.id))
            .map(|child| walk(all, child, counts, depth + 1))
            .sum::<i64>()
    }
    walk(all, c, counts, 0)
}

/// The categories depth-first (each under its parent), with their depth.
fn tree_order(all: &[krafto_db::models::Category]) -> Vec<(&krafto_db::models::Category, usize)> {
    fn walk<'a>(
        all: &'a [krafto_db::models::Category],
        parent: Option<uuid::Uuid>,
        depth: usize,
        out: &mut Vec<(&'a krafto_db::models::Category, usize)>,
    ) {
        for c in all.iter().filter(|c| c.parent_id == parent) {
            out.push((c, depth));
            if depth < 32 {
                walk(all, Some(c.id), depth + 1, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(all, None, 0, &mut out);
    out
}

struct PriceBand {
    label: String,
    href: String,
    count: i64,
    selected: bool,
}

struct SuggestionLink {
    label: String,
    href: String,
    count: i64,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    heading: String,
    error: String,
    categories: Vec<CategoryOption>,
    bands: Vec<PriceBand>,
    sorts: Vec<(&'static str, String, bool)>,
    in_stock: bool,
    verified: bool,
    /// Filters chosen by link (the price band) that the form carries along, so "Apply"
    /// keeps them.
    kept: Vec<(&'static str, String)>,
    /// The results without the price band, when one is chosen.
    any_price: Option<String>,
    total: i64,
    listings: Vec<Card>,
    suggestions: Vec<SuggestionLink>,
    next: Option<String>,
}

fn query_string(params: &BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect();
    format!("/search?{}", pairs.join("&"))
}

/// `GET /search` (and `/categories/{slug}`): results with filters, sorts, facet counts and,
/// when nothing matches, suggestions. Runs the same search function as the store API.
#[handler]
pub(crate) async fn search_page(
    ctx: Ctx<'_>,
    Query(form): Query<BTreeMap<String, String>>,
) -> Response {
    search_with(&ctx, form, None).await
}

/// `GET /categories/{slug}`: the search page for one category (and its sub-categories).
#[handler]
pub(crate) async fn category_page(
    ctx: Ctx<'_>,
    Path(slug): Path<String>,
    Query(mut form): Query<BTreeMap<String, String>>,
) -> Response {
    form.insert("category".to_owned(), slug.clone());
    search_with(&ctx, form, Some(slug)).await
}

async fn search_with(
    ctx: &Ctx<'_>,
    form: BTreeMap<String, String>,
    category_heading: Option<String>,
) -> Response {
    let mut chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    let get = |k: &str| {
        form.get(k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let params = catalog::browse::SearchParams {
        q: get("q"),
        category: get("category"),
        min_price: get("min_price").and_then(|v| v.parse().ok()),
        max_price: get("max_price").and_then(|v| v.parse().ok()),
        in_stock: get("in_stock"),
        verified: get("verified"),
        sort: get("sort"),
        cursor: get("cursor"),
        limit: Some(24),
        ..catalog::browse::SearchParams::default()
    };
    chrome.query = params.q.clone().unwrap_or_default();
    let categories = match catalog::categories(ctx.state, ctx.tenant).await {
        Ok(c) => c,
        Err(e) => return failure(&e.detail),
    };
    let category_name = params
        .category
        .as_deref()
        .and_then(|slug| categories.iter().find(|c| c.slug == slug))
        .map(|c| c.name_in(chrome.locale.code()).to_owned());
    let heading = match (&params.q, &category_name, &category_heading) {
        (Some(q), _, _) => chrome.t1("search-results-for", "q", q.as_str()),
        (None, Some(name), _) => name.clone(),
        _ => chrome.t("search-all"),
    };
    let (results, error) =
        match catalog::browse::search(ctx.state, ctx.tenant, &params, chrome.locale).await {
            Ok(r) => (Some(r), String::new()),
            Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
                (None, summary(&e, chrome.locale))
            }
            Err(e) => return api_failure(chrome, &e),
        };
    let keep: BTreeMap<String, String> = form
        .iter()
        .filter(|(k, v)| k.as_str() != "cursor" && !v.trim().is_empty())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let Some(results) = results else {
        let mut r = render(&SearchPage {
            chrome,
            heading,
            error,
            categories: Vec::new(),
            bands: Vec::new(),
            sorts: Vec::new(),
            in_stock: false,
            verified: false,
            kept: Vec::new(),
            any_price: None,
            total: 0,
            listings: Vec::new(),
            suggestions: Vec::new(),
            next: None,
        });
        r.set_status(StatusCode::UNPROCESSABLE_ENTITY);
        return r;
    };
    let sort = params
        .sort
        .clone()
        .unwrap_or_else(|| "relevance".to_owned());
    let counts: HashMap<String, i64> = results
        .facets
        .categories
        .iter()
        .map(|f| (f.slug.clone(), f.count))
        .collect();
    let locale = chrome.locale;
    let money = |m: i64| locale.money(&Money::of(m, &ctx.tenant.currency));
    render(&SearchPage {
        heading,
        error,
        categories: tree_order(&categories)
            .into_iter()
            .map(|(c, depth)| CategoryOption {
                count: Some(subtree_count(&categories, c, &counts)).filter(|n| *n > 0),
                selected: params.category.as_deref() == Some(c.slug.as_str()),
                slug: c.slug.clone(),
                name: c.name_in(locale.code()).to_owned(),
                depth,
            })
            .collect(),
        bands: results
            .facets
            .price_bands
            .iter()
            .map(|b| {
                let mut q = keep.clone();
                q.insert("min_price".to_owned(), b.min_minor.to_string());
                match b.max_minor {
                    Some(max) => q.insert("max_price".to_owned(), (max - 1).to_string()),
                    None => q.remove("max_price"),
                };
                PriceBand {
                    label: match b.max_minor {
                        Some(max) => format!("{} – {}", money(b.min_minor), money(max)),
                        None => {
                            locale.t_args("search-band-up", &[("min", money(b.min_minor).into())])
                        }
                    },
                    selected: params.min_price == Some(b.min_minor),
                    href: query_string(&q),
                    count: b.count,
                }
            })
            .collect(),
        sorts: [
            "relevance",
            "newest",
            "price_asc",
            "price_desc",
            "top_rated",
            "trending",
        ]
        .into_iter()
        .map(|v| {
            (
                v,
                locale.t(&format!("sort-{}", v.replace('_', "-"))),
                v == sort,
            )
        })
        .collect(),
        in_stock: params.in_stock.is_some(),
        verified: params.verified.is_some(),
        kept: [
            ("min_price", params.min_price),
            ("max_price", params.max_price),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k, v?.to_string())))
        .collect(),
        any_price: (params.min_price.is_some() || params.max_price.is_some()).then(|| {
            let mut q = keep.clone();
            q.remove("min_price");
            q.remove("max_price");
            query_string(&q)
        }),
        total: results.total,
        suggestions: results
            .suggestions
            .into_iter()
            .map(|s| SuggestionLink {
                href: query_string(&s.params),
                label: s.label,
                count: s.count,
            })
            .collect(),
        next: results.next_cursor.map(|c| {
            let mut q = keep.clone();
            q.insert("cursor".to_owned(), c);
            query_string(&q)
        }),
        listings: results
            .items
            .into_iter()
            .map(|c| Card::of_card(c, locale))
            .collect(),
        chrome,
    })
}
