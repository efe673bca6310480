//! Writes a roadmap page's status-dependent values (`roadmap::personal::Slot`) into its
//! markup, for the browser: the server renders the page with these values, and when a
//! status changes this writes the new ones where each slot's `hooks` say it sits. The values
//! come from `Personal::value`, the function the server uses, so both always read alike.

use crate::roadmap::personal::{next_steps_keeping, parse_statuses, Personal, Place, Slot};
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

/// The topic of a tree box (its id is `t-{topic}`).
pub fn box_topic(node: &Element) -> Option<String> {
    node.id().strip_prefix("t-").map(str::to_owned)
}

/// A topic's title as its box on the page shows it (the outline carries no titles).
pub fn box_title(topic: &str) -> Option<String> {
    let title = document().get_element_by_id(&format!("t-{topic}"))?.query_selector(".node-title").ok()??;
    title.text_content()
}

/// The learner's progress as the server rendered it (`Slot::Statuses`, the island's prop).
pub fn starting_summary(outline: &RoadmapView, code: &str) -> ProgressSummary {
    let mut statuses: BTreeMap<Arc<str>, Status> =
        outline.topics().map(|t| (Arc::from(t.id.as_str()), Status::None)).collect();
    for (topic, status) in parse_statuses(code) {
        if let Some(slot) = statuses.get_mut(topic) {
            *slot = status;
        }
    }
    ProgressSummary::from_statuses(&outline.id, statuses)
}

/// Writes what changed from `before` to `now` into the page.
pub fn apply(outline: &RoadmapView, before: &Personal, now: &Personal) {
    let Some(root) = page() else { return };
    for slot in Slot::all_of(outline) {
        let value = now.value(&slot);
        if before.value(&slot) != value {
            write(&root, &slot, &value);
        }
    }
}

/// Writes every topic value shown inside `root` (a panel just put into the page).
pub fn refresh(root: &Element, outline: &RoadmapView, now: &Personal) {
    for slot in Slot::all_of(outline) {
        if matches!(slot, Slot::Status(_) | Slot::Label(_) | Slot::Pressed(..) | Slot::Next(_) | Slot::OnPath(_)) {
            write(root, &slot, &now.value(&slot));
        }
    }
}

/// Puts one slot's value in every place it shows on the page.
pub fn write_slot(slot: &Slot, value: &str) {
    if let Some(root) = page() {
        write(&root, slot, value);
    }
}

/// Puts one slot's value in every place it shows inside `root`.
fn write(root: &Element, slot: &Slot, value: &str) {
    for hook in slot.hooks() {
        for el in all(root, &hook.selector) {
            match hook.place {
                Place::Attribute(name) => {
                    let _ = el.set_attribute(name, value);
                }
                Place::Text => el.set_text_content(Some(value)),
                Place::Markup if matches!(slot, Slot::NextSteps | Slot::NoteHits) => {
                    let search = document().location().and_then(|l| l.search().ok()).unwrap_or_default();
                    el.set_inner_html(&next_steps_keeping(value, search.trim_start_matches('?')));
                }
                Place::Markup => el.set_inner_html(value),
            }
        }
    }
}
