//! Accounts on PostgreSQL: the flows that are one transaction each (sign-up, sign-in with
//! a merge, password change), display names and share links. `PgStore`'s `Store` methods
//! call these.

use super::rows_io::{
    all, col, count, db, exec, key32, one, opt, put_session, signed, unsigned, Params, MERGE_IDENTITY,
};
use super::{PgStore, SHARE_LOCK};
use crate::roadmap::account::Username;
use crate::roadmap::share::ShareCode;
use crate::roadmap::RoadmapId;
use crate::server::identity::{IdentityKey, SessionKey};
use crate::server::store::accounts::{AccountRecord, NewSession, ShareRecord};
use crate::server::store::{SignUpOutcome, StoreError};
use std::time::Instant;

impl PgStore {
    pub(super) async fn sign_up_in_db(
        &self,
        name: &Username,
        account: &AccountRecord,
        session: &NewSession,
    ) -> Result<SignUpOutcome, StoreError> {
        pg!(self, "sign_up", |c| {
            let tx = c.transaction().await.map_err(db)?;
            let who = account.identity.0.as_slice();
            let sql = "INSERT INTO accounts (username, identity, password_hash, created_at) VALUES ($1, $2, $3, $4) \
                       ON CONFLICT (username) DO NOTHING";
            let params: Params<'_> =
                &[&name.as_str(), &who, &account.password_hash.as_str(), &signed(account.created_at)];
            if exec(&tx, sql, params).await? == 0 {
                tx.rollback().await.map_err(db)?;
                return Ok(SignUpOutcome::Taken);
            }
            // The anonymous cookie no longer opens this progress; only sessions do.
            exec(&tx, "DELETE FROM identities WHERE key = $1", &[&who]).await?;
            put_session(&tx, session).await?;
            let statuses: i64 = col(&one(&tx, "SELECT count(*) FROM progress WHERE identity = $1", &[&who]).await?, 0)?;
            tx.commit().await.map_err(db)?;
            Ok(SignUpOutcome::Created { statuses: count(unsigned(statuses)) })
        })
    }

    pub(super) async fn sign_in_in_db(
        &self,
        session: &NewSession,
        merge_from: Option<&IdentityKey>,
        end: Option<&SessionKey>,
    ) -> Result<usize, StoreError> {
        pg!(self, "sign_in", |c| {
            let tx = c.transaction().await.map_err(db)?;
            if let Some(old) = end {
                exec(&tx, "DELETE FROM sessions WHERE key = $1", &[&old.0.as_slice()]).await?;
            }
            let into = &session.record.identity;
            let mut written = 0;
            if let Some(from) = merge_from.filter(|from| *from != into) {
                let from = from.0.as_slice();
                written = exec(&tx, MERGE_IDENTITY, &[&into.0.as_slice(), &from]).await?;
                exec(&tx, "DELETE FROM progress WHERE identity = $1", &[&from]).await?;
                exec(&tx, super::notes_io::MERGE_IDENTITY_NOTES, &[&into.0.as_slice(), &from]).await?;
                exec(&tx, "DELETE FROM visits WHERE identity = $1", &[&from]).await?;
                exec(&tx, "DELETE FROM identities WHERE key = $1", &[&from]).await?;
            }
            put_session(&tx, session).await?;
            tx.commit().await.map_err(db)?;
            Ok(count(written))
        })
    }

    pub(super) async fn change_password_in_db(
        &self,
        name: &Username,
        hash: &str,
        keep: Option<&SessionKey>,
        start: Option<&NewSession>,
    ) -> Result<usize, StoreError> {
        pg!(self, "change_password", |c| {
            let tx = c.transaction().await.map_err(db)?;
            let sql = "UPDATE accounts SET password_hash = $2 WHERE username = $1 RETURNING identity";
            // Without an account nothing was changed; dropping the transaction rolls it back.
            let Some(row) = opt(&tx, sql, &[&name.as_str(), &hash]).await? else {
                return Err(StoreError::Io(format!("no account {name}")));
            };
            let (who, keep): (&[u8], Option<&[u8]>) = (col(&row, 0)?, keep.map(|k| k.0.as_slice()));
            let sql = "DELETE FROM sessions WHERE identity = $1 AND key IS DISTINCT FROM $2::bytea";
            let ended = exec(&tx, sql, &[&who, &keep]).await?;
            if let Some(session) = start {
                put_session(&tx, session).await?;
            }
            tx.commit().await.map_err(db)?;
            Ok(count(ended))
        })
    }

