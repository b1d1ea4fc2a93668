//! Paths, folders and stdin → the posts to process, in path order or as found.
//!
//! Folders are walked recursively, honouring `.gitignore`/`.ignore` (also outside a git
//! repository) and skipping hidden paths; only regular files with a post extension are
//! taken. A symbolic link met while walking is not followed (neither to a folder nor to a
//! file: a link can point outside the tree); a path given explicitly is followed, as
//! ripgrep does. A walked entry with a post extension that is not a regular file (a FIFO,
//! a socket, a device) and such a path given explicitly become an [`Input::Unreadable`],
//! never opened. `exclude` patterns (gitignore-style) apply to walked paths; a path given
//! explicitly is always processed. A path argument that does not exist is an error (exit
//! 2); a folder that cannot be read while walking becomes an [`Input::Unreadable`] and the
//! walk goes on.
//!
//! A file's identity is its OS path (a leading `./` aside), never its display form, which
//! escapes what a terminal cannot show safely (see [`display`]).

#[cfg(test)]
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    File { display: String, path: PathBuf },
    Stdin { display: String },
    Unreadable { display: String, message: String },
}

impl Input {
    pub fn display(&self) -> &str {
        match self {
            Input::File { display, .. }
            | Input::Stdin { display }
            | Input::Unreadable { display, .. } => display,
        }
    }

    fn file(path: PathBuf) -> Input {
        Input::File {
            display: display(&path),
            path,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("{0}: no such file or directory")]
    Missing(String),
    #[error("bad exclude pattern `{pattern}`: {message}")]
    BadPattern { pattern: String, message: String },
    #[error("cannot start the worker threads: {0}")]
    Threads(String),
}

/// What to walk and what to leave out.
pub struct Walker {
    extensions: Vec<String>,
    excludes: Vec<Gitignore>,
    cwd: PathBuf,
}

impl Walker {
    /// `config_excludes` are relative to `config_root`, `cli_excludes` to `cwd`.
    pub fn new(
        extensions: &[String],
        config_root: &Path,
        config_excludes: &[String],
        cwd: &Path,
        cli_excludes: &[String],
    ) -> Result<Walker, WalkError> {
        let mut excludes = Vec::new();
        for (root, patterns) in [(config_root, config_excludes), (cwd, cli_excludes)] {
            if patterns.is_empty() {
                continue;
            }
            let mut builder = GitignoreBuilder::new(absolute(cwd, root));
            for p in patterns {
                builder
                    .add_line(None, p)
                    .map_err(|e| WalkError::BadPattern {
                        pattern: p.clone(),
                        message: e.to_string(),
                    })?;
            }
            excludes.push(builder.build().map_err(|e| WalkError::BadPattern {
                pattern: patterns.join(", "),
                message: e.to_string(),
            })?);
        }
        Ok(Walker {
            extensions: extensions
                .iter()
                .map(|e| e.trim_start_matches('.').to_ascii_lowercase())
                .collect(),
            excludes,
            cwd: cwd.to_path_buf(),
        })
    }

    /// The inputs for `paths` (`.` when empty), in path order, each once.
    pub fn collect(
        &self,
        paths: &[PathBuf],
        stdin_name: Option<&str>,
    ) -> Result<Vec<Input>, WalkError> {
        let mut windows = self.sorted_windows(paths, usize::MAX)?;
        if let Some(name) = stdin_name {
            windows.stdin_name = name.to_string();
        }
        Ok(windows
            .next_window()
            .map(|w| w.slice(0, w.len()))
            .unwrap_or_default())
    }

