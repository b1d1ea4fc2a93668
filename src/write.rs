//! The only code that writes post files.
//!
//! A write goes to a temporary file in the target's folder (on Linux an unnamed `O_TMPFILE`,
//! elsewhere or without `/proc` a hidden `.fmx-XXXXXXXXXXXX.tmp`), is flushed to disk, and
//! then takes the target's name in one rename: a process killed at any point leaves the old
//! file or the complete new one, never a half-written post.
//!
//! What is refused rather than written (the post is left untouched): a symbolic link; a
//! file with more than one hard link (a new file would part this name from the others); a
//! file its owner may not write (`chmod u-w`); a file whose owner, group or extended
//! attributes (ACLs included) cannot be given to the new file (a user other than its owner
//! running fmx); a special file; a file changed since it was read.
//!
//! The changed-since-read check: on Linux the new file is swapped with the post in one
//! `renameat2(RENAME_EXCHANGE)`, and the old file, now under the temporary name, is
//! compared with what was read (inode, size, mtime, and its bytes when its last change was
//! recent): a write that landed at any moment before the swap is found there, and the swap
//! is undone. What remains is a program that opened the post before the swap and writes
//! into it after the check (a few microseconds later): it writes into the replaced file.
//! Where the exchange is not available, the identity is checked just before a plain rename.
//!
//! Leftovers: a kill between naming the temporary file and the swap leaves it under its
//! hidden name. Every run that writes into a folder takes a shared `flock` on the folder
//! while it writes, and first, if no other fmx holds one, removes the `.fmx-*.tmp` names a
//! killed run left there.
//!
//! This used to be the atomic-write-file crate. Over 100k posts its sequence (a folder
//! opened and fsynced per file, the target read again to compare, a second `fdatasync`)
//! cost about 27 system calls per post; this one makes about 15, flushes a batch of files
//! at once, fsyncs each folder once after all its files, and compares the target's identity
//! (device, inode, size, mtime, ctime) instead of its bytes.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use crate::formats::Limits;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("is a symbolic link; convert the file it points to instead")]
    Symlink,
    #[error("changed on disk since it was read; not overwritten")]
    Changed,
    #[error(
        "has {0} hard links; a rewrite would part this name from the others (they would keep \
         the old text); not written"
    )]
    HardLinked(u64),
    #[error("is read-only (mode {0:04o}); not written (`chmod u+w` it to allow the rewrite)")]
    ReadOnly(u32),
    #[error("cannot keep its {what} ({value}): {source}; not written")]
    Keep {
        what: &'static str,
        value: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The most a post may hold, front matter and body, to be read whole (for `convert` and
/// `check --fix`): the block limit, 64 KiB for its delimiters and first body line, and
/// [`BODY_LIMIT`]. A larger file is an error for that file, never a read into memory.
pub fn max_post_bytes(limits: &Limits) -> u64 {
    (limits.max_block_bytes as u64).saturating_add(64 * 1024 + BODY_LIMIT)
}

/// The largest body read whole: far beyond any post, small enough that a few files in
/// flight on every core cannot exhaust memory.
pub const BODY_LIMIT: u64 = 128 << 20;

/// A file as read for a later [`Writer::replace`]: its bytes and what identifies this
/// version of it on disk.
#[derive(Debug)]
pub struct Snapshot {
    pub bytes: Vec<u8>,
    stamp: Stamp,
    read_at: SystemTime,
    /// Extended attributes (user ones, ACLs, labels), given to the new file.
    xattrs: Vec<(Vec<u8>, Vec<u8>)>,
}

/// Any write to a file changes its ctime, which no program can set back; with the device,
/// inode and size it tells whether the file is still the version that was read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
    mode: u32,
    uid: u32,
    gid: u32,
    nlink: u64,
}

impl Stamp {
    #[cfg(all(unix, not(target_os = "linux")))]
    fn of(meta: &std::fs::Metadata) -> Self {
        use std::os::unix::fs::MetadataExt;
        Stamp {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
            mode: meta.mode(),
            uid: meta.uid(),
            gid: meta.gid(),
            nlink: meta.nlink(),
        }
    }

    #[cfg(not(unix))]
    fn of(meta: &std::fs::Metadata) -> Self {
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map_or((0, 0), |d| {
                (d.as_secs() as i64, i64::from(d.subsec_nanos()))
            });
        Stamp {
            dev: 0,
            ino: 0,
            size: meta.len(),
            mtime,
            ctime: mtime,
            mode: u32::from(meta.permissions().readonly()),
            uid: 0,
            gid: 0,
            nlink: 1,
        }
    }

    #[cfg(target_os = "linux")]
    #[allow(clippy::unnecessary_cast, clippy::useless_conversion)] // field types vary by arch
    fn from_stat(st: &rustix::fs::Stat) -> Self {
        Stamp {
            dev: st.st_dev as u64,
            ino: st.st_ino as u64,
            size: st.st_size as u64,
            mtime: (st.st_mtime as i64, st.st_mtime_nsec as i64),
            ctime: (st.st_ctime as i64, st.st_ctime_nsec as i64),
            mode: st.st_mode as u32,
            uid: st.st_uid as u32,
            gid: st.st_gid as u32,
            nlink: st.st_nlink as u64,
        }
    }

    fn ctime(&self) -> SystemTime {
        let (secs, nanos) = self.ctime;
        let since = Duration::new(secs.unsigned_abs(), nanos.clamp(0, 999_999_999) as u32);
        if secs >= 0 {
            SystemTime::UNIX_EPOCH + since
        } else {
            SystemTime::UNIX_EPOCH - since
        }
    }
}

/// File timestamps tick coarsely: the kernel's clock by up to 10 ms, and some filesystems
/// store whole seconds (ext3) or even seconds (FAT). A file changed within a tick of its
/// previous change can keep the same stamp, so a stamp that recent at the time of reading
/// cannot vouch for the content: such a file is compared byte for byte (the "racy" case
/// that git handles the same way). Three seconds covers FAT's two with room to spare.
const RACY: Duration = Duration::from_secs(3);

impl Snapshot {
    /// Reads the whole file at `path` (following a symbolic link), if it is a regular file
    /// of at most `max_bytes`. A FIFO or device is refused before any read: it is opened
    /// without blocking, so a FIFO with no writer cannot hang the run.
    pub fn read(path: &Path, max_bytes: u64) -> std::io::Result<Snapshot> {
        let read_at = SystemTime::now();
        let file = open_regular(path)?;
        // The stamp is taken before the bytes: a change during the read moves the ctime.
        #[cfg(target_os = "linux")]
        let stamp = Stamp::from_stat(&rustix::fs::fstat(&file)?);
        #[cfg(not(target_os = "linux"))]
        let stamp = Stamp::of(&file.metadata()?);
        if stamp.size > max_bytes {
            return Err(too_large(stamp.size, max_bytes));
        }
        let bytes = read_bounded(&file, stamp.size, max_bytes)?;
        Ok(Snapshot {
            bytes,
            xattrs: xattrs(&file)?,
            stamp,
            read_at,
        })
    }

    /// Why this file may not be replaced at all, whatever its content: see the module doc.
    fn refusal(&self) -> Option<WriteError> {
        if self.stamp.nlink > 1 {
            return Some(WriteError::HardLinked(self.stamp.nlink));
        }
        if cfg!(unix) && self.stamp.mode & 0o200 == 0 {
            return Some(WriteError::ReadOnly(self.stamp.mode & 0o7777));
        }
        None
    }

    /// Whether `stamp`, of the file found where this one was, is still the version read
    /// (`renamed`: it was moved since, which changes its ctime and nothing else).
    fn matches(&self, stamp: &Stamp, renamed: bool) -> bool {
        if renamed {
            let key = |s: &Stamp| (s.dev, s.ino, s.size, s.mtime, s.mode, s.uid, s.gid, s.nlink);
            key(stamp) == key(&self.stamp)
        } else {
            *stamp == self.stamp
        }
    }

    /// Whether a stamp alone cannot vouch for the content (see [`RACY`]).
    fn racy(&self) -> bool {
        self.read_at
            .duration_since(self.stamp.ctime())
            .is_ok_and(|age| age < RACY)
    }
}

/// Opens `path` for reading if it is a regular file. On Unix without blocking: opening a
/// FIFO for reading otherwise waits for a writer.
fn open_regular(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let flags = rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOCTTY;
        options.custom_flags(flags.bits() as i32);
    }
    let file = options.open(path)?;
    let kind = file.metadata()?.file_type();
    if !kind.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "is not a regular file (a FIFO, socket or device); not read",
        ));
    }
    Ok(file)
}

