//! The only code that writes post files.
//!
//! A write goes to a temporary file in the target's folder (on Linux an unnamed `O_TMPFILE`,
//! so a killed process leaves no half-written file; elsewhere a hidden `.NAME.XXXXXX`), is
//! flushed to disk, and then takes the target's name in one rename: a process killed at any
//! point leaves the old file or the complete new one, never a half-written post. The mode and,
//! where permitted, the owner are kept. What can still go wrong: the folder may not be
//! writable (error, file untouched); the file may have been changed by someone else since
//! it was read (detected just before the rename: refused, file untouched); a symbolic link
//! is never replaced (refused).
//!
//! This used to be the atomic-write-file crate. Over 100k posts its sequence (a folder
//! opened and fsynced per file, the target read again to compare, a second `fdatasync`)
//! cost about 27 system calls per post and made the kernel, not fmx, most of a migration's
//! time; this one makes about 13, flushes a batch of files at once, fsyncs each folder once
//! after all its files, and compares the target's identity (device, inode, size, mtime,
//! ctime) instead of its bytes.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("is a symbolic link; convert the file it points to instead")]
    Symlink,
    #[error("changed on disk since it was read; not overwritten")]
    Changed,
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// A file as read for a later [`Writer::replace`]: its bytes and what identifies this
/// version of it on disk.
#[derive(Debug)]
pub struct Snapshot {
    pub bytes: Vec<u8>,
    stamp: Stamp,
    read_at: SystemTime,
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
    /// Reads the whole file at `path` (following a symbolic link).
    pub fn read(path: &Path) -> std::io::Result<Snapshot> {
        let read_at = SystemTime::now();
        let mut file = File::open(path)?;
        // The stamp is taken before the bytes: a change during the read moves the ctime.
        // On Linux every stamp comes from rustix, so that all of them encode alike.
        #[cfg(target_os = "linux")]
        let stamp = Stamp::from_stat(&rustix::fs::fstat(&file)?);
        #[cfg(not(target_os = "linux"))]
        let stamp = Stamp::of(&file.metadata()?);
        // `read_to_end` on a `File` asks for its size and position again (two more system
        // calls per post); the size is known, so read into a buffer one byte larger.
        let mut bytes = vec![0; usize::try_from(stamp.size).unwrap_or(0) + 1];
        let mut filled = 0;
        loop {
            if filled == bytes.len() {
                bytes.resize(filled * 2, 0);
            }
            match file.read(&mut bytes[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        bytes.truncate(filled);
        Ok(Snapshot {
            bytes,
            stamp,
            read_at,
        })
    }

    /// Refuses a symbolic link at `path` (named `name` in `folder`), and a file that is not
    /// the version read.
    fn still_at(&self, folder: &Folder<'_>, name: &OsStr, path: &Path) -> Result<(), WriteError> {
        let stamp = folder.stamp(name)?.ok_or(WriteError::Symlink)?;
        if stamp != self.stamp {
            return Err(WriteError::Changed);
        }
        let racy = self
            .read_at
            .duration_since(self.stamp.ctime())
            .is_ok_and(|age| age < RACY);
        if racy && std::fs::read(path)? != self.bytes {
            return Err(WriteError::Changed);
        }
        Ok(())
    }
}

/// Replaces files, each durably (fsynced before its rename) unless told otherwise. The
/// folders written into are fsynced once each by [`Writer::finish`], which makes the renames
/// themselves durable: until then a power loss can only undo a rename, leaving the old file.
#[derive(Debug)]
pub struct Writer {
    fsync: bool,
    dirs: Mutex<HashSet<PathBuf>>,
}

impl Writer {
    pub fn new(fsync: bool) -> Self {
        Writer {
            fsync,
            dirs: Mutex::new(HashSet::new()),
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
        // The batch's files are nearly always in one folder, opened once.
        let mut folders: Vec<(&Path, Result<Folder<'_>, std::io::Error>)> = Vec::new();
        let mut folder_of = Vec::with_capacity(items.len());
        for item in items {
            let dir = parent(item.path);
            let index = match folders.iter().position(|(d, _)| *d == dir) {
                Some(i) => i,
                None => {
                    folders.push((dir, Folder::open(dir)));
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
                let fsync_each = self.fsync && !flush_together;
                Ok(Temp::write(
                    folder(i)?,
                    item.path,
                    Some(&item.snapshot.stamp),
                    item.new,
                    fsync_each,
                )?)
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
                let temp = temp?;
                let folder = folder(i)?;
                let name = item.path.file_name().unwrap_or_default();
                item.snapshot.still_at(folder, name, item.path)?;
                temp.install(folder, item.path, Install::Replace)?;
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
/// for single writes (`check --fix`, `init --force`), where the bytes are compared.
pub fn replace(path: &Path, old: &[u8], new: &[u8]) -> Result<(), WriteError> {
    let folder = Folder::open(parent(path))?;
    let name = path.file_name().unwrap_or_default();
    let stamp = folder.stamp(name)?.ok_or(WriteError::Symlink)?;
    let temp = Temp::write(&folder, path, Some(&stamp), new, true)?;
    if std::fs::read(path)? != old {
        return Err(WriteError::Changed);
    }
    temp.install(&folder, path, Install::Replace)?;
    sync_dir(folder.path)?;
    Ok(())
}

/// Creates the file at `path` with `content`, atomically; fails if it already exists.
pub fn create(path: &Path, content: &[u8]) -> std::io::Result<()> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(already_exists(path));
    }
    let folder = Folder::open(parent(path))?;
    let temp = Temp::write(&folder, path, None, content, true)?;
    temp.install(&folder, path, Install::Create)?;
    sync_dir(folder.path)
}

/// The folder of the files being written. On Linux it is opened once (`O_PATH`) and every
/// call on its files names them relative to it: the kernel does not walk the folder's
/// whole path again, five times per post, which cost a tenth of a migration in a folder
/// six levels deep.
struct Folder<'a> {
    path: &'a Path,
    #[cfg(target_os = "linux")]
    fd: rustix::fd::OwnedFd,
}

impl<'a> Folder<'a> {
    fn open(path: &'a Path) -> std::io::Result<Self> {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{Mode, OFlags};
            let fd = rustix::fs::open(
                path,
                OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            Ok(Folder { path, fd })
        }
        #[cfg(not(target_os = "linux"))]
        Ok(Folder { path })
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Install {
    Replace,
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
    fn write(
        folder: &Folder<'_>,
        target: &Path,
        stamp: Option<&Stamp>,
        content: &[u8],
        fsync: bool,
    ) -> std::io::Result<Temp> {
        let temp = Temp::open(folder, target)?;
        let file = temp.file();
        if let Some(stamp) = stamp {
            keep_owner_and_mode(file, stamp)?;
        }
        let mut file = file;
        file.write_all(content)?;
        if fsync {
            file.sync_all()?;
        }
        Ok(temp)
    }

    fn open(folder: &Folder<'_>, target: &Path) -> std::io::Result<Temp> {
        #[cfg(target_os = "linux")]
        if proc_fd_links() {
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
        #[cfg(unix)]
        let permissions = {
            use std::os::unix::fs::PermissionsExt;
            Some(std::fs::Permissions::from_mode(0o666))
        };
        #[cfg(not(unix))]
        let permissions = None;
        let prefix = hidden_prefix(target);
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).rand_bytes(6);
        if let Some(p) = permissions {
            builder.permissions(p);
        }
        Ok(Temp::Named(builder.tempfile_in(folder.path)?))
    }

    fn file(&self) -> &File {
        match self {
            #[cfg(target_os = "linux")]
            Temp::Unnamed(f) => f,
            Temp::Named(t) => t.as_file(),
        }
    }

    /// Gives the content `target`'s name: by a rename over it, or (`Create`) only if no
    /// file has that name yet. On failure nothing is left behind.
    fn install(self, folder: &Folder<'_>, target: &Path, how: Install) -> std::io::Result<()> {
        match self {
            #[cfg(target_os = "linux")]
            Temp::Unnamed(file) => {
                let name = target.file_name().unwrap_or_default();
                let link = |to: &OsStr| link_unnamed(&file, &folder.fd, to);
                if how == Install::Create {
                    return link(name).map_err(|e| {
                        if e == rustix::io::Errno::EXIST {
                            already_exists(target)
                        } else {
                            e.into()
                        }
                    });
                }
                // A name is needed to rename from: a hidden one, never taken for a post.
                let mut attempt = 0;
                let hidden = loop {
                    let candidate = format!("{}{}", hidden_prefix(target), suffix());
                    match link(OsStr::new(&candidate)) {
                        Ok(()) => break candidate,
                        Err(e) if e == rustix::io::Errno::EXIST && attempt < 16 => attempt += 1,
                        Err(e) => return Err(e.into()),
                    }
                };
                if let Err(e) = rustix::fs::renameat(&folder.fd, &hidden, &folder.fd, name) {
                    let _ = rustix::fs::unlinkat(&folder.fd, &hidden, rustix::fs::AtFlags::empty());
                    return Err(e.into());
                }
                Ok(())
            }
            Temp::Named(temp) => {
                let done = match how {
                    Install::Replace => temp.persist(target),
                    Install::Create => temp.persist_noclobber(target),
                };
                // A failed persist hands the temporary file back; dropping it removes it.
                done.map(drop).map_err(|e| e.error)
            }
        }
    }
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
#[cfg(unix)]
fn keep_owner_and_mode(file: &File, stamp: &Stamp) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    // Only a privileged process may give a file away; otherwise it is ours, as when any
    // editor saves it.
    if let Err(e) = std::os::unix::fs::fchown(file, Some(stamp.uid), Some(stamp.gid))
        && e.kind() != std::io::ErrorKind::PermissionDenied
    {
        return Err(e);
    }
    let mode = stamp.mode & 0o7777;
    // A new file already has the usual mode; setting it again is a system call per post.
    if umask().is_some_and(|mask| mode == 0o666 & !mask) {
        return Ok(());
    }
    file.set_permissions(std::fs::Permissions::from_mode(mode))
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
fn keep_owner_and_mode(file: &File, stamp: &Stamp) -> std::io::Result<()> {
    let mut permissions = file.metadata()?.permissions();
    permissions.set_readonly(stamp.mode != 0);
    file.set_permissions(permissions)
}

/// An unnamed file gets its name through its `/proc/self/fd` link, which a sandbox without
/// `/proc` lacks.
#[cfg(target_os = "linux")]
fn proc_fd_links() -> bool {
    static HAS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *HAS.get_or_init(|| Path::new("/proc/self/fd").is_dir())
}

/// `.NAME.`: hidden, and what follows the last dot is a random suffix, not a post's
/// extension, so no walker takes a leftover for a post.
fn hidden_prefix(target: &Path) -> String {
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    format!(".{name}.")
}

/// Six random letters and digits.
#[cfg(target_os = "linux")]
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
    // splitmix64: cheap, and a different sequence in every thread of every process.
    let mut z = STATE.with(|s| {
        let next = s.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
        s.set(next);
        next
    });
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (0..6)
        .map(|i| char::from(ALPHABET[((z >> (i * 10)) % 62) as usize]))
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
        let snapshot = Snapshot::read(&path).unwrap();
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
        let snapshots: Vec<Snapshot> = paths.iter().map(|p| Snapshot::read(p).unwrap()).collect();
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
        let snapshot = Snapshot::read(&path).unwrap();
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
        let snapshot = Snapshot::read(&path).unwrap();
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
        let mut snapshot = Snapshot::read(&path).unwrap();
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
        assert_eq!(a.len(), 6);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()), "{a}");
        assert_ne!(a, b);
    }
}
