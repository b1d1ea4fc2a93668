//! One flat pass over `toml_parser`'s events, beside the `toml` crate's own parse: how deep
//! the block nests (checked before the crate sees the text), where each comment belongs (the
//! crate drops comments) and what every key part names (the crate's duplicate-key error
//! gives only the second occurrence).
//!
//! Nesting depth counts the root table as level 1; a table, array or inline table one level
//! down is level 2, and so on. `[[a]]` makes two levels: the array and its element table.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use toml_parser::Source;
use toml_parser::parser::{Event, EventKind, RecursionGuard};

use crate::value::{Comments, ItemComments};

/// The most nested arrays and inline tables `toml_parser` may recurse into on our behalf.
/// The `toml` crate stops at 80 of its own accord.
const GUARD: usize = 128;

/// One step of the path to a value: a table key, or an index into an array.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum Seg<'i> {
    Key(Cow<'i, str>),
    Index(usize),
}

/// One part of a key (`a`, `b` and `c` in `a.b.c = 1` or `[a.b.c]`).
#[derive(Debug)]
pub(super) struct KeyPart<'i> {
    /// The path from the root to what this part names, array indices included.
    pub(super) id: Vec<Seg<'i>>,
    pub(super) span: Range<usize>,
    /// The last part of its key: what a `key = value` or a `[header]` defines.
    pub(super) leaf: bool,
}

/// Comments, by where they go.
#[derive(Debug, Default)]
pub(super) struct CommentMap {
    /// Of the entry whose key starts at this byte offset.
    pub(super) keys: HashMap<usize, Comments>,
    /// Trailing comments of the root table (everything after the last key line).
    pub(super) root: Vec<String>,
}

#[derive(Debug, Default)]
pub(super) struct Outline<'i> {
    /// Byte offset of the first container nested deeper than the limit.
    pub(super) too_deep: Option<usize>,
    pub(super) comments: CommentMap,
    /// Every key part in source order (only when asked for).
    pub(super) keys: Vec<KeyPart<'i>>,
}

/// Lexes and parses `source` into a flat list of events. Errors are ignored here: the `toml`
/// crate reports them.
pub(super) fn events(source: Source<'_>, max_depth: usize) -> Vec<Event> {
    let tokens = source.lex().into_vec();
    let mut events = Vec::with_capacity(tokens.len());
    // The event parser recurses into nested arrays and inline tables; the guard stops it
    // before the stack is at risk (the walk below reports the limit at the right place).
    let guard = max_depth.clamp(1, GUARD) as u32;
    let mut receiver = RecursionGuard::new(&mut events, guard);
    toml_parser::parser::parse_document(&tokens, &mut receiver, &mut ());
    events
}

/// Walks `events`. Stops early when nesting exceeds `max_depth`. Collects every key part
/// if `collect_keys`.
pub(super) fn walk<'i>(
    source: Source<'i>,
    events: &[Event],
    max_depth: usize,
    collect_keys: bool,
) -> Outline<'i> {
    let mut walker = Walker {
        source,
        max_depth,
        collect_keys,
        out: Outline::default(),
        section: Vec::new(),
        array_tables: HashMap::new(),
        frames: Vec::new(),
        key: Vec::new(),
        key_last: 0,
        header: None,
        prev: None,
        line: Line::default(),
        pending: Vec::new(),
        items_of: None,
    };
    for event in events {
        if walker.out.too_deep.is_some() {
            return walker.out;
        }
        walker.event(event);
    }
    walker.end_line();
    walker.out.comments.root.append(&mut walker.pending);
    walker.out
}

enum Frame<'i> {
    Array { id: Vec<Seg<'i>>, next: usize },
    Inline { id: Vec<Seg<'i>> },
}

/// What one line held, decided when it ends.
#[derive(Default)]
struct Line {
    /// Anything but whitespace and a comment.
    content: bool,
    /// Offset of the key of the first entry that a `key = value` or header on it defines.
    owner: Option<usize>,
    comment: Option<String>,
    /// The item of an entry's array (or of a list in it) that this line holds: its key's
    /// offset, the item's indices from the entry's array in, and whether it is past the
    /// last item (the list's `]`).
    item: Option<(usize, Vec<usize>, bool)>,
}

struct Walker<'i> {
    source: Source<'i>,
    max_depth: usize,
    collect_keys: bool,
    out: Outline<'i>,
    /// Path of the table the current `[section]` header opened (root: empty).
    section: Vec<Seg<'i>>,
    /// Element count of each array of tables, by path.
    /// Element count of each array of tables, by path, and its entry's key offset.
    array_tables: HashMap<Vec<Seg<'i>>, (usize, usize)>,
    /// Open arrays and inline tables of the value being read.
    frames: Vec<Frame<'i>>,
    /// Path of the key being read, and where its last part starts.
    key: Vec<Seg<'i>>,
    key_last: usize,
    /// Inside `[…]` or `[[…]]`: (array of tables, offset of `[`).
    header: Option<(bool, usize)>,
    /// The last event that was not whitespace.
    prev: Option<EventKind>,
    line: Line,
    /// Full-line comments not yet given to a key.
    pending: Vec<String>,
    /// The entry (its key's offset) whose array value is open, and how many items have
    /// started in it and in each list open inside it: comments between them go to the entry.
    items_of: Option<(usize, Vec<usize>)>,
}

