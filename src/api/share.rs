//! `/api/create_share_link`, `/api/revoke_share_link`, `/api/get_shared_progress`.

use crate::error::AppError;
use crate::roadmap::views::RoadmapView;
use crate::roadmap::ProgressSummary;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A new link: its code and the address to hand out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewShareLink {
    pub code: String,
    pub url: String,
}

/// What `/s/{code}` shows: the owner's name, the roadmap and their statuses on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedProgress {
    pub owner: String,
    pub roadmap: RoadmapView,
    pub summary: ProgressSummary,
}

/// Field `roadmap`. A read-only link to the caller's progress on it.
#[server(prefix = "/api", endpoint = "create_share_link")]
pub async fn create_share_link(roadmap: String) -> Result<NewShareLink, AppError> {
    use crate::server::{services::sharing, web::context};
    let (state, caller) = context::state_and_caller().await?;
    let client = context::caller_address();
    let made = sharing::create(&state, &caller, &client, &roadmap).await;
    let who = caller.account().map(|u| u.to_string()).unwrap_or_default();
    crate::server::services::audit::account_event("share_create", &who, &client, &made);
    let (code, token) = made?;
    if let Some(token) = token {
        context::send_identity_cookie(&token, state.secure_cookies)?;
    }
    Ok(NewShareLink { url: sharing::share_url(&state, &code), code: code.as_str().to_owned() })
}

/// Field `code`. Revokes one of the caller's links; its address answers 404 from now on.
#[server(prefix = "/api", endpoint = "revoke_share_link")]
pub async fn revoke_share_link(code: String) -> Result<String, AppError> {
    use crate::server::{services::sharing, web::context};
    let (state, caller) = context::state_and_caller().await?;
    let revoked = sharing::revoke(&state, &caller, &code).await;
    let who = caller.account().map(|u| u.to_string()).unwrap_or_default();
    crate::server::services::audit::account_event("share_revoke", &who, &context::caller_address(), &revoked);
    revoked?;
    Ok("The link is revoked; it now shows “not found”.".to_owned())
}

/// Field `code`. The progress a share link shows; unknown or revoked codes are 404.
#[server(prefix = "/api", endpoint = "get_shared_progress")]
pub async fn get_shared_progress(code: String) -> Result<SharedProgress, AppError> {
    use crate::server::{services::sharing, web::context};
    let state = context::app_state()?;
    let shared = sharing::open(&state, &code).await?;
    let roadmap = state
        .catalog
        .view(shared.roadmap.as_str())
        .cloned()
        .ok_or_else(|| AppError::not_found("This share link does not exist or was revoked by its owner."))?;
    Ok(SharedProgress { owner: shared.owner, roadmap, summary: shared.summary })
}
