//! The roadmap page's island. Its own view is the notice for a change the server refused;
//! in the browser it also starts `live` (status changes, panels, keys) for the whole page.

use crate::error::AppError;
use crate::roadmap::views::RoadmapView;
use leptos::prelude::*;

/// `outline` is the roadmap without its texts (`RoadmapView::outline`): what the browser
/// needs to work out the page's values for a new status.
#[island]
pub fn LiveProgress(outline: RoadmapView) -> impl IntoView {
    let error = RwSignal::new(None::<AppError>);
    #[cfg(feature = "hydrate")]
    {
        super::live::Live::start(outline, error);
        super::started();
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = outline;
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
