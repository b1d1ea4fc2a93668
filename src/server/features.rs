//! The answers: diagnostics, code actions, hover and completion for one buffer.
//!
//! Each calls the engine the CLI calls — [`check_bytes`] for `fmx check`, [`fix::fix`] for
//! `--fix`, [`convert_bytes`] for `fmx convert` — on the buffer's bytes, and only turns
//! their data into LSP shapes (positions through [`LineMap`]).

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionDisabled, CodeActionKind, CodeActionOrCommand, CompletionItem,
    CompletionItemKind, Diagnostic as LspDiagnostic, DiagnosticSeverity, Hover, HoverContents,
    MarkupContent, MarkupKind, NumberOrString, Position, Range, TextEdit, Uri, WorkspaceEdit,
};

use super::position::{Encoding, LineMap};
use super::workspace::Applied;
use crate::check::check_bytes;
use crate::config::field_name;
use crate::config::{FieldSpec, FieldType, Schema};
use crate::convert::{ConvertOptions, DatesMode, Verdict, convert_bytes};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{self, Format, Layout, Split};
use crate::edit::Edit;
use crate::fix;
use crate::load::Post;

/// The kind of the fix-everything action, as editors ask for it on save.
pub const FIX_ALL: &str = "source.fixAll.fmx";

/// `fmx check`'s findings for the buffer, under the configuration that applies to it.
pub fn check(text: &str, applied: &Applied) -> Vec<Diagnostic> {
    let bytes = text.as_bytes();
    let limits = &applied.config.limits;
    let split = document::split(bytes, true, limits.max_block_bytes);
    let now = jiff::Timestamp::now().as_second();
    check_bytes(bytes, &split, &applied.schema, limits, now)
}

/// One fmx diagnostic in LSP form: the rule is the code; the message is `fmx check`'s.
pub fn to_lsp(d: &Diagnostic, map: &LineMap<'_>) -> LspDiagnostic {
    LspDiagnostic {
        range: map.fmx_range(d.line, d.column),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.rule.name().to_string())),
        // The project has no public home yet for rule pages: no URL rather than a made-up
        // one. Hover shows the page instead.
        code_description: None,
        source: Some("fmx".to_string()),
        message: d.message.clone(),
        ..LspDiagnostic::default()
    }
}

/// The diagnostics to publish for a buffer.
pub fn diagnostics(text: &str, applied: &Applied, encoding: Encoding) -> Vec<LspDiagnostic> {
    let map = LineMap::new(text, encoding);
    check(text, applied)
        .iter()
        .map(|d| to_lsp(d, &map))
        .collect()
}

fn text_edits(edits: &[Edit], map: &LineMap<'_>) -> Vec<TextEdit> {
    edits
        .iter()
        .map(|e| TextEdit {
            range: Range::new(map.position(e.range.start), map.position(e.range.end)),
            new_text: e.replacement.clone(),
        })
        .collect()
}

fn action(title: String, kind: CodeActionKind, uri: &Uri, edits: Vec<TextEdit>) -> CodeAction {
    CodeAction {
        title,
        kind: Some(kind),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }),
        ..CodeAction::default()
    }
}

/// What the code action request asked for.
pub struct ActionRequest<'a> {
    pub uri: &'a Uri,
    pub text: &'a str,
    pub range: Range,
    /// The kinds the client wants (`None`: all).
    pub only: Option<&'a [CodeActionKind]>,
    pub encoding: Encoding,
}

impl ActionRequest<'_> {
    fn wants(&self, kind: &CodeActionKind) -> bool {
        self.only.is_none_or(|only| {
            only.iter().any(|o| {
                kind.as_str() == o.as_str()
                    || kind.as_str().starts_with(&format!("{}.", o.as_str()))
            })
        })
    }
}

/// Quick fixes for the fixable diagnostics in the range, the fix-everything action, and
/// the conversions to the other two formats.
pub fn code_actions(req: &ActionRequest<'_>, applied: &Applied) -> Vec<CodeActionOrCommand> {
    let map = LineMap::new(req.text, req.encoding);
    let bytes = req.text.as_bytes();
    let mut out = Vec::new();
    // `--fix`'s verified edits; each quick fix takes those of its rule at its line.
    let fixed = fix::fix(bytes, &applied.schema, &applied.config.limits);
    if let Some(fixed) = &fixed {
        if req.wants(&CodeActionKind::QUICKFIX) {
            out.extend(quick_fixes(req, applied, &map, fixed));
        }
        let kind = CodeActionKind::new(FIX_ALL);
        if req.wants(&kind) {
            let edits = text_edits(&fixed.edits, &map);
            out.push(action("Fix all fmx problems".into(), kind, req.uri, edits));
        }
    }
    if req.wants(&CodeActionKind::REFACTOR_REWRITE) {
        out.extend(conversions(req, applied, &map));
    }
    out.into_iter()
        .map(CodeActionOrCommand::CodeAction)
        .collect()
}

