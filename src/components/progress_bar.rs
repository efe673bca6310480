//! "N of M done" with a bar, for a whole roadmap.

use super::ProgressState;
use crate::roadmap::personal::Slot;
use leptos::prelude::*;

#[component]
pub fn ProgressBar(progress: ProgressState) -> impl IntoView {
    let percent = progress.slot(Slot::Percent);
    let width = format!("{percent}%");
    view! {
        <div class="progress" data-testid="progress">
            <div
                class="progress-track"
                role="progressbar"
                aria-label="Roadmap progress"
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=percent
            >
                <div class="progress-fill" style:width=width></div>
            </div>
            <p class="progress-text" data-testid="progress-text">{progress.slot(Slot::ProgressText)}</p>
        </div>
    }
    .into_any()
}
