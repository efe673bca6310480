//! The skill-tree picture of one section: topic boxes placed by the layout computed on the
//! server, prerequisite edges drawn in SVG underneath, a frame around each "pick one" group.
//! Each box is a link to its topic, so the picture works without JavaScript; with it, the
//! arrow keys move between boxes (`islands::SkillTreeKeys`).

use super::{topic_href, Highlights, ProgressState};
use crate::roadmap::layout::{NODE_H, NODE_W};
use crate::roadmap::personal::Slot;
use crate::roadmap::views::SectionView;
use leptos::prelude::*;

#[component]
pub fn SkillTree(roadmap: String, section: SectionView, progress: ProgressState) -> impl IntoView {
    let highlights = use_context::<Highlights>();
    let graph = section.graph;
    let (width, height) = (graph.width, graph.height);
    let frames = graph
        .frames
        .into_iter()
        .map(|f| {
            let style = format!("left:{}px;top:{}px;width:{}px;height:{}px", f.x, f.y, f.width, f.height);
            view! {
                <div class="group-frame" style=style data-group=f.group aria-hidden="true">
                    <span class="group-label">{format!("Pick one: {}", f.title)}</span>
                </div>
            }
        })
        .collect_view();
    let edges = graph
        .edges
        .into_iter()
        .map(|e| {
            let from_status = progress.slot(Slot::Status(e.from.clone()));
            view! { <path class="edge" d=e.d data-from=e.from data-to=e.to data-from-status=from_status /> }
        })
        .collect_view();
    let nodes = graph
        .nodes
        .into_iter()
        .filter_map(|n| {
            let card = section.topics.iter().find(|t| t.id == n.id)?.clone();
            let href = topic_href(&roadmap, &card.id);
            let style = format!("left:{}px;top:{}px;width:{NODE_W}px;height:{NODE_H}px", n.x, n.y);
            Some(view! {
                <a
                    class="node"
                    href=href
                    data-noscroll=""
                    style=style
                    data-topic-id=card.id.clone()
                    data-column=n.column
                    data-row=n.row
                    data-status=progress.slot(Slot::Status(card.id.clone()))
                    data-kind=card.kind.as_str()
                    data-match=highlights.map(|h| h.matched(card.id.clone()))
                    data-on-path=highlights.map(|_| progress.slot(Slot::OnPath(card.id.clone())))
                >
                    <span class="node-title">{card.title}</span>
                    <span class="node-meta">
                        <span class="node-mark" aria-hidden="true"></span>
                        <span data-label-for=card.id.clone()>{progress.slot(Slot::Label(card.id.clone()))}</span>
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
                {frames}
                {nodes}
            </div>
        </div>
    }
    .into_any()
}
