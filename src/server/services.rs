//! What the app does for a caller, whatever the web or the store: who is asking, progress,
//! accounts and sessions, share links, export/import, password hashing and sign-in limits,
//! and the hourly housekeeping.

pub mod accounts;
pub mod audit;
pub mod caller;
pub mod housekeeping;
pub mod known_devices;
pub mod limits;
pub mod notes;
pub mod passwords;
pub mod progress;
pub mod sharing;
pub mod strength;
pub mod transfer;
pub mod visits;
