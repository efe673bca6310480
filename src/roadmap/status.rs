//! A learner's status for one topic.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a learner stands on one topic. `None` is the state of every topic nobody touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    None,
    InProgress,
    Done,
    Skipped,
}

/// The status text was not one of the four we know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("status must be one of done, in_progress, skipped or none")]
pub struct UnknownStatus;

impl Status {
    /// Every status, in the order the controls show them.
    pub const ALL: [Status; 4] = [Status::Done, Status::InProgress, Status::Skipped, Status::None];

    /// Parses the wire form (`done`, `in_progress`, `skipped`, `none`).
    pub fn parse(raw: &str) -> Result<Self, UnknownStatus> {
        match raw {
            "none" => Ok(Status::None),
            "in_progress" => Ok(Status::InProgress),
            "done" => Ok(Status::Done),
            "skipped" => Ok(Status::Skipped),
            _ => Err(UnknownStatus),
        }
    }

    /// The wire form, also used in `data-status` attributes.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::None => "none",
            Status::InProgress => "in_progress",
            Status::Done => "done",
            Status::Skipped => "skipped",
        }
    }

    /// What a person reads: "done", "in progress", "skipped", "not started".
    pub fn label(self) -> &'static str {
        match self {
            Status::None => "not started",
            Status::InProgress => "in progress",
            Status::Done => "done",
            Status::Skipped => "skipped",
        }
    }

    /// The key that sets this status in a topic's panel: d, p, s, r (reset).
    pub fn shortcut(self) -> &'static str {
        match self {
            Status::Done => "d",
            Status::InProgress => "p",
            Status::Skipped => "s",
            Status::None => "r",
        }
    }

    /// The status a key press in the panel asks for, either case; `None` for any other key.
    pub fn for_key(key: &str) -> Option<Self> {
        Status::ALL.into_iter().find(|s| key.eq_ignore_ascii_case(s.shortcut()))
    }

    /// A one-byte code for storage; stable forever.
    pub fn code(self) -> u8 {
        match self {
            Status::None => 0,
            Status::InProgress => 1,
            Status::Done => 2,
            Status::Skipped => 3,
        }
    }

    pub fn from_code(code: u8) -> Option<Self> {
        match code {
            0 => Some(Status::None),
            1 => Some(Status::InProgress),
            2 => Some(Status::Done),
            3 => Some(Status::Skipped),
            _ => None,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_status_has_its_own_key_and_keys_map_back() {
        for s in Status::ALL {
            assert_eq!(Status::for_key(s.shortcut()), Some(s));
            assert_eq!(Status::for_key(&s.shortcut().to_uppercase()), Some(s));
        }
        assert_eq!(Status::for_key("x"), None);
        assert_eq!(Status::for_key("Escape"), None);
        assert_eq!(Status::for_key("d"), Some(Status::Done));
    }

    #[test]
    fn wire_form_round_trips() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Ok(s));
            assert_eq!(Status::from_code(s.code()), Some(s));
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
    }

    #[test]
    fn unknown_text_is_rejected() {
        for bad in ["", "Done", "DONE", "finished", "in-progress", " done"] {
            assert_eq!(Status::parse(bad), Err(UnknownStatus), "{bad:?}");
        }
        assert_eq!(Status::from_code(9), None);
    }
}
