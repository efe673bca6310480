//! Sliding-window rate limits kept in memory: how many attempts a key (a client address,
//! a username) may make in a window, and how long to wait once it has made them.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Keys tracked before old ones are swept out, so a flood of addresses cannot grow memory.
const SWEEP_AT: usize = 10_000;

pub struct RateLimiter {
    max: usize,
    window: Duration,
    hits: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl RateLimiter {
    pub fn new(max: usize, window: Duration) -> Self {
        RateLimiter { max, window, hits: Mutex::new(HashMap::new()) }
    }

    /// `Err(wait)` when `key` has used up its attempts; `wait` is until the oldest expires.
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        self.check_at(key, Instant::now())
    }

    /// Counts one attempt by `key`.
    pub fn hit(&self, key: &str) {
        self.hit_at(key, Instant::now());
    }

    /// Forgets `key`'s attempts (after a successful sign-in).
    pub fn reset(&self, key: &str) {
        self.lock().remove(key);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<Instant>>> {
        // A panic while holding the lock cannot leave the map inconsistent; keep going.
        self.hits.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn check_at(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let mut hits = self.lock();
        let Some(list) = hits.get_mut(key) else { return Ok(()) };
        while list.front().is_some_and(|t| now.duration_since(*t) >= self.window) {
            list.pop_front();
        }
        match list.front() {
            Some(oldest) if list.len() >= self.max => Err(self.window - now.duration_since(*oldest)),
            _ => Ok(()),
        }
    }

    fn hit_at(&self, key: &str, now: Instant) {
        let mut hits = self.lock();
        if hits.len() >= SWEEP_AT {
            let window = self.window;
            hits.retain(|_, list| list.back().is_some_and(|t| now.duration_since(*t) < window));
        }
        hits.entry(key.to_owned()).or_default().push_back(now);
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
    fn allows_max_attempts_per_window_then_says_how_long_to_wait() {
        let limit = RateLimiter::new(3, Duration::from_secs(60));
        let t0 = Instant::now();
        for i in 0..3 {
            assert_eq!(limit.check_at("a", t0 + Duration::from_secs(i)), Ok(()));
            limit.hit_at("a", t0 + Duration::from_secs(i));
        }
        assert_eq!(limit.check_at("a", t0 + Duration::from_secs(10)), Err(Duration::from_secs(50)));
        assert_eq!(limit.check_at("b", t0 + Duration::from_secs(10)), Ok(()), "other keys are not affected");
        assert_eq!(limit.check_at("a", t0 + Duration::from_secs(60)), Ok(()), "the oldest attempt expired");
        limit.reset("a");
        assert_eq!(limit.check_at("a", t0 + Duration::from_secs(10)), Ok(()));
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_secs(Duration::from_secs(50)), 50);
        assert_eq!(retry_after_secs(Duration::from_millis(50_100)), 51);
    }
}
