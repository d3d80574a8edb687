//! The page kit both servers' server-rendered pages share: the one stylesheet, a labelled
//! form [`Field`] (rendered here, so both servers print the same markup), attaching the field
//! problems of an [`ApiError`] to fields, the [`Flash`] shown once after a redirect, rendering
//! an askama template into a response, and reading a cookie of the request.
//!
//! No page and no rule lives here: which fields a form has, and what a flash says, belong to
//! the page that shows them.

use crate::ApiError;
use askama::Template;
use poem::http::StatusCode;
use poem::web::Html;
use poem::{IntoResponse, Request, Response};

/// A template as an HTML response; a template that fails to render is a logged 500.
pub fn render(page: &impl askama::Template) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a page failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be shown",
            )
                .into_response()
        }
    }
}

/// A cookie's value, if the request carries it.
pub fn cookie(req: &Request, name: &str) -> Option<String> {
    req.headers()
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The product's one stylesheet, served by both servers at `/assets/krafto.css`.
pub const STYLESHEET: &str = include_str!("../assets/krafto.css");

/// `GET /assets/krafto.css`: [`STYLESHEET`], cacheable for a day.
pub fn stylesheet() -> Response {
    Response::builder()
        .content_type("text/css; charset=utf-8")
        .header("cache-control", "public, max-age=86400")
        .body(STYLESHEET)
}

/// How a field's note (its error or its hint) is marked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notes {
    /// The storefront's: the error alone, in `{id}-error`.
    Error,
    /// The control plane's: the error after the API's name of the field (`slug: ...`), or
    /// the hint, in `{id}-note`.
    Named,
}

/// A labelled form input with its value, its error (if any) and an optional hint. Pages
/// print it with `{{ f.html()|safe }}`.
#[derive(Debug, Clone, Template)]
#[template(path = "field.html")]
pub struct Field {
    /// The input's `id` (and the label's `for`); the name unless set.
    pub id: String,
    /// The form key the input posts.
    pub name: String,
    /// The field as the API names it in its problems (`branding.tagline`); the name unless
    /// set.
    pub api: String,
    pub label: String,
    /// The input `type`.
    pub kind: &'static str,
    pub value: String,
    pub error: Option<String>,
    /// The input's `autocomplete`, when it has one.
    pub autocomplete: Option<&'static str>,
    pub required: bool,
    /// Shown under the input while there is no error; empty for none.
    pub hint: String,
    pub notes: Notes,
}

impl Field {
    /// A text input named `name` (its id and API name too) with its value.
    pub fn new(name: &str, label: &str, value: impl Into<String>) -> Self {
        Self {
            id: name.to_owned(),
            name: name.to_owned(),
            api: name.to_owned(),
            label: label.to_owned(),
            kind: "text",
            value: value.into(),
            error: None,
            autocomplete: None,
            required: false,
            hint: String::new(),
            notes: Notes::Error,
        }
    }

    /// A text input named `name`, filled from a form's `values` and `errors` (both keyed by
    /// name), with autocomplete off.
    pub fn filled(
        name: &str,
        label: &str,
        values: &std::collections::HashMap<String, String>,
        errors: &std::collections::HashMap<String, String>,
    ) -> Self {
        Self::new(name, label, values.get(name).cloned().unwrap_or_default())
            .autocomplete("off")
            .error(errors.get(name).cloned())
    }

    /// The input's id, when it differs from its name (two forms on one page).
    #[must_use]
    pub fn id(mut self, id: &str) -> Self {
        id.clone_into(&mut self.id);
        self
    }

    /// The API's name for this field, when it differs from the form's.
    #[must_use]
    pub fn api(mut self, api: &str) -> Self {
        api.clone_into(&mut self.api);
        self
    }

    #[must_use]
    pub fn kind(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        self
    }

    #[must_use]
    pub fn autocomplete(mut self, autocomplete: &'static str) -> Self {
        self.autocomplete = Some(autocomplete);
        self
    }

    #[must_use]
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    #[must_use]
    pub fn hint(mut self, hint: &str) -> Self {
        hint.clone_into(&mut self.hint);
        self
    }

    #[must_use]
    pub fn notes(mut self, notes: Notes) -> Self {
        self.notes = notes;
        self
    }

