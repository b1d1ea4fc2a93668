//! fmx's [`Node`] as a JSON representation the `jsonschema` crate validates in place, so
//! that checking a post does not first copy its strings into a `serde_json::Value`.
//!
//! It reads exactly as [`super::json::table_to_json`] converts (that function remains the
//! slow path for error messages): tables are objects, date-times their RFC 3339 text,
//! integers exact, floats their f64, NaN and the infinities the strings YAML writes.

use std::borrow::Cow;

use jsonschema::JsonType;
use jsonschema::json::{Array, Json, JsonNumber, Node as JsonNode, NodeIdentity, Object, cmp};
use serde_json::Value as SerdeValue;

use super::json::node_to_json;
use crate::value::{Float, Node, Table, Value};

/// The representation: instances are [`FmxNode`]s borrowing a parsed post.
pub struct FmxJson;

impl Json for FmxJson {
    type Node<'a> = FmxNode<'a>;
    type PreparedKey = String;
    type StringBuffer = ();

    fn prepare_key(key: &str) -> String {
        key.to_owned()
    }

    fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(FmxNode<'_>) -> T) -> T {
        f(FmxNode::Name(string))
    }
}

/// A value of the post, the top-level table, or a key name (for `propertyNames`).
#[derive(Clone, Copy, Debug)]
pub enum FmxNode<'a> {
    Value(&'a Node),
    Root(&'a Table),
    Name(&'a str),
}

impl<'a> FmxNode<'a> {
    fn value(self) -> Option<&'a Value> {
        match self {
            FmxNode::Value(node) => Some(&node.value),
            _ => None,
        }
    }

    /// A float JSON cannot hold, as the text handed over instead.
    fn special_float(f: &Float) -> Option<&'static str> {
        match f.value {
            v if v.is_nan() => Some(".nan"),
            v if v == f64::INFINITY => Some(".inf"),
            v if v == f64::NEG_INFINITY => Some("-.inf"),
            _ => None,
        }
    }
}

impl<'a> JsonNode<'a, FmxJson> for FmxNode<'a> {
    type Object = &'a Table;
    type Array = &'a [Node];
    type Number = FmxNumber<'a>;

    fn as_object(&self) -> Option<&'a Table> {
        match *self {
            FmxNode::Root(t) => Some(t),
            FmxNode::Value(node) => node.value.as_table(),
            FmxNode::Name(_) => None,
        }
    }

    fn as_array(&self) -> Option<&'a [Node]> {
        match self.value()? {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        let value = match *self {
            FmxNode::Name(s) => return Some(Cow::Borrowed(s)),
            FmxNode::Root(_) => return None,
            FmxNode::Value(node) => &node.value,
        };
        match value {
            Value::String(s) => Some(Cow::Borrowed(s)),
            Value::DateTime(d) => Some(Cow::Borrowed(&d.text)),
            Value::Float(f) => FmxNode::special_float(f).map(Cow::Borrowed),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<FmxNumber<'a>> {
        match self.value()? {
            Value::Int(i) => Some(FmxNumber::Int(i.value)),
            Value::Float(f) if FmxNode::special_float(f).is_none() => Some(FmxNumber::Float(f)),
            _ => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match self.value()? {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self.value(), Some(Value::Null))
    }

    fn json_type(&self) -> JsonType {
        let value = match *self {
            FmxNode::Root(_) => return JsonType::Object,
            FmxNode::Name(_) => return JsonType::String,
            FmxNode::Value(node) => &node.value,
        };
        match value {
            Value::Null => JsonType::Null,
            Value::Bool(_) => JsonType::Boolean,
            Value::Int(_) => JsonType::Number,
            Value::Float(f) if FmxNode::special_float(f).is_some() => JsonType::String,
            Value::Float(_) => JsonType::Number,
            Value::String(_) | Value::DateTime(_) => JsonType::String,
            Value::Array(_) => JsonType::Array,
            Value::Table(_) => JsonType::Object,
        }
    }

    fn equals_value(&self, expected: &SerdeValue) -> bool {
        // Strings, the common `enum`/`const` case, compare without building a value.
        match (self.as_string(), expected) {
            (Some(s), SerdeValue::String(e)) => s == e.as_str(),
            (Some(_), _) => false,
            (None, _) => cmp::equal(&self.to_value(), expected),
        }
    }

    fn to_value(&self) -> Cow<'a, SerdeValue> {
        Cow::Owned(match *self {
            FmxNode::Value(node) => node_to_json(node),
            FmxNode::Root(table) => super::json::table_to_json(table),
            FmxNode::Name(s) => SerdeValue::String(s.to_owned()),
        })
    }

    fn identity(&self) -> Option<NodeIdentity> {
        match *self {
            FmxNode::Value(node) => Some(NodeIdentity::new(std::ptr::from_ref(node) as usize)),
            FmxNode::Root(table) => Some(NodeIdentity::new(std::ptr::from_ref(table) as usize)),
            FmxNode::Name(_) => None,
        }
    }
}

