//! One routed page per file.

mod home;
mod not_found;
mod roadmap;
mod topic;

pub use home::HomePage;
pub use not_found::{NotFound, NotFoundPage};
pub use roadmap::RoadmapPage;
pub use topic::TopicPanel;
