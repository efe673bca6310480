//! The themes a visitor can pick, shared by the server (which reads the theme cookie) and
//! the browser's theme switch; it imports nothing, so neither side reaches into the other.

/// Themes a visitor can pick; `system` follows the device setting.
pub const THEMES: [&str; 3] = ["system", "light", "dark"];

/// The known theme spelled `raw`, if it is one.
pub fn parse_theme(raw: &str) -> Option<&'static str> {
    THEMES.iter().find(|t| **t == raw).copied()
}
