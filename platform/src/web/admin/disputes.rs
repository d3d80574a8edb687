//! The dispute queue at `/admin/disputes`: every chargeback of the marketplace, those awaiting
//! an answer first (soonest deadline), with what the bank took and the form that sends the
//! evidence to Stripe (`commerce::disputes`, as the operator API does).

use super::{date, refused};
use crate::commerce::disputes;
use crate::web::account::OperatorPage;
use crate::web::{Chrome, Field, Flash, api_failure, attach, render};
use askama::Template;
use krafto_api_types::refunds::{DisputeEvidenceInput, DisputeView};
use krafto_core::Money;
use krafto_web::ApiError;
use poem::web::{Form, Path, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;
use uuid::Uuid;

struct DisputeRow {
    id: String,
    orders: Vec<String>,
    amount: String,
    status: String,
    reason: String,
    /// "Répondre avant le 8 décembre 2026 à 12:00", or empty once decided.
    deadline: String,
    urgent: bool,
    /// What the bank took and gave back, in words.
    money: Vec<String>,
    /// The form, while evidence can still be sent.
    open: bool,
    submitted: String,
    fields: Vec<Field>,
    error: String,
}

#[derive(Template)]
#[template(path = "admin/disputes.html")]
struct DisputesPage {
    chrome: Chrome,
    flash: Flash,
    rows: Vec<DisputeRow>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct EvidenceForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    product_description: String,
    #[serde(default)]
    shipping_carrier: String,
    #[serde(default)]
    shipping_tracking_number: String,
    #[serde(default)]
    shipping_date: String,
    /// `submit` sends to the bank; anything else saves.
    #[serde(default)]
    action: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct DisputesQuery {
    done: Option<String>,
}

fn known(chrome: &Chrome, prefix: &str, value: &str, fallback: &str) -> String {
    let key = format!("{prefix}-{}", value.replace('_', "-"));
    if chrome.locale.has(&key) {
        chrome.t(&key)
    } else {
        chrome.t(fallback)
    }
}

fn evidence_fields(chrome: &Chrome, id: &str, e: &DisputeEvidenceInput) -> Vec<Field> {
    let v = |t: &Option<krafto_api_types::Text>| t.as_deref().unwrap_or_default().to_owned();
    vec![
        Field::new("text", &chrome.t("console-dispute-text"), v(&e.text))
            .id(&format!("text-{id}"))
            .kind("textarea")
            .attr("rows", "6")
            .attr("maxlength", "20000"),
        Field::new(
            "shipping_carrier",
            &chrome.t("console-dispute-carrier"),
            v(&e.shipping_carrier),
        )
        .id(&format!("carrier-{id}"))
        .attr("maxlength", "200"),
        Field::new(
            "shipping_tracking_number",
            &chrome.t("console-dispute-tracking"),
            v(&e.shipping_tracking_number),
        )
        .id(&format!("tracking-{id}"))
        .attr("maxlength", "200"),
        Field::new(
            "shipping_date",
            &chrome.t("console-dispute-shipped-on"),
            v(&e.shipping_date),
        )
        .id(&format!("shipped-{id}"))
        .kind("date"),
        Field::new(
            "product_description",
            &chrome.t("console-dispute-product"),
            v(&e.product_description),
        )
        .id(&format!("product-{id}"))
        .kind("textarea")
        .attr("rows", "3")
        .attr("maxlength", "20000"),
    ]
}

fn row(chrome: &Chrome, d: DisputeView, refusal: Option<(&ApiError, &EvidenceForm)>) -> DisputeRow {
    let money = |m: i64| chrome.locale.money(&Money::of(m, &d.currency));
    let decided = matches!(d.status.as_str(), "won" | "lost" | "warning_closed");
    let open = !decided && d.evidence_submitted_at.is_none();
    let id = d.id.to_string();
    let typed = refusal.map(|(_, f)| DisputeEvidenceInput {
        text: Some(f.text.clone().into()),
        product_description: Some(f.product_description.clone().into()),
        shipping_carrier: Some(f.shipping_carrier.clone().into()),
        shipping_tracking_number: Some(f.shipping_tracking_number.clone().into()),
        shipping_date: Some(f.shipping_date.clone().into()),
        submit: false,
    });
    let mut fields = evidence_fields(chrome, &id, typed.as_ref().unwrap_or(&d.evidence));
    let error = match refusal {
        Some((e, _)) => attach(fields.iter_mut(), e, chrome.locale),
        None => String::new(),
    };
    let mut lines = Vec::new();
    if d.withdrawn_minor > 0 {
        lines.push(chrome.t2(
            "console-dispute-withdrawn",
            "amount",
            money(d.withdrawn_minor),
            "fee",
            money(d.fee_minor),
        ));
    }
    if d.reinstated_minor > 0 {
        lines.push(chrome.t1(
            "console-dispute-reinstated",
            "amount",
            money(d.reinstated_minor),
        ));
    }
    let urgent = open
        && d.evidence_due_by
            .is_some_and(|t| t - chrono::Utc::now() < chrono::Duration::days(3));
    DisputeRow {
        orders: d.orders,
        amount: money(d.amount_minor),
        status: known(
            chrome,
            "console-dispute-status",
            &d.status,
            "console-dispute-status-other",
        ),
        reason: known(
            chrome,
            "console-dispute-reason",
            &d.reason,
            "console-dispute-reason-general",
        ),
        deadline: match (open, d.evidence_due_by) {
            (true, Some(t)) => chrome.t1("console-dispute-due", "date", date(chrome.locale, t)),
            _ => String::new(),
        },
        urgent,
        money: lines,
        open,
        submitted: d
            .evidence_submitted_at
            .map(|t| chrome.t1("console-dispute-submitted", "date", date(chrome.locale, t)))
            .unwrap_or_default(),
        fields,
        error,
        id,
    }
}

async fn disputes_page(
    page: OperatorPage<'_>,
    flash: Flash,
    refusal: Option<(Uuid, &ApiError, &EvidenceForm)>,
) -> Response {
    let OperatorPage { ctx, chrome, .. } = page;
    let list = async {
        let mut tx = ctx.tx().await?;
        let list = disputes::list(&mut tx).await?;
        tx.commit().await?;
        Ok::<_, ApiError>(list)
    }
    .await;
    let list = match list {
        Ok(l) => l,
        Err(e) => return api_failure(chrome, &e),
    };
    let rows = list
        .into_iter()
        .map(|d| {
            let mine = refusal
                .filter(|(id, ..)| *id == d.id)
                .map(|(_, e, f)| (e, f));
            row(&chrome, d, mine)
        })
        .collect();
    let mut r = render(&DisputesPage {
        chrome: chrome.clone(),
        flash,
        rows,
    });
    if let Some((_, e, _)) = refusal {
        r = refused(r, chrome, e);
    }
    r
}

/// `GET /admin/disputes`: the dispute queue.
#[handler]
pub(crate) async fn show_disputes(
    page: OperatorPage<'_>,
    Query(q): Query<DisputesQuery>,
) -> Response {
    let flash = Flash::from_done(
        q.done.as_deref(),
        &[
            ("saved", "console-dispute-saved"),
            ("submitted", "console-dispute-sent"),
        ],
    );
    disputes_page(page, flash, None).await
}

/// `POST /admin/disputes/{id}`: saves the evidence, or sends it to the bank.
#[handler]
pub(crate) async fn save_dispute_evidence(
    page: OperatorPage<'_>,
    Path(id): Path<String>,
    Form(form): Form<EvidenceForm>,
) -> Response {
    let Ok(id) = id.parse::<Uuid>() else {
        return crate::web::not_found(page.chrome);
    };
    let submit = form.action == "submit";
    let input = DisputeEvidenceInput {
        text: Some(form.text.clone().into()),
        product_description: Some(form.product_description.clone().into()),
        shipping_carrier: Some(form.shipping_carrier.clone().into()),
        shipping_tracking_number: Some(form.shipping_tracking_number.clone().into()),
        shipping_date: Some(form.shipping_date.clone().into()),
        submit,
    };
    let actor = page.actor();
    let ctx = &page.ctx;
    match disputes::submit_evidence(ctx.state, &ctx.tenant.scope(), id, &input, &actor, ctx.rid)
        .await
    {
        Ok(_) => {
            let done = if submit { "submitted" } else { "saved" };
            Redirect::see_other(format!("/admin/disputes?done={done}#dispute-{id}")).into_response()
        }
        Err(e) => disputes_page(page, Flash::default(), Some((id, &e, &form))).await,
    }
}
