//! `/roadmaps/{roadmap}`: every skill tree as a picture and a list, with the learner's
//! statuses, what to learn next, search (`?q=`) and filters (`?show=`).

use crate::api::content::{get_roadmap, search_topics};
use crate::api::progress::get_progress;
use crate::api::SetTopicStatus;
use crate::components::{
    parse_filter, ErrorNotice, Highlights, NextSteps, ProgressBar, ProgressState, RoadmapTools, SkillTree, StatusBadge,
    StatusControls,
};
use crate::error::AppError;
use crate::pages::NotFound;
use crate::roadmap::content::Kind;
use crate::roadmap::planner::on_my_path;
use crate::roadmap::search::query_words;
use crate::roadmap::views::{RoadmapView, SectionView, TopicCard, TopicLink};
use crate::roadmap::Status;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn RoadmapPage() -> impl IntoView {
    let params = use_params_map();
    let roadmap_id = move || params.read().get("roadmap").unwrap_or_default();
    let content = Resource::new(roadmap_id, get_roadmap);
    let fetched = Resource::new(roadmap_id, get_progress);
    let action = ServerAction::<SetTopicStatus>::new();
    let query = use_query_map();
    let q = Signal::derive(move || query.read().get("q").unwrap_or_default());
    let show = Signal::derive(move || parse_filter(query.read().get("show")));
    let search = Resource::new(
        move || (roadmap_id(), q.get()),
        |(roadmap, q)| async move {
            if query_words(&q).is_empty() {
                Ok(None)
            } else {
                search_topics(roadmap, q).await.map(Some)
            }
        },
    );

    view! {
        <Suspense fallback=|| view! { <p>"Loading the roadmap…"</p> }>
            {move || Suspend::new(async move {
                match (content.await, fetched.await) {
                    (Ok(roadmap), Ok(progress)) => {
                        let progress = ProgressState::new(action, progress);
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
    let on_path = Memo::new({
        let cards: Vec<TopicCard> = roadmap.topics().cloned().collect();
        move |_| {
            let refs: Vec<&TopicCard> = cards.iter().collect();
            on_my_path(&refs, |id| progress.status_of(id)).into_iter().map(str::to_owned).collect::<Vec<_>>()
        }
    });
    provide_context(Highlights { matches, on_path });
    let remaining = {
        let cards: Vec<(String, u32)> =
            roadmap.topics().filter(|t| t.kind == Kind::Core).map(|t| (t.id.clone(), t.hours)).collect();
        move || {
            cards
                .iter()
                .filter(|(id, _)| !matches!(progress.status_of(id), Status::Done | Status::Skipped))
                .map(|(_, h)| h)
                .sum::<u32>()
        }
    };
    let next = view! { <NextSteps roadmap=roadmap.clone() progress /> };
    let RoadmapView { id, title, description, sections } = roadmap;
    let sections = sections
        .into_iter()
        .map(|section| view! { <SectionBlock roadmap=id.clone() section progress /> })
        .collect_view();
    view! {
        <Title text=title.clone() />
        <Meta name="description" content=description.clone() />
        <Meta property="og:type" content="website" />
        <Meta property="og:site_name" content="backroad" />
        <Meta property="og:title" content=format!("{title} roadmap") />
        <Meta property="og:description" content=description.clone() />
        <header class="roadmap-header">
            <h1>{title}</h1>
            <p>{description}</p>
            <ProgressBar summary=progress.summary() />
            <p class="remaining" data-testid="remaining-hours">
                {move || format!("About {} focused hours left on the core path", remaining())}
                " (plus one language and one framework of your choice)."
            </p>
            <SaveError progress />
        </header>
        <RoadmapTools roadmap=id.clone() q show results />
        <div class="roadmap-body" data-show=move || show.get()>
            {next}
            {sections}
        </div>
    }
    .into_any()
}

/// One skill tree: heading with its own progress, the picture, then the same topics as a
/// list with status controls (what screen readers and text browsers use).
#[component]
fn SectionBlock(roadmap: String, section: SectionView, progress: ProgressState) -> impl IntoView {
    let heading_id = format!("section-{}", section.id);
    let ids: Vec<String> = section.topics.iter().map(|t| t.id.clone()).collect();
    let total = ids.len();
    let done = move || ids.iter().filter(|id| progress.status_of(id) == Status::Done).count();
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
                {move || format!("{} of {total} done", done())}
            </p>
            <p class="section-description">{description}</p>
            <SkillTree roadmap=roadmap.clone() section progress />
            <ul class="topic-list">{topics}</ul>
        </section>
    }
    .into_any()
}

/// Says so when the last status change failed.
#[component]
pub fn SaveError(progress: ProgressState) -> impl IntoView {
    move || progress.error().map(|error| view! { <ErrorNotice error /> })
}

#[component]
fn TopicItem(roadmap: String, card: TopicCard, progress: ProgressState) -> impl IntoView {
    let TopicCard { id, title, kind, hours, .. } = card;
    let status = Signal::derive({
        let id = id.clone();
        move || progress.status_of(&id)
    });
    let href = format!("/roadmaps/{roadmap}/{id}");
    let item_id = id.clone();
    let highlights = use_context::<Highlights>();
    let (match_attr, path_attr) =
        (highlights.map(|h| h.matched(id.clone())), highlights.map(|h| h.on_path(id.clone())));
    view! {
        <li
            class="topic"
            data-topic-id=item_id
            data-status=move || status.get().as_str()
            data-kind=kind.as_str()
            data-match=match_attr
            data-on-path=path_attr
        >
            <div class="topic-head">
                <a class="topic-link" href=href>{title.clone()}</a>
                <span class="topic-kind">{kind.label()}</span>
                <span class="topic-hours">{format!("≈{hours} h")}</span>
                <StatusBadge status />
            </div>
            <StatusControls roadmap topic=id title progress />
        </li>
    }
    .into_any()
}
