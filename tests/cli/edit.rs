//! `fmx edit`: each operation in YAML, TOML and JSON, the exact bytes written, refusals that
//! leave the file untouched, recipes, `--check`, and the reference post's lines kept.

use std::path::Path;

use crate::support::{Output, fixture, fmx, run, write};

fn edit_in(dir: &Path, args: &[&str]) -> Output {
    run(fmx()
        .current_dir(dir)
        .args(["edit", "--no-config", "--color", "never", "--no-progress"])
        .args(args))
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

const YAML: &str = "---\n# The title\ntitle: 'Hello'   # trailing\ntags:\n  - Docker\n  - rust\n\nlayout: post  # gone\n# about the url\nurl: /a/\nempty:\n---\nbody \n\n";

#[test]
fn yaml_operations_touch_only_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("2019-05-03-a.md"), YAML);
    let out = edit_in(
        dir.path(),
        &[
            "--write",
            "--rename",
            "url=permalink",
            "--unset",
            "layout",
            "--drop-null",
            "--set-str",
            "author=Ann Smith",
            "--date-from-filename",
            "date",
            ".",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        read(dir.path(), "2019-05-03-a.md"),
        "---\n# The title\ntitle: 'Hello'   # trailing\ntags:\n  - Docker\n  - rust\n\n# about the url\npermalink: /a/\nauthor: Ann Smith\ndate: 2019-05-03\n---\nbody \n\n"
    );
    assert!(out.stderr.contains("edited 1 of 1 files"), "{}", out.stderr);
}

#[test]
fn removed_comments_and_dropped_nulls_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("a.md"), YAML);
    let out = edit_in(dir.path(), &["--unset", "layout", "--drop-null", "a.md"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("a.md: note: `layout` comment-removed: # gone"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("a.md: note: `empty` dropped-null"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("-layout: post  # gone\n"),
        "{}",
        out.stdout
    );
    assert_eq!(read(dir.path(), "a.md"), YAML, "a dry run writes nothing");
}

#[test]
fn replace_rewrites_only_the_matching_entry() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("a.md"), YAML);
    let out = edit_in(
        dir.path(),
        &["--write", "--replace", "tags", "Docker", "docker", "a.md"],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        read(dir.path(), "a.md"),
        YAML.replace("- Docker", "- docker")
    );
}

