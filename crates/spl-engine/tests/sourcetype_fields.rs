//! Search-time field definitions through the `Engine` API: they apply before the first
//! search, only to events of their sourcetype, and never feed the raw-line prefilter.

use spl_engine::event::{record_from_json, EventMeta};
use spl_engine::{Engine, FieldDefinitions, Record};
use std::sync::Arc;

const DEFINITIONS: &str = r#"
[aws:cloudtrail]
FIELDALIAS-src = sourceIPAddress AS src_ip
EVAL-action = if(isnull(errorCode), "success", "failure")
"#;

fn engine() -> Engine {
    let definitions = FieldDefinitions::parse(DEFINITIONS, "test.conf").expect("valid");
    Engine::new().with_field_definitions(Arc::new(definitions))
}

fn events(sourcetype: &str, lines: &[&str]) -> Vec<Record> {
    let meta = EventMeta {
        sourcetype: sourcetype.into(),
        ..EventMeta::default()
    };
    lines
        .iter()
        .map(|line| record_from_json(line, &meta).expect("valid JSON"))
        .collect()
}

const LINES: [&str; 3] = [
    r#"{"eventName":"ConsoleLogin","sourceIPAddress":"1.2.3.4"}"#,
    r#"{"eventName":"ConsoleLogin","sourceIPAddress":"5.6.7.8","errorCode":"Failed authentication"}"#,
    r#"{"eventName":"ConsoleLogin","sourceIPAddress":"5.6.7.8","errorCode":"Failed authentication"}"#,
];

#[test]
fn definitions_apply_before_the_first_search() {
    let query = engine()
        .compile("eventName=ConsoleLogin action=failure | stats count BY src_ip action")
        .expect("compiles");
    let output = query.run(events("aws:cloudtrail", &LINES)).expect("runs");
    assert_eq!(output.rows.len(), 1);
    let row = &output.rows[0];
    assert_eq!(row.get("src_ip").map(|v| v.first()), Some("5.6.7.8"));
    assert_eq!(row.get("count").map(|v| v.first()), Some("2"));
}

#[test]
fn other_sourcetypes_get_no_fields() {
    let query = engine()
        .compile("eventName=ConsoleLogin | stats count BY src_ip")
        .expect("compiles");
    let output = query.run(events("_json", &LINES)).expect("runs");
    assert!(output.rows.is_empty(), "{:?}", output.rows);
}

#[test]
fn a_calculated_field_is_not_a_required_literal() {
    let query = engine()
        .compile("eventName=ConsoleLogin action=failure")
        .expect("compiles");
    let prefilter = query.prefilter().expect("eventName still gives a literal");
    assert_eq!(prefilter.groups(), &[vec!["consolelogin".to_string()]]);
    // The failed logins do not contain the text "failure", yet they match.
    assert!(LINES
        .iter()
        .skip(1)
        .all(|l| prefilter.may_match(l.as_bytes())));
}

#[test]
fn an_alias_value_is_still_a_raw_literal() {
    let query = engine().compile("src_ip=5.6.7.8").expect("compiles");
    let prefilter = query.prefilter().expect("alias values are raw text");
    assert!(!prefilter.may_match(LINES[0].as_bytes()));
    assert!(prefilter.may_match(LINES[1].as_bytes()));
}

#[test]
fn free_text_still_matches_the_raw_text_only() {
    // `failure` is the value of the calculated field `action`, not a word of the raw events:
    // a free-text term looks at `_raw` (§1.6), so nothing matches.
    let query = engine().compile("failure | stats count").expect("compiles");
    let output = query.run(events("aws:cloudtrail", &LINES)).expect("runs");
    assert_eq!(output.rows[0].get("count").map(|v| v.first()), Some("0"));
}

#[test]
fn readers_apply_the_first_search_unless_the_sourcetype_has_definitions() {
    let definitions = FieldDefinitions::parse(DEFINITIONS, "test.conf").expect("valid");
    assert!(definitions.defines("aws:cloudtrail"));
    assert!(!definitions.defines("_json") && !definitions.defines("AWS:CloudTrail"));
    let run = engine().compile("eventName=x").expect("compiles").start();
    assert!(!run.accepts_matched(), "some sourcetype has definitions");
    assert!(!run.accepts_matched_for("aws:cloudtrail"));
    assert!(run.accepts_matched_for("kubernetes"));
    // Only events of a sourcetype with definitions need the fields the definitions read.
    let query = engine()
        .compile("eventName=x | stats count BY src_ip")
        .expect("compiles");
    let trail = query.required_fields_for("aws:cloudtrail");
    let other = query.required_fields_for("kubernetes");
    assert!(trail.wants_field("sourceIPAddress") && trail.wants_field("errorCode"));
    assert!(!other.wants_field("sourceIPAddress") && !other.wants_field("errorCode"));
    assert!(other.wants_field("eventName") && other.wants_field("src_ip"));
}

#[test]
fn scans_of_files_of_both_kinds_of_sourcetype_give_the_same_results_as_runs() {
    use spl_engine::scan::{Input, ScanObserver, ScanOptions};
    struct Quiet;
    impl ScanObserver for Quiet {}
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("trail.json");
    std::fs::write(&path, LINES.join("\n")).expect("writes");
    let spl = "eventName=ConsoleLogin | stats count BY src_ip action";
    let query = engine().compile(spl).expect("compiles");
    for sourcetype in ["aws:cloudtrail", "_json"] {
        let input = Input::new(&path).with_sourcetype(sourcetype);
        let scanned = query
            .scan(&[input], &ScanOptions::default(), &Quiet)
            .expect("scans");
        let ran = query.run(events(sourcetype, &LINES)).expect("runs");
        assert_eq!(scanned.rows, ran.rows, "{sourcetype}");
        assert_eq!(scanned.stats.events_matched, 3, "{sourcetype}");
    }
}
