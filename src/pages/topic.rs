//! `/roadmaps/{roadmap}/{topic}`: one topic in full, in a side panel over its roadmap. The
//! address is a deep link anyone can share; without JavaScript the server renders the same
//! panel and "Close" is a plain link back to the roadmap. (The page's title and preview tags
//! come from the roadmap page, which knows which topic is open.)

use crate::api::content::get_topic;
use crate::components::{
    focus_first, keep_query, status_for_key, topic_href, ErrorNotice, ProgressState, StatusBadge, StatusControls,
};
use crate::error::AppError;
use crate::pages::NotFound;
use crate::roadmap::personal::Slot;
use crate::roadmap::views::{TopicLink, TopicView};
use leptos::ev;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{Element, KeyboardEvent};
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;

#[component]
pub fn TopicPanel() -> impl IntoView {
    let params = use_params_map();
    let key =
        Memo::new(move |_| params.with(|p| (p.get("roadmap").unwrap_or_default(), p.get("topic").unwrap_or_default())));
    let content = Resource::new(move || key.get(), |(roadmap, topic)| get_topic(roadmap, topic));
    let progress = expect_context::<ProgressState>();

    view! {
        <Transition fallback=|| view! { <aside class="topic-panel" aria-busy="true"><p>"Loading the topic…"</p></aside> }>
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
        </Transition>
    }
    .into_any()
}

/// Closes the panel: back to the roadmap's address (search and filter kept, no scroll), then
/// the focus goes back to the topic's box in the picture, or its item in the list when a
/// filter hides the box.
fn close_panel(navigate: &impl Fn(&str, NavigateOptions), href: &str, topic: &str) {
    navigate(href, NavigateOptions { scroll: false, ..Default::default() });
    focus_first([
        format!(r#".skill-tree a.node[data-topic-id="{topic}"]"#),
        format!(r#"li.topic[data-topic-id="{topic}"] a.topic-link"#),
    ]);
}

/// Whether a key press is meant for the panel: no modifier, not typed into a field, and the
/// focus is in the panel (or nowhere in particular).
fn for_the_panel(ev: &KeyboardEvent, panel: &Element) -> bool {
    if ev.default_prevented() || ev.alt_key() || ev.ctrl_key() || ev.meta_key() {
        return false;
    }
    let typing = ev
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|t| matches!(t.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
    let focus = document().active_element();
    let focus_here = match &focus {
        None => true,
        Some(f) => document().body().is_some_and(|b| *f == *b) || panel.contains(Some(f.as_ref())),
    };
    !typing && focus_here
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
    let close_href = keep_query(format!("/roadmaps/{roadmap_id}"));
    let links = {
        let roadmap_id = roadmap_id.clone();
        move |list: Vec<TopicLink>| {
            list.into_iter()
                .map(|t| {
                    let href = topic_href(&roadmap_id, &t.id);
                    view! {
                        <li data-topic-id=t.id.clone() data-status=progress.slot(Slot::Status(t.id.clone()))>
                            <a href=href data-noscroll="">{t.title}</a>
                            " "
                            <StatusBadge progress topic=t.id.clone() />
                        </li>
                    }
                })
                .collect_view()
        }
    };

    // With JavaScript: the heading takes the focus when the panel opens; Esc closes it and
    // d / p / s / r set the status. The key hint only shows where the keys work.
    let panel = NodeRef::<leptos::html::Aside>::new();
    let heading = NodeRef::<leptos::html::H2>::new();
    let interactive = RwSignal::new(false);
    let navigate = use_navigate();
    Effect::new(move |_| {
        interactive.set(true);
        // After this frame: the panel may still be on its way into the document.
        request_animation_frame(move || {
            if let Some(h) = heading.get_untracked() {
                let _ = h.focus();
            }
        });
    });
    {
        let (roadmap, topic, close_href, navigate) =
            (roadmap_id.clone(), id.clone(), close_href.clone(), navigate.clone());
        Effect::new(move |_| {
            let (roadmap, topic, close_href, navigate) =
                (roadmap.clone(), topic.clone(), close_href.clone(), navigate.clone());
            let handle = window_event_listener(ev::keydown, move |ev| {
                let Some(panel) = panel.get_untracked() else { return };
                if !for_the_panel(&ev, &panel) {
                    return;
                }
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    close_panel(&navigate, &close_href(), &topic);
                } else if let Some(status) = status_for_key(&ev.key()) {
                    ev.prevent_default();
                    progress.set(&roadmap, &topic, status);
                }
            });
            on_cleanup(move || handle.remove());
        });
    }
    let on_close = {
        let (close_href, topic) = (close_href.clone(), id.clone());
        move |ev: ev::MouseEvent| {
            if ev.button() == 0 && !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key()) {
                ev.prevent_default();
                close_panel(&navigate, &close_href(), &topic);
            }
        }
    };

    let has_requires = !requires.is_empty();
    let has_unlocks = !unlocks.is_empty();
    let heading_id = format!("panel-title-{id}");
    let (labelled_by, panel_topic) = (heading_id.clone(), id.clone());
    let panel_status = progress.slot(Slot::Status(id.clone()));
    view! {
        <aside
            class="topic-panel"
            node_ref=panel
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
                <a class="panel-close" href=close_href data-noscroll="" aria-keyshortcuts="Escape" on:click=on_close>
                    "Close"
                </a>
            </div>
            <h2 id=heading_id node_ref=heading tabindex="-1">{title.clone()}</h2>
            <p class="topic-facts">
                <span class="topic-kind">{kind.label()}</span>
                {group_title.map(|g| view! { <span class="topic-group">{g}</span> })}
                <span class="topic-hours">{format!("about {hours} focused hours")}</span>
                <StatusBadge progress topic=id.clone() />
            </p>
            <StatusControls roadmap=roadmap_id.clone() topic=id title progress shortcuts=true />
            {move || {
                interactive
                    .get()
                    .then(|| {
                        view! {
                            <p class="hint keys" data-testid="panel-keys">
                                "Keys: " <kbd>"D"</kbd> " done · " <kbd>"P"</kbd> " in progress · " <kbd>"S"</kbd>
                                " skipped · " <kbd>"R"</kbd> " reset · " <kbd>"Esc"</kbd> " close"
                            </p>
                        }
                    })
            }}
            <div class="topic-summary" inner_html=summary_html></div>
            <h3>"You know this when"</h3>
            <ul class="outcomes">{outcomes.into_iter().map(|o| view! { <li>{o}</li> }).collect_view()}</ul>
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
                view! { <ul class="prerequisites">{links.clone()(requires)}</ul> }.into_any()
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
        </aside>
    }
    .into_any()
}
