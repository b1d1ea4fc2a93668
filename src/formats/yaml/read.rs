//! Builds the [`Node`] tree from granit-parser's events with an explicit stack (no recursion):
//! positions in file coordinates, anchors and aliases within [`Limits`], merge keys,
//! duplicate keys and the comments that belong to keys.

use std::collections::HashMap;

use granit_parser::{
    ErrorKind, Event, Marker, Parser, Placement, ScalarStyle, ScanError, Span, StructureStyle, Tag,
};
use indexmap::IndexMap;

use super::comments::{Pending, comment_bytes};
use super::merge::{Merge, apply_merges, merge_sources};
use super::scalar::{
    TagKind, check_collection_tag, check_key_tag, classify_tag, resolve_scalar, scalar_style,
    structure_style,
};
use crate::formats::{DuplicateKey, Limits, ParseError, Parsed};
use crate::value::{Comments, Entry, ItemComments, Node, Pos, Style, Table, Value};

/// Own-line comments granit may hold back while it looks ahead; the block size bounds them.
const MAX_BUFFERED_COMMENTS: usize = 1 << 16;

pub(super) fn read(text: &str, first_line: u32, limits: &Limits) -> Result<Parsed, ParseError> {
    let mut options = granit_parser::Options::default();
    // granit refuses deeper nesting itself, before it can cost stack or time.
    options.flow_nesting_limit = limits.max_depth;
    options.block_nesting_limit = limits.max_depth;
    options.max_buffered_comment_events = MAX_BUFFERED_COMMENTS;
    let mut reader = Reader {
        text,
        first_line,
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        expanded: Size::default(),
        duplicates: Vec::new(),
        comments: Pending::default(),
        root: None,
        documents: 0,
        entry_just_done: false,
    };
    for next in Parser::new_from_str_with_options(text, options) {
        let (event, span) = next.map_err(|e| reader.scan_error(&e))?;
        reader.event(event, span)?;
    }
    Ok(reader.finish())
}

struct Reader<'l> {
    text: &'l str,
    first_line: u32,
    limits: &'l Limits,
    /// The collections being built, innermost last.
    stack: Vec<Frame>,
    /// Anchor id → the finished node, for aliases.
    anchors: HashMap<usize, Anchored>,
    /// What alias expansion has added so far, in the whole block.
    expanded: Size,
    duplicates: Vec<DuplicateKey>,
    /// Own-line comments waiting for the key below them.
    comments: Pending,
    root: Option<Node>,
    documents: usize,
    /// The previous event finished an entry of the innermost mapping.
    entry_just_done: bool,
}

struct Anchored {
    node: Node,
    /// The source text, if a scalar: what the node is as a key.
    key: Option<String>,
    /// The tree's size, aliases expanded.
    size: Size,
}

/// A finished node on its way into its parent.
struct Item {
    node: Node,
    key: Option<String>,
    /// A plain, untagged `<<`.
    merge: bool,
    size: Size,
}

/// What an alias costs when it is expanded: the nodes it copies and the bytes of their text.
#[derive(Clone, Copy, Default)]
struct Size {
    nodes: usize,
    bytes: usize,
}

impl Size {
    fn scalar(text: &str) -> Size {
        Size {
            nodes: 1,
            bytes: text.len(),
        }
    }

    fn add(&mut self, other: Size) {
        self.nodes = self.nodes.saturating_add(other.nodes);
        self.bytes = self.bytes.saturating_add(other.bytes);
    }
}

struct Frame {
    pos: Pos,
    /// Comments between a sequence's items: a key's sequence gives them to the key's entry,
    /// a sequence in a sequence to the item it is.
    item_comments: Vec<ItemComments>,
    /// Column of the entries' keys or dashes (granit places a block sequence after its
    /// first `- `).
    entry_col: u32,
    style: Style,
    anchor: usize,
    size: Size,
    kind: Kind,
}

// One frame per open collection, never more than the depth limit alive: boxing the mapping
// would cost an allocation per mapping read for no gain.
#[allow(clippy::large_enum_variant)]
enum Kind {
    Seq(Vec<Node>),
    Map(MapFrame),
}

#[derive(Default)]
struct MapFrame {
    table: Table,
    /// The key whose value is being read.
    key: Option<Key>,
    /// Index of the entry the last value went into.
    last_entry: Option<usize>,
    merges: Vec<Merge>,
}

struct Key {
    text: String,
    pos: Pos,
    comments: Comments,
    merge: bool,
}

pub(super) fn syntax(pos: Pos, message: impl Into<String>) -> ParseError {
    ParseError::Syntax {
        pos,
        message: message.into(),
    }
}

fn too_deep(pos: Pos, limits: &Limits) -> ParseError {
    ParseError::Limit {
        pos,
        message: format!("nesting deeper than {} levels", limits.max_depth),
    }
}

