//! JSON Schema, richer field specs, nested fields and `fmx schema`, through the binary: exact
//! positions in YAML, TOML and JSON posts (also under BOM + CRLF), and every way a schema
//! file can be unusable.

use std::path::Path;

use tempfile::TempDir;

use crate::support::{Output, fixture, fmx, run, write};

/// `fmx check` in `dir` with its `fmx.toml`: every finding as `file:line:col rule message`.
fn check_in(dir: &Path, args: &[&str]) -> Output {
    run(fmx()
        .current_dir(dir)
        .args(["check", "--no-progress", "--color", "never"])
        .args(args))
}

/// The findings' lines, without help lines and the summary.
fn findings(out: &Output) -> Vec<String> {
    out.stdout
        .lines()
        .filter(|l| !l.starts_with(' ') && l.contains(": "))
        .map(str::to_string)
        .collect()
}

/// A folder with `fmx.toml` (text) and the given files.
fn site(config: &str, files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("fmx.toml"), config);
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        write(&path, text);
    }
    dir
}

const TAGS_SCHEMA: &str = r#"{
  "type": "object",
  "properties": {
    "title": {"type": "string", "maxLength": 10},
    "date": {"type": "string", "format": "date-time"},
    "tags": {"type": "array", "items": {"enum": ["rust", "web"]}},
    "draft": {"type": "boolean"},
    "author": {"type": "string"}
  },
  "required": ["title", "author"],
  "additionalProperties": false
}"#;

const LENIENT: &str = "allow-unknown-fields = true\nschema = \"post.schema.json\"\n";

