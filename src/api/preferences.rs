//! `/api/set_theme`: the light/dark choice, kept in a cookie so the server renders it.

use crate::error::AppError;
use leptos::prelude::*;

pub use crate::theme::{parse_theme, THEMES};

/// Field `theme` (system | light | dark). Answers with the theme now in effect.
#[server(prefix = "/api", endpoint = "set_theme")]
pub async fn set_theme(theme: String) -> Result<String, AppError> {
    let theme = parse_theme(&theme).ok_or_else(|| AppError::bad_request("The theme must be system, light or dark."))?;
    let state = crate::server::web::context::app_state()?;
    crate::server::web::context::send_theme_cookie(theme, state.secure_cookies)?;
    Ok(theme.to_owned())
}
