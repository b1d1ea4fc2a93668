//! Paths, folders and stdin → the sorted list of posts to process.
//!
//! Folders are walked recursively, honouring `.gitignore`/`.ignore` (also outside a git
//! repository) and skipping hidden paths; only files with a post extension are taken.
//! `exclude` patterns (gitignore-style) apply to walked paths; a path given explicitly is
//! always processed. A path argument that does not exist is an error (exit 2); a folder
//! that cannot be read while walking becomes an [`Input::Unreadable`] and the walk goes on.

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
}

#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("{0}: no such file or directory")]
    Missing(String),
    #[error("bad exclude pattern `{pattern}`: {message}")]
    BadPattern { pattern: String, message: String },
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

    /// The walker a command uses: the config's extensions and excludes, and `--exclude`.
    pub fn for_config(
        config: &crate::config::Config,
        cwd: &Path,
        cli_excludes: &[String],
    ) -> Result<Walker, WalkError> {
        Walker::new(
            &config.extensions,
            &config.root,
            &config.exclude,
            cwd,
            cli_excludes,
        )
    }

    /// The inputs for `paths` (`.` when empty), sorted by their display path, each once.
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
    /// time, in bounded memory: each window walks the paths again and keeps only the
    /// `window` smallest inputs after the last one handed out. An archive of up to `window`
    /// posts is walked once; a larger one once per window.
    pub fn sorted_windows<'w>(
        &'w self,
        paths: &[PathBuf],
        window: usize,
    ) -> Result<SortedWindows<'w>, WalkError> {
        Ok(SortedWindows {
            walker: self,
            arguments: arguments(paths)?,
            window: window.max(1),
            stdin_name: "-".to_string(),
            after: None,
            seen: None,
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

    /// [`Walker::visit`], a batch of up to 64 inputs at a time: for work that is cheaper
    /// done for many files at once (one flush to disk for a batch of writes).
    pub fn visit_batches(
        &self,
        paths: &[PathBuf],
        threads: usize,
        f: &(dyn Fn(Vec<Input>) + Sync),
    ) -> Result<(), WalkError> {
        let mut files = Vec::new();
        let mut dirs = Vec::new();
        for arg in arguments(paths)? {
            match arg {
                Argument::Stdin => {}
                Argument::Folder(dir) => dirs.push(dir),
                Argument::File(path) => files.push(path),
            }
        }
        let mut explicit: Vec<(String, &PathBuf)> = files.iter().map(|p| (display(p), p)).collect();
        explicit.sort();
        explicit.dedup_by(|a, b| a.0 == b.0);
        let seen: std::collections::HashSet<&str> =
            explicit.iter().map(|(d, _)| d.as_str()).collect();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| WalkError::BadPattern {
                pattern: String::new(),
                message: e.to_string(),
            })?;
        pool.install(|| {
            use rayon::prelude::*;
            explicit.par_chunks(8).for_each(|chunk| {
                f(chunk
                    .iter()
                    .map(|(d, p)| Input::File {
                        display: d.clone(),
                        path: (*p).clone(),
                    })
                    .collect())
            });
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
                            && !seen.contains(input.display())
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

    /// The input a walk entry stands for: a post file, an unreadable entry, or nothing.
    fn input(&self, entry: Result<ignore::DirEntry, ignore::Error>, dir: &Path) -> Option<Input> {
        match entry {
            Ok(entry) => self.is_post(&entry).then(|| Input::File {
                display: display(entry.path()),
                path: entry.into_path(),
            }),
            Err(err) => Some(unreadable(err, dir)),
        }
    }

    fn is_post(&self, entry: &ignore::DirEntry) -> bool {
        entry
            .file_type()
            .is_some_and(|t| t.is_file() || t.is_symlink())
            && self.has_post_extension(entry.path())
    }

    fn has_post_extension(&self, path: &Path) -> bool {
        path.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| self.extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
    }
}

/// The order of two paths' display forms, without making them: [`display`] drops leading
/// `./` and turns `\\` into `/`.
fn display_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn shown(s: &str) -> impl Iterator<Item = u8> + '_ {
        let mut s = s.as_bytes();
        while s.len() >= 2 && s[0] == b'.' && (s[1] == b'/' || s[1] == b'\\') {
            s = &s[2..];
        }
        s.iter().map(|&b| if b == b'\\' { b'/' } else { b })
    }
    shown(a).cmp(shown(b))
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

/// See [`Walker::sorted_windows`].
pub struct SortedWindows<'w> {
    walker: &'w Walker,
    arguments: Vec<Argument>,
    window: usize,
    /// How stdin (`-`) is shown.
    stdin_name: String,
    /// The last input handed out.
    after: Option<Held>,
    /// Inputs found by the first walk (for a progress bar), once it has run.
    seen: Option<usize>,
}

impl SortedWindows<'_> {
    /// How many inputs the first walk found (duplicates counted), once it has run.
    pub fn seen(&self) -> Option<usize> {
        self.seen
    }

    /// The next window, in order; `None` when every input has been handed out.
    pub fn next_window(&mut self) -> Option<SortedWindow> {
        let mut window = Window {
            heap: std::collections::BinaryHeap::with_capacity(self.window.min(4096) + 1),
            size: self.window,
            after: self.after.as_ref(),
            seen: 0,
        };
        for arg in &self.arguments {
            match arg {
                Argument::Stdin => window.offer(Held::Other(Box::new(Input::Stdin {
                    display: self.stdin_name.clone(),
                }))),
                Argument::File(path) => window.offer(Held::of_path(path)),
                Argument::Folder(dir) => {
                    for entry in self.walker.builder(dir).build() {
                        match entry {
                            Ok(entry) if self.walker.is_post(&entry) => {
                                window.offer_path(entry.path());
                            }
                            Ok(_) => {}
                            Err(err) => window.offer(Held::Other(Box::new(unreadable(err, dir)))),
                        }
                    }
                }
            }
        }
        self.seen.get_or_insert(window.seen);
        let mut held = window.heap.into_sorted_vec();
        held.dedup();
        self.after = Some(held.last()?.clone());
        Some(SortedWindow(held))
    }
}

