//! Any text given to the detection and macro YAML parsers gives a value or an error, never a
//! panic (anchors, aliases and oversize input are refused).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use spl_detections::{parse_detection_yaml, parse_macro_yaml, LoadOptions};

fuzz_target!(|text: &str| {
    let options = LoadOptions::default();
    let _ = parse_detection_yaml(text, Path::new("fuzz.yml"), &options);
    let _ = parse_macro_yaml(text, Path::new("fuzz_macro.yml"), &options);
});
