//! A labelled form field, and the refusals of the API put on the fields they name.

use crate::ApiError;
use askama::Template;
use krafto_i18n::Locale;

/// A labelled form field with its value, its error (if any) and an optional hint: a text-like
/// `<input>` of any type, a `<textarea>`, a `<select>` or a group of radio buttons. Its note
/// (the error, or else the hint) sits under it, in `{id}-error` or `{id}-hint`, and the input
/// points at it. Pages print it with `{{ f.html()|safe }}`.
#[derive(Debug, Clone, Template)]
#[template(path = "kit/field.html")]
pub struct Field {
    /// The input's `id` (and the label's `for`); the name unless set.
    pub id: String,
    /// The form key the input posts.
    pub name: String,
    /// The field as the API names it in its problems (`branding.tagline`); the name unless
    /// set. Never shown.
    pub api: String,
    pub label: String,
    /// The label is for screen readers only (a compact row whose heading names the field).
    pub label_hidden: bool,
    /// The input `type`, or `textarea`, `select` or `radio`.
    pub kind: &'static str,
    pub value: String,
    pub error: Option<String>,
    /// The input's `autocomplete`, when it has one.
    pub autocomplete: Option<&'static str>,
    pub required: bool,
    /// Shown under the input while there is no error; empty for none.
    pub hint: String,
    /// The choices of a `select` or `radio` field: `(value, words)`.
    pub options: Vec<(String, String)>,
    /// More attributes of the input (`inputmode`, `pattern`, `maxlength`, `rows`...).
    pub attrs: Vec<(&'static str, String)>,
}

impl Field {
    /// A text input named `name` (its id and API name too) with its value.
    pub fn new(name: &str, label: &str, value: impl Into<String>) -> Self {
        Self {
            id: name.to_owned(),
            name: name.to_owned(),
            api: name.to_owned(),
            label: label.to_owned(),
            label_hidden: false,
            kind: "text",
            value: value.into(),
            error: None,
            autocomplete: None,
            required: false,
            hint: String::new(),
            options: Vec::new(),
            attrs: Vec::new(),
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

    /// The input's `type` (`email`, `number`, `url`...), or `textarea`.
    #[must_use]
    pub fn kind(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        self
    }

    /// A `<select>` of `options` (`(value, words)`; the one equal to the value is selected).
    #[must_use]
    pub fn select(mut self, options: Vec<(String, String)>) -> Self {
        self.kind = "select";
        self.options = options;
        self
    }

    /// A group of radio buttons, one per option (the one equal to the value is checked);
    /// the label is the group's legend.
    #[must_use]
    pub fn radio(mut self, options: Vec<(String, String)>) -> Self {
        self.kind = "radio";
        self.options = options;
        self
    }

    /// The label for screen readers only.
    #[must_use]
    pub fn label_hidden(mut self) -> Self {
        self.label_hidden = true;
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

    /// Another attribute of the input (`attr("inputmode", "numeric")`).
    #[must_use]
    pub fn attr(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.attrs.push((name, value.into()));
        self
    }

    #[must_use]
    pub fn error(mut self, error: Option<String>) -> Self {
        self.error = error;
        self
    }

    /// Whether a note (the error or the hint) is shown under the input.
    pub fn has_note(&self) -> bool {
        self.error.is_some() || !self.hint.is_empty()
    }

    /// The id of the note describing the input (its error, or else its hint).
    pub fn note_id(&self) -> String {
        match self.error {
            Some(_) => format!("{}-error", self.id),
            None => format!("{}-hint", self.id),
        }
    }

    /// The field as HTML (a `<p class="field">`, or a `<fieldset>` of radio buttons, with
    /// its label and note).
    pub fn html(&self) -> String {
        self.render().unwrap_or_else(|e| {
            tracing::error!(error = %e, field = %self.name, "a form field failed to render");
            String::new()
        })
    }
}

/// Puts each field problem of a refusal on the field it names, and returns what to show
/// above the form.
///
/// A problem lands on the field the API names it by, on the field it is a part of (a problem
/// on `operators[2]` or `location.city` on the field `operators` or `location`), or, naming
/// a whole of which fields are parts (`photos`, `location`), on the first of them. A field
/// keeps the first problem it gets (a conversion error of the page comes first).
///
/// `fields` are every field of the form, in page order (`attach(a.iter_mut().chain(&mut b),
/// e)` for a form in parts).
///
/// Everything is said in `locale` (the API's English messages and codes translated by
/// krafto-i18n).
///
/// The summary: "Please correct the fields marked below." when a field carries an error
/// (the page's own conversion errors too, with an empty refusal), and the problems no field
/// took, as sentences of their own (never under the API's name of the field); when there is
/// neither, the refusal's own sentence.
pub fn attach<'a>(
    fields: impl IntoIterator<Item = &'a mut Field>,
    e: &ApiError,
    locale: Locale,
) -> String {
    let mut fields: Vec<&mut Field> = fields.into_iter().collect();
    let mut unplaced = Vec::new();
    for p in &e.errors {
        match landing(&fields, &p.field) {
            Some(i) => {
                fields[i]
                    .error
                    .get_or_insert_with(|| locale.field_problem(&p.message));
            }
            None => unplaced.push(sentence(&locale.field_problem(&p.message))),
        }
    }
    let marked = fields.iter().any(|f| f.error.is_some());
    if !marked && unplaced.is_empty() {
        return locale.problem(e.code.as_str(), &e.detail);
    }
    if marked {
        unplaced.insert(0, locale.t("problem-marked"));
    }
    unplaced.join(" ")
}

/// What to say about a refusal on a page that does not show the fields it names: its own
/// sentence, or its problems as sentences of their own (never under the API's names).
pub fn summary(e: &ApiError, locale: Locale) -> String {
    attach(std::iter::empty::<&mut Field>(), e, locale)
}

/// The field a problem on `problem` (an API field name) lands on.
fn landing(fields: &[&mut Field], problem: &str) -> Option<usize> {
    fields
        .iter()
        .position(|f| !f.api.is_empty() && (f.api == problem || part_of(problem, &f.api)))
        .or_else(|| {
            fields
                .iter()
                .position(|f| !f.api.is_empty() && part_of(&f.api, problem))
        })
}

/// `part` names a part of `whole`: `whole[2]`, `whole.city`, `whole[0].url`.
fn part_of(part: &str, whole: &str) -> bool {
    part.strip_prefix(whole)
        .is_some_and(|rest| rest.starts_with(['[', '.']))
}

/// A message of the API (`must be a whole number`) as a sentence.
fn sentence(message: &str) -> String {
    let mut chars = message.trim().chars();
    let mut s: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return String::new(),
    };
    if !s.ends_with(['.', '!', '?']) {
        s.push('.');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARKED: &str = "Please correct the fields marked below.";

    fn refusal(field: &str, message: &str) -> ApiError {
        ApiError::field(krafto_core::FieldError::new(field, message))
    }

    #[test]
    fn a_field_with_an_error_points_its_input_at_the_error() {
        let mut fields = [Field::new("city", "City", "Lyon").autocomplete("off")];
        let summary = attach(&mut fields, &refusal("city", "is required"), Locale::En);
        assert_eq!(summary, MARKED);
        let html = fields[0].html();
        assert!(html.contains(r#"id="city" name="city" type="text" value="Lyon" autocomplete="off" aria-invalid="true" aria-describedby="city-error""#), "{html}");
        assert!(
            html.contains(r#"<span id="city-error" class="error">is required</span>"#),
            "{html}"
        );
    }

    #[test]
    fn a_field_shows_its_hint_until_an_error_and_never_the_api_name() {
        let field = Field::new("host", "Custom domain", "")
            .id("domain-host")
            .api("domains")
            .hint("e.g. shop.example.com");
        let html = field.html();
        assert!(
            html.contains(r#"aria-describedby="domain-host-hint""#)
                && html.contains(
                    r#"<span id="domain-host-hint" class="note">e.g. shop.example.com</span>"#
                ),
            "{html}"
        );
        let mut fields = [field];
        attach(&mut fields, &refusal("domains[0]", "is taken"), Locale::En);
        let html = fields[0].html();
        assert!(
            html.contains(r#"aria-invalid="true" aria-describedby="domain-host-error""#),
            "{html}"
        );
        assert!(
            html.contains(r#"<span id="domain-host-error" class="error">is taken</span>"#),
            "{html}"
        );
        assert!(!html.contains("domains"), "{html}");
        assert!(
            !html.contains("e.g. shop"),
            "the error replaces the hint: {html}"
        );
    }

    #[test]
    fn a_problem_lands_on_the_part_it_names_or_on_the_first_part_of_a_whole() {
        let mut fields = [
            Field::new("photo_url_0", "Photo 1", "").api("photos[0].url"),
            Field::new("photo_alt_0", "Photo 1 text", "").api("photos[0].alt"),
            Field::new("city", "City", "").api("location.city"),
            Field::new("length", "Length", "").api("dimensions.length_mm"),
            Field::new("width", "Width", "").api("dimensions.width_mm"),
        ];
        let e = ApiError::validation(vec![
            krafto_core::FieldError::new("photos", "add a photo"),
            krafto_core::FieldError::new("photos[0].alt", "describe it"),
            krafto_core::FieldError::new("location", "give a city"),
            krafto_core::FieldError::new("dimensions.width_mm", "too wide"),
        ]);
        attach(&mut fields, &e, Locale::En);
        let errors: Vec<Option<&str>> = fields.iter().map(|f| f.error.as_deref()).collect();
        assert_eq!(
            errors,
            [
                Some("add a photo"),
                Some("describe it"),
                Some("give a city"),
                None,
                Some("too wide")
            ]
        );
    }

    #[test]
    fn a_problem_no_field_takes_is_said_above_the_form_without_its_api_name() {
        let mut fields = [Field::new("domain", "Domain", "").api("domains")];
        let summary = attach(
            &mut fields,
            &refusal("domainsx", "no such thing"),
            Locale::En,
        );
        assert_eq!(fields[0].error, None);
        assert_eq!(summary, "No such thing.");
        let e = ApiError::validation(vec![
            krafto_core::FieldError::new("domains", "is taken"),
            krafto_core::FieldError::new("template", "choose one"),
        ]);
        let summary = attach(
            &mut [Field::new("domain", "Domain", "").api("domains")],
            &e,
            Locale::En,
        );
        assert_eq!(summary, format!("{MARKED} Choose one."));
        assert!(!summary.contains("template"));
    }

    #[test]
    fn a_form_refused_by_its_own_conversions_says_its_fields_are_marked() {
        let mut fields = [Field::new("n", "N", "x").error(Some("must be a number".into()))];
        assert_eq!(
            attach(&mut fields, &ApiError::validation(Vec::new()), Locale::En),
            MARKED
        );
    }

    #[test]
    fn a_summary_of_problems_says_their_messages_as_sentences() {
        let e = ApiError::validation(vec![
            krafto_core::FieldError::new("story", "tell buyers who you are"),
            krafto_core::FieldError::new("profile_image_url", "a profile image is needed"),
        ]);
        assert_eq!(
            summary(&e, Locale::En),
            "Tell buyers who you are. A profile image is needed."
        );
    }

    #[test]
    fn a_french_page_says_the_apis_problems_in_french() {
        let mut fields = [Field::new("city", "Ville", "").api("location.city")];
        let e = ApiError::validation(vec![
            krafto_core::FieldError::new("location.city", "must be at most 80 characters"),
            krafto_core::FieldError::new("template", "choose one"),
        ]);
        let summary = attach(&mut fields, &e, Locale::Fr);
        assert_eq!(fields[0].error.as_deref(), Some("80 caractères au plus"));
        assert_eq!(
            summary,
            "Corrigez les champs signalés ci-dessous. Choisissez-en un."
        );
        let e = ApiError::forbidden("the marketplace is suspended");
        assert_eq!(
            summary_of(&e),
            "Vous n’avez pas l’autorisation de faire cela."
        );
    }

    fn summary_of(e: &ApiError) -> String {
        summary(e, Locale::Fr)
    }

    #[test]
    fn a_refusal_naming_no_field_is_said_in_its_own_words() {
        let e = ApiError::forbidden("the marketplace is suspended");
        assert_eq!(
            attach(&mut [Field::new("a", "A", "")], &e, Locale::En),
            "the marketplace is suspended"
        );
    }

    #[test]
    fn textareas_selects_and_radio_groups_carry_the_same_note() {
        let mut fields = [
            Field::new("story", "Story", "Clay & fire")
                .kind("textarea")
                .attr("rows", "5"),
            Field::new("kind", "Kind", "b")
                .select(vec![("a".into(), "A".into()), ("b".into(), "B".into())]),
            Field::new("template", "Template", "farm")
                .radio(vec![
                    ("farm".into(), "Farm".into()),
                    ("b2b".into(), "B2B".into()),
                ])
                .required(),
        ];
        let e = ApiError::validation(vec![
            krafto_core::FieldError::new("story", "too long"),
            krafto_core::FieldError::new("kind", "not this one"),
            krafto_core::FieldError::new("template", "choose one"),
        ]);
        attach(&mut fields, &e, Locale::En);
        let story = fields[0].html();
        assert!(story.contains(r#"<textarea id="story" name="story" aria-invalid="true" aria-describedby="story-error" rows="5">Clay &#38; fire</textarea>"#), "{story}");
        let kind = fields[1].html();
        assert!(
            kind.contains(r#"<option value="b" selected>B</option>"#),
            "{kind}"
        );
        assert!(
            kind.contains(r#"<span id="kind-error" class="error">not this one</span>"#),
            "{kind}"
        );
        let template = fields[2].html();
        assert!(
            template.contains(
                r#"<fieldset class="field choice invalid" aria-describedby="template-error">"#
            ),
            "{template}"
        );
        assert!(template.contains(r#"<input type="radio" id="template-farm" name="template" value="farm" checked required>"#), "{template}");
        assert!(
            template.contains(r#"<span id="template-error" class="error">choose one</span>"#),
            "{template}"
        );
    }
}