fn too_large(size: u64, max: u64) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::FileTooLarge,
        format!(
            "is {size} bytes, over the {max} bytes a post may have to be rewritten \
             (`[limits] max-front-matter-bytes` plus 128 MiB of body)"
        ),
    )
}

/// The file's bytes, `size` expected: read into a buffer one byte larger (`read_to_end`
/// asks for the size and position again, two more system calls per post), never past
/// `max` (a file that grows while it is read).
fn read_bounded(mut file: &File, size: u64, max: u64) -> std::io::Result<Vec<u8>> {
    let cap = usize::try_from(max.saturating_add(1)).unwrap_or(usize::MAX);
    let mut bytes = vec![
        0;
        usize::try_from(size)
            .unwrap_or(0)
            .saturating_add(1)
            .min(cap)
    ];
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            if filled >= cap {
                return Err(too_large(filled as u64, max));
            }
            bytes.resize(filled.saturating_mul(2).min(cap), 0);
        }
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

/// Every extended attribute of `file`, names with values: one `flistxattr` when there are
/// none, as for nearly every post. A filesystem without them has none.
#[cfg(target_os = "linux")]
fn xattrs(file: &File) -> std::io::Result<Vec<(Vec<u8>, Vec<u8>)>> {
    use rustix::io::Errno;
    let mut names = [0u8; 1024];
    let len = match rustix::fs::flistxattr(file, &mut names[..]) {
        Ok(n) => n,
        Err(e) if e == Errno::NOTSUP => 0,
        Err(e) if e == Errno::RANGE => {
            return Err(std::io::Error::other("has too many extended attributes"));
        }
        Err(e) => return Err(e.into()),
    };
    let mut all = Vec::new();
    for name in names[..len].split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let mut value = vec![0u8; 64 * 1024];
        let name_c = std::ffi::CString::new(name).map_err(std::io::Error::other)?;
        let n = rustix::fs::fgetxattr(file, name_c.as_c_str(), &mut value[..])?;
        value.truncate(n);
        all.push((name.to_vec(), value));
    }
    Ok(all)
}

