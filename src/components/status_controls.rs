//! The four status buttons for a topic. A plain form that posts to `/api/set_topic_status`,
//! so it works without JavaScript; with JavaScript the page updates in place. In the topic
//! panel each button also has a key (d, p, s, r).

use super::ProgressState;
use crate::roadmap::personal::Slot;
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

/// The key that sets a status in the topic panel.
pub fn shortcut_key(s: Status) -> &'static str {
    match s {
        Status::Done => "d",
        Status::InProgress => "p",
        Status::Skipped => "s",
        Status::None => "r",
    }
}

/// The status a key press asks for, either case; `None` for any other key.
pub fn status_for_key(key: &str) -> Option<Status> {
    Status::ALL.into_iter().find(|&s| key.eq_ignore_ascii_case(shortcut_key(s)))
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
                    aria-keyshortcuts=shortcuts.then(|| shortcut_key(s).to_uppercase())
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

/// A small label with a topic's status in words; the shape marker comes from CSS.
#[component]
pub fn StatusBadge(progress: ProgressState, topic: String) -> impl IntoView {
    let (status, label) = (progress.slot(Slot::Status(topic.clone())), progress.slot(Slot::Label(topic)));
    view! { <span class="status-badge" data-status=status>{label}</span> }.into_any()
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
    fn each_status_has_its_own_key_and_keys_map_back() {
        for s in Status::ALL {
            assert_eq!(status_for_key(shortcut_key(s)), Some(s));
            assert_eq!(status_for_key(&shortcut_key(s).to_uppercase()), Some(s));
        }
        assert_eq!(status_for_key("x"), None);
        assert_eq!(status_for_key("Escape"), None);
        assert_eq!(status_for_key("d"), Some(Status::Done));
    }
}