    /// The inputs of [`Walker::collect`], in its order, a window of at most `window` at a
    /// time, from one walk: each folder's entries are read and sorted as the walk enters
    /// it, so memory holds the folders on the current path and one window, and the time
    /// is linear in the archive.
    pub fn sorted_windows<'w>(
        &'w self,
        paths: &[PathBuf],
        window: usize,
    ) -> Result<SortedWindows<'w>, WalkError> {
        let mut files = Vec::new();
        let mut streams = Vec::new();
        let mut tail = Vec::new();
        let mut stdin = false;
        for arg in arguments(paths)? {
            match arg {
                Argument::Stdin => stdin = true,
                Argument::Folder(dir) => streams.push(Stream::walk(dir)),
                Argument::File(path) => files.push(path),
                Argument::Special(input) => tail.push(input),
            }
        }
        files.sort_by(|a, b| key(a).cmp(key(b)));
        files.dedup_by(|a, b| key(a) == key(b));
        streams.push(Stream::Files(files.into_iter()));
        Ok(SortedWindows {
            walker: self,
            streams,
            heads: Vec::new(),
            window: window.max(1),
            stdin,
            stdin_name: "-".to_string(),
            tail,
            done: false,
        })
    }

    /// Calls `f` for every input under `paths` (`.` when empty), on `threads` threads (0: one
    /// per core), in no particular order, holding nothing per file: the way to visit an
    /// archive of any size in bounded memory. Every path argument is checked to exist before
    /// any is visited. Stdin (`-`) is not visited; the caller reads it.
    pub fn visit(
        &self,
        paths: &[PathBuf],
        threads: usize,
        f: &(dyn Fn(Input) + Sync),
    ) -> Result<(), WalkError> {
        self.visit_batches(paths, threads, &|batch| batch.into_iter().for_each(f))
    }

    /// Up to this many files named on the command line, and no folder, are handled on the
    /// calling thread.
    const FEW_FILES: usize = 8;

    /// [`Walker::visit`], a batch of up to 64 inputs at a time: for work that is cheaper
    /// done for many files at once (one flush to disk for a batch of writes).
    pub fn visit_batches(
        &self,
        paths: &[PathBuf],
        threads: usize,
        f: &(dyn Fn(Vec<Input>) + Sync),
    ) -> Result<(), WalkError> {
        let mut explicit = Vec::new();
        let mut dirs = Vec::new();
        for arg in arguments(paths)? {
            match arg {
                Argument::Stdin => {}
                Argument::Folder(dir) => dirs.push(dir),
                Argument::File(path) => explicit.push(Input::file(path)),
                Argument::Special(input) => explicit.push(input),
            }
        }
        explicit.sort_by(|a, b| input_key(a).cmp(input_key(b)));
        explicit.dedup_by(|a, b| input_key(a) == input_key(b));
        // A pre-commit hook names a few files: threads would cost more than they save (a
        // pool, a walker thread and their memory arenas were half of `check one.md`).
        if dirs.is_empty() && explicit.len() <= Self::FEW_FILES {
            if !explicit.is_empty() {
                f(explicit);
            }
            return Ok(());
        }
        let seen: std::collections::HashSet<&[u8]> = explicit.iter().map(input_key).collect();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| WalkError::Threads(e.to_string()))?;
        pool.install(|| {
            use rayon::prelude::*;
            explicit.par_chunks(8).for_each(|chunk| f(chunk.to_vec()));
        });
        // One thread walks (walking streams a folder's entries, so it holds nothing per file;
        // ignore's parallel walker queues every entry of a folder, 45 MB for a flat 100k);
        // the pool handles the files. Inputs go over in batches, so threads seldom wait on
        // the channel; it is bounded, so a fast walk cannot pile up a huge queue.
        const BATCH: usize = 64;
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Input>>(16);
        std::thread::scope(|scope| {
            scope.spawn(move || {
                let mut batch = Vec::with_capacity(BATCH);
                for dir in &dirs {
                    for entry in self.builder(dir).build() {
                        if let Some(input) = self.input(entry, dir)
                            && !seen.contains(input_key(&input))
                        {
                            batch.push(input);
                            if batch.len() == BATCH
                                && tx
                                    .send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                                    .is_err()
                            {
                                return;
                            }
                        }
                    }
                }
                if !batch.is_empty() {
                    let _ = tx.send(batch);
                }
            });
            pool.install(|| {
                use rayon::iter::{ParallelBridge, ParallelIterator};
                rx.into_iter().par_bridge().for_each(f);
            });
        });
        Ok(())
    }

    fn builder(&self, dir: &Path) -> ignore::WalkBuilder {
        let mut builder = ignore::WalkBuilder::new(dir);
        builder
            .hidden(true)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(true)
            .ignore(true)
            .require_git(false)
            .parents(true)
            .follow_links(false)
            .filter_entry({
                let excludes = self.excludes.clone();
                let cwd = self.cwd.clone();
                move |entry| {
                    if excludes.is_empty() {
                        return true;
                    }
                    let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                    !is_excluded(&excludes, &absolute(&cwd, entry.path()), is_dir)
                }
            });
        builder
    }

    /// The input a walk entry stands for: a post file, a special file or an unreadable
    /// entry to report, or nothing (a folder, a link, a file that is not a post).
    fn input(&self, entry: Result<ignore::DirEntry, ignore::Error>, dir: &Path) -> Option<Input> {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => return Some(unreadable(err, dir)),
        };
        let kind = entry.file_type()?;
        if kind.is_dir() || kind.is_symlink() || !self.has_post_extension(entry.path()) {
            return None;
        }
        if kind.is_file() {
            return Some(Input::file(entry.into_path()));
        }
        Some(special(entry.path(), kind))
    }

    fn has_post_extension(&self, path: &Path) -> bool {
        path.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| self.extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
    }
}

