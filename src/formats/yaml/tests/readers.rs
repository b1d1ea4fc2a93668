//! Other YAML readers, run on text fmx wrote or reads: PyYAML (YAML 1.1), ruamel.yaml (YAML
//! 1.2) and Ruby's Psych (YAML 1.1, behind Jekyll). Each loads a batch of texts in one
//! process and answers typed JSON, compared with fmx's values by [`same_as`].
//!
//! A reader that is not installed is skipped with a note, unless `FMX_REQUIRE_READERS` is
//! set (CI installs `pyyaml`, `ruamel.yaml` and `ruby`).

use std::io::Write;
use std::process::{Command, Stdio};

use crate::formats::key_path;
use crate::value::{DateTimeKind, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    PyYaml,
    Ruamel,
    Psych,
}

pub const ALL: [Reader; 3] = [Reader::PyYaml, Reader::Ruamel, Reader::Psych];

const PYTHON_TYPED: &str = r#"
import datetime, json, sys
def typed(v):
    if v is None: return ["null"]
    if isinstance(v, bool): return ["bool", v]
    if isinstance(v, int): return ["int", str(v)]
    if isinstance(v, float): return ["float", repr(v)]
    if isinstance(v, str): return ["str", v]
    if isinstance(v, datetime.datetime):
        return ["offset" if v.tzinfo else "local", v.isoformat()]
    if isinstance(v, datetime.date): return ["date", v.isoformat()]
    if isinstance(v, list): return ["seq", [typed(x) for x in v]]
    if isinstance(v, dict): return ["map", [[typed(k), typed(x)] for k, x in v.items()]]
    return ["other", repr(v)]
out = []
for text in json.load(sys.stdin):
    try:
        out.append(typed(load(text)))
    except Exception as e:
        out.append(["error", str(e)])
print(json.dumps(out))
"#;

const PYYAML: &str = "import yaml\nload = yaml.safe_load\n";

const RUAMEL: &str = "from ruamel.yaml import YAML\n_y = YAML(typ='safe', pure=True)\n\
                      load = _y.load\n";

/// Psych as Jekyll calls it: safe, with dates and times allowed.
const PSYCH: &str = r#"
require "json"
require "yaml"
require "date"
def typed(v)
  case v
  when nil then ["null"]
  when true, false then ["bool", v]
  when Integer then ["int", v.to_s]
  when Float then ["float", v.nan? ? "NaN" : v.infinite? ? (v > 0 ? "inf" : "-inf") : v.to_s]
  when String then ["str", v]
  when Time then ["time", v.strftime("%Y-%m-%dT%H:%M:%S.%N%:z")]
  when Date then ["date", v.strftime("%Y-%m-%d")]
  when Array then ["seq", v.map { |x| typed(x) }]
  when Hash then ["map", v.map { |k, x| [typed(k), typed(x)] }]
  else ["other", v.inspect]
  end
end
out = JSON.parse($stdin.read).map do |text|
  begin
    typed(YAML.safe_load(text, permitted_classes: [Date, Time], aliases: true))
  rescue Exception => e
    ["error", e.message]
  end
end
puts JSON.generate(out)
"#;

impl Reader {
    pub fn name(self) -> &'static str {
        match self {
            Reader::PyYaml => "PyYAML",
            Reader::Ruamel => "ruamel.yaml",
            Reader::Psych => "Psych",
        }
    }

    fn command(self) -> Command {
        let mut cmd;
        match self {
            Reader::PyYaml | Reader::Ruamel => {
                let prelude = if self == Reader::PyYaml {
                    PYYAML
                } else {
                    RUAMEL
                };
                cmd = Command::new("python3");
                cmd.args(["-c", &format!("{prelude}{PYTHON_TYPED}")]);
            }
            Reader::Psych => {
                cmd = Command::new("ruby");
                cmd.args(["-e", PSYCH]);
            }
        }
        cmd
    }
}

/// Each text as `reader` loads it, typed; `None` (and a note) when the reader is missing.
#[allow(clippy::print_stderr)]
pub fn load(reader: Reader, texts: &[String]) -> Option<Vec<serde_json::Value>> {
    let skip = |why: String| {
        assert!(
            std::env::var_os("FMX_REQUIRE_READERS").is_none(),
            "{} is required: {why}",
            reader.name()
        );
        eprintln!("note: {} check skipped: {why}", reader.name());
        None
    };
    let child = reader
        .command()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return skip(format!("its interpreter is not available ({e})")),
    };
    let input = serde_json::to_string(texts).expect("JSON");
    if let Some(mut stdin) = child.stdin.take() {
        // An interpreter that exits early (no module) closes the pipe; its stderr says why.
        let _ = stdin.write_all(input.as_bytes());
    }
    let output = child.wait_with_output().expect("the reader runs");
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        if stderr.contains("No module named") || stderr.contains("cannot load such file") {
            return skip(format!("it is not installed: {}", stderr.trim()));
        }
        panic!("{} failed: {stderr}", reader.name());
    }
    Some(serde_json::from_slice(&output.stdout).expect("typed JSON from the reader"))
}

/// Our data against another reader's, typed as [`load`] spells it.
pub fn same_as(ours: &Value, theirs: &serde_json::Value, path: &str) -> Result<(), String> {
    let differ = || Err(format!("`{path}`: {ours:?} reads as {theirs}"));
    let (Some(tag), payload) = (theirs[0].as_str(), &theirs[1]) else {
        return differ();
    };
    let same = match (ours, tag) {
        (Value::Null, "null") => true,
        (Value::Bool(b), "bool") => payload.as_bool() == Some(*b),
        (Value::Int(i), "int") => payload.as_str() == Some(&i.value.to_string()),
        (Value::Float(f), "float") => payload
            .as_str()
            .and_then(|s| s.parse::<f64>().ok())
            .is_some_and(|p| (p.is_nan() && f.value.is_nan()) || p.to_bits() == f.value.to_bits()),
        (Value::String(s), "str") => payload.as_str() == Some(s.as_str()),
        (Value::DateTime(d), "offset" | "local" | "date" | "time") => {
            let kind_ok = match tag {
                "offset" => d.kind == DateTimeKind::Offset,
                "local" => d.kind == DateTimeKind::Local,
                "date" => d.kind == DateTimeKind::Date,
                // Psych makes a Time of both; a local one in the machine's zone.
                _ => matches!(d.kind, DateTimeKind::Offset | DateTimeKind::Local),
            };
            // The readers keep microseconds and spell `Z` as `+00:00`: compare to the second.
            let upto = d.text.len().min(19);
            kind_ok
                && payload
                    .as_str()
                    .is_some_and(|p| p.get(..upto) == d.text.get(..upto))
        }
        (Value::Array(items), "seq") => {
            let Some(theirs) = payload.as_array().filter(|a| a.len() == items.len()) else {
                return differ();
            };
            for (i, (a, b)) in items.iter().zip(theirs).enumerate() {
                same_as(&a.value, b, &format!("{path}[{i}]"))?;
            }
            true
        }
        (Value::Table(t), "map") => {
            let Some(theirs) = payload.as_array().filter(|a| a.len() == t.len()) else {
                return differ();
            };
            for ((key, entry), pair) in t.iter().zip(theirs) {
                let key_path = key_path(path, key);
                same_as(&Value::String(key.clone()), &pair[0], &key_path)?;
                same_as(&entry.node.value, &pair[1], &key_path)?;
            }
            true
        }
        // A block with no keys loads as nothing.
        (Value::Table(t), "null") => t.is_empty(),
        _ => false,
    };
    if same { Ok(()) } else { differ() }
}
