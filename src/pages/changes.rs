//! `/changes[?roadmap=…&since=YYYY-MM-DD]`: what changed in the roadmaps' content, newest
//! first, day by day (`/changes.atom` is the same as a feed).

use crate::api::changes::{list_changes, RoadmapChanges};
use crate::components::ErrorNotice;
use crate::roadmap::changes::{Change, ChangeKind, Day};
use leptos::prelude::*;
use leptos_meta::{Link, Title};
use leptos_router::hooks::use_query_map;
use std::collections::HashSet;

#[component]
pub fn ChangesPage() -> impl IntoView {
    let query = use_query_map();
    let asked = Memo::new(move |_| query.with(|q| (q.get("roadmap"), q.get("since"))));
    let changes = Resource::new(move || asked.get(), |(roadmap, since)| list_changes(roadmap, since));
    view! {
        <Title text="What changed" />
        <Link rel="alternate" type_="application/atom+xml" href="/changes.atom" title="backroad: what changed in the roadmaps" />
        <section class="changes-page">
            <h1>"What changed"</h1>
            <p class="lede">
                "Every meaningful change to the roadmaps' content, newest first: new topics, topics whose text, outcomes or prerequisites changed, renamed and retired ones. Your progress follows renamed topics. "
                <a href="/changes.atom">"Follow it as an Atom feed"</a>
                "."
            </p>
            <Suspense fallback=|| view! { <p>"Loading the changes…"</p> }>
                {move || Suspend::new(async move {
                    let since = asked.get_untracked().1.as_deref().and_then(Day::parse);
                    match changes.await {
                        Ok(list) => view! {
                            {since.map(|d| view! {
                                <p class="changes-since">
                                    {format!("Changes on or after {}. ", d.long())}
                                    <a href="/changes">"See every change"</a>
                                </p>
                            })}
                            {list.into_iter().map(roadmap_changes).collect_view()}
                        }
                        .into_any(),
                        Err(e) => {
                            // The address's own status: 400 for a bad date, 404 for no roadmap.
                            #[cfg(feature = "ssr")]
                            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                                response.set_status(e.status());
                            }
                            view! { <ErrorNotice error=e /> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// One roadmap's changes, grouped by day; a topic's newest entry carries its anchor.
fn roadmap_changes(r: RoadmapChanges) -> impl IntoView {
    let RoadmapChanges { id, title, changes } = r;
    let mut days: Vec<(Day, Vec<Change>)> = Vec::new();
    for c in changes {
        match days.last_mut() {
            Some((day, list)) if *day == c.on => list.push(c),
            _ => days.push((c.on, vec![c])),
        }
    }
    let empty = days.is_empty();
    let mut anchored = HashSet::new();
    let days = days
        .into_iter()
        .map(|(day, list)| {
            let items = list
                .into_iter()
                .map(|c| {
                    let anchor = anchored.insert(c.topic.clone()).then(|| c.topic.clone());
                    let name = match c.kind {
                        ChangeKind::Retired => view! { <span class="change-title">{c.title}</span> }.into_any(),
                        _ => view! { <a href=format!("/roadmaps/{id}/{}#t-{}", c.topic, c.topic)>{c.title}</a> }
                            .into_any(),
                    };
                    view! {
                        <li id=anchor data-change=c.kind.as_str()>
                            <span class="change-kind">{c.kind.label()}</span>
                            " "
                            {name}
                            ": "
                            {c.note}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <h3><time datetime=day.iso()>{day.long()}</time></h3>
                <ul class="change-list">{items}</ul>
            }
        })
        .collect_view();
    view! {
        <section class="roadmap-changes" aria-labelledby=format!("changes-{id}")>
            <h2 id=format!("changes-{id}")>
                <a href=format!("/roadmaps/{id}")>{title}</a>
            </h2>
            {empty.then(|| view! { <p>"No changes in this time."</p> })}
            {days}
        </section>
    }
}
