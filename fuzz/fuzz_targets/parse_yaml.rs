//! The YAML reader: never panics, never runs away (alias expansion and depth are bounded).
#![no_main]

use fmx::formats::{Limits, yaml};
use fmx_fuzz::SMALL;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for limits in [Limits::default(), SMALL] {
        if let Err(e) = yaml::parse(text, 2, &limits) {
            assert!(e.pos().line >= 1 && e.pos().col >= 1, "{e:?}");
        }
    }
});
