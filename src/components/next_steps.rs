//! The next-steps card: "Start here", "Continue" or "Up next", then the topics whose
//! prerequisites are settled, core first, with hours. The items come from the learner's
//! progress (`Slot::NextSteps`) as markup; their links keep the page's search and filter,
//! like every other topic link.

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
            <h2 id="next-steps-title">
                <span data-hook="next-title">{progress.slot(Slot::NextTitle)}</span>
                <span class="visually-hidden">": what to learn next"</span>
            </h2>
            <ol data-hook="next-steps" inner_html=items></ol>
            <p class="hint">"Topics you can start now: their prerequisites are done or skipped. Core first."</p>
        </section>
    }
    .into_any()
}
