//! The four status buttons for a topic, in its panel. A plain form that posts to
//! `/api/set_topic_status`, so it works without JavaScript: the answer sends the browser back
//! to where it was (`return_to`: the page's address with the topic's box as its fragment);
//! with JavaScript the page sends it itself and updates in place (`islands::live`). Each
//! button also has a key (d, p, s, r).

use super::ProgressState;
use crate::api::{SetTopicStatus, UndoStatus};
use crate::roadmap::personal::Slot;
use crate::roadmap::Status;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_location;

fn button_text(s: Status) -> &'static str {
    match s {
        Status::Done => "Done",
        Status::InProgress => "In progress",
        Status::Skipped => "Skipped",
        Status::None => "Not started",
    }
}

fn accessible_name(s: Status, title: &str) -> String {
    match s {
        Status::None => format!("Mark {title} as not started"),
        other => format!("Mark {title} as {}", other.label()),
    }
}

/// The form's action: the endpoint, with where to send a browser without JavaScript back
/// to (`return_to`, checked by `middleware::form_return`).
fn form_action(path: &str, search: &str, topic: &str) -> String {
    returning_action(SetTopicStatus::PATH, path, search, &format!("t-{topic}"))
}

/// A form's action: `endpoint`, with where to send a browser without JavaScript back to
/// (`return_to`, checked by `middleware::form_return`): the page's address (`path` and
/// `search`, without its `?`) at the element `fragment`.
pub fn returning_action(endpoint: &str, path: &str, search: &str, fragment: &str) -> String {
    let back = if search.is_empty() { format!("{path}#{fragment}") } else { format!("{path}?{search}#{fragment}") };
    format!("{endpoint}?return_to={}", urlencoding_min(&back))
}

/// Percent-encodes what a query value cannot hold as is.
fn urlencoding_min(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
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
    let location = use_location();
    let action = form_action(
        &location.pathname.get_untracked(),
        location.search.get_untracked().trim_start_matches('?'),
        &topic,
    );
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
            <form method="post" action=action>
                <input type="hidden" name="roadmap" value=roadmap />
                <input type="hidden" name="topic" value=topic />
                {buttons}
            </form>
        </div>
    }
    .into_any()
}

/// "Undo: back to done": puts the topic back as it was before the learner's last change
/// (that status and its time). A plain form to `/api/undo_status`, shown only when there is
/// something to undo (`Slot::UndoTo`; with JavaScript the page keeps it up to date).
#[component]
pub fn UndoForm(roadmap: String, topic: String, title: String, progress: ProgressState) -> impl IntoView {
    let location = use_location();
    let action = returning_action(
        UndoStatus::PATH,
        &location.pathname.get_untracked(),
        location.search.get_untracked().trim_start_matches('?'),
        &format!("t-{topic}"),
    );
    let (undo_to, label) = (progress.slot(Slot::UndoTo(topic.clone())), progress.slot(Slot::UndoLabel(topic.clone())));
    let (undo_for, label_for) = (topic.clone(), topic.clone());
    view! {
        <form method="post" action=action class="undo-form" data-undo-for=undo_for data-undo=undo_to>
            <input type="hidden" name="roadmap" value=roadmap />
            <input type="hidden" name="topic" value=topic />
            <button type="submit" aria-label=format!("Undo your last change to {title}")>
                // As markup: an empty text would render as a space, the filled template as nothing.
                <span data-undo-label=label_for inner_html=label></span>
            </button>
        </form>
    }
    .into_any()
}

/// A small label with a topic's status in words; the shape marker comes from CSS.
#[component]
pub fn StatusBadge(progress: ProgressState, topic: String) -> impl IntoView {
    let (status, label) = (progress.slot(Slot::Status(topic.clone())), progress.slot(Slot::Label(topic.clone())));
    view! {
        <span class="status-badge" data-topic-id=topic.clone() data-label-for=topic data-status=status>
            {label}
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

    #[test]
    fn the_form_returns_to_the_topics_box() {
        assert_eq!(
            form_action("/roadmaps/backend/dns", "", "dns"),
            "/api/set_topic_status?return_to=/roadmaps/backend/dns%23t-dns"
        );
        assert_eq!(
            form_action("/roadmaps/backend/dns", "q=a b&show=core", "dns"),
            "/api/set_topic_status?return_to=/roadmaps/backend/dns%3Fq%3Da%20b%26show%3Dcore%23t-dns"
        );
    }
}
