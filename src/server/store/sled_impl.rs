//! `impl Store for SledStore`: each operation under the write gate (shared for one write,
//! exclusive for a flow of them), then a shared flush before a write resolves.

use super::accounts::{AccountRecord, NewSession, SessionRecord, ShareRecord};
use super::rows::{identity_of, session_of, BackupRow, RowSink};
use super::sled_store::{io, SledStore};
use super::{SignUpOutcome, Store, StoreError, TokenLookup};
use crate::roadmap::account::Username;
use crate::roadmap::changes::{VisitRecord, Visits};
use crate::roadmap::notes::NoteRecord;
use crate::roadmap::progress::{Previous, Recorded};
use crate::roadmap::share::ShareCode;
use crate::roadmap::{RoadmapId, Status, TopicId};
use crate::server::identity::{IdentityKey, SessionKey};
use std::collections::BTreeMap;

#[async_trait::async_trait]
impl Store for SledStore {
    async fn ping(&self) -> Result<(), StoreError> {
        self.timed("ping", || self.identities_tree().first().map(|_| ()).map_err(io))?;
        Ok(())
    }

    fn backend(&self) -> &'static str {
        "sled"
    }

    async fn lookup_token(&self, key: &IdentityKey) -> Result<TokenLookup, StoreError> {
        self.timed("lookup_token", || {
            if let Some(session) = self.get_session(&SessionKey(key.0))? {
                return Ok(TokenLookup::Session(session));
            }
            Ok(match self.get_identity(key)? {
                Some((_, last_seen)) => TokenLookup::Identity { last_seen },
                None => TokenLookup::Unknown,
            })
        })
    }

    async fn identity_exists(&self, who: &IdentityKey) -> Result<bool, StoreError> {
        self.timed("identity_exists", || self.identities_tree().contains_key(who.0).map_err(io))
    }

    async fn create_identity(&self, who: &IdentityKey, now_ms: u64) -> Result<(), StoreError> {
        self.timed("create_identity", || {
            let _writing = self.writing();
            self.put_identity(who, now_ms, now_ms)
        })?;
        self.durable().await
    }

    async fn touch_identity(&self, who: &IdentityKey, now_ms: u64) -> Result<(), StoreError> {
        self.timed("touch_identity", || {
            let _writing = self.writing();
            self.put_seen(who, now_ms)
        })
    }

    async fn statuses(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
    ) -> Result<std::sync::Arc<Vec<Recorded>>, StoreError> {
        self.timed("statuses", || self.recent_statuses(who, roadmap))
    }

    async fn set_status(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: &TopicId,
        status: Status,
        now_ms: u64,
    ) -> Result<Vec<Recorded>, StoreError> {
        self.timed("set_status", || {
            let _writing = self.writing();
            self.put_status_with_undo(who, roadmap, topic, status, now_ms)
        })?;
        self.durable().await?;
        self.timed("statuses", || self.read_statuses(who, roadmap))
    }

    async fn set_status_for_token(
        &self,
        key: &IdentityKey,
        sessions: super::SessionCutoff,
        roadmap: &RoadmapId,
        topic: &TopicId,
        status: Status,
        now_ms: u64,
    ) -> Result<Option<Vec<Recorded>>, StoreError> {
        // Finding them and writing under one hold of the gate: a purge (which holds it
        // exclusively) is either wholly before (then the token names nobody) or after.
        let who = self.timed("set_status_for_token", || {
            let _writing = self.writing();
            let who = match self.get_session(&SessionKey(key.0))? {
                Some(s) if sessions.admits(&s) => {
                    if super::purge::seen_is_stale(s.last_seen, now_ms) {
                        self.put_session(&SessionKey(key.0), &SessionRecord { last_seen: now_ms, ..s.clone() })?;
                    }
                    s.identity
                }
                Some(_) => return Ok(None),
                None => match self.get_identity(key)? {
                    Some((_, seen)) => {
                        if super::purge::seen_is_stale(seen, now_ms) {
                            self.put_seen(key, now_ms)?;
                        }
                        *key
                    }
                    None => return Ok(None),
                },
            };
            self.put_status_with_undo(&who, roadmap, topic, status, now_ms)?;
            Ok(Some(who))
        })?;
        let Some(who) = who else { return Ok(None) };
        self.durable().await?;
        self.timed("statuses", || self.read_statuses(&who, roadmap)).map(Some)
    }

    async fn previous_status(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: &TopicId,
    ) -> Result<Option<Previous>, StoreError> {
        self.timed("previous_status", || self.previous_of(who, roadmap, topic))
    }

    async fn undo_status(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: &TopicId,
    ) -> Result<Option<Vec<Recorded>>, StoreError> {
        let undone = self.timed("undo_status", || {
            let _flow = self.hold_writes();
            self.undo_now(who, roadmap, topic)
        })?;
        if !undone {
            return Ok(None);
        }
        self.durable().await?;
        self.timed("statuses", || self.read_statuses(who, roadmap)).map(Some)
    }

    async fn all_statuses(&self, who: &IdentityKey) -> Result<BTreeMap<RoadmapId, Vec<Recorded>>, StoreError> {
        self.timed("all_statuses", || self.read_all_statuses(who))
    }

    async fn clear_statuses(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<usize, StoreError> {
        let cleared = self.timed("clear_statuses", || {
            let _flow = self.hold_writes();
            self.remove_statuses(who, roadmap)
        })?;
        self.durable().await?;
        Ok(cleared)
    }

    async fn merge_statuses(
        &self,
        who: &IdentityKey,
        incoming: BTreeMap<RoadmapId, Vec<Recorded>>,
    ) -> Result<usize, StoreError> {
        let written = self.timed("merge_statuses", || {
            let _flow = self.hold_writes();
            self.put_newer(who, incoming)
        })?;
        self.durable().await?;
        Ok(written)
    }

    async fn notes(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<Vec<NoteRecord>, StoreError> {
        self.timed("notes", || self.read_notes(who, roadmap))
    }

    async fn set_note(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: &TopicId,
        text: Option<&str>,
        now_ms: u64,
    ) -> Result<(), StoreError> {
        self.timed("set_note", || {
            let _writing = self.writing();
            self.put_note(who, roadmap, topic, text, now_ms)
        })?;
        self.durable().await
    }

    async fn visits(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<Visits, StoreError> {
        self.timed("visits", || self.read_visits(who, roadmap))
    }

    async fn set_visit(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: Option<&TopicId>,
        visit: VisitRecord,
    ) -> Result<(), StoreError> {
        self.timed("set_visit", || {
            let _writing = self.writing();
            self.put_visit(who, roadmap, topic, visit)
        })
    }

    async fn all_notes(&self, who: &IdentityKey) -> Result<BTreeMap<RoadmapId, Vec<NoteRecord>>, StoreError> {
        self.timed("all_notes", || self.read_all_notes(who))
    }

    async fn clear_notes(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<usize, StoreError> {
        let cleared = self.timed("clear_notes", || {
            let _flow = self.hold_writes();
            self.remove_notes(who, roadmap)
        })?;
        self.durable().await?;
        Ok(cleared)
    }

    async fn merge_notes(
        &self,
        who: &IdentityKey,
        incoming: BTreeMap<RoadmapId, Vec<NoteRecord>>,
    ) -> Result<usize, StoreError> {
        let written = self.timed("merge_notes", || {
            let _flow = self.hold_writes();
            self.put_newer_notes(who, incoming)
        })?;
        self.durable().await?;
        Ok(written)
    }

    async fn account(&self, name: &Username) -> Result<Option<AccountRecord>, StoreError> {
        self.timed("account", || self.get_account(name))
    }

    async fn sign_up(
        &self,
        name: &Username,
        account: &AccountRecord,
        session: &NewSession,
    ) -> Result<SignUpOutcome, StoreError> {
        let outcome = self.timed("sign_up", || {
            let _flow = self.hold_writes();
            if !self.put_account_if_absent(name, account)? {
                return Ok(SignUpOutcome::Taken);
            }
            // The anonymous cookie no longer opens this progress; only sessions do.
            self.remove_identity(&account.identity)?;
            self.put_session(&session.key, &session.record)?;
            Ok(SignUpOutcome::Created { statuses: self.count_statuses(&account.identity)? })
        })?;
        if outcome != SignUpOutcome::Taken {
            self.durable().await?;
        }
        Ok(outcome)
    }

    async fn sign_in(
        &self,
        session: &NewSession,
        merge_from: Option<&IdentityKey>,
        end: Option<&SessionKey>,
    ) -> Result<usize, StoreError> {
        let written = self.timed("sign_in", || {
            let _flow = self.hold_writes();
            if let Some(old) = end {
                self.remove_session(old)?;
            }
            let into = &session.record.identity;
            let mut written = 0;
            if let Some(from) = merge_from.filter(|from| *from != into) {
                let incoming = self.read_all_statuses(from)?;
                let roadmaps: Vec<RoadmapId> = incoming.keys().cloned().collect();
                written = self.put_newer(into, incoming)?;
                for roadmap in &roadmaps {
                    self.remove_statuses(from, roadmap)?;
                }
                let notes = self.read_all_notes(from)?;
                self.put_newer_notes(into, notes)?;
                self.remove_all_notes(from)?;
                self.remove_all_visits(from)?;
                self.remove_identity(from)?;
            }
            self.put_session(&session.key, &session.record)?;
            Ok(written)
        })?;
        self.durable().await?;
        Ok(written)
    }

    async fn change_password(
        &self,
        name: &Username,
        hash: &str,
        keep: Option<&SessionKey>,
        start: Option<&NewSession>,
    ) -> Result<usize, StoreError> {
        let ended = self.timed("change_password", || {
            let _flow = self.hold_writes();
            let mut account = self.get_account(name)?.ok_or_else(|| StoreError::Io(format!("no account {name}")))?;
            account.password_hash = hash.to_owned();
            self.put_account(name, &account)?;
            let ended = self.remove_sessions_of(&account.identity, keep)?;
            if let Some(session) = start {
                self.put_session(&session.key, &session.record)?;
            }
            Ok(ended)
        })?;
        self.durable().await?;
        Ok(ended)
    }

    async fn touch_session(&self, key: &SessionKey, now_ms: u64) -> Result<(), StoreError> {
        self.timed("touch_session", || {
            let _writing = self.writing();
            match self.get_session(key)? {
                Some(s) => self.put_session(key, &SessionRecord { last_seen: now_ms, ..s }),
                None => Ok(()),
            }
        })
    }

    async fn sessions_of(&self, who: &IdentityKey) -> Result<Vec<(SessionKey, SessionRecord)>, StoreError> {
        self.timed("sessions_of", || self.list_sessions(who))
    }

    async fn end_sessions_of(&self, who: &IdentityKey, keep: Option<&SessionKey>) -> Result<usize, StoreError> {
        let ended = self.timed("end_sessions_of", || {
            let _flow = self.hold_writes();
            self.remove_sessions_of(who, keep)
        })?;
        self.durable().await?;
        Ok(ended)
    }

    async fn session(&self, key: &SessionKey) -> Result<Option<SessionRecord>, StoreError> {
        self.timed("session", || self.get_session(key))
    }

    async fn end_session(&self, key: &SessionKey) -> Result<(), StoreError> {
        self.timed("end_session", || {
            let _flow = self.hold_writes();
            self.remove_session(key)
        })?;
        self.durable().await
    }

    async fn display_name(&self, who: &IdentityKey) -> Result<Option<String>, StoreError> {
        self.timed("display_name", || self.get_display_name(who))
    }

    async fn set_display_name(&self, who: &IdentityKey, name: Option<&str>) -> Result<(), StoreError> {
        self.timed("set_display_name", || {
            let _writing = self.writing();
            self.put_display_name(who, name)
        })?;
        self.durable().await
    }

    async fn create_share(&self, code: &ShareCode, share: &ShareRecord, max: usize) -> Result<bool, StoreError> {
        let created = self.timed("create_share", || {
            let _flow = self.hold_writes();
            if self.list_shares(&share.identity)?.len() >= max {
                return Ok(false);
            }
            self.put_share(code, share)?;
            Ok(true)
        })?;
        if created {
            self.durable().await?;
        }
        Ok(created)
    }

    async fn share(&self, code: &ShareCode) -> Result<Option<ShareRecord>, StoreError> {
        self.timed("share", || self.get_share(code))
    }

    async fn shares_of(&self, who: &IdentityKey) -> Result<Vec<(ShareCode, ShareRecord)>, StoreError> {
        self.timed("shares_of", || self.list_shares(who))
    }

    async fn revoke_share(&self, who: &IdentityKey, code: &ShareCode) -> Result<bool, StoreError> {
        let revoked = self.timed("revoke_share", || {
            let _flow = self.hold_writes();
            self.remove_share(who, code)
        })?;
        if revoked {
            self.durable().await?;
        }
        Ok(revoked)
    }

    async fn secret(&self, name: &str) -> Result<[u8; 32], StoreError> {
        let unknown = || StoreError::Io(format!("the secret {name} has an unknown layout"));
        let read = |v: &[u8]| <[u8; 32]>::try_from(v).map_err(|_| unknown());
        // The secret, and whether this call made it (then it is flushed before it is used).
        let (secret, made) = self.timed("secret", || {
            let tree = self.secrets_tree()?;
            if let Some(found) = tree.get(name).map_err(io)? {
                return Ok((read(&found)?, false));
            }
            let mut fresh = [0u8; 32];
            getrandom::fill(&mut fresh).map_err(io)?;
            let _writing = self.writing();
            match tree.compare_and_swap(name, None::<&[u8]>, Some(&fresh[..])).map_err(io)? {
                Ok(()) => Ok((fresh, true)),
                // Someone else made it first: theirs counts.
                Err(lost) => Ok((read(&lost.current.ok_or_else(unknown)?)?, false)),
            }
        })?;
        if made {
            self.durable().await?;
        }
        Ok(secret)
    }

    async fn purge(&self, rules: &super::Purge) -> Result<super::Purged, StoreError> {
        let purged = self.timed("purge", || self.purge_now(rules))?;
        if purged.total() > 0 {
            self.durable().await?;
        }
        Ok(purged)
    }

    async fn backup_rows(&self, sink: &mut (dyn RowSink + Send)) -> Result<(), StoreError> {
        // Writes wait while the copy is taken: one moment of the store. Everything
        // acknowledged before was flushed by then (each write waits for its flush).
        self.timed("backup_rows", || {
            let _quiet = self.hold_writes();
            self.progress_rows(sink)?;
            self.note_rows(sink)?;
            self.account_rows(sink)
        })
    }

    async fn holds_data(&self) -> Result<bool, StoreError> {
        self.timed("holds_data", || Ok(self.has_progress_data()? || !self.accounts().is_empty()))
    }

    async fn restore_rows(&self, rows: Vec<BackupRow>) -> Result<(), StoreError> {
        self.timed("restore_rows", || {
            let _flow = self.hold_writes();
            for row in rows {
                self.restore_row(row).map_err(StoreError::Io)?;
            }
            Ok(())
        })?;
        self.durable().await
    }
}

impl SledStore {
    fn restore_row(&self, row: BackupRow) -> Result<(), String> {
        let text = |e: StoreError| e.to_string();
        match row {
            BackupRow::Identity { key, created_at, last_seen } => {
                self.put_identity(&identity_of(&key)?, created_at, last_seen.unwrap_or(created_at)).map_err(text)
            }
            BackupRow::Status { identity, roadmap, topic, status, changed_at } => {
                self.put_status(&identity_of(&identity)?, &roadmap, &topic, status, changed_at).map_err(text)
            }
            BackupRow::Note { identity, roadmap, topic, note, changed_at } => {
                self.put_note(&identity_of(&identity)?, &roadmap, &topic, Some(&note), changed_at).map_err(text)
            }
            BackupRow::Account { username, identity, password_hash, created_at } => {
                let account = AccountRecord { identity: identity_of(&identity)?, password_hash, created_at };
                self.put_account(&username, &account).map_err(text)
            }
            BackupRow::Session { key, identity, username, created_at, last_seen, device } => {
                let last_seen = last_seen.unwrap_or(created_at);
                let record =
                    SessionRecord { identity: identity_of(&identity)?, username, created_at, last_seen, device };
                self.put_session(&session_of(&key)?, &record).map_err(text)
            }
            BackupRow::Profile { identity, display_name } => {
                self.put_display_name(&identity_of(&identity)?, Some(&display_name)).map_err(text)
            }
            BackupRow::Share { code, identity, roadmap, created_at } => {
                let code = ShareCode::parse(&code).ok_or_else(|| format!("`{code}` is not a share code"))?;
                let share = ShareRecord { identity: identity_of(&identity)?, roadmap, created_at };
                self.put_share(&code, &share).map_err(text)
            }
        }
    }
}
