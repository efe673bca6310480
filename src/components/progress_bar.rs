//! The roadmap's progress: the core path's percent as a bar, the hours left, and the counts
//! of every status.

use super::ProgressState;
use crate::roadmap::personal::Slot;
use leptos::prelude::*;

#[component]
pub fn ProgressBar(progress: ProgressState) -> impl IntoView {
    // The `data-hook` names are the ones `Slot::hooks` selects.
    view! {
        <div class="progress" data-testid="progress">
            <progress
                class="progress-track"
                aria-label="Core path progress"
                max="100"
                value=progress.slot(Slot::Percent)
                data-hook="percent"
            ></progress>
            <p class="path-text" data-hook="path-text">{progress.slot(Slot::PathText)}</p>
            <p class="progress-text" data-testid="progress-text" data-hook="progress-text">
                {progress.slot(Slot::ProgressText)}
            </p>
        </div>
    }
    .into_any()
}
