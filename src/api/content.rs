//! Read-only content for the pages: the roadmap list, one roadmap, one topic.

use crate::error::AppError;
use crate::roadmap::views::{RoadmapCard, RoadmapView, TopicLink, TopicView};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "list_roadmaps")]
pub async fn list_roadmaps() -> Result<Vec<RoadmapCard>, AppError> {
    let state = crate::server::web::context::app_state()?;
    Ok(state.catalog.roadmaps().iter().map(RoadmapCard::of).collect())
}

#[server(prefix = "/api", endpoint = "get_roadmap")]
pub async fn get_roadmap(roadmap: String) -> Result<RoadmapView, AppError> {
    let state = crate::server::web::context::app_state()?;
    state.catalog.view(&roadmap).cloned().ok_or_else(|| AppError::not_found("There is no such roadmap."))
}

#[server(prefix = "/api", endpoint = "get_topic")]
pub async fn get_topic(roadmap: String, topic: String) -> Result<TopicView, AppError> {
    let state = crate::server::web::context::app_state()?;
    let found = state.catalog.roadmap(&roadmap).ok_or_else(|| AppError::not_found("There is no such roadmap."))?;
    let t = found.topic(&topic).ok_or_else(|| AppError::not_found("This roadmap has no such topic."))?;
    Ok(TopicView::of(found, t))
}

/// Topics of a roadmap whose title, explanation or outcomes contain every word of `q`.
#[server(prefix = "/api", endpoint = "search_topics")]
pub async fn search_topics(roadmap: String, q: String) -> Result<Vec<TopicLink>, AppError> {
    let state = crate::server::web::context::app_state()?;
    let found = state.catalog.roadmap(&roadmap).ok_or_else(|| AppError::not_found("There is no such roadmap."))?;
    Ok(crate::roadmap::search::search(found, &q).into_iter().map(TopicLink::of).collect())
}
