//! The content files as written, before they become the model: one file's name and text,
//! the TOML shapes of the manifest, a section, a topic and its history, and what is wrong
//! with them (`ContentProblem`). Both the loader (`load`) and the rules (`validate`,
//! `validate_history`) read these.

use super::content::{Kind, Resource};
use super::history::ChangeKind;
use serde::Deserialize;
use std::fmt;

/// One content file: where it came from (for messages) and its text.
#[derive(Debug, Clone, Copy)]
pub struct SourceFile<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// `roadmap.toml`: the roadmap and its sections in learning order.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRoadmap {
    pub id: String,
    pub title: String,
    pub description: String,
    pub sections: Vec<String>,
    /// Topics taken off the roadmap: `retired = [{ id, title, on, note }]`.
    #[serde(default)]
    pub retired: Vec<RawRetired>,
    /// Every topic id ever published (`validate_history::check_published`); left out, not
    /// checked (small test roadmaps).
    #[serde(default)]
    pub published: Option<Vec<String>>,
}

/// A topic taken off the roadmap, as its manifest records it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRetired {
    pub id: String,
    pub title: String,
    pub on: String,
    pub note: String,
}

/// One entry of a topic's history: `history = [{ on = "2026-12-03", change = "revised", note = "…" }]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChange {
    pub on: String,
    pub change: String,
    pub note: String,
}

/// One section file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSection {
    pub id: String,
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub groups: Vec<RawGroup>,
    #[serde(default)]
    pub topics: Vec<RawTopic>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTopic {
    pub id: String,
    pub title: String,
    pub kind: Kind,
    #[serde(default)]
    pub group: Option<String>,
    pub hours: u32,
    pub requires: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub history: Vec<RawChange>,
    pub summary: String,
    pub outcomes: Vec<String>,
    pub resources: Vec<Resource>,
}

/// A section file after parsing, with the name it came from.
pub struct ParsedSection<'a> {
    pub file: &'a str,
    pub section: RawSection,
}

/// The kind a history entry's `change` names (`validate` refuses any other word).
pub fn change_kind(word: &str) -> Option<ChangeKind> {
    match word {
        "added" => Some(ChangeKind::Added),
        "revised" => Some(ChangeKind::Revised),
        "renamed" => Some(ChangeKind::Renamed),
        _ => None,
    }
}

/// One thing wrong with the content: which file, which topic, what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentProblem {
    pub file: String,
    pub topic: Option<String>,
    pub message: String,
}

impl ContentProblem {
    pub fn file(file: &str, message: impl fmt::Display) -> Self {
        ContentProblem { file: file.to_owned(), topic: None, message: message.to_string() }
    }

    pub fn topic(file: &str, topic: &str, message: impl fmt::Display) -> Self {
        ContentProblem { file: file.to_owned(), topic: Some(topic.to_owned()), message: message.to_string() }
    }
}

impl fmt::Display for ContentProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.topic {
            Some(t) => write!(f, "{}: topic `{}`: {}", self.file, t, self.message),
            None => write!(f, "{}: {}", self.file, self.message.trim_end()),
        }
    }
}
