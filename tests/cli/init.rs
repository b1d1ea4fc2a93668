//! `fmx init --infer`: what it proposes is what the archive holds, and the generated config
//! says exactly that.

use crate::support::{fmx, run, write};

fn archive(posts: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("posts")).unwrap();
    for (i, front) in posts.iter().enumerate() {
        write(
            &dir.path().join(format!("posts/p{i:05}.md")),
            &format!("---\n{front}---\nBody\n"),
        );
    }
    dir
}

#[test]
fn a_field_some_posts_leave_empty_is_not_required_and_the_site_passes_its_config() {
    let dir = archive(&[
        "title: A\ncategories: []\n",
        "title: B\ncategories: [x]\n",
        "title: C\ncategories: []\n",
        "title: D\ncategories: [y]\n",
    ]);
    let out = run(fmx()
        .current_dir(dir.path())
        .args(["init", "--infer", "posts"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let config = std::fs::read_to_string(dir.path().join("fmx.toml")).unwrap();
    assert!(config.contains("required = [\"title\"]\n"), "{config}");
    assert!(
        config
            .contains("categories  present in 4 of 4 posts (100%), filled in 2 of 4 posts (50.0%)"),
        "{config}"
    );
    let check = run(fmx().current_dir(dir.path()).args(["check", "posts"]));
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
}

#[test]
fn shares_never_round_a_partial_count_to_all_or_none() {
    let mut posts = vec!["title: T\ntags: [a]\n"; 1999];
    posts.push("title: T\nrare: 1\n");
    let dir = archive(&posts);
    let out = run(fmx()
        .current_dir(dir.path())
        .args(["init", "--stdout", "--infer", "posts"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("#   tags  present in 1999 of 2000 posts (>99.9%), filled in 1999 of 2000 posts (>99.9%)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("#   rare  present in 1 of 2000 posts (0.1%)"),
        "{}",
        out.stdout
    );
}

#[test]
fn an_existing_config_is_refused_before_the_archive_is_read() {
    let dir = archive(&["title: A\n"]);
    write(&dir.path().join("fmx.toml"), "required = []\n");
    let out = run(fmx()
        .current_dir(dir.path())
        .args(["init", "--infer", "posts"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("fmx.toml already exists"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("read "),
        "the archive was read first: {}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("fmx.toml")).unwrap(),
        "required = []\n"
    );
}

/// A key holding newlines once broke out of a comment in the generated file and added live
/// settings (`exclude = ["**"]`, after which `check` passed on nothing).
#[test]
fn init_infer_cannot_be_turned_into_live_settings_by_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("posts");
    std::fs::create_dir(&posts).unwrap();
    for i in 0..3 {
        write(
            &posts.join(format!("p{i}.md")),
            &format!(
                "---\ntitle: T{i}\n\"a\\nexclude = [\\\"**\\\"]\\n[fields.b\": {i}\n---\nBody\n"
            ),
        );
    }
    let out = run(fmx()
        .current_dir(dir.path())
        .args(["init", "--infer", "posts"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let config = std::fs::read_to_string(dir.path().join("fmx.toml")).unwrap();
    let parsed: toml::Table = config.parse().expect("the generated config is TOML");
    assert!(parsed.get("exclude").is_none(), "{config}");
    // And the site still checks its posts: nothing was excluded.
    let out = run(fmx().current_dir(dir.path()).args(["check", "posts"]));
    assert!(out.stderr.contains("checked 3 files"), "{}", out.stderr);
}
