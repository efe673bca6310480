//! Export and import of progress and notes: the JSON document, its checks, and the "most
//! recent change wins" merge that import and login share.

use crate::roadmap::content::Roadmap;
use crate::roadmap::history::{civil_from_days, days_from_civil};
use crate::roadmap::notes::{checked_note, NoteRecord};
use crate::roadmap::progress::Recorded;
use crate::roadmap::{RoadmapId, Status, TopicId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the export document: 2 adds `notes`. An import reads 1 and 2.
pub const EXPORT_SCHEMA: u32 = 2;
/// The oldest version an import reads.
const OLDEST_SCHEMA: u32 = 1;

/// What `/api/export_progress` answers and `/api/import_progress` accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgressExport {
    pub schema: u32,
    /// RFC 3339, UTC.
    pub exported_at: String,
    /// Roadmap id -> every recorded status on it.
    pub roadmaps: BTreeMap<String, Vec<ExportedStatus>>,
    /// Roadmap id -> the learner's private notes on it (schema 2).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub notes: BTreeMap<String, Vec<ExportedNote>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportedNote {
    pub topic: String,
    /// Markdown, as the learner wrote it.
    pub note: String,
    /// RFC 3339, UTC, milliseconds.
    pub changed_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportedStatus {
    pub topic: String,
    pub status: Status,
    /// RFC 3339, UTC, milliseconds.
    pub changed_at: String,
}

impl ProgressExport {
    pub fn new(
        now_ms: u64,
        roadmaps: BTreeMap<RoadmapId, Vec<Recorded>>,
        notes: BTreeMap<RoadmapId, Vec<NoteRecord>>,
    ) -> Self {
        let roadmaps = roadmaps
            .into_iter()
            .filter(|(_, records)| !records.is_empty())
            .map(|(id, records)| {
                let list = records
                    .into_iter()
                    .map(|r| ExportedStatus {
                        topic: r.topic.into(),
                        status: r.status,
                        changed_at: format_rfc3339(r.changed_at),
                    })
                    .collect();
                (id.into(), list)
            })
            .collect();
        let notes = notes
            .into_iter()
            .filter(|(_, notes)| !notes.is_empty())
            .map(|(id, notes)| {
                let list = notes
                    .into_iter()
                    .map(|n| ExportedNote {
                        topic: n.topic.into(),
                        note: n.text,
                        changed_at: format_rfc3339(n.changed_at),
                    })
                    .collect();
                (id.into(), list)
            })
            .collect();
        ProgressExport { schema: EXPORT_SCHEMA, exported_at: format_rfc3339(now_ms), roadmaps, notes }
    }
}

/// An import, checked against the content: what to merge, and what was skipped and why.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportPlan {
    /// Roadmap id -> statuses under current topic ids (aliases resolved).
    pub records: BTreeMap<RoadmapId, Vec<Recorded>>,
    /// Roadmap id -> notes under current topic ids, each checked as a save is.
    pub notes: BTreeMap<RoadmapId, Vec<NoteRecord>>,
    /// One sentence per skipped entry, for the answer (the first few are shown).
    pub skipped: Vec<String>,
}

