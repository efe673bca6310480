//! The sled implementation of `AccountStore`.
//!
//! Trees (values are JSON with a `v` version field):
//! - `accounts`: username -> identity, password hash, created-at
//! - `sessions`: SHA-256 of the session token -> identity, username, created-at;
//!   `account_sessions`: identity ‖ session hash -> () to end them all at once
//! - `profiles`: identity -> display name
//! - `shares`: share code -> identity, roadmap, created-at; `identity_shares`: identity ‖ code -> ()

use super::accounts::{AccountRecord, AccountStore, SessionRecord, ShareRecord};
use super::sled_store::{io, SledStore};
use super::StoreError;
use crate::roadmap::account::Username;
use crate::roadmap::share::ShareCode;
use crate::server::identity::{hex, IdentityKey, SessionKey};
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
}

fn unhex(s: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    if s.len() != 64 {
        return None;
    }
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = u8::from_str_radix(s.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

#[derive(Serialize, Deserialize)]
struct StoredAccount {
    v: u8,
    identity: String,
    hash: String,
    created_at: u64,
}

#[derive(Serialize, Deserialize)]
struct StoredSession {
    v: u8,
    identity: String,
    username: String,
    created_at: u64,
}

#[derive(Serialize, Deserialize)]
struct StoredShare {
    v: u8,
    identity: String,
    roadmap: String,
    created_at: u64,
}

fn encode(value: &impl Serialize) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(io)
}

fn encode_account(account: &AccountRecord) -> Result<Vec<u8>, StoreError> {
    encode(&StoredAccount {
        v: V,
        identity: hex(&account.identity.0),
        hash: account.password_hash.clone(),
        created_at: account.created_at,
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

fn joined(a: &[u8; 32], b: &[u8]) -> Vec<u8> {
    let mut key = Vec::with_capacity(32 + b.len());
    key.extend_from_slice(a);
    key.extend_from_slice(b);
    key
}

impl AccountStore for SledStore {
    fn account(&self, name: &Username) -> Result<Option<AccountRecord>, StoreError> {
        let Some(bytes) = self.accounts().accounts.get(name.as_str()).map_err(io)? else { return Ok(None) };
        Ok(decode::<StoredAccount>("accounts", &bytes).and_then(|a| {
            Some(AccountRecord {
                identity: IdentityKey(unhex(&a.identity)?),
                password_hash: a.hash,
                created_at: a.created_at,
            })
        }))
    }

    fn create_account(&self, name: &Username, account: &AccountRecord) -> Result<bool, StoreError> {
        let _writing = self.writing();
        let value = encode_account(account)?;
        let swapped =
            self.accounts().accounts.compare_and_swap(name.as_str(), None::<&[u8]>, Some(value)).map_err(io)?;
        Ok(swapped.is_ok())
    }

    fn set_password_hash(&self, name: &Username, hash: &str) -> Result<(), StoreError> {
        let _writing = self.writing();
        let Some(mut account) = self.account(name)? else {
            return Err(StoreError::Io(format!("no account {name}")));
        };
        account.password_hash = hash.to_owned();
        let value = encode_account(&account)?;
        self.accounts().accounts.insert(name.as_str(), value).map(|_| ()).map_err(io)
    }

    fn forget_identity(&self, who: &IdentityKey) -> Result<(), StoreError> {
        let _writing = self.writing();
        self.identities_tree().remove(who.0).map(|_| ()).map_err(io)
    }

    fn create_session(&self, key: &SessionKey, session: &SessionRecord) -> Result<(), StoreError> {
        let _writing = self.writing();
        let t = self.accounts();
        let value = encode(&StoredSession {
            v: V,
            identity: hex(&session.identity.0),
            username: session.username.as_str().to_owned(),
            created_at: session.created_at,
        })?;
        t.account_sessions.insert(joined(&session.identity.0, &key.0), &[][..]).map_err(io)?;
        t.sessions.insert(key.0, value).map(|_| ()).map_err(io)
    }

    fn session(&self, key: &SessionKey) -> Result<Option<SessionRecord>, StoreError> {
        let Some(bytes) = self.accounts().sessions.get(key.0).map_err(io)? else { return Ok(None) };
        Ok(decode::<StoredSession>("sessions", &bytes).and_then(|s| {
            Some(SessionRecord {
                identity: IdentityKey(unhex(&s.identity)?),
                username: Username::parse(&s.username).ok()?,
                created_at: s.created_at,
            })
        }))
    }

    fn end_session(&self, key: &SessionKey) -> Result<(), StoreError> {
        let _writing = self.writing();
        let t = self.accounts();
        if let Some(session) = self.session(key)? {
            t.account_sessions.remove(joined(&session.identity.0, &key.0)).map_err(io)?;
        }
        t.sessions.remove(key.0).map(|_| ()).map_err(io)
    }

    fn end_sessions_of(&self, who: &IdentityKey, keep: Option<&SessionKey>) -> Result<usize, StoreError> {
        let _writing = self.writing();
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

    fn display_name(&self, who: &IdentityKey) -> Result<Option<String>, StoreError> {
        let value = self.accounts().profiles.get(who.0).map_err(io)?;
        Ok(value.and_then(|v| String::from_utf8(v.to_vec()).ok()))
    }

    fn set_display_name(&self, who: &IdentityKey, name: Option<&str>) -> Result<(), StoreError> {
        let _writing = self.writing();
        let profiles = &self.accounts().profiles;
        match name {
            Some(name) => profiles.insert(who.0, name.as_bytes()).map(|_| ()),
            None => profiles.remove(who.0).map(|_| ()),
        }
        .map_err(io)
    }

    fn create_share(&self, code: &ShareCode, share: &ShareRecord) -> Result<(), StoreError> {
        let _writing = self.writing();
        let t = self.accounts();
        let value = encode(&StoredShare {
            v: V,
            identity: hex(&share.identity.0),
            roadmap: share.roadmap.clone(),
            created_at: share.created_at,
        })?;
        t.identity_shares.insert(joined(&share.identity.0, code.as_str().as_bytes()), &[][..]).map_err(io)?;
        t.shares.insert(code.as_str(), value).map(|_| ()).map_err(io)
    }

    fn share(&self, code: &ShareCode) -> Result<Option<ShareRecord>, StoreError> {
        let Some(bytes) = self.accounts().shares.get(code.as_str()).map_err(io)? else { return Ok(None) };
        Ok(decode::<StoredShare>("shares", &bytes).and_then(|s| {
            Some(ShareRecord {
                identity: IdentityKey(unhex(&s.identity)?),
                roadmap: s.roadmap,
                created_at: s.created_at,
            })
        }))
    }

    fn shares_of(&self, who: &IdentityKey) -> Result<Vec<(ShareCode, ShareRecord)>, StoreError> {
        let mut out = Vec::new();
        for item in self.accounts().identity_shares.scan_prefix(who.0) {
            let (key, _) = item.map_err(io)?;
            let Some(code) = std::str::from_utf8(&key[32..]).ok().and_then(ShareCode::parse) else { continue };
            if let Some(share) = self.share(&code)? {
                out.push((code, share));
            }
        }
        out.sort_by_key(|(_, s)| s.created_at);
        Ok(out)
    }

    fn revoke_share(&self, who: &IdentityKey, code: &ShareCode) -> Result<bool, StoreError> {
        let _writing = self.writing();
        match self.share(code)? {
            Some(share) if share.identity == *who => {
                let t = self.accounts();
                t.shares.remove(code.as_str()).map_err(io)?;
                t.identity_shares.remove(joined(&who.0, code.as_str().as_bytes())).map_err(io)?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }
}
