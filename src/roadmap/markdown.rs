//! Renders topic explanations from Markdown to HTML, once, when content loads.

use pulldown_cmark::{html, Event, Options, Parser};

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
