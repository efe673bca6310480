//! The limits around sign-up and sign-in, counted where every app server sees the same
//! counts (`store::Attempts`: the database when it is shared, memory on sled).

use crate::error::AppError;
use crate::server::store::attempts::retry_after_secs;
use crate::server::store::Limit;
use std::time::Duration;

/// Sign-in and sign-up attempts from one client address.
pub const PER_CLIENT: Limit = Limit { name: "client", max: 20, window: Duration::from_secs(10 * 60) };
/// Failed sign-ins (or password checks) for one username.
pub const PER_USERNAME: Limit = Limit { name: "username", max: 5, window: Duration::from_secs(15 * 60) };

/// The 429 a person gets, with how long to wait.
pub fn too_many(wait: Duration, what: &str) -> AppError {
    let secs = retry_after_secs(wait);
    let minutes = secs.div_ceil(60);
    AppError::TooManyRequests {
        message: format!("Too many {what}. Wait {minutes} minute(s) and try again."),
        retry_after: secs,
    }
}
