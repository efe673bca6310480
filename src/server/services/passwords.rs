//! Password hashing with argon2id (OWASP's minimum: 19 MiB, 2 passes, 1 lane), run on the
//! blocking pool and at most two at a time, so sign-ins cannot starve page requests.

use crate::error::AppError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

/// Hashes running at once; each takes ~19 MiB and one core for a few tens of milliseconds.
const CONCURRENT_HASHES: usize = 2;

fn argon2() -> Result<Argon2<'static>, AppError> {
    let params = Params::new(19 * 1024, 2, 1, None).map_err(|e| AppError::internal("argon2 parameters", e))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    /// A hash of a random password, checked against when the username is unknown so both
    /// answers take as long.
    dummy: Arc<OnceLock<String>>,
}

impl Default for Hasher {
    fn default() -> Self {
        Hasher { permits: Arc::new(Semaphore::new(CONCURRENT_HASHES)), dummy: Arc::default() }
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
        let _permit = self.permits.acquire().await.map_err(|e| AppError::internal("hash permits", e))?;
        tokio::task::spawn_blocking(work).await.map_err(|e| AppError::internal("hashing task", e))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
