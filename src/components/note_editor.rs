//! A learner's private note on a topic, in its panel: the note rendered (Markdown, raw HTML
//! escaped) and a plain form that posts to `/api/set_note`, so it works without JavaScript
//! (the answer sends the browser back to the note); with JavaScript the page saves it in
//! place and says "Saved" or why not, keeping what was typed (`islands::live`).

use super::status_controls::returning_action;
use super::ProgressState;
use crate::api::SetNote;
use crate::roadmap::notes::MAX_NOTE_CHARS;
use crate::roadmap::personal::Slot;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_location;

#[component]
pub fn NoteEditor(roadmap: String, topic: String, title: String, progress: ProgressState) -> impl IntoView {
    let location = use_location();
    let section_id = format!("note-{topic}");
    let action = returning_action(
        SetNote::PATH,
        &location.pathname.get_untracked(),
        location.search.get_untracked().trim_start_matches('?'),
        &section_id,
    );
    let (field_id, heading_id, hint_id) =
        (format!("note-text-{topic}"), format!("note-title-{topic}"), format!("note-hint-{topic}"));
    let text = progress.slot(Slot::NoteText(topic.clone()));
    let html = progress.slot(Slot::NoteHtml(topic.clone()));
    let label = format!("Private note on {title}");
    let (for_section, for_view, for_field, for_text) = (topic.clone(), topic.clone(), topic.clone(), topic.clone());
    let for_state = topic;
    let (labelled_by, field_for, described_by) = (heading_id.clone(), field_id.clone(), hint_id.clone());
    view! {
        <section class="note" id=section_id data-note-for=for_section aria-labelledby=labelled_by>
            <h3 id=heading_id>"Your note"</h3>
            <div class="note-view" data-note-view=for_view inner_html=html></div>
            <form method="post" action=action class="note-form">
                <input type="hidden" name="roadmap" value=roadmap />
                <input type="hidden" name="topic" value=for_field />
                <label for=field_for>{label}</label>
                <textarea
                    id=field_id
                    name="note"
                    rows="4"
                    maxlength=MAX_NOTE_CHARS.to_string()
                    aria-describedby=described_by
                    data-note-text=for_text
                    inner_html=text
                ></textarea>
                <p class="hint" id=hint_id>
                    "Only you see it: never on share links or badges. Markdown, up to 10,000 characters; saving an empty note deletes it."
                </p>
                <button type="submit">"Save note"</button>
                <span class="note-state" role="status" data-note-state=for_state></span>
            </form>
        </section>
    }
    .into_any()
}
