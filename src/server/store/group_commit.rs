//! Group commit: one thread flushes the store for every writer that is waiting, so many
//! concurrent requests share one flush. (sled 0.34's `flush_async` deadlocks under
//! concurrency; a blocking flush on a thread of its own does not.)

use super::StoreError;
use std::sync::mpsc;
use tokio::sync::oneshot;

type Waiter = oneshot::Sender<Result<(), String>>;

pub struct GroupCommit {
    requests: mpsc::Sender<Waiter>,
}

impl GroupCommit {
    /// Starts the flusher thread. It stops when the `GroupCommit` is dropped.
    pub fn start(flush: impl Fn() -> Result<(), String> + Send + 'static) -> std::io::Result<Self> {
        let (requests, queue) = mpsc::channel::<Waiter>();
        std::thread::Builder::new().name("backroad-flush".into()).spawn(move || {
            while let Ok(first) = queue.recv() {
                // Everyone who asked before this flush starts is covered by it.
                let mut batch = vec![first];
                batch.extend(queue.try_iter());
                let result = flush();
                for waiter in batch {
                    let _ = waiter.send(result.clone());
                }
            }
        })?;
        Ok(GroupCommit { requests })
    }

    /// Waits until a flush that started after this call has finished.
    pub async fn wait(&self) -> Result<(), StoreError> {
        let (tx, rx) = oneshot::channel();
        self.requests.send(tx).map_err(|_| StoreError::FlusherGone)?;
        match rx.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(StoreError::Io(e)),
            Err(_) => Err(StoreError::FlusherGone),
        }
    }
}
