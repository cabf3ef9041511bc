//! The library's public API with good and bad input: errors come back as values, never as
//! panics.

use spl::{
    EngineBuilder, Error, EventMeta, LookupOptions, LookupSource, LookupTable, Quiet, ScanOptions,
};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn first(output: &spl::Output, row: usize, field: &str) -> Option<String> {
    output
        .rows
        .get(row)
        .and_then(|r| r.get(field))
        .map(|v| v.first().to_string())
}

#[test]
fn a_missing_macro_folder_is_an_error_naming_it() {
    let error = EngineBuilder::new()
        .macro_dir("no/such/macros")
        .build()
        .expect_err("missing folder");
    assert!(matches!(error, Error::MissingFolder(_)), "{error:?}");
    assert_eq!(error.to_string(), "no/such/macros: no such folder");
    assert!(!error.is_run_failure());
}

#[test]
fn a_broken_detection_file_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("broken.yml");
    std::fs::write(&path, "name: x\nsearch: [unclosed\n").expect("write");
    let error = spl::DetectionFile::load(&path).expect_err("broken YAML");
    assert!(matches!(error, Error::Content(_)), "{error:?}");
    assert!(error.to_string().contains("broken.yml"), "{error}");
}

#[test]
fn compile_failures_locate_problems_in_a_detection_search() {
    let engine = EngineBuilder::new()
        .macro_dir(root().join("macros"))
        .build()
        .expect("engine");
    let failure = spl::compile_named(
        &engine,
        "`kube_audit`\n| stats cnt BY user",
        "d.yml (search)",
    )
    .expect_err("cnt is not a stats function");
    let problem = &failure.problems[0];
    // Line 2, column 9: the span is mapped back from the macro-expanded text.
    assert_eq!(
        (problem.line, problem.column),
        (2, 9),
        "{}",
        failure.render()
    );
    assert!(
        failure.render().contains("--> d.yml (search):2:9"),
        "{}",
        failure.render()
    );
    let error = Error::from(failure);
    assert!(!error.is_run_failure());
}

#[test]
fn iplocation_without_a_database_does_not_compile() {
    let engine = EngineBuilder::new().build().expect("engine");
    let failure = spl::compile(&engine, "x=1 | iplocation ip").expect_err("no database");
    assert_eq!(failure.problems[0].column, 7, "{}", failure.render());
}

#[test]
fn scan_reader_reads_multi_member_gzip() {
    let mut bytes = Vec::new();
    for member in ["{\"user\":\"a\"}\n", "{\"user\":\"b\"}\n{\"user\":\"a\"}\n"] {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(member.as_bytes()).expect("compress");
        bytes.extend(encoder.finish().expect("compress"));
    }
    let query = spl::compile(&spl::Engine::new(), "user=a | stats count").expect("compiles");
    let output = query
        .scan_reader(
            std::io::Cursor::new(bytes),
            EventMeta::default(),
            &ScanOptions::default(),
            &Quiet,
        )
        .expect("scan");
    assert_eq!(output.stats.events_read, 3);
    assert_eq!(first(&output, 0, "count").as_deref(), Some("2"));
}

#[test]
fn scan_reader_reads_a_json_array_and_labels_events() {
    let text = r#"[{"user":"a"}, {"user":"b"}]"#;
    let query = spl::compile(
        &spl::Engine::new(),
        "source=feed | table user source sourcetype",
    )
    .expect("compiles");
    let meta = EventMeta {
        source: "feed".into(),
        ..EventMeta::default()
    };
    let output = query
        .scan_reader(
            std::io::Cursor::new(text),
            meta,
            &ScanOptions::default(),
            &Quiet,
        )
        .expect("scan");
    assert_eq!(output.rows.len(), 2);
    assert_eq!(first(&output, 1, "user").as_deref(), Some("b"));
    assert_eq!(first(&output, 1, "sourcetype").as_deref(), Some("_json"));
}

struct OneTable(Arc<LookupTable>);

impl LookupSource for OneTable {
    fn table(&self, name: &str) -> Option<Arc<LookupTable>> {
        (name == self.0.name).then(|| self.0.clone())
    }

    fn names(&self) -> Vec<String> {
        vec![self.0.name.clone()]
    }
}