#[test]
fn yaml_toml_and_json_violations_at_their_positions() {
    let dir = site(
        LENIENT,
        &[
            ("post.schema.json", TAGS_SCHEMA),
            (
                "a.md",
                "---\ntitle: A title that is long\ndate: 2020-10-11T00:59:44Z\ntags: [rust, go]\nextra: 1\n---\n",
            ),
            (
                "b.md",
                "+++\ntitle = \"A title that is long\"\ndate = 2020-10-11T00:59:44Z\ntags = [\"rust\", \"go\"]\nextra = 1\n+++\n",
            ),
            (
                "c.md",
                "{\n  \"title\": \"A title that is long\",\n  \"date\": \"2020-10-11T00:59:44Z\",\n  \"tags\": [\"rust\", \"go\"],\n  \"extra\": 1\n}\n",
            ),
        ],
    );
    let out = check_in(dir.path(), &["a.md", "b.md", "c.md"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        findings(&out),
        [
            "a.md:1:1: error[schema-violation] required field `author` is missing (required)",
            "a.md:2:8: error[schema-violation] `title` must be at most 10 characters long, found 20 (maxLength)",
            "a.md:4:14: error[schema-violation] `tags[1]` must be one of \"rust\", \"web\" (enum)",
            "a.md:5:1: error[schema-violation] field `extra` is not allowed by the schema (additionalProperties)",
            "b.md:1:1: error[schema-violation] required field `author` is missing (required)",
            "b.md:2:9: error[schema-violation] `title` must be at most 10 characters long, found 20 (maxLength)",
            "b.md:4:17: error[schema-violation] `tags[1]` must be one of \"rust\", \"web\" (enum)",
            "b.md:5:1: error[schema-violation] field `extra` is not allowed by the schema (additionalProperties)",
            "c.md:1:1: error[schema-violation] required field `author` is missing (required)",
            "c.md:2:12: error[schema-violation] `title` must be at most 10 characters long, found 20 (maxLength)",
            "c.md:4:20: error[schema-violation] `tags[1]` must be one of \"rust\", \"web\" (enum)",
            "c.md:5:3: error[schema-violation] field `extra` is not allowed by the schema (additionalProperties)",
        ]
    );
}

#[test]
fn positions_hold_under_bom_and_crlf() {
    let dir = site(
        LENIENT,
        &[
            ("post.schema.json", TAGS_SCHEMA),
            (
                "a.md",
                "\u{feff}---\r\ntitle: Hi\r\nauthor: me\r\ntags: [rust, go]\r\ndraft: no\r\n---\r\nBody\r\n",
            ),
            (
                "b.md",
                "\u{feff}+++\r\ntitle = \"Hi\"\r\nauthor = \"me\"\r\ntags = [\"go\"]\r\n+++\r\n",
            ),
        ],
    );
    let out = check_in(dir.path(), &["a.md", "b.md"]);
    assert_eq!(
        findings(&out),
        [
            "a.md:4:14: error[schema-violation] `tags[1]` must be one of \"rust\", \"web\" (enum)",
            "a.md:5:8: error[schema-violation] `draft` must be a boolean, found string \"no\" (type)",
            "a.md:5:8: warning[ambiguous-value] value `no` is the string \"no\" to fmx (YAML 1.2), but YAML 1.1 readers (Jekyll, PyYAML) read it as the boolean false",
            "b.md:4:9: error[schema-violation] `tags[0]` must be one of \"rust\", \"web\" (enum)",
        ]
    );
}

#[test]
fn a_post_the_schema_accepts_is_clean_and_dates_are_rfc3339_strings() {
    // A TOML date-time and a YAML timestamp are validated as the strings JSON would hold.
    let dir = site(
        LENIENT,
        &[
            ("post.schema.json", TAGS_SCHEMA),
            (
                "a.md",
                "---\ntitle: Hi\nauthor: me\ndate: 2020-10-11T00:59:44Z\ntags: [web]\n---\n",
            ),
            (
                "b.md",
                "+++\ntitle = \"Hi\"\nauthor = \"me\"\ndate = 2020-10-11T00:59:44+02:00\n+++\n",
            ),
        ],
    );
    let out = check_in(dir.path(), &["a.md", "b.md"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

#[test]
fn astro_generated_schemas_map_to_their_collections() {
    let astro = std::fs::read_to_string(fixture("schemas/astro-blog.schema.json")).unwrap();
    let dir = site(
        "[[overrides]]\npaths = [\"src/content/blog/**\"]\nschema = \".astro/collections/blog.schema.json\"\n",
        &[
            (".astro/collections/blog.schema.json", &astro),
            (
                "src/content/blog/first.md",
                "---\ntitle: First\ndescription: Hello\npubDate: 2024-01-05\nauthor:\n  name: Ann\n  url: not a url\n---\n",
            ),
            (
                "src/content/blog/second.md",
                "---\ntitle: Second\ndescription: Hi\npubDate: 1704412800\ntags: [a, b]\n---\n",
            ),
            ("src/content/notes/n.md", "---\nanything: 1\n---\n"),
        ],
    );
    // From a folder below the config: the schema path is relative to the config's folder.
    let out = check_in(&dir.path().join("src"), &["content"]);
    assert_eq!(
        findings(&out),
        [
            "content/blog/first.md:7:8: error[schema-violation] `author.url` must be a valid uri, found string \"not a url\" (format)"
        ],
        "{}",
        out.stderr
    );
}

#[test]
fn the_schema_flag_replaces_the_configs_schema() {
    let dir = site(
        LENIENT,
        &[
            ("post.schema.json", TAGS_SCHEMA),
            (
                "other.json",
                r#"{"properties": {"title": {"const": "Hi"}}}"#,
            ),
            ("a.md", "---\ntitle: Hello\n---\n"),
        ],
    );
    let out = check_in(dir.path(), &["--schema", "other.json", "a.md"]);
    assert_eq!(
        findings(&out),
        ["a.md:2:8: error[schema-violation] `title` must be \"Hi\" (const)"]
    );
    let out = run(fmx()
        .current_dir(dir.path())
        .args(["check", "--no-config", "--no-progress"])
        .args(["--schema", "other.json", "a.md"]));
    assert!(
        out.stdout.contains("a.md:2:8: error[schema-violation]"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_broken_schema_stops_the_run_with_its_path_and_reason() {
    let cases = [
        (
            "missing.json",
            None,
            "missing.json: cannot read the schema: ",
        ),
        (
            "truncated.json",
            Some("{\n  \"type\": "),
            "truncated.json:2:10: the schema is not JSON: ",
        ),
        (
            "invalid.json",
            Some("{\"type\": 5}"),
            "invalid.json: not a valid JSON Schema: ",
        ),
    ];
    for (name, text, expected) in cases {
        let dir = site(
            &format!("schema = \"{name}\"\n"),
            &[("a.md", "---\ntitle: x\n---\n")],
        );
        if let Some(text) = text {
            write(&dir.path().join(name), text);
        }
        let out = check_in(dir.path(), &["a.md"]);
        assert_eq!(out.code, 2, "{name}: {}", out.stdout);
        assert!(out.stderr.contains(expected), "{name}: {}", out.stderr);
        // The flag names the file as given.
        let out = check_in(dir.path(), &["--no-config", "--schema", name, "a.md"]);
        assert_eq!(out.code, 2, "{name}: {}", out.stdout);
        assert!(
            out.stderr.starts_with(&format!("error: {expected}")),
            "{name}: {}",
            out.stderr
        );
    }
}

#[test]
fn overrides_naming_one_schema_share_it_and_later_ones_win() {
    let dir = site(
        "schema = \"base.json\"\n\
         [[overrides]]\npaths = [\"a/**\"]\nschema = \"strict.json\"\n\
         [[overrides]]\npaths = [\"b/**\"]\nschema = \"strict.json\"\n",
        &[
            ("base.json", r#"{"required": ["title"]}"#),
            ("strict.json", r#"{"required": ["title", "summary"]}"#),
            ("a/x.md", "---\ntitle: x\n---\n"),
            ("b/x.md", "---\ntitle: x\n---\n"),
            ("c/x.md", "---\nname: x\n---\n"),
        ],
    );
    let out = check_in(dir.path(), &["."]);
    let found: Vec<String> = findings(&out)
        .into_iter()
        .filter(|l| l.contains("schema-violation"))
        .collect();
    assert_eq!(
        found,
        [
            "a/x.md:1:1: error[schema-violation] required field `summary` is missing (required)",
            "b/x.md:1:1: error[schema-violation] required field `summary` is missing (required)",
            "c/x.md:1:1: error[schema-violation] required field `title` is missing (required)",
        ]
    );
}

const NESTED: &str = r#"required = ["title", "params.author"]
allow-unknown-fields = false
[fields."params.author"]
type = "string"
[fields.'params."a.b"']
type = "integer"
[fields.title]
"#;

#[test]
fn nested_fields_are_checked_and_required_by_path() {
    let dir = site(
        NESTED,
        &[
            (
                "a.md",
                "---\ntitle: Hi\nparams:\n  author: 3\n  a.b: x\nextra: 1\n---\n",
            ),
            (
                "b.md",
                "+++\ntitle = \"Hi\"\n[params]\nauthor = \"\"\n\"a.b\" = 2\n+++\n",
            ),
            (
                "c.md",
                "{\n  \"title\": \"Hi\",\n  \"params\": {\"name\": \"x\", \"a.b\": 1.5}\n}\n",
            ),
            (
                "d.md",
                "\u{feff}---\r\ntitle: Hi\r\nparams:\r\n  author: Ann\r\n---\r\n",
            ),
        ],
    );
    let out = check_in(dir.path(), &["."]);
    assert_eq!(
        findings(&out),
        [
            "a.md:4:11: error[wrong-type] `params.author` must be a string, found integer 3",
            "a.md:5:8: error[wrong-type] `params.\"a.b\"` must be an integer, found string \"x\"",
            "a.md:6:1: error[unknown-field] field `extra` is not in the schema",
            "b.md:4:10: error[empty-field] required field `params.author` is empty (string \"\")",
            "c.md:1:1: error[missing-field] required field `params.author` is missing",
            "c.md:3:34: error[wrong-type] `params.\"a.b\"` must be an integer, found float 1.5",
        ]
    );
}

#[test]
fn a_bad_field_path_is_a_config_error_at_its_place() {
    for (config, expected) in [
        (
            "[fields.\"a..b\"]\n",
            "fmx.toml:1:9: `a..b` is not a field path: column 3: empty key",
        ),
        (
            "required = [\"x\", \"a[1]\"]\n",
            "fmx.toml:1:18: `a[1]` is not a field path: column 2: an array index is not allowed here",
        ),
        (
            "[fields.'\"a.b\"']\n[fields.\"a.b\"]\n",
            "fmx.toml:2:9: `a.b` names two different fields",
        ),
    ] {
        let dir = site(config, &[("a.md", "---\ntitle: x\n---\n")]);
        let out = check_in(dir.path(), &["a.md"]);
        assert_eq!(out.code, 2, "{config}");
        assert!(out.stderr.contains(expected), "{config}: {}", out.stderr);
    }
    let dir = site("", &[("a.md", "---\ntitle: x\n---\n")]);
    let out = check_in(dir.path(), &["--require", "p.", "a.md"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("--require `p.` is not a field path: column 3"),
        "{}",
        out.stderr
    );
    let out = check_in(dir.path(), &["--require", "p.q", "a.md"]);
    assert_eq!(
        findings(&out),
        ["a.md:1:1: error[missing-field] required field `p.q` is missing"]
    );
}

const RICHER: &str = r#"[fields.title]
type = "string"
max-length = 10
min-length = 3
[fields.tags]
items = { type = "string", one-of = ["rust", "web", "Web", "go"], pattern = "^[a-z]+$" }
unique-items = true
max-items = 3
[fields.slug]
pattern = "^[a-z0-9]+(-[a-z0-9]+)*$"
"#;

#[test]
fn lengths_patterns_and_items_each_at_their_value() {
    let dir = site(
        RICHER,
        &[
            (
                "a.md",
                "---\ntitle: A title that is far too long\ntags: [rust, Web, 3, rust, zz]\nslug: Hello World\n---\n",
            ),
            (
                "b.md",
                "\u{feff}+++\r\ntitle = \"ab\"\r\ntags = [\"go\", \"go\"]\r\nslug = \"ok-slug\"\r\n+++\r\n",
            ),
            (
                "c.md",
                "{\n  \"title\": \"ab\",\n  \"tags\": [\"go\", \"Go\"]\n}\n",
            ),
            (
                "d.md",
                "---\ntitle: Fine\ntags: [rust, web]\nslug: a-b-c\n---\n",
            ),
        ],
    );
    let out = check_in(dir.path(), &["."]);
    assert_eq!(
        findings(&out),
        [
            "a.md:2:8: error[wrong-length] `title` is longer than its max-length 10 (length 28)",
            "a.md:3:7: error[wrong-length] `tags` has 5 items, more than its max-items 3",
            "a.md:3:14: error[pattern-mismatch] `tags[1]` does not match the pattern `^[a-z]+$`, found string \"Web\"",
            "a.md:3:19: error[wrong-type] `tags[2]` must be a string, found integer 3",
            "a.md:3:22: error[not-unique] `tags[3]` repeats `tags[0]` (string \"rust\") at 3:8",
            "a.md:3:28: error[not-one-of] `tags[4]` must be one of \"rust\", \"web\", \"Web\", \"go\", found string \"zz\"",
            "a.md:4:7: error[pattern-mismatch] `slug` does not match the pattern `^[a-z0-9]+(-[a-z0-9]+)*$`, found string \"Hello World\"",
            "b.md:2:9: error[wrong-length] `title` is shorter than its min-length 3 (length 2)",
            "b.md:3:15: error[not-unique] `tags[1]` repeats `tags[0]` (string \"go\") at 3:9",
            "c.md:2:12: error[wrong-length] `title` is shorter than its min-length 3 (length 2)",
            "c.md:3:18: error[pattern-mismatch] `tags[1]` does not match the pattern `^[a-z]+$`, found string \"Go\"",
            "c.md:3:18: error[not-one-of] `tags[1]` must be one of \"rust\", \"web\", \"Web\", \"go\", found string \"Go\"",
        ]
    );
}

#[test]
fn a_bad_pattern_is_a_config_error_at_its_line() {
    let dir = site(
        "[fields.x]\npattern = \"a(\"\n",
        &[("a.md", "---\ntitle: x\n---\n")],
    );
    let out = check_in(dir.path(), &["a.md"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("fmx.toml:2:11: `a(` is not a valid pattern: error: unclosed group"),
        "{}",
        out.stderr
    );
}

/// `fmx schema` exports a JSON Schema that accepts exactly the posts `fmx check` accepts
/// under the config (outside its `$comment` gaps), for the base and for an override.
#[test]
fn the_exported_schema_judges_posts_as_check_does() {
    let config = format!(
        "required = [\"title\", \"params.author\"]\nallow-unknown-fields = false\n{RICHER}\
         [fields.\"params.author\"]\ntype = \"string\"\n[fields.date]\ntype = \"epoch\"\n\
         [[overrides]]\npaths = [\"drafts/**\"]\nrequired = [\"title\"]\n"
    );
    let posts = [
        "---\ntitle: Fine\nparams: {author: Ann}\ntags: [rust, web]\nslug: a-b\n---\n",
        "---\ntitle: Fine\nparams: {author: Ann}\ndate: 1602377984\n---\n",
        "---\ntitle: Fine\nparams: {author: Ann}\ndate: 1602377984000\n---\n",
        "---\ntitle: A title that is far too long\nparams: {author: Ann}\n---\n",
        "---\ntitle: Fine\nparams: {author: \"\"}\n---\n",
        "---\ntitle: Fine\nparams: {}\n---\n",
        "---\ntitle: Fine\n---\n",
        "+++\ntitle = \"Fine\"\n[params]\nauthor = \"Ann\"\n+++\n",
        "+++\ntitle = \"Fine\"\ntags = [\"go\", \"go\"]\n[params]\nauthor = \"A\"\n+++\n",
        "{\"title\": \"Fine\", \"params\": {\"author\": \"A\"}, \"tags\": [\"Web\"]}\n",
        "{\"title\": \"Fine\", \"params\": {\"author\": \"A\"}, \"slug\": \"No Slug\"}\n",
        "{\"title\": \"Fine\", \"params\": {\"author\": \"A\"}, \"other\": 1}\n",
    ];
    let mut files: Vec<(String, &str)> = Vec::new();
    for (i, post) in posts.iter().enumerate() {
        files.push((format!("posts/{i}.md"), post));
        files.push((format!("drafts/{i}.md"), post));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), *t)).collect();
    let dir = site(&config, &files);
    write(&dir.path().join("empty.toml"), "");
    let mut accepted = [0, 0];
    for (k, folder) in ["posts", "drafts"].iter().enumerate() {
        let out = run(fmx()
            .current_dir(dir.path())
            .args(["schema", &format!("{folder}/0.md")]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        let exported = dir.path().join(format!("{folder}.schema.json"));
        write(&exported, &out.stdout);
        for i in 0..posts.len() {
            let post = format!("{folder}/{i}.md");
            let by_config = check_in(dir.path(), &[&post]).code;
            let by_schema = check_in(
                dir.path(),
                &[
                    "--config",
                    "empty.toml",
                    "--schema",
                    exported.to_str().unwrap(),
                    &post,
                ],
            );
            assert_eq!(by_config, by_schema.code, "{post}: {}", by_schema.stdout);
            accepted[k] += usize::from(by_config == 0);
        }
    }
    // Both verdicts occur, and the override (no `params.author` required) accepts more.
    assert!(
        accepted[0] >= 2 && accepted[0] < posts.len(),
        "{accepted:?}"
    );
    assert!(accepted[1] > accepted[0], "{accepted:?}");
}

const UNIQUE: &str = "[fields.slug]\nunique = true\n[fields.aliases]\nunique = true\n[fields.\"params.id\"]\nunique = true\n";

/// A run on one new post (as pre-commit makes) catches a collision with an untouched one.
#[test]
fn unique_values_collide_across_the_archive_even_for_one_named_file() {
    let dir = site(
        UNIQUE,
        &[
            (
                "old/a.md",
                "---\ntitle: a\nslug: hello\naliases: [/a, /b]\nparams: {id: 7}\n---\n",
            ),
            (
                "old/b.md",
                "\u{feff}+++\r\ntitle = \"b\"\r\nslug = \"other\"\r\naliases = [\"/c\", \"/b\"]\r\n+++\r\n",
            ),
            (
                "old/c.md",
                "{\n  \"slug\": \"third\",\n  \"params\": {\"id\": 7}\n}\n",
            ),
            ("posts/new.md", "---\ntitle: new\nslug: hello\n---\n"),
        ],
    );
    let out = check_in(dir.path(), &["posts/new.md"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        findings(&out),
        [
            "posts/new.md:3:7: error[not-unique] `slug` \"hello\" is not unique: old/a.md:3:7 has it too"
        ]
    );
    // SARIF names the first post as a related location.
    let out = check_in(dir.path(), &["--output-format", "sarif", "posts/new.md"]);
    let log: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let related = &log["runs"][0]["results"][0]["relatedLocations"][0]["physicalLocation"];
    assert!(
        related["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("old/a.md"),
        "{related}"
    );
    assert_eq!(
        related["region"],
        serde_json::json!({"startLine": 3, "startColumn": 7})
    );
    let out = check_in(dir.path(), &["."]);
    assert_eq!(
        findings(&out),
        [
            "old/b.md:4:18: error[not-unique] `aliases` \"/b\" is not unique: old/a.md:4:15 has it too",
            "old/c.md:3:20: error[not-unique] `params.id` \"7\" is not unique: old/a.md:5:14 has it too",
            "posts/new.md:3:7: error[not-unique] `slug` \"hello\" is not unique: old/a.md:3:7 has it too",
        ]
    );
    // Turned off, nothing is gathered into a finding.
    write(
        &dir.path().join("fmx.toml"),
        &format!("{UNIQUE}[rules]\nnot-unique = \"off\"\n"),
    );
    assert_eq!(check_in(dir.path(), &["."]).code, 0);
}

/// The values judged are those of the post as checked: an editor piping its unsaved buffer
/// (`check - --stdin-filename`) is told of the collision its edit makes, and a post named
/// twice does not collide with itself.
#[test]
fn unique_judges_the_checked_bytes_once_per_post() {
    let dir = site(
        UNIQUE,
        &[
            ("old/a.md", "---\ntitle: a\nslug: hello\n---\n"),
            ("posts/new.md", "---\ntitle: new\nslug: fresh\n---\n"),
        ],
    );
    let out = run(fmx()
        .current_dir(dir.path())
        .args(["check", "--no-progress", "--color", "never"])
        .args(["-", "--stdin-filename", "posts/new.md"])
        .write_stdin("---\ntitle: new\nslug: hello\n---\n"));
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        findings(&out),
        [
            "posts/new.md:3:7: error[not-unique] `slug` \"hello\" is not unique: old/a.md:3:7 has it too"
        ]
    );
    let out = check_in(
        dir.path(),
        &["posts/new.md", "./posts/../posts/new.md", "old"],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

/// A file named on the command line that the config's walk leaves out (its `exclude`, a
/// `.gitignore`) is checked, as ripgrep searches a named ignored file, and its values are
/// judged against the archive's; it is not one of the archive's posts, so it never makes
/// an archive post a repeat, even when its path sorts first.
#[test]
fn unique_judges_a_named_ignored_file_against_the_archive() {
    let dir = site(
        &format!("exclude = [\"drafts/**\"]\n{UNIQUE}"),
        &[
            (".gitignore", "ignored.md\n"),
            ("posts/a.md", "---\ntitle: a\nslug: hello\n---\n"),
            ("ignored.md", "---\ntitle: i\nslug: hello\n---\n"),
            ("drafts/x.md", "---\ntitle: x\nslug: hello\n---\n"),
            ("drafts/y.md", "---\ntitle: why\nslug: draft\n---\n"),
            ("drafts/z.md", "---\ntitle: zed\nslug: draft\n---\n"),
        ],
    );
    let hello = |path: &str| {
        format!(
            "{path}:3:7: error[not-unique] `slug` \"hello\" is not unique: posts/a.md:3:7 has it too"
        )
    };
    let out = check_in(dir.path(), &["."]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    for args in [
        &[".", "ignored.md"][..],
        &["ignored.md"],
        &["posts", "ignored.md"],
    ] {
        let out = check_in(dir.path(), args);
        assert_eq!(out.code, 1, "{args:?}: {}{}", out.stdout, out.stderr);
        assert_eq!(findings(&out), [hello("ignored.md")], "{args:?}");
    }
    let out = check_in(
        dir.path(),
        &[".", "drafts/x.md", "drafts/y.md", "drafts/z.md"],
    );
    assert_eq!(
        findings(&out),
        [
            hello("drafts/x.md"),
            "drafts/z.md:3:7: error[not-unique] `slug` \"draft\" is not unique: drafts/y.md:3:7 has it too".to_string(),
        ],
        "{}{}",
        out.stdout,
        out.stderr
    );
}

#[test]
fn unique_applies_only_where_the_override_sets_it() {
    let dir = site(
        "[[overrides]]\npaths = [\"blog/**\"]\n[overrides.fields.slug]\nunique = true\n",
        &[
            ("blog/a.md", "---\nslug: x\n---\n"),
            ("blog/b.md", "---\nslug: x\n---\n"),
            ("docs/a.md", "---\nslug: x\n---\n"),
            ("docs/b.md", "---\nslug: x\n---\n"),
        ],
    );
    let out = check_in(dir.path(), &["docs", "blog"]);
    assert_eq!(
        findings(&out),
        ["blog/b.md:2:7: error[not-unique] `slug` \"x\" is not unique: blog/a.md:2:7 has it too"],
        "{}{}",
        out.stdout,
        out.stderr
    );
}

/// `unique = true` set in an `[[overrides]]` block is judged among the posts that block
/// covers: each language of a site has its own titles, and the base's `unique` covers the
/// rest, apart from them.
#[test]
fn unique_in_an_override_is_judged_among_its_posts() {
    let dir = site(
        "[fields.title]\nunique = true\n\
         [[overrides]]\npaths = [\"content/en/**\"]\n[overrides.fields.title]\nunique = true\n\
         [[overrides]]\npaths = [\"content/pt-br/**\"]\n[overrides.fields.title]\nunique = true\n",
        &[
            ("content/en/a.md", "---\ntitle: Hello\n---\n"),
            ("content/en/b.md", "---\ntitle: Hello\n---\n"),
            ("content/pt-br/a.md", "---\ntitle: Hello\n---\n"),
            ("content/pt-br/b.md", "---\ntitle: Olá\n---\n"),
            ("notes/a.md", "---\ntitle: Hello\n---\n"),
            ("notes/b.md", "---\ntitle: Olá\n---\n"),
        ],
    );
    let en = "content/en/b.md:2:8: error[not-unique] `title` \"Hello\" is not unique: content/en/a.md:2:8 has it too";
    let out = check_in(dir.path(), &["."]);
    assert_eq!(findings(&out), [en], "{}{}", out.stdout, out.stderr);
    // The same from a one-post run, whose other posts are gathered.
    let out = check_in(dir.path(), &["content/en/b.md"]);
    assert_eq!(findings(&out), [en], "{}{}", out.stdout, out.stderr);
    let out = check_in(dir.path(), &["content/pt-br/b.md", "notes/b.md"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

/// `init --infer` proposes `unique = true` (with the count) for a key whose values are all
/// distinct across many posts, not for a shared one; the inferred config's export accepts
/// the posts it was inferred from, as `fmx check` does.
#[test]
fn init_infer_proposes_unique_and_its_export_accepts_the_posts() {
    let posts: Vec<(String, String)> = (0..25)
        .map(|i| {
            (
                format!("posts/{i}.md"),
                format!("---\ntitle: Post {i}\nslug: post-{i}\nsection: news\n---\n"),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = posts
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let dir = site("", &files);
    std::fs::remove_file(dir.path().join("fmx.toml")).unwrap();
    let out = run(fmx()
        .current_dir(dir.path())
        .args(["init", "--infer", "posts"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let config = std::fs::read_to_string(dir.path().join("fmx.toml")).unwrap();
    let distinct = "unique = true  # all 25 values distinct: no two posts share one\n";
    assert!(
        config.contains(&format!(
            "[fields.slug]\ntype = \"string\"  # seen: string 25\n{distinct}"
        )),
        "{config}"
    );
    assert_eq!(
        config.matches("unique = true").count(),
        2,
        "title and slug: {config}"
    );
    assert_eq!(check_in(dir.path(), &["posts"]).code, 0);
    let out = run(fmx().current_dir(dir.path()).arg("schema"));
    write(&dir.path().join("inferred.json"), &out.stdout);
    write(&dir.path().join("empty.toml"), "");
    let out = check_in(
        dir.path(),
        &[
            "--config",
            "empty.toml",
            "--schema",
            "inferred.json",
            "posts",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}