#[test]
fn toml_plain_keys_go_before_tables_and_a_moved_key_creates_its_table() {
    let dir = tempfile::tempdir().unwrap();
    let before = "+++\ntitle = \"Hello\" # keep\ntags = [\"Docker\", \"rust\"]\n\n[params]\nauthor = \"x\"\n+++\nbody\n";
    write(&dir.path().join("b.md"), before);
    let out = edit_in(
        dir.path(),
        &[
            "--write",
            "--set",
            "draft=false",
            "--rename",
            "tags=taxonomies.tags",
            "b.md",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        read(dir.path(), "b.md"),
        "+++\ntitle = \"Hello\" # keep\ndraft = false\n\n[params]\nauthor = \"x\"\n\n[taxonomies]\ntags = [\"Docker\", \"rust\"]\n+++\nbody\n"
    );
    assert!(
        out.stdout.contains("b.md: note: `draft` moved"),
        "{}",
        out.stdout
    );
}

#[test]
fn toml_rename_in_place_keeps_the_value_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let before = "+++\n# when\ndate = 2018-03-15   # local\nurl = '/x/'\n\n[extra]\na = 1\n+++\n";
    write(&dir.path().join("z.md"), before);
    let out = edit_in(dir.path(), &["--write", "--rename", "url=path", "z.md"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        read(dir.path(), "z.md"),
        before.replace("url = '/x/'", "path = '/x/'")
    );
}

#[test]
fn pretty_json_keeps_its_indentation_and_commas() {
    let dir = tempfile::tempdir().unwrap();
    let before =
        "{\n    \"title\": \"Hello\",\n    \"url\": \"/a/\",\n    \"draft\": null\n}\nbody\n";
    write(&dir.path().join("c.md"), before);
    let out = edit_in(
        dir.path(),
        &[
            "--write",
            "--rename",
            "url=permalink",
            "--drop-null",
            "--set",
            "tags=[\"a\"]",
            "c.md",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        read(dir.path(), "c.md"),
        "{\n    \"title\": \"Hello\",\n    \"permalink\": \"/a/\",\n    \"tags\": [\"a\"]\n}\nbody\n"
    );
}

#[test]
fn the_reference_post_keeps_its_folded_scalars_and_trailing_spaces() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(fixture("detained-canadians.md")).unwrap();
    write(&dir.path().join("post.md"), &original);
    let out = edit_in(
        dir.path(),
        &[
            "--write",
            "--set",
            "draft=false",
            "--rename",
            "title=headline",
            "--unset",
            "image",
            "post.md",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let image = original
        .lines()
        .find(|l| l.starts_with("image: "))
        .unwrap()
        .to_string()
        + "\n";
    let expected = original
        .replacen(&image, "", 1)
        .replacen("title: > \n", "headline: > \n", 1)
        .replacen(
            "date: 1602377984.4306138 \n",
            "date: 1602377984.4306138 \ndraft: false\n",
            1,
        );
    assert_eq!(read(dir.path(), "post.md"), expected);
}

#[test]
fn an_existing_target_refuses_the_file_untouched_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("a.md"),
        "---\nurl: /a/\npermalink: /b/\n---\n",
    );
    write(&dir.path().join("b.md"), "---\nurl: /a/\n---\n");
    let out = edit_in(dir.path(), &["--write", "--rename", "url=permalink", "."]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(
            "a.md: refused: cannot rename `url` to `permalink`: `permalink` already exists"
        ),
        "{}",
        out.stdout
    );
    assert_eq!(
        read(dir.path(), "a.md"),
        "---\nurl: /a/\npermalink: /b/\n---\n"
    );
    assert_eq!(read(dir.path(), "b.md"), "---\npermalink: /a/\n---\n");
}

#[test]
fn a_flow_mapping_is_re_emitted_and_listed_as_reformatted() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("f.md"), "---\n{title: a, url: b}\n---\n");
    let out = edit_in(dir.path(), &["--write", "--unset", "url", "f.md"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(read(dir.path(), "f.md"), "---\ntitle: a\n---\n");
    assert!(out.stdout.contains("reformatted"), "{}", out.stdout);
}

#[test]
fn check_fails_until_the_edit_is_applied() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("a.md"),
        "---\ntitle: x\nlayout: post\n---\n",
    );
    let out = edit_in(dir.path(), &["--check", "--unset", "layout", "."]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("a.md: would be edited"),
        "{}",
        out.stdout
    );
    assert_eq!(
        edit_in(dir.path(), &["--write", "--unset", "layout", "."]).code,
        0
    );
    let again = edit_in(dir.path(), &["--check", "--unset", "layout", "."]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
}

#[test]
fn operations_apply_in_the_order_given() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("a.md"), "---\na: 1\n---\n");
    // Rename first, then set the old name: both keys. The other order refuses the file.
    let out = edit_in(
        dir.path(),
        &["--write", "--rename", "a=b", "--set", "a=2", "a.md"],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(read(dir.path(), "a.md"), "---\nb: 1\na: 2\n---\n");
    let out = edit_in(
        dir.path(),
        &["--write", "--set", "c=3", "--rename", "b=c", "a.md"],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert_eq!(read(dir.path(), "a.md"), "---\nb: 1\na: 2\n---\n");
}

#[test]
fn a_recipe_applies_its_steps_to_the_paths_they_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("posts")).unwrap();
    std::fs::create_dir(dir.path().join("drafts")).unwrap();
    write(
        &dir.path().join("posts/a.md"),
        "---\ntitle: x\nlayout: post\n---\n",
    );
    write(
        &dir.path().join("drafts/b.md"),
        "---\ntitle: y\nlayout: post\n---\n",
    );
    write(
        &dir.path().join("r.toml"),
        "[[step]]\nunset = \"layout\"\n\n[[step]]\npaths = [\"drafts/**\"]\nset = { key = \"draft\", value = true }\n",
    );
    let out = edit_in(
        dir.path(),
        &["--write", "--recipe", "r.toml", "posts", "drafts"],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(read(dir.path(), "posts/a.md"), "---\ntitle: x\n---\n");
    assert_eq!(
        read(dir.path(), "drafts/b.md"),
        "---\ntitle: y\ndraft: true\n---\n"
    );
}