/// One window of [`SortedWindows`]: its inputs are made a slice at a time.
pub struct SortedWindow(Vec<Held>);

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
        self.0[from.min(end)..end]
            .iter()
            .map(Held::to_input)
            .collect()
    }
}

/// The smallest inputs after `after` found so far, `size` at most.
struct Window<'a> {
    heap: std::collections::BinaryHeap<Held>,
    size: usize,
    after: Option<&'a Held>,
    seen: usize,
}

impl Window<'_> {
    fn offer(&mut self, held: Held) {
        self.seen += 1;
        if self.after.is_some_and(|after| held <= *after) {
            return;
        }
        if self.heap.len() < self.size {
            self.heap.push(held);
        } else if self.heap.peek().is_some_and(|largest| held < *largest) {
            self.heap.pop();
            self.heap.push(held);
        }
    }

    /// [`Window::offer`] for a post's path, copied only if the window keeps it: most
    /// paths of a large archive fall outside any one window.
    fn offer_path(&mut self, path: &Path) {
        let Some(text) = path.to_str() else {
            self.offer(Held::of_path(path));
            return;
        };
        let outside = |bound: &Held, keep: std::cmp::Ordering| match bound {
            Held::Path(b) => display_order(text, b) != keep,
            Held::Other(_) => false,
        };
        let before_start = self
            .after
            .is_some_and(|after| outside(after, std::cmp::Ordering::Greater));
        let full = self.heap.len() >= self.size;
        let beyond_end = full
            && self
                .heap
                .peek()
                .is_some_and(|largest| outside(largest, std::cmp::Ordering::Less));
        if before_start || beyond_end {
            self.seen += 1;
            return;
        }
        self.offer(Held::Path(text.into()));
    }
}

