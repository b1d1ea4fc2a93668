//! The SARIF 2.1.0 format, in the subset GitHub code scanning reads.
//!
//! One run; `tool.driver.rules` lists every rule (so `ruleIndex` is the rule's index in
//! [`Rule::ALL`]) with its page from `fmx explain` as help. Paths stay relative as given,
//! as URI references with `/` separators; columns count Unicode code points, which the run
//! declares with `columnKind`.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::{Reporter, Summary};
use crate::diagnostic::{FileReport, Severity};
use crate::rules::{self, Rule};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where users learn about the tool: Cargo.toml's `homepage`, else its `repository`.
/// Neither is set yet, and an empty URI is invalid, so then the property is left out.
fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|uri| !uri.is_empty())
}

pub(super) struct Sarif;

impl Reporter for Sarif {
    fn report(&self, files: &[FileReport], _: &Summary, out: &mut dyn Write) -> io::Result<()> {
        let mut driver = json!({
            "name": "fmx",
            "version": env!("CARGO_PKG_VERSION"),
        });
        if let Some(uri) = information_uri() {
            driver["informationUri"] = json!(uri);
        }
        driver["rules"] = Rule::ALL.iter().map(|&rule| descriptor(rule)).collect();

        let mut results = Vec::new();
        for file in files {
            let uri = artifact_uri(&file.path);
            for d in &file.diagnostics {
                let text = match &d.help {
                    Some(help) => format!("{}\nhelp: {help}", d.message),
                    None => d.message.clone(),
                };
                let mut result = json!({
                    "ruleId": d.rule.name(),
                    "ruleIndex": rule_index(d.rule),
                    "level": level(Some(d.severity)),
                    "message": { "text": text },
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri },
                            // SARIF requires both to be at least 1.
                            "region": {
                                "startLine": d.line.max(1),
                                "startColumn": d.column.max(1),
                            },
                        },
                    }],
                });
                if let Some(r) = &d.related {
                    result["relatedLocations"] = json!([{
                        "id": 0,
                        "message": { "text": "first seen here" },
                        "physicalLocation": {
                            "artifactLocation": { "uri": artifact_uri(&r.path) },
                            "region": { "startLine": r.line.max(1), "startColumn": r.column.max(1) },
                        },
                    }]);
                }
                results.push(result);
            }
        }

        let log = json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": driver },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }],
        });
        serde_json::to_writer(&mut *out, &log)?;
        writeln!(out)
    }
}

/// A rule's `reportingDescriptor`.
fn descriptor(rule: Rule) -> Value {
    let mut tags = rule.tags().to_vec();
    if rule.fixable() {
        tags.push("fixable");
    }
    json!({
        "id": rule.name(),
        "name": pascal_case(rule.name()),
        "shortDescription": { "text": rule.summary() },
        "fullDescription": { "text": rule.doc().what },
        "help": {
            "text": rules::render(rule),
            "markdown": rules::render_markdown(rule),
        },
        "defaultConfiguration": { "level": level(rule.default_severity()) },
        "properties": { "tags": tags },
    })
}

fn rule_index(rule: Rule) -> usize {
    Rule::ALL.iter().position(|&r| r == rule).unwrap_or(0)
}

/// SARIF levels; a rule that is off by default has the level `none`.
fn level(severity: Option<Severity>) -> &'static str {
    match severity {
        Some(Severity::Error) => "error",
        Some(Severity::Warning) => "warning",
        None => "none",
    }
}

/// `date-not-epoch` → `DateNotEpoch`.
fn pascal_case(kebab: &str) -> String {
    kebab
        .split('-')
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
        })
        .collect()
}

