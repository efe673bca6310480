//! Everything that exists only on the server: settings, start-up, the store, identity and
//! the middleware around the routes.

pub mod context;
pub mod identity;
pub mod middleware;
pub mod progress;
pub mod settings;
pub mod startup;
pub mod state;
pub mod store;

pub use settings::Settings;
pub use state::AppState;
