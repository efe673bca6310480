//! How guessable a new password is, by zxcvbn: the crate's lists of the 30,000 most common
//! (breached) passwords, English words, names and surnames, keyboard walks, dates and
//! repeats, with their usual disguises (capitals, l33t, digits added), and its estimate of
//! how many guesses the password would take. Server-only: the lists never reach the browser.

use crate::error::AppError;
use zxcvbn::{zxcvbn, Score};

/// The lowest score accepted: more than 10^6 guesses (zxcvbn's "somewhat guessable"). Every
/// password on the lists, and simple changes of one, scores below it; with argon2id and the
/// sign-in limits a score of two is years of work for someone guessing.
const MIN_SCORE: Score = Score::Two;

/// Refuses a new password that would be guessed quickly, saying why when zxcvbn knows.
pub fn check(password: &str, username: &str) -> Result<(), AppError> {
    let estimate = zxcvbn(password, &[username, "backroad", "roadmap"]);
    if estimate.score() >= MIN_SCORE {
        return Ok(());
    }
    let why = estimate.feedback().and_then(|f| f.warning()).map(|w| format!(" ({w})")).unwrap_or_default();
    Err(AppError::bad_request(format!(
        "That password would be guessed quickly{why}. Pick another; a few unrelated words make a good one."
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_passwords_and_their_disguises_are_refused_and_passphrases_pass() {
        for weak in [
            "password",
            "Password1",
            "12345678",
            "qwertyuiop",
            "iloveyou",
            "blink182",
            "samantha",
            "mercedes",
            "midnight",
            "123654789",
            "P@ssw0rd!",
            "adalovelace1",
            "backroad2026",
        ] {
            let refused = check(weak, "adalovelace").expect_err(weak);
            assert!(refused.to_string().contains("guessed quickly"), "{weak}: {refused}");
        }
        // Including every password the tests and browser tests sign up with.
        for fine in [
            "correct horse battery staple",
            "violet-anchor-lemon-drift",
            "Tq8#vL2m!xR9",
            "correct horse battery",
            "a new long one",
            "lovelace-engine-1843",
            "correct-horse-battery-7",
            "staple-orbit-lantern-9",
            "river stone lantern",
        ] {
            assert!(check(fine, "ada").is_ok(), "{fine}");
        }
    }
}