#[cfg(not(target_os = "linux"))]
fn xattrs(_file: &File) -> std::io::Result<Vec<(Vec<u8>, Vec<u8>)>> {
    Ok(Vec::new())
}

/// Replaces files, each durably (fsynced before its rename) unless told otherwise. The
/// folders written into are fsynced once each by [`Writer::finish`], which makes the renames
/// themselves durable: until then a power loss can only undo a rename, leaving the old file.
#[derive(Debug)]
pub struct Writer {
    fsync: bool,
    dirs: Mutex<HashSet<PathBuf>>,
    /// Folders whose leftovers were looked for in this run.
    swept: Mutex<HashSet<PathBuf>>,
}

impl Writer {
    pub fn new(fsync: bool) -> Self {
        Writer {
            fsync,
            dirs: Mutex::new(HashSet::new()),
            swept: Mutex::new(HashSet::new()),
        }
    }

    /// Replaces the file at `path`, read as `snapshot`, with `new`.
    pub fn replace(&self, path: &Path, snapshot: &Snapshot, new: &[u8]) -> Result<(), WriteError> {
        let item = Replacement {
            path,
            snapshot,
            new,
        };
        let mut results = self.replace_all(&[item]);
        results.pop().unwrap_or(Ok(()))
    }

    /// Replaces a batch of files; one result per item, in order. Every new content is
    /// written first, then all are made durable together, then each is renamed into place.
    /// On Linux "together" is one `syncfs` per filesystem: a flush per file costs a journal
    /// commit per file, a flush per batch one per batch. Open temporary files are held
    /// until the renames, one per item: keep batches small (tens of files).
    pub fn replace_all(&self, items: &[Replacement<'_>]) -> Vec<Result<(), WriteError>> {
        let flush_together = self.fsync && cfg!(target_os = "linux");
        // The batch's files are nearly always in one folder, opened (and locked) once.
        let mut folders: Vec<(&Path, Result<Folder<'_>, std::io::Error>)> = Vec::new();
        let mut folder_of = Vec::with_capacity(items.len());
        for item in items {
            let dir = parent(item.path);
            let index = match folders.iter().position(|(d, _)| *d == dir) {
                Some(i) => i,
                None => {
                    folders.push((dir, self.open_folder(dir)));
                    folders.len() - 1
                }
            };
            folder_of.push(index);
        }
        let folder = |i: usize| -> Result<&Folder<'_>, WriteError> {
            folders[folder_of[i]]
                .1
                .as_ref()
                .map_err(|e| WriteError::Io(std::io::Error::new(e.kind(), e.to_string())))
        };
        let mut temps: Vec<Result<Temp, WriteError>> = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                if let Some(refusal) = item.snapshot.refusal() {
                    return Err(refusal);
                }
                let fsync_each = self.fsync && !flush_together;
                Temp::write(folder(i)?, Some(item.snapshot), item.new, fsync_each)
            })
            .collect();
        #[cfg(target_os = "linux")]
        if flush_together {
            flush_filesystems(items, &mut temps);
        }
        temps
            .into_iter()
            .zip(items)
            .enumerate()
            .map(|(i, (temp, item))| {
                let folder = folder(i)?;
                temp?.install(folder, item.path, Install::Replace(item.snapshot))?;
                if self.fsync {
                    let mut dirs = self.dirs.lock().unwrap_or_else(|p| p.into_inner());
                    if !dirs.contains(folder.path) {
                        dirs.insert(folder.path.to_path_buf());
                    }
                }
                Ok(())
            })
            .collect()
    }

    /// Opens a folder to write into, the first time in this run sweeping it of leftovers.
    fn open_folder<'p>(&self, dir: &'p Path) -> std::io::Result<Folder<'p>> {
        let mut swept = self.swept.lock().unwrap_or_else(|p| p.into_inner());
        let sweep = !swept.contains(dir);
        let folder = Folder::open(dir, sweep)?;
        if sweep {
            swept.insert(dir.to_path_buf());
        }
        Ok(folder)
    }

    /// Fsyncs every folder a file was replaced in; the first failure is returned, after
    /// trying them all.
    pub fn finish(self) -> std::io::Result<()> {
        let dirs = self.dirs.into_inner().unwrap_or_else(|p| p.into_inner());
        let mut first = Ok(());
        for dir in dirs {
            if let Err(e) = sync_dir(&dir)
                && first.is_ok()
            {
                first = Err(std::io::Error::new(
                    e.kind(),
                    format!("cannot sync the folder {}: {e}", dir.display()),
                ));
            }
        }
        first
    }
}

/// One file for [`Writer::replace_all`].
#[derive(Debug, Clone, Copy)]
pub struct Replacement<'a> {
    pub path: &'a Path,
    pub snapshot: &'a Snapshot,
    pub new: &'a [u8],
}

