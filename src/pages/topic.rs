//! `/roadmaps/{roadmap}/{topic}`: one topic in full, a deep link anyone can share.

use super::roadmap::SaveError;
use crate::api::content::get_topic;
use crate::api::progress::get_progress;
use crate::api::SetTopicStatus;
use crate::components::{ErrorNotice, ProgressState, StatusBadge, StatusControls};
use crate::error::AppError;
use crate::pages::NotFound;
use crate::roadmap::views::{TopicLink, TopicView};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

#[component]
pub fn TopicPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || params.with(|p| (p.get("roadmap").unwrap_or_default(), p.get("topic").unwrap_or_default()));
    let content = Resource::new(key, |(roadmap, topic)| get_topic(roadmap, topic));
    let fetched = Resource::new(move || key().0, get_progress);
    let action = ServerAction::<SetTopicStatus>::new();

    view! {
        <Suspense fallback=|| view! { <p>"Loading the topic…"</p> }>
            {move || Suspend::new(async move {
                match (content.await, fetched.await) {
                    (Ok(topic), Ok(progress)) => {
                        view! { <TopicBody topic progress=ProgressState::new(action, progress) /> }.into_any()
                    }
                    (Err(AppError::NotFound(_)), _) => {
                        view! { <NotFound message="There is no topic at this address.".to_owned() /> }.into_any()
                    }
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn TopicBody(topic: TopicView, progress: ProgressState) -> impl IntoView {
    let TopicView {
        roadmap_id,
        roadmap_title,
        section_title,
        id,
        title,
        kind,
        group_title,
        hours,
        summary_html,
        outcomes,
        resources,
        requires,
        unlocks,
    } = topic;
    let status = Signal::derive({
        let id = id.clone();
        move || progress.status_of(&id)
    });
    let roadmap_href = format!("/roadmaps/{roadmap_id}");
    let description = format!("{title}: what it is, why a back-end developer needs it, and how to learn it.");
    let links = move |list: Vec<TopicLink>, roadmap_id: String| {
        list.into_iter()
            .map(|t| {
                let href = format!("/roadmaps/{roadmap_id}/{}", t.id);
                let status = Signal::derive({
                    let id = t.id.clone();
                    move || progress.status_of(&id)
                });
                view! {
                    <li data-topic-id=t.id.clone() data-status=move || status.get().as_str()>
                        <a href=href>{t.title}</a>
                        " "
                        <StatusBadge status />
                    </li>
                }
            })
            .collect_view()
    };
    let article_id = id.clone();
    let has_requires = !requires.is_empty();
    let has_unlocks = !unlocks.is_empty();
    view! {
        <Title text=title.clone() />
        <Meta name="description" content=description.clone() />
        <Meta property="og:type" content="article" />
        <Meta property="og:site_name" content="backroad" />
        <Meta property="og:title" content=format!("{title} · {roadmap_title}") />
        <Meta property="og:description" content=description />
        <article class="topic-page" data-topic-id=article_id data-status=move || status.get().as_str()>
            <nav class="breadcrumb" aria-label="Breadcrumb">
                <a href=roadmap_href.clone()>{roadmap_title.clone()}</a>
                " › "
                <span>{section_title}</span>
            </nav>
            <h1>{title.clone()}</h1>
            <p class="topic-facts">
                <span class="topic-kind">{kind.label()}</span>
                {group_title.map(|g| view! { <span class="topic-group">{g}</span> })}
                <span class="topic-hours">{format!("about {hours} focused hours")}</span>
                <StatusBadge status />
            </p>
            <StatusControls roadmap=roadmap_id.clone() topic=id title progress />
            <SaveError progress />
            <div class="topic-summary" inner_html=summary_html></div>
            <h2>"You know this when"</h2>
            <ul class="outcomes">{outcomes.into_iter().map(|o| view! { <li>{o}</li> }).collect_view()}</ul>
            <h2>"Resources"</h2>
            <ul class="resources">
                {resources
                    .into_iter()
                    .map(|r| {
                        view! {
                            <li>
                                <a href=r.url rel="noopener">{r.title}</a>
                                " "
                                <span class="resource-kind">{r.kind.label()}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <h2>"Prerequisites"</h2>
            {if has_requires {
                view! { <ul class="prerequisites">{links(requires, roadmap_id.clone())}</ul> }.into_any()
            } else {
                view! { <p>"None: this is a good place to start."</p> }.into_any()
            }}
            {has_unlocks
                .then(|| {
                    view! {
                        <h2>"What this unlocks"</h2>
                        <ul class="unlocks">{links(unlocks, roadmap_id.clone())}</ul>
                    }
                })}
            <p><a href=roadmap_href>"Back to the roadmap"</a></p>
        </article>
    }
    .into_any()
}