/// A number of the post: an exact integer or a finite float.
#[derive(Clone, Copy, Debug)]
pub enum FmxNumber<'a> {
    Int(i128),
    Float(&'a Float),
}

impl JsonNumber for FmxNumber<'_> {
    fn as_u64(&self) -> Option<u64> {
        match *self {
            FmxNumber::Int(i) => u64::try_from(i).ok(),
            FmxNumber::Float(_) => None,
        }
    }

    fn as_i64(&self) -> Option<i64> {
        match *self {
            FmxNumber::Int(i) => i64::try_from(i).ok(),
            FmxNumber::Float(_) => None,
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match *self {
            FmxNumber::Int(i) => Some(i as f64),
            FmxNumber::Float(f) => Some(f.value),
        }
    }

    fn as_str(&self) -> Cow<'_, str> {
        match *self {
            FmxNumber::Int(i) => Cow::Owned(i.to_string()),
            FmxNumber::Float(f) => Cow::Owned(f.decimal_text().unwrap_or_default()),
        }
    }

    fn to_number(&self) -> Cow<'_, serde_json::Number> {
        let value = match *self {
            FmxNumber::Int(i) => super::json::int_to_json(i),
            FmxNumber::Float(f) => super::json::float_to_json(f),
        };
        match value {
            SerdeValue::Number(n) => Cow::Owned(n),
            // Integers beyond u64 that no f64 holds: not reachable from finite input.
            _ => Cow::Owned(serde_json::Number::from(0)),
        }
    }

    fn is_integer(&self) -> bool {
        match *self {
            FmxNumber::Int(_) => true,
            FmxNumber::Float(f) => f.value.fract() == 0.0,
        }
    }

    fn is_written_as_integer(&self) -> bool {
        matches!(self, FmxNumber::Int(_))
    }
}

/// Members in the post's order.
pub struct Members<'a>(indexmap::map::Iter<'a, String, crate::value::Entry>);

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, FmxNode<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        self.0
            .next()
            .map(|(k, e)| (k.as_str(), FmxNode::Value(&e.node)))
    }
}

impl<'a> Object<'a, FmxJson> for &'a Table {
    type Node = FmxNode<'a>;
    type MemberName = &'a str;
    type MembersIter = Members<'a>;

    fn len(&self) -> usize {
        self.entries.len()
    }

    fn get(&self, key: &String) -> Option<FmxNode<'a>> {
        self.entries.get(key).map(|e| FmxNode::Value(&e.node))
    }

    fn members(&self) -> Members<'a> {
        Members(self.entries.iter())
    }
}

impl<'a> Array<'a, FmxJson> for &'a [Node] {
    type Node = FmxNode<'a>;
    type ElementsIter = std::iter::Map<std::slice::Iter<'a, Node>, fn(&'a Node) -> FmxNode<'a>>;

    fn len(&self) -> usize {
        <[Node]>::len(self)
    }

    fn elements(&self) -> Self::ElementsIter {
        self.iter()
            .map(FmxNode::Value as fn(&'a Node) -> FmxNode<'a>)
    }
}
