//! The splitter: never panics, its ranges are sane, and the fast path `check` takes (split a
//! prefix, read more only on `NeedMore`) agrees with splitting the whole file.
#![no_main]

use fmx::check::read_front_from;
use fmx::document::{Split, split};
use fmx::formats::Limits;
use fmx_fuzz::{Chunked, SMALL, assert_layout_sane, same_split};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for limits in [Limits::default(), SMALL] {
        let full = split(data, true, limits.max_block_bytes);
        assert!(
            !matches!(full, Split::NeedMore),
            "the whole file always answers"
        );
        if let Split::Found(l) = &full {
            assert_layout_sane(l, data.len());
        }
        // Every prefix either asks for more or already gives the whole file's answer.
        let step = (data.len() / 64).max(1);
        for cut in (0..data.len()).step_by(step) {
            let partial = split(&data[..cut], false, limits.max_block_bytes);
            if !matches!(partial, Split::NeedMore) {
                assert!(
                    same_split(&partial, &full),
                    "prefix {cut}: {partial:?} but whole file: {full:?}"
                );
            }
        }
        // The reader `check` uses, fed a few bytes at a time.
        let step = data.first().map_or(1, |b| usize::from(*b % 7) + 1);
        let (buf, got) = read_front_from(Chunked { data, step }, &limits).expect("no I/O error");
        assert_eq!(
            &data[..buf.len()],
            &buf[..],
            "read_front returns a prefix of the file"
        );
        assert!(
            same_split(&got, &full),
            "read_front: {got:?}, whole file: {full:?}"
        );
    }
});
