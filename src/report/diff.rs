//! The one diff printer: a unified diff of front matter, old → new, for `convert`'s dry run
//! and `check --diff` alike, styled (the stream drops the styles where colour is off).

use std::io::Write;

use anstyle::{AnsiColor, Style};

/// A unified diff of `old` → `new` with three lines of context, labelled with `path`. The
/// path is escaped (a name holding a newline cannot forge a header or a hunk), and an
/// absolute path is not doubled into `a//abs`.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    let path = crate::shown::escaped(path);
    let path = path.strip_prefix('/').unwrap_or(&path);
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// Writes a diff made by [`unified`], each line in its style: headers bold, removals red,
/// additions green, hunk headers cyan.
pub fn write(out: &mut dyn Write, diff: &str) -> std::io::Result<()> {
    let red = AnsiColor::Red.on_default();
    let green = AnsiColor::Green.on_default();
    let cyan = AnsiColor::Cyan.on_default();
    let bold = Style::new().bold();
    for line in diff.split_inclusive('\n') {
        let style = if line.starts_with("+++ b/") || line.starts_with("--- a/") {
            bold
        } else if line.starts_with('+') {
            green
        } else if line.starts_with('-') {
            red
        } else if line.starts_with("@@") {
            cyan
        } else {
            Style::new()
        };
        let line = crate::shown::escaped_except(line.trim_end_matches('\n'), |c| c == '\t');
        write!(out, "{style}{line}{style:#}")?;
        writeln!(out)?;
    }
    Ok(())
}
