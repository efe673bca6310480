//! "What to learn next": topics whose prerequisites are settled, core first, with hours.
//! The items come from the learner's progress (`Slot::NextSteps`) as markup; their links
//! keep the page's search and filter, like every other topic link.

use super::ProgressState;
use crate::roadmap::personal::Slot;
use crate::roadmap::share::xml_escape;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Where an item's link ends (see `roadmap::personal`); the query goes just before it.
const LINK_END: &str = r#"" data-noscroll="">"#;

#[component]
pub fn NextSteps(progress: ProgressState) -> impl IntoView {
    let search = use_location().search;
    let items = progress.slot(Slot::NextSteps);
    let items =
        move || {
            let html = items();
            search.with(|q| {
                if q.is_empty() {
                    html
                } else {
                    html.replace(LINK_END, &format!("?{}{LINK_END}", xml_escape(q)))
                }
            })
        };
    view! {
        <section class="next-steps" aria-labelledby="next-steps-title">
            <h2 id="next-steps-title">"What to learn next"</h2>
            <p class="hint">"Topics whose prerequisites you have done or skipped, core first."</p>
            <ol inner_html=items></ol>
        </section>
    }
    .into_any()
}
