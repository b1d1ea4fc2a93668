//! The only code that writes post files.
//!
//! A write goes to an unnamed temporary file in the target's folder (Linux `O_TMPFILE`;
//! elsewhere a hidden temporary name), is fsynced, and then takes the target's name in one
//! rename: a process killed at any point leaves the old file or the complete new one, and
//! no half-written post. The mode and, where permitted, the owner are kept. What can still
//! go wrong: the folder may not be writable (error, file untouched); the file may have been
//! changed by someone else since it was read (detected just before the rename: refused,
//! file untouched); a symbolic link is never replaced (refused).

use std::io::Write;
use std::path::Path;

use atomic_write_file::AtomicWriteFile;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("is a symbolic link; convert the file it points to instead")]
    Symlink,
    #[error("changed on disk since it was read; not overwritten")]
    Changed,
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Replaces the file at `path`, whose content was `old` when read, with `new`, durably
/// (fsynced before the rename).
pub fn replace(path: &Path, old: &[u8], new: &[u8]) -> Result<(), WriteError> {
    replace_with(path, old, new, true)
}

/// [`replace`], with the fsync optional. Without it the rename is still atomic against a
/// killed process (the new bytes are in the page cache before the name moves), but after a
/// power loss the file may be empty on some filesystems; it is several times faster on
/// large batches. The temporary file is hidden and ends in `.tmp`, so no walker takes it
/// for a post if the process dies before the rename.
pub fn replace_with(path: &Path, old: &[u8], new: &[u8], fsync: bool) -> Result<(), WriteError> {
    let meta = std::fs::symlink_metadata(path)?;
    if meta.file_type().is_symlink() {
        return Err(WriteError::Symlink);
    }
    if !fsync {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut tmp = tempfile::Builder::new()
            .prefix(".fmx-")
            .suffix(".tmp")
            .tempfile_in(dir)?;
        tmp.write_all(new)?;
        tmp.as_file().set_permissions(meta.permissions())?;
        if std::fs::read(path)? != old {
            return Err(WriteError::Changed);
        }
        tmp.persist(path).map_err(|e| WriteError::Io(e.error))?;
        return Ok(());
    }
    let mut file = AtomicWriteFile::options().open(path)?;
    file.write_all(new)?;
    if std::fs::read(path)? != old {
        file.discard()?;
        return Err(WriteError::Changed);
    }
    let temporary = file.as_file().metadata()?;
    if let Err(e) = file.commit() {
        remove_temporary(path, &temporary);
        return Err(e.into());
    }
    Ok(())
}

/// A commit whose rename fails (an immutable target, say) has already given the temporary
/// file its hidden name `.NAME.XXXXXX` and leaves it there; it is found by its inode and
/// removed, so a failed write leaves the folder as it was.
#[cfg(unix)]
fn remove_temporary(path: &Path, temporary: &std::fs::Metadata) {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::MetadataExt;
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let candidate = entry.file_name();
        let bytes = candidate.as_bytes();
        let ours = bytes.len() == name.len() + 8
            && bytes.starts_with(b".")
            && bytes[1..].starts_with(name.as_bytes())
            && bytes[name.len() + 1] == b'.';
        if ours
            && let Ok(meta) = entry.metadata()
            && meta.dev() == temporary.dev()
            && meta.ino() == temporary.ino()
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(not(unix))]
fn remove_temporary(_path: &Path, _temporary: &std::fs::Metadata) {}

/// Creates the file at `path` with `content`, atomically; fails if it already exists.
pub fn create(path: &Path, content: &[u8]) -> std::io::Result<()> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} already exists", path.display()),
        ));
    }
    let mut file = AtomicWriteFile::options().open(path)?;
    file.write_all(content)?;
    file.commit()
}
