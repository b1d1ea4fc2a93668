//! What a post means, and what reading it may cost, hold for every input: nesting and
//! number bounds, format conformance, and the readings other YAML and TOML readers take.

use std::path::Path;

use crate::support::{Output, fmx, run, write};

const NO_LIMIT: &str = "[limits]\nmax-depth = 1000000\n";

fn in_dir(dir: &Path, args: &[&str]) -> Output {
    run(fmx().current_dir(dir).args(args))
}

/// `n` arrays inside each other and `n` mappings inside each other, as YAML and as JSON.
fn deep_posts(dir: &Path, n: usize) {
    let (open, close) = ("[".repeat(n), "]".repeat(n));
    let (yopen, jopen, shut) = ("{x: ".repeat(n), "{\"x\": ".repeat(n), "}".repeat(n));
    write(
        &dir.join("y.md"),
        &format!("---\na: {open}{close}\nb: {yopen}1{shut}\n---\nBody\n"),
    );
    write(
        &dir.join("j.md"),
        &format!("{{\"a\": {open}{close}, \"b\": {jopen}1{shut}}}\nBody\n"),
    );
}

#[test]
fn nesting_beyond_the_ceiling_is_a_diagnostic_whatever_max_depth_says() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("fmx.toml"), NO_LIMIT);
    for n in [5_000, 40_000] {
        deep_posts(dir.path(), n);
        for post in ["y.md", "j.md"] {
            let out = in_dir(dir.path(), &["check", post]);
            assert_eq!(out.code, 1, "{post} at {n}: {}{}", out.stdout, out.stderr);
            assert!(
                out.stdout
                    .contains("error[limit-exceeded] nesting deeper than 256 levels"),
                "{}",
                out.stdout
            );
            for to in ["yaml", "toml", "json"] {
                // `run` fails the test if fmx died of a signal (a stack overflow aborts).
                let out = in_dir(dir.path(), &["convert", "--to", to, post]);
                assert!(
                    out.stdout.contains("nesting deeper than 256 levels"),
                    "{post} at {n} to {to}: {}{}",
                    out.stdout,
                    out.stderr
                );
            }
        }
    }
}

#[test]
fn nesting_at_the_ceiling_converts_in_every_direction() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("fmx.toml"), NO_LIMIT);
    // The root counts as a level: 255 arrays inside it are 256 levels.
    deep_posts(dir.path(), 255);
    for post in ["y.md", "j.md"] {
        let out = in_dir(dir.path(), &["check", post]);
        assert!(!out.stdout.contains("limit-exceeded"), "{}", out.stdout);
        for to in ["yaml", "json", "toml"] {
            let copy = format!("{to}-{post}");
            std::fs::copy(dir.path().join(post), dir.path().join(&copy)).unwrap();
            let out = in_dir(dir.path(), &["convert", "--to", to, "--write", &copy]);
            // TOML readers stop at 80 levels: fmx refuses rather than write what they reject.
            if to == "toml" {
                assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
                assert!(out.stdout.contains("refused"), "{}", out.stdout);
                continue;
            }
            assert_eq!(out.code, 0, "{post} to {to}: {}{}", out.stdout, out.stderr);
            let out = in_dir(dir.path(), &["check", &copy]);
            assert!(!out.stdout.contains("error["), "{to}: {}", out.stdout);
        }
    }
    deep_posts(dir.path(), 256);
    let deeper = in_dir(dir.path(), &["check", "y.md"]);
    assert!(
        deeper.stdout.contains("limit-exceeded"),
        "{}",
        deeper.stdout
    );
}

/// Runs `fmx ARGS` in `dir` under a 1 GiB address-space limit, so that a run that would
/// take gigabytes fails fast instead of taking the machine with it.
fn bounded(dir: &Path, args: &[&str]) -> Output {
    let bin = assert_cmd::cargo::cargo_bin("fmx");
    let mut cmd = assert_cmd::Command::new("sh");
    cmd.current_dir(dir)
        .arg("-c")
        .arg("ulimit -v 1048576; exec \"$0\" \"$@\"")
        .arg(bin)
        .args(args);
    run(&mut cmd)
}

#[test]
fn a_huge_negative_exponent_is_refused_without_padding_zeros() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("p.md"),
        "---\ntitle: T\ndate: 1e-2147483648\n---\nBody\n",
    );
    for to in ["toml", "json", "yaml"] {
        let out = bounded(
            dir.path(),
            &[
                "convert",
                "--no-config",
                "--dates",
                "rfc3339",
                "--to",
                to,
                "p.md",
            ],
        );
        assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
        assert!(
            out.stdout.contains(
                "p.md: refused: `date`: `1.0e-2147483648` has more than nine fraction digits"
            ),
            "{}",
            out.stdout
        );
    }
}
