//! Progress math: from what a learner recorded to the summary the app shows and returns.

use super::content::Roadmap;
use super::ids::TopicId;
use super::status::Status;
use super::status_map::StatusMap;
use serde::{Deserialize, Serialize};
use std::borrow::Borrow;

/// One stored status, as the store hands it back: the topic id it was written under
/// (possibly a former id), the status, and when it was set (ms since the Unix epoch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub topic: TopicId,
    pub status: Status,
    pub changed_at: u64,
}

/// What a topic's status was before its last change, for undo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "was", rename_all = "snake_case")]
pub enum Previous {
    /// No status was recorded (undo removes the record: the topic reads "not started").
    Unrecorded,
    /// This status, set then (ms since the Unix epoch).
    Status { status: Status, changed_at: u64 },
}

impl Previous {
    /// The status the topic shows after an undo.
    pub fn status(self) -> Status {
        match self {
            Previous::Unrecorded => Status::None,
            Previous::Status { status, .. } => status,
        }
    }

    /// What a new status `status` over `before` (what is recorded: status, time and its own
    /// previous) leaves to undo: the status before, unless it is the same status again (then
    /// the older undo stays).
    pub fn after_writing(status: Status, before: Option<(Status, u64, Option<Previous>)>) -> Option<Previous> {
        match before {
            None => Some(Previous::Unrecorded),
            Some((old, _, kept)) if old == status => kept,
            Some((old, at, _)) => Some(Previous::Status { status: old, changed_at: at }),
        }
    }
}

/// A learner's progress on one roadmap. This is the public JSON of
/// `/api/set_topic_status` and `/api/get_progress`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressSummary {
    pub roadmap: String,
    pub done: u32,
    pub in_progress: u32,
    pub skipped: u32,
    pub total: u32,
    /// done ÷ (total − skipped), as a whole percent rounded down; 0 when nothing is left to count.
    pub percent: u32,
    /// Every topic of the roadmap, `none` where nothing was recorded.
    pub statuses: StatusMap,
}

impl ProgressSummary {
    /// Builds the summary for `roadmap` from stored records. Records under a former id count
    /// for the renamed topic; where two records land on one topic the most recent wins.
    /// Records for topics the roadmap no longer has are ignored.
    pub fn compute<R: Borrow<Recorded>>(roadmap: &Roadmap, records: impl IntoIterator<Item = R>) -> Self {
        // Every page a learner opens builds one: by place, with no map of its own.
        let mut latest = vec![(0u64, Status::None); roadmap.topics.len()];
        for r in records {
            let r = r.borrow();
            let Some(place) = roadmap.status_place(r.topic.as_str()) else { continue };
            let slot = &mut latest[place];
            // Ties go to the record under the current id, which the store lists last.
            if r.changed_at >= slot.0 {
                *slot = (r.changed_at, r.status);
            }
        }
        let statuses = StatusMap::with_values(roadmap.status_keys(), latest.into_iter().map(|(_, s)| s).collect());
        Self::from_statuses(roadmap.id.as_str(), statuses)
    }

    /// Nothing done yet: every topic `none`.
    pub fn none(roadmap: &Roadmap) -> Self {
        Self::from_statuses(roadmap.id.as_str(), StatusMap::none(roadmap.status_keys()))
    }

    /// Counts a full status map.
    pub fn from_statuses(roadmap: &str, statuses: impl Into<StatusMap>) -> Self {
        let statuses = statuses.into();
        let count = |want: Status| statuses.count(want);
        let (done, in_progress, skipped) = (count(Status::Done), count(Status::InProgress), count(Status::Skipped));
        let total = statuses.len() as u32;
        ProgressSummary {
            roadmap: roadmap.to_owned(),
            done,
            in_progress,
            skipped,
            total,
            percent: percent(done, total, skipped),
            statuses,
        }
    }

    pub fn status_of(&self, topic: &str) -> Status {
        self.statuses.get(topic).unwrap_or_default()
    }

    /// The same summary with one topic's status changed and the counts redone: what the
    /// page shows while the server has not answered yet. Unknown topics change nothing.
    pub fn with_status(&self, topic: &str, status: Status) -> Self {
        let mut statuses = self.statuses.clone();
        if !statuses.set(topic, status) {
            return self.clone();
        }
        Self::from_statuses(&self.roadmap, statuses)
    }
}

