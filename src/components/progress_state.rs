//! A page's view of the learner's progress on one roadmap: what the server sent with the
//! page, replaced by each answer to a status change.

use crate::api::SetTopicStatus;
use crate::error::AppError;
use crate::roadmap::{ProgressSummary, Status};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct ProgressState {
    pub action: ServerAction<SetTopicStatus>,
    summary: RwSignal<ProgressSummary>,
}

impl ProgressState {
    /// `initial` is the summary fetched with the page; `action` is the page's status action.
    pub fn new(action: ServerAction<SetTopicStatus>, initial: ProgressSummary) -> Self {
        let summary = RwSignal::new(initial);
        Effect::new(move |_| {
            action.value().with(|answer| {
                if let Some(Ok(fresh)) = answer {
                    if summary.with_untracked(|s| s.roadmap == fresh.roadmap) {
                        summary.set(fresh.clone());
                    }
                }
            });
        });
        ProgressState { action, summary }
    }

    pub fn status_of(&self, topic: &str) -> Status {
        self.summary.with(|s| s.status_of(topic))
    }

    pub fn summary(&self) -> ReadSignal<ProgressSummary> {
        self.summary.read_only()
    }

    /// The error of the last status change, if it failed.
    pub fn error(&self) -> Option<AppError> {
        self.action.value().with(|v| match v {
            Some(Err(e)) => Some(e.clone()),
            _ => None,
        })
    }
}
