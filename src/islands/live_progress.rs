//! The roadmap page's island. Its own view is the notice for a change the server refused;
//! in the browser it also starts `live` (status changes, panels, keys) for the whole page.

use crate::error::AppError;
use leptos::prelude::*;

/// `outline` is the roadmap without its texts (`RoadmapView::outline_code`; titles are read
/// off the page's boxes): what the
/// browser needs to work out the page's values for a new status. `statuses` is where it
/// starts: the learner's statuses as the server rendered the page (`Slot::Statuses`).
#[island]
pub fn LiveProgress(outline: String, statuses: String) -> impl IntoView {
    let error = RwSignal::new(None::<AppError>);
    #[cfg(feature = "hydrate")]
    {
        if let Some(mut outline) = crate::roadmap::views::RoadmapView::from_outline_code(&outline) {
            outline.set_titles(super::page_dom::box_title);
            super::live::Live::start(outline, &statuses, error);
        }
        super::started();
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (outline, statuses);
    move || {
        error.get().map(|error_now| {
            view! {
                <div class="save-error error-notice" role="alert">
                    <p>"Your last change was not saved, so the page shows it as before. " {error_now.to_string()}</p>
                    <button type="button" on:click=move |_| error.set(None)>"Dismiss"</button>
                </div>
            }
        })
    }
}
