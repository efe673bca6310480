use super::*;
use crate::roadmap::TopicId;

fn day(s: &str) -> Day {
    Day::parse(s).expect("a date")
}

fn at(s: &str, hour: u64) -> u64 {
    day(s).start_ms() + hour * 3_600_000
}

fn change(topic: &str, on: &str, kind: ChangeKind) -> Change {
    Change { topic: topic.into(), title: topic.into(), on: day(on), kind, note: format!("{topic} changed.") }
}

fn revised(on: &str, note: &str) -> TopicChange {
    TopicChange { on: day(on), kind: ChangeKind::Revised, note: note.into() }
}

fn done(topic: &str, when: u64) -> Recorded {
    Recorded { topic: TopicId::parse(topic).expect("id"), status: Status::Done, changed_at: when }
}

#[test]
fn days_read_and_print_as_people_write_them() {
    assert_eq!(day("1970-01-01"), Day(0));
    assert_eq!(day("2026-12-03").iso(), "2026-12-03");
    assert_eq!(day("2026-12-03").long(), "3 December 2026");
    assert_eq!(day("2026-11-12").short(day("2026-12-04")), "12 November");
    assert_eq!(day("2025-11-12").short(day("2026-12-04")), "12 November 2025");
    assert_eq!(Day::of_ms(at("2026-12-03", 23)), day("2026-12-03"));
    assert_eq!(Day::of_ms(day("2026-12-04").start_ms()), day("2026-12-04"));
    for bad in ["2026-02-30", "2026-13-01", "2026-1-01", "26-01-01", "2026/01/01", "", "1969-12-31", "2026-12-03x"] {
        assert_eq!(Day::parse(bad), None, "{bad}");
    }
}

#[test]
fn a_visit_starts_after_half_an_hour_away_and_is_written_only_when_stale() {
    let t0 = at("2026-11-12", 10);
    let (first, write) = arrive(None, t0, VISIT_GAP_MS);
    assert_eq!((first, write), (VisitRecord { previous: None, last: t0 }, true));
    // A reload a minute later: nothing to write, still the first visit.
    assert_eq!(arrive(Some(first), t0 + 60_000, VISIT_GAP_MS), (first, false));
    // Ten minutes on: the same visit, its time refreshed.
    let (later, write) = arrive(Some(first), t0 + 10 * 60_000, VISIT_GAP_MS);
    assert_eq!((later, write), (VisitRecord { previous: None, last: t0 + 10 * 60_000 }, true));
    // Back the next day: a new visit; the previous one ended when it was last seen.
    let next_day = at("2026-11-13", 9);
    let (back, write) = arrive(Some(later), next_day, VISIT_GAP_MS);
    assert_eq!((back, write), (VisitRecord { previous: Some(t0 + 10 * 60_000), last: next_day }, true));
    // Reloads during the new visit keep saying "since" the same moment.
    assert_eq!(arrive(Some(back), next_day + 20 * 60_000, VISIT_GAP_MS).0.previous, Some(t0 + 10 * 60_000));
    // A shorter gap (a test server's): a second away is a new visit; writes every sixth of it.
    assert_eq!(arrive(Some(back), next_day + 1_001, 1_000).0.previous, Some(next_day));
    assert_eq!(arrive(Some(back), next_day + 200, 1_000), (VisitRecord { last: next_day + 200, ..back }, true));
}

