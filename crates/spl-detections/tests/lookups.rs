//! Loading ESCU lookup definitions and their CSV tables (spl-semantics §6.15), and running
//! `lookup` with them through the engine.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::path::{Path, PathBuf};

use spl_detections::{load_lookup_dir, load_lookup_dir_with, DetectionError, LookupLoadOptions};
use spl_engine::lookup::{LookupSource, MatchType};
use spl_engine::{Engine, Record};

fn corpus_lookups() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/escu-corpus/lookups")
}

/// Writes `files` (name, content) into a new temporary folder.
fn temp_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        std::fs::write(dir.path().join(name), content).unwrap();
    }
    dir
}

fn load_error(files: &[(&str, &str)]) -> DetectionError {
    let dir = temp_dir(files);
    load_lookup_dir(dir.path()).unwrap_err()
}

#[test]
fn every_corpus_definition_loads() {
    let set = load_lookup_dir(&corpus_lookups()).unwrap();
    // 73 definitions were copied: 49 name a CSV file, 24 a KV store collection.
    assert_eq!(set.len(), 73);
    assert!(set.skipped().is_empty());
}

#[test]
fn definition_options_are_read() {
    let set = load_lookup_dir(&corpus_lookups()).unwrap();
    let table = set.table("attacker_tools").unwrap();
    assert_eq!(table.filename, "attacker_tools.csv");
    assert_eq!(table.columns, ["attacker_tool_names", "description"]);
    assert_eq!(table.rows.len(), 30);
    assert!(!table.options.case_sensitive);
    assert_eq!(table.options.min_matches, 1);
    assert_eq!(table.options.default_match, "false");
    assert_eq!(table.options.max_matches, 100);
    assert_eq!(
        table.options.match_type("attacker_tool_names"),
        MatchType::Wildcard
    );
    // No options written: the documented defaults.
    let plain = set.table("ace_type_lookup").unwrap();
    assert!(plain.options.case_sensitive);
    assert_eq!(plain.options.min_matches, 0);
    assert_eq!(
        plain.options.match_type("ace_type_string"),
        MatchType::Exact
    );
}

#[test]
fn collections_are_empty_tables_with_their_fields() {
    let set = load_lookup_dir(&corpus_lookups()).unwrap();
    let table = set.table("k8s_process_resource_baseline").unwrap();
    assert!(table.rows.is_empty());
    assert_eq!(table.columns.first().map(String::as_str), Some("host.name"));
    assert_eq!(table.columns.last().map(String::as_str), Some("key"));
}

#[test]
fn tables_are_found_by_file_name_too() {
    let set = load_lookup_dir(&corpus_lookups()).unwrap();
    assert_eq!(
        set.table("ace_type_lookup.csv").unwrap().name,
        "ace_type_lookup"
    );
    assert!(set.table("no_such_lookup").is_none());
}

#[test]
fn engine_runs_lookup_over_an_escu_table() {
    let set = load_lookup_dir(&corpus_lookups()).unwrap();
    let engine = Engine::new().with_lookups(set.into_source());
    let query = engine
        .compile("* | lookup attacker_tools attacker_tool_names AS process_name OUTPUT description | lookup ace_type_lookup ace_type_string AS aceType OUTPUT ace_type_value AS aceType")
        .unwrap();
    let event = |process: &str, ace: &str| -> Record {
        [
            ("process_name".to_string(), process.into()),
            ("aceType".to_string(), ace.into()),
        ]
        .into_iter()
        .collect()
    };
    let rows = query
        .run(vec![event("MIMIKATZ.EXE", "D"), event("notepad.exe", "a")])
        .unwrap()
        .rows;
    let first = rows[0].get("description").unwrap().first();
    assert!(first.starts_with("utility Mimikatz"), "{first}");
    assert_eq!(rows[0].get("aceType").unwrap().first(), "Access denied");
    // No match: min_matches=1 with default_match=false gives "false".
    assert_eq!(rows[1].get("description").unwrap().first(), "false");
    // ace_type_lookup is case-sensitive: "a" is not "A", so aceType keeps its value.
    assert_eq!(rows[1].get("aceType").unwrap().first(), "a");
}

#[test]
fn non_csv_files_are_skipped_and_listed() {
    let dir = temp_dir(&[(
        "model.yml",
        "name: model\nfilename: model.mlmodel\ndescription: x\n",
    )]);
    let set = load_lookup_dir(dir.path()).unwrap();
    assert!(set.is_empty());
    assert_eq!(set.skipped().len(), 1);
}

#[test]
fn numbers_and_booleans_may_be_unquoted() {
    let dir = temp_dir(&[
        (
            "t.yml",
            "name: t\nfilename: t.csv\nmin_matches: 2\nmax_matches: 5\ncase_sensitive_match: false\ndefault_match: 0\n",
        ),
        ("t.csv", "k,v\na,1\n"),
    ]);
    let set = load_lookup_dir(dir.path()).unwrap();
    let table = set.table("t").unwrap();
    assert_eq!(table.options.min_matches, 2);
    assert_eq!(table.options.max_matches, 5);
    assert!(!table.options.case_sensitive);
    assert_eq!(table.options.default_match, "0");
}

