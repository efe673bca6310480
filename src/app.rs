//! The HTML shell, the root component and the one route table.

use crate::components::ThemeSwitch;
use crate::pages::{
    AccountRoute, HomePage, LogInRoute, LogOutRoute, NotFoundPage, RoadmapPage, SharedRoute, SignUpRoute,
    TopicPanelRoute,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes, A};
use leptos_router::{path, Lazy, SsrMode};

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let theme = request_theme();
    view! {
        <!DOCTYPE html>
        <html lang="en" data-theme=theme>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                // Asset names carry a hash of their content (cargo-leptos `hash-files`), so
                // browsers may keep them for a year (see `middleware::cache_hashed_assets`).
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The theme the visitor chose: from the cookie on the server, from `<html data-theme>` in
/// the browser, so both render the same.
fn request_theme() -> &'static str {
    #[cfg(feature = "ssr")]
    {
        crate::server::context::caller_theme()
    }
    #[cfg(not(feature = "ssr"))]
    {
        // In the browser: what the server put on <html>.
        document()
            .document_element()
            .and_then(|root| root.get_attribute("data-theme"))
            .and_then(|t| crate::api::preferences::parse_theme(&t))
            .unwrap_or("system")
    }
}

/// The document title for a page's own title. leptos_meta writes the server's `<title>`
/// without escaping it, so the server escapes here: a display name like `</title><script>`
/// stays text. (The browser sets `document.title`, which needs no escaping.)
fn title_text(page: String) -> String {
    let title = if page.is_empty() { "backroad".to_owned() } else { format!("{page} · backroad") };
    if cfg!(feature = "ssr") {
        crate::roadmap::share::xml_escape(&title)
    } else {
        title
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let theme = request_theme();
    // Lets tests (and curious people) see when the page has become interactive.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Title formatter=title_text />
        <Meta name="description" content="A self-hostable roadmap to becoming a back-end developer, with progress you can keep and share." />
        <Router>
            <header class="site-header">
                <A href="/" attr:class="brand">"backroad"</A>
                <span class="tagline">"the road to back-end development"</span>
                <nav class="site-nav" aria-label="Site">
                    <A href="/account">"Account"</A>
                </nav>
                <ThemeSwitch initial=theme />
            </header>
            // Async: every page is complete in the first response, so it works without JavaScript
            // and a 404 status can still be set.
            <main id="main">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    // Loaded in the browser when they open (see `pages::lazy`).
                    <Route path=path!("/signup") view={Lazy::<SignUpRoute>::new()} />
                    <Route path=path!("/login") view={Lazy::<LogInRoute>::new()} />
                    <Route path=path!("/logout") view={Lazy::<LogOutRoute>::new()} />
                    <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/s/:code") view={Lazy::<SharedRoute>::new()} ssr=SsrMode::Async />
                    // A topic opens as a panel beside its roadmap: one page, two addresses.
                    <ParentRoute path=path!("/roadmaps/:roadmap") view=RoadmapPage ssr=SsrMode::Async>
                        <Route path=path!("") view=|| () />
                        <Route path=path!(":topic") view={Lazy::<TopicPanelRoute>::new()} />
                    </ParentRoute>
                </Routes>
            </main>
            <footer class="site-footer">
                <p>"backroad is open source and self-hostable. Your progress stays on this server."</p>
            </footer>
        </Router>
    }
}
