use super::*;
use crate::roadmap::content::fixtures::{core, roadmap, topic};
use crate::roadmap::path::PathProgress;
use crate::roadmap::progress::{Previous, Recorded};
use std::collections::BTreeMap;

fn view_and_summary(set: &[(&str, Status)]) -> (RoadmapView, ProgressSummary) {
    let r = roadmap(vec![
        core("a", &[]),
        core("b", &["a"]),
        core("c", &["b"]),
        topic("x", Kind::Alternative, Some("g"), &["a"], &[]),
        topic("y", Kind::Alternative, Some("g"), &["a"], &[]),
        topic("o", Kind::Optional, None, &[], &[]),
    ]);
    let records = set.iter().map(|(t, s)| Recorded {
        topic: crate::roadmap::TopicId::parse(t).expect("test id"),
        status: *s,
        changed_at: 1,
    });
    (RoadmapView::of(&r), ProgressSummary::compute(&r, records))
}

#[test]
fn every_slot_survives_its_marker() {
    let slots = [
        Slot::Status("dns".into()),
        Slot::Label("a-b".into()),
        Slot::Pressed("http".into(), Status::InProgress),
        Slot::OnPath("x".into()),
        Slot::Next("x".into()),
        Slot::SectionDone("foundations".into()),
        Slot::SectionLeft("foundations".into()),
        Slot::SectionNext("foundations".into()),
        Slot::Percent,
        Slot::ProgressText,
        Slot::PathText,
        Slot::NextTitle,
        Slot::NextSteps,
        Slot::Statuses,
        Slot::Noted("dns".into()),
        Slot::NoteText("dns".into()),
        Slot::NoteHtml("dns".into()),
        Slot::NoteHits,
        Slot::UndoTo("dns".into()),
        Slot::UndoLabel("dns".into()),
    ];
    for slot in slots {
        let marker = slot.marker();
        let code = marker.strip_prefix(OPEN).and_then(|m| m.strip_suffix(CLOSE)).expect("framed");
        assert_eq!(Slot::parse(code), Some(slot));
    }
    assert_eq!(Slot::parse("p http maybe"), None);
    assert_eq!(Slot::parse("s"), None);
    assert_eq!(Slot::parse("s a b"), None);
    assert_eq!(Slot::parse("q"), None);
}

