//! Housekeeping the server does on its own: every hour, the store forgets what nobody can
//! reach any more (`store::purge` says what and when). With several app servers on one
//! database each does it; the deletes are the same whoever runs them first.

use crate::server::services::caller::now_ms;
use crate::server::store::{Purge, Store};
use std::sync::Arc;
use std::time::Duration;

/// How often the purge runs, and how long after start-up the first one waits (so a server
/// that is starting or restarting answers its first visitors first).
const EVERY: Duration = Duration::from_secs(60 * 60);
const FIRST_AFTER: Duration = Duration::from_secs(60);

/// Starts the hourly purge in the background, for as long as the process runs.
pub fn start(store: Arc<dyn Store>) {
    tokio::spawn(async move {
        tokio::time::sleep(FIRST_AFTER).await;
        let mut every = tokio::time::interval(EVERY);
        loop {
            every.tick().await;
            purge_once(&store).await;
        }
    });
}

/// One purge at the present time, on a blocking thread (sled's scan is synchronous work);
/// what it removed or why it failed goes to the log.
pub async fn purge_once(store: &Arc<dyn Store>) {
    let (store, rules) = (store.clone(), Purge::at(now_ms()));
    let handle = tokio::runtime::Handle::current();
    match tokio::task::spawn_blocking(move || handle.block_on(store.purge(&rules))).await {
        Ok(Ok(purged)) if purged.total() > 0 => tracing::info!(
            empty = purged.empty,
            unseen = purged.unseen,
            sessions = purged.sessions,
            "purged anonymous identities nobody can reach and expired sessions"
        ),
        Ok(Ok(_)) => tracing::debug!("purge: nothing to remove"),
        Ok(Err(e)) => tracing::warn!("purge failed (it runs again in an hour): {e}"),
        Err(e) => tracing::warn!("purge did not run: {e}"),
    }
}
