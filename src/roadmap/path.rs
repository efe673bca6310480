//! The core path as one learner walks it, in hours: what the roadmap page's progress bar
//! and its "Core path: 28% done · about 699 focused hours left" line say.

use super::content::Kind;
use super::status::Status;
use super::views::TopicCard;

/// The core path as this learner walks it: every core topic, and in each pick-one group the
/// member they chose (done or in progress) or, until they choose, the shortest member.
/// Skipped topics count as settled and leave the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PathProgress {
    pub done_hours: u32,
    pub total_hours: u32,
    /// Pick-one groups with no member chosen yet.
    pub open_groups: u32,
}

impl PathProgress {
    pub fn of(cards: &[&TopicCard], status: &impl Fn(&str) -> Status) -> Self {
        let mut path = PathProgress::default();
        let mut groups: Vec<&str> = Vec::new();
        for t in cards {
            if let (Kind::Alternative, Some(g)) = (t.kind, t.group.as_deref()) {
                if !groups.contains(&g) {
                    groups.push(g);
                }
            }
        }
        let count = |path: &mut PathProgress, t: &TopicCard| match status(&t.id) {
            Status::Skipped => {}
            Status::Done => {
                path.done_hours += t.hours;
                path.total_hours += t.hours;
            }
            Status::InProgress | Status::None => path.total_hours += t.hours,
        };
        for t in cards.iter().filter(|t| t.kind == Kind::Core) {
            count(&mut path, t);
        }
        for g in groups {
            let members: Vec<&TopicCard> = cards.iter().copied().filter(|t| t.group.as_deref() == Some(g)).collect();
            let chosen: Vec<&TopicCard> = members
                .iter()
                .copied()
                .filter(|t| matches!(status(&t.id), Status::Done | Status::InProgress))
                .collect();
            if chosen.is_empty() {
                path.open_groups += 1;
                if let Some(shortest) =
                    members.iter().filter(|t| status(&t.id) != Status::Skipped).min_by_key(|t| t.hours)
                {
                    path.total_hours += shortest.hours;
                }
            } else {
                for t in chosen {
                    count(&mut path, t);
                }
            }
        }
        path
    }

    /// Percent of the path's hours done: at least 1 once anything is done, 100 only when
    /// everything is.
    pub fn percent(&self) -> u32 {
        if self.total_hours == 0 || self.done_hours == 0 {
            return 0;
        }
        let p = (u64::from(self.done_hours) * 100 / u64::from(self.total_hours)) as u32;
        if self.done_hours >= self.total_hours {
            100
        } else {
            p.clamp(1, 99)
        }
    }

    pub fn hours_left(&self) -> u32 {
        self.total_hours.saturating_sub(self.done_hours)
    }
}

/// "Core path: 28% done · about 699 focused hours left (about 18 weeks at 40 hours a
/// week)", and which choices are still open.
pub fn path_text(path: &PathProgress) -> String {
    let left = path.hours_left();
    let mut text = format!("Core path: {}% done · about {left} focused hours left", path.percent());
    if left > 0 {
        let weeks = left.div_ceil(40);
        text.push_str(&format!(" (about {weeks} {} at 40 hours a week)", if weeks == 1 { "week" } else { "weeks" }));
    }
    match path.open_groups {
        0 => text.push('.'),
        1 => text.push_str(", counting the shortest option of the one pick-one group you have not chosen from yet."),
        n => text.push_str(&format!(
            ", counting the shortest option of the {n} pick-one groups you have not chosen from yet."
        )),
    }
    text
}
