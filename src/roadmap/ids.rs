//! Identifiers that arrive from outside (URLs, forms): `parse()` is the only way to build one.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest id we accept; real ids are far shorter.
const MAX_ID_LEN: usize = 64;

/// Why a string is not a valid id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("is empty")]
    Empty,
    #[error("is longer than {MAX_ID_LEN} characters")]
    TooLong,
    #[error("may contain only lowercase letters, digits and single dashes between words")]
    BadCharacters,
}

/// Checks the kebab-case shape shared by every id: `a-z0-9` words joined by single dashes.
fn check_kebab(raw: &str) -> Result<(), IdError> {
    if raw.is_empty() {
        return Err(IdError::Empty);
    }
    if raw.len() > MAX_ID_LEN {
        return Err(IdError::TooLong);
    }
    let words_ok =
        raw.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    if words_ok {
        Ok(())
    } else {
        Err(IdError::BadCharacters)
    }
}

macro_rules! kebab_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Accepts a kebab-case id (`postgresql`, `https-tls`).
            pub fn parse(raw: &str) -> Result<Self, IdError> {
                check_kebab(raw).map(|()| Self(raw.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(raw: String) -> Result<Self, IdError> {
                check_kebab(&raw).map(|()| Self(raw))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

kebab_id!(
    /// The id of a roadmap, e.g. `backend`.
    RoadmapId
);
kebab_id!(
    /// The id of a topic, e.g. `postgresql`. Stable forever once published.
    TopicId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_kebab_case() {
        assert_eq!(TopicId::parse("https-tls").unwrap().as_str(), "https-tls");
        assert!(RoadmapId::parse("backend").is_ok());
        assert!(TopicId::parse("n-plus-1").is_ok());
    }

    #[test]
    fn rejects_everything_else() {
        assert_eq!(TopicId::parse(""), Err(IdError::Empty));
        for bad in ["Post", "a--b", "-a", "a-", "a b", "a/b", "../x", "é", "a_b"] {
            assert_eq!(TopicId::parse(bad), Err(IdError::BadCharacters), "{bad}");
        }
        assert_eq!(TopicId::parse(&"a".repeat(65)), Err(IdError::TooLong));
    }

    #[test]
    fn deserializing_validates() {
        let ok: Result<TopicId, _> = serde_json::from_str("\"dns\"");
        assert!(ok.is_ok());
        let bad: Result<TopicId, _> = serde_json::from_str("\"DNS!\"");
        assert!(bad.is_err());
    }
}
