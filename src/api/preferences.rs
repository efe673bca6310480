//! `/api/set_theme`: the light/dark choice, kept in a cookie so the server renders it.

use crate::error::AppError;
use leptos::prelude::*;

/// Themes a visitor can pick; `system` follows the device setting.
pub const THEMES: [&str; 3] = ["system", "light", "dark"];

/// The known theme spelled `raw`, if it is one.
pub fn parse_theme(raw: &str) -> Option<&'static str> {
    THEMES.iter().find(|t| **t == raw).copied()
}

/// Field `theme` (system | light | dark). Answers with the theme now in effect.
#[server(prefix = "/api", endpoint = "set_theme")]
pub async fn set_theme(theme: String) -> Result<String, AppError> {
    let theme = parse_theme(&theme).ok_or_else(|| AppError::bad_request("The theme must be system, light or dark."))?;
    let state = crate::server::web::context::app_state()?;
    crate::server::web::context::send_theme_cookie(theme, state.secure_cookies)?;
    Ok(theme.to_owned())
}
