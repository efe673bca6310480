//! "N of M done" with a bar, for a whole roadmap.

use crate::roadmap::ProgressSummary;
use leptos::prelude::*;

#[component]
pub fn ProgressBar(summary: Signal<ProgressSummary>) -> impl IntoView {
    let percent = move || summary.with(|s| s.percent);
    let text = move || {
        summary.with(|s| {
            let mut text = format!("{} of {} done ({}%)", s.done, s.total, s.percent);
            if s.in_progress > 0 {
                text.push_str(&format!(", {} in progress", s.in_progress));
            }
            if s.skipped > 0 {
                text.push_str(&format!(", {} skipped", s.skipped));
            }
            text
        })
    };
    view! {
        <div class="progress" data-testid="progress">
            <div
                class="progress-track"
                role="progressbar"
                aria-label="Roadmap progress"
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=move || percent().to_string()
            >
                <div class="progress-fill" style:width=move || format!("{}%", percent())></div>
            </div>
            <p class="progress-text" data-testid="progress-text">{text}</p>
        </div>
    }
    .into_any()
}
