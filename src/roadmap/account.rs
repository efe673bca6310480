//! Account rules: what a username and a password may be. Checked before anything is hashed
//! or stored; the messages say how to fix the input.

use serde::{Deserialize, Serialize};
use std::fmt;

pub const USERNAME_MIN: usize = 3;
pub const USERNAME_MAX: usize = 32;
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;
/// Longest display name, in characters.
pub const DISPLAY_NAME_MAX: usize = 40;

/// A username, lowercased: `[a-z0-9_-]`, 3–32 characters. Unique regardless of case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl TryFrom<String> for Username {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        let name = Username::parse(&raw)?;
        if name.0 == raw {
            Ok(name)
        } else {
            Err(format!("`{raw}` is not a username as stored (lowercase, no spaces)"))
        }
    }
}

impl From<Username> for String {
    fn from(name: Username) -> String {
        name.0
    }
}

impl Username {
    /// Accepts what a person typed (surrounding spaces and capitals are forgiven).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = raw.trim().to_ascii_lowercase();
        let len = name.chars().count();
        if !(USERNAME_MIN..=USERNAME_MAX).contains(&len) {
            return Err(format!("A username has {USERNAME_MIN} to {USERNAME_MAX} characters; this one has {len}."));
        }
        if !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-') {
            return Err("A username may contain only letters a–z, digits, `_` and `-`.".to_owned());
        }
        Ok(Username(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks a new password's shape: 8–128 characters, not the username. No composition rules
/// (NIST SP 800-63B); how guessable it is, the server checks against real lists
/// (`server::services::strength`).
pub fn check_new_password(password: &str, username: &str) -> Result<(), String> {
    let len = password.chars().count();
    if len < PASSWORD_MIN {
        return Err(format!("A password needs at least {PASSWORD_MIN} characters; this one has {len}."));
    }
    if len > PASSWORD_MAX {
        return Err(format!("A password may have at most {PASSWORD_MAX} characters; this one has {len}."));
    }
    let lower = password.to_lowercase();
    if !username.is_empty() && lower == username.trim().to_ascii_lowercase() {
        return Err("The password must not be the username. Pick another.".to_owned());
    }
    Ok(())
}

/// Checks a display name; an empty one means "show nothing" (`A learner`).
pub fn parse_display_name(raw: &str) -> Result<Option<String>, String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Ok(None);
    }
    if name.chars().count() > DISPLAY_NAME_MAX {
        return Err(format!("A display name may have at most {DISPLAY_NAME_MAX} characters."));
    }
    if name.chars().any(char::is_control) {
        return Err("A display name may not contain control characters.".to_owned());
    }
    if name.chars().any(hides_or_reorders) {
        return Err(
            "A display name may not contain invisible, direction-changing or private-use characters. Type it again \
             without them."
                .to_owned(),
        );
    }
    Ok(Some(name))
}

/// Characters that make a name read differently from what it holds: direction overrides and
/// isolates, zero-width characters and marks, and private-use code points.
fn hides_or_reorders(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' // zero-width space, joiners, direction marks
        | '\u{202A}'..='\u{202E}' // embeddings and overrides
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}' // isolates
        | '\u{FEFF}'
        | '\u{E000}'..='\u{F8FF}'
        | '\u{F0000}'..='\u{FFFFD}'
        | '\u{100000}'..='\u{10FFFD}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lowercased_and_checked() {
        assert_eq!(Username::parse("  Ada_Lovelace-1 ").unwrap().as_str(), "ada_lovelace-1");
        assert!(Username::parse("ab").unwrap_err().contains("3 to 32"));
        assert!(Username::parse(&"a".repeat(33)).is_err());
        assert!(Username::parse(&"a".repeat(32)).is_ok());
        for bad in ["ada lovelace", "ada.l", "adä", "<script>", "a/b"] {
            assert!(Username::parse(bad).unwrap_err().contains("only letters"), "{bad}");
        }
    }

    #[test]
    fn passwords_need_length_not_composition() {
        assert!(check_new_password("short", "ada").unwrap_err().contains("at least 8"));
        assert!(check_new_password(&"x".repeat(129), "ada").unwrap_err().contains("at most 128"));
        assert!(check_new_password("correct horse battery", "ada").is_ok());
        assert!(check_new_password("alllowercaseletters", "ada").is_ok());
        // Length counts characters, not bytes.
        assert!(check_new_password("ääääääää", "ada").is_ok());
    }

    #[test]
    fn the_username_is_refused_as_a_password() {
        assert!(check_new_password("ada_lovelace", "Ada_Lovelace").unwrap_err().contains("username"));
    }

    #[test]
    fn display_names_are_tidied() {
        assert_eq!(parse_display_name("  Ada   L. ").unwrap(), Some("Ada L.".to_owned()));
        assert_eq!(parse_display_name("   ").unwrap(), None);
        assert!(parse_display_name(&"x".repeat(41)).is_err());
        assert_eq!(parse_display_name("<b>Ada</b>").unwrap(), Some("<b>Ada</b>".to_owned()));
        // What would make a name read as something else is refused; other scripts are not.
        for sneaky in ["Ada\u{202E}evol", "Ad\u{200B}a", "A\u{2066}da\u{2069}", "Ada\u{E000}", "\u{FEFF}Ada"] {
            assert!(parse_display_name(sneaky).unwrap_err().contains("invisible"), "{sneaky:?}");
        }
        assert_eq!(parse_display_name("Ада Лавлейс").unwrap(), Some("Ада Лавлейс".to_owned()));
        assert_eq!(parse_display_name("عائشة").unwrap(), Some("عائشة".to_owned()));
    }
}
