//! The silent-drop linter over the 15 shipped Kubernetes detections (`queries/`, expanded
//! with `macros/`). Expected warnings are reasoned from each search:
//!
//! * *Kubernetes Access Scanning* and *Kubernetes Scanning by Unauthenticated IP Address* run
//!   `iplocation sourceIPs{}` and then `stats … BY sourceIPs{} Country City` with no
//!   `fillnull`: events from private addresses get no `Country`/`City` (§3.2) and are
//!   dropped (§4.4), so both fields are reported. Their `where count > 5` reads a `stats`
//!   output and is fine.
//! * *Kubernetes Abuse of Secret by Unusual Location* runs `fillnull` between `iplocation`
//!   and `stats`: nothing to report.
//! * Every other detection has no `iplocation`, `rex` or `lookup`, no `where` after `stats`,
//!   and its filter macro falls back to `search *`, which is not a free-text term.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use spl_detections::{load_detection, load_macro_dir, MacroSet};
use spl_engine::lint::{lint, LintOptions, BY_FIELD_MAYBE_UNSET};
use spl_syntax::macros::{expand, ExpandOptions};
use spl_syntax::parse_pipeline;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn shipped_macros() -> MacroSet {
    let mut macros = MacroSet::with_builtins();
    for definition in load_macro_dir(&root().join("macros")).unwrap().iter() {
        macros.insert(definition.clone());
    }
    macros
}

/// The detection files of `queries/` (not the `.spl-tests.yml` companions), sorted.
fn detection_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("queries"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.ends_with(".yml") && !name.ends_with(".spl-tests.yml")
        })
        .collect();
    files.sort();
    files
}

/// (code, text under the primary span) of every warning for one detection file.
fn lint_file(path: &Path, macros: &MacroSet) -> Vec<(&'static str, String)> {
    let detection = load_detection(path).unwrap();
    let expanded = expand(&detection.search, macros, &ExpandOptions::default()).unwrap();
    let pipeline = parse_pipeline(&expanded.text).unwrap();
    lint(&pipeline, &LintOptions::default())
        .into_iter()
        .map(|d| {
            let span = d.span.unwrap();
            (
                d.code,
                expanded.text.get(span.start..span.end).unwrap().to_string(),
            )
        })
        .collect()
}

/// The warnings expected for a file stem, per the reasoning in the module comment.
fn expected(stem: &str) -> Vec<(&'static str, String)> {
    match stem {
        "kubernetes_access_scanning" | "kubernetes_scanning_by_unauthenticated_ip_address" => vec![
            (BY_FIELD_MAYBE_UNSET, "Country".to_string()),
            (BY_FIELD_MAYBE_UNSET, "City".to_string()),
        ],
        _ => Vec::new(),
    }
}

#[test]
fn shipped_detections_warn_exactly_where_iplocation_feeds_stats_without_fillnull() {
    let macros = shipped_macros();
    let files: Vec<_> = detection_files()
        .into_iter()
        .filter(|f| {
            f.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("kubernetes_"))
        })
        .collect();
    assert_eq!(files.len(), 15, "15 shipped Kubernetes detections");
    for file in &files {
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        assert_eq!(lint_file(file, &macros), expected(&stem), "{stem}");
    }
}

#[test]
fn the_flagship_warning_points_at_iplocation_and_suggests_fillnull() {
    let macros = shipped_macros();
    let path = root().join("queries/kubernetes_scanning_by_unauthenticated_ip_address.yml");
    let detection = load_detection(&path).unwrap();
    let expanded = expand(&detection.search, &macros, &ExpandOptions::default()).unwrap();
    let pipeline = parse_pipeline(&expanded.text).unwrap();
    let warnings = lint(&pipeline, &LintOptions::default());
    let country = warnings.first().unwrap();
    assert_eq!(
        country.message,
        "`stats` drops events where `Country` is null, and `iplocation` sets no `Country` for \
         private or unknown addresses"
    );
    let secondary = country.labels.first().unwrap().span;
    assert_eq!(
        expanded.text.get(secondary.start..secondary.end),
        Some("iplocation sourceIPs{}")
    );
    assert_eq!(
        country.help.as_deref(),
        Some("add `| fillnull value=unknown Country City` before `stats`")
    );
}
