//! `/roadmaps/{roadmap}`: every skill tree as a picture and a list, with the learner's
//! statuses, what to learn next, search (`?q=`) and filters (`?show=`). A topic's panel
//! (`/roadmaps/{roadmap}/{topic}`) opens beside it, in the page's `<Outlet/>`. The server
//! renders it all; the `LiveProgress` island makes it interactive in the browser.

use crate::api::content::{get_roadmap, search_topics};
use crate::api::progress::get_progress;
use crate::components::{
    parse_filter, topic_href, ErrorNotice, Highlights, NextSteps, ProgressBar, ProgressState, RoadmapTools, SkillTree,
    StatusBadge, StatusControls,
};
use crate::error::AppError;
use crate::islands::{LiveProgress, SkillTreeKeys};
use crate::pages::NotFound;
use crate::roadmap::head::Head;
use crate::roadmap::personal::Slot;
use crate::roadmap::search::query_words;
use crate::roadmap::views::{RoadmapView, SectionView, TopicCard, TopicLink};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

#[component]
pub fn RoadmapPage() -> impl IntoView {
    let params = use_params_map();
    let roadmap_id = Memo::new(move |_| params.read().get("roadmap").unwrap_or_default());
    let content = Resource::new(move || roadmap_id.get(), get_roadmap);
    let fetched = Resource::new(move || roadmap_id.get(), get_progress);
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
                match (content.await, fetched.await) {
                    (Ok(roadmap), Ok(progress)) => {
                        let progress = ProgressState::new(progress, &roadmap);
                        view! { <RoadmapBody roadmap progress q show search /> }.into_any()
                    }
                    (Err(AppError::NotFound(_)), _) => {
                        view! { <NotFound message="There is no roadmap at this address.".to_owned() /> }.into_any()
                    }
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
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
    let outline = roadmap.outline();
    let RoadmapView { id, title, description, sections } = roadmap;
    let sections = sections
        .into_iter()
        .map(|section| view! { <SectionBlock roadmap=id.clone() section progress /> })
        .collect_view();
    view! {
        <Title text=head.title />
        <Meta name="description" content=head.description.clone() />
        <Meta property="og:type" content=head.kind />
        <Meta property="og:site_name" content="backroad" />
        <Meta property="og:title" content=head.preview_title />
        <Meta property="og:description" content=head.description />
        <div class="roadmap-page" class:with-panel=selected.is_some()>
        <header class="roadmap-header">
            <h1>{title}</h1>
            <p>{description}</p>
            <ProgressBar progress />
            <p class="remaining" data-testid="remaining-hours">
                "About " <span data-hours-left="">{progress.slot(Slot::HoursLeft)}</span> " focused hours left on the core path"
                " (plus one language and one framework of your choice)."
            </p>
        </header>
        <RoadmapTools roadmap=id.clone() q show results />
        <div class="roadmap-body" data-show=move || show.get()>
            {next}
            {sections}
        </div>
        </div>
        <Outlet />
        // In the browser: status changes in place, panels that open and close in place, keys.
        <LiveProgress outline />
        <SkillTreeKeys />
    }
    .into_any()
}

/// One skill tree: heading with its own progress, the picture, then the same topics as a
/// list with status controls (what screen readers and text browsers use).
#[component]
fn SectionBlock(roadmap: String, section: SectionView, progress: ProgressState) -> impl IntoView {
    let heading_id = format!("section-{}", section.id);
    let total = section.topics.len();
    let done = progress.slot(Slot::SectionDone(section.id.clone()));
    let topics = section
        .topics
        .clone()
        .into_iter()
        .map(|card| view! { <TopicItem roadmap=roadmap.clone() card progress /> })
        .collect_view();
    let title = section.title.clone();
    let description = section.description.clone();
    view! {
        <section class="roadmap-section" aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{title}</h2>
            <p class="section-progress" data-testid=format!("section-progress-{}", section.id)>
                <span data-section-done=section.id.clone()>{done}</span> {format!(" of {total} done")}
            </p>
            <p class="section-description">{description}</p>
            <SkillTree roadmap=roadmap.clone() section progress />
            <ul class="topic-list">{topics}</ul>
        </section>
    }
    .into_any()
}

#[component]
fn TopicItem(roadmap: String, card: TopicCard, progress: ProgressState) -> impl IntoView {
    let TopicCard { id, title, kind, hours, .. } = card;
    let href = topic_href(&roadmap, &id);
    let status = progress.slot(Slot::Status(id.clone()));
    let item_id = id.clone();
    let highlights = use_context::<Highlights>();
    let (match_attr, path_attr) =
        (highlights.map(|h| h.matched(id.clone())), highlights.map(|_| progress.slot(Slot::OnPath(id.clone()))));
    view! {
        <li
            class="topic"
            data-topic-id=item_id
            data-status=status
            data-kind=kind.as_str()
            data-match=match_attr
            data-on-path=path_attr
        >
            <div class="topic-head">
                <a class="topic-link" href=href data-noscroll="">{title.clone()}</a>
                <span class="topic-kind">{kind.label()}</span>
                <span class="topic-hours">{format!("≈{hours} h")}</span>
                <StatusBadge progress topic=id.clone() />
            </div>
            <StatusControls roadmap topic=id title progress />
        </li>
    }
    .into_any()
}