/// Reads an export document. `roadmap` finds a roadmap by id. Errors are sentences for people.
/// A change dated after `now_ms` (a clock set wrong, or a file made to win every merge)
/// counts as made now.
pub fn plan_import<'a>(
    text: &str,
    now_ms: u64,
    roadmap: impl Fn(&str) -> Option<&'a Roadmap>,
) -> Result<ImportPlan, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("The import is empty. Paste the contents of a file from “Export progress”.".to_owned());
    }
    let doc: ProgressExport = serde_json::from_str(text).map_err(|e| {
        format!(
            "This is not a backroad export (JSON error at line {}, column {}: {}). Paste the whole file from “Export progress”.",
            e.line(),
            e.column(),
            short(&e.to_string())
        )
    })?;
    if !(OLDEST_SCHEMA..=EXPORT_SCHEMA).contains(&doc.schema) {
        return Err(format!(
            "This export has schema version {}; this server reads versions {OLDEST_SCHEMA} to {EXPORT_SCHEMA}. Export again from a current backroad.",
            doc.schema
        ));
    }
    let mut plan = ImportPlan::default();
    for (roadmap_id, entries) in doc.roadmaps {
        let Some(map) = roadmap(&roadmap_id) else {
            plan.skipped.push(format!("{} statuses of unknown roadmap `{}`", entries.len(), short(&roadmap_id)));
            continue;
        };
        let mut records = Vec::new();
        for e in entries {
            let Some(topic) = map.topic(&e.topic) else {
                plan.skipped.push(format!("unknown topic `{}`", short(&e.topic)));
                continue;
            };
            let Some(changed_at) = parse_rfc3339(&e.changed_at) else {
                plan.skipped.push(format!("`{}`: unreadable time `{}`", topic.id, short(&e.changed_at)));
                continue;
            };
            records.push(Recorded { topic: topic.id.clone(), status: e.status, changed_at: changed_at.min(now_ms) });
        }
        if !records.is_empty() {
            plan.records.insert(map.id.clone(), records);
        }
    }
    for (roadmap_id, entries) in doc.notes {
        let Some(map) = roadmap(&roadmap_id) else {
            plan.skipped.push(format!("{} notes of unknown roadmap `{}`", entries.len(), short(&roadmap_id)));
            continue;
        };
        let mut notes = Vec::new();
        for e in entries {
            let Some(topic) = map.topic(&e.topic) else {
                plan.skipped.push(format!("a note on unknown topic `{}`", short(&e.topic)));
                continue;
            };
            let Some(changed_at) = parse_rfc3339(&e.changed_at) else {
                plan.skipped.push(format!("the note on `{}`: unreadable time `{}`", topic.id, short(&e.changed_at)));
                continue;
            };
            match checked_note(&e.note) {
                Ok(Some(text)) => {
                    notes.push(NoteRecord { topic: topic.id.clone(), text, changed_at: changed_at.min(now_ms) })
                }
                Ok(None) => plan.skipped.push(format!("the note on `{}`: it is empty", topic.id)),
                Err(why) => plan.skipped.push(format!("the note on `{}`: {why}", topic.id)),
            }
        }
        if !notes.is_empty() {
            plan.notes.insert(map.id.clone(), notes);
        }
    }
    Ok(plan)
}

