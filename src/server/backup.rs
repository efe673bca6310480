//! `backroad backup <file>` and `backroad restore <file>`, and the socket in the data
//! directory through which a running server writes a backup for the command (the server
//! holds the directory's lock, so the command asks it instead of opening the store).
//!
//! The socket speaks one line: the command sends `backup\n`; the server answers with the
//! backup's bytes, or with `ERR <sentence>\n`. It is a Unix socket with mode 0600 inside
//! the data directory: whoever may read the data may ask for a copy of it, no one else.

use crate::server::settings::Settings;
use crate::server::store::{
    restore_snapshot, verify_snapshot, OpenError, SledStore, SnapshotSummary, Store, SNAPSHOT_MAGIC,
};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

/// The socket's file name inside the data directory.
pub const SOCKET: &str = "admin.sock";

/// `backroad backup <file>`: prints what was saved, or a sentence saying what went wrong.
pub fn backup_command(file: &Path) -> ExitCode {
    let started = Instant::now();
    match backup(file) {
        Ok((summary, bytes)) => {
            println!(
                "backed up {summary} to {} ({bytes} bytes in {} ms)",
                file.display(),
                started.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("backroad backup: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `backroad restore <file>`: restores into the configured data directory, which must be empty.
pub fn restore_command(file: &Path) -> ExitCode {
    let started = Instant::now();
    let result = Settings::load().map_err(|e| e.to_string()).and_then(|settings| {
        restore_snapshot(file, &settings.data_dir).map(|s| (s, settings.data_dir)).map_err(|e| e.to_string())
    });
    match result {
        Ok((summary, dir)) => {
            println!("restored {summary} into {} in {} ms", dir.display(), started.elapsed().as_millis());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("backroad restore: {message}");
            ExitCode::FAILURE
        }
    }
}

fn backup(file: &Path) -> Result<(SnapshotSummary, u64), String> {
    let settings = Settings::load().map_err(|e| e.to_string())?;
    let dir = &settings.data_dir;
    if !dir.join("db").exists() {
        return Err(format!(
            "there is no data in {} to back up. Run this with the same Leptos.toml and \
             BACKROAD_DATA_DIR as the server.",
            dir.display()
        ));
    }
    let partial = PathBuf::from(format!("{}.partial", file.display()));
    let written = write_to(dir, &partial);
    let checked = written.and_then(|()| {
        File::open(&partial)
            .and_then(|f| f.sync_all())
            .map_err(|e| format!("could not write {}: {e}", partial.display()))?;
        // Read the copy back in full: a backup that cannot be restored is worse than none.
        verify_snapshot(&partial).map_err(|e| e.to_string())
    });
    let summary = match checked {
        Ok(summary) => summary,
        Err(message) => {
            let _ = std::fs::remove_file(&partial);
            return Err(message);
        }
    };
    std::fs::rename(&partial, file).map_err(|e| format!("could not move the backup to {}: {e}", file.display()))?;
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    Ok((summary, bytes))
}

/// Writes the backup to `partial`: from the store itself when no server runs on `dir`,
/// otherwise through the running server's socket.
fn write_to(dir: &Path, partial: &Path) -> Result<(), String> {
    let create = || File::create(partial).map_err(|e| format!("could not create {}: {e}", partial.display()));
    match SledStore::open(dir) {
        Ok(store) => {
            let mut out = create()?;
            store.write_snapshot(&mut out).map(|_| ()).map_err(|e| format!("reading the store failed: {e}"))
        }
        Err(OpenError::Locked(_)) => ask_server(dir, create()?),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(unix)]
fn ask_server(dir: &Path, mut out: File) -> Result<(), String> {
    let path = dir.join(SOCKET);
    let mut socket = std::os::unix::net::UnixStream::connect(&path).map_err(|e| {
        format!(
            "a running backroad holds {}, but its backup socket {} does not answer ({e}). \
             Stop the server and run the backup again.",
            dir.display(),
            path.display()
        )
    })?;
    socket.write_all(b"backup\n").map_err(|e| format!("could not ask the server for a backup: {e}"))?;
    let mut head = Vec::new();
    (&mut socket).take(SNAPSHOT_MAGIC.len() as u64).read_to_end(&mut head).map_err(|e| e.to_string())?;
    if head != SNAPSHOT_MAGIC {
        let mut rest = String::new();
        let _ = socket.read_to_string(&mut rest);
        let answer = String::from_utf8_lossy(&head).into_owned() + &rest;
        return Err(answer.strip_prefix("ERR ").unwrap_or(&answer).trim().to_owned());
    }
    out.write_all(&head).map_err(|e| e.to_string())?;
    std::io::copy(&mut socket, &mut out).map_err(|e| format!("the backup was cut off: {e}"))?;
    Ok(())
}

#[cfg(not(unix))]
fn ask_server(dir: &Path, _out: File) -> Result<(), String> {
    Err(format!("a running backroad holds {}; stop it and run the backup again.", dir.display()))
}

/// Listens on the data directory's backup socket until the process ends. A failure to
/// listen is logged, not fatal: backups then need the server stopped.
#[cfg(unix)]
pub fn listen(dir: &Path, store: Arc<dyn Store>) {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(SOCKET);
    // We hold the directory's lock, so a socket file left there is from a stopped server.
    let _ = std::fs::remove_file(&path);
    let listener = match tokio::net::UnixListener::bind(&path) {
        Ok(listener) => listener,
        Err(e) => {
            tracing::warn!("no backup socket at {}: {e}; `backroad backup` needs the server stopped", path.display());
            return;
        }
    };
    if let Err(e) = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)) {
        tracing::warn!("could not make {} private: {e}", path.display());
    }
    let dir = dir.to_owned();
    tokio::spawn(async move {
        let mut served = 0u64;
        loop {
            match listener.accept().await {
                Ok((stream, _)) => {
                    served += 1;
                    let temp = dir.join(format!("backup-{}-{served}.tmp", std::process::id()));
                    tokio::spawn(answer(stream, store.clone(), temp));
                }
                Err(e) => tracing::warn!("backup socket: {e}"),
            }
        }
    });
}

#[cfg(not(unix))]
pub fn listen(_dir: &Path, _store: Arc<dyn Store>) {}

/// Writes the backup to a file in the data directory (fast, so writes are held back only
/// briefly), then streams that file to the command and deletes it.
#[cfg(unix)]
async fn answer(mut stream: tokio::net::UnixStream, store: Arc<dyn Store>, temp: PathBuf) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let mut line = String::new();
    let mut reader = BufReader::new(&mut stream);
    let asked = tokio::time::timeout(std::time::Duration::from_secs(5), reader.read_line(&mut line)).await;
    if !matches!(asked, Ok(Ok(_))) || line.trim() != "backup" {
        let _ = stream.write_all(b"ERR the only request is `backup`\n").await;
        return;
    }
    let started = Instant::now();
    let target = temp.clone();
    let written = tokio::task::spawn_blocking(move || {
        let mut file = File::create(&target).map_err(|e| e.to_string())?;
        store.write_snapshot(&mut file).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())
    .and_then(|r| r);
    match written {
        Ok(summary) => {
            tracing::info!("backup: {summary}, written in {} ms", started.elapsed().as_millis());
            match tokio::fs::File::open(&temp).await {
                Ok(mut file) => {
                    if let Err(e) = tokio::io::copy(&mut file, &mut stream).await {
                        tracing::warn!("backup: the command went away: {e}");
                    }
                }
                Err(e) => tracing::error!("backup: could not reopen {}: {e}", temp.display()),
            }
        }
        Err(e) => {
            tracing::error!("backup failed: {e}");
            let _ = stream.write_all(b"ERR the server could not read its store; see its log\n").await;
        }
    }
    let _ = tokio::fs::remove_file(&temp).await;
}
