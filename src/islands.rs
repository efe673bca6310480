//! The only code that runs in the browser (Leptos islands; every other view is rendered on
//! the server only). Each island takes over its part of a server-rendered page:
//! - `ThemeSwitch`: the theme buttons in the header, on every page.
//! - `AccountForms`: the forms of the account page, loaded only there.
//! - `LiveProgress`: on a roadmap page, sends status changes and shows them at once
//!   (`live`), sets every status-dependent value of the page again in place (`page_dom`),
//!   opens and closes topic panels without reloading the page (`panel`), saves notes in
//!   place (`note_form`), and answers the panel's keys (`keys`).
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
mod note_form;
#[cfg(feature = "hydrate")]
mod page_dom;
#[cfg(feature = "hydrate")]
mod panel;

pub use account_forms::{AccountForms, SignOutForm};
pub use live_progress::LiveProgress;
pub use theme_switch::ThemeSwitch;
pub use tree_keys::SkillTreeKeys;

/// Each island calls this as it starts in the browser. Once every island on the page has
/// (the account forms load their code first), the body gets `data-hydrated="true"`: tests,
/// and curious people, read it to know the page is interactive.
#[cfg(feature = "hydrate")]
fn started() {
    use leptos::prelude::{document, set_timeout};
    use std::sync::atomic::{AtomicU32, Ordering};
    static STARTED: AtomicU32 = AtomicU32::new(0);
    let started = STARTED.fetch_add(1, Ordering::Relaxed) + 1;
    let on_page = document().query_selector_all("leptos-island").map(|l| l.length()).unwrap_or(0);
    if started >= on_page {
        // After this task: the island's view is hydrated right after its body returns.
        set_timeout(
            || {
                if let Some(body) = document().body() {
                    let _ = body.set_attribute("data-hydrated", "true");
                }
            },
            std::time::Duration::ZERO,
        );
    }
}