/// The records of `incoming` that should be written over `existing`: for each topic the most
/// recent change wins (ties keep what is there). Several incoming records for one topic
/// collapse to the newest.
pub fn newer_than(existing: &[Recorded], incoming: Vec<Recorded>) -> Vec<Recorded> {
    let mut best: BTreeMap<TopicId, Recorded> = BTreeMap::new();
    for r in incoming {
        match best.get(&r.topic) {
            Some(b) if b.changed_at >= r.changed_at => {}
            _ => {
                best.insert(r.topic.clone(), r);
            }
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

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// Milliseconds since 1970 as `2026-11-22T05:53:37.123Z`.
pub fn format_rfc3339(ms: u64) -> String {
    let secs = ms / 1000;
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z", rem / 3600, rem % 3600 / 60, rem % 60, ms % 1000)
}

/// Reads `YYYY-MM-DDTHH:MM:SS[.fff]Z` (UTC, as we write it) back into milliseconds.
pub fn parse_rfc3339(s: &str) -> Option<u64> {
    let s = s.strip_suffix('Z').or_else(|| s.strip_suffix('z'))?;
    let (date, time) = s.split_once(['T', 't'])?;
    let mut d = date.split('-');
    let (y, m, day): (i64, u32, u32) = (d.next()?.parse().ok()?, d.next()?.parse().ok()?, d.next()?.parse().ok()?);
    if d.next().is_some() || !(1970..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
    let mut t = hms.split(':');
    let (hh, mm, ss): (u64, u64, u64) = (t.next()?.parse().ok()?, t.next()?.parse().ok()?, t.next()?.parse().ok()?);
    if t.next().is_some()
        || hh > 23
        || mm > 59
        || ss > 60
        || frac.len() > 9
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let millis = format!("{frac:0<3}")[..3].parse::<u64>().ok()?;
    let days = days_from_civil(y, m, day);
    if civil_from_days(days) != (y, m, day) {
        return None; // e.g. 31 February
    }
    Some(((days as u64) * 86_400 + hh * 3600 + mm * 60 + ss) * 1000 + millis)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roadmap::content::fixtures::{core, roadmap};

    /// 2026-06-01T00:00:00Z: "now" for the imports below.
    const NOW: u64 = 1_780_272_000_000;

    #[test]
    fn a_change_dated_in_the_future_counts_as_made_at_the_import() {
        let map = roadmap(vec![core("alpha", &[])]);
        let doc = r#"{"schema":1,"exported_at":"2099-01-01T00:00:00Z","roadmaps":{"r":[{"topic":"alpha","status":"done","changed_at":"2099-01-01T00:00:00Z"}]}}"#;
        let plan = plan_import(doc, NOW, |id| (id == "r").then_some(&map)).expect("a plan");
        assert_eq!(plan.records[&map.id][0].changed_at, NOW);
    }

    fn rec(topic: &str, status: Status, at: u64) -> Recorded {
        Recorded { topic: TopicId::parse(topic).expect("test id"), status, changed_at: at }
    }

    #[test]
    fn times_round_trip_and_match_known_dates() {
        assert_eq!(format_rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_rfc3339(1_795_326_817_123), "2026-11-22T05:53:37.123Z");
        assert_eq!(format_rfc3339(951_782_400_000), "2000-02-29T00:00:00.000Z");
        for ms in [0, 1, 951_782_400_000, 1_795_326_817_123, 4_102_444_799_999] {
            assert_eq!(parse_rfc3339(&format_rfc3339(ms)), Some(ms));
        }
        assert_eq!(parse_rfc3339("2026-11-22T05:53:37Z"), Some(1_795_326_817_000));
        for bad in ["", "2026-11-22", "2026-02-31T00:00:00Z", "2026-11-22T25:00:00Z", "2026-11-22T05:53:37+01:00", "x"]
        {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn newest_change_wins_per_topic() {
        let existing = vec![rec("a", Status::Done, 100), rec("b", Status::InProgress, 300)];
        let incoming = vec![
            rec("a", Status::Skipped, 200), // newer: wins
            rec("b", Status::Done, 300),    // tie: what is there stays
            rec("c", Status::Done, 50),     // new topic
            rec("c", Status::InProgress, 40),
        ];
        let mut won = newer_than(&existing, incoming);
        won.sort_by(|x, y| x.topic.cmp(&y.topic));
        assert_eq!(won, vec![rec("a", Status::Skipped, 200), rec("c", Status::Done, 50)]);
    }

    #[test]
    fn export_then_plan_reproduces_the_records_and_reports_what_it_skips() {
        let map = roadmap(vec![core("alpha", &[]), core("beta", &["alpha"])]);
        let mut all = BTreeMap::new();
        all.insert(map.id.clone(), vec![rec("alpha", Status::Done, 1_000), rec("beta", Status::Skipped, 2_000)]);
        let doc = ProgressExport::new(5_000, all.clone(), BTreeMap::new());
        let text = serde_json::to_string(&doc).unwrap();
        let plan = plan_import(&text, NOW, |id| (id == map.id.as_str()).then_some(&map)).unwrap();
        assert_eq!(plan.records, all);
        assert!(plan.skipped.is_empty());

        let odd = text.replace("\"beta\"", "\"gamma\"").replace(&format!("\"{}\"", map.id.as_str()), "\"nope\"");
        let plan = plan_import(&odd, NOW, |id| (id == map.id.as_str()).then_some(&map)).unwrap();
        assert!(plan.records.is_empty());
        assert_eq!(plan.skipped, vec!["2 statuses of unknown roadmap `nope`".to_owned()]);
    }

    #[test]
    fn notes_export_and_import_under_schema_2_and_schema_1_still_reads() {
        use crate::roadmap::content::{fixtures::topic, Kind};
        let map = roadmap(vec![topic("alpha", Kind::Core, None, &[], &["old-alpha"]), core("beta", &[])]);
        let find = |id: &str| (id == map.id.as_str()).then_some(&map);
        let note = |t: &str, text: &str, at: u64| NoteRecord {
            topic: TopicId::parse(t).unwrap(),
            text: text.into(),
            changed_at: at,
        };
        let notes = BTreeMap::from([(map.id.clone(), vec![note("alpha", "dig +trace\n\n**bold**", 1_000)])]);
        let doc = ProgressExport::new(5_000, BTreeMap::new(), notes.clone());
        assert_eq!(doc.schema, 2);
        let text = serde_json::to_string(&doc).unwrap();
        assert!(text.contains(r#""notes":{"r":[{"topic":"alpha","note":"dig +trace\n\n**bold**""#), "{text}");
        let plan = plan_import(&text, NOW, find).unwrap();
        assert_eq!(plan.notes, notes);
        // A former id, an empty note, a note too long and one on a topic that is gone.
        let long = "x".repeat(10_001);
        let doc2 = format!(
            r#"{{"schema":2,"exported_at":"2026-01-01T00:00:00Z","roadmaps":{{}},"notes":{{"r":[
            {{"topic":"old-alpha","note":"renamed","changed_at":"2026-01-01T00:00:00Z"}},
            {{"topic":"beta","note":"   ","changed_at":"2026-01-01T00:00:00Z"}},
            {{"topic":"beta","note":"{long}","changed_at":"2026-01-01T00:00:00Z"}},
            {{"topic":"gone","note":"x","changed_at":"2026-01-01T00:00:00Z"}}]}}}}"#
        );
        let plan = plan_import(&doc2, NOW, find).unwrap();
        assert_eq!(plan.notes[&map.id], vec![note("alpha", "renamed", 1_767_225_600_000)]);
        assert_eq!(plan.skipped.len(), 3, "{:?}", plan.skipped);
        assert!(plan.skipped[1].contains("at most 10000"), "{:?}", plan.skipped);
        // Version 1 had no notes; it still imports.
        let v1 = r#"{"schema":1,"exported_at":"2026-01-01T00:00:00Z","roadmaps":{"r":[{"topic":"beta","status":"done","changed_at":"2026-01-01T00:00:00Z"}]}}"#;
        let plan = plan_import(v1, NOW, find).unwrap();
        assert_eq!(plan.records[&map.id].len(), 1);
        assert!(plan.notes.is_empty());
    }

    #[test]
    fn former_topic_ids_are_imported_under_the_current_one() {
        use crate::roadmap::content::{fixtures::topic, Kind};
        let map = roadmap(vec![topic("beta", Kind::Core, None, &[], &["old-beta"])]);
        let doc = r#"{"schema":1,"exported_at":"2026-01-01T00:00:00Z","roadmaps":{"r":[{"topic":"old-beta","status":"done","changed_at":"2026-01-01T00:00:00Z"}]}}"#;
        let plan = plan_import(doc, NOW, |id| (id == "r").then_some(&map)).unwrap();
        assert_eq!(plan.records[&RoadmapId::parse("r").unwrap()], vec![rec("beta", Status::Done, 1_767_225_600_000)]);
    }

    #[test]
    fn bad_documents_get_sentences() {
        let map = roadmap(vec![core("alpha", &[])]);
        let find = |id: &str| (id == map.id.as_str()).then_some(&map);
        assert!(plan_import("", NOW, find).unwrap_err().contains("empty"));
        assert!(plan_import("{not json", NOW, find).unwrap_err().contains("not a backroad export"));
        assert!(plan_import(r#"{"schema":3,"exported_at":"x","roadmaps":{}}"#, NOW, find)
            .unwrap_err()
            .contains("version 3"));
        assert!(plan_import(r#"{"schema":0,"exported_at":"x","roadmaps":{}}"#, NOW, find).is_err());
        let unknown_status = r#"{"schema":1,"exported_at":"x","roadmaps":{"r":[{"topic":"alpha","status":"mastered","changed_at":"2026-01-01T00:00:00Z"}]}}"#;
        assert!(plan_import(unknown_status, NOW, find).unwrap_err().contains("not a backroad export"));
    }
}
