//! `/roadmaps/{roadmap}`: every topic of a roadmap by section, with the learner's statuses.

use crate::api::content::get_roadmap;
use crate::api::progress::get_progress;
use crate::api::SetTopicStatus;
use crate::components::{ErrorNotice, ProgressBar, ProgressState, StatusBadge, StatusControls};
use crate::error::AppError;
use crate::pages::NotFound;
use crate::roadmap::views::{RoadmapView, TopicCard};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

#[component]
pub fn RoadmapPage() -> impl IntoView {
    let params = use_params_map();
    let roadmap_id = move || params.read().get("roadmap").unwrap_or_default();
    let content = Resource::new(roadmap_id, get_roadmap);
    let fetched = Resource::new(roadmap_id, get_progress);
    let action = ServerAction::<SetTopicStatus>::new();

    view! {
        <Suspense fallback=|| view! { <p>"Loading the roadmap…"</p> }>
            {move || Suspend::new(async move {
                match (content.await, fetched.await) {
                    (Ok(roadmap), Ok(progress)) => {
                        view! { <RoadmapBody roadmap progress=ProgressState::new(action, progress) /> }.into_any()
                    }
                    (Err(AppError::NotFound(_)), _) => {
                        view! { <NotFound message="There is no roadmap at this address.".to_owned() /> }.into_any()
                    }
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RoadmapBody(roadmap: RoadmapView, progress: ProgressState) -> impl IntoView {
    let RoadmapView { id, title, description, sections } = roadmap;
    let sections = sections
        .into_iter()
        .map(|section| {
            let heading_id = format!("section-{}", section.id);
            let topics = section
                .topics
                .into_iter()
                .map(|card| view! { <TopicItem roadmap=id.clone() card progress /> })
                .collect_view();
            view! {
                <section class="roadmap-section" aria-labelledby=heading_id.clone()>
                    <h2 id=heading_id.clone()>{section.title}</h2>
                    <p class="section-description">{section.description}</p>
                    <ul class="topic-list">{topics}</ul>
                </section>
            }
        })
        .collect_view();
    view! {
        <Title text=title.clone() />
        <Meta name="description" content=description.clone() />
        <header class="roadmap-header">
            <h1>{title}</h1>
            <p>{description}</p>
            <ProgressBar summary=progress.summary() />
            <SaveError progress />
        </header>
        {sections}
    }
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
    view! {
        <li class="topic" data-topic-id=item_id data-status=move || status.get().as_str() data-kind=kind.as_str()>
            <div class="topic-head">
                <a class="topic-link" href=href>{title.clone()}</a>
                <span class="topic-kind">{kind.label()}</span>
                <span class="topic-hours">{format!("≈{hours} h")}</span>
                <StatusBadge status />
            </div>
            <StatusControls roadmap topic=id title progress />
        </li>
    }
}