fn quick_fixes(
    req: &ActionRequest<'_>,
    applied: &Applied,
    map: &LineMap<'_>,
    fixed: &fix::Fixed,
) -> Vec<CodeAction> {
    let edits = &fixed.edits;
    let mut out = Vec::new();
    for d in check(req.text, applied).iter().filter(|d| d.fixable) {
        let lsp = to_lsp(d, map);
        if lsp.range.end.line < req.range.start.line || lsp.range.start.line > req.range.end.line {
            continue;
        }
        // An edit belongs to the diagnostic of its rule on the line where it starts (the
        // key-order fix moves whole entries: all of its edits belong to its one finding).
        let mine: Vec<Edit> = edits
            .iter()
            .filter(|e| {
                e.rule == d.rule
                    && (d.rule == crate::rules::Rule::KeyOrder
                        || map.position(e.range.start).line + 1 == d.line)
            })
            .cloned()
            .collect();
        if mine.is_empty() || !verify_part(req.text.as_bytes(), &mine, fixed, applied) {
            continue;
        }
        let mut fix = action(
            format!("Fix {}: {}", d.rule, d.message),
            CodeActionKind::QUICKFIX,
            req.uri,
            text_edits(&mine, map),
        );
        fix.diagnostics = Some(vec![lsp]);
        fix.is_preferred = Some(true);
        out.push(fix);
    }
    out
}

/// A quick fix applies part of `--fix`'s verified edits, so the part is verified again as
/// `--fix` verifies: the edited buffer is loaded by [`Post::load`], its body must be the
/// same bytes, and every value must be the one before or the one `--fix` writes (a post
/// that does not load must fail the same way after).
fn verify_part(bytes: &[u8], part: &[Edit], fixed: &fix::Fixed, applied: &Applied) -> bool {
    let mut part = part.to_vec();
    part.sort_by_key(|e| e.range.start);
    let mut new = Vec::with_capacity(bytes.len());
    let mut at = 0;
    for e in &part {
        if e.range.start < at {
            return false;
        }
        new.extend_from_slice(&bytes[at..e.range.start]);
        new.extend_from_slice(e.replacement.as_bytes());
        at = e.range.end;
    }
    new.extend_from_slice(&bytes[at..]);
    let limits = &applied.config.limits;
    let (before, after, full) = match (
        Post::load(bytes, limits),
        Post::load(&new, limits),
        Post::load(&fixed.bytes, limits),
    ) {
        (Ok(b), Ok(a), Ok(f)) => (b, a, f),
        (Err(b), Err(a), _) => return a.to_string() == b.to_string(),
        _ => return false,
    };
    let same_body = new[after.layout.body.clone()] == bytes[before.layout.body.clone()];
    same_body
        && after.layout.format == before.layout.format
        && after.duplicates.len() == before.duplicates.len()
        && after.table.entries.len() == before.table.entries.len()
        && after.table.entries.iter().all(|(key, entry)| {
            let was = before.table.entries.get(key);
            let will = full.table.entries.get(key);
            was.is_some_and(|w| w.node.same_value(&entry.node))
                || will.is_some_and(|w| w.node.same_value(&entry.node))
        })
}

fn conversions(req: &ActionRequest<'_>, applied: &Applied, map: &LineMap<'_>) -> Vec<CodeAction> {
    let date_fields = crate::commands::convert::date_fields(&applied.schema);
    let mut out = Vec::new();
    for to in [Format::Yaml, Format::Toml, Format::Json] {
        let opts = ConvertOptions {
            to,
            dates: DatesMode::Keep,
            date_fields: date_fields.clone(),
            limits: applied.config.limits,
            yaml: applied.config.yaml(),
        };
        let outcome = convert_bytes(req.text.as_bytes(), &opts);
        let title = format!("Convert front matter to {to}");
        let kind = CodeActionKind::REFACTOR_REWRITE;
        let converted = match &outcome.verdict {
            // Already in that format: no conversion to offer.
            _ if outcome.from == Some(to) => continue,
            Verdict::Unchanged => continue,
            Verdict::Converted(new) => String::from_utf8(new.bytes.clone()).ok(),
            _ => None,
        };
        let a = match converted {
            Some(new_text) => action(
                title,
                kind,
                req.uri,
                vec![TextEdit {
                    range: map.whole(),
                    new_text,
                }],
            ),
            None => CodeAction {
                title,
                kind: Some(kind),
                disabled: Some(CodeActionDisabled {
                    reason: outcome
                        .reason()
                        .unwrap_or_else(|| "the converted file is not UTF-8".into()),
                }),
                ..CodeAction::default()
            },
        };
        out.push(a);
    }
    out
}

