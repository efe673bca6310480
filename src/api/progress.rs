//! `/api/set_topic_status`, `/api/undo_status` and `/api/get_progress`.

use crate::error::AppError;
use crate::roadmap::ProgressSummary;
use leptos::prelude::*;

/// Sets the caller's status for one topic and answers with their progress on the roadmap.
/// Form fields: `roadmap`, `topic`, `status` (done | in_progress | skipped | none).
#[server(prefix = "/api", endpoint = "set_topic_status")]
pub async fn set_topic_status(roadmap: String, topic: String, status: String) -> Result<ProgressSummary, AppError> {
    use crate::server::services::progress;
    use crate::server::web::context;
    let state = context::app_state()?;
    let change = progress::check_change(&state, &roadmap, &topic, &status)?;
    let (summary, new_token) =
        progress::record_for(&state, context::caller_token(), &context::caller_address(), change).await?;
    if let Some(token) = new_token {
        context::send_identity_cookie(&token, state.secure_cookies)?;
    }
    Ok(summary)
}

/// Puts the caller's status on one topic back as it was before their last change (that
/// status and its time exactly, or no status at all) and answers with their progress.
/// Form fields: `roadmap`, `topic`. 409 when there is nothing to undo.
#[server(prefix = "/api", endpoint = "undo_status")]
pub async fn undo_status(roadmap: String, topic: String) -> Result<ProgressSummary, AppError> {
    use crate::server::services::progress;
    use crate::server::web::context;
    let (state, caller) = context::state_and_caller().await?;
    progress::undo(&state, &caller, &roadmap, &topic).await
}

/// What the caller's status on a topic was before their last change: what `undo_status`
/// would put back (`null`: nothing to undo). Reading never creates an identity.
#[server(prefix = "/api", endpoint = "get_previous_status")]
pub async fn get_previous_status(
    roadmap: String,
    topic: String,
) -> Result<Option<crate::roadmap::progress::Previous>, AppError> {
    use crate::server::services::caller::find_roadmap;
    use crate::server::services::progress;
    use crate::server::web::context;
    let (state, caller) = context::state_and_caller().await?;
    let change = progress::check_change(&state, &roadmap, &topic, "none")?;
    let found = find_roadmap(&state, change.roadmap.id.as_str())?;
    progress::previous(&state, &caller, found, change.topic.as_str()).await
}

/// The caller's progress on a roadmap. Reading never creates an identity.
#[server(prefix = "/api", endpoint = "get_progress")]
pub async fn get_progress(roadmap: String) -> Result<ProgressSummary, AppError> {
    use crate::server::services::progress;
    use crate::server::web::context;
    let (state, caller) = context::state_and_caller().await?;
    progress::progress(&state, &caller, &roadmap).await
}
