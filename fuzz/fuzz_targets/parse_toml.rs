//! The TOML reader: never panics; its depth pre-check (the fast outline pass) agrees with
//! the crate that parses: whatever the `toml` crate accepts, the reader accepts unless a
//! limit stops it first, or the text opens with a byte-order mark (which a post's block
//! cannot). The reader is given the text as the load stage gives it, CRLF folded to LF (it
//! then calls a CR left over a bare CR, as the TOML spec does); the crate judges the text
//! as written.
#![no_main]

use fmx::formats::{Limits, ParseError, toml as fmx_toml};
use fmx_fuzz::SMALL;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let folded = text.replace("\r\n", "\n");
    for limits in [Limits::default(), SMALL] {
        match fmx_toml::parse(&folded, 2, &limits) {
            Ok(_) => {}
            Err(ParseError::Limit { .. }) => {}
            Err(e) => {
                assert!(e.pos().line >= 1 && e.pos().col >= 1, "{e:?}");
                // A byte-order mark opening the block is refused on purpose: in a post it
                // stands after `+++`, where TOML 1.0 readers (tomllib) refuse it, while the
                // crate skips one at the start of a whole document.
                if limits == Limits::default() && !text.starts_with('\u{feff}') {
                    assert!(
                        text.parse::<toml::Table>().is_err(),
                        "the toml crate accepts what the reader refused: {e:?}"
                    );
                }
            }
        }
    }
});
