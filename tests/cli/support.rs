//! Shared helpers: run the binary, locate fixtures and the real-world corpus.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn fmx() -> Command {
    let mut cmd = Command::cargo_bin("fmx").expect("the fmx binary is built");
    cmd.env_remove("NO_COLOR").env("CLICOLOR", "0");
    cmd
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

pub fn fixture(name: &str) -> PathBuf {
    fixtures().join(name)
}

/// `../shared/corpus/real` beside the repository, or `$FMX_CORPUS`. `None` (and a note)
/// when absent, unless `FMX_REQUIRE_CORPUS` is set, as CI does.
pub fn corpus() -> Option<PathBuf> {
    let path = std::env::var_os("FMX_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real"));
    if path.is_dir() {
        return Some(path);
    }
    assert!(
        std::env::var_os("FMX_REQUIRE_CORPUS").is_none(),
        "the real-world corpus is required but missing at {}",
        path.display()
    );
    eprintln!("note: corpus not found at {}; skipped", path.display());
    None
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("fmx runs");
    Output {
        code: out
            .status
            .code()
            .expect("fmx exits with a code, not a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `fmx check --no-config ARGS` in the fixtures folder.
pub fn check(args: &[&str]) -> Output {
    run(fmx()
        .current_dir(fixtures())
        .arg("check")
        .arg("--no-config")
        .args(args))
}

/// Writes a test input file.
pub fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("test input written");
}
