//! A page's view of the learner's progress on one roadmap: what the server last confirmed,
//! with the change on its way shown at once (optimistic) and undone if the server refuses.
//! Every status-dependent value a page shows comes from `slot`, so the server can render the
//! page once as a template and fill it in for each learner (`server::overlay`).

use crate::api::SetTopicStatus;
use crate::error::AppError;
use crate::roadmap::personal::{Personal, Slot};
use crate::roadmap::views::RoadmapView;
use crate::roadmap::{ProgressSummary, Status};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct ProgressState {
    pub action: ServerAction<SetTopicStatus>,
    shown: Memo<Personal>,
    /// Rendering the server's template: slots come out as markers.
    template: bool,
}

impl ProgressState {
    /// `initial` is the summary fetched with the page; `action` is the page's status action.
    pub fn new(action: ServerAction<SetTopicStatus>, initial: ProgressSummary, roadmap: &RoadmapView) -> Self {
        // The last summary the server sent for this roadmap: a refusal keeps the one before.
        let confirmed = Memo::new(move |before: Option<&ProgressSummary>| {
            let before = before.unwrap_or(&initial);
            action.value().with(|answer| match answer {
                Some(Ok(fresh)) if fresh.roadmap == before.roadmap => fresh.clone(),
                _ => before.clone(),
            })
        });
        // Plus the change on its way. The action sets its answer before it clears its input,
        // so the change never blinks out on success.
        let roadmap = roadmap.clone();
        let shown = Memo::new(move |_| {
            let base = confirmed.get();
            let pending = action.input().with(|i| {
                i.as_ref()
                    .filter(|i| i.roadmap == base.roadmap)
                    .and_then(|i| Status::parse(&i.status).ok().map(|s| (i.topic.clone(), s)))
            });
            let summary = match pending {
                Some((topic, status)) => base.with_status(&topic, status),
                None => base,
            };
            Personal::of(&roadmap, summary)
        });
        ProgressState { action, shown, template: rendering_template() }
    }

    /// What the page shows in one status-dependent place (a marker in a template).
    pub fn slot(&self, slot: Slot) -> impl Fn() -> String + Clone + Send + Sync + 'static {
        let this = *self;
        move || {
            if this.template {
                slot.marker()
            } else {
                this.shown.with(|p| p.value(&slot).into_owned())
            }
        }
    }

    /// Asks the server to set a topic's status (what the keyboard shortcuts use).
    pub fn set(&self, roadmap: &str, topic: &str, status: Status) {
        self.action.dispatch(SetTopicStatus {
            roadmap: roadmap.to_owned(),
            topic: topic.to_owned(),
            status: status.as_str().to_owned(),
        });
    }

    /// The error of the last status change, if the server refused it.
    pub fn error(&self) -> Option<AppError> {
        self.action.value().with(|v| match v {
            Some(Err(e)) => Some(e.clone()),
            _ => None,
        })
    }
}

/// Whether the server renders this page as the overlay's template (never in the browser).
fn rendering_template() -> bool {
    #[cfg(feature = "ssr")]
    {
        crate::server::context::rendering_template()
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}
