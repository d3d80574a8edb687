//! What a person reads of a page: its text between tags and the words of the attributes a
//! browser shows or reads out (`placeholder`, `aria-label`, `title`, `alt`, a button's
//! `value`), without scripts and styles.

/// The readable text of `html`, one piece per line.
pub fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        push_text(&mut out, &rest[..open]);
        let after = &rest[open..];
        let lower = after.get(..7).unwrap_or(after).to_ascii_lowercase();
        let skip_to = if lower.starts_with("<script") {
            "</script>"
        } else if lower.starts_with("<style") {
            "</style>"
        } else {
            ""
        };
        if !skip_to.is_empty() {
            rest = after
                .find(skip_to)
                .map_or("", |end| &after[end + skip_to.len()..]);
            continue;
        }
        let Some(close) = after.find('>') else { break };
        let tag = &after[1..close];
        for name in ["placeholder", "aria-label", "title", "alt", "value"] {
            if let Some(v) = attribute(tag, name)
                && (name != "value" || tag.contains("type=\"submit\""))
            {
                push_text(&mut out, v);
            }
        }
        rest = &after[close + 1..];
    }
    push_text(&mut out, rest);
    out
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

fn push_text(out: &mut String, raw: &str) {
    let text = raw
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"");
    let text = text.trim();
    if !text.is_empty() {
        out.push_str(text);
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_shown_attributes_are_read_scripts_and_markup_are_not() {
        let html = r#"<html><head><style>.a{}</style><script src="x.js"></script></head>
<body><a href="/cart" title="Panier">Panier</a><input placeholder="Rechercher" name="q">
<img src="a.jpg" alt="Bol"><script>var Search = 1;</script><button type="submit">OK</button></body></html>"#;
        let text = visible_text(html);
        assert_eq!(text, "Panier\nPanier\nRechercher\nBol\nOK\n");
    }
}
