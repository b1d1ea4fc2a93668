//! Schema validation on posts read by the real splitter and parsers, with exact positions.

use std::path::Path;

use super::*;
use crate::document::{self, Split};
use crate::formats::{Limits, parse};

/// What a rule would report for `post` against `schema`: `line:col keyword message`.
fn check(schema: &str, post: &str) -> Vec<String> {
    let schema = JsonSchema::from_text(Path::new("s.json"), schema).unwrap();
    let bytes = post.as_bytes();
    let Split::Found(layout) = document::split(bytes, true, 1 << 20) else {
        panic!("no front matter in {post:?}");
    };
    let text = std::str::from_utf8(&bytes[layout.content.clone()])
        .unwrap()
        .replace("\r\n", "\n");
    let parsed = parse(
        layout.format,
        &text,
        layout.content_line,
        &Limits::default(),
    )
    .unwrap();
    let table = parsed.root.value.as_table().unwrap();
    let violations = schema.validate(table);
    assert_eq!(schema.is_valid(table), violations.is_empty());
    let mut violations = violations;
    violations.sort_by_key(|v| v.anchor.pos(layout.open_pos()));
    violations
        .iter()
        .map(|v| {
            let pos = v.anchor.pos(layout.open_pos());
            format!("{}:{} {} {}", pos.line, pos.col, v.keyword, v.message)
        })
        .collect()
}

const TAGS: &str = r#"{
  "type": "object",
  "properties": {
    "title": {"type": "string", "maxLength": 10},
    "date": {},
    "tags": {"type": "array", "items": {"enum": ["rust", "web"]}},
    "params": {"type": "object", "required": ["author"],
               "properties": {"a.b": {"type": "integer"}}}
  },
  "required": ["title", "date"],
  "additionalProperties": false
}"#;

#[test]
fn yaml_violations_point_at_values_keys_and_the_opening_line() {
    let post = "---\ntitle: A title that is long\ntags: [rust, go, web]\nextra: 1\nparams:\n  a.b: x\n---\nbody\n";
    assert_eq!(
        check(TAGS, post),
        [
            "1:1 required required field `date` is missing (required)",
            "2:8 maxLength `title` must be at most 10 characters long, found 20 (maxLength)",
            "3:14 enum `tags[1]` must be one of \"rust\", \"web\" (enum)",
            "4:1 additionalProperties field `extra` is not allowed by the schema (additionalProperties)",
            "5:1 required required field `params.author` is missing (required)",
            "6:8 type `params.\"a.b\"` must be an integer, found string \"x\" (type)",
        ]
    );
}

#[test]
fn toml_and_json_posts_report_the_same_paths_at_their_own_positions() {
    let toml = "+++\ntitle = \"ok\"\ndate = 2024-01-01\ntags = [\"rust\", \"go\"]\n[params]\n\"a.b\" = 1\n+++\n";
    assert_eq!(
        check(TAGS, toml),
        [
            "4:17 enum `tags[1]` must be one of \"rust\", \"web\" (enum)",
            "5:2 required required field `params.author` is missing (required)",
        ]
    );
    let json =
        "{\n  \"title\": \"ok\",\n  \"date\": 1,\n  \"tags\": [\"go\"],\n  \"zz\": null\n}\n";
    assert_eq!(
        check(TAGS, json),
        [
            "4:12 enum `tags[0]` must be one of \"rust\", \"web\" (enum)",
            "5:3 additionalProperties field `zz` is not allowed by the schema (additionalProperties)",
        ]
    );
}

#[test]
fn bom_and_crlf_do_not_shift_positions() {
    let post =
        "\u{feff}---\r\ntitle: ok\r\ndate: 2024-01-01\r\ntags:\r\n  - web\r\n  - php\r\n---\r\n";
    assert_eq!(
        check(TAGS, post),
        ["6:5 enum `tags[1]` must be one of \"rust\", \"web\" (enum)"]
    );
}

#[test]
fn formats_are_asserted_and_dates_are_seen_as_rfc3339_text() {
    let schema = r#"{"properties": {
        "d": {"type": "string", "format": "date"},
        "t": {"type": "string", "format": "date-time"},
        "u": {"format": "uri"},
        "e": {"format": "email"}}}"#;
    let good = "+++\nd = 2024-02-29\nt = 2024-02-29T10:00:00+01:00\nu = \"https://x.org/a\"\ne = \"a@b.org\"\n+++\n";
    assert_eq!(check(schema, good), Vec::<String>::new());
    let yaml_good = "---\nd: 2024-02-29\nt: 2024-02-29 10:00:00Z\n---\n";
    assert_eq!(check(schema, yaml_good), Vec::<String>::new());
    let bad = "---\nd: \"2023-02-29\"\nt: 1979-05-27T07:32:00\nu: not a uri\ne: nobody\n---\n";
    assert_eq!(
        check(schema, bad),
        [
            "2:4 format `d` must be a valid date, found string \"2023-02-29\" (format)",
            "3:4 format `t` must be a valid date-time, found local date-time 1979-05-27T07:32:00 (format)",
            "4:4 format `u` must be a valid uri, found string \"not a uri\" (format)",
            "5:4 format `e` must be a valid email, found string \"nobody\" (format)",
        ]
    );
}