/// done ÷ (total − skipped), rounded down. With nothing left to count it is 0.
pub fn percent(done: u32, total: u32, skipped: u32) -> u32 {
    let counted = total.saturating_sub(skipped);
    if counted == 0 {
        0
    } else {
        ((u64::from(done) * 100) / u64::from(counted)) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roadmap::content::fixtures::roadmap;

    #[test]
    fn a_change_leaves_the_status_before_it_to_undo_but_the_same_status_again_keeps_the_older() {
        let was = |status, changed_at| Some(Previous::Status { status, changed_at });
        assert_eq!(Previous::after_writing(Status::Done, None), Some(Previous::Unrecorded));
        assert_eq!(
            Previous::after_writing(Status::Done, Some((Status::InProgress, 5, None))),
            was(Status::InProgress, 5)
        );
        let kept = was(Status::None, 1);
        assert_eq!(Previous::after_writing(Status::Done, Some((Status::Done, 9, kept))), kept);
        assert_eq!(Previous::after_writing(Status::Done, Some((Status::Done, 9, None))), None);
        assert_eq!(Previous::Unrecorded.status(), Status::None);
    }
    use crate::roadmap::content::{fixtures, Kind, Topic};

    fn topic(id: &str, aliases: &[&str]) -> Topic {
        fixtures::topic(id, Kind::Core, None, &[], aliases)
    }

    fn rec(topic: &str, status: Status, at: u64) -> Recorded {
        Recorded { topic: TopicId::parse(topic).expect("test id"), status, changed_at: at }
    }

    #[test]
    fn percent_is_done_over_total_minus_skipped_rounded_down() {
        assert_eq!(percent(1, 3, 0), 33);
        assert_eq!(percent(2, 3, 0), 66);
        assert_eq!(percent(1, 3, 1), 50);
        assert_eq!(percent(3, 3, 0), 100);
        assert_eq!(percent(0, 0, 0), 0);
        assert_eq!(percent(0, 4, 4), 0);
        assert_eq!(percent(u32::MAX, u32::MAX, 0), 100);
    }

    #[test]
    fn summary_counts_and_fills_missing_topics_with_none() {
        let rm = roadmap(vec![topic("a", &[]), topic("b", &[]), topic("c", &[]), topic("d", &[])]);
        let s = ProgressSummary::compute(
            &rm,
            [rec("a", Status::Done, 1), rec("b", Status::Skipped, 1), rec("c", Status::InProgress, 1)],
        );
        assert_eq!((s.done, s.in_progress, s.skipped, s.total), (1, 1, 1, 4));
        assert_eq!(s.percent, 33);
        assert_eq!(s.statuses.len(), 4);
        assert_eq!(s.status_of("d"), Status::None);
        assert_eq!(s.roadmap, "r");
    }

    #[test]
    fn records_under_an_alias_count_for_the_renamed_topic() {
        let rm = roadmap(vec![topic("new-name", &["old-name"]), topic("other", &[])]);
        let s = ProgressSummary::compute(&rm, [rec("old-name", Status::Done, 5)]);
        assert_eq!(s.status_of("new-name"), Status::Done);
        assert_eq!(s.statuses.get("old-name"), None);
        assert_eq!(s.done, 1);
    }

    #[test]
    fn most_recent_record_wins_between_alias_and_current_id() {
        let rm = roadmap(vec![topic("new-name", &["old-name"])]);
        let newer_alias = [rec("new-name", Status::InProgress, 5), rec("old-name", Status::Done, 9)];
        assert_eq!(ProgressSummary::compute(&rm, newer_alias).status_of("new-name"), Status::Done);
        let newer_current = [rec("old-name", Status::Done, 5), rec("new-name", Status::Skipped, 9)];
        assert_eq!(ProgressSummary::compute(&rm, newer_current).status_of("new-name"), Status::Skipped);
    }

    #[test]
    fn with_status_changes_one_topic_and_recounts() {
        let rm = roadmap(vec![topic("a", &[]), topic("b", &[]), topic("c", &[])]);
        let s = ProgressSummary::compute(&rm, [rec("a", Status::Done, 1)]);
        let t = s.with_status("b", Status::Skipped);
        assert_eq!((t.done, t.skipped, t.percent), (1, 1, 50));
        assert_eq!(t.status_of("b"), Status::Skipped);
        let back = t.with_status("b", Status::None);
        assert_eq!(back, s);
        assert_eq!(s.with_status("not-a-topic", Status::Done), s);
    }

    #[test]
    fn records_for_removed_topics_are_ignored() {
        let rm = roadmap(vec![topic("a", &[])]);
        let s = ProgressSummary::compute(&rm, [rec("gone", Status::Done, 1)]);
        assert_eq!((s.done, s.total), (0, 1));
    }

    #[test]
    fn json_shape_is_the_public_contract() {
        let rm = roadmap(vec![topic("a", &[]), topic("b", &[])]);
        let s = ProgressSummary::compute(&rm, [rec("a", Status::InProgress, 1)]);
        let v: serde_json::Value = serde_json::to_value(&s).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "roadmap": "r", "done": 0, "in_progress": 1, "skipped": 0, "total": 2, "percent": 0,
                "statuses": {"a": "in_progress", "b": "none"}
            })
        );
    }
}
