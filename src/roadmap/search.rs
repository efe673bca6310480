//! Search inside a roadmap: every word of the query must appear in a topic's title,
//! explanation or outcomes; title matches rank first.

use super::content::{Roadmap, Topic};

/// Longest query we look at; the rest is ignored.
const MAX_QUERY_CHARS: usize = 100;

/// The query's words, lowercased; empty when there is nothing to search for.
pub fn query_words(query: &str) -> Vec<String> {
    query
        .chars()
        .take(MAX_QUERY_CHARS)
        .collect::<String>()
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '+' && c != '#')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Topics matching every word, those with all words in the title first, then roadmap order.
pub fn search<'a>(roadmap: &'a Roadmap, query: &str) -> Vec<&'a Topic> {
    let words = query_words(query);
    if words.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<(bool, &Topic)> = roadmap
        .topics
        .iter()
        .filter_map(|t| {
            let title = t.title.to_lowercase();
            let text = format!("{title}\n{}\n{}", t.summary.to_lowercase(), t.outcomes.join("\n").to_lowercase());
            words
                .iter()
                .all(|w| text.contains(w.as_str()))
                .then(|| (words.iter().all(|w| title.contains(w.as_str())), t))
        })
        .collect();
    hits.sort_by_key(|(in_title, _)| !in_title);
    hits.into_iter().map(|(_, t)| t).collect()
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::roadmap::catalog::Catalog;

    fn ids(query: &str) -> Vec<String> {
        let catalog = Catalog::builtin().expect("content");
        search(catalog.roadmap("backend").expect("backend"), query).iter().map(|t| t.id.to_string()).collect()
    }

    #[test]
    fn words_are_lowercased_and_split_on_punctuation() {
        assert_eq!(query_words("  PostgreSQL, Indexes! "), ["postgresql", "indexes"]);
        assert_eq!(query_words("C# and C++"), ["c#", "and", "c++"]);
        assert!(query_words(" ,.; ").is_empty());
        assert_eq!(query_words(&"a".repeat(500)), ["a".repeat(100)]);
    }

    #[test]
    fn an_empty_query_finds_nothing() {
        assert!(ids("").is_empty());
        assert!(ids("   ").is_empty());
    }

    #[test]
    fn title_matches_come_first() {
        let found = ids("dns");
        assert_eq!(found.first().map(String::as_str), Some("dns"));
        assert!(found.len() > 1, "DNS is also mentioned in other topics: {found:?}");
    }

    #[test]
    fn every_word_must_match_somewhere() {
        let found = ids("write skew");
        assert!(found.contains(&"transactions-isolation".to_owned()), "{found:?}");
        assert!(ids("write skew zebra-unicorn").is_empty());
    }

    #[test]
    fn summary_and_outcome_text_is_searched() {
        // "lost update" appears in the isolation topic's explanation, not its title.
        assert!(ids("lost update").contains(&"transactions-isolation".to_owned()));
    }
}
