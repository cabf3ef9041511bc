//! Any text given to JSON event extraction gives a record or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spl_engine::event::{record_from_json, EventMeta};

fuzz_target!(|text: &str| {
    let meta = EventMeta::default();
    if let Ok(record) = record_from_json(text, &meta) {
        // `_raw` is always the exact input text.
        let raw = record.get("_raw").map(|value| value.first());
        assert_eq!(raw, Some(text), "`_raw` differs from the input");
    }
});
