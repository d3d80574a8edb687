//! A marketplace's legal pages: terms of sale, legal notice, privacy policy and contact, as
//! its operators write them (seed 000 X-LEGAL-01).

use chrono::{DateTime, Utc};
use poem_openapi::Object;

/// One legal page. An unwritten page has an empty `body` and no `updated_at`.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LegalPageView {
    /// `terms`, `legal-notice`, `privacy` or `contact` (the page's address on the
    /// storefront is `/legal/{page}`).
    pub page: String,
    /// The text as the operator wrote it: paragraphs separated by blank lines; a line
    /// starting with `# ` is a heading.
    pub body: String,
    pub updated_at: Option<DateTime<Utc>>,
}

/// The marketplace's four legal pages, written or not.
#[derive(Debug, Clone, PartialEq, Object)]
pub struct LegalPages {
    pub items: Vec<LegalPageView>,
}

/// A legal page's new text; an empty text takes the page down.
#[derive(Debug, Clone, PartialEq, Object)]
pub struct LegalPageUpdate {
    pub body: String,
}