    #[must_use]
    pub fn error(mut self, error: Option<String>) -> Self {
        self.error = error;
        self
    }

    /// The id of the element describing the input (its error or hint).
    pub fn note_id(&self) -> String {
        match self.notes {
            Notes::Error => format!("{}-error", self.id),
            Notes::Named => format!("{}-note", self.id),
        }
    }

    /// The field as HTML (a `<p class="field">` with label, input and note).
    pub fn html(&self) -> String {
        self.render().unwrap_or_else(|e| {
            tracing::error!(error = %e, field = %self.name, "a form field failed to render");
            String::new()
        })
    }
}

/// Puts each of the error's field problems on the field the API names it by (a problem on
/// `operators[2]` lands on the field `operators`); returns the summary to show above the form
/// (the error's own detail, which names every field).
pub fn attach(fields: &mut [Field], e: &ApiError) -> String {
    for p in &e.errors {
        if let Some(f) = fields.iter_mut().find(|f| {
            f.api == p.field
                || p.field
                    .strip_prefix(f.api.as_str())
                    .is_some_and(|rest| rest.starts_with('['))
        }) {
            f.error = Some(p.message.clone());
        }
    }
    e.detail.clone()
}

/// The confirmation shown once after a change: the redirect carries a fixed code
/// (`?done=saved`) and the page shows the text its table gives that code. Only those fixed
/// texts are ever shown, never the query's own words.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flash(Option<&'static str>);

impl Flash {
    /// The flash for `done` in `texts` (`(code, text)` pairs); none for an unknown code.
    pub fn from_done(done: Option<&str>, texts: &[(&str, &'static str)]) -> Self {
        Self(done.and_then(|d| texts.iter().find(|(code, _)| *code == d).map(|(_, t)| *t)))
    }

    /// A fixed text.
    pub fn text(text: &'static str) -> Self {
        Self(Some(text))
    }

    /// This flash, or `other` when this one is empty.
    #[must_use]
    pub fn or(self, other: Flash) -> Self {
        Self(self.0.or(other.0))
    }

    /// What to show, if anything.
    pub fn get(self) -> Option<&'static str> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(field: &str, message: &str) -> ApiError {
        ApiError::field(krafto_core::FieldError::new(field, message))
    }

    #[test]
    fn a_storefront_field_with_an_error_points_its_input_at_the_error() {
        let mut fields = [Field::new("city", "City", "Lyon").autocomplete("off")];
        attach(&mut fields, &refusal("city", "is required"));
        let html = fields[0].html();
        assert!(html.contains(r#"id="city" name="city" type="text" value="Lyon" autocomplete="off" aria-invalid="true" aria-describedby="city-error""#), "{html}");
        assert!(
            html.contains(r#"<span id="city-error" class="error">is required</span>"#),
            "{html}"
        );
    }

    #[test]
    fn a_console_field_names_its_api_field_and_shows_its_hint_until_an_error() {
        let field = Field::new("host", "Custom domain", "")
            .id("domain-host")
            .hint("e.g. shop.example.com")
            .notes(Notes::Named);
        assert!(
            field.html().contains(
                r#"<span id="domain-host-note" class="note">e.g. shop.example.com</span>"#
            )
        );
        let mut fields = [field.api("domains")];
        attach(&mut fields, &refusal("domains[0]", "is taken"));
        let html = fields[0].html();
        assert!(
            html.contains(r#"aria-invalid="true" aria-describedby="domain-host-note""#),
            "{html}"
        );
        assert!(
            html.contains(r#"id="domain-host-note" class="error">domains: is taken</span>"#),
            "{html}"
        );
    }

    #[test]
    fn a_problem_on_another_field_leaves_the_field_alone() {
        let mut fields = [Field::new("domain", "Domain", "").api("domains")];
        attach(&mut fields, &refusal("domainsx", "no"));
        assert_eq!(fields[0].error, None);
    }

    #[test]
    fn a_flash_shows_only_the_text_of_a_known_code() {
        let texts = [("saved", "Saved.")];
        assert_eq!(
            Flash::from_done(Some("saved"), &texts).get(),
            Some("Saved.")
        );
        assert_eq!(Flash::from_done(Some("<script>"), &texts).get(), None);
        assert_eq!(
            Flash::from_done(None, &texts).or(Flash::text("x")).get(),
            Some("x")
        );
    }
}
