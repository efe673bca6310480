//! Layout tests: small graphs by hand, and geometry checks on the real content.

use super::*;
use crate::roadmap::catalog::Catalog;
use crate::roadmap::content::fixtures::{core as topic, roadmap as one_section};

fn node<'a>(l: &'a SectionLayout, id: &str) -> &'a NodeBox {
    l.nodes.iter().find(|n| n.id == id).unwrap_or_else(|| panic!("node {id}"))
}

#[test]
fn columns_follow_the_longest_prerequisite_chain() {
    let rm = one_section(vec![topic("a", &[]), topic("b", &["a"]), topic("c", &["a", "b"]), topic("d", &[])]);
    let l = &layout_roadmap(&rm)[0];
    assert_eq!([node(l, "a").column, node(l, "b").column, node(l, "c").column, node(l, "d").column], [0, 1, 2, 0]);
    // a -> c skips column 1, so it passes through a placeholder there: 4 points.
    let skip = l.edges.iter().find(|e| e.from == "a" && e.to == "c").expect("edge a->c");
    assert_eq!(skip.points.len(), 4);
    assert!(skip.d.starts_with('M'));
    assert_eq!(l.width, 2 * PAD + 3 * NODE_W + 2 * GAP_X);
}

#[test]
fn rows_follow_their_prerequisites() {
    // x and y are roots; the child of y should sit level with y, not with x.
    let rm = one_section(vec![topic("x", &[]), topic("y", &[]), topic("x-child", &["x"]), topic("y-child", &["y"])]);
    let l = &layout_roadmap(&rm)[0];
    assert_eq!(node(l, "x-child").row, node(l, "x").row);
    assert_eq!(node(l, "y-child").row, node(l, "y").row);
    let swapped =
        one_section(vec![topic("x", &[]), topic("y", &[]), topic("y-child", &["y"]), topic("x-child", &["x"])]);
    let l = &layout_roadmap(&swapped)[0];
    assert_eq!(node(l, "y-child").row, node(l, "y").row);
}

#[test]
fn layout_is_deterministic() {
    let catalog = Catalog::builtin().expect("content");
    let rm = catalog.roadmap("backend").expect("backend");
    assert_eq!(layout_roadmap(rm), layout_roadmap(rm));
}

/// Points along an edge: straight runs sampled, curves evaluated (same shapes `svg_path` draws).
fn samples(points: &[(u32, u32)]) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for pair in points.windows(2) {
        let ((x1, y1), (x2, y2)) = ((pair[0].0 as f64, pair[0].1 as f64), (pair[1].0 as f64, pair[1].1 as f64));
        let mx = (x1 + x2) / 2.0;
        for i in 0..=40 {
            let t = i as f64 / 40.0;
            if y1 == y2 {
                out.push((x1 + (x2 - x1) * t, y1));
            } else {
                let u = 1.0 - t;
                let x = u * u * u * x1 + 3.0 * u * u * t * mx + 3.0 * u * t * t * mx + t * t * t * x2;
                let y = u * u * u * y1 + 3.0 * u * u * t * y1 + 3.0 * u * t * t * y2 + t * t * t * y2;
                out.push((x, y));
            }
        }
    }
    out
}

#[test]
fn real_content_has_no_overlaps_and_no_edge_through_a_topic() {
    let catalog = Catalog::builtin().expect("content");
    let rm = catalog.roadmap("backend").expect("backend");
    let layouts = layout_roadmap(rm);
    assert_eq!(layouts.len(), rm.sections.len());
    let placed: usize = layouts.iter().map(|l| l.nodes.len()).sum();
    assert_eq!(placed, rm.topics.len(), "every topic is drawn once");
    for l in &layouts {
        for (i, a) in l.nodes.iter().enumerate() {
            assert!(a.x + NODE_W <= l.width && a.y + NODE_H <= l.height, "{} inside its picture", a.id);
            for b in &l.nodes[i + 1..] {
                let apart = a.x + NODE_W <= b.x || b.x + NODE_W <= a.x || a.y + NODE_H <= b.y || b.y + NODE_H <= a.y;
                assert!(apart, "{} overlaps {} in {}", a.id, b.id, l.section);
            }
        }
        for e in &l.edges {
            for (x, y) in samples(&e.points) {
                for n in &l.nodes {
                    let inside = x > n.x as f64 + 0.5
                        && x < (n.x + NODE_W) as f64 - 0.5
                        && y > n.y as f64 + 0.5
                        && y < (n.y + NODE_H) as f64 - 0.5;
                    assert!(!inside, "edge {}->{} runs through {} in {}", e.from, e.to, n.id, l.section);
                }
            }
        }
    }
}

/// One section with a group `g` ("Pick a thing") of the given alternatives, plus core topics.
fn with_group(topics: Vec<crate::roadmap::content::Topic>) -> Roadmap {
    use crate::roadmap::content::{Group, Section};
    use crate::roadmap::ids::RoadmapId;
    let section =
        Section { id: "s".into(), title: "S".into(), description: String::new(), topics: (0..topics.len()).collect() };
    let groups = vec![Group { id: "g".into(), title: "Pick a thing".into() }];
    Roadmap::new(RoadmapId::parse("r").expect("id"), "R".into(), String::new(), vec![section], groups, topics)
}

