//! A roadmap page's progress in the browser: what the server last confirmed, plus the change
//! on its way, shown at once (optimistic) and undone with a notice if the server refuses.
//! Every change of what is shown is written into the page by `page_dom`.

use super::{keys, page_dom, panel};
use crate::api::progress::set_topic_status;
use crate::api::SetTopicStatus;
use crate::error::AppError;
use crate::roadmap::personal::Personal;
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
    /// The change on its way, if any.
    pending: RwSignal<Option<(String, Status)>>,
    /// What the page shows: `confirmed` with `pending` applied.
    pub shown: Memo<Personal>,
    /// Changes sent, and the newest one the server has confirmed (answers can overtake).
    sent: StoredValue<u64>,
    confirmed_up_to: StoredValue<u64>,
    error: RwSignal<Option<AppError>>,
}

impl Live {
    /// Takes over the page: its statuses as the server rendered them are the starting point.
    pub fn start(outline: RoadmapView, error: RwSignal<Option<AppError>>) {
        let confirmed = RwSignal::new(page_dom::read_summary(&outline));
        let outline = StoredValue::new(outline);
        let pending = RwSignal::new(None::<(String, Status)>);
        let shown = Memo::new(move |_| {
            let base = confirmed.get();
            let summary = match pending.get() {
                Some((topic, status)) => base.with_status(&topic, status),
                None => base,
            };
            outline.with_value(|o| Personal::of(o, summary))
        });
        let live = Live {
            outline,
            confirmed,
            pending,
            shown,
            sent: StoredValue::new(0),
            confirmed_up_to: StoredValue::new(0),
            error,
        };
        // The page already shows the first values; afterwards only what changed is written.
        Effect::new(move |before: Option<Personal>| {
            let now = shown.get();
            if let Some(before) = before {
                outline.with_value(|o| page_dom::apply(o, &before, &now));
            }
            now
        });
        // The status forms: sent from here instead of loading a new page.
        let submits = window_event_listener(ev::submit, move |ev| {
            if let Some((topic, status)) = status_form(&ev) {
                ev.prevent_default();
                live.change(topic, status);
            }
        });
        std::mem::forget(submits);
        panel::start(live);
        keys::start(live);
    }

    /// Shows `status` for `topic` at once and asks the server to keep it.
    pub fn change(self, topic: String, status: Status) {
        let roadmap = self.outline.with_value(|o| o.id.clone());
        let number = self.sent.get_value() + 1;
        self.sent.set_value(number);
        self.error.set(None);
        self.pending.set(Some((topic.clone(), status)));
        leptos::task::spawn_local(async move {
            let answer = set_topic_status(roadmap, topic, status.as_str().to_owned()).await;
            let newest = self.sent.get_value() == number;
            match answer {
                Ok(summary) if number > self.confirmed_up_to.get_value() => {
                    self.confirmed_up_to.set_value(number);
                    self.confirmed.set(summary);
                }
                Ok(_) => {}
                Err(error) if newest => self.error.set(Some(error)),
                Err(_) => {}
            }
            if newest {
                self.pending.set(None);
            }
        });
    }
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
