//! json front matter ⇄ [`Node`](crate::value::Node).
//!
//! Reading is our own small RFC 8259 parser, because serde_json keeps the last of two
//! duplicate keys without a word and has no positions. It is iterative (nesting costs an
//! explicit stack on the heap, never the call stack), gives every key and value its file
//! position, reports every duplicate key (the later value wins, in the first one's place),
//! and keeps each number's digits.
//!
//! Error positions: where a `,` is missing, the error points just after the value that
//! wants it when the next token is on a later line (the line a person would fix), else at
//! the unexpected token, as serde_json does. Every other error points at the offending
//! character: the comma of a trailing comma, the backslash of a bad escape, the control
//! character in a string, the opening quote of an unterminated string.

#[cfg(test)]
mod differential;
mod scan;
#[cfg(test)]
mod tests;

use indexmap::map::Entry as MapEntry;

use super::{DuplicateKey, Limits, ParseError, Parsed};
use crate::value::{Entry, Node, Pos, Style, Table, Value};
use scan::Scanner;

/// Parses a JSON block whose first character stands at column 1 of file line `first_line`.
/// The root may be any JSON value; whitespace around it is allowed.
pub fn parse(text: &str, first_line: u32, limits: &Limits) -> Result<Parsed, ParseError> {
    if text.len() > limits.max_block_bytes {
        return Err(ParseError::Limit {
            pos: Pos::new(first_line, 1),
            message: format!("front matter larger than {} bytes", limits.max_block_bytes),
        });
    }
    let mut parser = Parser {
        s: Scanner::new(text, first_line),
        max_depth: limits.max_depth,
        duplicates: Vec::new(),
    };
    let root = parser.document()?;
    Ok(Parsed {
        root,
        duplicates: parser.duplicates,
        toml11: Vec::new(),
        yaml_readings: None,
    })
}

/// An open object or array, waiting for its next member.
enum Frame {
    Object {
        pos: Pos,
        table: Table,
        /// The key whose value is being read.
        key: String,
        key_pos: Pos,
        /// Where each duplicated key (by entry index) first appeared.
        firsts: Vec<(usize, Pos)>,
    },
    Array {
        pos: Pos,
        items: Vec<Node>,
    },
}

struct Parser<'a> {
    s: Scanner<'a>,
    max_depth: usize,
    duplicates: Vec<DuplicateKey>,
}

