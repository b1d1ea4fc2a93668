//! Files, links and writes that fmx must not get wrong: a write racing the swap, hard
//! links, extended attributes, owners, read-only posts, names that only look alike, very
//! long names, FIFOs and devices, files too large to read whole, and walked links.

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Output, fixture, fmx, run};

/// A post to convert: the reference post, in a fresh folder.
fn folder_with_post(name: &str) -> (tempfile::TempDir, PathBuf, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let post = dir.path().join(name);
    std::fs::copy(fixture("detained-canadians.md"), &post).unwrap();
    let bytes = std::fs::read(&post).unwrap();
    (dir, post, bytes)
}

fn convert_write(dir: &Path, args: &[&std::ffi::OsStr]) -> Output {
    run(fmx()
        .current_dir(dir)
        .args(["convert", "--no-config", "--color", "never", "--to", "toml"])
        .args(["--write"])
        .args(args))
}

/// Runs fmx with a deadline: a hang is a failure, not a stuck test run.
fn bounded(cmd: &mut Command, secs: u64) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(secs) {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            panic!(
                "fmx hung for {secs}s: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    Output {
        code: out.status.code().expect("an exit code"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The binary as a plain `Command`, for what `assert_cmd` does not do (spawn and wait, a
/// user id).
fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fmx"));
    cmd.env_remove("NO_COLOR").env("CLICOLOR", "0");
    cmd
}

fn running_as_root() -> bool {
    let probe = tempfile::NamedTempFile::new().unwrap();
    probe.as_file().metadata().unwrap().uid() == 0
}

// ---- the changed-since-read window --------------------------------------------------------

/// A write into the post while fmx holds its new version ready (made wide with a test-only
/// pause just before the swap): the post keeps that write, and fmx reports it as changed.
#[test]
fn a_write_just_before_the_swap_is_not_lost() {
    let (dir, post, before) = folder_with_post("post.md");
    let mut child = bin();
    let child = child
        .current_dir(dir.path())
        .env("FMX_TEST_PAUSE_BEFORE_SWAP_MS", "3000")
        .args(["convert", "--no-config", "--color", "never", "--to", "toml"])
        .args(["--write", "post.md"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // fmx reads, converts and writes the new version within a second (it takes a few
    // milliseconds), then pauses for three.
    std::thread::sleep(Duration::from_millis(1000));
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&post)
        .unwrap();
    std::io::Write::write_all(&mut file, b"A line written meanwhile.\n").unwrap();
    drop(file);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("changed on disk"), "{stdout}");
    let mut expected = before.clone();
    expected.extend_from_slice(b"A line written meanwhile.\n");
    assert_eq!(std::fs::read(&post).unwrap(), expected);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "litter");
}

// ---- hard links, extended attributes, owner, read-only ------------------------------------

#[test]
fn a_hard_linked_post_is_refused_and_both_names_keep_it() {
    let (dir, post, before) = folder_with_post("post.md");
    let other = dir.path().join("other-name.txt");
    std::fs::hard_link(&post, &other).unwrap();
    let out = convert_write(dir.path(), &["post.md".as_ref()]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("post.md: error: not written: has 2 hard links"),
        "{}",
        out.stdout
    );
    assert_eq!(std::fs::read(&post).unwrap(), before);
    assert_eq!(std::fs::metadata(&post).unwrap().nlink(), 2);
    assert_eq!(
        std::fs::metadata(&post).unwrap().ino(),
        std::fs::metadata(&other).unwrap().ino()
    );
}

#[test]
fn extended_attributes_are_kept() {
    let (dir, post, _) = folder_with_post("post.md");
    let set = rustix::fs::setxattr(
        &post,
        "user.fmx-test",
        b"kept",
        rustix::fs::XattrFlags::empty(),
    );
    if set.is_err() {
        eprintln!("note: no user extended attributes on this filesystem; skipped");
        return;
    }
    let out = convert_write(dir.path(), &["post.md".as_ref()]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(std::fs::read(&post).unwrap().starts_with(b"+++\n"));
    let mut value = [0u8; 16];
    let n = rustix::fs::getxattr(&post, "user.fmx-test", &mut value[..])
        .expect("the attribute is still there");
    assert_eq!(&value[..n], b"kept");
}

/// Run as a user other than the post's owner (in a folder that user may write), fmx
/// cannot give the new file the old owner: it refuses instead of taking the post over.
#[test]
fn a_post_owned_by_someone_else_is_refused_not_taken_over() {
    if !running_as_root() {
        eprintln!("note: needs root to make a post owned by another user; skipped");
        return;
    }
    let (dir, post, before) = folder_with_post("post.md");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(&post, std::fs::Permissions::from_mode(0o666)).unwrap();
    let mut cmd = bin();
    std::os::unix::process::CommandExt::uid(&mut cmd, 65534);
    std::os::unix::process::CommandExt::gid(&mut cmd, 65534);
    let out = cmd
        .current_dir(dir.path())
        .args(["convert", "--no-config", "--color", "never", "--to", "toml"])
        .args(["--write", "post.md"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("not written: cannot keep its owner (uid 0)"),
        "{stdout}"
    );
    assert_eq!(std::fs::read(&post).unwrap(), before);
    assert_eq!(std::fs::metadata(&post).unwrap().uid(), 0);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "litter");
}

/// A post its owner may not write is left alone, even by root, as an editor would.
#[test]
fn a_read_only_post_is_refused() {
    let (dir, post, before) = folder_with_post("post.md");
    std::fs::set_permissions(&post, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = convert_write(dir.path(), &["post.md".as_ref()]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("post.md: error: not written: is read-only (mode 0444)"),
        "{}",
        out.stdout
    );
    assert_eq!(std::fs::read(&post).unwrap(), before);
    let fixed =
        run(fmx()
            .current_dir(dir.path())
            .args(["check", "--no-config", "--fix", "post.md"]));
    assert_eq!(std::fs::read(&post).unwrap(), before, "{}", fixed.stdout);
}

// ---- names --------------------------------------------------------------------------------

/// Names that displayed alike collapsed into one file: `caf\xe8.md` (Latin-1) and
/// `café.md`, `x\y.md` and `x/y.md`. Each is its own file, shown so that they differ.
#[test]
fn names_that_look_alike_are_all_processed() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read(fixture("detained-canadians.md")).unwrap();
    std::fs::create_dir(dir.path().join("x")).unwrap();
    for name in [
        &b"caf\xe8.md"[..],
        "café.md".as_bytes(),
        b"x\\y.md",
        b"x/y.md",
    ] {
        std::fs::write(dir.path().join(std::ffi::OsStr::from_bytes(name)), &sample).unwrap();
    }
    let out = run(fmx().current_dir(dir.path()).args([
        "check",
        "--no-config",
        "--output-format",
        "json",
        ".",
    ]));
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["files"], 4, "{}", out.stdout);

    let out = run(fmx().current_dir(dir.path()).args([
        "convert",
        "--no-config",
        "--to",
        "toml",
        "--check",
        "--output-format",
        "json",
        ".",
    ]));
    assert_eq!(out.code, 1, "{}", out.stdout);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let mut paths: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    paths.sort();
    assert_eq!(paths, ["caf\\xE8.md", "café.md", "x/y.md", "x\\\\y.md"]);

    let out = convert_write(dir.path(), &[".".as_ref()]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let latin1 = dir.path().join(std::ffi::OsStr::from_bytes(b"caf\xe8.md"));
    assert!(std::fs::read(latin1).unwrap().starts_with(b"+++\n"));
    assert!(
        std::fs::read(dir.path().join("x\\y.md"))
            .unwrap()
            .starts_with(b"+++\n")
    );
}

/// A name of 255 bytes, the longest most filesystems allow, converts: the temporary
/// name does not grow with it.
#[test]
fn a_post_with_a_255_byte_name_converts() {
    let name = format!("{}.md", "n".repeat(252));
    assert_eq!(name.len(), 255);
    let (dir, post, _) = folder_with_post(&name);
    let out = convert_write(dir.path(), &[name.as_ref()]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(std::fs::read(&post).unwrap().starts_with(b"+++\n"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// A file name with a newline and an escape sequence is shown escaped, never raw.
#[test]
fn control_characters_in_a_name_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a\n\u{1b}[2Jb.md"), "---\ntitle: [\n---\n").unwrap();
    let out =
        run(fmx()
            .current_dir(dir.path())
            .args(["check", "--no-config", "--color", "never", "."]));
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("a\\n\\u{1b}[2Jb.md:"), "{}", out.stdout);
    assert!(!out.stdout.contains('\u{1b}'), "{}", out.stdout);
}

// ---- FIFOs, devices, large files, walked links --------------------------------------------

fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

/// A FIFO given as a path or met while walking, and a walked link to a FIFO or to
/// `/dev/stdin`: reported or skipped, never opened for a blocking read.
#[test]
fn fifos_and_devices_are_reported_not_read() {
    let dir = tempfile::tempdir().unwrap();
    if !mkfifo(&dir.path().join("pipe.md")) {
        eprintln!("note: mkfifo failed; skipped");
        return;
    }
    std::fs::copy(fixture("detained-canadians.md"), dir.path().join("ok.md")).unwrap();
    std::os::unix::fs::symlink("pipe.md", dir.path().join("to-pipe.md")).unwrap();
    std::os::unix::fs::symlink("/dev/stdin", dir.path().join("stdin.md")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.md")).unwrap();
    for args in [
        vec!["check", "--no-config", "--color", "never"],
        vec!["check", "--no-config", "--color", "never", "--fix"],
        vec!["convert", "--no-config", "--color", "never", "--to", "toml"],
        vec![
            "convert",
            "--no-config",
            "--color",
            "never",
            "--to",
            "json",
            "--write",
        ],
    ] {
        let walked = bounded(bin().current_dir(dir.path()).args(&args).arg("."), 20);
        assert_eq!(
            walked.code, 1,
            "{args:?}: {}{}",
            walked.stdout, walked.stderr
        );
        assert!(
            walked.stdout.contains("pipe.md") && walked.stdout.contains("is a FIFO"),
            "{args:?}: {}",
            walked.stdout
        );
        for name in ["pipe.md", "to-pipe.md", "zero.md"] {
            let given = bounded(bin().current_dir(dir.path()).args(&args).arg(name), 20);
            assert_eq!(given.code, 1, "{args:?} {name}: {}", given.stdout);
            assert!(
                given.stdout.contains("not a regular file"),
                "{args:?} {name}: {}",
                given.stdout
            );
        }
    }
}

/// A post larger than fmx reads whole (the block limit plus 128 MiB of body): a
/// diagnostic, without reading it into memory. A sparse file costs the test no disk.
#[test]
fn a_file_too_large_to_rewrite_is_an_error_not_a_read() {
    let (dir, post, _) = folder_with_post("post.md");
    let file = std::fs::OpenOptions::new().write(true).open(&post).unwrap();
    file.set_len(3 << 30).unwrap();
    drop(file);
    for args in [
        vec!["convert", "--no-config", "--color", "never", "--to", "toml"],
        vec!["check", "--no-config", "--color", "never", "--diff"],
    ] {
        let out = bounded(bin().current_dir(dir.path()).args(&args).arg("post.md"), 20);
        assert_eq!(out.code, 1, "{args:?}: {}{}", out.stdout, out.stderr);
        assert!(
            out.stdout.contains("is 3221225472 bytes, over the"),
            "{args:?}: {}",
            out.stdout
        );
    }
}

/// `post.md -> ../outside/secret.md`: a walk does not follow it, so the dry run shows
/// nothing of the secret; given explicitly, the link is read (as ripgrep does).
#[test]
fn a_walked_link_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&tree).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.md"), "---\ntoken: hunter2\n---\n").unwrap();
    std::os::unix::fs::symlink("../outside/secret.md", tree.join("post.md")).unwrap();
    let out = run(fmx()
        .current_dir(&tree)
        .args(["convert", "--no-config", "--to", "toml", "."]));
    assert!(!out.stdout.contains("hunter2"), "{}", out.stdout);
    assert!(out.stderr.contains("of 0 files"), "{}", out.stderr);
    let out =
        run(fmx()
            .current_dir(&tree)
            .args(["convert", "--no-config", "--to", "toml", "post.md"]));
    assert!(out.stdout.contains("hunter2"), "{}", out.stdout);
}

// ---- config discovery ---------------------------------------------------------------------

/// How many files `check` took from `cwd`, with `HOME` set to `home`.
fn files_checked(cwd: &Path, home: &Path) -> serde_json::Value {
    let out = run(fmx().current_dir(cwd).env("HOME", home).args([
        "check",
        "--output-format",
        "json",
        ".",
    ]));
    let doc: serde_json::Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|_| panic!("{}{}", out.stdout, out.stderr));
    doc["summary"]["files"].clone()
}

/// A config that takes every post out of the run (`exclude = ["**"]`), above the posts,
/// outside any repository: taken only from where the user could have put it.
#[test]
fn config_discovery_stops_at_home_and_at_files_others_could_plant() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let site = root.join("home/site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::copy(fixture("detained-canadians.md"), site.join("post.md")).unwrap();
    let config = root.join("fmx.toml");
    std::fs::write(&config, "exclude = [\"**\"]\n").unwrap();
    let elsewhere = root.join("elsewhere");
    // Below the home directory, a config above it is not taken; with the home elsewhere,
    // the same file is (it is the user's own).
    assert_eq!(files_checked(&site, &root.join("home")), 1);
    assert_eq!(files_checked(&site, &elsewhere), 0);
    // Others may write it: not taken.
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o666)).unwrap();
    assert_eq!(files_checked(&site, &elsewhere), 1);
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    // Another user's file: not taken (needs root to make one).
    if running_as_root() {
        std::os::unix::fs::chown(&config, Some(65534), Some(65534)).unwrap();
        assert_eq!(files_checked(&site, &elsewhere), 1);
        std::os::unix::fs::chown(&config, Some(0), Some(0)).unwrap();
    }
    // In a folder others may write (a shared temporary folder): not taken.
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o1777)).unwrap();
    assert_eq!(files_checked(&site, &elsewhere), 1);
}
