//! fmx in GitHub Actions: the job summary written beside `--output-format github`, and the
//! order of the annotations (GitHub shows only a step's first ones). The packaging itself —
//! wheel, pre-commit hooks, the action — is tried end to end by `scripts/test-dist`.

use std::path::Path;

use crate::support::{fmx, run, write};

const MISSING_TITLE: &str = "---\ndate: 1602377984\n---\nbody\n";
const STRING_DATE: &str = "---\ntitle: T\ndate: 2020-10-10\n---\nbody\n";
const AMBIGUOUS: &str = "---\ntitle: T\ndate: 1602377984\ndraft: yes\n---\nbody\n";

fn check_github(dir: &Path, summary: Option<&Path>) -> crate::support::Output {
    let mut cmd = fmx();
    cmd.current_dir(dir)
        .args(["check", "--no-config", "--output-format", "github", "."])
        .env_remove("GITHUB_STEP_SUMMARY");
    if let Some(path) = summary {
        cmd.env("GITHUB_STEP_SUMMARY", path);
    }
    run(&mut cmd)
}

#[test]
fn github_format_appends_a_job_summary_with_counts_and_first_findings() {
    let site = tempfile::tempdir().unwrap();
    for i in 0..12 {
        write(&site.path().join(format!("m{i:02}.md")), MISSING_TITLE);
    }
    write(&site.path().join("s.md"), STRING_DATE);
    write(&site.path().join("w.md"), AMBIGUOUS);
    let runner = tempfile::tempdir().unwrap();
    let summary = runner.path().join("step_summary");
    // The runner's file already holds earlier steps' summaries: fmx appends.
    write(&summary, "earlier step\n");
    let out = check_github(site.path(), Some(&summary));
    assert_eq!(out.code, 1, "{}", out.stderr);
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.starts_with("earlier step\n### fmx check failed (exit 1)\n"),
        "{md}"
    );
    // Errors before warnings, then rules by name.
    assert!(
        md.contains(
            "| rule | severity | findings |\n|---|---|--:|\n\
             | date-not-epoch | error | 1 |\n\
             | missing-field | error | 12 |\n\
             | ambiguous-value | warning | 1 |\n"
        ),
        "{md}"
    );
    // The first ten findings of a rule, with path:line:col, then a count of the rest.
    assert!(md.contains("- m00\\.md:1:1: required field"), "{md}");
    assert!(md.contains("- m09\\.md:1:1: "), "{md}");
    assert!(!md.contains("m10\\.md"), "{md}");
    assert!(md.contains("- … and 2 more\n"), "{md}");
    assert!(md.contains("- s\\.md:3:7: "), "{md}");
    assert!(md.contains("- w\\.md:4:8: "), "{md}");
}

#[test]
fn job_summary_of_a_clean_run_says_it_passed() {
    let site = tempfile::tempdir().unwrap();
    std::fs::copy(
        crate::support::fixture("detained-canadians.md"),
        site.path().join("post.md"),
    )
    .unwrap();
    let runner = tempfile::tempdir().unwrap();
    let summary = runner.path().join("step_summary");
    let out = check_github(site.path(), Some(&summary));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.starts_with("### fmx check passed (exit 0)\n"), "{md}");
    assert!(!md.contains("| rule |"), "{md}");
}

#[test]
fn job_summary_escapes_file_names() {
    let site = tempfile::tempdir().unwrap();
    for name in ["a|b.md", "c`d`.md", "<img src=x>.md", "two\nlines.md"] {
        write(&site.path().join(name), MISSING_TITLE);
    }
    let runner = tempfile::tempdir().unwrap();
    let summary = runner.path().join("step_summary");
    let out = check_github(site.path(), Some(&summary));
    assert_eq!(out.code, 1, "{}", out.stderr);
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.contains(r"a\|b\.md:1:1"), "{md}");
    assert!(md.contains(r"c\`d\`\.md:1:1"), "{md}");
    assert!(md.contains(r"&lt;img src\=x&gt;\.md:1:1"), "{md}");
    assert!(md.contains(r"two\\nlines\.md:1:1"), "{md}");
    assert!(!md.contains('<'), "{md}");
    // Each finding is one line of Markdown: no raw newline escaped from a name.
    let findings = md.lines().filter(|l| l.starts_with("- ")).count();
    assert_eq!(findings, 4, "{md}");
}

#[test]
fn an_unwritable_job_summary_is_a_warning_not_a_failure() {
    let site = tempfile::tempdir().unwrap();
    write(&site.path().join("s.md"), STRING_DATE);
    let out = check_github(
        site.path(),
        Some(&site.path().join("no/such/dir/summary.md")),
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.starts_with("::error file=s.md,line=3,col=7,"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr
            .contains("warning: cannot write the job summary to "),
        "{}",
        out.stderr
    );
    let site = tempfile::tempdir().unwrap();
    write(&site.path().join("ok.md"), AMBIGUOUS);
    let out = check_github(site.path(), Some(&site.path().join("no/summary.md")));
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn other_formats_write_no_job_summary() {
    let site = tempfile::tempdir().unwrap();
    write(&site.path().join("s.md"), STRING_DATE);
    let summary = site.path().join("summary.md");
    let out = run(fmx()
        .current_dir(site.path())
        .args(["check", "--no-config", "--output-format", "json", "."])
        .env("GITHUB_STEP_SUMMARY", &summary));
    assert_eq!(out.code, 1);
    assert!(!summary.exists());
}

#[test]
fn annotations_put_errors_first_and_one_of_each_rule_before_a_second() {
    let site = tempfile::tempdir().unwrap();
    // In path order: a warning, three missing titles, then a string date. Errors come first,
    // one of each rule (b, e) before the second and third missing titles.
    write(&site.path().join("a.md"), AMBIGUOUS);
    for name in ["b.md", "c.md", "d.md"] {
        write(&site.path().join(name), MISSING_TITLE);
    }
    write(&site.path().join("e.md"), STRING_DATE);
    let out = check_github(site.path(), None);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let order: Vec<&str> = out
        .stdout
        .lines()
        .map(|l| &l[..l.find(",col=").unwrap()])
        .collect();
    assert_eq!(
        order,
        [
            "::error file=b.md,line=1",
            "::error file=e.md,line=3",
            "::error file=c.md,line=1",
            "::error file=d.md,line=1",
            "::warning file=a.md,line=4",
        ]
    );
}
