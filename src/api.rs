//! Server functions: the app's public POST endpoints under `/api/`. Each is thin: who is
//! asking, call `server::*`, return its answer or error.

pub mod account;
pub mod changes;
pub mod content;
pub mod notes;
pub mod preferences;
pub mod progress;
pub mod share;
pub mod transfer;

pub use account::{ChangePassword, GetAccount, LogIn, LogOut, SetDisplayName, SignOutElsewhere, SignUp};
pub use changes::{GetChangesSeen, ListChanges};
pub use content::{GetRoadmap, GetTopic, ListRoadmaps, SearchTopics};
pub use notes::{GetNotes, SetNote};
pub use preferences::SetTheme;
pub use progress::{GetProgress, SetTopicStatus, UndoStatus};
pub use share::{CreateShareLink, GetSharedProgress, RevokeShareLink};
pub use transfer::{ExportProgress, ImportProgress, ResetProgress};
