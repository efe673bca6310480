//! Everything that exists only on the server: settings, start-up, the store, identity and
//! the middleware around the routes.

pub mod accounts;
pub mod backup;
pub mod context;
pub mod identity;
pub mod middleware;
pub mod overlay;
pub mod page_cache;
pub mod passwords;
pub mod progress;
pub mod rate_limit;
pub mod routes;
pub mod security;
pub mod settings;
pub mod sharing;
pub mod startup;
pub mod state;
pub mod store;
pub mod transfer;

pub use settings::Settings;
pub use state::AppState;