/// `syncfs` once for each filesystem the batch's temporary files are on; a failed flush
/// fails every item on that filesystem (none of them is renamed).
#[cfg(target_os = "linux")]
fn flush_filesystems(items: &[Replacement<'_>], temps: &mut [Result<Temp, WriteError>]) {
    let mut flushed: Vec<u64> = Vec::new();
    for i in 0..temps.len() {
        let dev = items[i].snapshot.stamp.dev;
        if flushed.contains(&dev) {
            continue;
        }
        let Ok(temp) = &temps[i] else {
            continue;
        };
        match rustix::fs::syncfs(temp.file()) {
            Ok(()) => flushed.push(dev),
            Err(e) => {
                for (j, item) in items.iter().enumerate() {
                    if item.snapshot.stamp.dev == dev && temps[j].is_ok() {
                        temps[j] = Err(WriteError::Io(std::io::Error::from(e)));
                    }
                }
                flushed.push(dev);
            }
        }
    }
}

/// Replaces the file at `path`, whose content was `old` when read, with `new`, durably:
/// for single writes (`check --fix`, `init --force`). The same refusals as a batch.
pub fn replace(path: &Path, old: &[u8], new: &[u8]) -> Result<(), WriteError> {
    let snapshot = Snapshot::read(path, old.len() as u64 + 1).map_err(|e| {
        if e.kind() == std::io::ErrorKind::FileTooLarge {
            WriteError::Changed
        } else {
            WriteError::Io(e)
        }
    })?;
    if snapshot.bytes != old {
        return Err(WriteError::Changed);
    }
    let writer = Writer::new(true);
    writer.replace(path, &snapshot, new)?;
    writer.finish()?;
    Ok(())
}

/// Creates the file at `path` with `content`, atomically; fails if it already exists.
pub fn create(path: &Path, content: &[u8]) -> std::io::Result<()> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(already_exists(path));
    }
    let folder = Folder::open(parent(path), false)?;
    let temp = Temp::write(&folder, None, content, true).map_err(into_io)?;
    temp.install(&folder, path, Install::Create)
        .map_err(into_io)?;
    sync_dir(folder.path)
}

fn into_io(e: WriteError) -> std::io::Error {
    match e {
        WriteError::Io(e) => e,
        other => std::io::Error::other(other.to_string()),
    }
}

/// The folder of the files being written. On Linux it is opened once per batch and every
/// call on its files names them relative to it: the kernel does not walk the folder's
/// whole path again, five times per post, which cost a tenth of a migration in a folder
/// six levels deep. While it is open it holds a shared `flock`, which tells another fmx
/// that the `.fmx-*.tmp` names in it may be in use.
struct Folder<'a> {
    path: &'a Path,
    #[cfg(target_os = "linux")]
    fd: rustix::fd::OwnedFd,
}

impl<'a> Folder<'a> {
    fn open(path: &'a Path, sweep: bool) -> std::io::Result<Self> {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{FlockOperation, Mode, OFlags};
            let flags = OFlags::DIRECTORY | OFlags::CLOEXEC;
            // A folder that can be searched but not listed is written without the lock.
            let fd = match rustix::fs::open(path, flags | OFlags::RDONLY, Mode::empty()) {
                Ok(fd) => fd,
                Err(_) => {
                    let fd = rustix::fs::open(path, flags | OFlags::PATH, Mode::empty())?;
                    return Ok(Folder { path, fd });
                }
            };
            if sweep && rustix::fs::flock(&fd, FlockOperation::NonBlockingLockExclusive).is_ok() {
                sweep_leftovers(&fd, path);
            }
            // Turning the exclusive lock into a shared one; a filesystem without `flock`
            // (some network ones) is written without it, and without sweeping.
            let _ = rustix::fs::flock(&fd, FlockOperation::LockShared);
            Ok(Folder { path, fd })
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = sweep;
            Ok(Folder { path })
        }
    }

    /// The stamp of the entry `name`, or `None` if it is a symbolic link.
    fn stamp(&self, name: &OsStr) -> std::io::Result<Option<Stamp>> {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{AtFlags, FileType};
            let st = rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW)?;
            if FileType::from_raw_mode(st.st_mode) == FileType::Symlink {
                return Ok(None);
            }
            Ok(Some(Stamp::from_stat(&st)))
        }
        #[cfg(not(target_os = "linux"))]
        {
            let meta = std::fs::symlink_metadata(self.path.join(name))?;
            Ok((!meta.file_type().is_symlink()).then(|| Stamp::of(&meta)))
        }
    }

    /// Refuses a symbolic link at `name`, and a file that is not the version read.
    fn still_holds(&self, name: &OsStr, snapshot: &Snapshot) -> Result<(), WriteError> {
        let stamp = self.stamp(name)?.ok_or(WriteError::Symlink)?;
        if !snapshot.matches(&stamp, false) {
            return Err(WriteError::Changed);
        }
        if snapshot.racy() && self.read(name, snapshot.bytes.len())? != snapshot.bytes {
            return Err(WriteError::Changed);
        }
        Ok(())
    }

    /// The bytes of `name` (not following a link), `expected` long if unchanged.
    fn read(&self, name: &OsStr, expected: usize) -> std::io::Result<Vec<u8>> {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
            let file = File::from(rustix::fs::openat(&self.fd, name, flags, Mode::empty())?);
            let max = expected as u64 + 1;
            read_bounded(&file, max, max)
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = expected;
            std::fs::read(self.path.join(name))
        }
    }
}

