//! "What to learn next": topics whose prerequisites are settled, core first, with hours.

use super::{topic_href, ProgressState};
use crate::roadmap::planner::next_topics;
use crate::roadmap::views::{RoadmapView, TopicCard};
use leptos::prelude::*;

/// How many suggestions to show.
const SHOWN: usize = 6;

#[component]
pub fn NextSteps(roadmap: RoadmapView, progress: ProgressState) -> impl IntoView {
    let id = roadmap.id.clone();
    let items = move || {
        let cards: Vec<&TopicCard> = roadmap.topics().collect();
        let next = next_topics(&cards, |t| progress.status_of(t));
        next.into_iter()
            .take(SHOWN)
            .map(|t| {
                let href = topic_href(&id, &t.id);
                view! {
                    <li data-next-id=t.id.clone()>
                        <a href=href data-noscroll="">{t.title.clone()}</a>
                        <span class="topic-kind">{t.kind.label()}</span>
                        <span class="topic-hours">{format!("≈{} h", t.hours)}</span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="next-steps" aria-labelledby="next-steps-title">
            <h2 id="next-steps-title">"What to learn next"</h2>
            <p class="hint">"Topics whose prerequisites you have done or skipped, core first."</p>
            <ol>{items}</ol>
        </section>
    }
    .into_any()
}
