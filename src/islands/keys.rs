//! The keys of a topic's panel: d / p / s / r set its status and Esc closes it. (The arrow
//! keys on the skill trees are `tree_keys`.)

use super::live::Live;
use super::panel;
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
        let Some(panel) = panel::current_panel() else { return };
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