/// The front matter's layout, when the buffer has a block.
fn layout(text: &str, applied: &Applied) -> Option<Layout> {
    match document::split(text.as_bytes(), true, applied.config.limits.max_block_bytes) {
        Split::Found(layout) => Some(layout),
        _ => None,
    }
}

/// The top-level key a front matter line defines (`key:`, `key =`, `"key":`), if any.
fn key_of(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    let (key, rest) = match trimmed.strip_prefix('"') {
        Some(quoted) => {
            let end = quoted.find('"')?;
            (&quoted[..end], &quoted[end + 1..])
        }
        None => {
            let end = trimmed.find(|c: char| c == ':' || c == '=' || c.is_whitespace())?;
            (&trimmed[..end], &trimmed[end..])
        }
    };
    let rest = rest.trim_start();
    (!key.is_empty() && (rest.starts_with(':') || rest.starts_with('='))).then_some(key)
}

/// Whether 0-based `line` of the block can hold a top-level key (the schema's fields are
/// top-level): in YAML an unindented line, in TOML a line before any `[table]` header. JSON
/// is taken as written (its keys are not told apart by indentation).
fn top_level(map: &LineMap<'_>, layout: &Layout, line: u32) -> bool {
    match layout.format {
        Format::Yaml => !map.line(line as usize).starts_with([' ', '\t']),
        Format::Toml => (layout.content_line.saturating_sub(1)..line)
            .all(|l| !map.line(l as usize).trim_start().starts_with('[')),
        Format::Json => true,
    }
}

/// The numeric word around byte `at` of `line`.
fn number_at(line: &str, at: usize) -> Option<&str> {
    let is_num = |c: char| c.is_ascii_digit() || c == '.' || c == '-' || c == '+';
    let start = line[..at.min(line.len())]
        .rfind(|c: char| !is_num(c))
        .map_or(0, |i| i + 1);
    let end = line[start..]
        .find(|c: char| !is_num(c))
        .map_or(line.len(), |i| start + i);
    let word = &line[start..end];
    word.bytes().any(|b| b.is_ascii_digit()).then_some(word)
}

/// A type as `fmx.toml` spells it (serde's lowercase names of the variants).
fn keyword(ty: FieldType) -> String {
    format!("{ty:?}").to_lowercase()
}

/// A field's schema as Markdown.
fn describe(key: &str, spec: Option<&FieldSpec>, schema: &Schema) -> String {
    let mut out = format!("**{key}**");
    let required = schema.required.iter().any(|r| field_name(r) == key);
    out.push_str(if required {
        " (required)"
    } else {
        " (optional)"
    });
    if let Some(spec) = spec {
        if let Some(ty) = spec.ty {
            out.push_str(&format!("\n\ntype: `{}` ({})", keyword(ty), ty.name()));
        }
        if let Some(values) = &spec.one_of {
            let values: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
            out.push_str(&format!("\n\none of: {}", values.join(", ")));
        }
        if let Some(n) = spec.min_length {
            out.push_str(&format!("\n\nmin-length: {n}"));
        }
        for (name, bound) in [("earliest", spec.earliest), ("latest", spec.latest)] {
            if let Some(secs) = bound {
                let shown = crate::epoch::to_rfc3339(&secs.to_string()).unwrap_or_default();
                out.push_str(&format!("\n\n{name}: {shown} ({secs})"));
            }
        }
    }
    out
}

/// Hover: the pages of the rules reported on the line, the instant an epoch date names,
/// the schema of the key.
pub fn hover(text: &str, pos: Position, applied: &Applied, encoding: Encoding) -> Option<Hover> {
    let map = LineMap::new(text, encoding);
    let line = map.line(pos.line as usize);
    let mut parts = Vec::new();
    for d in check(text, applied)
        .iter()
        .filter(|d| d.line == pos.line + 1)
    {
        let mut part = format!("{} ({}): {}", d.rule, d.severity, d.message);
        if let Some(help) = &d.help {
            part.push_str(&format!("\n\nhelp: {help}"));
        }
        part.push_str("\n\n");
        part.push_str(&crate::rules::render_markdown(d.rule));
        parts.push(part);
    }
    let layout = layout(text, applied);
    let inside = layout.as_ref().is_some_and(|l| {
        pos.line + 1 >= l.content_line
            && pos.line + 1 < l.close_line.max(l.content_line + 1)
            && top_level(&map, l, pos.line)
    });
    if let (true, Some(key)) = (inside, key_of(line)) {
        let spec = applied.schema.field(key);
        let at = map.offset(pos) - map.offset(Position::new(pos.line, 0));
        if spec.and_then(|s| s.ty).is_some_and(|t| t.is_date())
            && let Some(number) = number_at(line, at)
            && let Ok(instant) = crate::epoch::to_rfc3339(number)
        {
            parts.push(format!("`{number}` is **{instant}**"));
        }
        if spec.is_some() || applied.schema.required.iter().any(|r| field_name(r) == key) {
            parts.push(describe(key, spec, &applied.schema));
        }
    }
    (!parts.is_empty()).then(|| Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range: None,
    })
}

