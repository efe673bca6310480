//! `/roadmaps/{roadmap}`: an overview of the skill trees, the next steps and the learner's
//! progress, then every tree as a picture (a list on narrow screens), with search (`?q=`)
//! and filters (`?show=`). A topic's panel
//! (`/roadmaps/{roadmap}/{topic}`) opens beside it, in the page's `<Outlet/>`. The server
//! renders it all; the `LiveProgress` island makes it interactive in the browser.

use crate::api::changes::get_changes_seen;
use crate::api::content::{get_roadmap, search_topics};
use crate::api::notes::get_notes;
use crate::api::progress::{get_previous_status, get_progress};
use crate::components::{
    parse_filter, BoxLinks, EdgeMarkers, Elsewhere, ErrorNotice, Highlights, NextSteps, ProgressBar, ProgressState,
    RoadmapTools, SkillTree,
};
use crate::error::AppError;
use crate::islands::{LiveProgress, SkillTreeKeys};
use crate::pages::NotFound;
use crate::roadmap::content::ANY_OF;
use crate::roadmap::head::Head;
use crate::roadmap::personal::Slot;
use crate::roadmap::search::query_words;
use crate::roadmap::views::{any_one, RoadmapView, SectionView, TopicLink};
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};
use std::collections::HashMap;
use std::sync::Arc;

