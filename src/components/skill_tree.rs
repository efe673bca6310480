//! The skill-tree picture of one section: topic boxes placed by the layout computed on the
//! server, prerequisite edges (with arrowheads, `EdgeMarkers`) drawn in SVG underneath, a
//! frame around each "pick one" group. Each box is a link to its topic's panel, ending at the
//! box itself (`#t-{id}`), so the picture works without JavaScript and the page opens where
//! the learner was; with it, the arrow keys move between boxes (`islands::SkillTreeKeys`).
//! On narrow screens, or when the learner asks for the list view, the same boxes are shown
//! as a list, indented by depth (`style/main.css`).

use super::{topic_href, Highlights, ProgressState};
use crate::roadmap::content::Kind;
use crate::roadmap::layout::place_style;
use crate::roadmap::personal::Slot;
use crate::roadmap::share::xml_escape;
use crate::roadmap::views::SectionView;
use leptos::prelude::*;

/// Topics of other trees that a box needs: (its title, its tree's title), by topic id.
pub type Elsewhere = std::sync::Arc<std::collections::HashMap<String, Vec<(String, String)>>>;

/// Where boxes lead: a learner's own roadmap (`/roadmaps/{id}/{topic}`), or nowhere (a shared
/// page shows someone else's statuses; a click must not open the viewer's own).
#[derive(Clone)]
pub enum BoxLinks {
    Roadmap(String),
    None,
}

#[component]
pub fn SkillTree(
    section: SectionView,
    progress: ProgressState,
    links: BoxLinks,
    elsewhere: Elsewhere,
) -> impl IntoView {
    let highlights = use_context::<Highlights>();
    let graph = section.graph;
    let (width, height) = (graph.width, graph.height);
    let frames = graph
        .frames
        .into_iter()
        .map(|f| {
            let style = format!("left:{}px;top:{}px;width:{}px;height:{}px", f.x, f.y, f.width, f.height);
            view! {
                <div class="group-frame" style=style data-group=f.group title=f.title aria-hidden="true">
                    <span class="group-label">"Pick one"</span>
                </div>
            }
        })
        .collect_view();
    let edges = graph
        .edges
        .into_iter()
        .map(|e| {
            let from_status = progress.slot(Slot::Status(e.from.clone()));
            view! { <path d=e.d data-from=e.from data-from-status=from_status /> }
        })
        .collect_view();
    let nodes = graph
        .nodes
        .into_iter()
        .filter_map(|n| {
            let card = section.topics.iter().find(|t| t.id == n.id)?.clone();
            // Width and height are the same for every box (`style/main.css`, `layout`).
            let style = place_style(n.column, n.row);
            let needs = elsewhere.get(&card.id).cloned().unwrap_or_default();
            let tip = (!needs.is_empty()).then(|| {
                let list: Vec<String> = needs.iter().map(|(t, tree)| format!("{t} ({tree})")).collect();
                format!("Also needs: {}", list.join(", "))
            });
            let meta = if needs.is_empty() {
                format!("≈{} h · ", card.hours)
            } else {
                format!("↰ ≈{} h · ", card.hours)
            };
            let id = card.id.clone();
            let length = card.title.chars().count();
            // Long titles get a smaller type, so they stay whole in three lines.
            let size = match length {
                0..=44 => "",
                45..=60 => " long",
                _ => " long longer",
            };
            // Written as one piece of markup: a box is the same for every page that shows it,
            // and its ~240 copies would otherwise carry hydration markers no island reads.
            let label = format!(
                r#"<span class="node-title{size}">{}</span>{meta}<span class="node-label">{}</span>"#,
                xml_escape(&card.title),
                progress.slot(Slot::Label(id.clone()))
            );
            let status = progress.slot(Slot::Status(id.clone()));
            // Core is the plain box; only the other kinds are marked.
            let kind = (card.kind != Kind::Core).then(|| card.kind.as_str());
            let next = progress.slot(Slot::Next(id.clone()));
            let (matched, on_path) = (
                highlights.map(|h| h.matched(id.clone())),
                highlights.map(|_| progress.slot(Slot::OnPath(id.clone()))),
            );
            Some(match &links {
                BoxLinks::Roadmap(roadmap) => {
                    let noted = progress.slot(Slot::Noted(id.clone()));
                    // Only a topic with a revision can be marked (bytes on every box).
                    let updated = card.revisable.then(|| progress.slot(Slot::Updated(id.clone())));
                    let href = topic_href(roadmap, &id);
                    let fragment = format!("#t-{id}");
                    view! {
                        <a
                            class="node"
                            id=format!("t-{id}")
                            data-status=status
                            href=move || format!("{}{fragment}", href())
                            style=style
                            title=tip
                            data-kind=kind
                            data-next=next
                            data-match=matched
                            data-on-path=on_path
                            data-note=noted
                            data-updated=updated
                            inner_html=label
                        ></a>
                    }
                    .into_any()
                }
                BoxLinks::None => view! {
                    <div
                        class="node"
                        id=format!("t-{id}")
                        data-status=status
                        style=style
                        title=tip
                        data-kind=kind
                        data-next=next
                        inner_html=label
                    ></div>
                }
                .into_any(),
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

/// The arrowheads every tree's edges end in, once per page (edges name them from CSS).
#[component]
pub fn EdgeMarkers() -> impl IntoView {
    let marker = |id: &'static str, class: &'static str| {
        view! {
            <marker
                id=id
                viewBox="0 0 10 10"
                refX="10"
                refY="5"
                markerWidth="7"
                markerHeight="7"
                markerUnits="userSpaceOnUse"
                orient="auto"
            >
                <path class=class d="M0,0 L10,5 L0,10 z" />
            </marker>
        }
    };
    view! {
        <svg class="edge-markers" width="0" height="0" aria-hidden="true" focusable="false">
            <defs>{marker("arrow", "arrow")} {marker("arrow-done", "arrow arrow-done")}</defs>
        </svg>
    }
    .into_any()
}
