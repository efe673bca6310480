//! Reusable views, rendered on the server: skill tree, next steps, status controls, notes,
//! progress bar, error notice, and the progress state they share on a page.

mod error_notice;
mod next_steps;
mod note_editor;
mod progress_bar;
mod progress_state;
mod roadmap_tools;
mod skill_tree;
mod status_controls;

pub use error_notice::ErrorNotice;
pub use next_steps::NextSteps;
pub use note_editor::NoteEditor;
pub use progress_bar::ProgressBar;
pub use progress_state::{ProgressState, RenderMode};
pub use roadmap_tools::{keep_query, page_query, parse_filter, topic_href, Highlights, RoadmapTools};
pub use skill_tree::{BoxLinks, EdgeMarkers, Elsewhere, SkillTree};
pub use status_controls::{StatusBadge, StatusControls, UndoForm};
