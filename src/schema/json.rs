//! A post's front matter copied into a `serde_json::Value`, as JSON sees it: what
//! validation errors carry and what the in-place view in [`super::node`] must agree with.
//!
//! Tables become objects and arrays arrays, in the same order, so an error's instance path
//! walks the [`Table`] step for step. Date-times (TOML datetimes, YAML timestamps) become
//! their RFC 3339 text; integers stay exact; floats become the f64 their digits denote.

use serde_json::{Map, Number, Value as Json};

use crate::value::{Float, Node, Table, Value};

/// The front matter table as a JSON object.
pub fn table_to_json(table: &Table) -> Json {
    let mut map = Map::with_capacity(table.len());
    for (key, entry) in table.iter() {
        map.insert(key.clone(), node_to_json(&entry.node));
    }
    Json::Object(map)
}

pub(crate) fn node_to_json(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => int_to_json(i.value),
        Value::Float(f) => float_to_json(f),
        Value::String(s) => Json::String(s.clone()),
        Value::DateTime(d) => Json::String(d.text.clone()),
        Value::Array(items) => Json::Array(items.iter().map(node_to_json).collect()),
        Value::Table(t) => table_to_json(t),
    }
}

/// Every integer a post plausibly carries (epoch seconds, milliseconds, nanoseconds) fits
/// i64 or u64 and is kept exactly. Wider ones can only be a JSON number as an f64 while
/// serde_json's `arbitrary_precision` is off (it changes every `Number` in the program),
/// which is also what Python's and JavaScript's validators compare.
pub(crate) fn int_to_json(value: i128) -> Json {
    if let Ok(v) = i64::try_from(value) {
        return Json::Number(v.into());
    }
    if let Ok(v) = u64::try_from(value) {
        return Json::Number(v.into());
    }
    Number::from_f64(value as f64).map_or(Json::Null, Json::Number)
}

/// JSON has no NaN or infinity: they are handed over as the text YAML writes for them, so
/// that `type: number` rejects them instead of seeing a number JSON cannot hold.
pub(crate) fn float_to_json(f: &Float) -> Json {
    match Number::from_f64(f.value) {
        Some(n) => Json::Number(n),
        None if f.value.is_nan() => Json::String(".nan".into()),
        None if f.value > 0.0 => Json::String(".inf".into()),
        None => Json::String("-.inf".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Format;
    use crate::formats::{Limits, parse};

    fn json_of(format: Format, text: &str) -> String {
        let parsed = parse(format, text, 2, &Limits::default()).unwrap();
        table_to_json(parsed.root.value.as_table().unwrap()).to_string()
    }

    #[test]
    fn date_times_become_rfc3339_text_and_numbers_stay_numbers() {
        assert_eq!(
            json_of(
                Format::Toml,
                "a = 1979-05-27T07:32:00Z\nb = 1979-05-27\nc = 1602377984\nd = 1602377984.4306138\n"
            ),
            r#"{"a":"1979-05-27T07:32:00Z","b":"1979-05-27","c":1602377984,"d":1602377984.4306138}"#
        );
        assert_eq!(
            json_of(
                Format::Yaml,
                "a: 2020-10-11 00:59:44Z\nb: 2020-10-11\nc: 1602377984123456789\nd: .nan\n"
            ),
            r#"{"a":"2020-10-11T00:59:44Z","b":"2020-10-11","c":1602377984123456789,"d":".nan"}"#
        );
    }
}
