//! The four status buttons for a topic. A plain form that posts to `/api/set_topic_status`,
//! so it works without JavaScript; with JavaScript the page updates in place.

use super::ProgressState;
use crate::roadmap::Status;
use leptos::prelude::*;

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
pub fn StatusControls(roadmap: String, topic: String, title: String, progress: ProgressState) -> impl IntoView {
    let current = Signal::derive({
        let topic = topic.clone();
        move || progress.status_of(&topic)
    });
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
                    aria-pressed=move || (current.get() == s).to_string()
                >
                    {button_text(s)}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="status-controls">
            <ActionForm action=progress.action>
                <input type="hidden" name="roadmap" value=roadmap />
                <input type="hidden" name="topic" value=topic />
                {buttons}
            </ActionForm>
        </div>
    }
    .into_any()
}

/// A small label with the status in words; the shape marker comes from CSS.
#[component]
pub fn StatusBadge(status: Signal<Status>) -> impl IntoView {
    view! {
        <span class="status-badge" data-status=move || status.get().as_str()>
            {move || status.get().label()}
        </span>
    }
    .into_any()
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
