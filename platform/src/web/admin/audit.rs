//! The audit log at `/admin/audit`: who did what in this marketplace, newest first
//! (`marketplace::audit`), in words: who by name, what as a sentence naming the shop,
//! listing or page concerned, and each change as a before/after pair.

use super::{actor_kind, date};
use crate::ctx::Ctx;
use crate::marketplace;
use crate::web::account::OperatorPage;
use crate::web::store::legal;
use crate::web::{Chrome, api_failure, render};
use askama::Template;
use krafto_api_types::control::AuditEntryView;
use krafto_core::Money;
use krafto_db::models::{LegalKind, Listing, Shop, User};
use krafto_i18n::Locale;
use krafto_web::ApiResult;
use poem::web::Query;
use poem::{Response, handler};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;
use uuid::Uuid;

/// One change of an entry: a field, as it was and as it became.
struct Change {
    field: String,
    before: String,
    after: String,
}

struct AuditRow {
    at: String,
    who: String,
    what: String,
    changes: Vec<Change>,
    /// What else was recorded (a reason, an e-mail, counts), as `(label, value)`.
    facts: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditLogPage {
    chrome: Chrome,
    entries: Vec<AuditRow>,
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct AuditQuery {
    cursor: Option<String>,
}

/// `GET /admin/audit?cursor=`: who did what, newest first, 50 a page.
#[handler]
pub(crate) async fn show_audit(page: OperatorPage<'_>, Query(q): Query<AuditQuery>) -> Response {
    let OperatorPage { ctx, chrome, .. } = page;
    // A cursor that is not one of ours starts from the newest entry again.
    let cursor = q.cursor.as_deref().and_then(|c| c.parse::<Uuid>().ok());
    let loaded = async {
        let p = marketplace::audit::audit(ctx.state, ctx.tenant, cursor, Some(50)).await?;
        let names = Names::load(&ctx, &p.items).await?;
        Ok::<_, krafto_web::ApiError>((p, names))
    }
    .await;
    let (p, names) = match loaded {
        Ok(l) => l,
        Err(e) => return api_failure(chrome, &e),
    };
    let words = Words {
        locale: chrome.locale,
        currency: ctx.tenant.currency.clone(),
    };
    render(&AuditLogPage {
        next: p.next_cursor.map(|c| format!("/admin/audit?cursor={c}")),
        entries: p
            .items
            .iter()
            .map(|e| AuditRow {
                at: date(chrome.locale, e.at),
                who: names.who(&chrome, e),
                what: words.sentence(&e.action, &names.target(&chrome, e)),
                changes: words.changes(&e.details),
                facts: words.facts(&e.details),
            })
            .collect(),
        chrome,
    })
}

/// The people and things the entries of a page name, read once each.
struct Names {
    users: HashMap<Uuid, User>,
    targets: HashMap<String, String>,
}

impl Names {
    async fn load(ctx: &Ctx<'_>, items: &[AuditEntryView]) -> ApiResult<Self> {
        let categories = crate::catalog::categories(ctx.state, ctx.tenant).await?;
        let mut users = HashMap::new();
        let mut targets = HashMap::new();
        let mut tx = ctx.tx().await?;
        for e in items {
            if matches!(e.actor_kind.as_str(), "operator" | "user")
                && let Some(id) = e.actor_id
                && !users.contains_key(&id)
                && let Ok(u) = User::find(&mut tx, id).await
            {
                users.insert(id, u);
            }
            if targets.contains_key(&e.target) {
                continue;
            }
            let Some((kind, key)) = e.target.split_once(':') else {
                continue;
            };
            let id = key.parse::<Uuid>().ok();
            let name = match (kind, id) {
                ("shop", Some(id)) => Shop::find(&mut tx, id).await.ok().map(|s| s.name),
                ("listing", Some(id)) => Listing::find(&mut tx, id).await.ok().map(|l| l.title),
                ("category", Some(id)) => categories
                    .iter()
                    .find(|c| c.id == id)
                    .map(|c| c.name.clone()),
                ("tenant", _) => Some(ctx.tenant.display_name.clone()),
                ("domain", _) => Some(key.to_owned()),
                _ => None,
            };
            if let Some(n) = name {
                targets.insert(e.target.clone(), n);
            }
        }
        tx.commit().await?;
        Ok(Self { users, targets })
    }

    /// Who acted: the person's name or e-mail and their role, or "system".
    fn who(&self, chrome: &Chrome, e: &AuditEntryView) -> String {
        let locale = chrome.locale;
        match e.actor_kind.as_str() {
            "system" => chrome.t("console-actor-system"),
            "staff" => format!("{} ({})", e.actor, chrome.t("audit-actor-staff")),
            _ => match e.actor_id.and_then(|id| self.users.get(&id)) {
                Some(u) => {
                    let name = u
                        .display_name
                        .clone()
                        .filter(|n| !n.trim().is_empty())
                        .unwrap_or_else(|| u.email.clone());
                    format!("{name} ({})", actor_kind(locale, &u.role))
                }
                // An account since erased: only its role is left.
                None => actor_kind(locale, &e.actor_kind),
            },
        }
    }

    /// The name of what the entry is about, as people know it: a shop's or listing's name,
    /// a category's, a page's title, a host; what was recorded when it is gone.
    fn target(&self, chrome: &Chrome, e: &AuditEntryView) -> String {
        if let Some(n) = self.targets.get(&e.target) {
            return n.clone();
        }
        let recorded = |k: &str| e.details.get(k).and_then(Value::as_str).map(str::to_owned);
        match e.target.split_once(':') {
            Some(("legal", slug)) => LegalKind::from_slug(slug)
                .map(|k| legal::title(chrome, k))
                .unwrap_or_default(),
            Some(("user", _)) => recorded("email").unwrap_or_default(),
            Some(("category", _)) => recorded("name")
                .or_else(|| recorded("slug"))
                .unwrap_or_else(|| chrome.t("audit-gone")),
            Some(("shop" | "listing", _)) => chrome.t("audit-gone"),
            Some(("order", _)) => recorded("number").unwrap_or_default(),
            Some(("dispute", _)) => e
                .details
                .get("orders")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default(),
            _ => String::new(),
        }
    }
}

/// How recorded values are said in the page's language.
struct Words {
    locale: Locale,
    currency: String,
}

impl Words {
    fn kebab(s: &str) -> String {
        s.replace(['.', '_'], "-")
    }

    /// What was done, as a sentence (`a approuvé la boutique « Atelier Terre »`); an action
    /// this page has no words for is shown as recorded, readably.
    fn sentence(&self, action: &str, target: &str) -> String {
        let key = format!("audit-{}", Self::kebab(action));
        if self.locale.has(&key) {
            self.locale.t_args(&key, &[("target", target.into())])
        } else {
            let action = action.replace(['.', '_'], " ");
            if target.is_empty() {
                action
            } else {
                format!("{action} · {target}")
            }
        }
    }

    /// A field's name in the page's language (the recorded name, readably, when unknown).
    fn field(&self, key: &str) -> String {
        let k = format!("audit-field-{}", Self::kebab(key));
        if self.locale.has(&k) {
            self.locale.t(&k)
        } else {
            key.replace('_', " ")
        }
    }

    /// A recorded value, said for its field: rates as percentages, amounts as money, yes/no,
    /// states in words, lists joined.
    fn value(&self, key: &str, v: &Value) -> String {
        match v {
            Value::Null => "—".to_owned(),
            Value::Bool(b) => self.locale.t(if *b { "audit-yes" } else { "audit-no" }),
            Value::Number(n) => match n.as_i64() {
                Some(i) if key.ends_with("_bps") => self.locale.percent_bps(i),
                Some(i) if key.ends_with("_minor") => {
                    self.locale.money(&Money::of(i, &self.currency))
                }
                Some(i) => self.locale.number(i),
                None => n.to_string(),
            },
            Value::String(s) => {
                let k = format!("audit-state-{}", Self::kebab(s));
                if s.is_empty() {
                    "—".to_owned()
                } else if self.locale.has(&k) {
                    self.locale.t(&k)
                } else {
                    s.clone()
                }
            }
            Value::Array(items) => {
                if items.is_empty() {
                    "—".to_owned()
                } else {
                    items
                        .iter()
                        .map(|i| match i {
                            Value::String(s) => self.field(s),
                            other => self.value(key, other),
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            }
            // A picture (an uploaded logo or banner): its size, never its storage.
            Value::Object(m) if m.contains_key("widths") => {
                let size = |k: &str| m.get(k).and_then(Value::as_i64).unwrap_or(0);
                self.locale.t_args(
                    "audit-picture",
                    &[
                        ("width", size("width").into()),
                        ("height", size("height").into()),
                    ],
                )
            }
            // A duration as the settings hold it (`{"amount": 2, "unit": "days"}`).
            Value::Object(m)
                if let (Some(n), Some(unit)) = (
                    m.get("amount").and_then(Value::as_i64),
                    m.get("unit").and_then(Value::as_str),
                ) && matches!(unit, "hours" | "days") =>
            {
                self.locale
                    .t_args(&format!("review-time-{unit}"), &[("n", n.into())])
            }
            Value::Object(m) => m
                .iter()
                .map(|(k, v)| format!("{} : {}", self.field(k), self.value(k, v)))
                .collect::<Vec<_>>()
                .join(" · "),
        }
    }

    /// Every before/after pair of an entry: its own `from`/`to`, or each field's.
    fn changes(&self, details: &Value) -> Vec<Change> {
        let mut out = Vec::new();
        if let (Some(from), Some(to)) = (details.get("from"), details.get("to")) {
            self.diff("", from, to, &mut out);
        } else if let Some(m) = details.as_object() {
            for (k, v) in m {
                if let (Some(from), Some(to)) = (v.get("from"), v.get("to")) {
                    self.diff(k, from, to, &mut out);
                }
            }
        }
        out
    }

    fn diff(&self, key: &str, from: &Value, to: &Value, out: &mut Vec<Change>) {
        // Durations and pictures are said whole.
        let whole = |v: &Value| {
            (v.get("amount").is_some() && v.get("unit").is_some()) || v.get("widths").is_some()
        };
        match (from, to) {
            (Value::Object(a), Value::Object(b)) if !(whole(from) || whole(to)) => {
                let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
                keys.dedup();
                let mut seen = std::collections::HashSet::new();
                for k in keys.into_iter().filter(|k| seen.insert(*k)) {
                    let (x, y) = (
                        a.get(k.as_str()).unwrap_or(&Value::Null),
                        b.get(k.as_str()).unwrap_or(&Value::Null),
                    );
                    if x != y {
                        self.diff(k, x, y, out);
                    }
                }
            }
            _ if from != to => out.push(Change {
                field: if key.is_empty() {
                    self.locale.t("audit-field-status")
                } else {
                    self.field(key)
                },
                before: self.value(key, from),
                after: self.value(key, to),
            }),
            _ => {}
        }
    }

    /// What else an entry recorded, beside its changes.
    fn facts(&self, details: &Value) -> Vec<(String, String)> {
        let Some(m) = details.as_object() else {
            return Vec::new();
        };
        m.iter()
            .filter(|(k, v)| {
                let change = v.get("from").is_some() && v.get("to").is_some();
                let empty = v.is_null() || v.as_str() == Some("");
                !(matches!(k.as_str(), "from" | "to") || change || empty)
            })
            .map(|(k, v)| (self.field(k), self.value(k, v)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fr() -> Words {
        Words {
            locale: Locale::Fr,
            currency: "EUR".into(),
        }
    }

    #[test]
    fn changes_are_said_in_words() {
        let w = fr();
        let c = w.changes(&json!({
            "fees": { "from": { "seller_commission_bps": 1000, "platform_fee_bps": 200 },
                      "to": { "seller_commission_bps": 1250, "platform_fee_bps": 200 } },
            "white_label": { "from": { "powered_by": false }, "to": { "powered_by": true } }
        }));
        let said: Vec<(String, String, String)> = c
            .into_iter()
            .map(|c| (c.field, c.before, c.after))
            .collect();
        assert_eq!(
            said,
            [
                (
                    "Commission".to_owned(),
                    "10\u{a0}%".to_owned(),
                    "12,5\u{a0}%".to_owned()
                ),
                (
                    "Mention «\u{a0}Propulsé par\u{a0}»".to_owned(),
                    "non".to_owned(),
                    "oui".to_owned()
                ),
            ]
        );
        let s = w.changes(&json!({ "from": "pending_review", "to": "active", "reason": "ok" }));
        assert_eq!(s.len(), 1);
        assert_eq!(
            (s[0].before.as_str(), s[0].after.as_str()),
            ("en attente de validation", "en ligne")
        );
        assert_eq!(
            w.facts(&json!({ "from": "a", "to": "b", "reason": "Photos floues" })),
            [("Motif".to_owned(), "Photos floues".to_owned())]
        );
    }

    #[test]
    fn pictures_and_durations_are_said_whole() {
        let w = fr();
        let c = w.changes(&json!({
            "from": { "logo": null, "expected_review_time": { "amount": 2, "unit": "days" } },
            "to": { "logo": { "url": "/media/k/640.webp", "srcset": "x", "widths": [320, 640], "width": 800, "height": 600 },
                    "expected_review_time": { "amount": 36, "unit": "hours" } }
        }));
        let said: Vec<(String, String, String)> = c
            .into_iter()
            .map(|c| (c.field, c.before, c.after))
            .collect();
        assert_eq!(said.len(), 2, "{said:?}");
        assert_eq!(said[0].0, "Délai habituel de validation");
        assert_eq!(
            (said[0].1.as_str(), said[0].2.as_str()),
            ("2 jours", "36 heures")
        );
        assert_eq!(said[1].0, "Logo");
        assert_eq!(said[1].1, "—");
        assert!(said[1].2.starts_with("une image de 800"), "{}", said[1].2);
        assert!(!said[1].2.contains("media"));
    }

    #[test]
    fn actions_are_sentences() {
        let w = fr();
        assert_eq!(
            w.sentence("shop.approved", "Atelier Terre"),
            "a validé la boutique «\u{a0}Atelier Terre\u{a0}»"
        );
        // An action without words is still readable.
        assert_eq!(w.sentence("thing.done", "X"), "thing done · X");
    }
}
