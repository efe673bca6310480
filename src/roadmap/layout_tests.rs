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
