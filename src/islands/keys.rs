//! The keyboard on a roadmap page: the arrow keys move between the boxes of a skill tree;
//! with a topic's panel open, d / p / s / r set its status and Esc closes it.

use super::focus::focus_first;
use super::live::Live;
use super::panel;
use crate::roadmap::layout::{neighbours, Direction};
use crate::roadmap::Status;
use leptos::ev;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};

pub fn start(live: Live) {
    let keys = window_event_listener(ev::keydown, move |ev| {
        if ev.default_prevented() || ev.alt_key() || ev.ctrl_key() || ev.meta_key() {
            return;
        }
        if on_arrow_key(live, &ev) {
            return;
        }
        let Some(panel) = document().query_selector("aside.topic-panel").ok().flatten() else { return };
        if !for_the_panel(&ev, &panel) {
            return;
        }
        if ev.key() == "Escape" {
            ev.prevent_default();
            panel::close(live, true);
        } else if let Some(status) = Status::for_key(&ev.key()) {
            let Some(topic) = panel.get_attribute("data-topic-id") else { return };
            ev.prevent_default();
            live.change(topic, status);
        }
    });
    std::mem::forget(keys);
}

/// Moves the focus to the nearest box in the arrow's direction that can take it (a filter may
/// hide some); returns whether the key was an arrow on a box.
fn on_arrow_key(live: Live, ev: &KeyboardEvent) -> bool {
    let Some(dir) = Direction::from_key(&ev.key()) else { return false };
    if ev.shift_key() {
        return false;
    }
    let Some(id) = ev
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .filter(|t| t.matches(".skill-tree a.node").unwrap_or(false))
        .and_then(|t| t.get_attribute("data-topic-id"))
    else {
        return false;
    };
    ev.prevent_default();
    let next: Vec<String> = live.outline.with_value(|o| {
        o.sections
            .iter()
            .find(|s| s.graph.nodes.iter().any(|n| n.id == id))
            .map(|s| neighbours(&s.graph.nodes, &id, dir).into_iter().map(str::to_owned).collect())
            .unwrap_or_default()
    });
    // A topic has one box on the page, so its id finds it.
    focus_first(next.into_iter().map(|n| format!(r#".skill-tree a.node[data-topic-id="{n}"]"#)));
    true
}

/// Whether a key press is meant for the panel: not typed into a field, and the focus is in
/// the panel (or nowhere in particular).
fn for_the_panel(ev: &KeyboardEvent, panel: &Element) -> bool {
    let typing = ev
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|t| matches!(t.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
    let focus_here = match document().active_element() {
        None => true,
        Some(f) => {
            document().body().is_some_and(|b| AsRef::<Element>::as_ref(&b) == &f) || panel.contains(Some(f.as_ref()))
        }
    };
    !typing && focus_here
}