/// Completion inside the front matter: the schema's field names at the start of a line,
/// a `one-of` field's values after its key.
pub fn completion(
    text: &str,
    pos: Position,
    applied: &Applied,
    encoding: Encoding,
) -> Vec<CompletionItem> {
    let map = LineMap::new(text, encoding);
    let Some(layout) = layout(text, applied) else {
        return Vec::new();
    };
    let line_no = pos.line + 1;
    if line_no < layout.content_line
        || line_no > layout.close_line
        || !top_level(&map, &layout, pos.line)
    {
        return Vec::new();
    }
    let line = map.line(pos.line as usize);
    let before = &line[..map.offset(pos) - map.offset(Position::new(pos.line, 0))];
    let schema = &applied.schema;
    if let Some(key) = key_of(before) {
        let Some(values) = schema.field(key).and_then(|s| s.one_of.as_ref()) else {
            return Vec::new();
        };
        return values.iter().map(value_item).collect();
    }
    let typed = before.trim_start().trim_start_matches('"');
    if !typed
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        return Vec::new();
    }
    let mut names: Vec<String> = schema.fields.keys().cloned().collect();
    for r in &schema.required {
        let name = field_name(r);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
        .into_iter()
        .map(|name| CompletionItem {
            detail: schema.field(&name).and_then(|s| s.ty).map(keyword),
            label: name,
            kind: Some(CompletionItemKind::FIELD),
            ..CompletionItem::default()
        })
        .collect()
}

fn value_item(v: &toml::Value) -> CompletionItem {
    // A string is offered quoted: a double-quoted string means the same in all three formats.
    let label = match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    CompletionItem {
        label,
        kind: Some(CompletionItemKind::ENUM_MEMBER),
        insert_text: Some(v.to_string()),
        ..CompletionItem::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_yaml_toml_and_json_lines() {
        assert_eq!(key_of("title: x"), Some("title"));
        assert_eq!(key_of("date = 12"), Some("date"));
        assert_eq!(key_of("  \"draft\": true,"), Some("draft"));
        assert_eq!(key_of("- item"), None);
        assert_eq!(key_of("plain"), None);
    }

    #[test]
    fn only_top_level_lines_name_schema_fields() {
        let lay = |text: &str| match document::split(text.as_bytes(), true, 1 << 20) {
            Split::Found(l) => l,
            other => panic!("{other:?}"),
        };
        let yaml = "---\ntitle: x\nauthor:\n  title: y\n---\n";
        let map = LineMap::new(yaml, Encoding::Utf16);
        assert!(top_level(&map, &lay(yaml), 1));
        assert!(!top_level(&map, &lay(yaml), 3));
        let toml = "+++\ntitle = 'x'\n[author]\ntitle = 'y'\n+++\n";
        let map = LineMap::new(toml, Encoding::Utf16);
        assert!(top_level(&map, &lay(toml), 1));
        assert!(!top_level(&map, &lay(toml), 3));
    }

    #[test]
    fn a_quick_fix_part_is_verified_by_loading_it() {
        let config = std::sync::Arc::new(crate::config::Config::defaults(".".into()));
        let applied = Applied {
            schema: std::sync::Arc::clone(&config.base),
            config,
        };
        let text = b"---\ntitle: x\ndate: 2020-10-11T00:59:44Z\n---\nbody\n";
        let fixed = fix::fix(text, &applied.schema, &applied.config.limits).unwrap();
        assert_eq!(fixed.edits.len(), 1);
        assert!(verify_part(text, &fixed.edits, &fixed, &applied));
        let edit = |range: std::ops::Range<usize>, with: &str| Edit {
            range,
            replacement: with.to_string(),
            rule: crate::rules::Rule::DateNotEpoch,
        };
        // A value neither before nor after `--fix`, and an edit in the body: refused.
        assert!(!verify_part(text, &[edit(11..12, "y")], &fixed, &applied));
        assert!(!verify_part(
            text,
            &[edit(44..48, "BODY")],
            &fixed,
            &applied
        ));
    }

    #[test]
    fn the_number_under_the_cursor() {
        let line = "date: 1602377984.4306138 # c";
        assert_eq!(number_at(line, 8), Some("1602377984.4306138"));
        assert_eq!(number_at(line, 2), None);
    }
}
