//! Content loading and validation on small hand-written roadmaps.

use super::*;
use crate::roadmap::stats::ContentStats;

const MANIFEST: &str = r#"
id = "demo"
title = "Demo"
description = "A demo roadmap."
sections = ["first", "second"]
"#;

fn summary(words: usize) -> String {
    vec!["word"; words].join(" ")
}

/// A topic in TOML with sensible defaults; `extra` lines override or add fields.
fn topic(id: &str, requires: &[&str], extra: &str) -> String {
    let requires = requires.iter().map(|r| format!("\"{r}\"")).collect::<Vec<_>>().join(", ");
    let mut fields = vec![
        ("id", format!("\"{id}\"")),
        ("title", format!("\"Title of {id}\"")),
        ("kind", "\"core\"".to_owned()),
        ("hours", "3".to_owned()),
        ("requires", format!("[{requires}]")),
        ("summary", format!("\"{}\"", summary(100))),
        ("outcomes", r#"["You can a.", "You can b.", "You can c."]"#.to_owned()),
        (
            "resources",
            r#"[{ kind = "docs", title = "Docs", url = "https://example.org/docs" }, { kind = "book", title = "Book", url = "https://example.org/book" }]"#
                .to_owned(),
        ),
    ];
    for line in extra.lines().filter(|l| !l.trim().is_empty()) {
        let (key, value) = line.split_once('=').expect("key = value");
        let key = key.trim();
        fields.retain(|(k, _)| *k != key);
        if value.trim() != "DELETE" {
            fields.push((Box::leak(key.to_owned().into_boxed_str()), value.trim().to_owned()));
        }
    }
    let body = fields.iter().map(|(k, v)| format!("{k} = {v}")).collect::<Vec<_>>().join("\n");
    format!("[[topics]]\n{body}\n")
}

fn section(id: &str, topics: &[String]) -> String {
    format!("id = \"{id}\"\ntitle = \"Section {id}\"\ndescription = \"About {id}.\"\n\n{}", topics.join("\n"))
}

fn load(first: &str, second: &str) -> Result<Roadmap, Vec<ContentProblem>> {
    load_roadmap(
        SourceFile { name: "demo/roadmap.toml", text: MANIFEST },
        &[SourceFile { name: "demo/first.toml", text: first }, SourceFile { name: "demo/second.toml", text: second }],
    )
}

fn problems(first: &str, second: &str) -> Vec<String> {
    match load(first, second) {
        Ok(_) => Vec::new(),
        Err(p) => p.iter().map(ToString::to_string).collect(),
    }
}

fn valid_second() -> String {
    section("second", &[topic("c", &["a"], ""), topic("d", &["b", "c"], "")])
}

fn valid_first() -> String {
    section("first", &[topic("a", &[], ""), topic("b", &["a"], "")])
}

fn assert_problem(found: Vec<String>, expected: &str) {
    assert!(found.iter().any(|p| p.contains(expected)), "expected a problem containing {expected:?}, got {found:#?}");
}

#[test]
fn a_valid_roadmap_loads_in_order_with_html_summaries() {
    let r = load(&valid_first(), &valid_second()).expect("valid");
    assert_eq!(r.id.as_str(), "demo");
    let ids: Vec<&str> = r.topics.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    assert_eq!(r.sections[1].topics, vec![2, 3]);
    assert_eq!(r.topic("d").map(|t| t.section), Some(1));
    assert!(r.topics[0].summary_html.starts_with("<p>word"));
    let stats = ContentStats::of(&r);
    assert_eq!(stats.topics, 4);
    assert_eq!(stats.core_hours, 12);
    assert_eq!(stats.longest_chain, ["a", "c", "d"]);
}

#[test]
fn missing_field_names_the_file_and_field() {
    let first = section("first", &[topic("a", &[], "hours = DELETE")]);
    assert_problem(problems(&first, &valid_second()), "demo/first.toml");
    assert_problem(problems(&first, &valid_second()), "missing field `hours`");
}

#[test]
fn unknown_field_is_rejected() {
    let first = section("first", &[topic("a", &[], "colour = \"red\"")]);
    assert_problem(problems(&first, &valid_second()), "unknown field `colour`");
}

#[test]
fn duplicate_ids_and_aliases_are_rejected() {
    let first = section("first", &[topic("a", &[], ""), topic("a", &[], "")]);
    assert_problem(problems(&first, &valid_second()), "id `a` is already used by topic `a`");
    let first = section("first", &[topic("a", &[], ""), topic("b", &["a"], "aliases = [\"a\"]")]);
    assert_problem(problems(&first, &valid_second()), "demo/first.toml: topic `b`: alias `a` is already used");
}

#[test]
fn malformed_ids_are_rejected() {
    let first = section("first", &[topic("Bad_Id", &[], "")]);
    assert_problem(problems(&first, &valid_second()), "id `Bad_Id` may contain only lowercase letters");
}

#[test]
fn unknown_prerequisite_is_rejected() {
    let second = section("second", &[topic("c", &["nope"], "")]);
    assert_problem(problems(&valid_first(), &second), "demo/second.toml: topic `c`: unknown prerequisite `nope`");
}

#[test]
fn a_cycle_is_printed() {
    let second = section("second", &[topic("c", &["d"], ""), topic("d", &["c"], "")]);
    let found = problems(&valid_first(), &second);
    assert!(found.iter().any(|p| p.contains("cycle: c -> d -> c") || p.contains("cycle: d -> c -> d")), "{found:#?}");
}

#[test]
fn self_prerequisite_is_rejected() {
    let second = section("second", &[topic("c", &["c"], "")]);
    assert_problem(problems(&valid_first(), &second), "lists itself as a prerequisite");
}

#[test]
fn summary_length_is_bounded() {
    let short = section("first", &[topic("a", &[], &format!("summary = \"{}\"", summary(79)))]);
    assert_problem(problems(&short, &valid_second()), "the summary has 79 words; it needs 80 to 200");
    let long = section("first", &[topic("a", &[], &format!("summary = \"{}\"", summary(201)))]);
    assert_problem(problems(&long, &valid_second()), "the summary has 201 words");
    let edge = section("first", &[topic("a", &[], &format!("summary = \"{}\"", summary(200))), topic("b", &["a"], "")]);
    assert_eq!(problems(&edge, &valid_second()), Vec::<String>::new());
}

#[test]
fn resources_need_two_https_links_without_tracking() {
    let one = r#"resources = [{ kind = "docs", title = "Docs", url = "https://example.org/" }]"#;
    assert_problem(problems(&section("first", &[topic("a", &[], one)]), &valid_second()), "it has 1 resources");
    let http = r#"resources = [{ kind = "docs", title = "D", url = "http://example.org/" }, { kind = "docs", title = "E", url = "https://example.org/" }]"#;
    assert_problem(
        problems(&section("first", &[topic("a", &[], http)]), &valid_second()),
        "resource `http://example.org/`: links must use https://",
    );
    let utm = r#"resources = [{ kind = "docs", title = "D", url = "https://example.org/?utm_source=x" }, { kind = "docs", title = "E", url = "https://example.org/" }]"#;
    assert_problem(problems(&section("first", &[topic("a", &[], utm)]), &valid_second()), "tracking parameters");
}

#[test]
fn outcomes_and_hours_are_required() {
    let none = section("first", &[topic("a", &[], "outcomes = []")]);
    assert_problem(problems(&none, &valid_second()), "it has 0 outcomes");
    let zero = section("first", &[topic("a", &[], "hours = 0")]);
    assert_problem(problems(&zero, &valid_second()), "hours must be at least 1");
}

#[test]
fn topics_after_the_first_section_need_a_prerequisite() {
    let second = section("second", &[topic("c", &[], "")]);
    assert_problem(
        problems(&valid_first(), &second),
        "topic `c`: only topics of the first section may have no prerequisites",
    );
}

#[test]
fn alternative_groups_need_two_members() {
    let groups = "[[groups]]\nid = \"pick\"\ntitle = \"Pick one\"\n\n";
    let alt = "kind = \"alternative\"\ngroup = \"pick\"";
    // [[groups]] must follow the section's own keys, so it goes just before the first topic.
    let lonely =
        section("second", &[topic("c", &["a"], alt)]).replacen("[[topics]]", &format!("{groups}[[topics]]"), 1);
    assert_problem(problems(&valid_first(), &lonely), "alternative group `pick` has 1 member(s)");
    let pair = section("second", &[topic("c", &["a"], alt), topic("d", &["a"], alt)]).replacen(
        "[[topics]]",
        &format!("{groups}[[topics]]"),
        1,
    );
    assert_eq!(problems(&valid_first(), &pair), Vec::<String>::new());
    let undeclared = section("second", &[topic("c", &["a"], "kind = \"alternative\"\ngroup = \"nope\"")]);
    assert_problem(problems(&valid_first(), &undeclared), "group `nope` is not declared");
    let core_in_group = section("second", &[topic("c", &["a"], "group = \"pick\"")]);
    assert_problem(problems(&valid_first(), &core_in_group), "only alternatives belong to a group");
}

#[test]
fn a_listed_section_without_a_file_is_reported() {
    let found = match load_roadmap(SourceFile { name: "demo/roadmap.toml", text: MANIFEST }, &[]) {
        Ok(_) => panic!("must fail"),
        Err(p) => p.iter().map(ToString::to_string).collect::<Vec<_>>(),
    };
    assert_problem(found, "section `first` is listed but no file first.toml is compiled in");
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let first = section("first", &[topic("a", &[], "hours = 0"), topic("b", &["zzz"], "outcomes = []")]);
    assert!(problems(&first, &valid_second()).len() >= 3);
}

#[test]
fn a_prerequisite_may_not_come_from_a_later_section() {
    let first = section("first", &[topic("a", &[], ""), topic("b", &["a", "c"], "")]);
    assert_problem(
        problems(&first, &section("second", &[topic("c", &["a"], "")])),
        "demo/first.toml: topic `b`: prerequisite topic `c` comes in a later section",
    );
}

#[test]
fn any_one_of_a_group_is_a_prerequisite_the_model_keeps() {
    let groups = "[[groups]]\nid = \"pick\"\ntitle = \"Pick one\"\n\n";
    let alt = "kind = \"alternative\"\ngroup = \"pick\"";
    let first = section("first", &[topic("a", &[], ""), topic("p", &["a"], alt), topic("q", &["a"], alt)]).replacen(
        "[[topics]]",
        &format!("{groups}[[topics]]"),
        1,
    );
    let second = section("second", &[topic("c", &["a", "any:pick"], "")]);
    let roadmap = load(&first, &second).expect("valid");
    let c = roadmap.topic("c").expect("c");
    assert_eq!((c.requires.len(), c.requires_any.clone()), (1, vec!["pick".to_owned()]));

    let unknown = section("second", &[topic("c", &["a", "any:nope"], "")]);
    assert_problem(problems(&first, &unknown), "topic `c`: `any:nope` names no declared group");
    // A group declared in a later section is a forward reference too.
    let later = section("first", &[topic("a", &[], ""), topic("b", &["a", "any:pick"], "")]);
    let declared_later = section("second", &[topic("p", &["a"], alt), topic("q", &["a"], alt)]).replacen(
        "[[topics]]",
        &format!("{groups}[[topics]]"),
        1,
    );
    assert_problem(problems(&later, &declared_later), "prerequisite group `any:pick` comes in a later section");
    // A member needing what needs its group is a cycle.
    let looped = section(
        "first",
        &[
            topic("a", &[], ""),
            topic("p", &["a", "b"], alt),
            topic("q", &["a"], alt),
            topic("b", &["a", "any:pick"], ""),
        ],
    )
    .replacen("[[topics]]", &format!("{groups}[[topics]]"), 1);
    assert_problem(problems(&looped, &valid_second()), "prerequisites form a cycle");
}

#[test]
fn a_topic_history_loads_and_the_roadmap_lists_it_newest_first() {
    let first = section(
        "first",
        &[
            topic(
                "a",
                &[],
                r#"history = [{ on = "2026-11-22", change = "revised", note = "First fix." }, { on = "2026-12-03", change = "revised", note = "Now covers `HTTP/3`." }]"#,
            ),
            topic("b", &["a"], r#"history = [{ on = "2026-12-01", change = "added", note = "New topic." }]"#),
        ],
    );
    let r = load(&first, &valid_second()).expect("valid");
    let a = r.topic("a").expect("a");
    assert_eq!(a.history.len(), 2);
    assert_eq!(
        crate::roadmap::changes::latest_revision(&a.history).map(|c| c.note.as_str()),
        Some("Now covers `HTTP/3`.")
    );
    let changes: Vec<(String, String)> = r.changes().iter().map(|c| (c.topic.clone(), c.on.iso())).collect();
    assert_eq!(
        changes,
        [("a".into(), "2026-12-03".into()), ("b".into(), "2026-12-01".into()), ("a".into(), "2026-11-22".into())]
    );
}

#[test]
fn history_entries_need_a_date_a_kind_and_a_one_line_note() {
    let with = |history: &str| {
        problems(
            &section("first", &[topic("a", &[], ""), topic("b", &["a"], &format!("history = {history}"))]),
            &valid_second(),
        )
    };
    assert_problem(
        with(r#"[{ on = "2026-12-03", change = "revised", note = "" }]"#),
        "topic `b`: history entry 1: the note is empty",
    );
    assert_problem(with(r#"[{ on = "2026-12-03", change = "revised" }]"#), "missing field `note`");
    assert_problem(with(r#"[{ on = "3 December", change = "revised", note = "x." }]"#), "is not a date");
    assert_problem(with(r#"[{ on = "2026-02-30", change = "revised", note = "x." }]"#), "is not a date");
    assert_problem(
        with(r#"[{ on = "2026-12-03", change = "removed", note = "x." }]"#),
        "is not one of added, revised, renamed",
    );
    assert_problem(
        with(
            r#"[{ on = "2026-12-03", change = "revised", note = "x." }, { on = "2026-12-01", change = "revised", note = "y." }]"#,
        ),
        "older than the one before it",
    );
    assert_problem(
        with(
            r#"[{ on = "2026-12-01", change = "revised", note = "x." }, { on = "2026-12-03", change = "added", note = "y." }]"#,
        ),
        "a topic is added once, in its first history entry",
    );
    assert_problem(
        with(r#"[{ on = "2026-12-03", change = "renamed", note = "x." }]"#),
        "keeps its former id in `aliases`",
    );
    let long = "x".repeat(201);
    assert_problem(with(&format!(r#"[{{ on = "2026-12-03", change = "revised", note = "{long}" }}]"#)), "at most 200");
}

#[test]
fn retired_topics_are_listed_with_a_date_and_a_note_and_never_reuse_an_id() {
    let manifest = |retired: &str| format!("{MANIFEST}retired = {retired}\n");
    let load_with = |m: &str| {
        load_roadmap(
            SourceFile { name: "demo/roadmap.toml", text: m },
            &[
                SourceFile { name: "demo/first.toml", text: &valid_first() },
                SourceFile { name: "demo/second.toml", text: &valid_second() },
            ],
        )
    };
    let ok = load_with(&manifest(
        r#"[{ id = "soap", title = "SOAP", on = "2026-12-02", note = "Rarely met in new services; see REST." }]"#,
    ))
    .expect("valid");
    let first = &ok.changes()[0];
    assert_eq!((first.topic.as_str(), first.kind), ("soap", crate::roadmap::changes::ChangeKind::Retired));
    let found: Vec<String> = load_with(&manifest(r#"[{ id = "a", title = "A", on = "2026-12-02", note = "" }]"#))
        .expect_err("invalid")
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_problem(found.clone(), "a topic or alias still uses this id");
    assert_problem(found, "retired: the note is empty");
}

#[test]
fn check_content_refuses_changes_dated_in_the_future() {
    let first = section(
        "first",
        &[
            topic("a", &[], ""),
            topic("b", &["a"], r#"history = [{ on = "2026-12-05", change = "revised", note = "Soon." }]"#),
        ],
    );
    let r = load(&first, &valid_second()).expect("valid");
    let today = crate::roadmap::changes::Day::parse("2026-12-04").expect("day");
    let found: Vec<String> =
        crate::roadmap::validate_history::future_dates(&r, today).iter().map(ToString::to_string).collect();
    assert_problem(found, "topic `b`: the change dated 2026-12-05 is in the future (today is 2026-12-04)");
    let tomorrow = crate::roadmap::changes::Day::parse("2026-12-05").expect("day");
    assert!(crate::roadmap::validate_history::future_dates(&r, tomorrow).is_empty());
}

#[test]
fn a_published_topic_never_disappears_without_an_alias_or_a_retired_entry() {
    let manifest = |extra: &str| format!("{MANIFEST}published = [\"a\", \"b\", \"c\", \"d\", \"old\"]\n{extra}");
    let load_with = |m: &str, first: &str| {
        load_roadmap(
            SourceFile { name: "demo/roadmap.toml", text: m },
            &[
                SourceFile { name: "demo/first.toml", text: first },
                SourceFile { name: "demo/second.toml", text: &valid_second() },
            ],
        )
        .err()
        .unwrap_or_default()
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
    };
    // `old` is carried by nobody: refused.
    assert_problem(load_with(&manifest(""), &valid_first()), "topic `old`: was published but no topic carries it");
    // Kept as an alias of `b`, or retired: fine.
    let aliased = section("first", &[topic("a", &[], ""), topic("b", &["a"], "aliases = [\"old\"]")]);
    assert_eq!(load_with(&manifest(""), &aliased), Vec::<String>::new());
    let retired = manifest(r#"retired = [{ id = "old", title = "Old", on = "2026-12-01", note = "Folded into b." }]"#);
    assert_eq!(load_with(&retired, &valid_first()), Vec::<String>::new());
    // A new topic must be listed.
    let new =
        section("first", &[topic("a", &[], ""), topic("b", &["a"], "aliases = [\"old\"]"), topic("e", &["a"], "")]);
    assert_problem(load_with(&manifest(""), &new), "topic `e`: is not in `published`");
}