impl<'i> Walker<'i> {
    fn event(&mut self, event: &Event) {
        let kind = event.kind();
        let span = event.span();
        match kind {
            EventKind::Whitespace => return,
            EventKind::Newline => self.end_line(),
            EventKind::Comment => {
                let text = self.source.input();
                let body = text.get(span.start() + 1..span.end()).unwrap_or("");
                self.line.comment = Some(body.to_owned());
            }
            EventKind::StdTableOpen | EventKind::ArrayTableOpen => {
                self.line.content = true;
                self.frames.clear();
                self.header = Some((kind == EventKind::ArrayTableOpen, span.start()));
            }
            EventKind::SimpleKey => {
                self.line.content = true;
                self.key_part(event);
            }
            EventKind::KeySep => {
                self.line.content = true;
                // The part before the dot names a table (or the last table of an array).
                if let Some(&(count, _)) = self.array_tables.get(&self.key) {
                    self.key.push(Seg::Index(count.saturating_sub(1)));
                }
                self.check_depth(self.key.len(), self.key_last);
            }
            EventKind::StdTableClose | EventKind::ArrayTableClose => {
                self.line.content = true;
                self.header_close();
            }
            EventKind::KeyValSep => {
                self.line.content = true;
                self.mark_leaf();
                self.line.owner.get_or_insert(self.key_last);
            }
            EventKind::ArrayOpen | EventKind::InlineTableOpen => {
                self.line.content = true;
                self.item_starts();
                if kind == EventKind::ArrayOpen
                    && self.frames.is_empty()
                    && self.header.is_none()
                    && self.prev == Some(EventKind::KeyValSep)
                {
                    self.items_of = Some((self.key_last, Vec::new()));
                }
                if kind == EventKind::ArrayOpen
                    && let Some((_, counts)) = &mut self.items_of
                    && counts.len() == self.frames.len()
                {
                    counts.push(0);
                }
                let id = match self.frames.last() {
                    Some(Frame::Array { id, next }) if self.prev != Some(EventKind::KeyValSep) => {
                        let mut id = id.clone();
                        id.push(Seg::Index(*next));
                        id
                    }
                    _ => self.key.clone(),
                };
                self.check_depth(id.len(), span.start());
                self.frames.push(if kind == EventKind::ArrayOpen {
                    Frame::Array { id, next: 0 }
                } else {
                    Frame::Inline { id }
                });
            }
            EventKind::ArrayClose | EventKind::InlineTableClose => {
                self.line.content = true;
                self.list_closes();
                self.frames.pop();
            }
            EventKind::ValueSep => {
                self.line.content = true;
                if let Some(Frame::Array { next, .. }) = self.frames.last_mut() {
                    *next += 1;
                }
            }
            EventKind::Scalar => {
                self.line.content = true;
                self.item_starts();
            }
            EventKind::Error => self.line.content = true,
        }
        self.prev = Some(kind);
    }

    /// A value starts: if it is an item of an entry's array or of a list in it, the
    /// full-line comments above it are its own.
    fn item_starts(&mut self) {
        let depth = self.frames.len();
        let Some((owner, counts)) = &mut self.items_of else {
            return;
        };
        if depth == 0 || counts.len() != depth || self.prev == Some(EventKind::KeyValSep) {
            return;
        }
        let owner = *owner;
        let mut path: Vec<usize> = counts.iter().map(|n| n.saturating_sub(1)).collect();
        path[depth - 1] = counts[depth - 1];
        counts[depth - 1] += 1;
        if self.line.owner.is_some() {
            // On the key's line: the pending comments stand above the key.
            return;
        }
        let before = std::mem::take(&mut self.pending);
        if !before.is_empty() {
            self.item_comments(owner, &path).before.extend(before);
        }
        self.line.item = Some((owner, path, false));
    }

    /// A `]` (or `}`) closes the innermost container: if it is the entry's array or a list in
    /// it, the comments after its last item are kept there (on the key's own line, the
    /// pending comments stand above the key).
    fn list_closes(&mut self) {
        let depth = self.frames.len();
        let Some((owner, counts)) = &mut self.items_of else {
            return;
        };
        if depth == 0
            || counts.len() != depth
            || !matches!(self.frames.last(), Some(Frame::Array { .. }))
        {
            return;
        }
        let owner = *owner;
        let mut path: Vec<usize> = counts.iter().map(|n| n.saturating_sub(1)).collect();
        path[depth - 1] = counts[depth - 1];
        counts.pop();
        if counts.is_empty() {
            self.items_of = None;
        }
        if self.line.owner.is_none() {
            let after = std::mem::take(&mut self.pending);
            if !after.is_empty() {
                self.item_comments(owner, &path).before.extend(after);
            }
            self.line.item = Some((owner, path, true));
        }
    }

