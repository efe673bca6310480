//! sled's trees for accounts, sessions, display names and share links, and the reads and
//! writes on them (without the write gate: `sled_impl` takes it).
//!
//! Trees (values are JSON with a `v` version field):
//! - `accounts`: username -> identity, password hash, created-at
//! - `sessions`: SHA-256 of the session token -> identity, username, created-at;
//!   `account_sessions`: identity ‖ session hash -> () to end them all at once
//! - `profiles`: identity -> display name
//! - `shares`: share code -> identity, roadmap, created-at; `identity_shares`: identity ‖ code -> ()

use super::accounts::{AccountRecord, SessionCutoff, SessionRecord, ShareRecord};
use super::rows::{BackupRow, RowSink};
use super::sled_store::{io, SledStore};
use super::StoreError;
use crate::roadmap::account::Username;
use crate::roadmap::share::ShareCode;
use crate::roadmap::RoadmapId;
use crate::server::identity::{hex, unhex, IdentityKey, SessionKey};
use serde::{Deserialize, Serialize};

const V: u8 = 1;

/// The trees this file owns; opened with the store.
pub struct AccountTrees {
    accounts: sled::Tree,
    sessions: sled::Tree,
    account_sessions: sled::Tree,
    profiles: sled::Tree,
    shares: sled::Tree,
    identity_shares: sled::Tree,
}

