//! The JSON reader: never panics, and agrees with serde_json on what is JSON (numbers beyond
//! the range a reader can hold aside, and inputs a limit stops).
#![no_main]

use fmx::formats::{Limits, ParseError, json};
use fmx_fuzz::SMALL;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let reference = serde_json::from_str::<serde_json::Value>(text);
    for limits in [Limits::default(), SMALL] {
        let ours = json::parse(text, 1, &limits);
        if let Err(e) = &ours {
            assert!(e.pos().line >= 1 && e.pos().col >= 1, "{e:?}");
        }
        if limits != Limits::default() {
            continue;
        }
        match (&ours, &reference) {
            (Ok(_), Err(e)) => assert!(
                e.to_string().contains("number out of range")
                    || e.to_string().contains("recursion limit"),
                "the reader accepts what serde_json refuses: {e}"
            ),
            (Err(ParseError::Syntax { message, .. }), Ok(_)) => assert!(
                message.contains("range") || message.contains("integer"),
                "the reader refuses what serde_json accepts: {message}"
            ),
            _ => {}
        }
    }
});
