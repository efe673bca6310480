//! Where each status-dependent value (`roadmap::personal::Slot`) sits in a roadmap page's
//! markup, for the browser: the server renders the page with these values, and when a status
//! changes this writes the new ones into the same places. The values come from
//! `Personal::value`, the function the server uses, so both always read alike.

use crate::roadmap::personal::{next_steps_keeping, Personal, Slot};
use crate::roadmap::views::RoadmapView;
use crate::roadmap::{ProgressSummary, Status};
use leptos::prelude::document;
use leptos::wasm_bindgen::JsCast;
use std::collections::BTreeMap;
use std::sync::Arc;
use web_sys::Element;

/// Every element matching `selector`: `root` itself (a panel carries its topic's status)
/// and everything inside it.
pub(super) fn all(root: &Element, selector: &str) -> Vec<Element> {
    let itself = root.matches(selector).unwrap_or(false).then(|| root.clone());
    let Ok(list) = root.query_selector_all(selector) else { return itself.into_iter().collect() };
    itself.into_iter().chain((0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())).collect()
}

fn page() -> Option<Element> {
    document().document_element()
}

/// The learner's progress as the server rendered it into the page.
pub fn read_summary(outline: &RoadmapView) -> ProgressSummary {
    let mut statuses: BTreeMap<Arc<str>, Status> =
        outline.topics().map(|t| (Arc::from(t.id.as_str()), Status::None)).collect();
    if let Some(root) = page() {
        for item in all(&root, "li.topic[data-topic-id]") {
            let (Some(id), Some(status)) = (item.get_attribute("data-topic-id"), item.get_attribute("data-status"))
            else {
                continue;
            };
            if let (Some(slot), Ok(status)) = (statuses.get_mut(id.as_str()), Status::parse(&status)) {
                *slot = status;
            }
        }
    }
    ProgressSummary::from_statuses(&outline.id, statuses)
}

/// Writes what changed from `before` to `now` into the page.
pub fn apply(outline: &RoadmapView, before: &Personal, now: &Personal) {
    let Some(root) = page() else { return };
    for topic in outline.topics() {
        let id = topic.id.as_str();
        if before.status_of(id) != now.status_of(id) {
            topic_status(&root, id, now);
        }
        if before.on_path(id) != now.on_path(id) {
            let value = now.value(&Slot::OnPath(id.to_owned()));
            for el in all(&root, &format!(r#"[data-topic-id="{id}"][data-on-path]"#)) {
                let _ = el.set_attribute("data-on-path", &value);
            }
        }
    }
    for section in &outline.sections {
        let slot = Slot::SectionDone(section.id.clone());
        if before.value(&slot) != now.value(&slot) {
            set_text(&root, &format!(r#"[data-section-done="{}"]"#, section.id), &now.value(&slot));
        }
    }
    if before.summary != now.summary {
        let percent = now.value(&Slot::Percent);
        for bar in all(&root, r#"[data-testid="progress"] [role="progressbar"]"#) {
            let _ = bar.set_attribute("aria-valuenow", &percent);
        }
        for fill in all(&root, r#"[data-testid="progress"] .progress-fill"#) {
            let _ = fill.set_attribute("style", &format!("width: {percent}%"));
        }
        set_text(&root, r#"[data-testid="progress-text"]"#, &now.value(&Slot::ProgressText));
        set_text(&root, "[data-hours-left]", &now.value(&Slot::HoursLeft));
        let items = now.value(&Slot::NextSteps);
        if before.value(&Slot::NextSteps) != items {
            let search = document().location().and_then(|l| l.search().ok()).unwrap_or_default();
            let items = next_steps_keeping(&items, search.trim_start_matches('?'));
            for list in all(&root, ".next-steps ol") {
                list.set_inner_html(&items);
            }
        }
    }
}

/// Writes every topic status shown inside `root` (a panel just put into the page).
pub fn refresh(root: &Element, now: &Personal) {
    let mut ids: Vec<String> =
        all(root, "[data-topic-id]").iter().filter_map(|el| el.get_attribute("data-topic-id")).collect();
    ids.sort();
    ids.dedup();
    for id in ids {
        topic_status(root, &id, now);
    }
}

/// One topic's status everywhere it shows: boxes, list items, the panel and its lists
/// (`data-status`), badges and labels (words), arrows leaving it, its status buttons.
fn topic_status(root: &Element, id: &str, now: &Personal) {
    let status = now.value(&Slot::Status(id.to_owned()));
    let label = now.value(&Slot::Label(id.to_owned()));
    for el in all(root, &format!(r#"[data-topic-id="{id}"], [data-badge-for="{id}"]"#)) {
        let _ = el.set_attribute("data-status", &status);
    }
    set_text(root, &format!(r#"[data-badge-for="{id}"], [data-label-for="{id}"]"#), &label);
    for edge in all(root, &format!(r#"path.edge[data-from="{id}"]"#)) {
        let _ = edge.set_attribute("data-from-status", &status);
    }
    for button in all(root, &format!(r#"[data-controls-for="{id}"] button[name="status"]"#)) {
        let Some(value) = button.get_attribute("value").and_then(|v| Status::parse(&v).ok()) else { continue };
        let _ = button.set_attribute("aria-pressed", &now.value(&Slot::Pressed(id.to_owned(), value)));
    }
}

fn set_text(root: &Element, selector: &str, text: &str) {
    for el in all(root, selector) {
        el.set_text_content(Some(text));
    }
}
