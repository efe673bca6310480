//! backroad: a self-hostable roadmap to becoming a back-end developer, with progress
//! tracking. The same crate builds the server (feature `ssr`) and the browser code
//! (feature `hydrate`).

pub mod api;
pub mod app;
pub mod components;
pub mod error;
pub mod pages;
pub mod roadmap;
#[cfg(feature = "ssr")]
pub mod server;

pub use error::AppError;

/// Entry point of the browser code: takes over the server-rendered page, loading the code of
/// a lazy route (`pages::lazy`) first when the page is one.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
