//! `impl Attempts for PgStore`: sign-in and sign-up attempts in the shared database, so
//! every app server counts the same attempts (one row per attempt, swept now and then).

use super::rows_io::{col, exec, one, signed, unsigned};
use super::{PgStore, KEEP_ATTEMPTS, SWEEP_EVERY};
use crate::server::store::attempts::{Attempts, Limit};
use crate::server::store::StoreError;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

#[async_trait::async_trait]
impl Attempts for PgStore {
    async fn check(&self, limit: &Limit, key: &str, now_ms: u64) -> Result<Option<Duration>, StoreError> {
        let since = signed(limit.since(now_ms));
        let (tried, oldest): (i64, Option<i64>) = pg!(self, "attempts_check", |c| {
            let sql = "SELECT count(*), min(at) FROM attempts WHERE bucket = $1 AND key = $2 AND at >= $3";
            let row = one(c, sql, &[&limit.name, &stored_key(key).as_ref(), &since]).await?;
            Ok((col(&row, 0)?, col(&row, 1)?))
        })?;
        Ok(limit.wait(unsigned(tried), oldest.map(unsigned), now_ms))
    }

    async fn hit(&self, limit: &Limit, key: &str, now_ms: u64) -> Result<(), StoreError> {
        let window = u64::try_from(limit.window.max(KEEP_ATTEMPTS).as_millis()).unwrap_or(u64::MAX);
        let longest = self.sweep.longest_ms.fetch_max(window, Ordering::Relaxed).max(window);
        let sweep = self.sweep.hits.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1;
        pg!(self, "attempts_hit", |c| {
            let sql = "INSERT INTO attempts (bucket, key, at) VALUES ($1, $2, $3)";
            exec(c, sql, &[&limit.name, &stored_key(key).as_ref(), &signed(now_ms)]).await?;
            if sweep {
                // Attempts older than any window this server counts under can no longer matter.
                let before = signed(now_ms.saturating_sub(longest));
                exec(c, "DELETE FROM attempts WHERE at < $1", &[&before]).await?;
            }
            Ok(())
        })
    }

    async fn reset(&self, limit: &Limit, key: &str) -> Result<(), StoreError> {
        pg!(self, "attempts_reset", |c| {
            let sql = "DELETE FROM attempts WHERE bucket = $1 AND key = $2";
            exec(c, sql, &[&limit.name, &stored_key(key).as_ref()]).await.map(drop)
        })
    }
}

/// An attempt key as stored: as given, unless a text column cannot hold it (a NUL byte, from
/// a raw typed username) or it is long (index entries have a size limit); then its SHA-256.
fn stored_key(key: &str) -> std::borrow::Cow<'_, str> {
    use sha2::Digest;
    if key.len() <= 256 && !key.contains('\0') {
        return key.into();
    }
    format!("sha256:{}", crate::server::identity::hex(&sha2::Sha256::digest(key.as_bytes()))).into()
}
