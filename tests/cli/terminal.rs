//! fmx as a person runs it: stdin, stdout and stderr on a pseudo-terminal.
//!
//! Every piped test can pass while an interactive run hangs (a progress bar's tick thread
//! once waited forever for a stderr lock the main thread held). These tests run each command
//! on a real pty with a deadline, read what the terminal would show, and type Ctrl-C.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};

use crate::support::{fixture, write};

/// What a terminal showed, and how the program ended.
struct Screen {
    /// Everything written to the terminal, escape sequences included.
    bytes: Vec<u8>,
    /// The exit code; `None` when the program hit the deadline and was killed.
    code: Option<i32>,
}

impl Screen {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    #[track_caller]
    fn finished(&self) -> i32 {
        self.code.unwrap_or_else(|| {
            panic!(
                "fmx did not finish on a terminal; the screen showed:\n{}",
                self.text()
            )
        })
    }
}

/// A running program whose three standard streams are one pty.
struct OnTerminal {
    child: Child,
    master: File,
    screen: Arc<Mutex<Vec<u8>>>,
    reader: std::thread::JoinHandle<()>,
}

const DEADLINE: Duration = Duration::from_secs(30);

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fmx"));
    cmd.env_remove("NO_COLOR")
        .env_remove("CI")
        .env("TERM", "xterm-256color");
    cmd
}

impl OnTerminal {
    fn start(mut cmd: Command) -> OnTerminal {
        let master: OwnedFd =
            openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).expect("a pseudo-terminal");
        grantpt(&master).expect("grantpt");
        unlockpt(&master).expect("unlockpt");
        let name = ptsname(&master, Vec::new()).expect("ptsname");
        let size = rustix::termios::Winsize {
            ws_row: 24,
            ws_col: 100,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        rustix::termios::tcsetwinsize(&master, size).expect("window size");
        let slave = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(name.to_str().expect("pty name"))
            .expect("pty slave");
        cmd.stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave));
        // SAFETY: setsid and TIOCSCTTY are async-signal-safe system calls; the pty becomes the
        // controlling terminal, so Ctrl-C typed on it is SIGINT to fmx, as in a shell.
        unsafe {
            cmd.pre_exec(|| {
                rustix::process::setsid()?;
                rustix::process::ioctl_tiocsctty(BorrowedFd::borrow_raw(0))?;
                Ok(())
            });
        }
        let child = cmd.spawn().expect("fmx starts");
        // The slave's copies went with `cmd`: once fmx exits, reading the master ends.
        drop(cmd);
        let master = File::from(master);
        let screen = Arc::new(Mutex::new(Vec::new()));
        let reader = {
            let mut master = master.try_clone().unwrap();
            let screen = Arc::clone(&screen);
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n @ 1..) = master.read(&mut buf) {
                    screen.lock().unwrap().extend_from_slice(&buf[..n]);
                }
            })
        };
        OnTerminal {
            child,
            master,
            screen,
            reader,
        }
    }

    fn shown(&self) -> String {
        String::from_utf8_lossy(&self.screen.lock().unwrap()).into_owned()
    }

    /// Waits until the screen shows `text`; false at the deadline or when fmx has exited.
    fn wait_for(&mut self, text: &str, deadline: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < deadline {
            if self.shown().contains(text) {
                return true;
            }
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return self.shown().contains(text);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        false
    }

    fn type_keys(&mut self, keys: &[u8]) {
        self.master.write_all(keys).expect("typing on the terminal");
    }

    /// Waits for the exit (killing the process group at the deadline) and the last output.
    fn finish(mut self) -> Screen {
        let start = Instant::now();
        let code = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status.code();
            }
            if start.elapsed() > DEADLINE {
                let pid = rustix::process::Pid::from_child(&self.child);
                let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
                let _ = self.child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        // Output still in the pty's buffer arrives after the exit.
        let start = Instant::now();
        while !self.reader.is_finished() && start.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(5));
        }
        let bytes = self.screen.lock().unwrap().clone();
        let _ = self.master.as_fd();
        Screen { bytes, code }
    }
}

fn on_terminal(dir: &Path, args: &[&str]) -> Screen {
    let mut cmd = bin();
    cmd.current_dir(dir).args(args);
    OnTerminal::start(cmd).finish()
}

/// `count` small valid posts in `dir`.
fn archive(dir: &Path, count: usize) {
    for i in 0..count {
        write(
            &dir.join(format!("post-{i:05}.md")),
            &format!(
                "---\ntitle: Post {i}\ndate: 1602377984.4306138\ntags: [a, b]\n---\nBody {i}\n"
            ),
        );
    }
}

#[test]
fn check_on_a_terminal_finishes_and_shows_the_finding() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("post.md"), "---\ntitle: T\n---\nBody\n");
    let screen = on_terminal(dir.path(), &["check", "--no-config", "post.md"]);
    assert_eq!(screen.finished(), 1);
    let text = screen.text();
    assert!(text.contains("post.md:1:1:"), "{text}");
    assert!(text.contains("missing-field"), "{text}");
    assert!(text.contains("checked 1 file"), "{text}");
}