#[test]
fn values_follow_the_learners_statuses() {
    let (view, summary) = view_and_summary(&[("a", Status::Done), ("x", Status::InProgress), ("c", Status::Skipped)]);
    let p = Personal::of(&view, summary);
    assert_eq!(p.value(&Slot::Status("a".into())), "done");
    assert_eq!(p.value(&Slot::Status("b".into())), "none");
    assert_eq!(p.value(&Slot::Label("x".into())), "in progress");
    assert_eq!(p.value(&Slot::Label("b".into())), "not started");
    assert_eq!(p.value(&Slot::Pressed("a".into(), Status::Done)), "true");
    assert_eq!(p.value(&Slot::Pressed("a".into(), Status::None)), "false");
    // x was chosen in group g, so y is no longer on the path; skipped c is not either.
    assert_eq!(p.value(&Slot::OnPath("x".into())), "true");
    assert_eq!(p.value(&Slot::OnPath("y".into())), "false");
    assert_eq!(p.value(&Slot::OnPath("c".into())), "false");
    assert_eq!(p.value(&Slot::OnPath("o".into())), "false");
    assert_eq!(p.value(&Slot::SectionDone("s".into())), "1");
    // b, x and y are left (one hour each); c is skipped, o optional.
    assert_eq!(p.value(&Slot::SectionLeft("s".into())), "≈3 h left");
    assert_eq!(p.value(&Slot::SectionNext("s".into())), "true");
    assert_eq!(p.value(&Slot::ProgressText), "1 of 6 topics done, 1 in progress, 1 skipped");
    // The path: a (done), b, x (the pick); c is skipped. One hour each in the fixtures.
    assert_eq!(p.path(), PathProgress { done_hours: 1, total_hours: 3, open_groups: 0 });
    assert_eq!(p.value(&Slot::Percent), "33");
    assert_eq!(
        p.value(&Slot::PathText),
        "Core path: 33% done · about 2 focused hours left (about 1 week at 40 hours a week)."
    );
    assert_eq!(p.value(&Slot::NextTitle), "Continue");
    // b can start now (a is done); c is skipped, so it is settled, not next.
    assert_eq!(p.value(&Slot::Next("b".into())), "true");
    assert_eq!(p.value(&Slot::Next("c".into())), "false");
    assert_eq!(p.value(&Slot::Next("a".into())), "false");
    let code = p.value(&Slot::Statuses);
    assert_eq!(code, "a=d c=s x=p");
    assert_eq!(parse_statuses(&code), vec![("a", Status::Done), ("c", Status::Skipped), ("x", Status::InProgress)]);
    // b is ready (a done); x is in progress in its chosen group; o has no prerequisites.
    let next = p.value(&Slot::NextSteps);
    let ids: Vec<&str> = next.split("data-next-id=\"").skip(1).filter_map(|rest| rest.split('"').next()).collect();
    assert_eq!(ids, ["b", "x", "o"]);
    assert!(next.contains(r#"<a href="/roadmaps/r/b#t-b">b</a>"#), "{next}");
}

#[test]
fn nobody_yet_sees_the_start_of_the_road() {
    let (view, summary) = view_and_summary(&[]);
    let p = Personal::of(&view, summary);
    assert_eq!(p.value(&Slot::ProgressText), "0 of 6 topics done");
    // a, b, c and the shortest member of the open group g.
    assert_eq!(p.path(), PathProgress { done_hours: 0, total_hours: 4, open_groups: 1 });
    assert_eq!(p.value(&Slot::Percent), "0");
    assert!(p.value(&Slot::PathText).ends_with("the one pick-one group you have not chosen from yet."));
    assert_eq!(p.value(&Slot::NextTitle), "Start here");
    assert_eq!(p.value(&Slot::Statuses), "");
    assert_eq!(p.value(&Slot::SectionDone("s".into())), "0");
    assert_eq!(p.value(&Slot::OnPath("y".into())), "true");
}

#[test]
fn next_step_titles_are_escaped() {
    let mut r = roadmap(vec![core("a", &[])]);
    r.topics[0].title = "<b>&\"".into();
    let p = Personal::of(&RoadmapView::of(&r), ProgressSummary::none(&r));
    let next = p.value(&Slot::NextSteps);
    assert!(next.contains(">&lt;b&gt;&amp;&quot;</a>"), "{next}");
}

#[test]
fn the_browsers_outline_gives_every_value_the_full_view_gives() {
    // The roadmap page's island works out the page's values from the outline and the
    // titles on the page's boxes.
    for set in [vec![], vec![("a", Status::Done), ("x", Status::InProgress)], vec![("a", Status::Skipped)]] {
        let (view, summary) = view_and_summary(&set);
        let mut outline = view.outline();
        assert!(outline.topics().all(|t| t.title.is_empty()));
        outline.set_titles(|id| view.topics().find(|t| t.id == id).map(|t| t.title.clone()));
        assert!(outline.sections.iter().all(|s| s.description.is_empty() && s.graph.nodes.is_empty()));
        assert_eq!(outline.topics().count(), view.topics().count());
        let (full, lean) = (Personal::of(&view, summary.clone()), Personal::of(&outline, summary));
        for t in view.topics() {
            for slot in [Slot::Status(t.id.clone()), Slot::Label(t.id.clone()), Slot::OnPath(t.id.clone())] {
                assert_eq!(full.value(&slot), lean.value(&slot), "{slot:?}");
            }
        }
        for slot in Slot::all_of(&view) {
            assert_eq!(full.value(&slot), lean.value(&slot), "{slot:?}");
        }
        for s in &view.sections {
            let slot = Slot::SectionDone(s.id.clone());
            assert_eq!(full.value(&slot), lean.value(&slot));
        }
    }
}

#[test]
fn next_steps_keep_the_pages_search_and_filter() {
    let (view, summary) = view_and_summary(&[]);
    let items = Personal::of(&view, summary).value(&Slot::NextSteps).into_owned();
    assert_eq!(next_steps_keeping(&items, ""), items);
    let kept = next_steps_keeping(&items, "q=a&show=core");
    assert!(kept.contains(r#"href="/roadmaps/"#) && kept.contains(r#"?q=a&amp;show=core#t-"#), "{kept}");
    assert_eq!(kept.matches("?q=a").count(), items.matches("<li").count());
}

#[test]
fn one_topic_done_is_never_zero_percent_and_only_everything_is_a_hundred() {
    let path = PathProgress { done_hours: 1, total_hours: 983, open_groups: 0 };
    assert_eq!(path.percent(), 1);
    let path = PathProgress { done_hours: 982, total_hours: 983, open_groups: 0 };
    assert_eq!(path.percent(), 99);
    let path = PathProgress { done_hours: 983, total_hours: 983, open_groups: 0 };
    assert_eq!(path.percent(), 100);
    assert_eq!(PathProgress::default().percent(), 0);
}

#[test]
fn every_slot_has_a_place_in_the_page_but_the_starting_statuses() {
    let (view, _) = view_and_summary(&[]);
    for slot in Slot::all_of(&view) {
        assert_eq!(slot.hooks().is_empty(), slot == Slot::Statuses, "{slot:?}");
    }
}

#[test]
fn the_outline_code_reads_back_as_the_outline() {
    let (view, _) = view_and_summary(&[]);
    let code = view.outline_code();
    assert_eq!(RoadmapView::from_outline_code(&code), Some(view.outline()));
    assert!(!code.contains(['"', '\\', '\t', '\n', '&', '<']), "nothing to escape: {code}");
    assert_eq!(RoadmapView::from_outline_code("r/§s/a,c,,1,9"), None, "a prerequisite that is not there");
    assert_eq!(RoadmapView::from_outline_code("r/a,c,,1,"), None, "a topic before any section");
    let mut read = RoadmapView::from_outline_code(&code).expect("reads");
    read.set_titles(|id| Some(id.to_uppercase()));
    assert_eq!(read.topics().next().map(|t| t.title.as_str()), Some("A"));
}

#[test]
fn notes_and_undo_show_only_for_their_learner_and_topic() {
    let (view, summary) = view_and_summary(&[("a", Status::Done)]);
    let note = ShownNote { text: "x < y & \"z\"\n\tend".into(), html: "<p>x &lt; y</p>".into(), title: "a".into() };
    let notes = BTreeMap::from([("a".to_owned(), note)]);
    let p = Personal::of(&view, summary.clone())
        .with_notes(notes.clone())
        .with_search(vec!["y".into()])
        .with_undo("a", Some(Previous::Status { status: Status::InProgress, changed_at: 3 }));
    assert_eq!(p.value(&Slot::Noted("a".into())), "1");
    assert_eq!(p.value(&Slot::Noted("b".into())), "");
    assert_eq!(p.value(&Slot::NoteText("a".into())), "x &lt; y &amp; \"z\"\n\tend", "line breaks and tabs kept");
    assert_eq!(p.value(&Slot::NoteHtml("a".into())), "<p>x &lt; y</p>");
    assert!(p.value(&Slot::NoteHits).contains(r#"href="/roadmaps/r/a#t-a">a</a>"#), "{}", p.value(&Slot::NoteHits));
    assert_eq!(p.value(&Slot::UndoTo("a".into())), "in_progress");
    assert_eq!(p.value(&Slot::UndoLabel("a".into())), "Undo: back to in progress");
    assert_eq!(p.value(&Slot::UndoTo("b".into())), "", "only the panel's topic");
    // Nobody's page has none of it.
    let nobody = Personal::of(&view, summary);
    for slot in [Slot::Noted("a".into()), Slot::NoteText("a".into()), Slot::NoteHits, Slot::UndoTo("a".into())] {
        assert_eq!(nobody.value(&slot), "", "{slot:?}");
    }
    // The key of what a page shows changes with a note's text only on the page that shows it.
    let other = BTreeMap::from([("a".to_owned(), ShownNote { text: "other".into(), ..notes["a"].clone() })]);
    assert_ne!(notes_key("r", &notes, &[], Some("a")), notes_key("r", &other, &[], Some("a")));
    assert_eq!(notes_key("r", &notes, &[], Some("b")), notes_key("r", &other, &[], Some("b")));
    assert_ne!(notes_key("r", &notes, &[], None), notes_key("r", &BTreeMap::new(), &[], None), "the marks differ");
}