#[test]
fn drafts_are_chosen_by_dollar_schema() {
    // `dependentRequired` exists from 2019-09 on; draft 7 ignores it. The crate reports it
    // as the `required` it implies.
    let body = r#""dependentRequired": {"a": ["b"]}"#;
    let post = "---\na: 1\n---\n";
    let draft7 = format!(r#"{{"$schema": "http://json-schema.org/draft-07/schema#", {body}}}"#);
    assert_eq!(check(&draft7, post), Vec::<String>::new());
    let default = format!("{{{body}}}");
    assert_eq!(
        check(&default, post),
        ["1:1 required required field `b` is missing (required)"]
    );
}

#[test]
fn local_refs_through_defs_and_definitions() {
    let schema = r##"{"$defs": {"tag": {"enum": ["a"]}},
        "definitions": {"n": {"type": "integer"}},
        "properties": {"tags": {"items": {"$ref": "#/$defs/tag"}}, "n": {"$ref": "#/definitions/n"}}}"##;
    assert_eq!(
        check(schema, "---\ntags: [a, b]\nn: 1.5\n---\n"),
        [
            "2:11 enum `tags[1]` must be one of \"a\" (enum)",
            "3:4 type `n` must be an integer, found float 1.5 (type)",
        ]
    );
}

#[test]
fn epoch_numbers_are_numbers() {
    let schema = r#"{"properties": {"t": {"type": "integer", "minimum": 1000000000}, "f": {"type": "number", "maximum": 1602377984.4}}}"#;
    assert_eq!(
        check(schema, "---\nt: 999\nf: 1602377984.4306138\n---\n"),
        [
            "2:4 minimum `t` must be at least 1000000000, found integer 999 (minimum)",
            "3:4 maximum `f` must be at most 1602377984.4, found float 1602377984.4306138 (maximum)",
        ]
    );
}

#[test]
fn keys_made_of_digits_and_names_failing_property_names() {
    let schema = r#"{"properties": {"m": {"properties": {"2": {"type": "string"}}}},
        "propertyNames": {"pattern": "^[a-z]+$"}}"#;
    assert_eq!(
        check(schema, "---\nm:\n  \"2\": 3\nBad: 1\n---\n"),
        [
            "3:8 type `m.2` must be a string, found integer 3 (type)",
            "4:1 propertyNames the key name `Bad` must match the pattern `^[a-z]+$` (propertyNames)",
        ]
    );
}

