//! The note form of a topic panel, saved in place: "Saving…", then "Saved" (or why not, with
//! what was typed left in the editor), the note as it reads and the box's mark written where
//! their slots' hooks say (`Slot::NoteHtml`, `Slot::Noted`).

use super::page_dom;
use crate::api::notes::set_note;
use crate::api::SetNote;
use crate::roadmap::personal::Slot;
use leptos::server_fn::ServerFn;
use leptos::wasm_bindgen::JsCast;
use web_sys::{Element, HtmlFormElement, HtmlInputElement, HtmlTextAreaElement, SubmitEvent};

/// A submitted note form: the form, its topic and its text; `None` for any other form.
pub fn note_form(ev: &SubmitEvent) -> Option<(HtmlFormElement, String, String)> {
    let form: HtmlFormElement = ev.target()?.dyn_into().ok()?;
    let action = web_sys::Url::new(&form.action()).ok()?;
    if action.pathname() != SetNote::PATH {
        return None;
    }
    let topic: HtmlInputElement = form.query_selector("input[name=topic]").ok()??.dyn_into().ok()?;
    let text: HtmlTextAreaElement = form.query_selector("textarea[name=note]").ok()??.dyn_into().ok()?;
    Some((form, topic.value(), text.value()))
}

/// Sends the note and shows how it went; the editor keeps its text whatever the answer.
pub fn save(roadmap: String, form: HtmlFormElement, topic: String, note: String) {
    let state = form.query_selector("[data-note-state]").ok().flatten();
    let button = form.query_selector("button[type=submit]").ok().flatten();
    say(state.as_ref(), "Saving…", false);
    if let Some(b) = &button {
        let _ = b.set_attribute("disabled", "");
    }
    leptos::task::spawn_local(async move {
        match set_note(roadmap, topic.clone(), note).await {
            Ok(saved) => {
                let has_note = !saved.note.is_empty();
                write(&Slot::NoteHtml(topic.clone()), &saved.html);
                write(&Slot::Noted(topic.clone()), if has_note { "1" } else { "" });
                say(state.as_ref(), if has_note { "Saved." } else { "Note deleted." }, false);
            }
            Err(e) => say(state.as_ref(), &format!("Not saved: {e} Your text is still here."), true),
        }
        if let Some(b) = &button {
            let _ = b.remove_attribute("disabled");
        }
    });
}

fn say(state: Option<&Element>, text: &str, error: bool) {
    let Some(state) = state else { return };
    state.set_text_content(Some(text));
    let _ = if error { state.set_attribute("data-error", "") } else { state.remove_attribute("data-error") };
}

/// Puts a note slot's value where its hooks say, on the whole page.
fn write(slot: &Slot, value: &str) {
    page_dom::write_slot(slot, value);
}