#[test]
fn bad_operations_and_recipes_are_exit_2_with_the_place() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("a.md"), "---\na: 1\n---\n");
    let out = edit_in(dir.path(), &["--set", "a=nope", "a.md"]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("`nope` is not a JSON value"),
        "{}",
        out.stderr
    );
    write(&dir.path().join("r.toml"), "[[step]]\nfrobnicate = \"a\"\n");
    let out = edit_in(dir.path(), &["--recipe", "r.toml", "a.md"]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("r.toml:2:1: unknown operation `frobnicate`"),
        "{}",
        out.stderr
    );
    assert_eq!(read(dir.path(), "a.md"), "---\na: 1\n---\n");
}

#[test]
fn crlf_files_keep_their_line_endings() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("a.md"),
        "---\r\ntitle: x\r\nurl: /a/\r\n---\r\nbody\r\n",
    );
    let out = edit_in(
        dir.path(),
        &[
            "--write",
            "--rename",
            "url=permalink",
            "--set",
            "count=1",
            "a.md",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        read(dir.path(), "a.md"),
        "---\r\ntitle: x\r\npermalink: /a/\r\ncount: 1\r\n---\r\nbody\r\n"
    );
}

#[test]
fn to_converts_after_editing_and_tz_dates_local_dates() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("a.md"),
        "+++\ntitle = \"x\"\ndate = 2018-03-15\n+++\n",
    );
    let out = edit_in(
        dir.path(),
        &[
            "--write", "--to", "yaml", "--dates", "epoch", "--unset", "title", "a.md",
        ],
    );
    assert_eq!(
        out.code, 1,
        "a local date names no instant without --tz: {}",
        out.stdout
    );
    let out = edit_in(
        dir.path(),
        &[
            "--write",
            "--to",
            "yaml",
            "--dates",
            "epoch",
            "--tz",
            "Europe/Berlin",
            "--unset",
            "title",
            "a.md",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    // Midnight in Berlin (UTC+1 in March) is 23:00 UTC the day before.
    assert_eq!(read(dir.path(), "a.md"), "---\ndate: 1521068400\n---\n");
}

#[test]
fn an_indented_yaml_root_gets_its_new_keys_at_its_indentation() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("s.md"),
        "---\n  slug: x   \n  layout: slide\n---\nbody\n",
    );
    let out = edit_in(
        dir.path(),
        &[
            "--write",
            "--unset",
            "layout",
            "--set",
            "draft=false",
            "s.md",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        read(dir.path(), "s.md"),
        "---\n  slug: x   \n  draft: false\n---\nbody\n"
    );
    assert!(!out.stdout.contains("reformatted"), "{}", out.stdout);
}

#[test]
fn a_key_set_in_a_toml_table_with_subtables_goes_before_them_and_is_listed_alone() {
    let dir = tempfile::tempdir().unwrap();
    let before = "+++\ntitle = \"x\"\n\n[extra]\nlicense = \"MIT\"\n\n[extra.author]\nname = \"cx48\"\n+++\n";
    write(&dir.path().join("t.md"), before);
    let out = edit_in(dir.path(), &["--write", "--set", "extra.x=1", "t.md"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        read(dir.path(), "t.md"),
        "+++\ntitle = \"x\"\n\n[extra]\nlicense = \"MIT\"\nx = 1\n\n[extra.author]\nname = \"cx48\"\n+++\n"
    );
    assert!(
        out.stdout.contains("t.md: note: `extra.x` moved"),
        "{}",
        out.stdout
    );
    // Only the new line: `[extra]` is edited line by line, not re-emitted.
    assert!(!out.stdout.contains("reformatted"), "{}", out.stdout);
}

#[test]
fn nest_unknown_moves_the_keys_the_schema_does_not_list() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("fmx.toml"),
        "required = [\"title\"]\n\n[fields.date]\ntype = \"any\"\n",
    );
    write(
        &dir.path().join("a.md"),
        "+++\ntitle = \"x\"\n# who\nauthor = \"Ann\"\ndate = 2018-03-15\n+++\n",
    );
    let out = run(fmx()
        .current_dir(dir.path())
        .args(["edit", "--color", "never", "--no-progress", "--write"])
        .args(["--nest-unknown", "extra", "a.md"]));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        read(dir.path(), "a.md"),
        "+++\ntitle = \"x\"\ndate = 2018-03-15\n\n[extra]\n# who\nauthor = \"Ann\"\n+++\n"
    );
}

