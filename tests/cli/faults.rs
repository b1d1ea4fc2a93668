//! Fault injection through the binary: `kill -9` during `convert --write`, a read-only
//! folder and file, a full disk, a file changed between read and write, and symbolic links.
//!
//! After every fault each post is either its old bytes or a complete converted post with
//! the same body and the same values, and no temporary file is left where a walker would
//! take it for a post.
//!
//! Some faults need root (a tmpfs mount, `chattr +i`); each such test says so on stderr and
//! returns when the machine does not allow it.

use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fmx::convert::first_difference;
use fmx::document::{Format, Split, split};
use fmx::formats::Limits;
use fmx::value::{Table, Value};

use crate::support::{Output, fixture, fmx, run};

/// The format, values and body of a post.
fn read_post(bytes: &[u8]) -> Option<(Format, Table, Vec<u8>)> {
    let limits = Limits::default();
    let Split::Found(layout) = split(bytes, true, limits.max_block_bytes) else {
        return None;
    };
    let text = std::str::from_utf8(&bytes[layout.content.clone()]).ok()?;
    let parsed = fmx::check::parse_block(&layout, text, &limits).ok()?;
    let Value::Table(table) = parsed.root.value else {
        return None;
    };
    Some((layout.format, table, bytes[layout.body.clone()].to_vec()))
}

/// A small deterministic generator (xorshift64*), seeded from `FMX_FAULT_SEED`.
struct Rng(u64);

