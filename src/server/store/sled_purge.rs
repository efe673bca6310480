//! `Store::purge` on sled: finds what the rules name with plain reads, then removes each one
//! under the write gate held exclusively after checking it again, so a write that lands
//! meanwhile (a status, a note, a name, a link, a visit) keeps what it touched.

use super::purge::{Purge, Purged};
use super::sled_store::{decode_identity, io, SledStore};
use super::StoreError;
use crate::server::identity::IdentityKey;

/// What a purge does with one identity.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Keep,
    /// It holds nothing.
    Empty,
    /// Not seen for the cookie's lifetime.
    Unseen,
}

impl SledStore {
    pub(super) fn purge_now(&self, rules: &Purge) -> Result<Purged, StoreError> {
        let mut purged = Purged::default();
        let mut candidates = Vec::new();
        for item in self.identities_tree().iter() {
            let (key, value) = item.map_err(io)?;
            let (Ok(key), Some((_, seen))) = (<[u8; 32]>::try_from(&key[..]), decode_identity(&value)) else {
                continue;
            };
            if seen < rules.empty_before_ms.max(rules.unseen_before_ms) {
                candidates.push(IdentityKey(key));
            }
        }
        for who in candidates {
            if self.verdict(&who, rules)? == Verdict::Keep {
                continue;
            }
            let _flow = self.hold_writes();
            match self.verdict(&who, rules)? {
                Verdict::Keep => {}
                Verdict::Empty => {
                    self.remove_all_visits(&who)?;
                    self.remove_identity(&who)?;
                    purged.empty += 1;
                }
                Verdict::Unseen => {
                    self.remove_all_statuses(&who)?;
                    self.remove_all_notes(&who)?;
                    self.remove_all_visits(&who)?;
                    self.remove_profile_and_shares(&who)?;
                    self.remove_identity(&who)?;
                    purged.unseen += 1;
                }
            }
        }
        for key in self.sessions_over(&rules.sessions)? {
            let _writing = self.writing();
            self.remove_session(&key)?;
            purged.sessions += 1;
        }
        Ok(purged)
    }

    fn verdict(&self, who: &IdentityKey, rules: &Purge) -> Result<Verdict, StoreError> {
        let Some((_, seen)) = self.get_identity(who)? else { return Ok(Verdict::Keep) };
        let unseen = rules.unseen_before_ms;
        if seen < unseen && !self.status_changed_since(who, unseen)? && !self.note_changed_since(who, unseen)? {
            return Ok(Verdict::Unseen);
        }
        if seen < rules.empty_before_ms
            && !self.has_statuses(who)?
            && !self.has_notes(who)?
            && !self.has_profile_or_shares(who)?
        {
            return Ok(Verdict::Empty);
        }
        Ok(Verdict::Keep)
    }
}