#[test]
fn a_comment_below_a_removed_key_goes_with_it_and_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("a.md"),
        "---\ntitle: x\nlayout: post\n# layout is Jekyll's\n\ndate: 2020-01-01\n---\n",
    );
    let out = edit_in(dir.path(), &["--write", "--unset", "layout", "a.md"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        read(dir.path(), "a.md"),
        "---\ntitle: x\ndate: 2020-01-01\n---\n"
    );
    assert!(
        out.stdout
            .contains("a.md: note: `layout` comment-removed: # layout is Jekyll's"),
        "{}",
        out.stdout
    );
}

/// Every operation inside nested tables at once: the lines each touches, nothing else (a key
/// moved into a table keeps its line, comment and all).
const NESTED_OPS: &[&str] = &[
    "--write",
    "--set",
    "params.author=\"Bob\"",
    "--unset",
    "params.x",
    "--rename",
    "params.a=params.b",
    "--replace",
    "params.tags",
    "Docker",
    "docker",
    "--rename",
    "tags=taxonomies.tags",
];

#[test]
fn nested_yaml_edits_keep_every_untouched_line_of_the_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let before = "---\ntitle: Nested\nparams:\n  # who wrote it\n  author: 'Ann'   # quoted  \n  summary: >\n    folded text  \n    more  \n  x: 1\n  a: \"kept\"\n  tags:\n    - Docker\n    - rust\n\ntags: [go, rust]\ntaxonomies:\n  categories:   [news]   # cats\n---\nbody  \n";
    write(&dir.path().join("y.md"), before);
    let out = edit_in(dir.path(), &[NESTED_OPS, &["y.md"]].concat());
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        read(dir.path(), "y.md"),
        "---\ntitle: Nested\nparams:\n  # who wrote it\n  author: Bob # quoted  \n  summary: >\n    folded text  \n    more  \n  b: \"kept\"\n  tags:\n    - docker\n    - rust\n\ntaxonomies:\n  categories:   [news]   # cats\n  tags: [go, rust]\n---\nbody  \n"
    );
    assert!(!out.stdout.contains("reformatted"), "{}", out.stdout);
}

#[test]
fn nested_toml_edits_keep_every_untouched_line_of_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let before = "+++\ntitle = \"Nested\"\ntags = [ \"go\", \"rust\" ]   # two\nsocial.twitter = 'ann'  \nsocial.mastodon = \"@ann\"\n\n[params]\n# who wrote it\nauthor = 'Ann'   # quoted  \nsummary = \"\"\"\ntwo  \nlines\"\"\"\nx = 1\na = \"kept\"\ntags = [ \"Docker\", \"rust\" ]\n\n[params.extra]\nk = 'v'  \n\n[taxonomies]\ncategories = [ \"news\" ]   # cats\n\n[a.b]\nk = 'v'  # deep\n+++\nbody  \n";
    write(&dir.path().join("t.md"), before);
    let more = [
        "--set",
        "social.twitter=\"bob\"",
        "--set",
        "a.b.n=1",
        "--set",
        "params.extra.m=2",
        "t.md",
    ];
    let out = edit_in(dir.path(), &[NESTED_OPS, &more].concat());
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        read(dir.path(), "t.md"),
        "+++\ntitle = \"Nested\"\nsocial.twitter = \"bob\"\nsocial.mastodon = \"@ann\"\n\n[params]\n# who wrote it\nauthor = \"Bob\" # quoted  \nsummary = \"\"\"\ntwo  \nlines\"\"\"\nb = \"kept\"\ntags = [\"docker\", \"rust\"]\n\n[params.extra]\nk = 'v'  \nm = 2\n\n[taxonomies]\ncategories = [ \"news\" ]   # cats\ntags = [ \"go\", \"rust\" ]   # two\n\n[a.b]\nk = 'v'  # deep\nn = 1\n+++\nbody  \n"
    );
    assert!(!out.stdout.contains("reformatted"), "{}", out.stdout);
}

