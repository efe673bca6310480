//! `/s/{code}`: someone's progress on a roadmap, read-only, as they shared it. The same skill
//! trees, no status controls, and boxes that lead nowhere (a click must not open the viewer's
//! own roadmap); unknown or revoked links are a 404.

use crate::api::share::{get_shared_progress, SharedProgress};
use crate::components::{BoxLinks, EdgeMarkers, Elsewhere, ErrorNotice, ProgressBar, ProgressState, SkillTree};
use crate::error::AppError;
use crate::pages::NotFound;
use crate::roadmap::personal::Slot;
use crate::roadmap::share::share_title;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

#[component]
pub fn SharedPage() -> impl IntoView {
    let params = use_params_map();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    let shared = Resource::new(move || code.get(), get_shared_progress);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match shared.await {
                    Ok(found) => view! { <SharedView shared=found /> }.into_any(),
                    Err(AppError::NotFound(message)) => view! { <NotFound message /> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SharedView(shared: SharedProgress) -> impl IntoView {
    let SharedProgress { owner, roadmap, summary } = shared;
    let title = share_title(&owner, summary.percent, &roadmap.title);
    // Read-only: no status controls and no LiveProgress island.
    let progress = ProgressState::new(summary, &roadmap);
    let roadmap_id = roadmap.id.clone();
    let sections = roadmap
        .sections
        .into_iter()
        .map(|section| {
            let total = section.topics.len();
            let done = progress.slot(Slot::SectionDone(section.id.clone()));
            let heading = format!("shared-{}", section.id);
            let heading_ref = heading.clone();
            let section_title = section.title.clone();
            view! {
                <section class="roadmap-section" aria-labelledby=heading_ref>
                    <div class="section-head">
                        <h2 id=heading>{section_title}</h2>
                        <p class="section-progress">{done} {format!(" of {total} done")}</p>
                        <details class="view-toggle">
                            <summary>"List view"</summary>
                        </details>
                    </div>
                    <SkillTree section progress links=BoxLinks::None elsewhere=Elsewhere::default() />
                </section>
            }
        })
        .collect_view();
    let description = format!("{title}. Shared from backroad, a roadmap to becoming a back-end developer.");
    view! {
        <Title text=title.clone() />
        <Meta name="description" content=description.clone() />
        <Meta property="og:type" content="website" />
        <Meta property="og:site_name" content="backroad" />
        <Meta property="og:title" content=title.clone() />
        <Meta property="og:description" content=description />
        <div class="roadmap-page shared-page">
            <header class="roadmap-header">
                <p class="shared-label">"Shared progress · read-only"</p>
                <h1>{format!("{owner}’s progress: {}", roadmap.title)}</h1>
                <ProgressBar progress />
                <p>
                    "Live and read-only: this page follows their progress as they record it. "
                    <a href=format!("/roadmaps/{roadmap_id}")>"Start your own"</a>
                    " — no account needed."
                </p>
            </header>
            <div class="roadmap-body">
                <EdgeMarkers />
                {sections}
            </div>
        </div>
    }
    .into_any()
}
