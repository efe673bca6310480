//! Sign-in and sign-up limits: how many attempts a key (a client address, a username) may
//! make in a sliding window. With several app servers the counts must be shared, so they
//! live in the shared store (`PgStore`); one process on sled keeps them in memory.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

/// Keys tracked in memory before old ones are swept out, so a flood of addresses cannot grow memory.
const SWEEP_AT: usize = 10_000;

/// One limit: `max` attempts per `window`, counted under `name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub name: &'static str,
    pub max: u32,
    pub window: Duration,
}

impl Limit {
    fn window_ms(&self) -> u64 {
        self.window.as_millis() as u64
    }

    /// How long to wait, given the times (ms) of the attempts inside the window, oldest first.
    pub fn wait(&self, count: u64, oldest_ms: Option<u64>, now_ms: u64) -> Option<Duration> {
        let oldest = oldest_ms?;
        (count >= u64::from(self.max))
            .then(|| Duration::from_millis((oldest + self.window_ms()).saturating_sub(now_ms).max(1)))
    }

    /// The earliest attempt time that still counts at `now_ms`.
    pub fn since(&self, now_ms: u64) -> u64 {
        now_ms.saturating_sub(self.window_ms()).saturating_add(1)
    }
}

/// Where attempts are counted.
#[async_trait::async_trait]
pub trait Attempts: Send + Sync + 'static {
    /// `Ok(Some(wait))` when `key` has used up its attempts under `limit`.
    async fn check(&self, limit: &Limit, key: &str, now_ms: u64) -> Result<Option<Duration>, super::StoreError>;
    /// Counts one attempt by `key`.
    async fn hit(&self, limit: &Limit, key: &str, now_ms: u64) -> Result<(), super::StoreError>;
    /// Forgets `key`'s attempts (after a successful sign-in).
    async fn reset(&self, limit: &Limit, key: &str) -> Result<(), super::StoreError>;
}

/// Attempts kept in this process's memory (one server on sled).
#[derive(Default)]
pub struct MemoryAttempts {
    hits: Mutex<HashMap<(&'static str, String), VecDeque<u64>>>,
}

impl MemoryAttempts {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(&'static str, String), VecDeque<u64>>> {
        // A panic while holding the lock cannot leave the map inconsistent; keep going.
        self.hits.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[async_trait::async_trait]
impl Attempts for MemoryAttempts {
    async fn check(&self, limit: &Limit, key: &str, now_ms: u64) -> Result<Option<Duration>, super::StoreError> {
        let mut hits = self.lock();
        let Some(list) = hits.get_mut(&(limit.name, key.to_owned())) else { return Ok(None) };
        let since = limit.since(now_ms);
        while list.front().is_some_and(|t| *t < since) {
            list.pop_front();
        }
        Ok(limit.wait(list.len() as u64, list.front().copied(), now_ms))
    }

    async fn hit(&self, limit: &Limit, key: &str, now_ms: u64) -> Result<(), super::StoreError> {
        let mut hits = self.lock();
        if hits.len() >= SWEEP_AT {
            let since = limit.since(now_ms);
            hits.retain(|_, list| list.back().is_some_and(|t| *t >= since));
        }
        hits.entry((limit.name, key.to_owned())).or_default().push_back(now_ms);
        Ok(())
    }

    async fn reset(&self, limit: &Limit, key: &str) -> Result<(), super::StoreError> {
        self.lock().remove(&(limit.name, key.to_owned()));
        Ok(())
    }
}

/// Seconds to put in `Retry-After`: at least one.
pub fn retry_after_secs(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0).max(u64::from(wait.as_secs() == 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_secs(Duration::from_secs(50)), 50);
        assert_eq!(retry_after_secs(Duration::from_millis(50_100)), 51);
    }
}
