//! Password hashing with argon2id (OWASP's minimum: 19 MiB, 2 passes, 1 lane), run on the
//! blocking pool and at most two at a time, so sign-ins cannot starve page requests.

use crate::error::AppError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

/// Hashes running at once; each takes ~19 MiB and one core for a few tens of milliseconds.
const CONCURRENT_HASHES: usize = 2;
/// Hashes waiting for a turn; beyond it a sign-in is refused (503, try again in a moment)
/// rather than queued without end. At ~50 ms a hash, the last in line waits about 0.5 s.
const WAITING_HASHES: usize = 16;

fn argon2() -> Result<Argon2<'static>, AppError> {
    let params = Params::new(19 * 1024, 2, 1, None).map_err(|e| AppError::internal("argon2 parameters", e))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    /// Hashes running or waiting.
    queued: Arc<std::sync::atomic::AtomicUsize>,
    /// A hash of a random password, checked against when the username is unknown so both
    /// answers take as long.
    dummy: Arc<OnceLock<String>>,
}

impl Default for Hasher {
    fn default() -> Self {
        Hasher { permits: Arc::new(Semaphore::new(CONCURRENT_HASHES)), queued: Arc::default(), dummy: Arc::default() }
    }
}

impl Hasher {
    /// A PHC string for `password` with a fresh random salt.
    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let password = password.to_owned();
        self.blocking(move || {
            let mut salt = [0u8; 16];
            getrandom::fill(&mut salt).map_err(|e| AppError::internal("salt", e))?;
            let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::internal("salt", e))?;
            let hash =
                argon2()?.hash_password(password.as_bytes(), &salt).map_err(|e| AppError::internal("hashing", e))?;
            Ok(hash.to_string())
        })
        .await
    }

    /// Whether `password` matches `phc`. A hash we cannot read counts as a mismatch (logged).
    pub async fn verify(&self, password: &str, phc: &str) -> Result<bool, AppError> {
        let (password, phc) = (password.to_owned(), phc.to_owned());
        self.blocking(move || {
            let Ok(parsed) = PasswordHash::new(&phc) else {
                tracing::error!("a stored password hash cannot be read");
                return Ok(false);
            };
            Ok(argon2()?.verify_password(password.as_bytes(), &parsed).is_ok())
        })
        .await
    }

    /// Spends the time of a verification without an account, so "no such user" and "wrong
    /// password" cannot be told apart by timing.
    pub async fn verify_nothing(&self, password: &str) -> Result<(), AppError> {
        let dummy = match self.dummy.get() {
            Some(d) => d.clone(),
            None => {
                let d = self.hash(&crate::server::identity::random_hex(16)).await?;
                self.dummy.get_or_init(|| d).clone()
            }
        };
        self.verify(password, &dummy).await.map(|_| ())
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        use std::sync::atomic::Ordering;
        let queued = self.queued.fetch_add(1, Ordering::SeqCst);
        let _in_line = Dequeue(&self.queued);
        if queued >= CONCURRENT_HASHES + WAITING_HASHES {
            crate::server::metrics::limit_hit("password_hashing");
            return Err(AppError::Busy {
                message: "The server is checking many passwords right now. Try again in a few seconds.".into(),
                retry_after: 2,
            });
        }
        let _permit = self.permits.acquire().await.map_err(|e| AppError::internal("hash permits", e))?;
        tokio::task::spawn_blocking(work).await.map_err(|e| AppError::internal("hashing task", e))?
    }
}

/// Leaves the line when dropped, however the hash ended (or its request went away).
struct Dequeue<'a>(&'a std::sync::atomic::AtomicUsize);

impl Drop for Dequeue<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_line_of_hashes_is_refused_with_503_and_a_wait_not_queued() {
        let h = Hasher::default();
        let running: Vec<_> = (0..CONCURRENT_HASHES + WAITING_HASHES)
            .map(|_| {
                let h = h.clone();
                tokio::spawn(async move { h.hash("correct horse battery").await })
            })
            .collect();
        // Let them all take their place in line.
        while h.queued.load(std::sync::atomic::Ordering::SeqCst) < CONCURRENT_HASHES + WAITING_HASHES {
            tokio::task::yield_now().await;
        }
        match h.hash("one too many").await {
            Err(e @ AppError::Busy { .. }) => assert_eq!(e.status(), http::StatusCode::SERVICE_UNAVAILABLE),
            other => panic!("expected Busy, got {other:?}"),
        }
        for r in running {
            r.await.expect("joined").expect("hashed");
        }
        assert_eq!(h.queued.load(std::sync::atomic::Ordering::SeqCst), 0, "everyone left the line");
        h.hash("room again").await.expect("a place is free");
    }

    #[tokio::test]
    async fn hashes_are_salted_argon2id_and_verify() {
        let h = Hasher::default();
        let a = h.hash("correct horse battery").await.expect("test setup");
        let b = h.hash("correct horse battery").await.expect("test setup");
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "a fresh salt each time");
        assert!(h.verify("correct horse battery", &a).await.expect("test setup"));
        assert!(!h.verify("correct horse battery!", &a).await.expect("test setup"));
        assert!(!h.verify("x", "not a hash").await.expect("test setup"));
        h.verify_nothing("whatever").await.expect("test setup");
    }
}
