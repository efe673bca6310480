//! Security events for the operator's log: sign-up, sign-in, password change, sign-out,
//! share links, refused cross-site requests and limits hit. Each is one `tracing` event on
//! the target `backroad::security` with what happened, how it ended, the username as typed
//! (cut to 40 characters, control characters escaped) and the client address key. Never a
//! password, a token or a hash of one.

use crate::error::AppError;

/// How a request ended, in one word.
pub fn outcome<T>(result: &Result<T, AppError>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(AppError::Unauthorized(_)) => "denied",
        Err(AppError::TooManyRequests { .. }) => "limited",
        Err(AppError::Forbidden(_)) => "forbidden",
        Err(AppError::BadRequest(_) | AppError::Conflict(_) | AppError::TooLarge(_)) => "refused",
        Err(_) => "failed",
    }
}

/// A username as it may appear in the log.
fn shown(username: &str) -> String {
    let cut: String = username.chars().take(40).collect();
    cut.escape_debug().to_string()
}

/// Logs `event` (sign_in, sign_up, …) for `username` from `client`, ended as `result` says.
pub fn account_event<T>(event: &'static str, username: &str, client: &str, result: &Result<T, AppError>) {
    let outcome = outcome(result);
    let username = shown(username);
    if outcome == "ok" {
        tracing::info!(target: "backroad::security", event, outcome, username, client, "security event");
    } else {
        tracing::warn!(target: "backroad::security", event, outcome, username, client, "security event");
    }
}

/// Logs an event without a username (a refused cross-site request, a limit on new visitors).
pub fn client_event(event: &'static str, outcome: &'static str, client: &str, detail: &str) {
    tracing::warn!(target: "backroad::security", event, outcome, client, detail, "security event");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_and_usernames_are_safe_to_log() {
        assert_eq!(outcome::<()>(&Ok(())), "ok");
        assert_eq!(outcome::<()>(&Err(AppError::Unauthorized("x".into()))), "denied");
        assert_eq!(outcome::<()>(&Err(AppError::TooManyRequests { message: "x".into(), retry_after: 1 })), "limited");
        assert_eq!(shown("ada\n2026-12-04 INFO forged line"), "ada\\n2026-12-04 INFO forged line");
        assert_eq!(shown(&"a".repeat(500)).len(), 40);
    }
}