#[test]
fn broken_schemas_are_typed_errors_naming_the_file() {
    let path = Path::new("schemas/blog.json");
    let err = JsonSchema::from_text(path, "{\n  \"type\": \"object\",\n}").unwrap_err();
    assert!(
        matches!(
            err,
            SchemaError::NotJson {
                line: 3,
                column: 1,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string()
            .starts_with("schemas/blog.json:3:1: the schema is not JSON: ")
    );
    let err = JsonSchema::from_text(path, r#"{"type": "strnig"}"#).unwrap_err();
    assert!(matches!(err, SchemaError::Invalid { .. }), "{err}");
    assert!(err.to_string().contains("strnig"), "{err}");
    let err = JsonSchema::from_text(path, r#"{"$ref": "other.json"}"#).unwrap_err();
    assert!(matches!(err, SchemaError::Invalid { .. }), "{err}");
    let err = JsonSchema::from_text(path, r##"{"$ref": "#/$defs/nope"}"##).unwrap_err();
    assert!(matches!(err, SchemaError::Invalid { .. }), "{err}");
    let err = JsonSchema::load(Path::new("no/such/schema.json")).unwrap_err();
    assert!(matches!(err, SchemaError::Read { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with("no/such/schema.json: cannot read the schema: ")
    );
}

/// The shape `astro sync` writes to `.astro/collections/blog.schema.json` (zod-to-json-schema:
/// draft-07, the collection under `definitions`, a reused date schema as a `$ref`, dates as
/// `anyOf` date-time string / date string / integer `unix-time`).
const ASTRO: &str = include_str!("../../fixtures/schemas/astro-blog.schema.json");

#[test]
fn astro_generated_schema_accepts_valid_posts_in_every_format() {
    let yaml = "---\ntitle: Hello\ndescription: First post\npubDate: 2024-01-15\nupdatedDate: 2024-02-01T10:00:00Z\ntags: [astro]\nauthor:\n  name: Ada\n  url: https://ada.dev/\n---\n";
    assert_eq!(check(ASTRO, yaml), Vec::<String>::new());
    let toml = "+++\ntitle = \"Hello\"\ndescription = \"x\"\npubDate = 2024-01-15T10:00:00+01:00\ndraft = true\n+++\n";
    assert_eq!(check(ASTRO, toml), Vec::<String>::new());
    let json =
        "{\n  \"title\": \"Hello\",\n  \"description\": \"x\",\n  \"pubDate\": 1705312800\n}\n";
    assert_eq!(check(ASTRO, json), Vec::<String>::new());
}

#[test]
fn astro_generated_schema_reports_each_mistake_at_its_path() {
    let yaml = "---\ntitle: Hello\npubDate: yesterday\nupdatedDate: 2024-13-01\ntags: [astro, 3]\nauthor:\n  url: not a uri\n  nick: ada\ncategory: x\n---\n";
    assert_eq!(
        check(ASTRO, yaml),
        [
            "1:1 required required field `description` is missing (required)",
            "3:10 anyOf `pubDate` must match one of: be a valid date-time; be a valid date; be an integer, found string \"yesterday\" (anyOf)",
            "4:14 anyOf `updatedDate` must match one of: be a valid date-time; be a valid date; be an integer, found string \"2024-13-01\" (anyOf)",
            "5:15 type `tags[1]` must be a string, found integer 3 (type)",
            "6:1 required required field `author.name` is missing (required)",
            "7:8 format `author.url` must be a valid uri, found string \"not a uri\" (format)",
            "8:3 additionalProperties field `author.nick` is not allowed by the schema (additionalProperties)",
            "9:1 additionalProperties field `category` is not allowed by the schema (additionalProperties)",
        ]
    );
}

#[test]
fn a_compiled_schema_is_shared_by_the_checking_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<JsonSchema>();
}

/// The in-place view of a post (`node::FmxJson`) and its copy as a `serde_json::Value`
/// (`json::table_to_json`, used for messages) must be the same JSON to every keyword.
#[test]
fn the_in_place_view_and_the_json_copy_are_judged_alike() {
    let schemas = [
        r#"{"properties": {"n": {"enum": [1, "1", true, null, [1], {"a": 1}]}}}"#,
        r#"{"properties": {"n": {"type": "integer"}, "s": {"const": "a"}}}"#,
        r#"{"properties": {"n": {"type": "string", "pattern": "^\\.n"}}}"#,
        r#"{"properties": {"n": {"multipleOf": 0.5, "maximum": 1e20}}}"#,
        r#"{"properties": {"l": {"uniqueItems": true, "contains": {"type": "number"}}}}"#,
        r#"{"propertyNames": {"maxLength": 1}, "minProperties": 2}"#,
        r#"{"properties": {"d": {"format": "date-time"}, "t": {"type": "object", "const": {"x": 1.0}}}}"#,
    ];
    let posts = [
        "n = 1\nl = [1, 1.0]\nd = 1979-05-27T07:32:00Z\n",
        "n = 1.0\nl = [1, 2]\nd = 1979-05-27T07:32:00\n",
        "n = nan\ns = \"a\"\n",
        "n = inf\nl = [\"a\", \"b\"]\n",
        "n = \"1\"\nt = { x = 1 }\n",
        "n = true\nl = [[1], [1]]\n",
        "n = [1]\nt = { x = 2 }\n",
        "n = { a = 1 }\n",
        "n = 170141183460469231731687303715884105727\n",
        "n = 1.5\ns = \"b\"\nab = 1\n",
        "n = 1e300\n",
    ];
    let mut judged = 0;
    for schema in schemas {
        let value: serde_json::Value = serde_json::from_str(schema).unwrap();
        let copy = jsonschema::options()
            .should_validate_formats(true)
            .build(&value)
            .unwrap();
        let view = JsonSchema::from_text(Path::new("s.json"), schema).unwrap();
        for post in posts {
            let Ok(parsed) = parse(crate::document::Format::Toml, post, 2, &Limits::default())
            else {
                continue;
            };
            let table = parsed.root.value.as_table().unwrap();
            let expected = copy.is_valid(&json::table_to_json(table));
            assert_eq!(view.is_valid(table), expected, "{schema} on {post:?}");
            assert_eq!(
                view.validate(table).is_empty(),
                expected,
                "{schema} on {post:?}"
            );
            judged += 1;
        }
    }
    // TOML refuses only the integer wider than i64.
    assert_eq!(judged, schemas.len() * (posts.len() - 1));
}
