//! "What to learn next": topics whose prerequisites are settled, core first, with hours.
//! The items come from the learner's progress (`Slot::NextSteps`) as markup.

use super::ProgressState;
use crate::roadmap::personal::Slot;
use leptos::prelude::*;

#[component]
pub fn NextSteps(progress: ProgressState) -> impl IntoView {
    view! {
        <section class="next-steps" aria-labelledby="next-steps-title">
            <h2 id="next-steps-title">"What to learn next"</h2>
            <p class="hint">"Topics whose prerequisites you have done or skipped, core first."</p>
            <ol inner_html=progress.slot(Slot::NextSteps)></ol>
        </section>
    }
    .into_any()
}
