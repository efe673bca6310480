//! `/api/signup`, `/api/login`, `/api/logout`, `/api/change_password`, `/api/get_account`,
//! `/api/set_display_name`. After signing in or out, a form is sent on to `/account` or `/`.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Who the caller is, for the account page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountOverview {
    /// `None` while anonymous.
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub share_links: Vec<ShareLink>,
    /// Roadmap id, title and how many statuses the caller recorded on it.
    pub roadmaps: Vec<(String, String, u32)>,
    /// The account's signed-in devices, this one first (empty while anonymous).
    pub devices: Vec<SignedInDevice>,
}

/// One browser signed in to the account, as its owner sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedInDevice {
    /// "Firefox on Linux".
    pub label: String,
    /// RFC 3339.
    pub signed_in: String,
    /// RFC 3339 (the day it was last used; it is noted at most once a day).
    pub last_used: String,
    pub this_device: bool,
}

/// One share link as its owner sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareLink {
    pub code: String,
    pub url: String,
    pub roadmap: String,
    /// RFC 3339.
    pub created_at: String,
}

/// Fields `username`, `password`. Creates an account that keeps this browser's progress and
/// signs in. Answers with a sentence; a form is sent on to `/account`.
#[server(prefix = "/api", endpoint = "signup")]
pub async fn sign_up(username: String, password: String) -> Result<String, AppError> {
    use crate::server::{services::accounts, web::context};
    let (state, caller) = context::state_and_caller().await?;
    let browser = context::browser();
    let done = accounts::sign_up(&state, &caller, browser.credentials(&username, &password)).await;
    crate::server::services::audit::account_event("sign_up", &username, &browser.client, &done);
    let done = done?;
    context::send_signed_in_cookies(&done, state.secure_cookies)?;
    leptos_axum::redirect(&format!("/account?welcome=signup&kept={}", done.brought_along));
    Ok(format!("Account {} created; your {} status(es) from this browser are kept.", done.username, done.brought_along))
}

/// Fields `username`, `password`. Signs in with a fresh session; progress made in this
/// browser before is merged into the account (newest change wins).
#[server(prefix = "/api", endpoint = "login")]
pub async fn log_in(username: String, password: String) -> Result<String, AppError> {
    use crate::server::{services::accounts, web::context};
    let (state, caller) = context::state_and_caller().await?;
    let browser = context::browser();
    let done = accounts::sign_in(&state, &caller, browser.credentials(&username, &password)).await;
    crate::server::services::audit::account_event("sign_in", &username, &browser.client, &done);
    let done = done?;
    context::send_signed_in_cookies(&done, state.secure_cookies)?;
    leptos_axum::redirect(&format!("/account?welcome=login&merged={}", done.brought_along));
    Ok(format!("Signed in as {}; {} status(es) from this browser were merged.", done.username, done.brought_along))
}

/// Ends this browser's session on the server and clears its cookie. An anonymous browser
/// keeps its progress: there is nothing to sign out of.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn log_out() -> Result<String, AppError> {
    use crate::server::{services::accounts, web::context};
    let (state, caller) = context::state_and_caller().await?;
    let ended = accounts::sign_out(&state, &caller).await;
    let who = caller.account().map(|u| u.to_string()).unwrap_or_default();
    crate::server::services::audit::account_event("sign_out", &who, &context::caller_address(), &ended);
    if !ended? {
        return Ok("You were not signed in; this browser keeps its progress.".to_owned());
    }
    context::send_clear_cookie(state.secure_cookies)?;
    leptos_axum::redirect("/account?welcome=logout");
    Ok("Signed out.".to_owned())
}

/// Fields `password` (current) and `new_password`. Ends every other session and gives this
/// browser a new one.
#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(password: String, new_password: String) -> Result<String, AppError> {
    use crate::server::{services::accounts, web::context};
    let (state, caller) = context::state_and_caller().await?;
    let changed = accounts::change_password(&state, &caller, &password, &new_password).await;
    let who = caller.account().map(|u| u.to_string()).unwrap_or_default();
    crate::server::services::audit::account_event("password_change", &who, &context::caller_address(), &changed);
    let changed = changed?;
    context::send_session_cookie(&changed.token, state.secure_cookies)?;
    Ok(format!("Password changed. {} other session(s) were signed out.", changed.others_ended))
}

/// No fields. Signs the caller's account out on every other device.
#[server(prefix = "/api", endpoint = "sign_out_elsewhere")]
pub async fn sign_out_elsewhere() -> Result<String, AppError> {
    use crate::server::{services::accounts, web::context};
    let (state, caller) = context::state_and_caller().await?;
    let ended = accounts::sign_out_elsewhere(&state, &caller).await;
    let who = caller.account().map(|u| u.to_string()).unwrap_or_default();
    crate::server::services::audit::account_event("sign_out_elsewhere", &who, &context::caller_address(), &ended);
    let ended = ended?;
    Ok(match ended {
        0 => "You were signed in on no other device.".to_owned(),
        n => format!("Signed out on {n} other device(s). This one stays signed in."),
    })
}

/// Field `display_name` (empty to show "A learner" on share links).
#[server(prefix = "/api", endpoint = "set_display_name")]
pub async fn set_display_name(display_name: String) -> Result<String, AppError> {
    use crate::server::{services::sharing, web::context};
    let (state, caller) = context::state_and_caller().await?;
    let name = crate::roadmap::account::parse_display_name(&display_name).map_err(AppError::bad_request)?;
    if let Some(token) = sharing::set_display_name(&state, &caller, &context::caller_address(), name.as_deref()).await?
    {
        context::send_identity_cookie(&token, state.secure_cookies)?;
    }
    Ok(match name {
        Some(n) => format!("Share links now show “{n}”."),
        None => "Share links now show “A learner”.".to_owned(),
    })
}

/// Who the caller is, their links and how much progress they have, for `/account`.
#[server(prefix = "/api", endpoint = "get_account")]
pub async fn get_account() -> Result<AccountOverview, AppError> {
    use crate::roadmap::transfer::format_rfc3339;
    use crate::server::{services::sharing, web::context};
    let (state, caller) = context::state_and_caller().await?;
    let display_name = match caller.key() {
        Some(key) => sharing::display_name(&state, key).await?,
        None => None,
    };
    let share_links = sharing::list(&state, &caller)
        .await?
        .into_iter()
        .map(|(code, share)| ShareLink {
            url: sharing::share_url(&state, &code),
            code: code.as_str().to_owned(),
            roadmap: share.roadmap.into(),
            created_at: format_rfc3339(share.created_at),
        })
        .collect();
    let counts = match caller.key() {
        Some(key) => state.store.all_statuses(key).await.map_err(crate::server::store::failed("reading progress"))?,
        None => Default::default(),
    };
    let roadmaps = state
        .catalog
        .roadmaps()
        .iter()
        .map(|r| {
            let n = counts
                .get(&r.id)
                .map_or(0, |list| list.iter().filter(|s| s.status != crate::roadmap::Status::None).count());
            (r.id.as_str().to_owned(), r.title.clone(), n as u32)
        })
        .collect();
    let devices = crate::server::services::accounts::devices(&state, &caller)
        .await?
        .into_iter()
        .map(|d| SignedInDevice {
            label: d.session.device,
            signed_in: format_rfc3339(d.session.created_at),
            last_used: format_rfc3339(d.session.last_seen),
            this_device: d.this_one,
        })
        .collect();
    Ok(AccountOverview {
        username: caller.account().map(|u| u.to_string()),
        display_name,
        share_links,
        roadmaps,
        devices,
    })
}
