//! Every `search:` of the ESCU corpus in `testdata/escu-corpus` (1,273 detections) loads,
//! expands with the corpus macros and parses. A regression names each failing file with the
//! rendered error.

use spl_detections::{load_detection, load_macro_dir, MacroSet};
use spl_syntax::macros::{expand, ExpandOptions};
use spl_syntax::parse_pipeline;
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/escu-corpus")
}

fn yaml_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable corpus folder")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            yaml_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "yml") {
            files.push(path);
        }
    }
}

fn corpus_macros() -> MacroSet {
    let mut macros = MacroSet::with_builtins();
    for definition in load_macro_dir(&corpus().join("macros"))
        .expect("corpus macros load")
        .iter()
    {
        macros.insert(definition.clone());
    }
    macros
}

#[test]
fn every_corpus_detection_expands_and_parses() {
    let macros = corpus_macros();
    let mut files = Vec::new();
    yaml_files(&corpus().join("detections"), &mut files);
    assert_eq!(files.len(), 1273, "the corpus holds 1,273 detections");
    let mut failures = Vec::new();
    for file in &files {
        let detection = match load_detection(file) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{}: {e}", file.display()));
                continue;
            }
        };
        let expanded = match expand(&detection.search, &macros, &ExpandOptions::default()) {
            Ok(x) => x,
            Err(d) => {
                failures.push(format!("{}: {} ({})", file.display(), d.message, d.code));
                continue;
            }
        };
        if let Err(diagnostics) = parse_pipeline(&expanded.text) {
            for d in diagnostics {
                let at = d.span.map_or(String::new(), |s| {
                    expanded
                        .text
                        .get(s.start..)
                        .unwrap_or("")
                        .chars()
                        .take(40)
                        .collect()
                });
                failures.push(format!(
                    "{}: {} ({}) at `{at}`",
                    file.display(),
                    d.message,
                    d.code
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} detections fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
/// The tree's debug form with every `Span { start: …, end: … }` removed, so trees parsed from
/// differently formatted text compare equal when only positions differ.
fn without_spans(pipeline: &spl_syntax::ast::Pipeline) -> String {
    let text = format!("{pipeline:?}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("Span { start: ") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let end = after.find('}').map_or(after.len(), |i| i + 1);
        out.push_str("Span");
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Property over the whole corpus: parse → print → parse gives the same tree.
#[test]
fn parsed_corpus_searches_print_and_parse_again_to_the_same_tree() {
    let macros = corpus_macros();
    let mut files = Vec::new();
    yaml_files(&corpus().join("detections"), &mut files);
    let mut failures = Vec::new();
    for file in &files {
        let Ok(detection) = load_detection(file) else {
            continue;
        };
        let Ok(expanded) = expand(&detection.search, &macros, &ExpandOptions::default()) else {
            continue;
        };
        let Ok(pipeline) = parse_pipeline(&expanded.text) else {
            continue;
        };
        let printed = pipeline.to_string();
        match parse_pipeline(&printed) {
            Ok(again) if without_spans(&again) == without_spans(&pipeline) => {}
            Ok(again) => failures.push(format!(
                "{}: the printed form parses to another tree\n  1: {printed}\n  2: {again}",
                file.display()
            )),
            Err(d) => failures.push(format!(
                "{}: the printed form does not parse: {}\n  {printed}",
                file.display(),
                d.first().map_or("", |d| d.message.as_str())
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
