//! Property tests: the JSON reader against serde_json.

use proptest::prelude::*;

use super::*;
use crate::value::Node;

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        any::<String>().prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(serde_json::Value::from),
            prop::collection::vec((any::<String>(), inner), 0..8)
                .prop_map(|members| serde_json::Value::Object(members.into_iter().collect())),
        ]
    })
}

/// Our node holds the same data as serde_json's value.
fn same(node: &Node, value: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (&node.value, value) {
        (Value::Null, J::Null) => true,
        (Value::Bool(a), J::Bool(b)) => a == b,
        (Value::Int(i), J::Number(n)) => n.as_i64().map(i128::from) == Some(i.value),
        (Value::Float(f), J::Number(n)) => n.as_f64() == Some(f.value),
        (Value::String(a), J::String(b)) => a == b,
        (Value::Array(a), J::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Value::Table(a), J::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((ka, ea), (kb, vb))| ka == kb && same(&ea.node, vb))
        }
        _ => false,
    }
}

proptest! {
    /// Whatever serde_json writes, compact or pretty, we read as the same data.
    #[test]
    fn reads_what_serde_json_writes(value in json_value()) {
        for text in [
            serde_json::to_string(&value).unwrap(),
            serde_json::to_string_pretty(&value).unwrap(),
        ] {
            let parsed = parse(&text, 1, &Limits::default());
            prop_assert!(parsed.is_ok(), "{text:?}: {parsed:?}");
            let parsed = parsed.unwrap();
            prop_assert!(same(&parsed.root, &value), "{text:?}: {:?}", parsed.root);
            prop_assert!(parsed.duplicates.is_empty());
        }
    }

    /// Never panics, and accepts exactly what serde_json accepts (serde_json's own
    /// recursion limit is 128, above ours, so only shallow inputs are generated).
    #[test]
    fn agrees_with_serde_json(text in r#"[\[\]{}":,0-9eE.+\- \ntrufalsn\\u]{0,40}"#) {
        let ours = parse(&text, 1, &Limits::default());
        let theirs = serde_json::from_str::<serde_json::Value>(&text);
        if let Ok(parsed) = &ours {
            prop_assert!(theirs.is_ok(), "we accept {text:?}: {:?}", parsed.root);
        }
        if theirs.is_ok() {
            prop_assert!(ours.is_ok(), "we refuse {text:?}: {ours:?}");
        }
    }
}
