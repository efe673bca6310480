//! `/`: the roadmaps this server offers.

use crate::api::content::list_roadmaps;
use crate::components::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let roadmaps = Resource::new(|| (), |()| list_roadmaps());
    view! {
        <Title text="" />
        <section class="intro">
            <h1>"Become a back-end developer, one topic at a time"</h1>
            <p>
                "Pick a roadmap, read why each topic matters, and mark what you have learned. "
                "No account needed: your progress is kept for this browser."
            </p>
        </section>
        <Suspense fallback=|| view! { <p>"Loading roadmaps…"</p> }>
            {move || Suspend::new(async move {
                match roadmaps.await {
                    Ok(list) => view! {
                        <ul class="roadmap-cards">
                            {list
                                .into_iter()
                                .map(|r| {
                                    let href = format!("/roadmaps/{}", r.id);
                                    view! {
                                        <li class="roadmap-card">
                                            <h2><a href=href>{r.title}</a></h2>
                                            <p>{r.description}</p>
                                            <p class="meta">
                                                {format!(
                                                    "{} topics in {} skill trees · about {} hours on the core path",
                                                    r.topics,
                                                    r.sections,
                                                    r.core_hours,
                                                )}
                                            </p>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
