//! The skill-tree picture of a section, computed once: topics in columns by prerequisite
//! depth, rows ordered to keep edges short, and edge paths that never run through a topic.
//!
//! Layered layout: a topic's column is the longest chain of prerequisites inside its section.
//! An edge that skips columns gets a placeholder slot in every column it crosses, so it
//! passes through free space; rows are ordered by the mean row of each node's neighbours in
//! the previous column (barycentre), a few sweeps. Pure and deterministic.

use super::content::{Roadmap, Section};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub const NODE_W: u32 = 200;
pub const NODE_H: u32 = 80;
pub const GAP_X: u32 = 56;
pub const GAP_Y: u32 = 12;
/// Room around each picture: enough for a group frame and its label on the first row.
pub const PAD: u32 = 16;
/// How far a "pick one" frame stands off the boxes it surrounds (half the gap between rows).
pub const FRAME_PAD: u32 = GAP_Y / 2;

/// One topic's box, in pixels from the top left of its section's picture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeBox {
    pub id: String,
    pub x: u32,
    pub y: u32,
    pub column: u32,
    pub row: u32,
}

/// A prerequisite edge as an SVG path, from the prerequisite to the topic that needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EdgePath {
    pub from: String,
    pub to: String,
    pub d: String,
    /// Points the path goes through (ends and placeholder slots); server side only.
    #[serde(skip)]
    pub points: Vec<(u32, u32)>,
}

/// A frame around alternatives of one group that sit together in a column: "pick one".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupFrame {
    pub group: String,
    pub title: String,
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionLayout {
    pub section: String,
    pub width: u32,
    pub height: u32,
    pub nodes: Vec<NodeBox>,
    pub edges: Vec<EdgePath>,
    pub frames: Vec<GroupFrame>,
}

/// A box's place as its `style` attribute gives it to CSS (which turns it into pixels with
/// the constants above) and to the arrow keys: `--c:{column};--r:{row}`.
pub fn place_style(column: u32, row: u32) -> String {
    format!("--c:{column};--r:{row}")
}

/// Reads `place_style` back: (column, row).
pub fn parse_place_style(style: &str) -> Option<(u32, u32)> {
    let mut column = None;
    let mut row = None;
    for part in style.split(';') {
        match part.trim().split_once(':') {
            Some(("--c", c)) => column = c.trim().parse().ok(),
            Some(("--r", r)) => row = r.trim().parse().ok(),
            _ => {}
        }
    }
    Some((column?, row?))
}

/// An arrow key on the picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
    Left,
    Right,
}

impl Direction {
    /// From a `KeyboardEvent.key` value.
    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            "ArrowUp" => Some(Direction::Up),
            "ArrowDown" => Some(Direction::Down),
            "ArrowLeft" => Some(Direction::Left),
            "ArrowRight" => Some(Direction::Right),
            _ => None,
        }
    }
}

/// Where an arrow key moves from the topic `from`: every candidate in that direction,
/// nearest first (up/down stay in the column; left/right go to the nearest column, then the
/// nearest row). The caller takes the first one it can focus (filters can hide some).
pub fn neighbours<'a>(nodes: &'a [NodeBox], from: &str, dir: Direction) -> Vec<&'a str> {
    let Some(cur) = nodes.iter().find(|n| n.id == from) else { return Vec::new() };
    let mut found: Vec<(u32, u32, u32, &str)> = nodes
        .iter()
        .filter(|n| match dir {
            Direction::Up => n.column == cur.column && n.row < cur.row,
            Direction::Down => n.column == cur.column && n.row > cur.row,
            Direction::Left => n.column < cur.column,
            Direction::Right => n.column > cur.column,
        })
        .map(|n| (n.column.abs_diff(cur.column), n.row.abs_diff(cur.row), n.row, n.id.as_str()))
        .collect();
    found.sort();
    found.into_iter().map(|(.., id)| id).collect()
}

/// Lays out every section of a roadmap, in order.
pub fn layout_roadmap(roadmap: &Roadmap) -> Vec<SectionLayout> {
    roadmap.sections.iter().map(|s| layout_section(roadmap, s)).collect()
}

/// A slot in a column: a real topic or a placeholder for an edge passing through.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Slot {
    Topic(usize),
    /// (edge index, column)
    Pass(usize, u32),
}

