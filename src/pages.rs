//! One routed page per file.

mod account;
mod changes;
mod home;
mod not_found;
mod roadmap;
mod shared;
mod sign_in;
mod topic;

pub use account::AccountPage;
pub use changes::ChangesPage;
pub use home::HomePage;
pub use not_found::{NotFound, NotFoundPage};
pub use roadmap::RoadmapPage;
pub use shared::SharedPage;
pub use sign_in::{LogInPage, LogOutPage, SignUpPage};
pub use topic::TopicPanel;