#[component]
pub fn RoadmapPage() -> impl IntoView {
    let params = use_params_map();
    let roadmap_id = Memo::new(move |_| params.read().get("roadmap").unwrap_or_default());
    let content = Resource::new(move || roadmap_id.get(), get_roadmap);
    let fetched = Resource::new(move || roadmap_id.get(), get_progress);
    let notes = Resource::new(move || roadmap_id.get(), get_notes);
    // The topic whose panel is open (the nested route's segment), for its undo.
    let pathname = use_location().pathname;
    let open_topic = Memo::new(move |_| {
        let roadmap = roadmap_id.get();
        pathname.with(|p| {
            p.strip_prefix(&format!("/roadmaps/{roadmap}/"))
                .map(|t| t.trim_end_matches('/').to_owned())
                .filter(|t| !t.is_empty() && !t.contains('/'))
        })
    });
    let undo = Resource::new(
        move || (roadmap_id.get(), open_topic.get()),
        |(roadmap, topic)| async move {
            match topic {
                Some(topic) => get_previous_status(roadmap, topic.clone()).await.map(|p| p.map(|p| (topic, p))),
                None => Ok(None),
            }
        },
    );
    let seen = Resource::new(
        move || (roadmap_id.get(), open_topic.get()),
        |(roadmap, topic)| get_changes_seen(roadmap, topic),
    );
    let query = use_query_map();
    let q: Signal<String> = Memo::new(move |_| query.read().get("q").unwrap_or_default()).into();
    let show: Signal<&'static str> = Memo::new(move |_| parse_filter(query.read().get("show"))).into();
    let search = Resource::new(
        move || (roadmap_id.get(), q.get()),
        |(roadmap, q)| async move {
            if query_words(&q).is_empty() {
                Ok(None)
            } else {
                search_topics(roadmap, q).await.map(Some)
            }
        },
    );

    view! {
        // Rendered on the server only (islands): the page is complete in the first response.
        <Suspense fallback=|| view! { <p>"Loading the roadmap…"</p> }>
            {move || Suspend::new(async move {
                // A topic that is not there answers 400 here; its panel says "no topic".
                let undo = undo.await.unwrap_or(None);
                // Telling of changes is a courtesy: without it the page is still whole.
                let seen = seen.await.unwrap_or_default();
                match (content.await, fetched.await, notes.await) {
                    (Ok(roadmap), Ok(progress), Ok(notes)) => {
                        let progress = ProgressState::of_learner(progress, notes, &q.get_untracked(), undo, seen, &roadmap);
                        view! { <RoadmapBody roadmap progress q show search /> }.into_any()
                    }
                    (Err(AppError::NotFound(_)), _, _) => {
                        view! { <NotFound message="There is no roadmap at this address.".to_owned() /> }.into_any()
                    }
                    (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

/// Search results: `None` when there is no search.
type SearchResource = Resource<Result<Option<Vec<TopicLink>>, AppError>>;

#[component]
fn RoadmapBody(
    roadmap: RoadmapView,
    progress: ProgressState,
    q: Signal<String>,
    show: Signal<&'static str>,
    search: SearchResource,
) -> impl IntoView {
    let results = Signal::derive(move || search.get().and_then(Result::ok).flatten());
    let matches = Signal::derive(move || {
        results.with(|r| r.as_ref().map(|list| list.iter().map(|t| t.id.clone()).collect()).unwrap_or_default())
    });
    provide_context(Highlights { matches });
    // The topic panel in the outlet shows the same statuses as the rest of the page.
    provide_context(progress);
    // The topic whose panel is open, from the address.
    let own_path = format!("/roadmaps/{}/", roadmap.id);
    let selected = use_location().pathname.with_untracked(|p| {
        p.strip_prefix(&own_path).map(|t| t.trim_end_matches('/').to_owned()).filter(|t| !t.is_empty())
    });
    let head = match &selected {
        None => Head::of_roadmap(&roadmap.title, &roadmap.description),
        Some(id) => Head::of_topic(
            &roadmap.title,
            &roadmap.description,
            roadmap.topics().find(|t| t.id == *id).map(|t| t.title.as_str()),
        ),
    };
    let next = view! { <NextSteps progress /> };
    let outline = roadmap.outline_code();
    let elsewhere = elsewhere_of(&roadmap);
    let overview = overview(&roadmap, progress);
    let jump = roadmap
        .sections
        .iter()
        .map(|s| view! { <li><a href=format!("#section-{}", s.id)>{s.title.clone()}</a></li> })
        .collect_view();
    let RoadmapView { id, title, description, sections } = roadmap;
    let sections = sections
        .into_iter()
        .map(|section| view! { <SectionBlock roadmap=id.clone() section progress elsewhere=elsewhere.clone() /> })
        .collect_view();
    let statuses = progress.slot(Slot::Statuses);
    view! {
        <Title text=head.title />
        <Meta name="description" content=head.description.clone() />
        <Meta property="og:type" content=head.kind />
        <Link rel="alternate" type_="application/atom+xml" href="/changes.atom" title="backroad: what changed in the roadmaps" />
        <Meta property="og:site_name" content="backroad" />
        <Meta property="og:title" content=head.preview_title />
        <Meta property="og:description" content=head.description />
        <div class="roadmap-page" class:with-panel=selected.is_some()>
        <header class="roadmap-header">
            <h1>{title}</h1>
            <p class="lede">{description}</p>
            <p class="since-visit" data-hook="since" inner_html=progress.slot(Slot::Since)></p>
            <div class="road-top">
                <nav class="road-overview" aria-label="Skill trees">
                    <ol>{overview}</ol>
                </nav>
                {next}
            </div>
            <ProgressBar progress />
            <Legend />
        </header>
        <RoadmapTools roadmap=id.clone() q show results progress />
        <nav class="jump-bar" aria-label="Jump to a skill tree">
            <span class="jump-progress">
                "Core path " <span data-hook="percent-text">{progress.slot(Slot::Percent)}</span> "%"
            </span>
            <details>
                <summary>"Jump to a tree"</summary>
                <ul>{jump}</ul>
            </details>
            <a href="#main">"Back to top"</a>
        </nav>
        <div class="roadmap-body" data-show=move || show.get()>
            <EdgeMarkers />
            {sections}
        </div>
        </div>
        <Outlet />
        // In the browser: status changes in place, panels that open and close in place, keys.
        <LiveProgress outline statuses />
        <SkillTreeKeys />
    }
    .into_any()
}

/// The overview of every tree: its name, how many of its topics are done, a jump link.
fn overview(roadmap: &RoadmapView, progress: ProgressState) -> impl IntoView {
    roadmap
        .sections
        .iter()
        .map(|s| {
            let total = s.topics.len();
            let done = progress.slot(Slot::SectionDone(s.id.clone()));
            let left = progress.slot(Slot::SectionLeft(s.id.clone()));
            let next = progress.slot(Slot::SectionNext(s.id.clone()));
            view! {
                <li>
                    <a class="tile" href=format!("#section-{}", s.id) data-section-tile=s.id.clone() data-next=next>
                        <span class="tile-title">{s.title.clone()}</span>
                        <span class="tile-count">
                            <span data-section-done=s.id.clone()>{done.clone()}</span>
                            {format!(" / {total} · ")}
                            <span data-section-left=s.id.clone()>{left}</span>
                        </span>
                        <progress
                            class="tile-bar"
                            max=total.to_string()
                            value=done
                            data-section-bar=s.id.clone()
                            aria-hidden="true"
                        ></progress>
                    </a>
                </li>
            }
        })
        .collect_view()
}

/// What the picture's shapes and marks mean, in one line.
#[component]
fn Legend() -> impl IntoView {
    view! {
        <p class="legend">
            <span class="legend-box" data-kind="core">"core"</span>
            <span class="legend-box" data-kind="alternative">"pick one"</span>
            <span class="legend-box" data-kind="optional">"optional"</span>
            " · ✓ done · ◐ in progress · ⤼ skipped · ○ not started · "
            <span class="legend-next">"next"</span>
            " you can start it now (● on a tree's tile) · ↰ also needs a topic from another tree or one of a group · ≈ h focused study hours · ✎ your note"
        </p>
    }
}

/// For each topic, the prerequisites that sit in another tree: (title, tree), so a box can
/// say it needs them.
fn elsewhere_of(roadmap: &RoadmapView) -> Elsewhere {
    let place: HashMap<&str, (&str, &str, &str)> = roadmap
        .sections
        .iter()
        .flat_map(|s| {
            s.topics.iter().map(move |t| (t.id.as_str(), (s.id.as_str(), t.title.as_str(), s.title.as_str())))
        })
        .collect();
    // `any:` a group: "any one language", placed in the tree its members are in.
    let groups: HashMap<&str, (&str, &str)> = roadmap
        .sections
        .iter()
        .flat_map(|s| {
            s.topics.iter().filter_map(move |t| Some((t.group.as_deref()?, (s.id.as_str(), s.title.as_str()))))
        })
        .collect();
    let mut out = HashMap::new();
    for s in &roadmap.sections {
        for t in &s.topics {
            let needs: Vec<(String, String)> = t
                .requires
                .iter()
                .filter_map(|r| match r.strip_prefix(ANY_OF) {
                    // A group draws no edge, so the box says it even inside the group's tree.
                    Some(g) => groups.get(g).map(|&(_, tree)| (any_one(g), tree)),
                    None => place
                        .get(r.as_str())
                        .filter(|(section, _, _)| *section != s.id)
                        .map(|&(_, title, tree)| (title.to_owned(), tree)),
                })
                .map(|(title, tree)| (title, tree.to_owned()))
                .collect();
            if !needs.is_empty() {
                out.insert(t.id.clone(), needs);
            }
        }
    }
    Arc::new(out)
}

/// One skill tree: heading with its own progress, a list-view switch, the picture.
#[component]
fn SectionBlock(roadmap: String, section: SectionView, progress: ProgressState, elsewhere: Elsewhere) -> impl IntoView {
    let heading_id = format!("section-{}", section.id);
    let total = section.topics.len();
    let done = progress.slot(Slot::SectionDone(section.id.clone()));
    let title = section.title.clone();
    let description = section.description.clone();
    let section_id = section.id.clone();
    view! {
        <section class="roadmap-section" aria-labelledby=heading_id.clone()>
            <div class="section-head">
                <h2 id=heading_id.clone()>{title}</h2>
                <p class="section-progress" data-testid=format!("section-progress-{section_id}")>
                    <span data-section-done=section_id.clone()>{done}</span> {format!(" of {total} done")}
                </p>
                // Opening it shows the tree as a list (CSS, no script needed).
                <details class="view-toggle">
                    <summary>"List view"</summary>
                </details>
            </div>
            <p class="section-description">{description}</p>
            <SkillTree section progress links=BoxLinks::Roadmap(roadmap) elsewhere />
        </section>
    }
    .into_any()
}
