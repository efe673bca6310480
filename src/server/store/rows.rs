//! A backend-neutral row of everything a store keeps: what a backup holds, whichever store
//! wrote it and whichever restores it (`backroad backup` on sled, `restore` on PostgreSQL).

use super::accounts::{AccountRecord, SessionRecord, ShareRecord};
use crate::roadmap::account::Username;
use crate::roadmap::share::ShareCode;
use crate::roadmap::{RoadmapId, Status, TopicId};
use crate::server::identity::{hex, unhex, IdentityKey, SessionKey};
use serde::{Deserialize, Serialize};

/// One stored fact. Keys and identities are written as hex; everything else as the app
/// knows it. The JSON form (`{"t": "status", …}`) is the backup file's entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case", deny_unknown_fields)]
pub enum BackupRow {
    /// An anonymous identity a cookie can still open, and the day it was last used (backups
    /// from before it was kept have none: then its creation counts).
    Identity {
        key: String,
        created_at: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        last_seen: Option<u64>,
    },
    Status {
        identity: String,
        roadmap: RoadmapId,
        topic: TopicId,
        status: Status,
        changed_at: u64,
    },
    /// A private note (Markdown, as the learner typed it).
    Note {
        identity: String,
        roadmap: RoadmapId,
        topic: TopicId,
        note: String,
        changed_at: u64,
    },
    Account {
        username: Username,
        identity: String,
        password_hash: String,
        created_at: u64,
    },
    Session {
        key: String,
        identity: String,
        username: Username,
        created_at: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        last_seen: Option<u64>,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        device: String,
    },
    Profile {
        identity: String,
        display_name: String,
    },
    Share {
        code: String,
        identity: String,
        roadmap: RoadmapId,
        created_at: u64,
    },
}

/// Receives rows one at a time (a backup file being written, a counter in a test).
pub trait RowSink {
    fn row(&mut self, row: BackupRow) -> Result<(), String>;
}

impl RowSink for Vec<BackupRow> {
    fn row(&mut self, row: BackupRow) -> Result<(), String> {
        self.push(row);
        Ok(())
    }
}

/// The names rows are counted under in a backup's summary.
pub const KINDS: [&str; 7] = ["identities", "progress", "notes", "accounts", "sessions", "profiles", "shares"];

impl BackupRow {
    /// Which of `KINDS` this row counts as.
    pub fn kind(&self) -> &'static str {
        match self {
            BackupRow::Identity { .. } => "identities",
            BackupRow::Status { .. } => "progress",
            BackupRow::Note { .. } => "notes",
            BackupRow::Account { .. } => "accounts",
            BackupRow::Session { .. } => "sessions",
            BackupRow::Profile { .. } => "profiles",
            BackupRow::Share { .. } => "shares",
        }
    }

    pub fn identity(key: &IdentityKey, created_at: u64, last_seen: u64) -> Self {
        BackupRow::Identity { key: hex(&key.0), created_at, last_seen: Some(last_seen) }
    }

    pub fn status(who: &IdentityKey, roadmap: RoadmapId, topic: TopicId, status: Status, changed_at: u64) -> Self {
        BackupRow::Status { identity: hex(&who.0), roadmap, topic, status, changed_at }
    }

    pub fn note(who: &IdentityKey, roadmap: RoadmapId, topic: TopicId, note: String, changed_at: u64) -> Self {
        BackupRow::Note { identity: hex(&who.0), roadmap, topic, note, changed_at }
    }

    pub fn account(name: &Username, a: &AccountRecord) -> Self {
        BackupRow::Account {
            username: name.clone(),
            identity: hex(&a.identity.0),
            password_hash: a.password_hash.clone(),
            created_at: a.created_at,
        }
    }

    pub fn session(key: &SessionKey, s: &SessionRecord) -> Self {
        BackupRow::Session {
            key: hex(&key.0),
            identity: hex(&s.identity.0),
            username: s.username.clone(),
            created_at: s.created_at,
            last_seen: Some(s.last_seen),
            device: s.device.clone(),
        }
    }

    pub fn profile(who: &IdentityKey, display_name: &str) -> Self {
        BackupRow::Profile { identity: hex(&who.0), display_name: display_name.to_owned() }
    }

    pub fn share(code: &ShareCode, s: &ShareRecord) -> Self {
        BackupRow::Share {
            code: code.as_str().to_owned(),
            identity: hex(&s.identity.0),
            roadmap: s.roadmap.clone(),
            created_at: s.created_at,
        }
    }

    /// Checks what JSON cannot: keys are 64 hex characters, codes are share codes.
    pub fn check(&self) -> Result<(), String> {
        let key = |k: &str| unhex(k).map(|_| ()).ok_or_else(|| format!("`{k}` is not a 32-byte hex key"));
        match self {
            BackupRow::Identity { key: k, .. } => key(k),
            BackupRow::Status { identity, .. } | BackupRow::Profile { identity, .. } => key(identity),
            BackupRow::Note { identity, note, .. } => {
                key(identity)?;
                match crate::roadmap::notes::checked_note(note) {
                    Ok(Some(_)) => Ok(()),
                    Ok(None) => Err("a note is empty".to_owned()),
                    Err(e) => Err(format!("a note cannot be stored: {e}")),
                }
            }
            BackupRow::Account { identity, .. } => key(identity),
            BackupRow::Session { key: k, identity, .. } => key(k).and(key(identity)),
            BackupRow::Share { code, identity, .. } => {
                ShareCode::parse(code).ok_or_else(|| format!("`{code}` is not a share code"))?;
                key(identity)
            }
        }
    }
}

/// A checked hex key as an identity (`check` ran first, so this does not fail in practice).
pub fn identity_of(k: &str) -> Result<IdentityKey, String> {
    unhex(k).map(IdentityKey).ok_or_else(|| format!("`{k}` is not a 32-byte hex key"))
}

/// A checked hex key as a session key.
pub fn session_of(k: &str) -> Result<SessionKey, String> {
    unhex(k).map(SessionKey).ok_or_else(|| format!("`{k}` is not a 32-byte hex key"))
}
