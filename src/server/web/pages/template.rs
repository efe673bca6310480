//! A page rendered once with every learner-dependent value as a slot marker
//! (`roadmap::personal::Slot`), cut into pieces: its own text, and the slots a learner's
//! values fill in. The components take those values from the same `Personal::value`, so a
//! filled-in page reads exactly like a full render (tests/overlay.rs compares the two).

use crate::roadmap::personal::{next_steps_keeping, Personal, Slot, CLOSE, OPEN};
use std::ops::Range;

/// A piece of a template: its own bytes or a slot.
#[derive(Debug, PartialEq)]
enum Piece {
    Text(Range<usize>),
    Slot(Slot),
}

#[derive(Debug)]
pub struct Template {
    html: String,
    pieces: Vec<Piece>,
    /// The page's search and filter (without `?`): the next-steps links keep them, as the
    /// page's component does for a full render (`NextSteps`).
    query: String,
}

impl Template {
    /// Cuts a rendered template of a page with search and filter `query` into pieces.
    pub fn parse(html: String, query: &str) -> Result<Self, String> {
        let mut pieces = Vec::new();
        let mut at = 0;
        let push_text = |pieces: &mut Vec<Piece>, range: Range<usize>| {
            if !range.is_empty() {
                pieces.push(Piece::Text(range));
            }
        };
        while let Some(open) = html[at..].find(OPEN).map(|i| i + at) {
            let code_at = open + OPEN.len_utf8();
            let close = html[code_at..].find(CLOSE).map(|i| i + code_at).ok_or("a slot marker is not closed")?;
            let code = &html[code_at..close];
            let slot = Slot::parse(code).ok_or_else(|| format!("unknown slot marker {code:?}"))?;
            push_text(&mut pieces, at..open);
            pieces.push(Piece::Slot(slot));
            at = close + CLOSE.len_utf8();
        }
        push_text(&mut pieces, at..html.len());
        if pieces.iter().any(|p| matches!(p, Piece::Text(r) if html[r.clone()].contains(CLOSE))) {
            return Err("a slot marker is not opened".into());
        }
        Ok(Template { html, pieces, query: query.to_owned() })
    }

    /// The page for one learner. A template without slots needs no one (`None`).
    pub fn fill(&self, personal: Option<&Personal>) -> Result<String, String> {
        let mut out = String::with_capacity(self.html.len() + 4096);
        for piece in &self.pieces {
            match (piece, personal) {
                (Piece::Text(range), _) => out.push_str(&self.html[range.clone()]),
                (Piece::Slot(slot @ (Slot::NextSteps | Slot::NoteHits)), Some(personal)) => {
                    out.push_str(&next_steps_keeping(&personal.value(slot), &self.query));
                }
                (Piece::Slot(slot), Some(personal)) => out.push_str(&personal.value(slot)),
                (Piece::Slot(slot), None) => return Err(format!("{slot:?} needs a learner's progress")),
            }
        }
        Ok(out)
    }

    /// How many slots the template has (for tests and logs).
    pub fn slots(&self) -> usize {
        self.pieces.iter().filter(|p| matches!(p, Piece::Slot(_))).count()
    }

    /// The template's own text with its markers: where each slot sits (tests check it
    /// against `Slot::hooks`).
    pub fn html(&self) -> &str {
        &self.html
    }

    pub fn len(&self) -> usize {
        self.html.len()
    }

    pub fn is_empty(&self) -> bool {
        self.html.is_empty()
    }
}

/// The topic panel of a rendered page (`<aside class="topic-panel" …>…</aside>`), which a
/// panel opened in place fetches instead of the whole page.
pub fn panel_of(html: &str) -> Option<&str> {
    let mut at = 0;
    while let Some(start) = html[at..].find("<aside").map(|i| i + at) {
        let tag_end = html[start..].find('>')? + start;
        if html[start..tag_end].contains(r#"class="topic-panel""#) {
            let end = html[tag_end..].find("</aside>")? + tag_end + "</aside>".len();
            return Some(&html[start..end]);
        }
        at = tag_end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roadmap::views::RoadmapView;
    use crate::roadmap::{ProgressSummary, Status};

    fn summary(statuses: &[(&str, Status)]) -> ProgressSummary {
        ProgressSummary::from_statuses(
            "r",
            statuses.iter().map(|(t, s)| (std::sync::Arc::from(*t), *s)).collect::<std::collections::BTreeMap<_, _>>(),
        )
    }

    fn page() -> String {
        format!(
            r#"<a data-status="{}">{}<!></a><script>x()</script><p>{}</p>"#,
            Slot::Status("a".into()).marker(),
            Slot::Label("a".into()).marker(),
            Slot::ProgressText.marker(),
        )
    }

    #[test]
    fn a_template_is_filled_with_the_learners_values() {
        let template = Template::parse(page(), "").expect("template");
        assert_eq!(template.slots(), 3);
        let view = RoadmapView { id: "r".into(), title: "R".into(), description: String::new(), sections: vec![] };
        let filled = template.fill(Some(&Personal::of(&view, summary(&[("a", Status::Done)])))).expect("filled");
        assert_eq!(filled, r#"<a data-status="done">done<!></a><script>x()</script><p>1 of 1 topics done</p>"#);
        assert!(!filled.contains(OPEN) && !filled.contains(CLOSE));
        assert!(template.fill(None).is_err(), "slots need a learner");
        assert_eq!(
            Template::parse("<p>plain</p>".into(), "").expect("plain").fill(None).expect("no slots"),
            "<p>plain</p>"
        );
    }

    #[test]
    fn templates_that_do_not_add_up_are_refused() {
        let unknown = page().replace("s a", "z a");
        assert!(Template::parse(unknown, "").is_err());
        let unclosed = format!("{}<p>{OPEN}s a</p>", page());
        assert!(Template::parse(unclosed, "").is_err());
        let unopened = format!("{}<p>s a{CLOSE}</p>", page());
        assert!(Template::parse(unopened, "").is_err());
    }

    #[test]
    fn the_panel_is_cut_out_of_its_page() {
        let page = r#"<main><aside class="other"></aside><aside data-topic-id="a" class="topic-panel"><h2>A</h2></aside></main>"#;
        assert_eq!(panel_of(page), Some(r#"<aside data-topic-id="a" class="topic-panel"><h2>A</h2></aside>"#));
        assert_eq!(panel_of("<main></main>"), None);
    }
}
