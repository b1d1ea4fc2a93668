//! The JSON Schema (2020-12) equivalent to an `fmx.toml` schema, for editors and other
//! validators; what has no equivalent is named in a `$comment`.
//!
//! Each fmx check maps to keywords that accept and reject the same values as JSON sees
//! them: an optional field left null counts as absent (`anyOf` null), a required field must
//! not be empty (`not` of null / blank string / empty array / empty table), `url` is a
//! pattern written to match fmx's own absolute-URL test rather than `format: uri` (which
//! is stricter), `epoch` is a number between its bounds.

use serde_json::{Map, Value as Json, json};

use crate::config::{FieldSpec, FieldType, Schema};
use crate::keypath::{KeyPath, Segment};
use crate::rules::dates::{DEFAULT_EARLIEST, DEFAULT_LATEST};

pub const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// fmx's absolute URL (`rules::fields::is_absolute_url`) as a regex: a scheme, `:`, no
/// whitespace, and for http(s), ftp and ws(s) `//` then a host that does not start with `:`.
const URL_PATTERN: &str = concat!(
    r"^(?:(?:[Hh][Tt][Tt][Pp][Ss]?|[Ff][Tt][Pp]|[Ww][Ss][Ss]?)://[^/?#:\s]\S*",
    r"|(?!(?:[Hh][Tt][Tt][Pp][Ss]?|[Ff][Tt][Pp]|[Ww][Ss][Ss]?):)[A-Za-z][A-Za-z0-9+.-]*:\S+)$"
);

/// What every export says it leaves out.
const GAPS: &str = "fmx checks that JSON Schema cannot express: date-in-future (relative to \
the day of the run); the earliest/latest range of `datetime` fields (JSON Schema has no date \
comparison); integer versus float by notation (`1.0` is a float to fmx, an integer to JSON \
Schema); a YAML local date-time versus a string of the same text (JSON sees both as text).";

/// The JSON Schema for `schema`.
pub fn export(schema: &Schema) -> Json {
    let mut root = Tree::default();
    for spec in schema.fields.values() {
        root.at(&spec.path).spec = Some(spec);
    }
    for path in &schema.required {
        root.at(path).required = true;
        root.mark_required(path.segments());
    }
    let mut out = Map::new();
    out.insert("$schema".into(), DRAFT_2020_12.into());
    let comment = match &schema.json_schema {
        Some(j) => format!(
            "{GAPS} Posts are also validated against {} (schema = in fmx.toml), not included here.",
            j.path().display()
        ),
        None => GAPS.to_string(),
    };
    out.insert("$comment".into(), comment.into());
    out.insert("type".into(), "object".into());
    root.members(&mut out);
    if !schema.allow_unknown_fields {
        out.insert("additionalProperties".into(), false.into());
    }
    Json::Object(out)
}

/// The fields as a tree of keys: a nested field (`params.author`) is a property of the
/// object schema of its parent key.
#[derive(Default)]
struct Tree<'s> {
    spec: Option<&'s FieldSpec>,
    /// The path ends here and is required.
    required: bool,
    /// Children whose name a required path goes through, in order.
    required_children: Vec<String>,
    children: indexmap::IndexMap<String, Tree<'s>>,
}

impl<'s> Tree<'s> {
    fn at(&mut self, path: &KeyPath) -> &mut Tree<'s> {
        path.segments().iter().fold(self, |node, segment| {
            let key = match segment {
                Segment::Key(k) => k.clone(),
                Segment::Index(i) => i.to_string(),
            };
            node.children.entry(key).or_default()
        })
    }

    /// Lists each step of a required path in its parent's `required`.
    fn mark_required(&mut self, segments: &[Segment]) {
        let Some((Segment::Key(first), rest)) = segments.split_first() else {
            return;
        };
        if !self.required_children.contains(first) {
            self.required_children.push(first.clone());
        }
        if let Some(child) = self.children.get_mut(first) {
            child.mark_required(rest);
        }
    }

    /// `properties` and `required` of this node's children into `out`.
    fn members(&self, out: &mut Map<String, Json>) {
        if self.children.is_empty() {
            return;
        }
        let properties: Map<String, Json> = (self.children.iter())
            .map(|(k, child)| (k.clone(), child.render()))
            .collect();
        out.insert("properties".into(), Json::Object(properties));
        if !self.required_children.is_empty() {
            out.insert("required".into(), json!(self.required_children));
        }
    }

    fn render(&self) -> Json {
        let mut nested = Map::new();
        self.members(&mut nested);
        // A required path through this key needs it to be a table (fmx reports the nested
        // key missing otherwise); else `properties` ignores a value that is not one, as
        // fmx ignores a nested field it cannot reach.
        if !self.required_children.is_empty() {
            nested.insert("type".into(), "object".into());
        }
        let nested = (!nested.is_empty()).then_some(Json::Object(nested));
        match (self.spec, nested) {
            (Some(spec), nested) => field(spec, self.required, nested),
            (None, Some(nested)) if self.required => json!({"allOf": [not_empty(), nested]}),
            (None, Some(nested)) => nested,
            // A required key with no [fields] entry: it must only be non-empty.
            (None, None) => not_empty(),
        }
    }
}

