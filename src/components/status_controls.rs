//! The four status buttons for a topic. A plain form that posts to `/api/set_topic_status`,
//! so it works without JavaScript; with JavaScript the page sends it itself and updates in
//! place (`islands::live_progress`). In the topic panel each button also has a key (d, p,
//! s, r).

use super::ProgressState;
use crate::api::SetTopicStatus;
use crate::roadmap::personal::Slot;
use crate::roadmap::Status;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

fn button_text(s: Status) -> &'static str {
    match s {
        Status::Done => "Done",
        Status::InProgress => "In progress",
        Status::Skipped => "Skipped",
        Status::None => "Reset",
    }
}

fn accessible_name(s: Status, title: &str) -> String {
    match s {
        Status::None => format!("Reset {title} to not started"),
        other => format!("Mark {title} as {}", other.label()),
    }
}

#[component]
pub fn StatusControls(
    roadmap: String,
    topic: String,
    title: String,
    progress: ProgressState,
    /// Announce the panel's keyboard shortcuts on the buttons.
    #[prop(optional)]
    shortcuts: bool,
) -> impl IntoView {
    let buttons = Status::ALL
        .into_iter()
        .map(|s| {
            view! {
                <button
                    type="submit"
                    name="status"
                    value=s.as_str()
                    class=format!("status-button status-{}", s.as_str())
                    aria-label=accessible_name(s, &title)
                    aria-pressed=progress.slot(Slot::Pressed(topic.clone(), s))
                    aria-keyshortcuts=shortcuts.then(|| s.shortcut().to_uppercase())
                >
                    {button_text(s)}
                </button>
            }
        })
        .collect_view();
    let controls_for = topic.clone();
    view! {
        <div class="status-controls" data-controls-for=controls_for>
            <form method="post" action=SetTopicStatus::PATH>
                <input type="hidden" name="roadmap" value=roadmap />
                <input type="hidden" name="topic" value=topic />
                {buttons}
            </form>
        </div>
    }
    .into_any()
}

/// A small label with a topic's status in words; the shape marker comes from CSS.
#[component]
pub fn StatusBadge(progress: ProgressState, topic: String) -> impl IntoView {
    let (status, label) = (progress.slot(Slot::Status(topic.clone())), progress.slot(Slot::Label(topic.clone())));
    view! { <span class="status-badge" data-badge-for=topic data-status=status>{label}</span> }.into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accessible_names_contain_the_visible_text() {
        for s in Status::ALL {
            let name = accessible_name(s, "PostgreSQL").to_lowercase();
            assert!(name.contains(&button_text(s).to_lowercase()), "{name}");
        }
        assert_eq!(accessible_name(Status::Done, "PostgreSQL"), "Mark PostgreSQL as done");
    }
}