#[test]
fn nested_pretty_json_edits_keep_every_untouched_line_of_the_object() {
    let dir = tempfile::tempdir().unwrap();
    let before = "{\n    \"title\":  \"Nested\",\n    \"tags\": [ \"go\", \"rust\" ],\n    \"params\": {\n        \"author\":   \"Ann\",\n        \"x\": 1,\n        \"a\" : \"kept\",\n        \"tags\": [ \"Docker\", \"rust\" ],\n        \"inner\": {\"p\": 1, \"q\": 2}\n    },\n    \"taxonomies\": {\n        \"categories\":   [ \"news\" ]\n    }\n}\nbody  \n";
    write(&dir.path().join("j.md"), before);
    let out = edit_in(dir.path(), &[NESTED_OPS, &["j.md"]].concat());
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    // A member added after `categories` needs its comma: that line changes, no other.
    assert_eq!(
        read(dir.path(), "j.md"),
        "{\n    \"title\":  \"Nested\",\n    \"params\": {\n        \"author\": \"Bob\",\n        \"b\" : \"kept\",\n        \"tags\": [\"docker\", \"rust\"],\n        \"inner\": {\"p\": 1, \"q\": 2}\n    },\n    \"taxonomies\": {\n        \"categories\":   [ \"news\" ],\n        \"tags\": [ \"go\", \"rust\" ]\n    }\n}\nbody  \n"
    );
    assert!(!out.stdout.contains("reformatted"), "{}", out.stdout);
}

#[test]
fn only_the_smallest_flow_entry_is_re_emitted_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("y.md"),
        "---\nparams:\n  name:   'Ann'\n  social: {twitter: ann, gh: ann}\n  x: 1   # one\n---\n",
    );
    write(
        &dir.path().join("t.md"),
        "+++\n[params]\nname =   'Ann'\nsocial = { twitter = \"ann\", gh = \"ann\" }\nx = 1   # one\n+++\n",
    );
    write(
        &dir.path().join("j.md"),
        "{\n  \"params\": {\n    \"name\":   \"Ann\",\n    \"social\": {\"twitter\": \"ann\", \"gh\": \"ann\"},\n    \"x\": 1\n  }\n}\n",
    );
    let out = edit_in(
        dir.path(),
        &["--write", "--set", "params.social.gh=\"bob\"", "."],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        read(dir.path(), "y.md"),
        "---\nparams:\n  name:   'Ann'\n  social:\n    twitter: ann\n    gh: bob\n  x: 1   # one\n---\n"
    );
    assert_eq!(
        read(dir.path(), "t.md"),
        // fmx writes TOML tables as `[headers]`, never inline.
        "+++\n[params]\nname =   'Ann'\nx = 1   # one\n\n[params.social]\ntwitter = \"ann\"\ngh = \"bob\"\n+++\n"
    );
    assert_eq!(
        read(dir.path(), "j.md"),
        "{\n  \"params\": {\n    \"name\":   \"Ann\",\n    \"social\": {\n      \"twitter\": \"ann\",\n      \"gh\": \"bob\"\n    },\n    \"x\": 1\n  }\n}\n"
    );
    for name in ["y.md", "t.md", "j.md"] {
        let line = format!("{name}: note: `params.social` reformatted");
        assert!(out.stdout.contains(&line), "{line} in {}", out.stdout);
    }
    assert!(
        !out.stdout.contains("`params` reformatted"),
        "{}",
        out.stdout
    );
}

#[test]
fn edit_and_convert_list_the_flags_they_share_with_one_text() {
    let help = |command: &str| {
        let out = run(fmx().args([command, "--help"]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    };
    let (edit, convert) = (help("edit"), help("convert"));
    let shared = [
        "--write ",
        "--check ",
        "--no-fsync ",
        "--dates <DATES>",
        "--yaml <VERSION>",
        "--config <FILE>",
        "--no-config ",
        "--output-format <OUTPUT_FORMAT>",
        "--quiet ",
        "--jobs <N>",
        "--exclude <GLOB>",
        "--color <COLOR>",
        "--no-progress ",
    ];
    for flag in shared {
        let line = |help: &str| {
            let at = help
                .find(flag)
                .unwrap_or_else(|| panic!("{flag} in\n{help}"));
            help[at..].lines().next().unwrap().to_string()
        };
        assert_eq!(line(&edit), line(&convert), "{flag}");
    }
}
