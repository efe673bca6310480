//! `/roadmaps/{roadmap}`: every topic of a roadmap by section, with the learner's statuses.

use crate::api::content::get_roadmap;
use crate::api::progress::get_progress;
use crate::api::SetTopicStatus;
use crate::components::{ErrorNotice, NextSteps, ProgressBar, ProgressState, SkillTree, StatusBadge, StatusControls};
use crate::error::AppError;
use crate::pages::NotFound;
use crate::roadmap::content::Kind;
use crate::roadmap::views::{RoadmapView, SectionView, TopicCard};
use crate::roadmap::Status;
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
        {next}
        {sections}
    }
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
