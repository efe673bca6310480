//! Share links: the code in `/s/{code}`, the badge picture and the sentence a shared page
//! shows. Pure: the server creates codes from random bytes and stores who they belong to.

use std::fmt::Write;

/// Random bytes in a share code: 128 bits, written as 32 lowercase hex characters.
pub const SHARE_CODE_BYTES: usize = 16;

/// The code of a share link. `parse` is the only way to build one from outside.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ShareCode(String);

impl ShareCode {
    pub fn from_bytes(bytes: &[u8; SHARE_CODE_BYTES]) -> Self {
        ShareCode(bytes.iter().fold(String::with_capacity(SHARE_CODE_BYTES * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        }))
    }

    /// Accepts exactly the shape we hand out.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let ok = raw.len() == SHARE_CODE_BYTES * 2 && raw.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        ok.then(|| ShareCode(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name a shared page shows for its owner.
pub fn owner_label(display_name: Option<&str>) -> String {
    display_name.map_or_else(|| "A learner".to_owned(), str::to_owned)
}

/// The preview title of a shared page, e.g. "Ada: 42% of the back-end roadmap".
pub fn share_title(owner: &str, percent: u32, roadmap_title: &str) -> String {
    format!("{owner}: {percent}% of the {} roadmap", roadmap_title.to_lowercase())
}

/// Escapes text for SVG/XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A shields-style badge, "<label> | 42%", in light or dark colours. Widths are estimated
/// from the character count (Verdana 11px averages ~7 px a character).
pub fn badge_svg(label: &str, percent: u32, dark: bool) -> String {
    let value = format!("{percent}%");
    let width = |s: &str| 10 + 7 * s.chars().count() as u32;
    let (lw, vw) = (width(label), width(&value));
    let total = lw + vw;
    let (label_bg, label_fg) = if dark { ("#2b3038", "#e6e8eb") } else { ("#4a4f57", "#ffffff") };
    let value_bg = if dark { "#3f8f5a" } else { "#1f7a45" };
    let title = xml_escape(&format!("{label}: {value}"));
    let label = xml_escape(label);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" aria-label="{title}"><title>{title}</title><rect width="{lw}" height="20" rx="3" fill="{label_bg}"/><rect x="{lw}" width="{vw}" height="20" rx="3" fill="{value_bg}"/><g font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle"><text x="{lx}" y="14" fill="{label_fg}">{label}</text><text x="{vx}" y="14" fill="#ffffff">{value}</text></g></svg>"##,
        lx = lw / 2,
        vx = lw + vw / 2,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_128_bit_hex_and_parse_only_that_shape() {
        let code = ShareCode::from_bytes(&[0xab; SHARE_CODE_BYTES]);
        assert_eq!(code.as_str().len(), 32);
        assert_eq!(ShareCode::parse(code.as_str()), Some(code));
        for bad in ["", "abc", &"g".repeat(32), &"A".repeat(32), &"a".repeat(33), "../../etc/passwd"] {
            assert_eq!(ShareCode::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn badge_escapes_its_text_and_differs_by_theme() {
        let svg = badge_svg("back-end <roadmap>", 42, false);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains(">42%</text>"));
        assert!(svg.contains("back-end &lt;roadmap&gt;"));
        assert!(!svg.contains("<roadmap>"));
        assert_ne!(svg, badge_svg("back-end <roadmap>", 42, true));
    }

    #[test]
    fn shared_pages_name_the_owner_or_a_learner() {
        assert_eq!(owner_label(None), "A learner");
        assert_eq!(share_title(&owner_label(Some("Ada")), 42, "Back-end"), "Ada: 42% of the back-end roadmap");
    }
}