/// Removes what killed runs left in a folder that no other fmx is writing into (the caller
/// holds its exclusive lock): every `.fmx-XXXXXXXXXXXX.tmp`.
#[cfg(target_os = "linux")]
fn sweep_leftovers(dir: &rustix::fd::OwnedFd, path: &Path) {
    let Ok(listing) = std::fs::read_dir(path) else {
        return;
    };
    for entry in listing.flatten() {
        let name = entry.file_name();
        if is_temporary_name(name.as_encoded_bytes()) {
            let _ = rustix::fs::unlinkat(dir, &name, rustix::fs::AtFlags::empty());
        }
    }
}

/// `.fmx-` twelve letters or digits `.tmp`: fmx's temporary names, hidden and with an
/// extension no post has, so no walk takes one for a post.
fn is_temporary_name(name: &[u8]) -> bool {
    name.len() == TEMP_PREFIX.len() + SUFFIX_LEN + TEMP_EXTENSION.len()
        && name.starts_with(TEMP_PREFIX.as_bytes())
        && name.ends_with(TEMP_EXTENSION.as_bytes())
        && name[TEMP_PREFIX.len()..TEMP_PREFIX.len() + SUFFIX_LEN]
            .iter()
            .all(u8::is_ascii_alphanumeric)
}

const TEMP_PREFIX: &str = ".fmx-";
const TEMP_EXTENSION: &str = ".tmp";
const SUFFIX_LEN: usize = 12;

fn temporary_name() -> String {
    format!("{TEMP_PREFIX}{}{TEMP_EXTENSION}", suffix())
}

fn already_exists(path: &Path) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!("{} already exists", path.display()),
    )
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[derive(Clone, Copy)]
enum Install<'s> {
    /// Over the file read as this snapshot.
    Replace(&'s Snapshot),
    /// Fail if the target exists.
    Create,
}

/// New content, written and (if asked) fsynced, not yet under any visible name.
enum Temp {
    #[cfg(target_os = "linux")]
    Unnamed(File),
    Named(tempfile::NamedTempFile),
}

impl Temp {
    /// The new file, with the owner, group, mode and extended attributes of the file read
    /// as `like`.
    fn write(
        folder: &Folder<'_>,
        like: Option<&Snapshot>,
        content: &[u8],
        fsync: bool,
    ) -> Result<Temp, WriteError> {
        let temp = Temp::open(folder)?;
        let file = temp.file();
        if let Some(like) = like {
            keep_owner_and_mode(file, &like.stamp)?;
            keep_xattrs(file, &like.xattrs)?;
        }
        let mut file = file;
        file.write_all(content)?;
        if fsync {
            file.sync_all()?;
        }
        Ok(temp)
    }

    fn open(folder: &Folder<'_>) -> std::io::Result<Temp> {
        #[cfg(target_os = "linux")]
        if proc_fd_links() && !no_tmpfile() {
            use rustix::fs::{Mode, OFlags};
            // The mode is the one a new file gets (a replacement's is then set to the old
            // file's); nobody can open an unnamed file meanwhile.
            match rustix::fs::openat(
                &folder.fd,
                ".",
                OFlags::WRONLY | OFlags::TMPFILE | OFlags::CLOEXEC,
                Mode::from_raw_mode(0o666),
            ) {
                Ok(fd) => return Ok(Temp::Unnamed(File::from(fd))),
                // No O_TMPFILE on this filesystem (or kernel): a hidden name instead.
                Err(e)
                    if e == rustix::io::Errno::OPNOTSUPP
                        || e == rustix::io::Errno::ISDIR
                        || e == rustix::io::Errno::INVAL => {}
                Err(e) => return Err(e.into()),
            }
        }
        let mut builder = tempfile::Builder::new();
        builder
            .prefix(TEMP_PREFIX)
            .suffix(TEMP_EXTENSION)
            .rand_bytes(SUFFIX_LEN);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        builder.tempfile_in(folder.path).map(Temp::Named)
    }

    fn file(&self) -> &File {
        match self {
            #[cfg(target_os = "linux")]
            Temp::Unnamed(f) => f,
            Temp::Named(t) => t.as_file(),
        }
    }

    /// Gives the content `target`'s name: in place of the file read (`Replace`), or only
    /// if no file has that name yet (`Create`). On failure nothing is left behind.
    fn install(
        self,
        folder: &Folder<'_>,
        target: &Path,
        how: Install<'_>,
    ) -> Result<(), WriteError> {
        let snapshot = match how {
            Install::Create => return self.create(folder, target),
            Install::Replace(snapshot) => snapshot,
        };
        let hidden = self.hidden_name(folder)?;
        let hidden = OsStr::new(&hidden);
        let name = target.file_name().unwrap_or_default();
        let done = swap_in(folder, hidden, name, snapshot);
        remove(folder, hidden);
        done
    }

