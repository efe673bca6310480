//! Server functions: the app's public POST endpoints under `/api/`. Each is thin: who is
//! asking, call `server::*`, return its answer or error.

pub mod content;
pub mod preferences;
pub mod progress;

pub use content::{GetRoadmap, GetTopic, ListRoadmaps, SearchTopics};
pub use preferences::SetTheme;
pub use progress::{GetProgress, SetTopicStatus};
