//! The roadmap's search box and filters. Both live in the address (`?q=`, `?show=`), so
//! they work as plain links and forms without JavaScript and can be shared.

use super::ProgressState;
use crate::roadmap::personal::{next_steps_keeping, Slot};
use crate::roadmap::views::TopicLink;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// What the search marks on a roadmap page, shared with every topic element. ("My path"
/// comes from the learner's progress: `Slot::OnPath`.)
#[derive(Clone, Copy)]
pub struct Highlights {
    /// Topic ids matching the search.
    pub matches: Signal<Vec<String>>,
}

impl Highlights {
    /// `data-match` for a topic element: "true" when the search found it.
    pub fn matched(self, id: String) -> impl Fn() -> Option<&'static str> + Send + Sync + 'static {
        move || self.matches.with(|m| m.contains(&id)).then_some("true")
    }
}

/// The filters, as (value of `show`, label).
pub const FILTERS: [(&str, &str); 5] = [
    ("all", "All topics"),
    ("core", "Essentials"),
    ("hide-done", "Hide done"),
    ("hide-skipped", "Hide skipped"),
    ("path", "My path"),
];

/// Reads `show` from the address; anything unknown means all.
pub fn parse_filter(raw: Option<String>) -> &'static str {
    let raw = raw.unwrap_or_default();
    FILTERS.iter().map(|(v, _)| *v).find(|v| *v == raw).unwrap_or("all")
}

/// `path` with the current search and filter kept (`?q=`, `?show=`), so opening or closing a
/// topic's panel does not lose them.
pub fn keep_query(path: String) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let search = use_location().search;
    move || search.with(|s| if s.is_empty() { path.clone() } else { format!("{path}?{s}") })
}

/// The address of a topic's panel, search and filter kept.
pub fn topic_href(roadmap: &str, topic: &str) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    keep_query(format!("/roadmaps/{roadmap}/{topic}"))
}

/// The address of this roadmap with the given search and filter.
fn href(roadmap: &str, q: &str, show: &str) -> String {
    let query = page_query(q, show);
    if query.is_empty() {
        format!("/roadmaps/{roadmap}")
    } else {
        format!("/roadmaps/{roadmap}?{query}")
    }
}

/// The one spelling of a page's search and filter (without `?`; empty for neither). The
/// server keeps pages under this spelling, and every link on the page is written with it.
pub fn page_query(q: &str, show: &str) -> String {
    let mut params = Vec::new();
    if !q.is_empty() {
        params.push(format!("q={}", urlencode(q)));
    }
    if show != "all" {
        params.push(format!("show={show}"));
    }
    params.join("&")
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[component]
pub fn RoadmapTools(
    roadmap: String,
    q: Signal<String>,
    show: Signal<&'static str>,
    results: Signal<Option<Vec<TopicLink>>>,
    progress: ProgressState,
) -> impl IntoView {
    let action = format!("/roadmaps/{roadmap}");
    let filter_links = {
        let roadmap = roadmap.clone();
        FILTERS
            .iter()
            .map(|&(value, label)| {
                let roadmap = roadmap.clone();
                let link = move || href(&roadmap, &q.get(), value);
                let current = move || (show.get() == value).then_some("true");
                view! {
                    <li>
                        <a href=link aria-current=current class="filter-link">{label}</a>
                    </li>
                }
            })
            .collect_view()
    };
    let search = use_location().search.get_untracked();
    // The learner's own notes that have the words, marked as theirs (`Slot::NoteHits`).
    let note_hits = next_steps_keeping(&progress.slot(Slot::NoteHits), search.trim_start_matches('?'));
    let result_list = {
        let roadmap = roadmap.clone();
        move || {
            let note_hits = note_hits.clone();
            let roadmap = roadmap.clone();
            results.get().map(|found| {
                let query = q.get();
                let summary = match found.len() {
                    0 => format!("No topic matches “{query}”."),
                    1 => format!("1 topic matches “{query}”:"),
                    n => format!("{n} topics match “{query}”:"),
                };
                view! {
                    <div class="search-results" role="status" data-testid="search-results">
                        <p>{summary}</p>
                        <ul>
                            {found
                                .into_iter()
                                .map(|t| {
                                    let href = topic_href(&roadmap, &t.id);
                                    view! { <li><a href=href>{t.title}</a></li> }
                                })
                                .collect_view()}
                        </ul>
                        <div class="note-hits" data-hook="note-hits" inner_html=note_hits></div>
                    </div>
                }
            })
        }
    };
    view! {
        <div class="roadmap-tools">
            <form method="get" action=action role="search" class="search-form">
                <label for="roadmap-search">"Search this roadmap"</label>
                <input id="roadmap-search" type="search" name="q" value=q.get_untracked() />
                {move || (show.get() != "all").then(|| view! { <input type="hidden" name="show" value=show.get() /> })}
                <button type="submit">"Search"</button>
            </form>
            <nav aria-label="Filters">
                <ul class="filters">{filter_links}</ul>
            </nav>
            {result_list}
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_filters_mean_all() {
        assert_eq!(parse_filter(Some("core".into())), "core");
        assert_eq!(parse_filter(Some("<script>".into())), "all");
        assert_eq!(parse_filter(None), "all");
    }

    #[test]
    fn links_keep_the_search_and_drop_defaults() {
        assert_eq!(href("backend", "", "all"), "/roadmaps/backend");
        assert_eq!(href("backend", "write skew", "core"), "/roadmaps/backend?q=write+skew&show=core");
        assert_eq!(href("backend", "C#", "all"), "/roadmaps/backend?q=C%23");
    }
}
