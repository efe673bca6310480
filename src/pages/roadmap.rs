//! `/roadmaps/{roadmap}`: every skill tree as a picture and a list, with the learner's
//! statuses, what to learn next, search (`?q=`) and filters (`?show=`). A topic's panel
//! (`/roadmaps/{roadmap}/{topic}`) opens beside it, in the page's `<Outlet/>`.

use crate::api::content::{get_roadmap, search_topics};
use crate::api::progress::get_progress;
use crate::api::SetTopicStatus;
use crate::components::{
    parse_filter, topic_href, ErrorNotice, Highlights, NextSteps, ProgressBar, ProgressState, RoadmapTools, SkillTree,
    StatusBadge, StatusControls,
};
use crate::error::AppError;
use crate::pages::NotFound;
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
    // Memos, so opening a topic's panel or changing the filter (other parts of the address)
    // does not fetch the roadmap again and re-render the page.
    let roadmap_id = Memo::new(move |_| params.read().get("roadmap").unwrap_or_default());
    let content = Resource::new(move || roadmap_id.get(), get_roadmap);
    let fetched = Resource::new(move || roadmap_id.get(), get_progress);
    let action = ServerAction::<SetTopicStatus>::new();
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
        // A Transition, not a Suspense: the router hands the panel's outlet a view that is
        // pending for a moment, and a Suspense would blank the roadmap each time a panel opens.
        <Transition fallback=|| view! { <p>"Loading the roadmap…"</p> }>
            {move || Suspend::new(async move {
                match (content.await, fetched.await) {
                    (Ok(roadmap), Ok(progress)) => {
                        let progress = ProgressState::new(action, progress, &roadmap);
                        view! { <RoadmapBody roadmap progress q show search /> }.into_any()
                    }
                    (Err(AppError::NotFound(_)), _) => {
                        view! { <NotFound message="There is no roadmap at this address.".to_owned() /> }.into_any()
                    }
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Transition>
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
    // The topic panel in the outlet shares the page's progress, so both show every change.
    provide_context(progress);
    let pathname = use_location().pathname;
    let own_path = format!("/roadmaps/{}/", roadmap.id);
    // The topic whose panel is open, from the address.
    let selected = Memo::new(move |_| {
        pathname
            .with(|p| p.strip_prefix(&own_path).map(|t| t.trim_end_matches('/').to_owned()).filter(|t| !t.is_empty()))
    });
    let next = view! { <NextSteps progress /> };
    let head = head_tags(&roadmap, selected);
    let RoadmapView { id, title, description, sections } = roadmap;
    let sections = sections
        .into_iter()
        .map(|section| view! { <SectionBlock roadmap=id.clone() section progress /> })
        .collect_view();
    view! {
        <Title text=title_prop(head) />
        <Meta name="description" content=move || head.with(|h| h.description.clone()) />
        <Meta property="og:type" content=move || head.with(|h| h.kind) />
        <Meta property="og:site_name" content="backroad" />
        <Meta property="og:title" content=move || head.with(|h| h.preview_title.clone()) />
        <Meta property="og:description" content=move || head.with(|h| h.description.clone()) />
        <div class="roadmap-page" class:with-panel=move || selected.with(Option::is_some)>
        <header class="roadmap-header">
            <h1>{title}</h1>
            <p>{description}</p>
            <ProgressBar progress />
            <p class="remaining" data-testid="remaining-hours">
                "About " {progress.slot(Slot::HoursLeft)} " focused hours left on the core path"
                " (plus one language and one framework of your choice)."
            </p>
            <SaveError progress />
        </header>
        <RoadmapTools roadmap=id.clone() q show results />
        <div class="roadmap-body" data-show=move || show.get()>
            {next}
            {sections}
        </div>
        </div>
        <Outlet />
    }
    .into_any()
}

/// The page title. On the server a plain string: leptos_meta reads the title after the
/// render, when a render that a resource re-ran may already have disposed the memo, which
/// panicked under concurrent requests ("reactive value already disposed", an empty reply).
/// In the browser it follows the open panel.
fn title_prop(head: Memo<Head>) -> leptos::text_prop::TextProp {
    if cfg!(feature = "ssr") {
        head.with_untracked(|h| h.title.clone()).into()
    } else {
        (move || head.with(|h| h.title.clone())).into()
    }
}

/// What goes into the document's head.
#[derive(Clone, PartialEq)]
struct Head {
    title: String,
    description: String,
    kind: &'static str,
    preview_title: String,
}

/// The title, description and Open Graph tags of the roadmap, or of the topic whose panel is
/// open. Kept here, in one place, so a page never carries two sets (the panel renders none).
fn head_tags(roadmap: &RoadmapView, selected: Memo<Option<String>>) -> Memo<Head> {
    let titles: Vec<(String, String)> = roadmap.topics().map(|t| (t.id.clone(), t.title.clone())).collect();
    let (title, description) = (roadmap.title.clone(), roadmap.description.clone());
    Memo::new(move |_| match selected.get() {
        None => Head {
            title: title.clone(),
            description: description.clone(),
            kind: "website",
            preview_title: format!("{title} roadmap"),
        },
        Some(id) => match titles.iter().find(|(t, _)| *t == id) {
            Some((_, topic)) => Head {
                title: topic.clone(),
                description: format!("{topic}: what it is, why a back-end developer needs it, and how to learn it."),
                kind: "article",
                preview_title: format!("{topic} · {title}"),
            },
            None => Head {
                title: "Not found".to_owned(),
                description: description.clone(),
                kind: "website",
                preview_title: "Not found".to_owned(),
            },
        },
    })
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
                {done} {format!(" of {total} done")}
            </p>
            <p class="section-description">{description}</p>
            <SkillTree roadmap=roadmap.clone() section progress />
            <ul class="topic-list">{topics}</ul>
        </section>
    }
    .into_any()
}

/// Says so when the last status change failed (and was undone on the page). Fixed at the
/// bottom of the window, so it is seen wherever the change was made.
#[component]
pub fn SaveError(progress: ProgressState) -> impl IntoView {
    move || {
        progress.error().map(|error| {
            view! {
                <div class="save-error error-notice" role="alert">
                    <p>"Your last change was not saved, so the page shows it as before. " {error.to_string()}</p>
                    <button type="button" on:click=move |_| progress.action.value().set(None)>"Dismiss"</button>
                </div>
            }
        })
    }
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
