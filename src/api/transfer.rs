//! `/api/export_progress`, `/api/import_progress`, `/api/reset_progress`.

use crate::error::AppError;
use crate::roadmap::transfer::ProgressExport;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportAnswer {
    pub imported: u32,
    pub skipped: u32,
    pub message: String,
}

/// Every status the caller recorded, on every roadmap, with change times.
#[server(prefix = "/api", endpoint = "export_progress")]
pub async fn export_progress() -> Result<ProgressExport, AppError> {
    use crate::server::{services::transfer, web::context};
    let (state, caller) = context::state_and_caller().await?;
    transfer::export(&state, &caller).await
}

/// Field `data`: an export document (up to 1 MiB). Merged by most recent change.
#[server(prefix = "/api", endpoint = "import_progress")]
pub async fn import_progress(data: String) -> Result<ImportAnswer, AppError> {
    use crate::server::{services::transfer, web::context};
    let (state, caller) = context::state_and_caller().await?;
    let done = transfer::import(&state, &caller, &context::caller_address(), &data).await?;
    if let Some(token) = &done.new_token {
        context::send_identity_cookie(token, state.secure_cookies)?;
    }
    Ok(ImportAnswer { imported: done.imported as u32, skipped: done.skipped as u32, message: done.message })
}

/// Fields `roadmap`, and `notes=delete` to delete the caller's notes on it too. Deletes the
/// caller's statuses on it; notes stay unless asked for.
#[server(prefix = "/api", endpoint = "reset_progress")]
pub async fn reset_progress(roadmap: String, notes: Option<String>) -> Result<String, AppError> {
    use crate::server::{services::transfer, web::context};
    let (state, caller) = context::state_and_caller().await?;
    let with_notes = match notes.as_deref() {
        None | Some("") | Some("keep") => false,
        Some("delete") => true,
        Some(_) => return Err(AppError::bad_request("`notes` is `delete` (to delete your notes too) or left out.")),
    };
    let (cleared, notes_cleared) = transfer::reset(&state, &caller, &roadmap, with_notes).await?;
    Ok(if with_notes {
        format!("Progress reset: {cleared} status(es) and {notes_cleared} note(s) deleted.")
    } else {
        format!("Progress reset: {cleared} status(es) deleted. Your notes were kept.")
    })
}
