//! The HTML shell, the root component and the one route table. All of it is rendered on the
//! server; only the islands (`crate::islands`) run in the browser.

use crate::islands::ThemeSwitch;
use crate::pages::{
    AccountPage, ChangesPage, HomePage, LogInPage, LogOutPage, NotFoundPage, RoadmapPage, SharedPage, SignUpPage,
    TopicPanel,
};
use crate::roadmap::head::document_title;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes, A};
use leptos_router::{path, SsrMode};

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let theme = crate::theme::current_theme();
    view! {
        <!DOCTYPE html>
        <html lang="en" data-theme=theme>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                // Asset names carry a hash of their content (cargo-leptos `hash-files`), so
                // browsers may keep them for a year (see `front_door`).
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The document title for a page's own title. leptos_meta writes the `<title>` without
/// escaping it, so it is escaped here: a display name like `</title><script>` stays text.
fn title_text(page: String) -> String {
    crate::roadmap::share::xml_escape(&document_title(&page))
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let theme = crate::theme::current_theme();

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
                <ThemeSwitch initial=theme.to_owned() />
            </header>
            // Async: every page is complete in the first response, so it works without JavaScript
            // and a 404 status can still be set.
            <main id="main">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/signup") view=SignUpPage />
                    <Route path=path!("/login") view=LogInPage />
                    <Route path=path!("/logout") view=LogOutPage />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/s/:code") view=SharedPage ssr=SsrMode::Async />
                    <Route path=path!("/changes") view=ChangesPage ssr=SsrMode::Async />
                    // A topic opens as a panel beside its roadmap: one page, two addresses.
                    <ParentRoute path=path!("/roadmaps/:roadmap") view=RoadmapPage ssr=SsrMode::Async>
                        <Route path=path!("") view=|| () />
                        <Route path=path!(":topic") view=TopicPanel />
                    </ParentRoute>
                </Routes>
            </main>
            <footer class="site-footer">
                <p>
                    "backroad is open source and self-hostable. Your progress stays on this server. "
                    <a href="/changes">"What changed in the roadmaps"</a>
                </p>
            </footer>
        </Router>
    }
}