fn layout_section(roadmap: &Roadmap, section: &Section) -> SectionLayout {
    let members: Vec<usize> = section.topics.clone();
    let local: HashMap<&str, usize> = members.iter().map(|&i| (roadmap.topics[i].id.as_str(), i)).collect();
    // Edges inside the section, in content order: (prerequisite, topic).
    let local = &local;
    let edges: Vec<(usize, usize)> = members
        .iter()
        .flat_map(|&t| roadmap.topics[t].requires.iter().filter_map(move |r| local.get(r.as_str()).map(|&p| (p, t))))
        .collect();

    // "Any one of a group" (`any:`) draws no edge (one from each member would be a fan of
    // lines), but the topic still stands right of the group; its box says what it needs.
    let mut after_groups: Vec<(usize, usize)> = Vec::new();
    for &t in &members {
        for g in &roadmap.topics[t].requires_any {
            let of_group = members.iter().filter(|&&m| roadmap.topics[m].group.as_ref() == Some(g));
            after_groups.extend(of_group.map(|&m| (m, t)));
        }
    }
    let column = columns(&members, &[edges.as_slice(), after_groups.as_slice()].concat());
    let max_col = members.iter().map(|t| column[t]).max().unwrap_or(0);

    // Slots per column: topics in content order, then edge placeholders.
    let mut slots: Vec<Vec<Slot>> = vec![Vec::new(); max_col as usize + 1];
    for &t in &members {
        slots[column[&t] as usize].push(Slot::Topic(t));
    }
    for (e, &(p, t)) in edges.iter().enumerate() {
        for c in column[&p] + 1..column[&t] {
            slots[c as usize].push(Slot::Pass(e, c));
        }
    }
    order_rows(&mut slots, &edges, &column);
    let group_of = |s: &Slot| match s {
        Slot::Topic(t) => roadmap.topics[*t].group.as_deref(),
        Slot::Pass(..) => None,
    };
    for col in &mut slots {
        keep_groups_together(col, group_of);
    }

    let row_of: HashMap<Slot, u32> =
        slots.iter().flat_map(|col| col.iter().enumerate().map(|(r, &s)| (s, r as u32))).collect();
    let x_of = |c: u32| PAD + c * (NODE_W + GAP_X);
    let y_of = |r: u32| PAD + r * (NODE_H + GAP_Y);

    let nodes: Vec<NodeBox> = members
        .iter()
        .map(|&t| {
            let (c, r) = (column[&t], row_of[&Slot::Topic(t)]);
            NodeBox { id: roadmap.topics[t].id.to_string(), x: x_of(c), y: y_of(r), column: c, row: r }
        })
        .collect();

    let mid = NODE_H / 2;
    let edge_paths = edges
        .iter()
        .enumerate()
        .map(|(e, &(p, t))| {
            let (pc, tc) = (column[&p], column[&t]);
            let mut points = vec![(x_of(pc) + NODE_W, y_of(row_of[&Slot::Topic(p)]) + mid)];
            for c in pc + 1..tc {
                let y = y_of(row_of[&Slot::Pass(e, c)]) + mid;
                points.push((x_of(c), y));
                points.push((x_of(c) + NODE_W, y));
            }
            points.push((x_of(tc), y_of(row_of[&Slot::Topic(t)]) + mid));
            EdgePath {
                from: roadmap.topics[p].id.to_string(),
                to: roadmap.topics[t].id.to_string(),
                d: svg_path(&points),
                points,
            }
        })
        .collect();

    let mut frames = Vec::new();
    for (c, col) in slots.iter().enumerate() {
        let mut r = 0;
        while r < col.len() {
            let Some(group) = group_of(&col[r]) else {
                r += 1;
                continue;
            };
            let run = col[r..].iter().take_while(|s| group_of(s) == Some(group)).count();
            if run >= 2 {
                let (first, last) = (r as u32, (r + run - 1) as u32);
                frames.push(GroupFrame {
                    group: group.to_owned(),
                    title: roadmap.group(group).map_or_else(|| group.to_owned(), |g| g.title.clone()),
                    x: x_of(c as u32) - FRAME_PAD,
                    y: y_of(first) - FRAME_PAD,
                    width: NODE_W + 2 * FRAME_PAD,
                    height: y_of(last) + NODE_H - y_of(first) + 2 * FRAME_PAD,
                });
            }
            r += run;
        }
    }

    let rows = slots.iter().map(Vec::len).max().unwrap_or(0) as u32;
    SectionLayout {
        section: section.id.clone(),
        width: 2 * PAD + (max_col + 1) * NODE_W + max_col * GAP_X,
        height: 2 * PAD + rows * NODE_H + rows.saturating_sub(1) * GAP_Y,
        nodes,
        edges: edge_paths,
        frames,
    }
}

