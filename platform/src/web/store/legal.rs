//! The marketplace's legal pages at `/legal/{page}` (terms of sale, legal notice, privacy,
//! contact), as its operators wrote them (`marketplace::legal`), linked from every footer.

use crate::ctx::Ctx;
use crate::marketplace::legal;
use crate::web::{Chrome, api_failure, not_found, render};
use askama::Template;
use krafto_db::models::LegalKind;
use poem::http::StatusCode;
use poem::web::Path;
use poem::{Response, handler};

/// A block of an operator's text: a heading, or a paragraph of lines.
pub(crate) struct Block {
    pub heading: bool,
    pub lines: Vec<String>,
}

/// An operator's text as blocks: paragraphs separated by blank lines, a line starting with
/// `# ` a heading of its own. Nothing of it is markup (the page escapes every line).
pub(crate) fn blocks(body: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut open = false;
    for line in body.lines().map(str::trim_end) {
        if line.trim().is_empty() {
            open = false;
        } else if let Some(h) = line.trim_start().strip_prefix("# ") {
            out.push(Block {
                heading: true,
                lines: vec![h.trim().to_owned()],
            });
            open = false;
        } else if open && let Some(last) = out.last_mut() {
            last.lines.push(line.to_owned());
        } else {
            out.push(Block {
                heading: false,
                lines: vec![line.to_owned()],
            });
            open = true;
        }
    }
    out
}

/// The title of a legal page in the page's language.
pub(crate) fn title(chrome: &Chrome, kind: LegalKind) -> String {
    chrome.t(&format!("legal-{}", kind.slug()))
}

#[derive(Template)]
#[template(path = "legal.html")]
struct LegalPageView {
    chrome: Chrome,
    heading: String,
    blocks: Vec<Block>,
    updated: Option<String>,
    /// The marketplace's support address (the contact page shows it).
    email: Option<String>,
    contact: bool,
}

/// `GET /legal/{page}`: the page as written; one not written yet says so (404), pointing to
/// the marketplace's contact address, which the contact page always shows.
#[handler]
pub(crate) async fn legal_page(ctx: Ctx<'_>, Path(page): Path<String>) -> Response {
    let chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    let Ok(kind) = legal::kind(&page) else {
        return not_found(chrome);
    };
    let written = match legal::written(ctx.state, ctx.tenant).await {
        Ok(w) => w,
        Err(e) => return api_failure(chrome, &e),
    };
    let page = written.iter().find(|p| p.kind == kind);
    let contact = kind == LegalKind::Contact;
    let mut r = render(&LegalPageView {
        heading: title(&chrome, kind),
        blocks: page.map(|p| blocks(&p.body)).unwrap_or_default(),
        updated: page.map(|p| chrome.locale.date(p.updated_at.date_naive())),
        email: ctx.tenant.support_email.clone(),
        contact,
        chrome,
    });
    if page.is_none() && !(contact && ctx.tenant.support_email.is_some()) {
        r.set_status(StatusCode::NOT_FOUND);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_headings_and_lines() {
        let b = blocks("# Who we are\nKrafto SAS\n12 rue X\n\n\nSecond para\n# Next\nafter");
        let shape: Vec<(bool, usize)> = b.iter().map(|b| (b.heading, b.lines.len())).collect();
        assert_eq!(
            shape,
            [(true, 1), (false, 2), (false, 1), (true, 1), (false, 1)]
        );
        assert_eq!(b[0].lines[0], "Who we are");
        assert_eq!(b[1].lines, ["Krafto SAS", "12 rue X"]);
    }
}