impl Rng {
    fn from_env() -> Rng {
        let seed = std::env::var("FMX_FAULT_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0x5EED_F00D_u64);
        eprintln!("fault seed {seed} (set FMX_FAULT_SEED to repeat or vary it)");
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// One post of the archive: its name, original bytes, values and body.
struct Post {
    name: String,
    bytes: Vec<u8>,
    table: Table,
    body: Vec<u8>,
    mode: u32,
}

/// `count` copies of the reference post with varied values; every 97th is mode 0640 to
/// show that modes are kept.
fn make_archive(dir: &Path, count: usize) -> Vec<Post> {
    let reference = std::fs::read_to_string(fixture("detained-canadians.md")).unwrap();
    assert!(reference.contains("date: 1602377984.4306138"));
    assert!(reference.contains("section: content"));
    (0..count)
        .map(|i| {
            let text = reference
                .replacen(
                    "date: 1602377984.4306138",
                    &format!("date: {}.{}", 1_500_000_000 + i * 7919, i % 10),
                    1,
                )
                .replacen("section: content", &format!("section: content-{i}"), 1)
                .replacen("Body", &format!("Body {i}"), 1);
            let name = format!("post-{i:05}.md");
            let path = dir.join(&name);
            std::fs::write(&path, &text).unwrap();
            let mode = if i % 97 == 0 { 0o640 } else { 0o644 };
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            let bytes = text.into_bytes();
            let (format, table, body) = read_post(&bytes).expect("the copy parses");
            assert_eq!(format, Format::Yaml);
            Post {
                name,
                bytes,
                table,
                body,
                mode,
            }
        })
        .collect()
}

/// What one look at the folder found.
#[derive(Default)]
struct Tally {
    converted: usize,
    untouched: usize,
    /// Hidden `.fmx-XXXXXXXXXXXX.tmp` files, left by a kill between naming a temporary file
    /// and the swap that replaces the post, or between the swap and removing the old post
    /// (see `kill_9_during_convert_write`).
    hidden_leftovers: usize,
}

/// fmx's temporary names: `.fmx-`, twelve letters or digits, `.tmp`.
fn is_temporary_name(name: &str) -> bool {
    name.len() == 21
        && name.starts_with(".fmx-")
        && name.ends_with(".tmp")
        && name[5..17].bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Checks every post in `dir` and that nothing else is there but fmx's hidden temporary
/// names, each holding a complete post (new or old) unless `partial` (a named temporary
/// file is named while it is written); counts them, leaving them for the next run.
fn verify(dir: &Path, posts: &[Post]) -> Tally {
    verify_with(dir, posts, false)
}

fn verify_with(dir: &Path, posts: &[Post], partial: bool) -> Tally {
    let mut tally = Tally::default();
    let by_name: BTreeMap<&str, &Post> = posts.iter().map(|p| (p.name.as_str(), p)).collect();
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().expect("UTF-8 names");
        if let Some(post) = by_name.get(name.as_str()) {
            seen += 1;
            let bytes = std::fs::read(entry.path()).unwrap();
            let mode = entry.metadata().unwrap().mode() & 0o7777;
            assert_eq!(mode, post.mode, "{name}: mode changed");
            if bytes == post.bytes {
                tally.untouched += 1;
                continue;
            }
            assert_complete_toml(&name, &bytes, post);
            tally.converted += 1;
            continue;
        }
        assert!(
            is_temporary_name(&name),
            "stray file `{name}` beside the posts"
        );
        let bytes = std::fs::read(entry.path()).unwrap();
        let complete = read_post(&bytes).is_some_and(|(format, _, _)| format == Format::Toml)
            || posts.iter().any(|p| p.bytes == bytes);
        assert!(
            complete || partial,
            "{name}: neither an old post nor a complete new one"
        );
        tally.hidden_leftovers += 1;
    }
    assert_eq!(seen, posts.len(), "a post vanished");
    tally
}

fn assert_complete_toml(name: &str, bytes: &[u8], post: &Post) {
    let Some((format, table, body)) = read_post(bytes) else {
        panic!(
            "{name}: neither the old bytes nor a complete post:\n{}",
            String::from_utf8_lossy(bytes)
        );
    };
    assert_eq!(format, Format::Toml, "{name}");
    assert!(body == post.body, "{name}: the body changed");
    assert_eq!(
        first_difference(&post.table, &table, ""),
        None,
        "{name}: a value changed"
    );
}

/// Puts back the old bytes of every post that was converted.
fn restore(dir: &Path, posts: &[Post]) {
    for p in posts {
        let path = dir.join(&p.name);
        if std::fs::read(&path).unwrap() != p.bytes {
            std::fs::write(&path, &p.bytes).unwrap();
        }
    }
}

fn convert_write(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fmx"));
    cmd.current_dir(dir)
        .args([
            "convert",
            "--no-config",
            "--quiet",
            "--to",
            "toml",
            "--write",
        ])
        .arg(".")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// `FMX_FAULT_RUNS` kills (default 8; the README's figures come from runs of 200 and more)
/// of `convert --write` over 2000 posts, each after a random delay spread over the time a
/// whole run takes (a run fsyncs every file, so it lasts seconds: a fixed 0–50 ms window
/// would kill it before its first write). After each kill every post is whole (old or
/// new), and the next run finishes the conversion and leaves no temporary file.
#[test]
fn kill_9_during_convert_write() {
    kill_runs(&[], false);
}

/// The same where `O_TMPFILE` (or `/proc`) is not available: temporary files are named
/// from the start, so a kill leaves one far more often; the next run removes them all.
#[test]
fn kill_9_during_convert_write_without_o_tmpfile() {
    kill_runs(&[("FMX_TEST_NO_TMPFILE", "1")], true);
}

fn kill_runs(env: &[(&str, &str)], partial: bool) {
    // Each kill is followed by a whole run: fewer by default than the figures need.
    let runs: usize = std::env::var("FMX_FAULT_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    let dir = tempfile::tempdir().unwrap();
    let posts = make_archive(dir.path(), 2000);
    let command = || {
        let mut cmd = convert_write(dir.path());
        cmd.envs(env.iter().copied());
        cmd
    };

    // One whole run: how long it takes, and that it converts everything.
    let started = Instant::now();
    let status = command().status().unwrap();
    let whole = started.elapsed();
    assert!(status.success(), "the uninterrupted run failed: {status}");
    let t = verify(dir.path(), &posts);
    assert_eq!(t.converted, posts.len());
    restore(dir.path(), &posts);

    let mut rng = Rng::from_env();
    // Delays are drawn below `span`, which shrinks whenever a run ends before its kill.
    let mut span = whole.as_micros().max(1) as u64;
    let (mut mid_write, mut before_any, mut after_all, mut leftovers) = (0, 0, 0, 0);
    for run in 0..runs {
        let delay = Duration::from_micros(rng.below(span));
        let mut child = command().spawn().unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_some() {
            span = span.min(delay.as_micros() as u64 * 9 / 10).max(1);
        }
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        let t = verify_with(dir.path(), &posts, partial);
        leftovers += t.hidden_leftovers;
        match (t.converted, t.untouched) {
            (0, _) => before_any += 1,
            (_, 0) => after_all += 1,
            _ => mid_write += 1,
        }
        if std::env::var_os("FMX_FAULT_VERBOSE").is_some() {
            eprintln!(
                "run {run}: killed after {delay:?} ({status}): {} converted, {} untouched, {} hidden leftovers",
                t.converted, t.untouched, t.hidden_leftovers
            );
        }
        // The next run converts what is left and removes what the kill left.
        assert!(
            command().status().unwrap().success(),
            "run {run}: resume failed"
        );
        let after = verify(dir.path(), &posts);
        assert_eq!(after.converted, posts.len(), "run {run}: not all converted");
        assert_eq!(
            after.hidden_leftovers, 0,
            "run {run}: the next run left temporary files"
        );
        restore(dir.path(), &posts);
    }
    eprintln!(
        "kill -9 {env:?}: {runs} runs over {} posts (a whole run takes {whole:?}): {mid_write} \
         killed mid-batch, {before_any} before the first write, {after_all} after the last; \
         0 corrupted files; {leftovers} temporary files left by the kills, 0 after the next run",
        posts.len()
    );
}

/// Ctrl-C (SIGINT) in the middle of `convert --write`: the files in flight finish, no new
/// file starts, the partial summary is printed and the exit code is 130. On disk, exactly
/// the files the summary counts as converted are converted, and no temporary file is left.
#[test]
fn ctrl_c_during_convert_write_finishes_the_files_in_flight_and_stops() {
    let dir = tempfile::tempdir().unwrap();
    let posts = make_archive(dir.path(), 4000);
    let started = Instant::now();
    let status = convert_write(dir.path()).status().unwrap();
    let whole = started.elapsed();
    assert!(status.success(), "the uninterrupted run failed: {status}");
    restore(dir.path(), &posts);

    // Signal a third of the way through; a run that ends first is tried again sooner.
    let mut delay = whole / 3;
    for _ in 0..10 {
        // Not --quiet: the partial summary is what is checked.
        let child = Command::new(env!("CARGO_BIN_EXE_fmx"))
            .current_dir(dir.path())
            .args([
                "convert",
                "--no-config",
                "--no-progress",
                "--to",
                "toml",
                "--write",
                ".",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let signalled = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        if out.status.code() == Some(0) || !signalled.success() {
            // Finished before the signal.
            restore(dir.path(), &posts);
            delay /= 2;
            continue;
        }
        assert_eq!(out.status.code(), Some(130), "{stderr}");
        assert!(stderr.contains("interrupted: "), "{stderr}");
        // "converted N of M files to TOML: …"
        let summary = stderr
            .lines()
            .find(|l| l.starts_with("converted "))
            .unwrap_or_else(|| panic!("no summary in {stderr}"));
        let numbers: Vec<usize> = summary
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|w| w.parse().ok())
            .collect();
        let (converted, processed) = (numbers[0], numbers[1]);
        assert!(
            processed < posts.len(),
            "nothing was left undone: {summary}"
        );
        let t = verify(dir.path(), &posts);
        assert_eq!(t.converted, converted, "{summary}");
        assert_eq!(t.untouched, posts.len() - converted, "{summary}");
        assert_eq!(t.hidden_leftovers, 0, "a file in flight was abandoned");
        return;
    }
    panic!("every run ended before Ctrl-C could reach it (a whole run takes {whole:?})");
}

// ---- read-only, full disk ---------------------------------------------------------------------

fn running_as_root() -> bool {
    let probe = tempfile::NamedTempFile::new().unwrap();
    probe.as_file().metadata().unwrap().uid() == 0
}

/// Runs a shell command; whether it succeeded.
fn sh(args: &[&str]) -> bool {
    Command::new(args[0])
        .args(&args[1..])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Undoes a mount or an immutable flag when the test ends, however it ends.
struct Undo(Vec<String>);

impl Drop for Undo {
    fn drop(&mut self) {
        let args: Vec<&str> = self.0.iter().map(String::as_str).collect();
        sh(&args);
    }
}

fn convert_one(dir: &Path, file: &str) -> Output {
    run(fmx().current_dir(dir).args([
        "convert",
        "--no-config",
        "--color",
        "never",
        "--to",
        "toml",
        "--write",
        file,
    ]))
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    v.sort();
    v
}

/// Makes `dir` unwritable: `chmod 555` for a normal user; as root (whom permissions do not
/// stop) `chattr +i`, else a read-only bind mount. `None` where neither works.
fn read_only_folder(dir: &Path) -> Option<Undo> {
    let d = dir.to_str().unwrap();
    if !running_as_root() {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        return Some(Undo(vec!["chmod".into(), "755".into(), d.into()]));
    }
    if sh(&["chattr", "+i", d]) {
        return Some(Undo(vec!["chattr".into(), "-i".into(), d.into()]));
    }
    if sh(&["mount", "--bind", d, d]) {
        let undo = Undo(vec!["umount".into(), "-l".into(), d.into()]);
        if sh(&["mount", "-o", "remount,bind,ro", d]) {
            return Some(undo);
        }
    }
    None
}

#[test]
fn a_read_only_folder_is_an_error_and_the_file_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("posts");
    std::fs::create_dir(&posts).unwrap();
    std::fs::copy(fixture("detained-canadians.md"), posts.join("post.md")).unwrap();
    let before = std::fs::read(posts.join("post.md")).unwrap();
    let Some(_undo) = read_only_folder(&posts) else {
        eprintln!("note: cannot make a read-only folder here (no chattr, no bind mount); skipped");
        return;
    };
    let out = convert_one(&posts, "post.md");
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("post.md: error: not written"),
        "{}",
        out.stdout
    );
    assert_eq!(std::fs::read(posts.join("post.md")).unwrap(), before);
    assert_eq!(names(&posts), ["post.md"]);
}

/// An immutable file (`chattr +i`, as root) cannot be replaced; a `chmod 444` file could be
/// (replacing is a change to its folder) but is refused, as an editor refuses to save it:
/// `tests/cli/integrity.rs` checks that as root.
#[test]
fn a_read_only_file_is_refused_or_keeps_its_mode() {
    let dir = tempfile::tempdir().unwrap();
    let post = dir.path().join("post.md");
    std::fs::copy(fixture("detained-canadians.md"), &post).unwrap();
    let before = std::fs::read(&post).unwrap();
    if running_as_root() {
        let p = post.to_str().unwrap();
        if !sh(&["chattr", "+i", p]) {
            eprintln!("note: running as root and `chattr +i` is not supported here; skipped");
            return;
        }
        let _undo = Undo(vec!["chattr".into(), "-i".into(), p.into()]);
        let out = convert_one(dir.path(), "post.md");
        assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
        assert!(
            out.stdout.contains("post.md: error: not written"),
            "{}",
            out.stdout
        );
        assert_eq!(std::fs::read(&post).unwrap(), before);
        assert_eq!(names(dir.path()), ["post.md"]);
    } else {
        std::fs::set_permissions(&post, std::fs::Permissions::from_mode(0o444)).unwrap();
        let out = convert_one(dir.path(), "post.md");
        assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
        assert!(out.stdout.contains("is read-only"), "{}", out.stdout);
        assert_eq!(std::fs::read(&post).unwrap(), before);
        assert_eq!(names(dir.path()), ["post.md"]);
    }
}

/// A tmpfs too small for the new copy of a large post: the write fails with "No space
/// left", the post is untouched, no temporary file remains; a small post beside it that
/// fits is still converted.
#[test]
fn a_full_disk_is_an_error_and_the_file_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("small");
    std::fs::create_dir(&mnt).unwrap();
    let m = mnt.to_str().unwrap();
    if !sh(&["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", m]) {
        eprintln!("note: cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN); skipped");
        return;
    }
    let _undo = Undo(vec!["umount".into(), "-l".into(), m.into()]);
    let mut big = b"---\ntitle: Big\ndate: 1602377984\n---\n".to_vec();
    while big.len() < 700 * 1024 {
        big.extend_from_slice(b"A line of a long body, to fill the disk.\n");
    }
    std::fs::write(mnt.join("big.md"), &big).unwrap();
    let small = b"---\ntitle: Small\ndate: 1602377984\n---\nBody.\n";
    std::fs::write(mnt.join("small.md"), small).unwrap();

    // One job: the small post is written after the large one has failed and freed its
    // space, not while the large one's temporary file fills the disk.
    let out = run(fmx().current_dir(&mnt).args([
        "convert",
        "--no-config",
        "--color",
        "never",
        "--jobs",
        "1",
        "--to",
        "toml",
        "--write",
        ".",
    ]));
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("big.md: error: not written") && out.stdout.contains("space"),
        "{}",
        out.stdout
    );
    assert!(std::fs::read(mnt.join("big.md")).unwrap() == big);
    assert_eq!(
        std::fs::read(mnt.join("small.md")).unwrap(),
        b"+++\ntitle = \"Small\"\ndate = 1602377984\n+++\nBody.\n"
    );
    assert_eq!(names(&mnt), ["big.md", "small.md"]);
}

// ---- a file changed between read and write ----------------------------------------------------

/// The binary reads a file and writes it back within microseconds, too quick to race from a
/// test; so this calls the one function that writes, with the bytes it was read as now
/// stale.
#[test]
fn a_file_changed_since_it_was_read_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("post.md");
    std::fs::write(&path, "---\ntitle: newer\n---\n").unwrap();
    let stale = b"---\ntitle: older\n---\n";
    let err = fmx::write::replace(&path, stale, b"+++\ntitle = \"older\"\n+++\n").unwrap_err();
    assert!(matches!(err, fmx::write::WriteError::Changed), "{err}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "---\ntitle: newer\n---\n"
    );
    assert_eq!(names(dir.path()), ["post.md"]);
    // With the bytes as they are, the same call writes.
    fmx::write::replace(
        &path,
        b"---\ntitle: newer\n---\n",
        b"+++\ntitle = \"newer\"\n+++\n",
    )
    .unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "+++\ntitle = \"newer\"\n+++\n"
    );
    assert_eq!(names(dir.path()), ["post.md"]);
}

// ---- symbolic links and paths -----------------------------------------------------------------

/// A link inside the walked tree to a post outside it, and a linked folder: neither is
/// walked (a walked link is not followed), a link given explicitly is read but refused
/// for writing, and nothing outside the tree is written.
#[test]
fn symlinks_are_never_followed_out_of_the_tree_for_writing() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside");
    let tree = dir.path().join("tree");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::create_dir_all(&tree).unwrap();
    let sample = std::fs::read(fixture("detained-canadians.md")).unwrap();
    std::fs::write(outside.join("secret.md"), &sample).unwrap();
    std::fs::write(tree.join("own.md"), &sample).unwrap();
    std::os::unix::fs::symlink(outside.join("secret.md"), tree.join("link.md")).unwrap();
    std::os::unix::fs::symlink(&outside, tree.join("linked-folder")).unwrap();

