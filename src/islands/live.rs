//! A roadmap page's progress in the browser: what the server last confirmed, plus the change
//! on their way (sent one at a time, in order), shown at once (optimistic) and undone with a
//! notice if the server refuses.
//! Every change of what is shown is written into the page by `page_dom`.

use super::live_progress::UndoOffer;
use super::{keys, note_form, page_dom, panel};
use crate::api::progress::{set_topic_status, undo_status};
use crate::api::{SetTopicStatus, UndoStatus};
use crate::error::AppError;
use crate::roadmap::personal::{undo_label, Personal, Slot};
use crate::roadmap::views::RoadmapView;
use crate::roadmap::{ProgressSummary, Status};
use leptos::ev;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos::wasm_bindgen::JsCast;
use web_sys::{HtmlButtonElement, HtmlFormElement, HtmlInputElement, SubmitEvent};

#[derive(Clone, Copy)]
pub struct Live {
    pub outline: StoredValue<RoadmapView>,
    confirmed: RwSignal<ProgressSummary>,
    /// Changes not answered yet, oldest first: the one on its way, then those waiting.
    pending: RwSignal<Vec<(String, Status)>>,
    /// What the page shows: `confirmed` with every pending change applied.
    pub shown: Memo<Personal>,
    /// Whether a change is on its way. Changes go one at a time, in order: a first-time
    /// visitor's first answer brings the identity cookie every later change must carry.
    sending: StoredValue<bool>,
    error: RwSignal<Option<AppError>>,
    /// The notice that offers to undo the last change.
    undo: RwSignal<Option<UndoOffer>>,
}

/// How long the notice offers to undo a change (the panel's undo form stays).
const UNDO_OFFERED: std::time::Duration = std::time::Duration::from_secs(12);

impl Live {
    /// Takes over the page: its statuses as the server rendered them (`statuses`, the
    /// island's prop) are the starting point.
    pub fn start(
        outline: RoadmapView,
        statuses: &str,
        error: RwSignal<Option<AppError>>,
        undo: RwSignal<Option<UndoOffer>>,
    ) {
        let confirmed = RwSignal::new(page_dom::starting_summary(&outline, statuses));
        let outline = StoredValue::new(outline);
        let pending = RwSignal::new(Vec::<(String, Status)>::new());
        let shown = Memo::new(move |_| {
            let mut summary = confirmed.get();
            for (topic, status) in pending.get() {
                summary = summary.with_status(&topic, status);
            }
            outline.with_value(|o| Personal::of(o, summary))
        });
        let live = Live { outline, confirmed, pending, shown, sending: StoredValue::new(false), error, undo };
        // The page already shows the first values; afterwards only what changed is written.
        Effect::new(move |before: Option<Personal>| {
            let now = shown.get();
            if let Some(before) = before {
                outline.with_value(|o| page_dom::apply(o, &before, &now));
            }
            now
        });
        // The status and note forms: sent from here instead of loading a new page.
        let submits = window_event_listener(ev::submit, move |ev| {
            if let Some((topic, status)) = status_form(&ev) {
                ev.prevent_default();
                live.change(topic, status);
            } else if let Some((form, topic, note)) = note_form::note_form(&ev) {
                ev.prevent_default();
                note_form::save(live.outline.with_value(|o| o.id.clone()), form, topic, note);
            } else if let Some(topic) = undo_form(&ev) {
                ev.prevent_default();
                live.undo(topic);
            }
        });
        std::mem::forget(submits);
        panel::start(live);
        keys::start(live);
    }

    /// Shows `status` for `topic` at once and asks the server to keep it, after the changes
    /// already on their way.
    pub fn change(self, topic: String, status: Status) {
        self.error.set(None);
        self.pending.update(|p| p.push((topic, status)));
        if !self.sending.get_value() {
            self.sending.set_value(true);
            leptos::task::spawn_local(self.send_pending());
        }
    }

    /// Sends the pending changes one by one until none is left. A refused change leaves the
    /// page (the notice says so); the ones after it are still sent.
    async fn send_pending(self) {
        let roadmap = self.outline.with_value(|o| o.id.clone());
        while let Some((topic, status)) = self.pending.with_untracked(|p| p.first().cloned()) {
            let answer = set_topic_status(roadmap.clone(), topic.clone(), status.as_str().to_owned()).await;
            match answer {
                Ok(summary) => {
                    let before = self.confirmed.with_untracked(|c| c.status_of(&topic));
                    self.confirmed.set(summary);
                    if before != status {
                        self.offer_undo(&roadmap, topic, status, before);
                    }
                }
                Err(error) => self.error.set(Some(error)),
            }
            self.pending.update(|p| {
                p.remove(0);
            });
        }
        self.sending.set_value(false);
    }
}

impl Live {
    /// Offers to undo the change of `topic` to `now` (it was `before`), in the notice for a
    /// while and in the topic's panel.
    fn offer_undo(self, roadmap: &str, topic: String, now: Status, before: Status) {
        static OFFERS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let seq = OFFERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        page_dom::write_slot(&Slot::UndoTo(topic.clone()), before.as_str());
        page_dom::write_slot(&Slot::UndoLabel(topic.clone()), &undo_label(before));
        // A topic marked again is no longer "updated since you finished it".
        page_dom::write_slot(&Slot::Updated(topic.clone()), "");
        page_dom::write_slot(&Slot::UpdatedNote(topic.clone()), "");
        let title = page_dom::box_title(&topic).unwrap_or_else(|| topic.clone());
        self.undo.set(Some(UndoOffer { roadmap: roadmap.to_owned(), topic, title, now, seq }));
        let undo = self.undo;
        set_timeout(
            move || {
                if undo.with_untracked(|o| o.as_ref().is_some_and(|o| o.seq == seq)) {
                    undo.set(None);
                }
            },
            UNDO_OFFERED,
        );
    }

    /// Puts `topic` back as it was before its last change, once the changes on their way
    /// are answered.
    pub fn undo(self, topic: String) {
        self.undo.set(None);
        self.error.set(None);
        let roadmap = self.outline.with_value(|o| o.id.clone());
        leptos::task::spawn_local(async move {
            match undo_status(roadmap, topic.clone()).await {
                Ok(summary) => {
                    self.confirmed.set(summary);
                    page_dom::write_slot(&Slot::UndoTo(topic.clone()), "");
                    page_dom::write_slot(&Slot::UndoLabel(topic), "");
                }
                Err(error) => self.error.set(Some(error)),
            }
        });
    }
}

/// The topic a submitted undo form (the panel's or the notice's) names.
fn undo_form(ev: &SubmitEvent) -> Option<String> {
    let form: HtmlFormElement = ev.target()?.dyn_into().ok()?;
    let action = web_sys::Url::new(&form.action()).ok()?;
    if action.pathname() != UndoStatus::PATH {
        return None;
    }
    let topic: HtmlInputElement = form.query_selector("input[name=topic]").ok()??.dyn_into().ok()?;
    Some(topic.value())
}

/// The topic and status a submitted status form asks for; `None` for any other form.
fn status_form(ev: &SubmitEvent) -> Option<(String, Status)> {
    let form: HtmlFormElement = ev.target()?.dyn_into().ok()?;
    let action = web_sys::Url::new(&form.action()).ok()?;
    if action.pathname() != SetTopicStatus::PATH {
        return None;
    }
    let topic: HtmlInputElement = form.query_selector("input[name=topic]").ok()??.dyn_into().ok()?;
    let button: HtmlButtonElement = ev.submitter()?.dyn_into().ok()?;
    Some((topic.value(), Status::parse(&button.value()).ok()?))
}