impl Reader<'_> {
    /// granit markers: line 1-based, column 0-based in characters.
    fn pos(&self, m: Marker) -> Pos {
        let line = u32::try_from(m.line()).unwrap_or(u32::MAX);
        let col = u32::try_from(m.col()).unwrap_or(u32::MAX);
        Pos::new(
            self.first_line.saturating_add(line.saturating_sub(1)),
            col.saturating_add(1),
        )
    }

    fn scan_error(&self, e: &ScanError) -> ParseError {
        let pos = self.pos(*e.marker());
        match e.kind() {
            ErrorKind::RecursionLimitExceeded => too_deep(pos, self.limits),
            kind => syntax(pos, kind.to_string()),
        }
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), ParseError> {
        let just_done = std::mem::take(&mut self.entry_just_done);
        match event {
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(syntax(self.pos(span.start), "more than one YAML document"));
                }
            }
            Event::Comment(text, placement) => {
                self.entry_just_done = just_done;
                self.comment(text.into_owned(), placement, span);
            }
            Event::Scalar(value, style, anchor, tag) => {
                self.scalar(&value, style, anchor, tag.as_deref(), span)?;
            }
            Event::SequenceStart(style, anchor, tag) => {
                self.open(false, style, anchor, tag.as_deref(), span)?;
            }
            Event::MappingStart(style, anchor, tag) => {
                self.open(true, style, anchor, tag.as_deref(), span)?;
            }
            Event::SequenceEnd | Event::MappingEnd => self.close()?,
            Event::Alias(id) => self.alias(id, span)?,
            Event::UnresolvedAlias(name) => {
                return Err(syntax(
                    self.pos(span.start),
                    format!("unknown alias `*{name}`"),
                ));
            }
            _ => {}
        }
        Ok(())
    }

    /// The innermost collection is a mapping waiting for a key.
    fn awaiting_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                kind: Kind::Map(MapFrame { key: None, .. }),
                ..
            })
        )
    }

    /// A node begins. Comments above an item of a sequence are that item's (a sequence
    /// nested in a sequence hands its own to the item it is, when it closes).
    fn node_starts(&mut self) {
        let Some(frame) = self.stack.last_mut() else {
            return;
        };
        let Kind::Seq(items) = &frame.kind else {
            return;
        };
        let before = self.comments.take();
        if !before.is_empty() {
            ItemComments::of(&mut frame.item_comments, items.len())
                .before
                .extend(before);
        }
    }

    fn scalar(
        &mut self,
        value: &str,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: Span,
    ) -> Result<(), ParseError> {
        self.node_starts();
        let pos = self.pos(span.start);
        if matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted) {
            self.check_continuation_indent(pos, span)?;
        }
        let tag_pos = span.tag_span().map_or(pos, |t| self.pos(t.start));
        let kind = classify_tag(tag).map_err(|m| syntax(tag_pos, m))?;
        // granit reports an empty node (`key:`) as a zero-width plain `~`.
        let empty = style == ScalarStyle::Plain && span.start.index() == span.end.index();
        let text = if empty { "" } else { value };
        let resolved = if self.awaiting_key() && anchor == 0 {
            // A key is its source text: `1: x` is the key "1", `~: x` the key "~".
            check_key_tag(kind).map_err(|m| syntax(tag_pos, m))?;
            Value::String(text.to_owned())
        } else {
            let at = if kind == TagKind::Untagged {
                pos
            } else {
                tag_pos
            };
            resolve_scalar(text, style, kind).map_err(|m| syntax(at, m))?
        };
        let item = Item {
            node: Node::new(resolved, pos).with_style(scalar_style(style)),
            key: Some(text.to_owned()),
            merge: style == ScalarStyle::Plain && kind == TagKind::Untagged && text == "<<",
            size: Size::scalar(text),
        };
        if anchor != 0 {
            self.anchors.insert(
                anchor,
                Anchored {
                    node: item.node.clone(),
                    key: item.key.clone(),
                    size: item.size,
                },
            );
        }
        self.complete(item)
    }

    /// A tab where a quoted scalar's continuation line needs indentation: YAML indents with
    /// spaces only, more than the block collection around (yaml-test-suite DK95/01). granit
    /// accepts it. A line short of spaces with no tab (QB6E) is accepted as Jekyll's and
    /// Hugo's readers accept it: refusing that would fail posts every site reads.
    fn check_continuation_indent(&self, pos: Pos, span: Span) -> Result<(), ParseError> {
        let Some(range) = span.byte_range() else {
            return Ok(());
        };
        let Some(source) = self.text.get(range) else {
            return Ok(());
        };
        // A block collection at column c holds its keys after c - 1 spaces.
        let needed = self
            .stack
            .iter()
            .rev()
            .find(|f| f.style == Style::Block)
            .map_or(0, |f| f.entry_col as usize);
        for (i, line) in source.split('\n').enumerate().skip(1) {
            let spaces = line.len() - line.trim_start_matches(' ').len();
            let blank = line.trim_start_matches([' ', '\t']).is_empty();
            if spaces < needed && !blank && line[spaces..].starts_with('\t') {
                let line_no = pos
                    .line
                    .saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
                let col = u32::try_from(spaces + 1).unwrap_or(u32::MAX);
                return Err(syntax(
                    Pos::new(line_no, col),
                    format!(
                        "a tab where indentation is expected: a quoted scalar's continuation \
                         line must be indented by at least {needed} space{} first",
                        if needed == 1 { "" } else { "s" }
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The column of the `-` before a block sequence's first item, which starts at `m`.
    fn dash_col(&self, m: Marker) -> Option<u32> {
        let before = self.text.get(..m.byte_offset()?)?;
        let dash = before.trim_end_matches([' ', '\t']).strip_suffix('-')?;
        let line_start = dash.rfind('\n').map_or(0, |i| i + 1);
        u32::try_from(dash[line_start..].chars().count() + 1).ok()
    }

    fn open(
        &mut self,
        is_map: bool,
        style: StructureStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: Span,
    ) -> Result<(), ParseError> {
        self.node_starts();
        let pos = self.pos(span.start);
        if self.awaiting_key() {
            return Err(syntax(pos, "only scalar keys are supported"));
        }
        let tag_pos = span.tag_span().map_or(pos, |t| self.pos(t.start));
        let kind = classify_tag(tag).map_err(|m| syntax(tag_pos, m))?;
        check_collection_tag(kind, is_map).map_err(|m| syntax(tag_pos, m))?;
        if self.stack.len() >= self.limits.max_depth {
            return Err(too_deep(pos, self.limits));
        }
        let entry_col = if is_map {
            pos.col
        } else {
            self.dash_col(span.start).unwrap_or(pos.col)
        };
        self.stack.push(Frame {
            pos,
            item_comments: Vec::new(),
            entry_col,
            style: structure_style(style),
            anchor,
            size: Size::scalar(""),
            kind: if is_map {
                Kind::Map(MapFrame::default())
            } else {
                Kind::Seq(Vec::new())
            },
        });
        Ok(())
    }

    fn close(&mut self) -> Result<(), ParseError> {
        let Some(mut frame) = self.stack.pop() else {
            return Ok(());
        };
        // Comments still pending inside the collection: all of them in a flow collection or
        // at the root, else those indented more than the keys of the enclosing mapping.
        let min_col = match self.stack.last() {
            _ if frame.style == Style::Flow => 0,
            None => 0,
            Some(parent) if matches!(parent.kind, Kind::Map(_)) => parent.pos.col.saturating_add(1),
            Some(_) => frame.pos.col,
        };
        let comments = self.comments.take_inside(min_col);
        let value = match frame.kind {
            // Kept after its last item.
            Kind::Seq(items) => {
                if !comments.is_empty() {
                    ItemComments::of(&mut frame.item_comments, items.len())
                        .before
                        .extend(comments);
                }
                Value::Array(items)
            }
            Kind::Map(m) => {
                let mut table = apply_merges(m.table, m.merges);
                table.trailing_comments.extend(comments);
                let bytes: usize = table.trailing_comments.iter().map(String::len).sum();
                frame.size.bytes = frame.size.bytes.saturating_add(bytes);
                Value::Table(table)
            }
        };
        let node = Node {
            value,
            pos: frame.pos,
            style: frame.style,
        };
        if !frame.item_comments.is_empty() {
            let comments = std::mem::take(&mut frame.item_comments);
            match self.stack.last_mut() {
                Some(Frame {
                    kind: Kind::Map(MapFrame { key: Some(key), .. }),
                    ..
                }) => key.comments.items = comments,
                // A sequence in a sequence: its comments are those of the item it becomes.
                Some(Frame {
                    kind: Kind::Seq(items),
                    item_comments,
                    ..
                }) => ItemComments::of(item_comments, items.len()).inner = comments,
                _ => {}
            }
        }
        if frame.anchor != 0 {
            self.anchors.insert(
                frame.anchor,
                Anchored {
                    node: node.clone(),
                    key: None,
                    size: frame.size,
                },
            );
        }
        self.complete(Item {
            node,
            key: None,
            merge: false,
            size: frame.size,
        })
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<(), ParseError> {
        self.node_starts();
        let pos = self.pos(span.start);
        let Some(anchored) = self.anchors.get(&id) else {
            return Err(syntax(pos, "alias refers to a node that contains it"));
        };
        self.expanded.add(anchored.size);
        let over = if self.expanded.nodes > self.limits.max_alias_nodes {
            Some(format!("{} nodes", self.limits.max_alias_nodes))
        } else if self.expanded.bytes > self.limits.max_block_bytes {
            // A long string copied many times costs memory without adding many nodes.
            Some(format!("{} bytes", self.limits.max_block_bytes))
        } else {
            None
        };
        if let Some(what) = over {
            return Err(ParseError::Limit {
                pos,
                message: format!("alias expansion exceeds {what}"),
            });
        }
        let mut node = anchored.node.clone();
        node.pos = pos;
        let item = Item {
            node,
            key: anchored.key.clone(),
            merge: false,
            size: anchored.size,
        };
        self.complete(item)
    }

    /// Puts a finished node into its parent: an item, a key, or a key's value.
    fn complete(&mut self, item: Item) -> Result<(), ParseError> {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(item.node);
            return Ok(());
        };
        let m = match &mut frame.kind {
            Kind::Seq(items) => {
                frame.size.add(item.size);
                items.push(item.node);
                return Ok(());
            }
            Kind::Map(m) => m,
        };
        let Some(key) = m.key.take() else {
            let Some(text) = item.key else {
                return Err(syntax(item.node.pos, "only scalar keys are supported"));
            };
            let before = self.comments.take();
            m.key = Some(Key {
                text,
                pos: item.node.pos,
                comments: Comments {
                    before,
                    ..Comments::default()
                },
                merge: item.merge,
            });
            return Ok(());
        };
        frame.size.add(item.size);
        frame.size.add(Size::scalar(&key.text));
        frame.size.bytes = frame
            .size
            .bytes
            .saturating_add(comment_bytes(&key.comments));
        if key.merge {
            let tables = merge_sources(item.node)?;
            m.merges.push(Merge {
                at: m.table.len(),
                tables,
            });
            m.last_entry = None;
            return Ok(());
        }
        let index = match m.table.entries.get_full_mut(&key.text) {
            Some((index, _, existing)) => {
                self.duplicates.push(DuplicateKey {
                    key: key.text,
                    pos: key.pos,
                    first: existing.key_pos,
                });
                // The later value wins; the entry keeps its place and its first key position.
                existing.node = item.node;
                existing.comments.before.extend(key.comments.before);
                if key.comments.trailing.is_some() {
                    existing.comments.trailing = key.comments.trailing;
                }
                index
            }
            None => {
                let entry = Entry {
                    key_pos: key.pos,
                    node: item.node,
                    comments: key.comments,
                };
                m.table.entries.insert_full(key.text, entry).0
            }
        };
        m.last_entry = Some(index);
        self.entry_just_done = true;
        Ok(())
    }

    fn comment(&mut self, text: String, placement: Placement, span: Span) {
        let pos = self.pos(span.start);
        if placement != Placement::Right {
            self.comments.push(text, pos.col);
            return;
        }
        // A comment at the end of a line: after an item of a key's sequence, on the line of a
        // key still waiting for its value, or right after a value.
        if let Some(Frame {
            kind: Kind::Seq(items),
            item_comments: comments,
            ..
        }) = self.stack.last_mut()
        {
            if items.last().is_some_and(|n| n.pos.line == pos.line) {
                ItemComments::of(comments, items.len() - 1)
                    .trailing
                    .get_or_insert(text);
            } else {
                // After `[` or a value that began on an earlier line: it stands above the next
                // item (or after the last).
                self.comments.push(text, pos.col);
            }
            return;
        }
        let just_done = self.entry_just_done;
        let Some(Frame {
            kind: Kind::Map(m),
            size,
            ..
        }) = self.stack.last_mut()
        else {
            return;
        };
        match (&mut m.key, m.last_entry) {
            // Counted in the mapping's size when the entry is made.
            (Some(key), _) if key.pos.line == pos.line => {
                key.comments.trailing.get_or_insert(text);
            }
            (None, Some(index)) if just_done => {
                if let Some((_, entry)) = m.table.entries.get_index_mut(index)
                    && entry.comments.trailing.is_none()
                {
                    size.bytes = size.bytes.saturating_add(text.len());
                    entry.comments.trailing = Some(text);
                }
            }
            _ => {}
        }
    }

    fn finish(mut self) -> Parsed {
        let leftover = self.comments.take();
        let root = match self.root.take() {
            Some(mut node) => {
                if let Value::Table(t) = &mut node.value {
                    t.trailing_comments.extend(leftover);
                }
                node
            }
            None => {
                // An empty block (or only comments): an empty mapping at its first line.
                let table = Table {
                    entries: IndexMap::new(),
                    trailing_comments: leftover,
                };
                Node::new(Value::Table(table), Pos::new(self.first_line, 1))
                    .with_style(Style::Block)
            }
        };
        Parsed {
            root,
            duplicates: self.duplicates,
            toml11: Vec::new(),
            yaml_readings: None,
        }
    }
}
