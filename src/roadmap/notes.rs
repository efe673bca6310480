//! A learner's private notes, one per topic: what a note may hold, and which note a topic
//! shows when the store holds several for it (a note written under a former topic id counts
//! for the renamed topic, the newest wins).

use super::content::Roadmap;
use super::ids::TopicId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The longest note, in characters (Unicode scalar values, as a person counts them).
pub const MAX_NOTE_CHARS: usize = 10_000;

/// One stored note, as the store hands it back: the topic id it was written under (possibly
/// a former id), its Markdown text and when it was last changed (ms since the Unix epoch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRecord {
    pub topic: TopicId,
    pub text: String,
    pub changed_at: u64,
}

/// A note as `/api/get_notes` answers it, under its topic's current id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub note: String,
    /// ms since the Unix epoch.
    pub changed_at: u64,
}

/// What `/api/set_note` answers: the note as stored (empty when it was deleted), when, and
/// its HTML (what the panel shows: raw HTML escaped, links only to the web).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedNote {
    pub topic: String,
    pub note: String,
    pub changed_at: u64,
    pub html: String,
}

/// Why a note cannot be saved, as a sentence for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteError {
    TooLong {
        chars: usize,
    },
    /// A control character other than tab and line breaks (nothing a keyboard types).
    Control,
}

impl std::fmt::Display for NoteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoteError::TooLong { chars } => write!(
                f,
                "This note is {chars} characters long; a note holds at most {MAX_NOTE_CHARS}. Shorten it and save again."
            ),
            NoteError::Control => {
                f.write_str("This note holds a control character. Remove it (paste the text as plain text) and save again.")
            }
        }
    }
}

/// What is stored for `text`: line endings made `\n`, trailing white space of the whole note
/// taken off; `None` when nothing is left (saving an empty note deletes it).
pub fn checked_note(text: &str) -> Result<Option<String>, NoteError> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim_end();
    if text.trim_start().is_empty() {
        return Ok(None);
    }
    let chars = text.chars().count();
    if chars > MAX_NOTE_CHARS {
        return Err(NoteError::TooLong { chars });
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(NoteError::Control);
    }
    Ok(Some(text.to_owned()))
}

/// The note each topic of `roadmap` shows, by current topic id: records under a former id
/// count for the renamed topic; where two land on one topic the newest wins (ties go to the
/// later record, which the store lists under the current id). Notes of topics the roadmap
/// no longer has are left out (they stay stored).
pub fn notes_by_topic<'a>(
    roadmap: &Roadmap,
    records: impl IntoIterator<Item = &'a NoteRecord>,
) -> BTreeMap<String, Note> {
    let mut out: BTreeMap<String, Note> = BTreeMap::new();
    for r in records {
        let Some(topic) = roadmap.topic(r.topic.as_str()) else { continue };
        let newer = out.get(topic.id.as_str()).is_none_or(|n| r.changed_at >= n.changed_at);
        if newer {
            out.insert(topic.id.to_string(), Note { note: r.text.clone(), changed_at: r.changed_at });
        }
    }
    out
}

/// The notes of `incoming` that should be written over `existing` (an import, or a sign-in
/// that brings a device's notes into an account): per topic the newest wins, ties keep
/// what is there; several incoming notes for one topic collapse to the newest.
pub fn newer_notes(existing: &[NoteRecord], incoming: Vec<NoteRecord>) -> Vec<NoteRecord> {
    let mut best: BTreeMap<TopicId, NoteRecord> = BTreeMap::new();
    for r in incoming {
        if best.get(&r.topic).is_none_or(|b| r.changed_at > b.changed_at) {
            best.insert(r.topic.clone(), r);
        }
    }
    best.into_values()
        .filter(|r| {
            existing
                .iter()
                .filter(|e| e.topic == r.topic)
                .map(|e| e.changed_at)
                .max()
                .is_none_or(|at| r.changed_at > at)
        })
        .collect()
}

/// Whether every word of a search (already lower-cased, `search::query_words`) is in `note`.
pub fn note_matches(note: &str, words: &[String]) -> bool {
    if words.is_empty() {
        return false;
    }
    let note = note.to_lowercase();
    words.iter().all(|w| note.contains(w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roadmap::content::fixtures::{roadmap as test_roadmap, topic};
    use crate::roadmap::content::Kind;

    fn record(topic: &str, text: &str, at: u64) -> NoteRecord {
        NoteRecord { topic: TopicId::parse(topic).unwrap(), text: text.to_owned(), changed_at: at }
    }

    #[test]
    fn a_note_is_kept_as_typed_and_an_empty_one_deletes() {
        assert_eq!(
            checked_note("Use `dig +trace`.\r\nThen **compare**.  \n\n"),
            Ok(Some("Use `dig +trace`.\nThen **compare**.".into()))
        );
        assert_eq!(checked_note("   \n\t "), Ok(None));
        assert_eq!(checked_note(""), Ok(None));
        assert_eq!(checked_note("  indented\tcode"), Ok(Some("  indented\tcode".into())));
    }

    #[test]
    fn ten_thousand_characters_fit_and_one_more_does_not() {
        let most = "é".repeat(MAX_NOTE_CHARS);
        assert_eq!(checked_note(&most).unwrap().map(|n| n.chars().count()), Some(MAX_NOTE_CHARS));
        let over = format!("{most}x");
        let err = checked_note(&over).unwrap_err();
        assert_eq!(err, NoteError::TooLong { chars: 10_001 });
        assert!(err.to_string().contains("10001 characters long; a note holds at most 10000"), "{err}");
    }

    #[test]
    fn control_characters_are_refused() {
        assert_eq!(checked_note("a\u{0}b"), Err(NoteError::Control));
        assert_eq!(checked_note("a\u{1b}[31m"), Err(NoteError::Control));
    }

    #[test]
    fn notes_follow_renamed_topics_and_the_newest_wins() {
        let roadmap = test_roadmap(vec![
            topic("dns", Kind::Core, None, &[], &["domain-names"]),
            topic("http", Kind::Core, None, &[], &[]),
        ]);
        let records = [
            record("domain-names", "old id, newer", 20),
            record("dns", "current id, older", 10),
            record("http", "methods", 5),
            record("gone-topic", "kept on disk, not shown", 50),
        ];
        let notes = notes_by_topic(&roadmap, &records);
        assert_eq!(notes.len(), 2);
        assert_eq!(notes["dns"], Note { note: "old id, newer".into(), changed_at: 20 });
        assert_eq!(notes["http"].note, "methods");
        // A tie goes to the later record (the current id, listed last by the store).
        let tie = [record("domain-names", "old", 30), record("dns", "current", 30)];
        assert_eq!(notes_by_topic(&roadmap, &tie)["dns"].note, "current");
    }

    #[test]
    fn a_merge_writes_only_what_is_newer() {
        let existing = [record("a", "mine", 100), record("b", "mine", 100)];
        let incoming = vec![
            record("a", "theirs, older", 50),
            record("b", "theirs, newer", 200),
            record("b", "theirs", 150),
            record("c", "new", 1),
        ];
        let won = newer_notes(&existing, incoming);
        assert_eq!(won, vec![record("b", "theirs, newer", 200), record("c", "new", 1)]);
    }

    #[test]
    fn a_search_finds_a_note_only_with_every_word() {
        let words = vec!["dig".to_owned(), "trace".to_owned()];
        assert!(note_matches("Use DIG +Trace to follow delegation", &words));
        assert!(!note_matches("Use dig", &words));
        assert!(!note_matches("anything", &[]));
    }
}
