//! `AppState`: what every request handler and server function can reach.

use crate::roadmap::catalog::Catalog;
use crate::server::store::Store;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Arc<dyn Store>,
    pub catalog: Arc<Catalog>,
    /// Mark cookies `Secure` (the public URL is https).
    pub secure_cookies: bool,
}