/// One field: its checks (and its nested fields), then null allowed when optional or
/// non-empty demanded when required.
fn field(spec: &FieldSpec, required: bool, nested: Option<Json>) -> Json {
    let checks = value_keywords(spec);
    let checks = match nested {
        Some(nested) => json!({"allOf": [Json::Object(checks), nested]}),
        None => Json::Object(checks),
    };
    if required {
        json!({"allOf": [not_empty(), checks]})
    } else {
        json!({"anyOf": [{"type": "null"}, checks]})
    }
}

/// The keywords for what one value (a field's, or an array item's) must be.
fn value_keywords(spec: &FieldSpec) -> Map<String, Json> {
    let mut checks = Map::new();
    if let Some(ty) = spec.ty {
        type_keywords(ty, spec, &mut checks);
    }
    // fmx's min-length and max-length count characters of a string and items of an array.
    if let Some(min) = spec.min_length {
        checks.insert("minLength".into(), min.into());
        checks.insert("minItems".into(), min.into());
    }
    if let Some(max) = spec.max_length {
        checks.insert("maxLength".into(), max.into());
        checks.insert("maxItems".into(), max.into());
    }
    if let Some(allowed) = &spec.one_of {
        let values: Vec<Json> = allowed.iter().map(toml_to_json).collect();
        checks.insert("enum".into(), Json::Array(values));
    }
    if let Some(pattern) = &spec.pattern {
        // A `url` field already holds the URL pattern: the field's own goes beside it.
        let own = json!({"pattern": pattern.0.as_str()});
        match checks.contains_key("pattern") {
            true => checks.insert("allOf".into(), json!([own])),
            false => checks.insert("pattern".into(), own["pattern"].clone()),
        };
    }
    if let Some(items) = &spec.items {
        checks.insert("items".into(), Json::Object(value_keywords(items)));
    }
    // minItems and maxItems say nothing about a value that is not an array, as in fmx.
    if let Some(min) = spec.min_items {
        checks.insert(
            "minItems".into(),
            min.max(spec.min_length.unwrap_or(0)).into(),
        );
    }
    if let Some(max) = spec.max_items {
        let max = spec.max_length.map_or(max, |l| l.min(max));
        checks.insert("maxItems".into(), max.into());
    }
    if spec.unique_items {
        checks.insert("uniqueItems".into(), true.into());
    }
    if spec.unique {
        checks.insert(
            "$comment".into(),
            "unique = true: no two posts may share a value (not-unique); JSON Schema judges one document".into(),
        );
    }
    checks
}

fn type_keywords(ty: FieldType, spec: &FieldSpec, out: &mut Map<String, Json>) {
    let simple = |name: &str| Some(Json::String(name.into()));
    let json_type = match ty {
        FieldType::String => simple("string"),
        FieldType::Integer => simple("integer"),
        FieldType::Float | FieldType::Number => simple("number"),
        FieldType::Boolean => simple("boolean"),
        FieldType::Array => simple("array"),
        FieldType::Table => simple("object"),
        FieldType::Url => {
            out.insert("pattern".into(), URL_PATTERN.into());
            simple("string")
        }
        FieldType::Epoch => {
            out.insert(
                "$comment".into(),
                "fmx also reports milliseconds (date-in-milliseconds) and dates after today".into(),
            );
            out.insert(
                "minimum".into(),
                spec.earliest.unwrap_or(DEFAULT_EARLIEST).into(),
            );
            out.insert(
                "maximum".into(),
                spec.latest.unwrap_or(DEFAULT_LATEST).into(),
            );
            simple("number")
        }
        FieldType::Date => {
            out.insert("format".into(), "date".into());
            simple("string")
        }
        FieldType::Datetime => {
            out.insert("$comment".into(), "earliest/latest not expressed".into());
            out.insert(
                "anyOf".into(),
                json!([{"format": "date-time"},
                       {"pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$"}]),
            );
            simple("string")
        }
        FieldType::Any => None,
    };
    if let Some(t) = json_type {
        out.insert("type".into(), t);
    }
}

/// fmx's "empty": null, a blank string, an empty array or an empty table.
fn not_empty() -> Json {
    json!({"not": {"anyOf": [
        {"type": "null"},
        {"type": "string", "pattern": r"^\s*$"},
        {"type": "array", "maxItems": 0},
        {"type": "object", "maxProperties": 0}
    ]}})
}

