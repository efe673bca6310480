//! The friendly 404 page, with HTTP status 404 when rendered on the server.

use leptos::prelude::*;
use leptos_meta::Title;

/// The fallback route: no page lives at this address.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! { <NotFound message="There is no page at this address.".to_owned() /> }
}

/// A 404 inside a routed page, e.g. an unknown roadmap or topic.
#[component]
pub fn NotFound(message: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found" />
        <section class="not-found" aria-labelledby="not-found-title">
            <h1 id="not-found-title">"Not found"</h1>
            <p>{message}</p>
            <p>
                "Try the "<a href="/roadmaps/backend">"back-end roadmap"</a>" or go to the "
                <a href="/">"home page"</a>"."
            </p>
        </section>
    }
}