/// An input held by a window: a post by its path's text (its display form follows from
/// it), or any other input whole.
#[derive(Clone)]
enum Held {
    Path(Box<str>),
    Other(Box<Input>),
}

impl Held {
    fn of_path(path: &Path) -> Held {
        match path.to_str() {
            Some(text) => Held::Path(text.into()),
            None => Held::Other(Box::new(Input::File {
                display: display(path),
                path: path.to_path_buf(),
            })),
        }
    }

    /// Files first, as `Input`'s order has them.
    fn rank(&self) -> u8 {
        match self {
            Held::Path(_) => 0,
            Held::Other(input) => match **input {
                Input::File { .. } => 0,
                Input::Stdin { .. } => 1,
                Input::Unreadable { .. } => 2,
            },
        }
    }

    fn to_input(&self) -> Input {
        match self {
            Held::Path(text) => {
                let path = PathBuf::from(&**text);
                Input::File {
                    display: display(&path),
                    path,
                }
            }
            Held::Other(input) => (**input).clone(),
        }
    }
}

impl Ord for Held {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.rank()
            .cmp(&other.rank())
            .then_with(|| match (self, other) {
                (Held::Path(a), Held::Path(b)) => display_order(a, b),
                (Held::Path(a), Held::Other(b)) => {
                    display(Path::new(&**a)).as_str().cmp(b.display())
                }
                (Held::Other(a), Held::Path(b)) => {
                    a.display().cmp(display(Path::new(&**b)).as_str())
                }
                (Held::Other(a), Held::Other(b)) => a.display().cmp(b.display()),
            })
    }
}

impl PartialOrd for Held {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Held {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}

impl Eq for Held {}

/// A path argument: stdin (`-`), a folder to walk, or a file taken as it is.
enum Argument {
    Stdin,
    Folder(PathBuf),
    File(PathBuf),
}

/// The path arguments (`.` when there are none), each checked to exist.
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
            let meta = std::fs::metadata(path)
                .map_err(|_| WalkError::Missing(path.display().to_string()))?;
            Ok(if meta.is_dir() {
                Argument::Folder(path.clone())
            } else {
                Argument::File(path.clone())
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

/// The path as messages show it: as given, `/`-separated, without a leading `./`.
pub fn display(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_string()
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // the tests make their files with std::fs::write
mod tests {
    use super::*;

    /// Inputs come sorted by display path, each once, whether in one window or in many,
    /// for names where the order of paths and of display forms could part (` `, `-` and
    /// `.` sort before `/`), with overlapping path arguments listed once.
    #[test]
    fn inputs_come_in_display_order_in_one_window_or_many() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in [
            "a-b.md", "a.md", "a/x.md", "a/y/z.md", "B.md", "a b.md", "ab/c.md",
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
                "B.md", "a b.md", "a-b.md", "a.md", "a/x.md", "a/y/z.md", "ab/c.md"
            ]
        );
        // Walked again for each window of a few inputs, the same; `a.md`, given on its own
        // and found in the folder, comes once.
        for size in [1, 2, 3, 7, 100] {
            let mut windows = walker.sorted_windows(&paths, size).unwrap();
            let mut walked = Vec::new();
            while let Some(window) = windows.next_window() {
                assert!(window.len() <= size);
                walked.extend(window.slice(0, usize::MAX));
            }
            assert_eq!(walked, plain, "windows of {size}");
            assert_eq!(
                windows.seen(),
                Some(10),
                "every input found, duplicates counted"
            );
        }
    }

    #[test]
    fn display_order_is_the_order_of_display_forms() {
        for (a, b) in [
            ("./a/b", "a-b"),
            ("a\\b", "a/c"),
            ("./x", "y"),
            (".\\x", "x"),
            ("a.md", "a/x.md"),
        ] {
            assert_eq!(
                display_order(a, b),
                display(Path::new(a)).cmp(&display(Path::new(b))),
                "{a} vs {b}"
            );
        }
    }
}