/// A file that is not a regular file, reported instead of read: opening a FIFO for reading
/// waits for a writer, and a device such as `/dev/zero` never ends.
fn special(path: &Path, kind: std::fs::FileType) -> Input {
    #[cfg(unix)]
    let what = {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            "a FIFO"
        } else if kind.is_socket() {
            "a socket"
        } else if kind.is_char_device() {
            "a character device"
        } else if kind.is_block_device() {
            "a block device"
        } else {
            "a special file"
        }
    };
    #[cfg(not(unix))]
    let what = {
        let _ = kind;
        "a special file"
    };
    Input::Unreadable {
        display: display(path),
        message: format!("is {what}, not a regular file; not read"),
    }
}

fn unreadable(err: ignore::Error, dir: &Path) -> Input {
    let path = match &err {
        ignore::Error::WithPath { path, .. } => display(path),
        _ => display(dir),
    };
    Input::Unreadable {
        display: path,
        message: err.to_string(),
    }
}

/// What identifies a path: its bytes, without a leading `./` (`./a.md` and `a.md` are one
/// file). Sorting by it is sorting by the path's text.
fn key(path: &Path) -> &[u8] {
    let mut s = path.as_os_str().as_encoded_bytes();
    while s.len() > 2 && s[0] == b'.' && s[1] == b'/' {
        s = &s[2..];
        while s.first() == Some(&b'/') {
            s = &s[1..];
        }
    }
    s
}

fn input_key(input: &Input) -> &[u8] {
    match input {
        Input::File { path, .. } => key(path),
        other => other.display().as_bytes(),
    }
}

/// See [`Walker::sorted_windows`].
pub struct SortedWindows<'w> {
    walker: &'w Walker,
    /// One sorted source per folder argument, and one for the file arguments.
    streams: Vec<Stream>,
    /// The next file of each stream (`None`: not yet read, or ended).
    heads: Vec<Option<PathBuf>>,
    window: usize,
    stdin: bool,
    /// How stdin (`-`) is shown.
    stdin_name: String,
    /// Special files and unreadable entries: they come after the files, as `Input`'s
    /// order has them.
    tail: Vec<Input>,
    done: bool,
}

enum Stream {
    Files(std::vec::IntoIter<PathBuf>),
    /// The folders on the path to the next file, innermost last.
    Walk(Vec<Listing>),
}

impl Stream {
    fn walk(dir: PathBuf) -> Stream {
        Stream::Walk(vec![Listing::root(dir)])
    }

