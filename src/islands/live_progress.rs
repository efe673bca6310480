//! The roadmap page's island. Its own view is the notice for a change the server refused,
//! and the one after a change that offers to undo it for a while; in the browser it also
//! starts `live` (status changes, panels, keys) for the whole page.

use crate::api::UndoStatus;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// A change that can be undone: its topic, its title, and the status it put back.
#[derive(Debug, Clone, PartialEq)]
pub struct UndoOffer {
    pub roadmap: String,
    pub topic: String,
    pub title: String,
    pub now: crate::roadmap::Status,
    /// Which offer this is (a newer one replaces it; an older timer leaves it).
    pub seq: u64,
}

/// `outline` is the roadmap without its texts (`RoadmapView::outline_code`; titles are read
/// off the page's boxes): what the
/// browser needs to work out the page's values for a new status. `statuses` is where it
/// starts: the learner's statuses as the server rendered the page (`Slot::Statuses`).
#[island]
pub fn LiveProgress(outline: String, statuses: String) -> impl IntoView {
    let error = RwSignal::new(None::<AppError>);
    let undo = RwSignal::new(None::<UndoOffer>);
    #[cfg(feature = "hydrate")]
    {
        // In a task of its own, after the islands are hydrated: hydration and the start of the
        // page's script were one long task (about 100 ms on a phone's CPU, Lighthouse's total
        // blocking time). `started` marks the page hydrated in a task queued after this one.
        let owner = Owner::current();
        set_timeout(
            move || {
                let start = move || {
                    if let Some(mut outline) = crate::roadmap::views::RoadmapView::from_outline_code(&outline) {
                        outline.set_titles(super::page_dom::box_title);
                        super::live::Live::start(outline, &statuses, error, undo);
                    }
                };
                match owner {
                    Some(owner) => owner.with(start),
                    None => start(),
                }
            },
            std::time::Duration::ZERO,
        );
        super::started();
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (outline, statuses);
    let refused = move || {
        error.get().map(|error_now| {
            view! {
                <div class="save-error error-notice" role="alert">
                    <p>"Your last change was not saved, so the page shows it as before. " {error_now.to_string()}</p>
                    <button type="button" on:click=move |_| error.set(None)>"Dismiss"</button>
                </div>
            }
        })
    };
    // Sent like the panel's undo form (the page's script catches both).
    let offered = move || {
        undo.get().map(|offer| {
            view! {
                <div class="undo-notice" role="status">
                    <form method="post" action=UndoStatus::PATH>
                        <input type="hidden" name="roadmap" value=offer.roadmap />
                        <input type="hidden" name="topic" value=offer.topic />
                        <span>{format!("{}: {}. ", offer.title, offer.now.label())}</span>
                        <button type="submit">"Undo"</button>
                        <button type="button" on:click=move |_| undo.set(None)>"Dismiss"</button>
                    </form>
                </div>
            }
        })
    };
    view! { {refused} {offered} }
}
