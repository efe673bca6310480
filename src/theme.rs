//! The themes a visitor can pick, shared by the server (which reads the theme cookie) and
//! the browser's theme switch; it imports nothing, so neither side reaches into the other.

/// Themes a visitor can pick; `system` follows the device setting.
pub const THEMES: [&str; 3] = ["system", "light", "dark"];

/// The known theme spelled `raw`, if it is one.
pub fn parse_theme(raw: &str) -> Option<&'static str> {
    THEMES.iter().find(|t| **t == raw).copied()
}

/// The theme this page is rendered in, provided as context by the server for each render
/// (from the theme cookie, or the template's theme).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThemeChoice(pub &'static str);

/// The theme of the page being rendered; `system` when none was provided.
pub fn current_theme() -> &'static str {
    leptos::prelude::use_context::<ThemeChoice>().map_or("system", |t| t.0)
}
