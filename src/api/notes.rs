//! `/api/set_note` and `/api/get_notes`: a learner's private notes, one per topic.

use crate::error::AppError;
use crate::roadmap::notes::{Note, SavedNote};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Saves the caller's note on a topic; an empty note deletes it. Form fields: `roadmap`,
/// `topic`, `note` (Markdown, at most 10,000 characters).
#[server(prefix = "/api", endpoint = "set_note")]
pub async fn set_note(roadmap: String, topic: String, note: String) -> Result<SavedNote, AppError> {
    use crate::server::services::notes;
    use crate::server::web::context;
    let (state, caller) = context::state_and_caller().await?;
    let (saved, new_token) = notes::save(&state, &caller, &context::caller_address(), &roadmap, &topic, &note).await?;
    if let Some(token) = new_token {
        context::send_identity_cookie(&token, state.secure_cookies)?;
    }
    Ok(saved)
}

/// The caller's notes on a roadmap: `{topic_id: {note, changed_at}}`. Reading never creates
/// an identity.
#[server(prefix = "/api", endpoint = "get_notes")]
pub async fn get_notes(roadmap: String) -> Result<BTreeMap<String, Note>, AppError> {
    use crate::server::services::notes;
    use crate::server::web::context;
    let (state, caller) = context::state_and_caller().await?;
    notes::notes(&state, &caller, &roadmap).await
}
