//! Property tests: the TOML reader against the `toml` crate's own reading.

use proptest::prelude::*;

use super::*;

fn toml_value() -> impl Strategy<Value = toml::Value> {
    let leaf = prop_oneof![
        any::<bool>().prop_map(toml::Value::from),
        any::<i64>().prop_map(toml::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(toml::Value::from),
        any::<String>().prop_map(toml::Value::from),
        Just(
            "1979-05-27T07:32:00.5-07:00"
                .parse::<toml::value::Datetime>()
                .unwrap()
        )
        .prop_map(toml::Value::Datetime),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(toml::Value::Array),
            prop::collection::vec((any::<String>(), inner), 0..6)
                .prop_map(|members| toml::Value::Table(members.into_iter().collect())),
        ]
    })
}

/// Our node holds the same data as the crate's value.
fn same(node: &Node, value: &toml::Value) -> bool {
    use toml::Value as T;
    match (&node.value, value) {
        (Value::Bool(a), T::Boolean(b)) => a == b,
        (Value::Int(i), T::Integer(n)) => i128::from(*n) == i.value,
        (Value::Float(f), T::Float(n)) => f.value.to_bits() == n.to_bits(),
        (Value::String(a), T::String(b)) => a == b,
        (Value::DateTime(a), T::Datetime(b)) => a.text == b.to_string(),
        (Value::Array(a), T::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Value::Table(a), T::Table(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((ka, ea), (kb, vb))| ka == kb && same(&ea.node, vb))
        }
        _ => false,
    }
}

proptest! {
    /// Whatever the `toml` crate writes, we read as the crate does, keys in order.
    #[test]
    fn reads_what_the_toml_crate_writes(
        members in prop::collection::vec((any::<String>(), toml_value()), 0..6)
    ) {
        let table: toml::Table = members.into_iter().collect();
        for text in [toml::to_string(&table), toml::to_string_pretty(&table)] {
            let text = text.unwrap();
            // The writer moves plain keys before tables: compare with its own reading.
            let value = toml::Value::Table(text.parse::<toml::Table>().unwrap());
            let parsed = parse(&text, 1, &Limits::default());
            prop_assert!(parsed.is_ok(), "{text:?}: {parsed:?}");
            let root = parsed.unwrap().root;
            prop_assert!(same(&root, &value), "{text:?}: {root:?}");
        }
    }

    /// Never panics, and accepts exactly what the `toml` crate's deserializer accepts.
    #[test]
    fn agrees_with_the_toml_crate(text in r#"[\[\]{}"'=,.ab0-9 \n#\\:tTzZ\-]{0,40}"#) {
        let ours = parse(&text, 1, &Limits::default());
        let theirs = text.parse::<toml::Table>();
        prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{:?}: {:?} vs {:?}", text, ours, theirs);
    }
}
