//! The only code that runs in the browser (Leptos islands; every other view is rendered on
//! the server only). Each island takes over its part of a server-rendered page:
//! - `ThemeSwitch`: the theme buttons in the header, on every page.
//! - `AccountForms`: the forms of the account page, loaded only there.
//! - `LiveProgress`: on a roadmap page, sends status changes and shows them at once
//!   (`live`), sets every status-dependent value of the page again in place (`page_dom`),
//!   opens and closes topic panels without reloading the page (`panel`), and answers the
//!   panel's keys (`keys`).
//! - `SkillTreeKeys`: the arrow keys on skill trees, on roadmap and shared pages.
//!
//! Without JavaScript the same page works through its links and forms.

mod account_forms;
mod live_progress;
mod theme_switch;
mod tree_keys;

#[cfg(feature = "hydrate")]
mod focus;
#[cfg(feature = "hydrate")]
mod keys;
#[cfg(feature = "hydrate")]
mod live;
#[cfg(feature = "hydrate")]
mod page_dom;
#[cfg(feature = "hydrate")]
mod panel;

pub use account_forms::{AccountForms, SignOutForm};
pub use live_progress::LiveProgress;
pub use theme_switch::ThemeSwitch;
pub use tree_keys::SkillTreeKeys;
