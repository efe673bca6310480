//! Reusable views: status controls, progress bar, error notice, and the progress state
//! they share on a page.

mod error_notice;
mod progress_bar;
mod progress_state;
mod status_controls;

pub use error_notice::ErrorNotice;
pub use progress_bar::ProgressBar;
pub use progress_state::ProgressState;
pub use status_controls::{StatusBadge, StatusControls};
