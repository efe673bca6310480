//! `GET /changes.atom`: the content history of every roadmap as an Atom feed (RFC 4287),
//! one entry per change, with ids that stay the same from one build to the next.

use crate::roadmap::changes::Change;
use crate::server::state::AppState;
use atom_syndication::{Entry, Feed, FixedDateTime, Link, Person, Text};
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};

/// How many of the newest changes the feed carries.
pub const FEED_ENTRIES: usize = 200;

fn at_day(day: crate::roadmap::changes::Day) -> FixedDateTime {
    format!("{}T00:00:00Z", day.iso()).parse().unwrap_or_default()
}

fn link(href: String, rel: &str) -> Link {
    Link { href, rel: rel.to_owned(), mime_type: None, ..Default::default() }
}

/// The feed's XML for the server at `public_url` (no trailing slash).
pub fn changes_feed(state: &AppState) -> String {
    let base = state.public_url.trim_end_matches('/');
    let mut all: Vec<(&str, &Change)> =
        state.catalog.roadmaps().iter().flat_map(|r| r.changes().iter().map(move |c| (r.id.as_str(), c))).collect();
    // Newest first; a stable sort keeps each roadmap's own order within a day.
    all.sort_by_key(|c| std::cmp::Reverse(c.1.on));
    let entries: Vec<Entry> = all
        .iter()
        .take(FEED_ENTRIES)
        .map(|(roadmap, c)| {
            let href = match c.kind {
                crate::roadmap::changes::ChangeKind::Retired => format!("{base}/changes?roadmap={roadmap}"),
                _ => format!("{base}/roadmaps/{roadmap}/{}", c.topic),
            };
            Entry {
                title: Text::plain(format!("{}: {}", c.kind.label(), c.title)),
                id: format!("{base}/changes/{roadmap}/{}/{}/{}", c.topic, c.on.iso(), c.kind.as_str()),
                updated: at_day(c.on),
                summary: Some(Text::plain(c.note.clone())),
                links: vec![link(href, "alternate")],
                ..Default::default()
            }
        })
        .collect();
    let updated = all.first().map(|(_, c)| at_day(c.on)).unwrap_or_default();
    let feed = Feed {
        title: Text::plain("backroad: what changed in the roadmaps"),
        id: format!("{base}/changes"),
        updated,
        authors: vec![Person { name: "backroad".to_owned(), ..Default::default() }],
        links: vec![link(format!("{base}/changes"), "alternate"), link(format!("{base}/changes.atom"), "self")],
        entries,
        ..Default::default()
    };
    feed.to_string()
}

/// `GET /changes.atom`.
pub async fn changes_atom(State(state): State<AppState>) -> Response {
    (
        [
            (CONTENT_TYPE, HeaderValue::from_static("application/atom+xml; charset=utf-8")),
            (CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
        ],
        changes_feed(&state),
    )
        .into_response()
}
