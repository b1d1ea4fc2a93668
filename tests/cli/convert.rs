//! `fmx convert`: dry run, --write, --check, dates, refusals, and the bytes on disk.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use serde_json::Value;

use crate::support::{Output, fixture, fmx, run};

fn convert_in(dir: &Path, args: &[&str]) -> Output {
    run(fmx()
        .current_dir(dir)
        .args(["convert", "--no-config", "--color", "never"])
        .args(args))
}

/// A temp folder holding a copy of the reference post as `post.md`.
fn reference_copy() -> (tempfile::TempDir, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(fixture("detained-canadians.md")).unwrap();
    std::fs::copy(fixture("detained-canadians.md"), dir.path().join("post.md")).unwrap();
    (dir, bytes)
}

/// The body of the reference post: everything after its closing `--- \n`.
fn reference_body(bytes: &[u8]) -> &[u8] {
    let text = std::str::from_utf8(bytes).unwrap();
    let close = text.match_indices("--- \n").nth(1).unwrap().0;
    &bytes[close + 5..]
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let (dir, before) = reference_copy();
    let out = convert_in(dir.path(), &["--to", "toml", "post.md"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("+date = 1602377984.4306138"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("-date: 1602377984.4306138"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("Trudeau"), "the body is never shown");
    assert!(out.stderr.contains("dry run"), "{}", out.stderr);
    assert_eq!(std::fs::read(dir.path().join("post.md")).unwrap(), before);
}

#[test]
fn write_converts_the_reference_post_exactly_and_back() {
    let (dir, before) = reference_copy();
    let post = dir.path().join("post.md");
    let out = convert_in(dir.path(), &["--to", "toml", "--write", "post.md"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let toml = std::fs::read(&post).unwrap();
    let text = String::from_utf8(toml.clone()).unwrap();
    assert!(
        text.starts_with("+++\nextends = \"_layouts.post\"\nsection = \"content\"\n"),
        "{text}"
    );
    assert!(
        text.contains("\ndate = 1602377984.4306138\n+++\n"),
        "{text}"
    );
    assert_eq!(
        reference_body(&before),
        &toml[toml.len() - reference_body(&before).len()..]
    );

    // Every other format and back: the same values, the same body.
    for to in ["json", "yaml", "toml", "yaml"] {
        let out = convert_in(dir.path(), &["--to", to, "--write", "post.md"]);
        assert_eq!(out.code, 0, "to {to}: {}{}", out.stdout, out.stderr);
        let now = std::fs::read(&post).unwrap();
        assert!(
            now.ends_with(reference_body(&before)),
            "body changed going to {to}"
        );
        assert!(
            String::from_utf8_lossy(&now).contains("1602377984.4306138"),
            "date digits lost going to {to}"
        );
    }
    // Back in YAML, the reference post checks clean, as it did before.
    let check = run(fmx()
        .current_dir(dir.path())
        .args(["check", "--no-config", "post.md"]));
    assert_eq!(check.code, 0, "{}", check.stdout);
}

#[test]
fn check_mode_exit_codes_and_untouched_target_format() {
    let (dir, before) = reference_copy();
    let post = dir.path().join("post.md");
    let mtime = std::fs::metadata(&post).unwrap().modified().unwrap();
    let would = convert_in(dir.path(), &["--to", "toml", "--check", "post.md"]);
    assert_eq!(would.code, 1);
    assert!(would.stdout.contains("post.md"), "{}", would.stdout);
    let same = convert_in(dir.path(), &["--to", "yaml", "--check", "post.md"]);
    assert_eq!(same.code, 0, "{}", same.stdout);
    let write_same = convert_in(dir.path(), &["--to", "yaml", "--write", "post.md"]);
    assert_eq!(write_same.code, 0);
    assert_eq!(std::fs::read(&post).unwrap(), before);
    assert_eq!(std::fs::metadata(&post).unwrap().modified().unwrap(), mtime);
}

#[test]
fn dates_convert_exactly_both_ways() {
    let (dir, _) = reference_copy();
    let post = dir.path().join("post.md");
    let out = convert_in(
        dir.path(),
        &["--to", "toml", "--dates", "rfc3339", "--write", "post.md"],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let text = std::fs::read_to_string(&post).unwrap();
    assert!(
        text.contains("\ndate = 2020-10-11T00:59:44.4306138Z\n"),
        "{text}"
    );
    let out = convert_in(
        dir.path(),
        &[
            "--to",
            "toml",
            "--dates",
            "epoch",
            "--output-format",
            "json",
            "--write",
            "post.md",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let text = std::fs::read_to_string(&post).unwrap();
    assert!(text.contains("\ndate = 1602377984.4306138\n"), "{text}");
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let file = &report["files"][0];
    assert_eq!(file["status"], "converted");
    assert_eq!(file["from"], "toml");
    assert_eq!(file["to"], "toml");
    let change = &file["changes"][0];
    assert_eq!(change["key"], "date");
    assert_eq!(change["from"], "2020-10-11T00:59:44.4306138Z");
    assert_eq!(change["to"], "1602377984.4306138");
}

#[test]
fn refused_files_are_untouched_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let null = "---\ntitle: Has a null\nimage: ~\n---\nbody\n";
    let fine = "---\ntitle: Fine\ndate: 1602377984.5\n---\nbody\n";
    crate::support::write(&dir.path().join("a-null.md"), null);
    crate::support::write(&dir.path().join("b-fine.md"), fine);
    let out = convert_in(
        dir.path(),
        &["--to", "toml", "--write", "--output-format", "json", "."],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a-null.md")).unwrap(),
        null
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("b-fine.md")).unwrap(),
        "+++\ntitle = \"Fine\"\ndate = 1602377984.5\n+++\nbody\n"
    );
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let refused = &report["files"][0];
    assert_eq!(refused["path"], "a-null.md");
    assert_eq!(refused["status"], "refused");
    assert!(
        refused["reason"].as_str().unwrap().contains("image"),
        "{refused}"
    );
    assert_eq!(report["summary"]["converted"], 1);
    assert_eq!(report["summary"]["refused"], 1);
}

#[test]
fn layout_is_kept_bom_crlf_and_no_final_newline() {
    let dir = tempfile::tempdir().unwrap();
    let src = "\u{feff}---\r\ntitle: x\r\ndate: 1.5\r\n---\r\nbody\r\nend";
    crate::support::write(&dir.path().join("p.md"), src);
    let out = convert_in(dir.path(), &["--to", "toml", "--write", "p.md"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.md")).unwrap(),
        "\u{feff}+++\r\ntitle = \"x\"\r\ndate = 1.5\r\n+++\r\nbody\r\nend"
    );
}

#[test]
fn files_without_front_matter_are_never_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::write(&dir.path().join("plain.md"), "# Title\n\ntext\n");
    let out = convert_in(dir.path(), &["--to", "toml", "--write", "plain.md"]);
    assert_eq!(out.code, 0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("plain.md")).unwrap(),
        "# Title\n\ntext\n"
    );
}

#[test]
fn permissions_are_kept_and_symlinks_are_not_replaced() {
    let (dir, _) = reference_copy();
    let post = dir.path().join("post.md");
    std::fs::set_permissions(&post, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink("post.md", dir.path().join("link.md")).unwrap();
    let out = convert_in(dir.path(), &["--to", "json", "--write", "link.md"]);
    assert_eq!(
        out.code, 1,
        "the symlink is an error: {}{}",
        out.stdout, out.stderr
    );
    assert!(out.stdout.contains("link.md: error"), "{}", out.stdout);
    let out = convert_in(dir.path(), &["--to", "json", "--write", "post.md"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        std::fs::metadata(&post).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert!(
        std::fs::symlink_metadata(dir.path().join("link.md"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(std::fs::read_to_string(&post).unwrap().starts_with("{\n"));
}

#[test]
fn overrides_match_relative_to_the_config_folder_from_a_subfolder() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::write(
        &dir.path().join("fmx.toml"),
        "required = [\"title\"]\n[[overrides]]\npaths = [\"news/**\"]\n[overrides.fields.published]\ntype = \"epoch\"\n",
    );
    std::fs::create_dir(dir.path().join("news")).unwrap();
    crate::support::write(
        &dir.path().join("news/a.md"),
        "---\ntitle: x\npublished: 1602377984.5\n---\nbody\n",
    );
    // Run from inside news/: the config is found above, and `a.md` is `news/a.md` to it.
    let out = run(fmx().current_dir(dir.path().join("news")).args([
        "convert", "--to", "toml", "--dates", "rfc3339", "--write", "a.md",
    ]));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let text = std::fs::read_to_string(dir.path().join("news/a.md")).unwrap();
    assert!(
        text.contains("published = 2020-10-11T00:59:44.5Z"),
        "{text}"
    );
}

/// A value holding a line that looks like the closing `+++` (issue 11): the emitter wrote it
/// raw inside a TOML multi-line string, the splitter then closed the block there, and the
/// converted post no longer parsed. The assembled file is now loaded as the next run will
/// load it before anything is written: the post is refused and left as it was — or, where
/// the emitter writes such a line safely, converted to a post that reads back the same.
#[test]
fn convert_never_writes_a_block_that_would_close_early() {
    let sources = [
        "---\ntitle: T\nnote: \"a\\n+++\\nb\"\n---\nBody\n",
        "---\ntitle: T\nnote: \"a\\n+++ \\t\\nb\"\n---\nBody\n",
        "---\ntitle: T\nnote: |\n  a\n  +++\n  b\n---\nBody\n",
        "---\ntitle: T\nextra:\n  note: \"a\\n+++\\nb\"\n---\nBody\n",
    ];
    for source in sources {
        let dir = tempfile::tempdir().unwrap();
        let post = dir.path().join("post.md");
        std::fs::write(&post, source).unwrap();
        let out = convert_in(dir.path(), &["--to", "toml", "--write", "post.md"]);
        let now = std::fs::read_to_string(&post).unwrap();
        if out.code == 1 {
            assert!(
                out.stdout
                    .contains("post.md: refused: the TOML written would not read back"),
                "{source:?}: {}",
                out.stdout
            );
            assert_eq!(now, source, "a refused post is left as it was");
            continue;
        }
        assert_eq!(out.code, 0, "{source:?}: {}{}", out.stdout, out.stderr);
        assert!(now.ends_with("+++\nBody\n"), "{now}");
        let back = convert_in(dir.path(), &["--to", "yaml", "--write", "post.md"]);
        assert_eq!(back.code, 0, "{now:?} does not read back: {}", back.stdout);
        let yaml = std::fs::read_to_string(&post).unwrap();
        // Back in YAML, as a literal block or an escaped string: either holds the same text.
        let lines: Vec<&str> = yaml.lines().map(str::trim).collect();
        assert!(
            lines.windows(3).any(|w| w == ["a", "+++", "b"]) || yaml.contains("a\\n+++"),
            "{yaml:?}"
        );
    }
}

/// One message per failure: `check` and `convert` say the same about an unclosed block
/// (they used to word it differently, and check's "opened here" named no line).
#[test]
fn check_and_convert_word_an_unclosed_block_the_same() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("post.md"), "\n---\ntitle: T\n").unwrap();
    let message = "YAML front matter opened at line 2 is never closed";
    let convert = convert_in(dir.path(), &["--to", "toml", "post.md"]);
    assert!(
        convert
            .stdout
            .contains(&format!("post.md: error: {message}")),
        "{}",
        convert.stdout
    );
    let check = run(fmx().current_dir(dir.path()).args([
        "check",
        "--no-config",
        "--color",
        "never",
        "post.md",
    ]));
    assert!(
        check.stdout.contains(&format!(
            "post.md:2:1: error[unclosed-front-matter] {message}"
        )),
        "{}",
        check.stdout
    );
}

/// Issue 12's smaller misleading results: a dry run's JSON says nothing was written, an
/// absolute path's diff header has one slash, a refusal names where the value is, and a
/// millisecond epoch gets the words `check` uses.
#[test]
fn reports_say_what_was_written_and_where_a_refusal_stands() {
    let dir = tempfile::tempdir().unwrap();
    let post = dir.path().join("p.md");
    std::fs::write(&post, "---\ntitle: T\ndate: 1602377984\n---\nBody\n").unwrap();
    let dry = run(fmx()
        .args([
            "convert",
            "--no-config",
            "--to",
            "toml",
            "--output-format",
            "json",
        ])
        .arg(&post));
    let doc: Value = serde_json::from_str(&dry.stdout).unwrap();
    assert_eq!(doc["dry_run"], true, "{}", dry.stdout);
    assert_eq!(doc["files"][0]["status"], "converted");
    let diff = run(fmx()
        .args(["convert", "--no-config", "--to", "toml"])
        .arg(&post));
    let abs = post.to_str().unwrap();
    assert!(
        diff.stdout.contains(&format!("--- a{abs}\n")),
        "{}",
        diff.stdout
    );
    assert!(!diff.stdout.contains("a//"), "{}", diff.stdout);

    std::fs::write(
        &post,
        "---\ntitle: T\ndate: 1602377984000\ntranslator:\n---\nBody\n",
    )
    .unwrap();
    let out =
        run(fmx()
            .current_dir(dir.path())
            .args(["convert", "--no-config", "--to", "toml", "p.md"]));
    assert_eq!(
        out.stdout,
        "p.md: refused: 4:1: `translator`: TOML has no null (`fmx edit --drop-null` removes null keys first)\n"
    );
    let out = run(fmx().current_dir(dir.path()).args([
        "convert",
        "--no-config",
        "--dates",
        "rfc3339",
        "--to",
        "json",
        "p.md",
    ]));
    let words =
        "1602377984000 looks like milliseconds: as seconds it would be 2020-10-11T00:59:44Z";
    assert_eq!(out.stdout, format!("p.md: refused: 3:7: `date`: {words}\n"));
    let check = run(fmx()
        .current_dir(dir.path())
        .args(["check", "--no-config", "p.md"]));
    assert!(
        check.stdout.contains(&format!("`date` {words}")),
        "{}",
        check.stdout
    );
}

#[test]
fn tz_names_the_zone_of_local_dates_so_dates_can_convert_them() {
    let dir = tempfile::tempdir().unwrap();
    let zola = "+++\ntitle = \"x\"\ndate = 2018-03-15\n+++\nbody \n";
    std::fs::write(dir.path().join("a.md"), zola).unwrap();
    std::fs::write(
        dir.path().join("b.md"),
        "---\nupdated: x\ndate: 2018-07-01 10:00:00\n---\n",
    )
    .unwrap();
    let out = convert_in(
        dir.path(),
        &["--to", "yaml", "--dates", "epoch", "--write", "a.md"],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(
            "a.md: refused: 3:8: `date`: local date 2018-03-15 has no UTC offset, so it names no single instant (`--tz ZONE` names the zone it was written in)"
        ),
        "{}",
        out.stdout
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        zola
    );
    let out = convert_in(
        dir.path(),
        &[
            "--to",
            "yaml",
            "--dates",
            "epoch",
            "--tz",
            "Europe/Berlin",
            "--write",
            "a.md",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    // Midnight in Berlin (UTC+1 in March) is 23:00 UTC the day before.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        "---\ntitle: x\ndate: 1521068400\n---\nbody \n"
    );
    // A local date-time in summer time keeps its wall-clock time, now with +02:00.
    let out = convert_in(
        dir.path(),
        &[
            "--to",
            "toml",
            "--dates",
            "rfc3339",
            "--tz",
            "Europe/Berlin",
            "--write",
            "b.md",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("b.md")).unwrap(),
        "+++\nupdated = \"x\"\ndate = 2018-07-01T10:00:00+02:00\n+++\n"
    );
    let out = convert_in(dir.path(), &["--to", "toml", "--tz", "Mars/Base", "b.md"]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("unknown time zone `Mars/Base`"),
        "{}",
        out.stderr
    );
}
