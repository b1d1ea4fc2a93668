//! Text from a post or a file name, made safe to show to a person.
//!
//! A key such as `"x\n::add-mask::S"` printed raw becomes a live GitHub workflow command in a
//! CI log, and an escape sequence in a value can clear a terminal or forge a link. Every
//! user-controlled text in human output passes through here: control characters (C0, DEL,
//! C1) and the bidirectional overrides that reorder what a reader sees are written as Rust
//! escapes (`\n`, `\u{1b}`), and a quoted text is bounded in length.

use std::borrow::Cow;
use std::fmt::Write;

/// How many characters of a value a message quotes before cutting it with `…`.
pub const QUOTED_CHARS: usize = 40;

/// Whether `c` must not reach a terminal or a log as it is.
fn hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether `text` may hold a [`hidden`] character: a byte that is an ASCII control, or the
/// lead byte of a C1 control (`C2 80..9F`) or of a bidirectional control (`E2 80 AA..AE`,
/// `E2 81 A6..A9`). A pass the compiler vectorises, since every line of every diff comes here.
fn may_hide(text: &str) -> bool {
    text.as_bytes().chunks(64).any(|chunk| {
        chunk.iter().fold(false, |m, &b| {
            m | (b < 0x20) | (b == 0x7f) | (b == 0xc2) | (b == 0xe2)
        })
    })
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        _ => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// `text` with every hidden character escaped; borrowed when there is none.
pub fn escaped(text: &str) -> Cow<'_, str> {
    escaped_except(text, |_| false)
}

/// As [`escaped`], but `keep` names characters that are safe where the text goes (a diff
/// keeps its tabs).
pub fn escaped_except(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !may_hide(text) {
        return Cow::Borrowed(text);
    }
    let Some(first) = text.find(|c: char| hidden(c) && !keep(c)) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if hidden(c) && !keep(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` escaped and cut to [`QUOTED_CHARS`] characters, with `…` where it was cut: the form
/// in which a message quotes a key, a value or a number from a post.
pub fn bounded(text: &str) -> String {
    bounded_to(text, QUOTED_CHARS)
}

/// As [`bounded`], with another limit.
pub fn bounded_to(text: &str, limit: usize) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    for c in chars.by_ref().take(limit) {
        if hidden(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// A file path as it is shown: lossy where it is not UTF-8 (each bad byte as `\xNN`, so two
/// different names never show the same), control characters escaped.
pub fn path(path: &std::path::Path) -> Cow<'_, str> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    match std::str::from_utf8(bytes) {
        Ok(text) => escaped(text),
        Err(_) => {
            let mut out = String::with_capacity(bytes.len() + 8);
            for chunk in bytes.utf8_chunks() {
                out.push_str(&escaped(chunk.valid()));
                for b in chunk.invalid() {
                    let _ = write!(out, "\\x{b:02x}");
                }
            }
            Cow::Owned(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_bidi_overrides_are_escaped_visibly() {
        assert_eq!(
            escaped("x\n::add-mask::S\r\t\u{1b}]8;;u\u{7}\u{7f}\u{85}\u{202e}"),
            "x\\n::add-mask::S\\r\\t\\u{1b}]8;;u\\u{7}\\u{7f}\\u{85}\\u{202e}"
        );
        assert!(matches!(escaped("plain café ✓"), Cow::Borrowed(_)));
        assert_eq!(escaped_except("a\tb\u{1b}", |c| c == '\t'), "a\tb\\u{1b}");
    }

    proptest::proptest! {
        /// The byte pre-scan never lets a hidden character through unescaped.
        #[test]
        fn the_prescan_misses_no_hidden_character(text in "[a\t\u{0}-\u{a0}\u{2028}-\u{2070}é✓]{0,80}") {
            if text.chars().any(hidden) {
                proptest::prop_assert!(may_hide(&text));
                proptest::prop_assert!(matches!(escaped(&text), Cow::Owned(_)));
            }
        }
    }

    #[test]
    fn quoted_text_is_bounded_in_characters_not_bytes() {
        let long = "é".repeat(100);
        let cut = bounded(&long);
        assert_eq!(cut.chars().count(), QUOTED_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(bounded("short"), "short");
        assert_eq!(bounded_to("a\nbcdef", 3), "a\\nb…");
    }

    #[test]
    fn paths_that_are_not_utf8_show_each_bad_byte() {
        use std::os::unix::ffi::OsStrExt;
        let latin1 = std::path::Path::new(std::ffi::OsStr::from_bytes(b"caf\xe8.md"));
        assert_eq!(path(latin1), "caf\\xe8.md");
        assert_ne!(path(latin1), path(std::path::Path::new("café.md")));
        assert_eq!(path(std::path::Path::new("a\nb.md")), "a\\nb.md");
    }
}
