//! JSON extraction projected to a selection agrees with full extraction: the same error
//! (message and byte offset) for malformed text, and the same values, in the same order, for
//! every selected field of a valid event.
//!
//! Input: the first byte chooses the selection (one bit per name of `NAMES`) and, in its
//! top bits, the depth limit (1 to 8); the rest is the event text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spl_engine::event::{record_from_json_projected, EventMeta, ExtractOptions};
use spl_engine::projection::FieldSelection;
use spl_engine::Record;

/// Names a selection draws from: plain, nested, array and dotted-key fields.
const NAMES: [&str; 5] = ["a", "a.b", "a{}.b", "user.username", "b{}"];

fn selected(record: &Record, selection: &FieldSelection) -> Vec<(String, Vec<String>)> {
    let names = selection.names().expect("a named selection");
    record
        .iter()
        .filter(|(name, _)| names.contains(*name))
        .map(|(name, value)| (name.to_string(), value.values().to_vec()))
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let names = NAMES
        .iter()
        .enumerate()
        .filter(|(index, _)| choice & (1 << index) != 0)
        .map(|(_, name)| *name);
    let selection = FieldSelection::only(names);
    let options = ExtractOptions {
        max_depth: usize::from(choice >> 5) + 1,
    };
    let meta = EventMeta::default();
    let full = record_from_json_projected(text, &meta, &options, &FieldSelection::all());
    let projected = record_from_json_projected(text, &meta, &options, &selection);
    match (full, projected) {
        (Ok(full), Ok(projected)) => assert_eq!(
            selected(&full, &selection),
            selected(&projected, &selection),
            "selected fields differ"
        ),
        (full, projected) => assert_eq!(full.err(), projected.err(), "errors differ"),
    }
});
