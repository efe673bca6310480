//! A page's view of the learner's progress on one roadmap, as the server renders it. Every
//! status-dependent value a page shows comes from `slot`, so the server can render the page
//! once as a template and fill it in for each learner (`server::web::overlay`), and the browser
//! can set the same values again in place when a status changes (`islands::page_dom`).

use crate::roadmap::personal::{Personal, Slot};
use crate::roadmap::views::RoadmapView;
use crate::roadmap::ProgressSummary;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct ProgressState {
    shown: StoredValue<Personal>,
    /// Rendering the server's template: slots come out as markers.
    template: bool,
}

impl ProgressState {
    /// The values of `summary` on `roadmap`, worked out once for the page.
    pub fn new(summary: ProgressSummary, roadmap: &RoadmapView) -> Self {
        ProgressState { shown: StoredValue::new(Personal::of(roadmap, summary)), template: rendering_template() }
    }

    /// What the page shows in one status-dependent place (a marker in a template).
    pub fn slot(&self, slot: Slot) -> String {
        if self.template {
            slot.marker()
        } else {
            self.shown.with_value(|p| p.value(&slot).into_owned())
        }
    }
}

/// Whether the server renders this page as the overlay's template.
fn rendering_template() -> bool {
    #[cfg(feature = "ssr")]
    {
        crate::server::web::context::rendering_template()
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}