impl AccountTrees {
    pub fn open(db: &sled::Db) -> sled::Result<Self> {
        Ok(AccountTrees {
            accounts: db.open_tree("accounts")?,
            sessions: db.open_tree("sessions")?,
            account_sessions: db.open_tree("account_sessions")?,
            profiles: db.open_tree("profiles")?,
            shares: db.open_tree("shares")?,
            identity_shares: db.open_tree("identity_shares")?,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty() && self.sessions.is_empty() && self.profiles.is_empty() && self.shares.is_empty()
    }
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredAccount {
    v: u8,
    identity: String,
    hash: String,
    created_at: u64,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredSession {
    v: u8,
    identity: String,
    username: String,
    created_at: u64,
    /// Absent in sessions written before it was kept: then `created_at` counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_seen: Option<u64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    device: String,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredShare {
    v: u8,
    identity: String,
    roadmap: String,
    created_at: u64,
}

fn encode(value: &impl Serialize) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(io)
}

fn encode_account(a: &AccountRecord) -> Result<Vec<u8>, StoreError> {
    encode(&StoredAccount {
        v: V,
        identity: hex(&a.identity.0),
        hash: a.password_hash.clone(),
        created_at: a.created_at,
    })
}

/// Reads a stored value; one this version cannot read counts as absent (and is logged).
fn decode<T: for<'de> Deserialize<'de>>(tree: &str, bytes: &[u8]) -> Option<T> {
    let value = serde_json::from_slice(bytes).ok();
    if value.is_none() {
        tracing::warn!(tree, "skipping a value with an unknown layout");
    }
    value
}

pub(super) fn decode_account(bytes: &[u8]) -> Option<AccountRecord> {
    let a = decode::<StoredAccount>("accounts", bytes)?;
    Some(AccountRecord { identity: IdentityKey(unhex(&a.identity)?), password_hash: a.hash, created_at: a.created_at })
}

pub(super) fn decode_session(bytes: &[u8]) -> Option<SessionRecord> {
    let s = decode::<StoredSession>("sessions", bytes)?;
    Some(SessionRecord {
        identity: IdentityKey(unhex(&s.identity)?),
        username: Username::parse(&s.username).ok()?,
        created_at: s.created_at,
        last_seen: s.last_seen.unwrap_or(s.created_at),
        device: s.device,
    })
}

pub(super) fn decode_share(bytes: &[u8]) -> Option<ShareRecord> {
    let s = decode::<StoredShare>("shares", bytes)?;
    Some(ShareRecord {
        identity: IdentityKey(unhex(&s.identity)?),
        roadmap: RoadmapId::parse(&s.roadmap).ok()?,
        created_at: s.created_at,
    })
}

fn joined(a: &[u8; 32], b: &[u8]) -> Vec<u8> {
    let mut key = Vec::with_capacity(32 + b.len());
    key.extend_from_slice(a);
    key.extend_from_slice(b);
    key
}

impl SledStore {
    pub(super) fn get_account(&self, name: &Username) -> Result<Option<AccountRecord>, StoreError> {
        let bytes = self.accounts().accounts.get(name.as_str()).map_err(io)?;
        Ok(bytes.and_then(|b| decode_account(&b)))
    }

    /// Writes the account unless the name is taken; answers whether it did.
    pub(super) fn put_account_if_absent(&self, name: &Username, a: &AccountRecord) -> Result<bool, StoreError> {
        let value = encode_account(a)?;
        let swapped =
            self.accounts().accounts.compare_and_swap(name.as_str(), None::<&[u8]>, Some(value)).map_err(io)?;
        Ok(swapped.is_ok())
    }

    pub(super) fn put_account(&self, name: &Username, a: &AccountRecord) -> Result<(), StoreError> {
        let value = encode_account(a)?;
        self.accounts().accounts.insert(name.as_str(), value).map(|_| ()).map_err(io)
    }

    pub(super) fn remove_identity(&self, who: &IdentityKey) -> Result<(), StoreError> {
        self.identities_tree().remove(who.0).map(|_| ()).map_err(io)
    }

    pub(super) fn put_session(&self, key: &SessionKey, session: &SessionRecord) -> Result<(), StoreError> {
        let t = self.accounts();
        let value = encode(&StoredSession {
            v: V,
            identity: hex(&session.identity.0),
            username: session.username.as_str().to_owned(),
            created_at: session.created_at,
            last_seen: Some(session.last_seen),
            device: session.device.clone(),
        })?;
        t.account_sessions.insert(joined(&session.identity.0, &key.0), &[][..]).map_err(io)?;
        t.sessions.insert(key.0, value).map(|_| ()).map_err(io)
    }

    pub(super) fn get_session(&self, key: &SessionKey) -> Result<Option<SessionRecord>, StoreError> {
        let bytes = self.accounts().sessions.get(key.0).map_err(io)?;
        Ok(bytes.and_then(|b| decode_session(&b)))
    }

    pub(super) fn remove_session(&self, key: &SessionKey) -> Result<(), StoreError> {
        let t = self.accounts();
        if let Some(session) = self.get_session(key)? {
            t.account_sessions.remove(joined(&session.identity.0, &key.0)).map_err(io)?;
        }
        t.sessions.remove(key.0).map(|_| ()).map_err(io)
    }

    /// Ends every session of `who` except `keep`; answers how many ended.
    pub(super) fn remove_sessions_of(&self, who: &IdentityKey, keep: Option<&SessionKey>) -> Result<usize, StoreError> {
        let t = self.accounts();
        let mut ended = 0;
        for item in t.account_sessions.scan_prefix(who.0) {
            let (index_key, _) = item.map_err(io)?;
            let session = &index_key[32..];
            if keep.is_some_and(|k| k.0[..] == *session) {
                continue;
            }
            t.sessions.remove(session).map_err(io)?;
            t.account_sessions.remove(&index_key).map_err(io)?;
            ended += 1;
        }
        Ok(ended)
    }

    pub(super) fn get_display_name(&self, who: &IdentityKey) -> Result<Option<String>, StoreError> {
        let value = self.accounts().profiles.get(who.0).map_err(io)?;
        Ok(value.and_then(|v| String::from_utf8(v.to_vec()).ok()))
    }

    pub(super) fn put_display_name(&self, who: &IdentityKey, name: Option<&str>) -> Result<(), StoreError> {
        let profiles = &self.accounts().profiles;
        match name {
            Some(name) => profiles.insert(who.0, name.as_bytes()).map(|_| ()),
            None => profiles.remove(who.0).map(|_| ()),
        }
        .map_err(io)
    }

    pub(super) fn put_share(&self, code: &ShareCode, share: &ShareRecord) -> Result<(), StoreError> {
        let t = self.accounts();
        let value = encode(&StoredShare {
            v: V,
            identity: hex(&share.identity.0),
            roadmap: share.roadmap.as_str().to_owned(),
            created_at: share.created_at,
        })?;
        t.identity_shares.insert(joined(&share.identity.0, code.as_str().as_bytes()), &[][..]).map_err(io)?;
        t.shares.insert(code.as_str(), value).map(|_| ()).map_err(io)
    }

    pub(super) fn get_share(&self, code: &ShareCode) -> Result<Option<ShareRecord>, StoreError> {
        let bytes = self.accounts().shares.get(code.as_str()).map_err(io)?;
        Ok(bytes.and_then(|b| decode_share(&b)))
    }

    pub(super) fn list_shares(&self, who: &IdentityKey) -> Result<Vec<(ShareCode, ShareRecord)>, StoreError> {
        let mut out = Vec::new();
        for item in self.accounts().identity_shares.scan_prefix(who.0) {
            let (key, _) = item.map_err(io)?;
            let Some(code) = std::str::from_utf8(&key[32..]).ok().and_then(ShareCode::parse) else { continue };
            if let Some(share) = self.get_share(&code)? {
                out.push((code, share));
            }
        }
        out.sort_by(|(a, x), (b, y)| x.created_at.cmp(&y.created_at).then_with(|| a.as_str().cmp(b.as_str())));
        Ok(out)
    }

    pub(super) fn remove_share(&self, who: &IdentityKey, code: &ShareCode) -> Result<bool, StoreError> {
        match self.get_share(code)? {
            Some(share) if share.identity == *who => {
                let t = self.accounts();
                t.shares.remove(code.as_str()).map_err(io)?;
                t.identity_shares.remove(joined(&who.0, code.as_str().as_bytes())).map_err(io)?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// Whether `who` has a display name or a share link (what keeps an otherwise empty identity).
    pub(super) fn has_profile_or_shares(&self, who: &IdentityKey) -> Result<bool, StoreError> {
        let t = self.accounts();
        Ok(t.profiles.contains_key(who.0).map_err(io)? || t.identity_shares.scan_prefix(who.0).next().is_some())
    }

    /// Removes `who`'s display name and share links.
    pub(super) fn remove_profile_and_shares(&self, who: &IdentityKey) -> Result<(), StoreError> {
        let t = self.accounts();
        t.profiles.remove(who.0).map_err(io)?;
        for item in t.identity_shares.scan_prefix(who.0) {
            let (index_key, _) = item.map_err(io)?;
            t.shares.remove(&index_key[32..]).map_err(io)?;
            t.identity_shares.remove(&index_key).map_err(io)?;
        }
        Ok(())
    }

    /// Keys of the sessions `cutoff` no longer admits.
    pub(super) fn sessions_over(&self, cutoff: &SessionCutoff) -> Result<Vec<SessionKey>, StoreError> {
        let mut out = Vec::new();
        for item in self.accounts().sessions.iter() {
            let (key, value) = item.map_err(io)?;
            let Ok(key) = <[u8; 32]>::try_from(&key[..]) else { continue };
            if decode_session(&value).is_some_and(|s| !cutoff.admits(&s)) {
                out.push(SessionKey(key));
            }
        }
        Ok(out)
    }

    /// Every session of `who`.
    pub(super) fn list_sessions(&self, who: &IdentityKey) -> Result<Vec<(SessionKey, SessionRecord)>, StoreError> {
        let mut out = Vec::new();
        for item in self.accounts().account_sessions.scan_prefix(who.0) {
            let (index_key, _) = item.map_err(io)?;
            let Ok(key) = <[u8; 32]>::try_from(&index_key[32..]) else { continue };
            if let Some(session) = self.get_session(&SessionKey(key))? {
                out.push((SessionKey(key), session));
            }
        }
        Ok(out)
    }

    /// Every account, session, profile and share row, for a backup (the caller holds the gate).
    pub(super) fn account_rows(&self, sink: &mut (dyn RowSink + Send)) -> Result<(), StoreError> {
        let t = self.accounts();
        let skip = |tree: &str| tracing::warn!(tree, "backup: skipping an entry with an unknown layout");
        for item in t.accounts.iter() {
            let (key, value) = item.map_err(io)?;
            let name = std::str::from_utf8(&key).ok().and_then(|k| Username::parse(k).ok());
            match (name, decode_account(&value)) {
                (Some(name), Some(a)) => sink.row(BackupRow::account(&name, &a)).map_err(io)?,
                _ => skip("accounts"),
            }
        }
        for item in t.sessions.iter() {
            let (key, value) = item.map_err(io)?;
            match (<[u8; 32]>::try_from(&key[..]), decode_session(&value)) {
                (Ok(k), Some(s)) => sink.row(BackupRow::session(&SessionKey(k), &s)).map_err(io)?,
                _ => skip("sessions"),
            }
        }
        for item in t.profiles.iter() {
            let (key, value) = item.map_err(io)?;
            match (<[u8; 32]>::try_from(&key[..]), std::str::from_utf8(&value)) {
                (Ok(k), Ok(name)) => sink.row(BackupRow::profile(&IdentityKey(k), name)).map_err(io)?,
                _ => skip("profiles"),
            }
        }
        for item in t.shares.iter() {
            let (key, value) = item.map_err(io)?;
            let code = std::str::from_utf8(&key).ok().and_then(ShareCode::parse);
            match (code, decode_share(&value)) {
                (Some(code), Some(s)) => sink.row(BackupRow::share(&code, &s)).map_err(io)?,
                _ => skip("shares"),
            }
        }
        Ok(())
    }
}
