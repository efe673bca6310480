//! `/roadmaps/{roadmap}/{topic}`: one topic in full, in a side panel over its roadmap. The
//! address is a deep link anyone can share. The server renders the panel with its roadmap;
//! "Close" is a plain link back to the roadmap. With JavaScript, panels open and close in
//! place and answer keys (`islands::panel`, `islands::keys`). (The page's title and preview
//! tags come from the roadmap page, which knows which topic is open.)

use crate::api::content::get_topic;
use crate::components::{
    keep_query, topic_href, ErrorNotice, NoteEditor, ProgressState, StatusBadge, StatusControls, UndoForm,
};
use crate::error::AppError;
use crate::pages::NotFound;
use crate::roadmap::personal::Slot;
use crate::roadmap::views::{any_one, GroupNeed, TopicLink, TopicView};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn TopicPanel() -> impl IntoView {
    let params = use_params_map();
    let key =
        Memo::new(move |_| params.with(|p| (p.get("roadmap").unwrap_or_default(), p.get("topic").unwrap_or_default())));
    let content = Resource::new(move || key.get(), |(roadmap, topic)| get_topic(roadmap, topic));
    let progress = expect_context::<ProgressState>();

    view! {
        <Suspense fallback=|| view! { <aside class="topic-panel" aria-busy="true"><p>"Loading the topic…"</p></aside> }>
            {move || Suspend::new(async move {
                match content.await {
                    Ok(topic) => view! { <TopicBody topic progress /> }.into_any(),
                    Err(AppError::NotFound(_)) => {
                        view! {
                            <aside class="topic-panel" aria-label="Topic">
                                <NotFound message="There is no topic at this address.".to_owned() />
                            </aside>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <aside class="topic-panel" aria-label="Topic"><ErrorNotice error=e /></aside> }.into_any(),
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
        outcomes: _,
        outcomes_html,
        resources,
        requires,
        requires_any,
        unlocks,
        history,
    } = topic;
    // Back to the roadmap at this topic's box (without JavaScript the page opens there).
    let close_href = {
        let back = keep_query(format!("/roadmaps/{roadmap_id}"));
        let fragment = format!("#t-{id}");
        move || format!("{}{fragment}", back())
    };
    let links = {
        let roadmap_id = roadmap_id.clone();
        move |list: Vec<TopicLink>| {
            list.into_iter()
                .map(|t| {
                    let href = topic_href(&roadmap_id, &t.id);
                    let fragment = format!("#t-{}", t.id);
                    view! {
                        <li>
                            <a href=move || format!("{}{fragment}", href())>{t.title}</a>
                            " "
                            <StatusBadge progress topic=t.id.clone() />
                        </li>
                    }
                })
                .collect_view()
        }
    };

    let has_requires = !requires.is_empty() || !requires_any.is_empty();
    let any_of = {
        let roadmap_id = roadmap_id.clone();
        move |needs: Vec<GroupNeed>| {
            needs
                .into_iter()
                .map(|need| {
                    let members = need
                        .members
                        .into_iter()
                        .enumerate()
                        .map(|(i, t)| {
                            let href = topic_href(&roadmap_id, &t.id);
                            let fragment = format!("#t-{}", t.id);
                            view! {
                                {(i > 0).then_some(", ")}
                                <a href=move || format!("{}{fragment}", href())>{t.title}</a>
                            }
                        })
                        .collect_view();
                    let label = format!("{}: ", any_one(&need.group).replacen("any", "Any", 1));
                    view! { <li class="any-of">{label} {members}</li> }
                })
                .collect_view()
        }
    };
    let has_unlocks = !unlocks.is_empty();
    let heading_id = format!("panel-title-{id}");
    let (labelled_by, panel_topic) = (heading_id.clone(), id.clone());
    let panel_status = progress.slot(Slot::Status(id.clone()));
    let updated_note = progress.slot(Slot::UpdatedNote(id.clone()));
    // The latest change of the topic's content, for everyone.
    let last_change = history.first().map(|c| {
        let changes_href = format!("/changes?roadmap={roadmap_id}#{id}");
        view! {
            <p class="topic-revised">
                {format!("{} on {}: {} ", c.kind.verb(), c.on.long(), c.note)}
                <a href=changes_href>"What changed on this roadmap"</a>
            </p>
        }
    });
    view! {
        <aside
            class="topic-panel"
            aria-labelledby=labelled_by
            data-topic-id=panel_topic
            data-status=panel_status
        >
            <div class="panel-bar">
                <nav class="breadcrumb" aria-label="Breadcrumb">
                    <span>{roadmap_title}</span>
                    " › "
                    <span>{section_title}</span>
                </nav>
                <a class="panel-close" href=close_href aria-keyshortcuts="Escape">
                    "Close"
                </a>
            </div>
            <h2 id=heading_id tabindex="-1">{title.clone()}</h2>
            <p class="topic-facts">
                <span class="topic-kind">{kind.label()}</span>
                {group_title.map(|g| view! { <span class="topic-group">{g}</span> })}
                <span class="topic-hours">{format!("about {hours} focused hours")}</span>
                <StatusBadge progress topic=id.clone() />
            </p>
            <p class="updated-note" data-updated-note=id.clone() inner_html=updated_note></p>
            {last_change}
            <StatusControls roadmap=roadmap_id.clone() topic=id.clone() title=title.clone() progress shortcuts=true />
            <UndoForm roadmap=roadmap_id.clone() topic=id.clone() title=title.clone() progress />
            // The keys work only with JavaScript, so the page's script shows their hint.
            <template class="panel-keys">
                <p class="hint keys" data-testid="panel-keys">
                    "Keys: " <kbd>"D"</kbd> " done · " <kbd>"P"</kbd> " in progress · " <kbd>"S"</kbd>
                    " skipped · " <kbd>"R"</kbd> " not started · " <kbd>"Esc"</kbd> " close"
                </p>
            </template>
            <div class="topic-summary" inner_html=summary_html></div>
            <h3>"You know this when"</h3>
            <ul class="outcomes">{outcomes_html.into_iter().map(|o| view! { <li inner_html=o></li> }).collect_view()}</ul>
            <h3>"Resources"</h3>
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
            <h3>"Prerequisites"</h3>
            {if has_requires {
                view! { <ul class="prerequisites">{links.clone()(requires)} {any_of(requires_any)}</ul> }.into_any()
            } else {
                view! { <p>"None: this is a good place to start."</p> }.into_any()
            }}
            {has_unlocks
                .then(|| {
                    view! {
                        <h3>"What this unlocks"</h3>
                        <ul class="unlocks">{links(unlocks)}</ul>
                    }
                })}
            <NoteEditor roadmap=roadmap_id topic=id title progress />
        </aside>
    }
    .into_any()
}
