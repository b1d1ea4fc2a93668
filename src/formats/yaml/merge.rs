//! YAML 1.1 merge keys (`<<: *base`), resolved as PyYAML, Psych and go-yaml do: keys written
//! in the mapping win over merged ones.

use std::collections::HashSet;

use indexmap::IndexMap;

use super::read::syntax;
use crate::formats::ParseError;
use crate::value::{Entry, Node, Table, Value};

const MERGE_NEEDS_MAPPINGS: &str = "a merge key `<<` needs a mapping or a list of mappings";

/// A `<<` entry: where it stood among the explicit entries and the mappings it brings in.
pub(super) struct Merge {
    pub(super) at: usize,
    pub(super) tables: Vec<Table>,
}

pub(super) fn merge_sources(node: Node) -> Result<Vec<Table>, ParseError> {
    match node.value {
        Value::Table(t) => Ok(vec![t]),
        Value::Array(items) => items
            .into_iter()
            .map(|n| match n.value {
                Value::Table(t) => Ok(t),
                _ => Err(syntax(n.pos, MERGE_NEEDS_MAPPINGS)),
            })
            .collect(),
        _ => Err(syntax(node.pos, MERGE_NEEDS_MAPPINGS)),
    }
}

/// Brings merged keys in as YAML 1.1 readers do: keys written in the mapping win, then the
/// earlier merge source. Merged keys stand where their `<<` stood; their comments stay with
/// the anchored mapping they came from.
pub(super) fn apply_merges(table: Table, merges: Vec<Merge>) -> Table {
    if merges.is_empty() {
        return table;
    }
    let own: HashSet<String> = table.entries.keys().cloned().collect();
    let mut out: IndexMap<String, Entry> = IndexMap::with_capacity(table.entries.len());
    let add = |out: &mut IndexMap<String, Entry>, merge: Merge| {
        for source in merge.tables {
            for (key, entry) in source.entries {
                if !own.contains(&key) && !out.contains_key(&key) {
                    out.insert(key, Entry::new(entry.key_pos, entry.node));
                }
            }
        }
    };
    let mut merges = merges.into_iter().peekable();
    for (i, (key, entry)) in table.entries.into_iter().enumerate() {
        while let Some(merge) = merges.next_if(|m| m.at <= i) {
            add(&mut out, merge);
        }
        out.insert(key, entry);
    }
    for merge in merges {
        add(&mut out, merge);
    }
    Table {
        entries: out,
        trailing_comments: table.trailing_comments,
    }
}