    let out = run(fmx().current_dir(&tree).args([
        "convert",
        "--no-config",
        "--color",
        "never",
        "--output-format",
        "json",
        "--to",
        "toml",
        "--write",
        ".",
    ]));
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let files: BTreeMap<String, (String, String)> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                (
                    f["status"].as_str().unwrap().to_string(),
                    f["reason"].as_str().unwrap_or_default().to_string(),
                ),
            )
        })
        .collect();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        ["own.md"],
        "{}",
        out.stdout
    );
    assert_eq!(files["own.md"].0, "converted");
    let out = run(fmx().current_dir(&tree).args([
        "convert",
        "--no-config",
        "--color",
        "never",
        "--to",
        "toml",
        "--write",
        "link.md",
    ]));
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("link.md: error: not written: is a symbolic link"),
        "{}",
        out.stdout
    );
    assert_eq!(std::fs::read(outside.join("secret.md")).unwrap(), sample);
    assert!(
        std::fs::symlink_metadata(tree.join("link.md"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(names(&outside), ["secret.md"]);
}

#[test]
fn nothing_outside_the_given_paths_is_written() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["a", "b"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        std::fs::copy(
            fixture("detained-canadians.md"),
            dir.path().join(sub).join("post.md"),
        )
        .unwrap();
    }
    let before = std::fs::read(dir.path().join("b/post.md")).unwrap();
    let out = convert_one(dir.path(), "a");
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        std::fs::read(dir.path().join("a/post.md"))
            .unwrap()
            .starts_with(b"+++\n")
    );
    assert_eq!(std::fs::read(dir.path().join("b/post.md")).unwrap(), before);
    assert_eq!(names(dir.path()), ["a", "b"]);
    assert_eq!(names(&dir.path().join("a")), ["post.md"]);
}