impl Parser<'_> {
    fn document(&mut self) -> Result<Node, ParseError> {
        let mut stack: Vec<Frame> = Vec::new();
        let root = 'value: loop {
            // Read one value. An object or array that is not empty becomes a frame, and the
            // loop goes on to read its first member.
            self.s.skip_whitespace();
            let start = self.s.at;
            let pos = self.s.pos(start);
            let mut node = match self.s.peek() {
                Some(open @ (b'{' | b'[')) => {
                    if stack.len() >= self.max_depth {
                        return Err(ParseError::Limit {
                            pos,
                            message: format!("nesting deeper than {} levels", self.max_depth),
                        });
                    }
                    self.s.at += 1;
                    self.s.skip_whitespace();
                    if open == b'{' {
                        if self.s.eat(b'}') {
                            Node::new(Value::Table(Table::default()), pos).with_style(Style::Flow)
                        } else {
                            let (key, key_pos) = self.key()?;
                            stack.push(Frame::Object {
                                pos,
                                table: Table::default(),
                                key,
                                key_pos,
                                firsts: Vec::new(),
                            });
                            continue 'value;
                        }
                    } else if self.s.eat(b']') {
                        Node::new(Value::Array(Vec::new()), pos).with_style(Style::Flow)
                    } else {
                        stack.push(Frame::Array {
                            pos,
                            items: Vec::new(),
                        });
                        continue 'value;
                    }
                }
                Some(b'"') => {
                    let s = self.s.string()?;
                    Node::new(Value::String(s), pos).with_style(Style::DoubleQuoted)
                }
                Some(b'-' | b'0'..=b'9') => Node::new(self.s.number()?, pos),
                Some(b't') => Node::new(self.s.literal("true", Value::Bool(true))?, pos),
                Some(b'f') => Node::new(self.s.literal("false", Value::Bool(false))?, pos),
                Some(b'n') => Node::new(self.s.literal("null", Value::Null)?, pos),
                Some(_) => return Err(self.s.error(start, "expected value")),
                None => {
                    return Err(self
                        .s
                        .error(start, "unexpected end of input, expected value"));
                }
            };

            // Give the value to its container; close every container that ends here.
            loop {
                let Some(frame) = stack.pop() else {
                    break 'value node;
                };
                let value_end = self.s.at;
                self.s.skip_whitespace();
                match frame {
                    Frame::Object {
                        pos,
                        mut table,
                        key,
                        key_pos,
                        mut firsts,
                    } => {
                        self.insert(&mut table, key, key_pos, node, &mut firsts);
                        match self.s.peek() {
                            Some(b',') => {
                                self.comma(b'}')?;
                                let (key, key_pos) = self.key()?;
                                stack.push(Frame::Object {
                                    pos,
                                    table,
                                    key,
                                    key_pos,
                                    firsts,
                                });
                                continue 'value;
                            }
                            Some(b'}') => {
                                self.s.at += 1;
                                node = Node::new(Value::Table(table), pos).with_style(Style::Flow);
                            }
                            _ => return Err(self.s.missing(value_end, "expected ',' or '}'")),
                        }
                    }
                    Frame::Array { pos, mut items } => {
                        items.push(node);
                        match self.s.peek() {
                            Some(b',') => {
                                self.comma(b']')?;
                                stack.push(Frame::Array { pos, items });
                                continue 'value;
                            }
                            Some(b']') => {
                                self.s.at += 1;
                                node = Node::new(Value::Array(items), pos).with_style(Style::Flow);
                            }
                            _ => return Err(self.s.missing(value_end, "expected ',' or ']'")),
                        }
                    }
                }
            }
        };
        self.s.skip_whitespace();
        if self.s.peek().is_some() {
            return Err(self.s.error(self.s.at, "trailing characters"));
        }
        Ok(root)
    }

    /// Steps over the `,` at the cursor and the whitespace after it; a `close` bracket next
    /// makes it a trailing comma.
    fn comma(&mut self, close: u8) -> Result<(), ParseError> {
        let comma = self.s.at;
        self.s.at += 1;
        self.s.skip_whitespace();
        if self.s.peek() == Some(close) {
            return Err(self.s.error(comma, "trailing comma"));
        }
        Ok(())
    }

    /// An object key and its `:`, at a non-whitespace byte that is not `}`.
    fn key(&mut self) -> Result<(String, Pos), ParseError> {
        let start = self.s.at;
        match self.s.peek() {
            Some(b'"') => {}
            Some(_) => return Err(self.s.error(start, "key must be a string")),
            None => {
                return Err(self
                    .s
                    .error(start, "unexpected end of input, expected a key"));
            }
        }
        let pos = self.s.pos(start);
        let key = self.s.string()?;
        let key_end = self.s.at;
        self.s.skip_whitespace();
        if !self.s.eat(b':') {
            return Err(self.s.missing(key_end, "expected ':'"));
        }
        Ok((key, pos))
    }

    /// Adds a member; a key already present is a duplicate: the new value replaces the old
    /// one in its place, and the entry's key position moves to the new key.
    fn insert(
        &mut self,
        table: &mut Table,
        key: String,
        key_pos: Pos,
        node: Node,
        firsts: &mut Vec<(usize, Pos)>,
    ) {
        match table.entries.entry(key) {
            MapEntry::Vacant(slot) => {
                slot.insert(Entry::new(key_pos, node));
            }
            MapEntry::Occupied(mut slot) => {
                let index = slot.index();
                let first = match firsts.iter().find(|(i, _)| *i == index) {
                    Some(&(_, first)) => first,
                    None => {
                        let first = slot.get().key_pos;
                        firsts.push((index, first));
                        first
                    }
                };
                self.duplicates.push(DuplicateKey {
                    key: slot.key().clone(),
                    pos: key_pos,
                    first,
                });
                let entry = slot.get_mut();
                entry.key_pos = key_pos;
                entry.node = node;
            }
        }
    }
}
pub mod write;