    /// Names the content `target`, failing if that name is taken.
    fn create(self, folder: &Folder<'_>, target: &Path) -> Result<(), WriteError> {
        match self {
            #[cfg(target_os = "linux")]
            Temp::Unnamed(file) => {
                let name = target.file_name().unwrap_or_default();
                link_unnamed(&file, &folder.fd, name).map_err(|e| {
                    if e == rustix::io::Errno::EXIST {
                        WriteError::Io(already_exists(target))
                    } else {
                        WriteError::Io(e.into())
                    }
                })
            }
            Temp::Named(temp) => {
                let _ = folder;
                temp.persist_noclobber(target)
                    .map(drop)
                    .map_err(|e| WriteError::Io(e.error))
            }
        }
    }

    /// A hidden name for the content, to swap from: from here on the caller removes it.
    fn hidden_name(self, folder: &Folder<'_>) -> Result<String, WriteError> {
        match self {
            #[cfg(target_os = "linux")]
            Temp::Unnamed(file) => {
                let mut attempt = 0;
                loop {
                    let candidate = temporary_name();
                    match link_unnamed(&file, &folder.fd, OsStr::new(&candidate)) {
                        Ok(()) => return Ok(candidate),
                        Err(e) if e == rustix::io::Errno::EXIST && attempt < 16 => attempt += 1,
                        Err(e) => return Err(WriteError::Io(e.into())),
                    }
                }
            }
            Temp::Named(temp) => {
                let _ = folder;
                let (_, path) = temp.keep().map_err(|e| WriteError::Io(e.error))?;
                Ok(path
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned())
            }
        }
    }
}

/// Puts the file named `hidden` in place of `name`, if `name` is still the file read as
/// `snapshot`; what is left under `hidden` is for the caller to remove.
fn swap_in(
    folder: &Folder<'_>,
    hidden: &OsStr,
    name: &OsStr,
    snapshot: &Snapshot,
) -> Result<(), WriteError> {
    test_pause();
    #[cfg(target_os = "linux")]
    if !no_exchange() {
        use rustix::fs::{RenameFlags, renameat_with};
        match renameat_with(&folder.fd, hidden, &folder.fd, name, RenameFlags::EXCHANGE) {
            Ok(()) => {
                // The old file is now under `hidden`: was it still the version read?
                let Err(refusal) = swapped_out_is(folder, hidden, snapshot) else {
                    return Ok(());
                };
                renameat_with(&folder.fd, hidden, &folder.fd, name, RenameFlags::EXCHANGE)
                    .map_err(std::io::Error::from)?;
                return Err(refusal);
            }
            Err(e) if e == rustix::io::Errno::NOENT => return Err(WriteError::Changed),
            // No exchange on this filesystem: check, then rename.
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {
                set_no_exchange();
            }
            Err(e) => return Err(WriteError::Io(e.into())),
        }
    }
    folder.still_holds(name, snapshot)?;
    rename(folder, hidden, name)?;
    Ok(())
}

/// Whether the file under `hidden`, just swapped out of the post's name, is the version
/// read: the same inode, size, mtime, owner and mode (the swap itself moved its ctime),
/// and the same bytes if its stamp was too recent to vouch for them.
fn swapped_out_is(
    folder: &Folder<'_>,
    hidden: &OsStr,
    snapshot: &Snapshot,
) -> Result<(), WriteError> {
    let stamp = folder.stamp(hidden)?.ok_or(WriteError::Symlink)?;
    let same = snapshot.matches(&stamp, true)
        && (!snapshot.racy()
            || folder
                .read(hidden, snapshot.bytes.len())
                .is_ok_and(|bytes| bytes == snapshot.bytes));
    if same {
        Ok(())
    } else {
        Err(WriteError::Changed)
    }
}

fn rename(folder: &Folder<'_>, from: &OsStr, to: &OsStr) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        rustix::fs::renameat(&folder.fd, from, &folder.fd, to).map_err(Into::into)
    }
    #[cfg(not(target_os = "linux"))]
    {
        std::fs::rename(folder.path.join(from), folder.path.join(to))
    }
}

fn remove(folder: &Folder<'_>, name: &OsStr) {
    #[cfg(target_os = "linux")]
    let _ = rustix::fs::unlinkat(&folder.fd, name, rustix::fs::AtFlags::empty());
    #[cfg(not(target_os = "linux"))]
    let _ = std::fs::remove_file(folder.path.join(name));
}

/// Test-only knobs, read once, compiled into debug builds only: `FMX_TEST_PAUSE_BEFORE_SWAP_MS`
/// holds each write between its temporary name and the swap, so that a test can change
/// the post in that window; `FMX_TEST_NO_TMPFILE` and `FMX_TEST_NO_EXCHANGE` take the
/// fallback paths of systems without `O_TMPFILE` or `RENAME_EXCHANGE`.
fn test_knob(name: &str) -> Option<u64> {
    if !cfg!(debug_assertions) {
        return None;
    }
    std::env::var(name).ok()?.parse().ok()
}

fn test_pause() {
    static PAUSE: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();
    if let Some(ms) = *PAUSE.get_or_init(|| test_knob("FMX_TEST_PAUSE_BEFORE_SWAP_MS")) {
        std::thread::sleep(Duration::from_millis(ms));
    }
}