#[test]
fn check_on_a_terminal_finishes_on_an_empty_folder_with_one_job_and_in_json() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    for args in [
        &["check", "--no-config", "empty"][..],
        &["check", "--no-config", "-j1", "empty"],
        &["check", "--no-config", "--output-format", "json", "empty"],
    ] {
        let screen = on_terminal(dir.path(), args);
        assert_eq!(screen.finished(), 0, "{args:?}: {}", screen.text());
    }
}

#[test]
fn convert_dry_run_and_write_on_a_terminal_finish() {
    let dir = tempfile::tempdir().unwrap();
    archive(dir.path(), 3);
    let screen = on_terminal(dir.path(), &["convert", "--no-config", "--to", "toml", "."]);
    assert_eq!(screen.finished(), 0, "{}", screen.text());
    assert!(
        screen.text().contains("+title = \"Post 0\""),
        "{}",
        screen.text()
    );
    let screen = on_terminal(
        dir.path(),
        &["convert", "--no-config", "--to", "toml", "--write", "."],
    );
    assert_eq!(screen.finished(), 0, "{}", screen.text());
    let after = std::fs::read_to_string(dir.path().join("post-00001.md")).unwrap();
    assert!(after.starts_with("+++\ntitle = \"Post 1\"\n"), "{after}");
}

#[test]
fn edit_and_schema_on_a_terminal_finish() {
    let dir = tempfile::tempdir().unwrap();
    archive(dir.path(), 3);
    let screen = on_terminal(
        dir.path(),
        &["edit", "--no-config", "--rename", "tags=labels", "."],
    );
    assert_eq!(screen.finished(), 0, "{}", screen.text());
    assert!(
        screen.text().contains("+labels: [a, b]"),
        "{}",
        screen.text()
    );
    let screen = on_terminal(
        dir.path(),
        &[
            "edit",
            "--no-config",
            "--set",
            "draft=false",
            "--write",
            ".",
        ],
    );
    assert_eq!(screen.finished(), 0, "{}", screen.text());
    let after = std::fs::read_to_string(dir.path().join("post-00002.md")).unwrap();
    assert!(after.contains("draft: false\n"), "{after}");
    let screen = on_terminal(dir.path(), &["schema", "--no-config"]);
    assert_eq!(screen.finished(), 0, "{}", screen.text());
    assert!(screen.text().contains("\"$schema\""), "{}", screen.text());
}

#[test]
fn init_and_explain_on_a_terminal_finish() {
    let dir = tempfile::tempdir().unwrap();
    let screen = on_terminal(dir.path(), &["init"]);
    assert_eq!(screen.finished(), 0, "{}", screen.text());
    assert!(dir.path().join("fmx.toml").is_file());
    let screen = on_terminal(dir.path(), &["init", "--stdout"]);
    assert_eq!(screen.finished(), 0, "{}", screen.text());
    assert!(screen.text().contains("required"), "{}", screen.text());
    let screen = on_terminal(dir.path(), &["explain", "date-not-epoch"]);
    assert_eq!(screen.finished(), 0, "{}", screen.text());
    assert!(
        screen.text().contains("What it checks"),
        "{}",
        screen.text()
    );
    let screen = on_terminal(dir.path(), &["explain"]);
    assert_eq!(screen.finished(), 0, "{}", screen.text());
}

#[test]
fn the_reference_post_checks_clean_on_a_terminal() {
    let screen = on_terminal(
        &fixture(""),
        &["check", "--no-config", "detained-canadians.md"],
    );
    assert_eq!(screen.finished(), 0, "{}", screen.text());
}

/// A long run draws a bar while it works and clears it before the summary; Ctrl-C typed
/// on the terminal stops it with the partial summary and exit 130.
#[test]
fn a_long_convert_shows_progress_and_stops_on_ctrl_c() {
    let dir = tempfile::tempdir().unwrap();
    archive(dir.path(), 6000);
    let mut cmd = bin();
    cmd.current_dir(dir.path())
        .args(["convert", "--no-config", "--to", "toml", "--write", "."]);
    let mut run = OnTerminal::start(cmd);
    let drawn = run.wait_for("files (", DEADLINE);
    let shown = run.shown();
    assert!(drawn, "no progress bar was drawn:\n{shown}");
    assert!(shown.contains("converting"), "{shown}");
    run.type_keys(b"\x03");
    let screen = run.finish();
    let code = screen.finished();
    let text = screen.text();
    // The run may have been near its end when the key arrived; either way it ended and
    // said what it did.
    assert!(code == 130 || code == 0, "exit {code}:\n{text}");
    if code == 130 {
        assert!(text.contains("interrupted"), "{text}");
    }
    assert!(text.contains("converted"), "{text}");
}