    pub(super) async fn display_name_in_db(&self, who: &IdentityKey) -> Result<Option<String>, StoreError> {
        pg!(self, "display_name", |c| {
            let sql = "SELECT display_name FROM profiles WHERE identity = $1";
            opt(c, sql, &[&who.0.as_slice()]).await?.map(|row| col(&row, 0)).transpose()
        })
    }

    pub(super) async fn set_display_name_in_db(&self, who: &IdentityKey, name: Option<&str>) -> Result<(), StoreError> {
        pg!(self, "set_display_name", |c| {
            let who = who.0.as_slice();
            match name {
                Some(name) => {
                    let sql = "INSERT INTO profiles (identity, display_name) VALUES ($1, $2) \
                               ON CONFLICT (identity) DO UPDATE SET display_name = excluded.display_name";
                    exec(c, sql, &[&who, &name]).await
                }
                None => exec(c, "DELETE FROM profiles WHERE identity = $1", &[&who]).await,
            }
            .map(drop)
        })
    }

    pub(super) async fn create_share_in_db(
        &self,
        code: &ShareCode,
        share: &ShareRecord,
        max: usize,
    ) -> Result<bool, StoreError> {
        pg!(self, "create_share", |c| {
            let tx = c.transaction().await.map_err(db)?;
            let who = share.identity.0.as_slice();
            // One owner's links are created one at a time (until commit), so two at once
            // cannot both pass the limit. An account has no row of its own to lock.
            let [k0, k1, k2, k3, ..] = share.identity.0;
            let lock = i32::from_be_bytes([k0, k1, k2, k3]);
            exec(&tx, "SELECT pg_advisory_xact_lock($1, $2)", &[&SHARE_LOCK, &lock]).await?;
            let links: i64 = col(&one(&tx, "SELECT count(*) FROM shares WHERE identity = $1", &[&who]).await?, 0)?;
            if count(unsigned(links)) >= max {
                tx.rollback().await.map_err(db)?;
                return Ok(false);
            }
            let sql = "INSERT INTO shares (code, identity, roadmap, created_at) VALUES ($1, $2, $3, $4) \
                       ON CONFLICT (code) DO NOTHING";
            let params: Params<'_> = &[&code.as_str(), &who, &share.roadmap.as_str(), &signed(share.created_at)];
            let created = exec(&tx, sql, params).await? == 1;
            tx.commit().await.map_err(db)?;
            Ok(created)
        })
    }

    pub(super) async fn share_in_db(&self, code: &ShareCode) -> Result<Option<ShareRecord>, StoreError> {
        pg!(self, "share", |c| {
            let sql = "SELECT identity, roadmap, created_at FROM shares WHERE code = $1";
            let Some(row) = opt(c, sql, &[&code.as_str()]).await? else { return Ok(None) };
            match (key32(col(&row, 0)?), RoadmapId::parse(col(&row, 1)?)) {
                (Some(identity), Ok(roadmap)) => {
                    let created_at = unsigned(col(&row, 2)?);
                    Ok(Some(ShareRecord { identity: IdentityKey(identity), roadmap, created_at }))
                }
                _ => {
                    tracing::warn!("skipping a share row this version cannot read");
                    Ok(None)
                }
            }
        })
    }

    pub(super) async fn shares_of_in_db(&self, who: &IdentityKey) -> Result<Vec<(ShareCode, ShareRecord)>, StoreError> {
        pg!(self, "shares_of", |c| {
            let sql = "SELECT code, roadmap, created_at FROM shares WHERE identity = $1 ORDER BY created_at, code";
            let mut out = Vec::new();
            for row in all(c, sql, &[&who.0.as_slice()]).await? {
                match (ShareCode::parse(col(&row, 0)?), RoadmapId::parse(col(&row, 1)?)) {
                    (Some(code), Ok(roadmap)) => {
                        let created_at = unsigned(col(&row, 2)?);
                        out.push((code, ShareRecord { identity: *who, roadmap, created_at }));
                    }
                    _ => tracing::warn!("skipping a share row this version cannot read"),
                }
            }
            Ok(out)
        })
    }

    pub(super) async fn revoke_share_in_db(&self, who: &IdentityKey, code: &ShareCode) -> Result<bool, StoreError> {
        pg!(self, "revoke_share", |c| {
            let sql = "DELETE FROM shares WHERE code = $1 AND identity = $2";
            Ok(exec(c, sql, &[&code.as_str(), &who.0.as_slice()]).await? > 0)
        })
    }
}