#[test]
fn the_line_counts_topics_changed_since_the_visit_day() {
    let history = vec![
        change("c", "2026-12-03", ChangeKind::Added),
        change("c", "2026-12-05", ChangeKind::Revised),
        change("a", "2026-12-03", ChangeKind::Revised),
        change("a", "2026-12-02", ChangeKind::Revised),
        change("b", "2026-12-01", ChangeKind::Revised),
        change("old", "2026-12-04", ChangeKind::Retired),
        change("d", "2026-11-01", ChangeKind::Added),
    ];
    let counts = counts_since(&history, day("2026-12-02"));
    // `a` once however often, `c` new (its revision after does not make it "updated").
    assert_eq!(counts, ChangeCounts { updated: 1, added: 1, retired: 1 });
    let line = since_line("backend", &history, day("2026-12-02"), day("2026-12-06"));
    assert_eq!(
        line,
        r#"Since your visit on 2 December: 1 topic updated, 1 new, 1 retired. <a href="/changes?roadmap=backend&amp;since=2026-12-02">See what changed</a>"#
    );
    // The visit's own day counts; nothing after the last change says nothing.
    assert_eq!(counts_since(&history, day("2026-12-05")).updated, 1);
    assert_eq!(since_line("backend", &history, day("2026-12-06"), day("2026-12-06")), "");
    assert!(since_line("backend", &history, day("2026-11-30"), day("2026-12-06"))
        .contains("2 topics updated, 1 new, 1 retired"));
}

#[test]
fn a_topic_finished_before_its_revision_is_flagged_until_opened() {
    let history_a = vec![revised("2026-11-01", "First."), revised("2026-12-03", "Covers `HTTP/3` <now>.")];
    let history_b = vec![revised("2026-12-03", "B changed.")];
    let none: &[TopicId] = &[];
    let topics = || {
        vec![
            Revisable { id: "a", history: &history_a, aliases: none },
            Revisable { id: "b", history: &history_b, aliases: none },
            Revisable { id: "c", history: &[], aliases: none },
        ]
        .into_iter()
    };
    let visit = VisitRecord { previous: None, last: at("2026-12-04", 9) };
    let now = at("2026-12-04", 9);
    // a: done before the revision; b: done after it; c: never revised.
    let records = vec![done("a", at("2026-11-20", 8)), done("b", at("2026-12-04", 8)), done("c", 1)];
    let seen_now = seen("backend", &[], topics(), &visit, &BTreeMap::new(), &records, now);
    assert_eq!(seen_now.updated.keys().collect::<Vec<_>>(), ["a"]);
    assert_eq!(
        seen_now.updated["a"],
        "<strong>Updated since you finished it</strong> (3 December 2026): Covers `HTTP/3` &lt;now&gt;."
    );
    // The first visit says nothing in the line.
    assert_eq!(seen_now.since, "");
    // Opened after the revision: no longer flagged. Opened before it: still flagged.
    let opened = BTreeMap::from([("a".to_owned(), at("2026-12-04", 8))]);
    assert!(seen("backend", &[], topics(), &visit, &opened, &records, now).updated.is_empty());
    let opened = BTreeMap::from([("a".to_owned(), at("2026-11-25", 8))]);
    assert_eq!(seen("backend", &[], topics(), &visit, &opened, &records, now).updated.len(), 1);
    // Not done any more (a later record says in progress): not flagged.
    let mut again = records.clone();
    again.push(Recorded { status: Status::InProgress, ..done("a", at("2026-11-21", 8)) });
    assert!(seen("backend", &[], topics(), &visit, &BTreeMap::new(), &again, now).updated.is_empty());
}

#[test]
fn progress_under_a_former_id_counts_for_the_flag() {
    let history = vec![revised("2026-12-03", "Renamed and rewritten.")];
    let aliases = vec![TopicId::parse("old-name").expect("id")];
    let topics = vec![Revisable { id: "new-name", history: &history, aliases: &aliases }];
    let visit = VisitRecord { previous: Some(at("2026-11-01", 1)), last: at("2026-12-04", 9) };
    let records = vec![done("old-name", at("2026-11-20", 8))];
    let history_all = vec![change("new-name", "2026-12-03", ChangeKind::Revised)];
    let s = seen("backend", &history_all, topics.into_iter(), &visit, &BTreeMap::new(), &records, at("2026-12-04", 9));
    assert!(s.updated.contains_key("new-name"));
    assert!(s.since.starts_with("Since your visit on 1 November: 1 topic updated."), "{}", s.since);
    assert_ne!(s.key(), Seen::default().key());
}
