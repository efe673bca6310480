//! "What to learn next": topics whose prerequisites are settled, core first, with hours.
//! The items come from the learner's progress (`Slot::NextSteps`) as markup; their links
//! keep the page's search and filter, like every other topic link.

use super::ProgressState;
use crate::roadmap::personal::{next_steps_keeping, Slot};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn NextSteps(progress: ProgressState) -> impl IntoView {
    let search = use_location().search.get_untracked();
    let items = next_steps_keeping(&progress.slot(Slot::NextSteps), &search);
    view! {
        <section class="next-steps" aria-labelledby="next-steps-title">
            <h2 id="next-steps-title">"What to learn next"</h2>
            <p class="hint">"Topics whose prerequisites you have done or skipped, core first."</p>
            <ol inner_html=items></ol>
        </section>
    }
    .into_any()
}
