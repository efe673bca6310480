//! Export, import and reset of the caller's progress and notes.

use crate::error::AppError;
use crate::roadmap::transfer::{plan_import, ProgressExport};
use crate::server::identity::Token;
use crate::server::services::caller::{find_roadmap, now_ms, Caller};
use crate::server::state::AppState;
use crate::server::store::failed as store_err;

/// Skipped entries listed by name in an import's answer; the rest are counted.
const SKIPPED_SHOWN: usize = 5;

/// Every status and note the caller recorded, on every roadmap.
pub async fn export(state: &AppState, caller: &Caller) -> Result<ProgressExport, AppError> {
    let (all, notes) = match caller.key() {
        Some(key) => (
            state.store.all_statuses(key).await.map_err(store_err("reading progress"))?,
            state.store.all_notes(key).await.map_err(store_err("reading notes"))?,
        ),
        None => Default::default(),
    };
    Ok(ProgressExport::new(now_ms(), all, notes))
}

/// What an import did, in numbers and one sentence.
pub struct ImportOutcome {
    pub imported: usize,
    pub skipped: usize,
    pub message: String,
    pub new_token: Option<Token>,
}

/// Merges an export into the caller's progress in one step: for each topic the newer change
/// wins. A new visitor gets an identity, counted against `client`.
pub async fn import(state: &AppState, caller: &Caller, client: &str, data: &str) -> Result<ImportOutcome, AppError> {
    let plan = plan_import(data, now_ms(), |id| state.catalog.roadmap(id)).map_err(AppError::bad_request)?;
    let total: usize = plan.records.values().map(Vec::len).sum();
    let total_notes: usize = plan.notes.values().map(Vec::len).sum();
    let (mut imported, mut imported_notes, mut new_token) = (0, 0, None);
    if total + total_notes > 0 {
        let (key, token) = caller.ensure_identity(state, client, now_ms()).await?;
        new_token = token;
        if total > 0 {
            imported = state.store.merge_statuses(&key, plan.records).await.map_err(store_err("importing progress"))?;
        }
        if total_notes > 0 {
            imported_notes = state.store.merge_notes(&key, plan.notes).await.map_err(store_err("importing notes"))?;
        }
    }
    let older = total - imported + total_notes - imported_notes;
    let skipped = plan.skipped.len();
    let mut message = format!("Imported {imported} status(es)");
    if total_notes > 0 {
        message.push_str(&format!(" and {imported_notes} note(s)"));
    }
    message.push('.');
    if older > 0 {
        message.push_str(&format!(" {older} were not newer than what you have, so yours were kept."));
    }
    if skipped > 0 {
        let shown: Vec<&str> = plan.skipped.iter().take(SKIPPED_SHOWN).map(String::as_str).collect();
        let more =
            if skipped > SKIPPED_SHOWN { format!(" and {} more", skipped - SKIPPED_SHOWN) } else { String::new() };
        message.push_str(&format!(" Skipped {skipped}: {}{more}.", shown.join("; ")));
    }
    Ok(ImportOutcome { imported, skipped, message, new_token })
}

/// Deletes the caller's statuses on a roadmap, and their notes on it when `notes`; answers
/// how many of each there were.
pub async fn reset(state: &AppState, caller: &Caller, roadmap: &str, notes: bool) -> Result<(usize, usize), AppError> {
    let roadmap = find_roadmap(state, roadmap)?;
    let Some(key) = caller.key() else { return Ok((0, 0)) };
    let statuses = state.store.clear_statuses(key, &roadmap.id).await.map_err(store_err("resetting progress"))?;
    let notes =
        if notes { state.store.clear_notes(key, &roadmap.id).await.map_err(store_err("deleting notes"))? } else { 0 };
    Ok((statuses, notes))
}