    /// The next file, in order; special files and errors go to `tail`.
    fn next(&mut self, walker: &Walker, tail: &mut Vec<Input>) -> Option<PathBuf> {
        let stack = match self {
            Stream::Files(files) => return files.next(),
            Stream::Walk(stack) => stack,
        };
        loop {
            let top = stack.last_mut()?;
            let Some((path, kind)) = top.next() else {
                stack.pop();
                continue;
            };
            match kind {
                Kind::Folder => {
                    let listing = Listing::read(walker, path, tail);
                    stack.push(listing);
                }
                Kind::Post => return Some(path),
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Folder,
    Post,
}

/// One folder's walked entries (its posts and sub-folders, after ignore files, hidden
/// names and excludes), sorted so that whole paths come in the order of their text: a
/// folder `a` sorts as `a/`, after `a-b.md` and `a.md` (`-` and `.` come before `/`). The
/// names share one buffer: a flat folder of 400k posts holds about 60 bytes per post.
struct Listing {
    dir: PathBuf,
    names: Vec<u8>,
    entries: Vec<(u32, u32, Kind)>,
    next: usize,
}

impl Listing {
    /// The walk's starting folder, as one entry of an unnamed folder.
    fn root(dir: PathBuf) -> Listing {
        Listing {
            dir,
            names: Vec::new(),
            entries: vec![(0, 0, Kind::Folder)],
            next: 0,
        }
    }

    fn next(&mut self) -> Option<(PathBuf, Kind)> {
        let &(start, end, kind) = self.entries.get(self.next)?;
        self.next += 1;
        if start == end {
            return Some((self.dir.clone(), kind));
        }
        let name = &self.names[start as usize..end as usize];
        #[cfg(unix)]
        let name = <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(name);
        // Elsewhere names are not bytes; a name that is not UTF-8 is rare there.
        #[cfg(not(unix))]
        let name = String::from_utf8_lossy(name).into_owned();
        Some((self.dir.join(name), kind))
    }

    /// Reads `dir` (one level, with the walk's filters); special files and errors go to
    /// `tail`.
    fn read(walker: &Walker, dir: PathBuf, tail: &mut Vec<Input>) -> Listing {
        let mut listing = Listing {
            dir,
            names: Vec::new(),
            entries: Vec::new(),
            next: 0,
        };
        let walk = walker.builder(&listing.dir).max_depth(Some(1)).build();
        for entry in walk {
            let kind = match &entry {
                Ok(e) if e.depth() == 0 => continue,
                Ok(e) if e.file_type().is_some_and(|t| t.is_dir()) => Kind::Folder,
                _ => match walker.input(entry, &listing.dir) {
                    Some(Input::File { path, .. }) => {
                        listing.push(&path, Kind::Post);
                        continue;
                    }
                    Some(other) => {
                        tail.push(other);
                        continue;
                    }
                    None => continue,
                },
            };
            if let Ok(e) = entry {
                listing.push(e.path(), kind);
            }
        }
        let names = &listing.names;
        let shown = |&(start, end, kind): &(u32, u32, Kind)| {
            let slash = (kind == Kind::Folder).then_some(b'/');
            names[start as usize..end as usize]
                .iter()
                .copied()
                .chain(slash)
        };
        listing.entries.sort_by(|a, b| shown(a).cmp(shown(b)));
        listing
    }

    fn push(&mut self, path: &Path, kind: Kind) {
        let name = path.file_name().unwrap_or_default().as_encoded_bytes();
        let start = self.names.len();
        self.names.extend_from_slice(name);
        let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        self.entries.push((at(start), at(self.names.len()), kind));
    }
}

impl SortedWindows<'_> {
    /// The next window, in order; `None` when every input has been handed out.
    pub fn next_window(&mut self) -> Option<SortedWindow> {
        if self.done {
            return None;
        }
        if self.heads.is_empty() {
            let tail = &mut self.tail;
            let walker = self.walker;
            self.heads = self
                .streams
                .iter_mut()
                .map(|s| s.next(walker, tail))
                .collect();
        }
        let mut inputs = Vec::new();
        while inputs.len() < self.window {
            let Some(path) = self.next_file() else {
                break;
            };
            inputs.push(Input::file(path));
        }
        if inputs.len() < self.window {
            self.done = true;
            self.tail.sort();
            self.tail.dedup();
            if self.stdin {
                self.tail.insert(
                    0,
                    Input::Stdin {
                        display: self.stdin_name.clone(),
                    },
                );
            }
            inputs.append(&mut self.tail);
        }
        (!inputs.is_empty()).then_some(SortedWindow(inputs))
    }

    /// The smallest head of all streams, taken from every stream that holds it.
    fn next_file(&mut self) -> Option<PathBuf> {
        let smallest = (0..self.heads.len())
            .filter(|&i| self.heads[i].is_some())
            .min_by(|&i, &j| head_key(&self.heads[i]).cmp(head_key(&self.heads[j])))?;
        let path = self.heads[smallest].take()?;
        for i in 0..self.heads.len() {
            if i == smallest || self.heads[i].as_deref().map(key) == Some(key(&path)) {
                self.heads[i] = self.streams[i].next(self.walker, &mut self.tail);
            }
        }
        Some(path)
    }
}

fn head_key(head: &Option<PathBuf>) -> &[u8] {
    head.as_deref().map_or(&[], key)
}

/// One window of [`SortedWindows`].
pub struct SortedWindow(Vec<Input>);

impl SortedWindow {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The inputs from `from` on, `n` at most.
    pub fn slice(&self, from: usize, n: usize) -> Vec<Input> {
        let end = from.saturating_add(n).min(self.0.len());
        self.0[from.min(end)..end].to_vec()
    }
}

/// A path argument: stdin (`-`), a folder to walk, a file taken as it is, or a special
/// file reported instead of read.
enum Argument {
    Stdin,
    Folder(PathBuf),
    File(PathBuf),
    Special(Input),
}

/// The path arguments (`.` when there are none), each checked to exist (following a
/// symbolic link: a path given explicitly is the user's choice).
fn arguments(paths: &[PathBuf]) -> Result<Vec<Argument>, WalkError> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    paths
        .iter()
        .map(|path| {
            if path.as_os_str() == "-" {
                return Ok(Argument::Stdin);
            }
            let meta = std::fs::metadata(path).map_err(|_| WalkError::Missing(display(path)))?;
            Ok(if meta.is_dir() {
                Argument::Folder(path.clone())
            } else if meta.is_file() {
                Argument::File(path.clone())
            } else {
                Argument::Special(special(path, meta.file_type()))
            })
        })
        .collect()
}

fn is_excluded(excludes: &[Gitignore], path: &Path, is_dir: bool) -> bool {
    excludes.iter().any(|g| {
        path.starts_with(g.path()) && g.matched_path_or_any_parents(path, is_dir).is_ignore()
    })
}

/// `path` made absolute against `cwd`, without `.` components (gitignore matching and
/// prefix stripping compare paths textually).
pub fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    let clean: PathBuf = path
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if clean.is_absolute() {
        clean
    } else {
        cwd.join(clean)
    }
}