#[cfg(target_os = "linux")]
fn no_tmpfile() -> bool {
    static NO: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *NO.get_or_init(|| test_knob("FMX_TEST_NO_TMPFILE").is_some())
}

#[cfg(target_os = "linux")]
static NO_EXCHANGE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

#[cfg(target_os = "linux")]
fn no_exchange() -> bool {
    static KNOB: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    NO_EXCHANGE.load(std::sync::atomic::Ordering::Relaxed)
        || *KNOB.get_or_init(|| test_knob("FMX_TEST_NO_EXCHANGE").is_some())
}

#[cfg(target_os = "linux")]
fn set_no_exchange() {
    NO_EXCHANGE.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Gives the unnamed `file` the name `to`. `AT_EMPTY_PATH` needs a capability (or a recent
/// kernel); without it, the file's `/proc/self/fd` link, which costs a procfs lookup.
#[cfg(target_os = "linux")]
fn link_unnamed(file: &File, dir: &rustix::fd::OwnedFd, to: &OsStr) -> rustix::io::Result<()> {
    use rustix::fs::{AtFlags, CWD, linkat};
    use std::os::fd::AsRawFd;
    use std::sync::atomic::{AtomicBool, Ordering};
    static EMPTY_PATH_REFUSED: AtomicBool = AtomicBool::new(false);
    if !EMPTY_PATH_REFUSED.load(Ordering::Relaxed) {
        match linkat(file, "", dir, to, AtFlags::EMPTY_PATH) {
            Err(e) if e == rustix::io::Errno::NOENT || e == rustix::io::Errno::PERM => {
                EMPTY_PATH_REFUSED.store(true, Ordering::Relaxed);
            }
            done => return done,
        }
    }
    let proc_path = format!("/proc/self/fd/{}", file.as_raw_fd());
    linkat(CWD, proc_path.as_str(), dir, to, AtFlags::SYMLINK_FOLLOW)
}

/// The owner first: changing it can clear set-user-ID bits that the mode then restores.
/// Only a privileged process may give a file away: a user other than the post's owner
/// (or not in its group) cannot keep them, and the post is refused rather than silently
/// taken over.
#[cfg(unix)]
fn keep_owner_and_mode(file: &File, stamp: &Stamp) -> Result<(), WriteError> {
    use std::os::unix::fs::PermissionsExt;
    if let Err(e) = std::os::unix::fs::fchown(file, Some(stamp.uid), None) {
        return Err(WriteError::Keep {
            what: "owner",
            value: format!("uid {}", stamp.uid),
            source: e,
        });
    }
    if let Err(e) = std::os::unix::fs::fchown(file, None, Some(stamp.gid)) {
        return Err(WriteError::Keep {
            what: "group",
            value: format!("gid {}", stamp.gid),
            source: e,
        });
    }
    let mode = stamp.mode & 0o7777;
    // A new file already has the usual mode; setting it again is a system call per post.
    if umask().is_some_and(|mask| mode == 0o666 & !mask) {
        return Ok(());
    }
    file.set_permissions(std::fs::Permissions::from_mode(mode))?;
    Ok(())
}

/// Extended attributes (ACLs are `system.posix_acl_*`), after the mode, which would
/// otherwise reset an ACL's mask.
#[cfg(target_os = "linux")]
fn keep_xattrs(file: &File, xattrs: &[(Vec<u8>, Vec<u8>)]) -> Result<(), WriteError> {
    for (name, value) in xattrs {
        let shown = String::from_utf8_lossy(name).into_owned();
        let set = std::ffi::CString::new(name.as_slice())
            .map_err(std::io::Error::other)
            .and_then(|c| {
                rustix::fs::fsetxattr(file, c.as_c_str(), value, rustix::fs::XattrFlags::empty())
                    .map_err(Into::into)
            });
        if let Err(source) = set {
            return Err(WriteError::Keep {
                what: "extended attribute",
                value: shown,
                source,
            });
        }
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn keep_xattrs(_file: &File, _xattrs: &[(Vec<u8>, Vec<u8>)]) -> Result<(), WriteError> {
    Ok(())
}

/// The process's umask, which gave the temporary file its mode (Linux shows it in
/// `/proc/self/status`; reading it elsewhere would mean changing it).
#[cfg(unix)]
fn umask() -> Option<u32> {
    static UMASK: std::sync::OnceLock<Option<u32>> = std::sync::OnceLock::new();
    *UMASK.get_or_init(|| {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find_map(|l| l.strip_prefix("Umask:"))?;
        u32::from_str_radix(line.trim(), 8).ok()
    })
}

#[cfg(not(unix))]
fn keep_owner_and_mode(file: &File, stamp: &Stamp) -> Result<(), WriteError> {
    let mut permissions = file.metadata()?.permissions();
    permissions.set_readonly(stamp.mode != 0);
    file.set_permissions(permissions)?;
    Ok(())
}

/// An unnamed file gets its name through its `/proc/self/fd` link, which a sandbox without
/// `/proc` lacks.
#[cfg(target_os = "linux")]
fn proc_fd_links() -> bool {
    static HAS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *HAS.get_or_init(|| Path::new("/proc/self/fd").is_dir())
}

/// Twelve random letters and digits.
fn suffix() -> String {
    use std::cell::Cell;
    use std::hash::{BuildHasher, Hasher};
    thread_local! {
        static STATE: Cell<u64> = Cell::new({
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u32(std::process::id());
            h.finish()
        });
    }
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    // splitmix64: cheap, and a different sequence in every thread of every process; six
    // letters from each of two draws.
    let draw = || {
        let mut z = STATE.with(|s| {
            let next = s.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
            s.set(next);
            next
        });
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let (a, b) = (draw(), draw());
    (0..SUFFIX_LEN)
        .map(|i| {
            let z = if i < 6 { a } else { b };
            char::from(ALPHABET[((z >> ((i % 6) * 10)) % 62) as usize])
        })
        .collect()
}

#[cfg(all(test, target_os = "linux"))]
#[allow(clippy::disallowed_methods)] // the tests make their files with std::fs::write
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_replaces_its_file_and_keeps_the_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("post.md");
        std::fs::write(&path, "---\ntitle: a\n---\nbody").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        let snapshot = Snapshot::read(&path, 1 << 20).unwrap();
        let writer = Writer::new(true);
        writer
            .replace(&path, &snapshot, b"+++\ntitle = \"a\"\n+++\nbody")
            .unwrap();
        writer.finish().unwrap();
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"+++\ntitle = \"a\"\n+++\nbody"
        );
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o640);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "a temporary file was left: {names:?}");
    }

    #[test]
    fn a_batch_writes_every_file_but_the_one_changed_since_it_was_read() {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = (0..5)
            .map(|i| dir.path().join(format!("p{i}.md")))
            .collect();
        for p in &paths {
            std::fs::write(p, "---\ntitle: a\n---\n").unwrap();
        }
        let snapshots: Vec<Snapshot> = paths
            .iter()
            .map(|p| Snapshot::read(p, 1 << 20).unwrap())
            .collect();
        std::fs::write(&paths[2], "---\ntitle: changed\n---\n").unwrap();
        let items: Vec<Replacement<'_>> = paths
            .iter()
            .zip(&snapshots)
            .map(|(path, snapshot)| Replacement {
                path,
                snapshot,
                new: b"+++\ntitle = \"a\"\n+++\n",
            })
            .collect();
        let writer = Writer::new(true);
        let results = writer.replace_all(&items);
        writer.finish().unwrap();
        for (i, (path, result)) in paths.iter().zip(&results).enumerate() {
            let now = std::fs::read_to_string(path).unwrap();
            if i == 2 {
                assert!(matches!(result, Err(WriteError::Changed)), "{result:?}");
                assert_eq!(now, "---\ntitle: changed\n---\n");
            } else {
                assert!(result.is_ok(), "{i}: {result:?}");
                assert_eq!(now, "+++\ntitle = \"a\"\n+++\n");
            }
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 5);
    }

    #[test]
    fn a_file_rewritten_after_the_snapshot_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("post.md");
        std::fs::write(&path, "---\ntitle: a\n---\n").unwrap();
        let snapshot = Snapshot::read(&path, 1 << 20).unwrap();
        // Same size, within the same clock tick: only the bytes tell (the racy case).
        std::fs::write(&path, "---\ntitle: b\n---\n").unwrap();
        let err = Writer::new(false)
            .replace(&path, &snapshot, b"+++\n+++\n")
            .unwrap_err();
        assert!(matches!(err, WriteError::Changed), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"---\ntitle: b\n---\n");
    }

    #[test]
    fn a_file_replaced_by_another_after_the_snapshot_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("post.md");
        std::fs::write(&path, "---\ntitle: a\n---\n").unwrap();
        let snapshot = Snapshot::read(&path, 1 << 20).unwrap();
        let other = dir.path().join("other.md");
        std::fs::write(&other, "---\ntitle: a\n---\n").unwrap();
        std::fs::rename(&other, &path).unwrap();
        let err = Writer::new(true)
            .replace(&path, &snapshot, b"+++\n+++\n")
            .unwrap_err();
        assert!(matches!(err, WriteError::Changed), "{err}");
    }

    #[test]
    fn an_old_stamp_alone_vouches_for_the_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("post.md");
        std::fs::write(&path, "---\ntitle: a\n---\n").unwrap();
        let mut snapshot = Snapshot::read(&path, 1 << 20).unwrap();
        // Read well after the last change: the bytes are not read again, so a snapshot
        // whose bytes differ (which a real read cannot give) still writes.
        snapshot.read_at += RACY + Duration::from_secs(1);
        snapshot.bytes = b"not what is on disk".to_vec();
        Writer::new(false)
            .replace(&path, &snapshot, b"+++\n+++\n")
            .unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"+++\n+++\n");
    }

    #[test]
    fn create_refuses_an_existing_file_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fmx.toml");
        create(&path, b"a = 1\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"a = 1\n");
        let err = create(&path, b"b = 2\n").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).unwrap(), b"a = 1\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn hidden_names_are_six_letters_or_digits_and_differ() {
        let a = suffix();
        let b = suffix();
        assert_eq!(a.len(), SUFFIX_LEN);
        assert!(is_temporary_name(temporary_name().as_bytes()));
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()), "{a}");
        assert_ne!(a, b);
    }
}
