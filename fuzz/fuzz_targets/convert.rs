//! The converter: never panics; a converted file ends with the original body bytes, and
//! its new block parses back to the original value (date-times read as strings in JSON).
//! A file already in the target format with nothing to change is left as it was.
//!
//! TODO(yaml emitter): add `Format::Yaml` to the targets once `formats::yaml::write::emit`
//! exists; until then it is a `todo!()` and would be reported as a crash.
#![no_main]

use fmx::check::parse_block;
use fmx::config::FieldType;
use fmx::convert::{ConvertOptions, DatesMode, Status, convert_bytes};
use fmx::document::{Format, Split, split};
use fmx::formats::Limits;
use fmx::value::Value;
use fmx_fuzz::{json_table, same_table};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The last byte picks the dates mode, so the file itself stays whole.
    let dates = match data.last().map_or(0, |b| b % 4) {
        1 => DatesMode::Epoch,
        2 => DatesMode::Rfc3339,
        _ => DatesMode::Keep,
    };
    for to in [Format::Toml, Format::Json] {
        let opts = ConvertOptions {
            to,
            dates,
            date_fields: vec![("date".to_string(), FieldType::Epoch)],
            limits: Limits::default(),
            // YAML 1.2's reading, as fmx reads the block: the value compared below is that one.
            yaml: Some(fmx::formats::yaml::YamlVersion::Core12),
        };
        let outcome = convert_bytes(data, &opts);
        if outcome.status() != Status::Converted {
            assert!(
                outcome.new_bytes().is_none(),
                "{:?} with new bytes",
                outcome.status()
            );
            continue;
        }
        let new = outcome.new_bytes().expect("a converted file has new bytes").to_vec();
        let Split::Found(old_layout) = split(data, true, opts.limits.max_block_bytes) else {
            panic!("converted a file without front matter");
        };
        let body = &data[old_layout.body.clone()];
        assert!(new.ends_with(body), "the body changed");
        let Split::Found(new_layout) = split(&new, true, usize::MAX) else {
            panic!(
                "the converted file does not split: {:?}",
                String::from_utf8_lossy(&new)
            );
        };
        assert_eq!(new_layout.format, to);
        assert_eq!(&new[new_layout.body.clone()], body, "the body moved");
        assert_eq!(new_layout.bom, old_layout.bom, "the BOM changed");

        let old_text = std::str::from_utf8(&data[old_layout.content.clone()]).expect("UTF-8");
        let old = parse_block(&old_layout, old_text, &opts.limits).expect("the old block parsed");
        let new_text = std::str::from_utf8(&new[new_layout.content.clone()]).expect("UTF-8");
        let unlimited = Limits {
            max_block_bytes: usize::MAX,
            ..Limits::default()
        };
        let back = parse_block(&new_layout, new_text, &unlimited).unwrap_or_else(|e| {
            panic!("the new block does not parse: {e:?}\n{new_text}");
        });
        let (Value::Table(mut old), Value::Table(mut back)) = (old.root.value, back.root.value)
        else {
            panic!("a table became something else");
        };
        if dates != DatesMode::Keep {
            // `--dates` changes the date field on purpose; the rest must be equal.
            let a = old.entries.shift_remove("date").is_some();
            let b = back.entries.shift_remove("date").is_some();
            assert_eq!(a, b, "the date field appeared or vanished");
        }
        let old = if to == Format::Json {
            json_table(&old)
        } else {
            old
        };
        let back = if to == Format::Json {
            json_table(&back)
        } else {
            back
        };
        assert!(
            same_table(&old, &back),
            "values differ after conversion to {to}:\n{}\n---\n{new_text}",
            old_text
        );
    }
});
