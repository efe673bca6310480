//! "What to learn next": the topics a learner can start now, most important first.

use super::content::{Kind, Topic, ANY_OF};
use super::status::Status;
use super::views::TopicCard;

/// What the planner needs to know of a topic; both the content model and the page's
/// topic cards have it, so the same plan is made on the server and in the browser.
pub trait PlanTopic {
    fn topic_id(&self) -> &str;
    fn topic_kind(&self) -> Kind;
    fn topic_group(&self) -> Option<&str>;
    /// Topic prerequisites: each must be done or skipped.
    fn prerequisites(&self) -> Vec<&str>;
    /// Groups of which one member must be done (skipping an alternative is not knowing it).
    fn prerequisite_groups(&self) -> Vec<&str>;
}

impl PlanTopic for Topic {
    fn topic_id(&self) -> &str {
        self.id.as_str()
    }
    fn topic_kind(&self) -> Kind {
        self.kind
    }
    fn topic_group(&self) -> Option<&str> {
        self.group.as_deref()
    }
    fn prerequisites(&self) -> Vec<&str> {
        self.requires.iter().map(|r| r.as_str()).collect()
    }
    fn prerequisite_groups(&self) -> Vec<&str> {
        self.requires_any.iter().map(String::as_str).collect()
    }
}

impl PlanTopic for TopicCard {
    fn topic_id(&self) -> &str {
        &self.id
    }
    fn topic_kind(&self) -> Kind {
        self.kind
    }
    fn topic_group(&self) -> Option<&str> {
        self.group.as_deref()
    }
    fn prerequisites(&self) -> Vec<&str> {
        self.requires.iter().filter(|r| !r.starts_with(ANY_OF)).map(String::as_str).collect()
    }
    fn prerequisite_groups(&self) -> Vec<&str> {
        self.requires.iter().filter_map(|r| r.strip_prefix(ANY_OF)).collect()
    }
}

/// Groups of alternatives in which the learner has chosen (done or started) a member.
fn chosen_groups<'a, T: PlanTopic>(topics: &[&'a T], status: &impl Fn(&str) -> Status) -> Vec<&'a str> {
    topics
        .iter()
        .filter(|t| matches!(status(t.topic_id()), Status::Done | Status::InProgress))
        .filter_map(|t| t.topic_group())
        .collect()
}

/// Topics whose prerequisites are all done (or skipped), with one member done of each group
/// they need (`any:`), and which are neither done nor skipped: core first, then alternatives, then optional; within a kind in roadmap order.
/// Once a learner has chosen one alternative of a group (done or in progress), the other
/// members of that group are no longer suggested.
pub fn next_topics<'a, T: PlanTopic>(topics: &[&'a T], status: impl Fn(&str) -> Status) -> Vec<&'a T> {
    let settled = |id: &str| matches!(status(id), Status::Done | Status::Skipped);
    let chosen_groups = chosen_groups(topics, &status);
    let known_groups: Vec<&str> =
        topics.iter().filter(|t| status(t.topic_id()) == Status::Done).filter_map(|t| t.topic_group()).collect();
    let mut ready: Vec<&'a T> = topics
        .iter()
        .copied()
        .filter(|t| !settled(t.topic_id()))
        .filter(|t| t.prerequisites().iter().all(|r| settled(r)))
        .filter(|t| t.prerequisite_groups().iter().all(|g| known_groups.contains(g)))
        .filter(|t| match t.topic_group() {
            Some(g) if chosen_groups.contains(&g) => status(t.topic_id()) == Status::InProgress,
            _ => true,
        })
        .collect();
    // A stable sort keeps roadmap order within each kind.
    ready.sort_by_key(|t| match t.topic_kind() {
        Kind::Core => 0,
        Kind::Alternative => 1,
        Kind::Optional => 2,
    });
    ready
}

