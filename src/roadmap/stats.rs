//! Figures about a roadmap's content, printed by `backroad check-content`.

use super::content::{Kind, Roadmap};
use std::collections::HashMap;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub struct ContentStats {
    pub roadmap: String,
    /// (section title, topic count), in order.
    pub sections: Vec<(String, usize)>,
    pub topics: usize,
    pub avg_summary_words: f64,
    pub avg_resources: f64,
    pub core: usize,
    pub alternative: usize,
    pub optional: usize,
    pub core_hours: u32,
    /// The longest chain of prerequisites, from a root to the last topic.
    pub longest_chain: Vec<String>,
}

impl ContentStats {
    pub fn of(r: &Roadmap) -> Self {
        let n = r.topics.len().max(1) as f64;
        let count = |k: Kind| r.topics.iter().filter(|t| t.kind == k).count();
        ContentStats {
            roadmap: r.id.to_string(),
            sections: r.sections.iter().map(|s| (s.title.clone(), s.topics.len())).collect(),
            topics: r.topics.len(),
            avg_summary_words: r.topics.iter().map(|t| t.summary.split_whitespace().count()).sum::<usize>() as f64 / n,
            avg_resources: r.topics.iter().map(|t| t.resources.len()).sum::<usize>() as f64 / n,
            core: count(Kind::Core),
            alternative: count(Kind::Alternative),
            optional: count(Kind::Optional),
            core_hours: r.core_hours(),
            longest_chain: longest_chain(r),
        }
    }
}

/// The longest path through the prerequisite graph (which validation proved acyclic).
fn longest_chain(r: &Roadmap) -> Vec<String> {
    // A topic may be written before its prerequisites, so relax until nothing changes
    // (at most one round per topic, since the graph is acyclic).
    let mut best: HashMap<&str, (usize, Option<&str>)> = HashMap::new();
    let mut changed = true;
    let mut rounds = 0;
    while changed && rounds <= r.topics.len() {
        changed = false;
        rounds += 1;
        for t in &r.topics {
            let candidate = t
                .requires
                .iter()
                .map(|p| (best.get(p.as_str()).map_or(1, |b| b.0) + 1, Some(p.as_str())))
                .max_by_key(|c| c.0)
                .unwrap_or((1, None));
            let current = best.get(t.id.as_str()).map_or(0, |b| b.0);
            if candidate.0 > current {
                best.insert(t.id.as_str(), candidate);
                changed = true;
            }
        }
    }
    let Some((&end, _)) = best.iter().max_by_key(|(id, b)| (b.0, std::cmp::Reverse(*id))) else {
        return Vec::new();
    };
    let mut chain = vec![end.to_owned()];
    let mut at = end;
    while let Some(&(_, Some(prev))) = best.get(at) {
        chain.push(prev.to_owned());
        at = prev;
    }
    chain.reverse();
    chain
}

impl fmt::Display for ContentStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "roadmap `{}`: {} topics in {} sections", self.roadmap, self.topics, self.sections.len())?;
        for (title, n) in &self.sections {
            writeln!(f, "  {n:>4}  {title}")?;
        }
        writeln!(f, "kinds: {} core, {} alternative, {} optional", self.core, self.alternative, self.optional)?;
        writeln!(f, "average summary: {:.1} words", self.avg_summary_words)?;
        writeln!(f, "average resources per topic: {:.2}", self.avg_resources)?;
        writeln!(f, "core path: {} hours", self.core_hours)?;
        write!(
            f,
            "longest prerequisite chain ({} topics): {}",
            self.longest_chain.len(),
            self.longest_chain.join(" -> ")
        )
    }
}
