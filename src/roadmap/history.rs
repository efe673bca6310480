//! The content's history as data: calendar days and what happened to a topic on one (added,
//! revised, renamed, retired). A leaf of the domain: the content model, the export's dates
//! and "what changed" (`changes`) all build on it.

use serde::{Deserialize, Serialize};

const DAY_MS: u64 = 86_400_000;

/// A calendar day (UTC), as days since 1970-01-01; written `2026-12-03` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i64);

impl Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Day::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a date (YYYY-MM-DD)")))
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Day {
    /// Reads `YYYY-MM-DD` (a real date from 1970 to 9999); anything else is `None`.
    pub fn parse(s: &str) -> Option<Day> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if !(1970..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        let days = days_from_civil(i64::from(y), m, d);
        (civil_from_days(days) == (i64::from(y), m, d)).then_some(Day(days))
    }

    /// The day a moment (ms since 1970) falls on, in UTC.
    pub fn of_ms(ms: u64) -> Day {
        Day((ms / DAY_MS) as i64)
    }

    /// The day's first millisecond.
    pub fn start_ms(self) -> u64 {
        (self.0.max(0) as u64) * DAY_MS
    }

    fn civil(self) -> (i64, u32, u32) {
        civil_from_days(self.0)
    }

    /// `2026-12-03`.
    pub fn iso(self) -> String {
        let (y, m, d) = self.civil();
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// `3 December 2026`.
    pub fn long(self) -> String {
        let (y, m, d) = self.civil();
        format!("{d} {} {y}", MONTHS[(m - 1) as usize])
    }

    /// `3 December`, with the year only when it is not `today`'s.
    pub fn short(self, today: Day) -> String {
        let (y, m, d) = self.civil();
        if y == today.civil().0 {
            format!("{d} {}", MONTHS[(m - 1) as usize])
        } else {
            self.long()
        }
    }
}

/// What happened to a topic's content on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// The topic is new.
    Added,
    /// Its text changed meaningfully (what to learn, its outcomes, its prerequisites).
    Revised,
    /// Its id changed (the old one is kept as an alias, so progress follows it).
    Renamed,
    /// It left the roadmap (`retired` in the roadmap's manifest); stored progress stays.
    Retired,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Revised => "revised",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Retired => "retired",
        }
    }

    /// How a topic's panel says it: "Updated on 3 December 2026: …".
    pub fn verb(self) -> &'static str {
        match self {
            ChangeKind::Added => "Added",
            ChangeKind::Revised => "Updated",
            ChangeKind::Renamed => "Renamed",
            ChangeKind::Retired => "Retired",
        }
    }

    /// The word a list of changes shows.
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::Added => "New",
            ChangeKind::Revised => "Updated",
            ChangeKind::Renamed => "Renamed",
            ChangeKind::Retired => "Retired",
        }
    }
}

/// One entry of a topic's history, as the content writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicChange {
    pub on: Day,
    pub kind: ChangeKind,
    /// One line saying what changed, for the learner.
    pub note: String,
}

/// One entry of a roadmap's history: which topic (its current id, or the retired one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub topic: String,
    pub title: String,
    pub on: Day,
    pub kind: ChangeKind,
    pub note: String,
}

/// The latest meaningful revision of a topic's text, from its history.
pub fn latest_revision(history: &[TopicChange]) -> Option<&TopicChange> {
    history.iter().filter(|c| c.kind == ChangeKind::Revised).max_by_key(|c| c.on)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}
