//! Files only the server's own user may read: the data directory (0700, so nothing inside
//! it, sled's files and the backup socket included, is reachable by another local user) and
//! backup files (0600, created new, so a file or link planted under their name is never
//! written through).

use std::fs::File;
use std::io;
use std::path::Path;

/// Creates `dir` (and its parents) if missing, with mode 0700, and tightens an existing one
/// that others may enter; answers whether it had to tighten it.
pub fn private_dir(dir: &Path) -> io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
        let mode = std::fs::metadata(dir)?.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
            return Ok(true);
        }
        Ok(false)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir).map(|()| false)
    }
}

/// Creates `path` as a new file with mode 0600; fails if anything (a file, a link) is there.
pub fn new_private_file(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// As `new_private_file`, after removing a regular file left at `path` by an interrupted
/// run; a link or anything else there is refused.
pub fn replace_private_file(path: &Path) -> io::Result<File> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_file() => std::fs::remove_file(path)?,
        Ok(_) => {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} exists and is not a plain file; remove it first", path.display()),
            ))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    new_private_file(path)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::symlink_metadata(path).expect("metadata").permissions().mode() & 0o777
    }

    #[test]
    fn the_data_directory_is_made_and_kept_private() {
        let root = tempfile::tempdir().expect("test setup");
        let dir = root.path().join("a/b/data");
        assert!(!private_dir(&dir).expect("create"), "a new directory needs no tightening");
        assert_eq!(mode(&dir), 0o700);
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("test setup");
        assert!(private_dir(&dir).expect("tighten"), "an open one is tightened");
        assert_eq!(mode(&dir), 0o700);
    }

    #[test]
    fn backup_files_are_new_and_private_and_never_follow_a_link() {
        let root = tempfile::tempdir().expect("test setup");
        let file = root.path().join("backup.snap.partial");
        drop(new_private_file(&file).expect("create"));
        assert_eq!(mode(&file), 0o600);
        assert!(new_private_file(&file).is_err(), "an existing file is not written through");
        drop(replace_private_file(&file).expect("a left-over plain file is replaced"));
        let victim = root.path().join("victim");
        std::fs::write(&victim, "keep me").expect("test setup");
        let planted = root.path().join("planted.partial");
        std::os::unix::fs::symlink(&victim, &planted).expect("test setup");
        assert!(replace_private_file(&planted).is_err(), "a planted link is refused");
        assert_eq!(std::fs::read_to_string(&victim).expect("read"), "keep me");
    }
}