/// Moves the members of each group up to its first member, keeping every other order, so
/// alternatives sit together and can share one frame.
fn keep_groups_together<'a>(col: &mut Vec<Slot>, group_of: impl Fn(&Slot) -> Option<&'a str>) {
    let mut out: Vec<Slot> = Vec::with_capacity(col.len());
    for (i, s) in col.iter().enumerate() {
        match group_of(s) {
            Some(g) if col[..i].iter().any(|p| group_of(p) == Some(g)) => continue,
            Some(g) => out.extend(col[i..].iter().filter(|m| group_of(m) == Some(g))),
            None => out.push(*s),
        }
    }
    *col = out;
}

/// Column of each topic: the longest chain of in-section prerequisites before it.
fn columns(members: &[usize], edges: &[(usize, usize)]) -> HashMap<usize, u32> {
    let mut column: HashMap<usize, u32> = members.iter().map(|&t| (t, 0)).collect();
    // Relax until stable; the graph is acyclic, so at most one round per topic.
    for _ in 0..members.len() {
        let mut changed = false;
        for &(p, t) in edges {
            let want = column[&p] + 1;
            if column[&t] < want {
                column.insert(t, want);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    column
}

/// Orders each column by the mean row of its neighbours in the previous column, keeping the
/// current order on ties (so content order decides when nothing else does).
fn order_rows(slots: &mut [Vec<Slot>], edges: &[(usize, usize)], column: &HashMap<usize, u32>) {
    // Left neighbours of each slot.
    let left = |s: Slot| -> Vec<Slot> {
        match s {
            Slot::Topic(t) => edges
                .iter()
                .enumerate()
                .filter(|(_, &(_, to))| to == t)
                .map(
                    |(e, &(p, _))| {
                        if column[&t] == column[&p] + 1 {
                            Slot::Topic(p)
                        } else {
                            Slot::Pass(e, column[&t] - 1)
                        }
                    },
                )
                .collect(),
            Slot::Pass(e, c) => {
                let (p, _) = edges[e];
                vec![if c == column[&p] + 1 { Slot::Topic(p) } else { Slot::Pass(e, c - 1) }]
            }
        }
    };
    for _sweep in 0..4 {
        for c in 1..slots.len() {
            let position: HashMap<Slot, usize> = slots[c - 1].iter().enumerate().map(|(r, &s)| (s, r)).collect();
            let mut keyed: Vec<(f64, usize, Slot)> = slots[c]
                .iter()
                .enumerate()
                .map(|(r, &s)| {
                    let ns: Vec<usize> = left(s).iter().filter_map(|n| position.get(n).copied()).collect();
                    let key = if ns.is_empty() { r as f64 } else { ns.iter().sum::<usize>() as f64 / ns.len() as f64 };
                    (key, r, s)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            slots[c] = keyed.into_iter().map(|(_, _, s)| s).collect();
        }
    }
}

/// Straight runs through columns, smooth S-curves across the gaps between them.
fn svg_path(points: &[(u32, u32)]) -> String {
    let mut d = String::new();
    let Some(&(x0, y0)) = points.first() else { return d };
    d.push_str(&format!("M{x0} {y0}"));
    for pair in points.windows(2) {
        let ((x1, y1), (x2, y2)) = (pair[0], pair[1]);
        if y1 == y2 {
            d.push_str(&format!(" L{x2} {y2}"));
        } else {
            let mx = (x1 + x2) / 2;
            d.push_str(&format!(" C{mx} {y1} {mx} {y2} {x2} {y2}"));
        }
    }
    d
}

#[cfg(test)]
#[path = "layout_tests.rs"]
mod tests;
