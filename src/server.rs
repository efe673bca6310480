//! Everything that exists only on the server, in three rooms that show the layering:
//! `web` (start-up, routes, middleware, kept pages: HTTP in and out), `services` (what the
//! app does for a caller: progress, accounts, sharing, transfer) and `store` (the storage
//! seam and its backends). `identity`, `settings` and `state` are shared by all three.

pub mod identity;
pub mod metrics;
pub mod services;
pub mod settings;
pub mod state;
pub mod store;
pub mod web;

pub use settings::Settings;
pub use state::AppState;
