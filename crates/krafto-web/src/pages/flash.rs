//! The confirmation shown once after a change.

/// The confirmation shown once after a change: the redirect carries a fixed code
/// (`?done=saved`) and the page shows the text its table gives that code. Only those fixed
/// texts are ever shown, never the query's own words. Pages print it with
/// `{% call kit::flash(flash) %}{% endcall %}`.
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