/// A path as a URI reference: `/` separators, no leading `./`, and every byte outside
/// the characters RFC 3986 allows in a path segment percent-encoded (`:` too, so that a
/// first segment never reads as a scheme). Absolute paths become `file:` URIs.
fn artifact_uri(path: &str) -> String {
    let path = if cfg!(windows) {
        path.replace('\\', "/")
    } else {
        path.to_owned()
    };
    let mut rest = path.as_str();
    while let Some(stripped) = rest.strip_prefix("./") {
        rest = stripped.trim_start_matches('/');
    }
    let mut uri = String::with_capacity(rest.len() + 8);
    let bytes = rest.as_bytes();
    if cfg!(windows) && bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && &bytes[1..3] == b":/"
    {
        // A Windows drive path, C:/posts/a.md.
        uri.push_str("file:///");
        uri.push_str(&rest[..2]);
        rest = &rest[2..];
    } else if rest.starts_with('/') {
        uri.push_str("file://");
    }
    for &b in rest.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b) {
            uri.push(b as char);
        } else {
            let _ = write!(uri, "%{b:02X}");
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;
    use crate::report::test_data;
    use crate::value::Pos;

    fn log(files: &[FileReport]) -> Value {
        let mut out = Vec::new();
        Sarif
            .report(files, &test_data::summary(), &mut out)
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.ends_with("}\n"));
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn log_run_and_driver() {
        let log = log(&test_data::files());
        assert_eq!(log["$schema"], SCHEMA);
        assert_eq!(log["version"], "2.1.0");
        let runs = log["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 1);
        let run = &runs[0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "fmx");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        match driver.get("informationUri") {
            Some(uri) => assert!(uri.as_str().is_some_and(|u| u.starts_with("https://"))),
            None => assert!(information_uri().is_none()),
        }
    }

    #[test]
    fn every_rule_is_described() {
        let log = log(&[]);
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        assert_eq!(rules.len(), Rule::ALL.len());
        for (descriptor, &rule) in rules.iter().zip(Rule::ALL) {
            assert_eq!(descriptor["id"], rule.name());
            assert_eq!(descriptor["shortDescription"]["text"], rule.summary());
            assert_eq!(descriptor["fullDescription"]["text"], rule.doc().what);
            assert_eq!(descriptor["help"]["text"], rules::render(rule));
            assert_eq!(descriptor["help"]["markdown"], rules::render_markdown(rule));
            let tags = descriptor["properties"]["tags"].as_array().unwrap();
            assert!(tags.contains(&json!("front-matter")));
            assert_eq!(tags.contains(&json!("fixable")), rule.fixable());
        }
        let by_id = |id: &str| {
            rules
                .iter()
                .find(|d| d["id"] == id)
                .unwrap_or_else(|| panic!("{id}"))
        };
        assert_eq!(by_id("date-not-epoch")["name"], "DateNotEpoch");
        assert_eq!(by_id("bom")["name"], "Bom");
        assert_eq!(
            by_id("date-not-epoch")["defaultConfiguration"]["level"],
            "error"
        );
        assert_eq!(
            by_id("date-in-future")["defaultConfiguration"]["level"],
            "warning"
        );
        assert_eq!(
            by_id("delimiter-whitespace")["defaultConfiguration"]["level"],
            "none"
        );
    }

    #[test]
    fn results_point_at_rules_and_places() {
        let log = log(&test_data::files());
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 3);
        for result in results {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
        }
        let second = &results[1];
        assert_eq!(second["ruleId"], "date-not-epoch");
        assert_eq!(second["level"], "error");
        assert_eq!(
            second["message"]["text"],
            "`date` must be Unix epoch seconds as a number, found string \"2020-10-10\"\n\
             help: write 1602288000"
        );
        let location = &second["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "content/a.md");
        assert_eq!(location["region"]["startLine"], 9);
        assert_eq!(location["region"]["startColumn"], 7);
        assert_eq!(results[2]["level"], "warning");
        assert_eq!(
            results[0]["message"]["text"],
            "required field `title` is missing"
        );
    }

    #[test]
    fn region_is_never_zero() {
        let files = [FileReport {
            path: "a.md".into(),
            diagnostics: vec![Diagnostic::new(Rule::NoFrontMatter, Pos::new(0, 0), "x")],
        }];
        let region =
            &log(&files)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], 1);
        assert_eq!(region["startColumn"], 1);
    }

    #[test]
    fn uris() {
        assert_eq!(artifact_uri("content/a.md"), "content/a.md");
        assert_eq!(artifact_uri("./content/a.md"), "content/a.md");
        assert_eq!(artifact_uri("././content/a.md"), "content/a.md");
        assert_eq!(artifact_uri("my posts/a b.md"), "my%20posts/a%20b.md");
        assert_eq!(artifact_uri("100%#?.md"), "100%25%23%3F.md");
        assert_eq!(artifact_uri("c:d.md"), "c%3Ad.md");
        assert_eq!(artifact_uri("café.md"), "caf%C3%A9.md");
        assert_eq!(artifact_uri("a+b(1)'s.md"), "a+b(1)'s.md");
        assert_eq!(artifact_uri("../x.md"), "../x.md");
        assert_eq!(
            artifact_uri("/srv/site/a b.md"),
            "file:///srv/site/a%20b.md"
        );
        if cfg!(windows) {
            assert_eq!(artifact_uri("C:\\site\\a.md"), "file:///C:/site/a.md");
        } else {
            assert_eq!(artifact_uri("C:/site/a.md"), "C%3A/site/a.md");
            assert_eq!(artifact_uri("a\\b.md"), "a%5Cb.md");
        }
    }

    #[test]
    fn pascal_case_names() {
        assert_eq!(pascal_case("date-not-epoch"), "DateNotEpoch");
        assert_eq!(pascal_case("bom"), "Bom");
        assert_eq!(pascal_case("no-front-matter"), "NoFrontMatter");
    }
}