#[test]
fn alternatives_of_a_group_sit_together_inside_one_frame() {
    use crate::roadmap::content::{fixtures, Kind};
    let alt = |id: &str| fixtures::topic(id, Kind::Alternative, Some("g"), &["root"], &[]);
    // Content order interleaves the group with a core topic: a1, c, a2.
    let rm = with_group(vec![topic("root", &[]), alt("a1"), topic("c", &["root"]), alt("a2")]);
    let l = &layout_roadmap(&rm)[0];
    let (a1, a2, c) = (node(l, "a1"), node(l, "a2"), node(l, "c"));
    assert_eq!(a1.column, a2.column);
    assert_eq!(a1.row.abs_diff(a2.row), 1, "members are neighbours: {a1:?} {a2:?}");
    assert_eq!(l.frames.len(), 1);
    let f = &l.frames[0];
    assert_eq!((f.group.as_str(), f.title.as_str()), ("g", "Pick a thing"));
    for n in [a1, a2] {
        assert!(
            f.x < n.x && n.x + NODE_W < f.x + f.width && f.y < n.y && n.y + NODE_H < f.y + f.height,
            "{n:?} in {f:?}"
        );
    }
    let apart = c.y + NODE_H <= f.y || f.y + f.height <= c.y || c.x + NODE_W <= f.x || f.x + f.width <= c.x;
    assert!(apart, "the core topic {c:?} stays outside the frame {f:?}");
}

#[test]
fn a_lone_alternative_in_its_column_gets_no_frame() {
    use crate::roadmap::content::{fixtures, Kind};
    let rm = with_group(vec![
        topic("root", &[]),
        fixtures::topic("a1", Kind::Alternative, Some("g"), &["root"], &[]),
        fixtures::topic("a2", Kind::Alternative, Some("g"), &["a1"], &[]),
    ]);
    assert!(layout_roadmap(&rm)[0].frames.is_empty());
}

#[test]
fn real_content_frames_hold_only_their_group() {
    let catalog = Catalog::builtin().expect("content");
    let rm = catalog.roadmap("backend").expect("backend");
    let layouts = layout_roadmap(rm);
    let framed: Vec<&str> = layouts.iter().flat_map(|l| l.frames.iter().map(|f| f.group.as_str())).collect();
    for group in ["language", "framework", "relational-database", "message-broker"] {
        assert!(framed.contains(&group), "{group} is framed somewhere: {framed:?}");
    }
    for l in &layouts {
        assert!(l
            .frames
            .iter()
            .all(|f| f.y >= 2 && f.x >= 2 && f.x + f.width <= l.width && f.y + f.height <= l.height));
        for f in &l.frames {
            for n in &l.nodes {
                let overlaps =
                    !(n.x + NODE_W <= f.x || f.x + f.width <= n.x || n.y + NODE_H <= f.y || f.y + f.height <= n.y);
                let member = rm.topic(&n.id).and_then(|t| t.group.as_deref()) == Some(f.group.as_str());
                assert!(!overlaps || member, "{} is inside the frame of {} in {}", n.id, f.group, l.section);
            }
        }
    }
}

#[test]
fn arrow_keys_move_to_the_nearest_topic_in_that_direction() {
    // Column 0: a, b; column 1: c (needs a), d (needs b); column 2: e (needs d).
    let rm =
        one_section(vec![topic("a", &[]), topic("b", &[]), topic("c", &["a"]), topic("d", &["b"]), topic("e", &["d"])]);
    let l = &layout_roadmap(&rm)[0];
    use Direction::*;
    assert_eq!(neighbours(&l.nodes, "a", Down), ["b"]);
    assert!(neighbours(&l.nodes, "a", Up).is_empty());
    assert_eq!(neighbours(&l.nodes, "b", Up), ["a"]);
    assert_eq!(neighbours(&l.nodes, "a", Right)[0], "c");
    assert_eq!(neighbours(&l.nodes, "b", Right)[0], "d");
    assert_eq!(neighbours(&l.nodes, "d", Right), ["e"]);
    let left_of_e = node(l, neighbours(&l.nodes, "e", Left)[0]);
    assert_eq!((left_of_e.column, left_of_e.row), (1, node(l, "e").row), "nearest column first, then nearest row");
    assert_eq!(neighbours(&l.nodes, "e", Left).len(), 4);
    assert!(neighbours(&l.nodes, "nowhere", Left).is_empty());
    assert_eq!(Direction::from_key("ArrowLeft"), Some(Left));
    assert_eq!(Direction::from_key("Enter"), None);
}

#[test]
fn a_place_style_reads_back() {
    assert_eq!(parse_place_style(&place_style(3, 12)), Some((3, 12)));
    assert_eq!(parse_place_style("--r:1; --c:2;"), Some((2, 1)), "any order, browsers' spacing");
    assert_eq!(parse_place_style("--c:1"), None);
}
