//! `ambiguous-value`: a plain YAML scalar, value or key, that YAML 1.1 and YAML 1.2 readers
//! read as different values; the fix writes the reading the config names.

use crate::diagnostic::Diagnostic;
use crate::document::{Format, Layout};
use crate::edit::{self, Edit, Fix, Values};
use crate::formats::Limits;
use crate::formats::yaml::{self, Reading, YamlVersion};
use crate::shown;
use crate::value::Value;

use super::{Context, Rule, RuleDoc, Unit};

pub static UNIT: Unit = Unit {
    page: RuleDoc {
        what: r#"A plain (unquoted) YAML scalar that YAML 1.1 readers and YAML 1.2 readers
read as different values. For example:
- `yes`, `no`, `on`, `off`, `y`, `n` in any of their spellings (`Yes`,
  `NO`, `On`, ...): booleans in YAML 1.1, strings in YAML 1.2;
- `012`: the octal number 10 in YAML 1.1, the integer 12 in YAML 1.2;
- `10:00`: the base-60 number 600 in YAML 1.1, a string in YAML 1.2;
- `1e5`, `1.0e3`, `1.6e9`: strings in YAML 1.1 (it wants a dot and a
  signed exponent), floats in YAML 1.2; `-.5` and `+.5` too;
- `1_000`, `0b101`: numbers in YAML 1.1, strings in YAML 1.2; `0o12`:
  a number in YAML 1.2, a string in YAML 1.1;
- keys too: `yes:` and `on:` are the key `true` to YAML 1.1 readers.
Date shapes only Ruby's Psych reads as times (`2013-06-27 11:00:01
+0000`) are left out: Jekyll reads a date string itself."#,
        why: r#"Generators read front matter with both kinds of parser: Jekyll (Ruby's
Psych) and PyYAML follow YAML 1.1, newer libraries follow YAML 1.2. The
same post then means different things on different sites or after a
change of tool: `country: NO` is the country code in one and `false` in
the other, and `time: 10:00` becomes 600."#,
        example: r#"$ cat post.md
---
title: Norway
date: 1602377984
country: NO
---

$ fmx check post.md
post.md:4:10: warning[ambiguous-value] value `NO` is the string "NO" to fmx (YAML 1.2), but YAML 1.1 readers (Jekyll, PyYAML) read it as the boolean false
  help: name the reading: `yaml = "1.1"` (Jekyll, PyYAML) or `yaml = "1.2"` in fmx.toml, or `--yaml`; `fmx check --fix` then writes it so both read the same"#,
        fix: r#"fmx cannot know which reader a site uses, so first name it: `yaml = "1.1"`
(Jekyll, PyYAML) or `yaml = "1.2"` in fmx.toml, or `--yaml 1.1|1.2`.
Then `fmx check --fix` writes the value that reading sees in a form both
agree on: under 1.1 `country: NO` becomes `country: false`, under 1.2
`country: "NO"`; `1e5` becomes `"1e5"` or `1.0e+5`. Without a reading
named it is reported and left as it is, and `fmx convert` refuses the
file. A key under 1.1 is left for you to rename."#,
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let (Some(layout), Some(post)) = (cx.layout, cx.post) else {
        return;
    };
    if layout.format != Format::Yaml {
        return;
    }
    // The parse found them on its way, most of the time: then there is no second read.
    let read;
    let found = match &post.yaml_readings {
        Some(found) => found,
        None => {
            let Ok(raw) = std::str::from_utf8(&cx.bytes[layout.content.clone()]) else {
                return;
            };
            let text = raw.replace("\r\n", "\n");
            // The post loaded under the configured limits; this second read only lists scalars.
            let limits = Limits {
                max_depth: Limits::MAX_DEPTH,
                max_alias_nodes: usize::MAX,
                max_block_bytes: usize::MAX,
            };
            let Ok(all) = yaml::readings(&text, layout.content_line, &limits) else {
                return;
            };
            read = all;
            &read
        }
    };
    let shown = found.iter().filter(|r| r.reads_apart());
    for r in shown.filter(|r| !r.only_psych_time()) {
        out.push(diagnostic(cx, layout, r));
    }
}

/// The finding, with the fix the named reading allows: under 1.1 the value YAML 1.1 readers
/// see, under 1.2 the value fmx sees, each written so both read it; with no reading named,
/// none (fmx cannot know which one the site meant).
fn diagnostic(cx: &Context<'_>, layout: &Layout, r: &Reading) -> Diagnostic {
    let message = r.message();
    let d = Diagnostic::new(Rule::AmbiguousValue, r.pos, message);
    let wanted = match cx.schema.yaml {
        None => {
            return d.with_help(
                "name the reading: `yaml = \"1.1\"` (Jekyll, PyYAML) or `yaml = \"1.2\"` in fmx.toml, or `--yaml`; `fmx check --fix` then writes it so both read the same",
            );
        }
        Some(YamlVersion::Yaml11) if r.key => None,
        Some(YamlVersion::Yaml11) => r.yaml11.as_ref(),
        Some(YamlVersion::Core12) => Some(&r.yaml12),
    };
    let Some((value, replacement)) = wanted.and_then(|v| both_read(v).map(|t| (v, t))) else {
        return d.with_help("write it so both readers agree (quoted, or as a number both read)");
    };
    let d = d.with_help(format!(
        "write {} (`fmx check --fix` does)",
        shown::bounded(&replacement)
    ));
    let range = edit::offset_of(cx.bytes, layout, r.pos)
        .filter(|&start| cx.bytes.get(start..start + r.text.len()) == Some(r.text.as_bytes()))
        .map(|start| start..start + r.text.len());
    match range {
        Some(range) => d.with_fix(Fix {
            edits: vec![Edit {
                range,
                replacement,
                rule: Rule::AmbiguousValue,
            }],
            reorder: None,
            values: Values(if r.key {
                Vec::new()
            } else {
                vec![(r.pos, value.clone())]
            }),
        }),
        None => d,
    }
}

/// `value` as YAML text that YAML 1.1 and 1.2 readers both read as it: a string quoted, a
/// number or boolean plain when no reader takes it otherwise.
fn both_read(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => return serde_json::to_string(s).ok(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.value.to_string(),
        Value::Float(f) => {
            let t = f.decimal_text()?;
            match (t.contains('.'), t.find('e')) {
                (true, _) => t,
                (false, Some(e)) => format!("{}.0{}", &t[..e], &t[e..]),
                (false, None) => format!("{t}.0"),
            }
        }
        _ => return None,
    };
    yaml::yaml11_ambiguity(&text).is_none().then_some(text)
}
