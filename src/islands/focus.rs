//! Moving the keyboard focus: to the first of several elements that can take it.

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::HtmlElement;

/// Focuses the first element matching one of `selectors` that accepts the focus (a filter
/// may hide some); returns whether one did.
pub fn focus_first(selectors: impl IntoIterator<Item = String>) -> bool {
    for selector in selectors {
        let Some(el) = document().query_selector(&selector).ok().flatten() else { continue };
        if let Some(html) = el.dyn_ref::<HtmlElement>() {
            let _ = html.focus();
        }
        if document().active_element() == Some(el) {
            return true;
        }
    }
    false
}
