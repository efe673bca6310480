//! Status keys and Esc: d / p / s / r set the status of the topic whose box has the focus, or
//! of the open panel's topic when the focus is in the panel (or nowhere in particular); Esc
//! closes the panel from anywhere but a text field. (The arrow keys on the skill trees are
//! `tree_keys`.)

use super::live::Live;
use super::panel;
use crate::roadmap::Status;
use leptos::ev;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};

pub fn start(live: Live) {
    let keys = window_event_listener(ev::keydown, move |ev| {
        if ev.default_prevented() || ev.alt_key() || ev.ctrl_key() || ev.meta_key() || typing(&ev) {
            return;
        }
        let panel = panel::current_panel();
        if ev.key() == "Escape" {
            if panel.is_some() {
                ev.prevent_default();
                panel::close(live, true);
            }
            return;
        }
        let Some(status) = Status::for_key(&ev.key()) else { return };
        let topic = focused_box().or_else(|| panel.filter(focus_in).and_then(|p| p.get_attribute("data-topic-id")));
        if let Some(topic) = topic {
            ev.prevent_default();
            live.change(topic, status);
        }
    });
    std::mem::forget(keys);
}

/// Whether the key goes into a field.
fn typing(ev: &KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|t| matches!(t.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

/// The topic of the tree box that has the focus.
fn focused_box() -> Option<String> {
    let focus = document().active_element()?;
    focus.matches(".skill-tree a.node").unwrap_or(false).then(|| super::page_dom::box_topic(&focus)).flatten()
}

/// Whether the focus is in `panel`, or nowhere in particular.
fn focus_in(panel: &Element) -> bool {
    match document().active_element() {
        None => true,
        Some(f) => {
            document().body().is_some_and(|b| AsRef::<Element>::as_ref(&b) == &f) || panel.contains(Some(f.as_ref()))
        }
    }
}