#[test]
fn missing_csv_is_an_io_error_naming_the_file() {
    let error = load_error(&[("t.yml", "name: t\nfilename: gone.csv\n")]);
    assert!(matches!(&error, DetectionError::Io { path, .. } if path.ends_with("gone.csv")));
}

#[test]
fn malformed_csv_names_file_and_line() {
    let error = load_error(&[
        ("t.yml", "name: t\nfilename: t.csv\n"),
        ("t.csv", "k,v\na,1\n\"open,2\n"),
    ]);
    let text = error.to_string();
    assert!(text.contains("t.csv") && text.contains("line 3"), "{text}");
}

#[test]
fn filename_with_folders_is_refused() {
    let error = load_error(&[("t.yml", "name: t\nfilename: ../secret.csv\n")]);
    assert!(matches!(error, DetectionError::Invalid { .. }), "{error}");
}

#[test]
fn bad_match_type_and_counts_are_refused() {
    let error = load_error(&[
        ("t.yml", "name: t\nfilename: t.csv\nmatch_type: FUZZY(k)\n"),
        ("t.csv", "k\n"),
    ]);
    assert!(error.to_string().contains("FUZZY"), "{error}");
    let error = load_error(&[
        ("t.yml", "name: t\nfilename: t.csv\nmin_matches: -1\n"),
        ("t.csv", "k\n"),
    ]);
    assert!(error.to_string().contains("min_matches"), "{error}");
}

#[test]
fn definition_without_table_is_refused() {
    let error = load_error(&[("t.yml", "name: t\ndescription: nothing\n")]);
    assert!(matches!(error, DetectionError::Invalid { .. }), "{error}");
}

#[test]
fn oversize_table_is_refused() {
    let dir = temp_dir(&[
        ("t.yml", "name: t\nfilename: t.csv\n"),
        ("t.csv", "k,v\naaaaaaaaaa,bbbbbbbbbb\n"),
    ]);
    let options = LookupLoadOptions {
        max_table_bytes: 8,
        ..LookupLoadOptions::default()
    };
    let error = load_lookup_dir_with(dir.path(), &options).unwrap_err();
    assert!(matches!(error, DetectionError::TooLarge { .. }), "{error}");
}

fn corpus_detections(dir: &Path, files: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            corpus_detections(&path, files);
        } else if path.extension().is_some_and(|e| e == "yml") {
            files.push(path);
        }
    }
}

/// Every top-level `lookup`, `inputlookup`, `foreach` and `xmlkv` of the corpus detections
/// plans with the corpus lookups, except for tables that ESCU does not ship (they come from
/// other apps, or are too large to keep here).
#[test]
fn corpus_lookup_commands_plan() {
    use spl_detections::{load_detection, load_macro_dir, MacroSet};
    use spl_engine::ops::generic;
    use spl_engine::plan::PlanContext;
    use spl_syntax::ast::CommandKind;
    use spl_syntax::macros::{expand, ExpandOptions};

    const NOT_SHIPPED: &[&str] = &[
        "asset_lookup_by_str",
        "dynamic_dns_providers_default",
        "identity_lookup_expanded",
        "interesting_ports_lookup",
        "ut_shannon_lookup",
    ];
    let corpus = corpus_lookups().join("..");
    let mut macros = MacroSet::with_builtins();
    for definition in load_macro_dir(&corpus.join("macros")).unwrap().iter() {
        macros.insert(definition.clone());
    }
    let ctx = PlanContext {
        lookups: Some(load_lookup_dir(&corpus_lookups()).unwrap().into_source()),
        ..PlanContext::default()
    };
    let mut files = Vec::new();
    corpus_detections(&corpus.join("detections"), &mut files);
    let mut planned = 0;
    let mut failures = Vec::new();
    for file in &files {
        let detection = load_detection(file).unwrap();
        let Ok(expanded) = expand(&detection.search, &macros, &ExpandOptions::default()) else {
            continue;
        };
        let Ok(pipeline) = spl_syntax::parse_pipeline(&expanded.text) else {
            continue;
        };
        for command in &pipeline.commands {
            let name = command.name.node.to_ascii_lowercase();
            let CommandKind::Generic(args) = &command.kind else {
                continue;
            };
            if !["lookup", "inputlookup", "foreach", "xmlkv"].contains(&name.as_str()) {
                continue;
            }
            match generic::build(command, args, &ctx) {
                Ok(_) => planned += 1,
                Err(diagnostics) => {
                    for d in diagnostics {
                        let missing_table = d.code == "spl::plan::unknown_lookup"
                            && NOT_SHIPPED.iter().any(|t| d.message.contains(t));
                        if !missing_table {
                            failures.push(format!("{}: {}", file.display(), d.message));
                        }
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(planned >= 100, "only {planned} commands planned");
}
