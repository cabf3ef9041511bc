//! `docs/coverage.md` is generated from the code over `testdata/escu-corpus`; this test
//! fails when the file is out of date (rewrite it with `SPL_UPDATE_COVERAGE=1`).

use spl_detections::coverage::measure;
use spl_detections::{load_lookup_dir, load_macro_dir, MacroSet};
use std::path::Path;

#[test]
fn coverage_report_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let corpus = root.join("testdata/escu-corpus");
    let mut macros = MacroSet::with_builtins();
    for definition in load_macro_dir(&corpus.join("macros"))
        .expect("macros")
        .iter()
    {
        macros.insert(definition.clone());
    }
    let lookups = load_lookup_dir(&corpus.join("lookups"))
        .expect("corpus lookups")
        .into_source();
    let coverage = measure(&corpus.join("detections"), &macros, lookups).expect("corpus readable");
    assert_eq!(coverage.detections, 1273);
    assert_eq!(coverage.parsed, 1273, "{:?}", coverage.failures);
    let report = coverage.to_markdown();
    let path = root.join("docs/coverage.md");
    if std::env::var_os("SPL_UPDATE_COVERAGE").is_some() {
        std::fs::write(&path, &report).expect("write docs/coverage.md");
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == report,
        "docs/coverage.md is out of date: run `SPL_UPDATE_COVERAGE=1 cargo test -p spl-detections --test coverage`"
    );
}