    /// The comments of the item at `path` (indices from the entry's array in).
    fn item_comments(&mut self, owner: usize, path: &[usize]) -> &mut ItemComments {
        let mut items = &mut self.out.comments.keys.entry(owner).or_default().items;
        let (last, outer) = path.split_last().unwrap_or((&0, &[]));
        for &index in outer {
            items = &mut ItemComments::of(items, index).inner;
        }
        ItemComments::of(items, *last)
    }

    /// A container with a path of `len` steps is at level `len + 1`.
    fn check_depth(&mut self, len: usize, at: usize) {
        if len + 1 > self.max_depth && self.out.too_deep.is_none() {
            self.out.too_deep = Some(at);
        }
    }

    fn key_part(&mut self, event: &Event) {
        if self.prev != Some(EventKind::KeySep) {
            // A new key: its path starts at the table it is written in.
            self.key = if self.header.is_some() {
                Vec::new()
            } else {
                match self.frames.last() {
                    Some(Frame::Inline { id }) | Some(Frame::Array { id, .. }) => id.clone(),
                    None => self.section.clone(),
                }
            };
        }
        let mut name = Cow::Borrowed("");
        if let Some(raw) = self.source.get(event) {
            raw.decode_key(&mut name, &mut ());
        }
        self.key.push(Seg::Key(name));
        let span = event.span();
        self.key_last = span.start();
        if self.collect_keys {
            self.out.keys.push(KeyPart {
                id: self.key.clone(),
                span: span.start()..span.end(),
                leaf: false,
            });
        }
    }

    fn mark_leaf(&mut self) {
        if let Some(last) = self.out.keys.last_mut() {
            last.leaf = true;
        }
    }

    fn header_close(&mut self) {
        let Some((array, _)) = self.header.take() else {
            return;
        };
        self.mark_leaf();
        let path = std::mem::take(&mut self.key);
        let mut element = None;
        let makes_entry = if array {
            let (count, owner) = self
                .array_tables
                .entry(path.clone())
                .or_insert((0, self.key_last));
            *count += 1;
            let index = *count - 1;
            element = Some((*owner, index));
            self.section = path;
            self.section.push(Seg::Index(index));
            index == 0
        } else {
            self.section = path;
            true
        };
        self.check_depth(self.section.len(), self.key_last);
        if makes_entry {
            self.line.owner.get_or_insert(self.key_last);
        } else if let Some((owner, index)) = element
            && self.line.owner.is_none()
        {
            // A later `[[a]]` of an array of tables: the comments above it and on its line
            // are those of the element it opens.
            let before = std::mem::take(&mut self.pending);
            if !before.is_empty() {
                self.item_comments(owner, &[index]).before.extend(before);
            }
            self.line.item = Some((owner, vec![index], false));
        }
    }

    fn end_line(&mut self) {
        let line = std::mem::take(&mut self.line);
        if !line.content {
            self.pending.extend(line.comment);
            return;
        }
        let comments = &mut self.out.comments;
        if let Some(owner) = line.owner {
            let entry = comments.keys.entry(owner).or_default();
            entry.before.append(&mut self.pending);
            if line.comment.is_some() {
                entry.trailing = line.comment;
            }
        } else if let (Some((owner, path, past_last)), Some(text)) = (line.item, line.comment) {
            // The end-of-line comment of an item of an entry's array (past the last: of its
            // `]` line, kept as a comment after the last item).
            let item = self.item_comments(owner, &path);
            if !past_last && item.trailing.is_none() {
                item.trailing = Some(text);
            } else {
                item.before.push(text);
            }
        } else {
            // A line inside a multi-line array or inline table with no key of its own: its
            // comments have no key to belong to.
            self.pending.clear();
        }
    }
}

/// The first definition of what the key part at `second` names, for a duplicate-key error:
/// the earliest earlier definition (a `key =` or `[header]`) of the same path, else the
/// earliest earlier dotted prefix that created it.
pub(super) fn first_definition<'a, 'i>(
    keys: &'a [KeyPart<'i>],
    second: usize,
) -> Option<(&'a KeyPart<'i>, &'a KeyPart<'i>)> {
    let index = keys.iter().position(|k| k.span.start == second)?;
    let dup = &keys[index];
    let earlier = &keys[..index];
    let first = earlier
        .iter()
        .find(|k| k.leaf && k.id == dup.id)
        .or_else(|| earlier.iter().find(|k| k.id == dup.id))?;
    Some((first, dup))
}