#[test]
fn a_custom_lookup_source_comes_before_lookup_folders() {
    let custom = LookupTable::from_csv(
        "ace_access_rights_lookup",
        "",
        "access_rights_string,access_rights_value\nRC,custom\n",
        LookupOptions::default(),
    )
    .expect("csv");
    let engine = EngineBuilder::new()
        .lookup_dir(root().join("testdata/escu-corpus/lookups"))
        .lookup_source(Arc::new(OneTable(Arc::new(custom))))
        .build()
        .expect("engine");
    let search = "x=* | lookup ace_access_rights_lookup access_rights_string AS right OUTPUT access_rights_value";
    let query = spl::compile(&engine, search).expect("compiles");
    let meta = EventMeta::default();
    let records = [r#"{"x":1,"right":"RC"}"#, r#"{"x":1,"right":"SD"}"#]
        .iter()
        .map(|text| spl::record_from_json(text, &meta))
        .collect::<Result<Vec<_>, _>>()
        .expect("records");
    let output = query.run(records).expect("run");
    assert_eq!(
        first(&output, 0, "access_rights_value").as_deref(),
        Some("custom")
    );
    // `SD` is not in the custom table and the custom table hides the folder's table of the
    // same name, so the field is not set.
    assert_eq!(first(&output, 1, "access_rights_value"), None);
}

#[test]
fn lookup_folders_are_read_by_the_builder() {
    let engine = EngineBuilder::new()
        .lookup_dir(root().join("testdata/escu-corpus/lookups"))
        .build()
        .expect("engine");
    let search = "x=* | lookup ace_access_rights_lookup access_rights_string AS right OUTPUT access_rights_value";
    let query = spl::compile(&engine, search).expect("compiles");
    let record =
        spl::record_from_json(r#"{"x":1,"right":"SD"}"#, &EventMeta::default()).expect("record");
    let output = query.run([record]).expect("run");
    // ace_access_rights_lookup.csv maps SD to Delete.
    assert_eq!(
        first(&output, 0, "access_rights_value").as_deref(),
        Some("Delete")
    );
}

#[test]
fn a_missing_input_file_is_a_scan_error_naming_it() {
    let query = spl::compile(&spl::Engine::new(), "x=1").expect("compiles");
    let error = query
        .scan(
            &[spl::Input::new("no/such/events.json")],
            &ScanOptions::default(),
            &Quiet,
        )
        .map_err(Error::from)
        .expect_err("missing file");
    assert!(error.to_string().contains("no/such/events.json"), "{error}");
    assert!(!error.is_run_failure());
}

#[test]
fn a_missing_geoip_database_is_an_error_naming_it() {
    let error = EngineBuilder::new()
        .geoip_database("no/such/GeoLite2-City.mmdb")
        .build()
        .expect_err("missing database");
    assert!(matches!(error, Error::GeoIp(_)), "{error:?}");
    assert!(
        error.to_string().contains("no/such/GeoLite2-City.mmdb"),
        "{error}"
    );
}

#[test]
fn the_embedded_test_database_is_reported_as_such() {
    let (_, source) = EngineBuilder::new()
        .embedded_test_geoip()
        .build_with_geoip_source()
        .expect("engine");
    assert!(source.is_some_and(|s| s.is_test_database()));
}

#[test]
fn single_macro_definitions_win_over_folders() {
    let engine = EngineBuilder::new()
        .macro_dir(root().join("macros"))
        .macro_definition(spl::MacroDefinition::new(
            "kube_audit",
            "source=mine",
            "test",
        ))
        .build()
        .expect("engine");
    let query = spl::compile(&engine, "`kube_audit`").expect("compiles");
    assert_eq!(query.expanded.text.trim(), "source=mine");
}

#[test]
fn a_detection_without_tests_has_no_attack_data() {
    let detection = spl::DetectionFile::from_yaml("name: x\nsearch: x=1\n", "x.yml").expect("yaml");
    let error = detection.attack_data().expect_err("no tests");
    assert!(matches!(error, Error::NoAttackData(_)), "{error:?}");
}

#[test]
fn a_detection_search_that_does_not_compile_names_the_file() {
    let detection = spl::DetectionFile::from_yaml("name: x\nsearch: x=1 | frobnicate\n", "x.yml")
        .expect("yaml");
    let failure = detection
        .compile(&spl::Engine::new())
        .expect_err("unknown command");
    assert_eq!(failure.source_name, "x.yml (search)");
    assert_eq!(
        (failure.problems[0].line, failure.problems[0].column),
        (1, 7)
    );
}
