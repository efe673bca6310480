//! `backroad backup <file>` and `backroad restore <file>` for either store (the same file
//! format, `snapshot`), and, for sled only, the socket in the data directory through which
//! a running server writes a backup for the command (the server holds the directory's lock,
//! so the command asks it instead of opening the store). On PostgreSQL the command reads the
//! database itself, in one repeatable-read transaction, whether servers run or not.
//!
//! The socket speaks one line: the command sends `backup\n`; the server answers with the
//! backup's bytes, or with `ERR <sentence>\n`. It is a Unix socket with mode 0600 inside
//! the data directory (mode 0700): whoever may read the data may ask for a copy of it, no
//! one else. Backup files are created new with mode 0600 (`private`).

use super::private::{new_private_file, replace_private_file};
use crate::server::settings::Settings;
use crate::server::store::{
    restore_backup, verify_snapshot, write_backup, OpenError, PgSettings, PgStore, SledStore, SnapshotSummary, Store,
    SNAPSHOT_MAGIC,
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
pub async fn backup_command(file: &Path) -> ExitCode {
    let started = Instant::now();
    match backup(file).await {
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
pub async fn restore_command(file: &Path) -> ExitCode {
    let started = Instant::now();
    match restore(file).await {
        Ok((summary, target)) => {
            println!("restored {summary} into {target} in {} ms", started.elapsed().as_millis());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("backroad restore: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The PostgreSQL store the settings name, if they name one.
async fn database(settings: &Settings) -> Result<Option<(PgStore, String)>, String> {
    let Some(url) = &settings.database_url else { return Ok(None) };
    let pg = PgSettings { url: url.clone(), pool_size: 2, timeout: std::time::Duration::from_secs(600) };
    let store = PgStore::open(&pg).await.map_err(|e| e.to_string())?;
    Ok(Some((store, settings.redacted_database_url().unwrap_or_default())))
}

async fn restore(file: &Path) -> Result<(SnapshotSummary, String), String> {
    let settings = Settings::load().map_err(|e| e.to_string())?;
    if let Some((store, target)) = database(&settings).await? {
        let summary = restore_backup(&store, file, &target).await.map_err(|e| e.to_string())?;
        return Ok((summary, target));
    }
    let dir = &settings.data_dir;
    let target = dir.display().to_string();
    // Check the file before a store is created in the directory.
    verify_snapshot(file).map_err(|e| e.to_string())?;
    let store = SledStore::open(dir).map_err(|e| e.to_string())?;
    let summary = restore_backup(&store, file, &target).await.map_err(|e| e.to_string())?;
    store.flush_blocking().map_err(|e| e.to_string())?;
    Ok((summary, target))
}

async fn backup(file: &Path) -> Result<(SnapshotSummary, u64), String> {
    let settings = Settings::load().map_err(|e| e.to_string())?;
    let partial = PathBuf::from(format!("{}.partial", file.display()));
    let written = match database(&settings).await? {
        Some((store, _)) => write_store(&store, &partial).await,
        None => {
            let dir = &settings.data_dir;
            if !SledStore::exists_in(dir) {
                return Err(format!(
                    "there is no data in {} to back up. Run this with the same Leptos.toml, \
                     BACKROAD_DATA_DIR and BACKROAD_DATABASE_URL as the server.",
                    dir.display()
                ));
            }
            write_to(dir, &partial).await
        }
    };
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

async fn write_store(store: &dyn Store, partial: &Path) -> Result<(), String> {
    let out = replace_private_file(partial).map_err(|e| format!("could not create {}: {e}", partial.display()))?;
    write_backup(store, out).await.map(|_| ()).map_err(|e| format!("reading the store failed: {e}"))
}

/// Writes a sled backup to `partial`: from the store itself when no server runs on `dir`,
/// otherwise through the running server's socket.
async fn write_to(dir: &Path, partial: &Path) -> Result<(), String> {
    match SledStore::open(dir) {
        Ok(store) => write_store(&store, partial).await,
        Err(OpenError::Locked(_)) => {
            let out =
                replace_private_file(partial).map_err(|e| format!("could not create {}: {e}", partial.display()))?;
            let dir = dir.to_owned();
            tokio::task::spawn_blocking(move || ask_server(&dir, out)).await.map_err(|e| e.to_string())?
        }
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
    let written = match new_private_file(&target) {
        Ok(file) => write_backup(&*store, file).await.map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
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