fn toml_to_json(value: &toml::Value) -> Json {
    match value {
        toml::Value::String(s) => Json::String(s.clone()),
        toml::Value::Integer(i) => (*i).into(),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        toml::Value::Boolean(b) => (*b).into(),
        toml::Value::Datetime(d) => Json::String(d.to_string()),
        toml::Value::Array(a) => Json::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Json::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::config::Config;
    use crate::document::Format;
    use crate::formats::{Limits, parse};
    use crate::schema::JsonSchema;

    const CONFIG: &str = r#"required = ["title", "date"]
allow-unknown-fields = false
[fields.date]
type = "epoch"
[fields.image]
type = "url"
[fields.tags]
min-length = 1
[fields.category]
one-of = ["news", 3]
"#;

    /// What `fmx check` reports for a YAML block, every rule included.
    fn fmx_findings(text: &str, schema: &Schema) -> Vec<crate::diagnostic::Diagnostic> {
        let bytes = format!("---\n{text}---\n").into_bytes();
        let split = crate::document::split(&bytes, true, 1 << 20);
        crate::check::check_bytes(&bytes, &split, schema, &Limits::default(), i64::MAX)
    }

    fn schema() -> std::sync::Arc<Schema> {
        Config::parse(CONFIG, Path::new("fmx.toml"), PathBuf::from("."))
            .unwrap()
            .base
    }

    #[test]
    fn exports_each_check_as_keywords_and_names_the_gaps() {
        let out = export(&schema());
        assert_eq!(out["$schema"], DRAFT_2020_12);
        assert!(out["$comment"].as_str().unwrap().contains("date-in-future"));
        assert_eq!(out["required"], json!(["title", "date"]));
        assert_eq!(out["additionalProperties"], false);
        let date = &out["properties"]["date"]["allOf"][1];
        assert_eq!(
            (date["minimum"].clone(), date["maximum"].clone()),
            (json!(0), json!(4_102_444_800i64))
        );
        assert_eq!(
            out["properties"]["image"]["anyOf"][0],
            json!({"type": "null"})
        );
        assert_eq!(
            out["properties"]["category"]["anyOf"][1]["enum"],
            json!(["news", 3])
        );
        // `title` is required with no [fields] entry: it must only be non-empty.
        assert!(out["properties"]["title"]["not"].is_object());
    }

    /// fmx's own checks and the exported schema accept and reject the same posts.
    #[test]
    fn exported_schema_judges_posts_as_the_fields_do() {
        let schema = schema();
        let exported =
            JsonSchema::from_text(Path::new("x.json"), &export(&schema).to_string()).unwrap();
        let posts = [
            ("title: Hi\ndate: 1602377984.5\n", true),
            ("title: Hi\ndate: 1602377984123\n", false),
            ("title: \"  \"\ndate: 1\n", false),
            ("title: Hi\ndate: 1\nimage:\n", true),
            ("title: Hi\ndate: 1\nimage: https:///x\n", false),
            ("title: Hi\ndate: 1\nimage: mailto:a@b.org\n", true),
            ("title: Hi\ndate: 1\ntags: []\n", false),
            ("title: Hi\ndate: 1\ncategory: 3\n", true),
            ("title: Hi\ndate: 1\ncategory: sport\n", false),
            ("title: Hi\ndate: 1\nother: 1\n", false),
            ("title: Hi\n", false),
        ];
        judged_alike(&posts, &schema, &exported);
    }

    /// Each post is accepted by fmx's field rules exactly when the exported schema accepts it.
    fn judged_alike(posts: &[(&str, bool)], schema: &Schema, exported: &JsonSchema) {
        for &(text, expected) in posts {
            let fmx = fmx_findings(text, schema);
            assert!(fmx.is_empty() == expected, "fmx on {text:?}: {fmx:?}");
            let parsed = parse(Format::Yaml, text, 2, &Limits::default()).unwrap();
            let table = parsed.root.value.as_table().unwrap();
            assert_eq!(exported.is_valid(table), expected, "export on {text:?}");
        }
    }

    /// Nested fields are properties of their parent's object schema, and agree with fmx.
    #[test]
    fn nested_fields_export_as_nested_properties() {
        let config = "required = [\"params.author\"]\n[fields.\"params.author\"]\ntype = \"string\"\n[fields.\"meta.rank\"]\ntype = \"integer\"\n";
        let schema = Config::parse(config, Path::new("fmx.toml"), PathBuf::from("."))
            .unwrap()
            .base;
        let out = export(&schema);
        assert_eq!(out["required"], json!(["params"]));
        assert_eq!(out["properties"]["params"]["required"], json!(["author"]));
        let exported = JsonSchema::from_text(Path::new("x.json"), &out.to_string()).unwrap();
        let posts = [
            ("params: {author: Ann}\n", true),
            ("params: {author: 3}\n", false),
            ("params: {author: \"\"}\n", false),
            ("params: {}\n", false),
            ("params: x\n", false),
            ("other: 1\n", false),
            ("params: {author: A}\nmeta: {rank: x}\n", false),
            ("params: {author: A}\nmeta: 3\n", true),
            ("params: {author: A}\nmeta: {rank: 2}\n", true),
        ];
        judged_alike(&posts, &schema, &exported);
    }
}