/// Topics on the learner's own path: core topics they have not skipped, the alternatives of
/// groups where they have not chosen yet (or the one they chose), and anything they started.
pub fn on_my_path<'a, T: PlanTopic>(topics: &[&'a T], status: impl Fn(&str) -> Status) -> Vec<&'a str> {
    let chosen_groups = chosen_groups(topics, &status);
    topics
        .iter()
        .filter(|t| match status(t.topic_id()) {
            Status::Skipped => false,
            Status::Done | Status::InProgress => true,
            Status::None => match t.topic_kind() {
                Kind::Core => true,
                Kind::Alternative => t.topic_group().is_none_or(|g| !chosen_groups.contains(&g)),
                Kind::Optional => false,
            },
        })
        .map(|t| t.topic_id())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roadmap::content::{fixtures, Roadmap};
    use crate::roadmap::progress::{ProgressSummary, Recorded};

    fn topic(id: &str, kind: Kind, group: Option<&str>, requires: &[&str]) -> Topic {
        fixtures::topic(id, kind, group, requires, &[])
    }

    /// basics -> {lang-a | lang-b} -> framework-a (needs lang-a); basics -> extra (optional);
    /// basics -> deep (core) -> deeper (core)
    fn roadmap() -> Roadmap {
        let topics = vec![
            topic("basics", Kind::Core, None, &[]),
            topic("extra", Kind::Optional, None, &["basics"]),
            topic("lang-a", Kind::Alternative, Some("lang"), &["basics"]),
            topic("lang-b", Kind::Alternative, Some("lang"), &["basics"]),
            topic("framework-a", Kind::Alternative, Some("fw"), &["lang-a"]),
            topic("deep", Kind::Core, None, &["basics"]),
            topic("deeper", Kind::Core, None, &["deep"]),
        ];
        fixtures::roadmap(topics)
    }

    fn ids(rm: &Roadmap, set: &[(&str, Status)]) -> Vec<String> {
        let records = set.iter().map(|(t, s)| Recorded {
            topic: crate::roadmap::TopicId::parse(t).expect("test id"),
            status: *s,
            changed_at: 1,
        });
        let progress = ProgressSummary::compute(rm, records);
        let topics: Vec<&Topic> = rm.topics.iter().collect();
        next_topics(&topics, |id| progress.status_of(id)).iter().map(|t| t.id.to_string()).collect()
    }

    #[test]
    fn a_new_learner_starts_at_the_roots() {
        assert_eq!(ids(&roadmap(), &[]), ["basics"]);
    }

    #[test]
    fn core_comes_before_alternatives_and_optional() {
        assert_eq!(ids(&roadmap(), &[("basics", Status::Done)]), ["deep", "lang-a", "lang-b", "extra"]);
    }

    #[test]
    fn skipped_prerequisites_count_as_settled_and_skipped_topics_are_not_suggested() {
        let rm = roadmap();
        assert_eq!(ids(&rm, &[("basics", Status::Skipped), ("extra", Status::Skipped)]), ["deep", "lang-a", "lang-b"]);
    }

    #[test]
    fn in_progress_topics_stay_suggested_until_done() {
        let rm = roadmap();
        let next = ids(&rm, &[("basics", Status::Done), ("deep", Status::InProgress)]);
        assert!(next.contains(&"deep".to_owned()));
        assert!(!next.contains(&"deeper".to_owned()), "deeper waits for deep");
    }

    #[test]
    fn a_topic_needing_any_member_of_a_group_waits_for_one_done_not_skipped() {
        let mut testing = topic("testing", Kind::Core, None, &["basics"]);
        testing.requires_any = vec!["lang".into()];
        let rm = fixtures::roadmap(roadmap().topics.into_iter().chain([testing]).collect());
        let shown = |set: &[(&str, Status)]| ids(&rm, set).contains(&"testing".to_owned());
        assert!(!shown(&[("basics", Status::Done)]), "no language yet");
        assert!(!shown(&[("basics", Status::Done), ("lang-a", Status::Skipped)]), "skipping one is not knowing it");
        assert!(!shown(&[("basics", Status::Done), ("lang-b", Status::InProgress)]), "still learning it");
        assert!(shown(&[("basics", Status::Done), ("lang-b", Status::Done)]));
        // The island plans from topic cards, which carry the same requirement as `any:lang`.
        let card = crate::roadmap::views::RoadmapView::of(&rm).sections[0].topics.last().cloned().expect("a card");
        assert_eq!(card.requires, ["basics", "any:lang"]);
        assert_eq!((card.prerequisites(), card.prerequisite_groups()), (vec!["basics"], vec!["lang"]));
    }

    #[test]
    fn choosing_one_alternative_hides_the_others_of_its_group() {
        let rm = roadmap();
        let next = ids(&rm, &[("basics", Status::Done), ("lang-a", Status::Done)]);
        assert_eq!(next, ["deep", "framework-a", "extra"]);
        let started = ids(&rm, &[("basics", Status::Done), ("lang-b", Status::InProgress)]);
        assert_eq!(started, ["deep", "lang-b", "extra"]);
    }

    #[test]
    fn my_path_keeps_core_the_chosen_alternative_and_what_was_started() {
        let rm = roadmap();
        let path = |set: &[(&str, Status)]| {
            let records = set.iter().map(|(t, s)| Recorded {
                topic: crate::roadmap::TopicId::parse(t).expect("test id"),
                status: *s,
                changed_at: 1,
            });
            let progress = ProgressSummary::compute(&rm, records);
            let topics: Vec<&Topic> = rm.topics.iter().collect();
            on_my_path(&topics, |id| progress.status_of(id)).into_iter().map(str::to_owned).collect::<Vec<_>>()
        };
        // Before choosing, every alternative is a candidate; optional topics are not on the path.
        assert_eq!(path(&[]), ["basics", "lang-a", "lang-b", "framework-a", "deep", "deeper"]);
        // After choosing lang-a, lang-b leaves the path; a started optional topic joins it.
        assert_eq!(
            path(&[("lang-a", Status::InProgress), ("extra", Status::Done), ("deeper", Status::Skipped)]),
            ["basics", "extra", "lang-a", "framework-a", "deep"]
        );
    }

    #[test]
    fn everything_done_means_nothing_next() {
        let rm = roadmap();
        let all: Vec<(&str, Status)> = rm.topics.iter().map(|t| (t.id.as_str(), Status::Done)).collect();
        assert!(ids(&rm, &all).is_empty());
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_page_cards_give_the_same_plan_as_the_content() {
        use crate::roadmap::catalog::Catalog;
        let catalog = Catalog::builtin().expect("content");
        let rm = catalog.roadmap("backend").expect("backend");
        let view = catalog.view("backend").expect("view");
        let done =
            ["how-the-internet-works", "http", "backend-anatomy", "terminal-and-shell", "programming-fundamentals"];
        let records = done
            .iter()
            .map(|t| (*t, Status::Done))
            .chain([("choosing-a-language", Status::Done), ("python", Status::InProgress)])
            .map(|(t, s)| Recorded {
                topic: crate::roadmap::TopicId::parse(t).expect("test id"),
                status: s,
                changed_at: 1,
            });
        let progress = ProgressSummary::compute(rm, records);
        let topics: Vec<&Topic> = rm.topics.iter().collect();
        let cards: Vec<&TopicCard> = view.topics().collect();
        let from_content: Vec<&str> =
            next_topics(&topics, |id| progress.status_of(id)).iter().map(|t| t.id.as_str()).collect();
        let from_cards: Vec<&str> =
            next_topics(&cards, |id| progress.status_of(id)).iter().map(|t| t.id.as_str()).collect();
        assert_eq!(from_content, from_cards);
        assert!(from_content.contains(&"dns"));
        assert!(from_content.contains(&"python"), "the chosen language stays");
        assert!(!from_content.contains(&"go"), "other languages are hidden once one is chosen");
    }
}
