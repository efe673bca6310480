//! backroad: a self-hostable roadmap to becoming a back-end developer, with progress
//! tracking. The same crate builds the server (feature `ssr`) and the browser code
//! (feature `hydrate`). Pages are rendered on the server only; the browser runs just the
//! islands (`islands`), so its WebAssembly holds little more than them.

pub mod api;
#[cfg(feature = "ssr")]
pub mod app;
pub mod components;
pub mod error;
pub mod islands;
#[cfg(feature = "ssr")]
pub mod pages;
pub mod roadmap;
#[cfg(feature = "ssr")]
pub mod server;
pub mod theme;

pub use error::AppError;

/// Entry point of the browser code. Leptos's loader then hydrates each island on the page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // A server function that answers with a redirect (signing out) goes to that page.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|to: &str| {
        let _ = leptos::prelude::window().location().set_href(to);
    });
    leptos::mount::hydrate_islands();
}