/// The path as messages show it: as given, without a leading `./`, with what a terminal or
/// a log could take for something else escaped: a byte that is not UTF-8 as `\xE8`, a
/// control character as `\n`, `\t`, `\r` or `\u{1b}`, and `\` itself as `\\` (so `x\y.md`
/// and `x/y.md` read differently). Two different paths never display alike.
pub fn display(path: &Path) -> String {
    escape(key(path))
}

fn escape(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                c if c.is_control() || is_invisible_format(c) => {
                    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02X}");
        }
    }
    out
}

/// Characters that reorder or hide text on a terminal (bidirectional overrides).
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // the tests make their files with std::fs::write
mod tests {
    use super::*;

    /// Inputs come sorted by path, each once, whether in one window or in many, for names
    /// where the order of whole paths and of folder entries could part (` `, `-` and `.`
    /// sort before `/`), with overlapping path arguments listed once.
    #[test]
    fn inputs_come_in_path_order_in_one_window_or_many() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in [
            "a-b.md", "a.md", "a/x.md", "a/y/z.md", "B.md", "a b.md", "ab/c.md", "a/y.md",
        ] {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "---\ntitle: t\n---\n").unwrap();
        }
        let walker = Walker::new(&["md".to_string()], root, &[], root, &[]).unwrap();
        let paths = [root.join("a"), root.to_path_buf(), root.join("a.md")];
        let plain: Vec<Input> = walker.collect(&paths, None).unwrap();
        let prefix = format!("{}/", display(root));
        let shown: Vec<&str> = plain
            .iter()
            .map(|i| i.display().strip_prefix(&prefix).unwrap())
            .collect();
        assert_eq!(
            shown,
            [
                "B.md", "a b.md", "a-b.md", "a.md", "a/x.md", "a/y.md", "a/y/z.md", "ab/c.md"
            ]
        );
        for size in [1, 2, 3, 8, 100] {
            let mut windows = walker.sorted_windows(&paths, size).unwrap();
            let mut walked = Vec::new();
            while let Some(window) = windows.next_window() {
                assert!(window.len() <= size);
                walked.extend(window.slice(0, usize::MAX));
            }
            assert_eq!(walked, plain, "windows of {size}");
        }
    }

    #[test]
    fn display_escapes_what_it_cannot_show_and_keeps_paths_apart() {
        use std::os::unix::ffi::OsStrExt;
        let shown = |b: &[u8]| display(Path::new(OsStr::from_bytes(b)));
        assert_eq!(shown(b"./caf\xe8.md"), "caf\\xE8.md");
        assert_eq!(shown("café.md".as_bytes()), "café.md");
        assert_eq!(shown(b"x\\y.md"), "x\\\\y.md");
        assert_eq!(shown(b"a\nb\x1b[2J.md"), "a\\nb\\u{1b}[2J.md");
        assert_ne!(shown(b"x\\y.md"), shown(b"x/y.md"));
    }
}
