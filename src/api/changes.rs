//! `/api/list_changes` and `/api/get_changes_seen`: the content's history, and what a
//! roadmap page tells the caller of it ("since your visit", "updated since you finished it").

use crate::error::AppError;
use crate::roadmap::changes::{Change, Seen};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One roadmap's history, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoadmapChanges {
    pub id: String,
    pub title: String,
    pub changes: Vec<Change>,
}

/// The history of every roadmap (or only `roadmap`'s), newest first; with `since`
/// (`YYYY-MM-DD`), only the changes on or after that day.
#[server(prefix = "/api", endpoint = "list_changes")]
pub async fn list_changes(roadmap: Option<String>, since: Option<String>) -> Result<Vec<RoadmapChanges>, AppError> {
    use crate::roadmap::changes::Day;
    use crate::server::services::caller::{find_roadmap, quote};
    let state = crate::server::web::context::app_state()?;
    let since = match since.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(Day::parse(s).ok_or_else(|| {
            AppError::bad_request(format!(
                "{} is not a date. Write it as YYYY-MM-DD, for example 2026-11-12.",
                quote(s)
            ))
        })?),
        None => None,
    };
    let roadmaps = match roadmap.as_deref().filter(|r| !r.is_empty()) {
        Some(id) => vec![find_roadmap(&state, id)?],
        None => state.catalog.roadmaps().iter().collect(),
    };
    Ok(roadmaps
        .into_iter()
        .map(|r| RoadmapChanges {
            id: r.id.to_string(),
            title: r.title.clone(),
            changes: r.changes().iter().filter(|c| since.is_none_or(|d| c.on >= d)).cloned().collect(),
        })
        .collect())
}

/// What the roadmap page (with `topic`'s panel open, if any) tells the caller of content
/// changes. Reading never records a visit (the page itself does).
#[server(prefix = "/api", endpoint = "get_changes_seen")]
pub async fn get_changes_seen(roadmap: String, topic: Option<String>) -> Result<Seen, AppError> {
    use crate::server::services::caller::find_roadmap;
    use crate::server::services::progress::records;
    use crate::server::services::visits::{on_page, View};
    use crate::server::web::context;
    let (state, caller) = context::state_and_caller().await?;
    let found = find_roadmap(&state, &roadmap)?;
    let records = records(&state, &caller, found).await?;
    on_page(&state, &caller, found, &records, topic.as_deref(), View::Look).await
}