/// The one thing a kill can leave (see `kill_9_during_convert_write`): a post under a
/// hidden temporary name. Walking the folder does not take it for a post, and the next
/// run that writes into the folder removes it, unless another fmx is writing there (it
/// holds the folder's shared lock, which `flock -s` stands in for here).
#[test]
fn a_leftover_temporary_name_is_not_walked_and_the_next_write_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("detained-canadians.md"), dir.path().join("post.md")).unwrap();
    let leftover = dir.path().join(".fmx-Ab3dE9Ab3dE9.tmp");
    std::fs::write(&leftover, "+++\ntitle = \"t\"\n+++\nBody.\n").unwrap();
    let out = run(fmx().current_dir(dir.path()).args([
        "check",
        "--no-config",
        "--output-format",
        "json",
        ".",
    ]));
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["files"], 1, "{}", out.stdout);

    // `-o`: the lock stays with `flock` itself, which the kill below ends.
    let held = Command::new("flock")
        .args(["-s", "-o"])
        .arg(dir.path())
        .args(["sleep", "5"])
        .spawn();
    if let Ok(mut held) = held {
        std::thread::sleep(Duration::from_millis(300));
        let out = convert_one(dir.path(), "post.md");
        assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
        assert!(
            leftover.exists(),
            "removed while another writer held the folder"
        );
        held.kill().unwrap();
        held.wait().unwrap();
        std::fs::copy(fixture("detained-canadians.md"), dir.path().join("post.md")).unwrap();
    }
    let out = convert_one(dir.path(), "post.md");
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(names(dir.path()), ["post.md"]);
}
