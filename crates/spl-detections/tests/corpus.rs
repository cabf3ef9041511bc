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
