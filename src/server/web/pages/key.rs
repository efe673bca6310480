//! Which page a request asks for, in its one canonical spelling: the ids exactly as in the
//! catalog (an alias or an encoded spelling is redirected to it), the search and filter
//! rebuilt from their parsed values (`q` cut to `MAX_SEARCH_CHARS`, `show` from its list,
//! nothing else kept), and the theme. Pages are kept under this key, so no odd spelling of
//! an address can fill the store of kept pages.

use crate::components::{page_query, parse_filter};
use crate::roadmap::catalog::Catalog;
use crate::server::web::context::theme_in;
use axum::http::{HeaderMap, Uri};

/// The longest search kept (characters); longer ones are cut.
pub const MAX_SEARCH_CHARS: usize = 100;

/// What kind of page, and which.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PageKind {
    Home,
    /// A roadmap, with a topic's panel open or not.
    Roadmap {
        roadmap: String,
        topic: Option<String>,
    },
    /// Someone's shared progress; `owner` is the name the page shows, so a new display name
    /// makes a new page.
    Shared {
        code: String,
        owner: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub kind: PageKind,
    /// The canonical search and filter, without `?`.
    pub query: String,
    pub theme: &'static str,
}

impl PageKey {
    /// The page's address, as its links are written.
    pub fn uri(&self) -> String {
        let path = match &self.kind {
            PageKind::Home => "/".to_owned(),
            PageKind::Roadmap { roadmap, topic: None } => format!("/roadmaps/{roadmap}"),
            PageKind::Roadmap { roadmap, topic: Some(t) } => format!("/roadmaps/{roadmap}/{t}"),
            PageKind::Shared { code, .. } => format!("/s/{code}"),
        };
        if self.query.is_empty() {
            path
        } else {
            format!("{path}?{}", self.query)
        }
    }

    /// The roadmap whose progress the page shows, if any.
    pub fn roadmap(&self) -> Option<&str> {
        match &self.kind {
            PageKind::Roadmap { roadmap, .. } => Some(roadmap),
            PageKind::Home | PageKind::Shared { .. } => None,
        }
    }

    /// A rough size of the key, for the byte budget of kept pages.
    /// Whether the address carries a search: any text a visitor types makes one, so such
    /// pages are kept apart from the others, cheaper and in a smaller budget (`pages`).
    pub fn searched(&self) -> bool {
        self.query.starts_with("q=")
    }

    /// The page's search text (`q`), as the page's component reads it.
    pub fn search(&self) -> String {
        #[derive(serde::Deserialize)]
        struct Params {
            q: Option<String>,
        }
        format!("/?{}", self.query)
            .parse()
            .ok()
            .and_then(|uri| axum::extract::Query::<Params>::try_from_uri(&uri).ok())
            .and_then(|q| q.0.q)
            .unwrap_or_default()
    }

    /// The topic whose panel the page has open.
    pub fn open_topic(&self) -> Option<&str> {
        match &self.kind {
            PageKind::Roadmap { topic, .. } => topic.as_deref(),
            _ => None,
        }
    }

    pub fn weight(&self) -> usize {
        64 + self.query.len()
            + match &self.kind {
                PageKind::Home => 0,
                PageKind::Roadmap { roadmap, topic } => roadmap.len() + topic.as_ref().map_or(0, String::len),
                PageKind::Shared { code, owner } => code.len() + owner.len(),
            }
    }
}

/// What to do with a request for a page.
#[derive(Debug, PartialEq, Eq)]
pub enum Asked {
    /// A page that can be kept (and filled in for a learner).
    Page(PageKey),
    /// The same page under another spelling: go to its canonical address (308).
    Elsewhere(String),
    /// Not a page of ours (an unknown roadmap or topic): rendered in full, never kept.
    Render,
}

/// Reads a request for `/`, `/roadmaps/{roadmap}[/{topic}]` or `/s/{code}` (the shared page
/// needs its owner, so it is finished by the caller: `owner` is left empty here).
pub fn asked(uri: &Uri, headers: &HeaderMap, catalog: &Catalog) -> Asked {
    let theme = theme_in(headers);
    let raw: Vec<&str> = uri.path().trim_start_matches('/').split('/').collect();
    let Some(segments) = raw.iter().map(|s| decode(s)).collect::<Option<Vec<String>>>() else { return Asked::Render };
    let query = canonical_query(uri.query());
    let kind = match segments.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [""] => PageKind::Home,
        ["roadmaps", roadmap] | ["roadmaps", roadmap, ""] => {
            let Some(found) = catalog.roadmap(roadmap) else { return Asked::Render };
            PageKind::Roadmap { roadmap: found.id.to_string(), topic: None }
        }
        ["roadmaps", roadmap, topic] => {
            let Some(found) = catalog.roadmap(roadmap) else { return Asked::Render };
            let Some(t) = found.topic(topic) else { return Asked::Render };
            PageKind::Roadmap { roadmap: found.id.to_string(), topic: Some(t.id.to_string()) }
        }
        ["s", code] if code.len() <= 64 && code.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            PageKind::Shared { code: (*code).to_owned(), owner: String::new() }
        }
        _ => return Asked::Render,
    };
    let key = PageKey { kind, query, theme };
    let asked_path = uri.path();
    let canonical = key.uri();
    let canonical_path = canonical.split('?').next().unwrap_or_default();
    if asked_path != canonical_path {
        return Asked::Elsewhere(canonical);
    }
    Asked::Page(key)
}

