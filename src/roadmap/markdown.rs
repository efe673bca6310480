//! Renders topic explanations from Markdown to HTML, once, when content loads.

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

/// Markdown to HTML. Raw HTML in the source is shown as text, never passed through.
pub fn to_html(markdown: &str) -> String {
    let events = Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// A learner's own note as HTML: raw HTML shown as text, as in `to_html`; images shown as
/// their text (a note loads nothing from elsewhere); a link only to `https:`, `http:`,
/// `mailto:` or a path on this site, any other kept as its text.
pub fn note_html(markdown: &str) -> String {
    let safe = |url: &str| {
        let lower = url.trim_start().to_ascii_lowercase();
        ["https://", "http://", "mailto:"].iter().any(|p| lower.starts_with(p))
            || (url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\"))
            || url.starts_with('#')
    };
    let mut dropped_link = false;
    let events = Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        Event::Start(Tag::Link { ref dest_url, .. }) if !safe(dest_url) => {
            dropped_link = true;
            None
        }
        Event::End(TagEnd::Link) if dropped_link => {
            dropped_link = false;
            None
        }
        other => Some(other),
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// One line of Markdown as inline HTML: no paragraph around it (outcomes, list items).
pub fn inline_html(markdown: &str) -> String {
    let html = to_html(markdown);
    let trimmed = html.trim_end();
    match trimmed.strip_prefix("<p>").and_then(|h| h.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_owned(),
        _ => html,
    }
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn renders_paragraphs_code_and_emphasis() {
        let html = to_html("A **bold** `GET` request.\n\nSecond paragraph.");
        assert_eq!(html, "<p>A <strong>bold</strong> <code>GET</code> request.</p>\n<p>Second paragraph.</p>\n");
    }

    #[test]
    fn a_note_links_only_to_the_web_and_loads_nothing() {
        let html = super::note_html(
            "[ok](https://example.org) [bad](javascript:alert(1)) [Bad](JavaScript:x) ![pic](https://t.example/p.png) <script>x</script> [here](/roadmaps/backend)",
        );
        assert!(html.contains(r#"<a href="https://example.org">ok</a>"#), "{html}");
        assert!(html.contains(r#"<a href="/roadmaps/backend">here</a>"#), "{html}");
        assert!(!html.to_lowercase().contains("javascript"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("pic"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn one_line_renders_inline() {
        assert_eq!(super::inline_html("You can use `dig` to query."), "You can use <code>dig</code> to query.");
        assert_eq!(super::inline_html("a <b> c"), "a &lt;b&gt; c");
    }

    #[test]
    fn raw_html_is_escaped() {
        let html = to_html("Hello <script>alert(1)</script> world");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }
}
