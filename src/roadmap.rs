//! The pure domain: roadmaps, topics, statuses, progress math, and the content that
//! describes them. Nothing here knows about HTTP, Leptos or sled.

pub mod account;
pub mod changes;
pub mod content;
pub mod device;
pub mod head;
pub mod history;
pub mod ids;
pub mod layout;
pub mod notes;
pub mod path;
pub mod personal;
pub mod planner;
pub mod progress;
pub mod search;
pub mod share;
pub mod slots;
pub mod stats;
pub mod status;
pub mod status_map;
pub mod transfer;
pub mod views;

#[cfg(feature = "ssr")]
pub mod catalog;
#[cfg(feature = "ssr")]
pub mod load;
#[cfg(feature = "ssr")]
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod raw;
#[cfg(feature = "ssr")]
pub mod validate;
#[cfg(feature = "ssr")]
pub mod validate_history;

pub use ids::{IdError, RoadmapId, TopicId};
pub use progress::ProgressSummary;
pub use status::Status;