/// `q` and `show` as the page's own links write them; everything else is dropped.
fn canonical_query(raw: Option<&str>) -> String {
    #[derive(serde::Deserialize, Default)]
    struct Params {
        q: Option<String>,
        show: Option<String>,
    }
    let params = raw
        .and_then(|q| axum::extract::Query::<Params>::try_from_uri(&format!("/?{q}").parse().ok()?).ok())
        .map(|q| q.0)
        .unwrap_or_default();
    let q: String = params.q.unwrap_or_default().trim().chars().take(MAX_SEARCH_CHARS).collect();
    page_query(q.trim(), parse_filter(params.show))
}

/// A path segment with its percent-escapes decoded; `None` if they do not make UTF-8.
fn decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        Catalog::builtin().expect("the built-in content")
    }

    fn ask(uri: &str) -> Asked {
        asked(&uri.parse().expect("uri"), &HeaderMap::new(), &catalog())
    }

    fn page(kind: PageKind, query: &str) -> Asked {
        Asked::Page(PageKey { kind, query: query.to_owned(), theme: "system" })
    }

    fn roadmap(topic: Option<&str>) -> PageKind {
        PageKind::Roadmap { roadmap: "backend".into(), topic: topic.map(str::to_owned) }
    }

    #[test]
    fn only_addresses_with_a_search_count_as_searched() {
        let searched = |uri: &str| match ask(uri) {
            Asked::Page(key) => key.searched(),
            _ => panic!("{uri} is a page"),
        };
        assert!(searched("/roadmaps/backend?q=dns") && searched("/roadmaps/backend/dns?show=core&q=tls"));
        assert!(!searched("/roadmaps/backend?show=core") && !searched("/roadmaps/backend?q=%20"));
    }

    #[test]
    fn canonical_addresses_are_pages() {
        assert_eq!(ask("/"), page(PageKind::Home, ""));
        assert_eq!(ask("/roadmaps/backend"), page(roadmap(None), ""));
        assert_eq!(ask("/roadmaps/backend/dns"), page(roadmap(Some("dns")), ""));
        assert_eq!(ask("/roadmaps/backend?show=core&q=write+skew"), page(roadmap(None), "q=write+skew&show=core"));
        let Asked::Page(key) = ask("/roadmaps/backend?show=core&q=C%23+%26+go") else { panic!("a page") };
        assert_eq!(key.search(), "C# & go");
    }

    #[test]
    fn other_spellings_go_to_the_canonical_address_or_are_not_kept() {
        assert_eq!(ask("/roadmaps/%62ackend/%64ns"), Asked::Elsewhere("/roadmaps/backend/dns".into()));
        assert_eq!(ask("/roadmaps/backend/"), Asked::Elsewhere("/roadmaps/backend".into()));
        assert_eq!(ask("/roadmaps/nope"), Asked::Render);
        assert_eq!(ask("/roadmaps/backend/no-such-topic"), Asked::Render);
        assert_eq!(ask("/roadmaps/backend/dns/extra"), Asked::Render);
        assert_eq!(ask("/roadmaps/%ff"), Asked::Render);
    }

    #[test]
    fn the_query_is_rebuilt_from_what_it_means() {
        // Unknown parameters and filters are dropped; the search is cut to its limit.
        assert_eq!(ask("/roadmaps/backend?utm=1&show=nonsense"), page(roadmap(None), ""));
        let long = "x".repeat(5000);
        let Asked::Page(key) = ask(&format!("/roadmaps/backend?q={long}")) else { panic!("a page") };
        assert_eq!(key.query, format!("q={}", "x".repeat(MAX_SEARCH_CHARS)));
        assert_eq!(key.search(), "x".repeat(MAX_SEARCH_CHARS));
        assert_eq!(ask("/roadmaps/backend?q=%20%20"), page(roadmap(None), ""));
    }
}
