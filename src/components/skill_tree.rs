//! The skill-tree picture of one section: topic boxes placed by the layout computed on the
//! server, prerequisite edges drawn in SVG underneath. Each box is a link to its topic, so
//! the picture works without JavaScript.

use super::{Highlights, ProgressState};
use crate::roadmap::layout::{NODE_H, NODE_W};
use crate::roadmap::views::SectionView;
use leptos::prelude::*;

#[component]
pub fn SkillTree(roadmap: String, section: SectionView, progress: ProgressState) -> impl IntoView {
    let highlights = use_context::<Highlights>();
    let graph = section.graph;
    let (width, height) = (graph.width, graph.height);
    let edges = graph
        .edges
        .into_iter()
        .map(|e| {
            let done = {
                let from = e.from.clone();
                move || progress.status_of(&from).as_str()
            };
            view! { <path class="edge" d=e.d data-from=e.from data-to=e.to data-from-status=done /> }
        })
        .collect_view();
    let nodes = graph
        .nodes
        .into_iter()
        .filter_map(|n| {
            let card = section.topics.iter().find(|t| t.id == n.id)?.clone();
            let status = Signal::derive({
                let id = card.id.clone();
                move || progress.status_of(&id)
            });
            let href = format!("/roadmaps/{roadmap}/{}", card.id);
            let style = format!("left:{}px;top:{}px;width:{NODE_W}px;height:{NODE_H}px", n.x, n.y);
            Some(view! {
                <a
                    class="node"
                    href=href
                    style=style
                    data-topic-id=card.id.clone()
                    data-status=move || status.get().as_str()
                    data-kind=card.kind.as_str()
                    data-match=highlights.map(|h| h.matched(card.id.clone()))
                    data-on-path=highlights.map(|h| h.on_path(card.id.clone()))
                >
                    <span class="node-title">{card.title}</span>
                    <span class="node-meta">
                        <span class="node-mark" aria-hidden="true"></span>
                        {move || status.get().label()}
                        {format!(" · ≈{} h · {}", card.hours, card.kind.label())}
                    </span>
                </a>
            })
        })
        .collect_view();
    view! {
        <div class="skill-tree-scroll" role="group" aria-label=format!("Skill tree: {}", section.title)>
            <div class="skill-tree" style=format!("width:{width}px;height:{height}px")>
                <svg
                    class="edges"
                    width=width.to_string()
                    height=height.to_string()
                    viewBox=format!("0 0 {width} {height}")
                    aria-hidden="true"
                    focusable="false"
                >
                    {edges}
                </svg>
                {nodes}
            </div>
        </div>
    }
    .into_any()
}
