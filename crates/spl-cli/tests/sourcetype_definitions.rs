//! `sourcetypes/` definitions through the real binary: found for an ad-hoc search in the
//! current folder and for a detection above its file, applied before the first search, and
//! refused with file and line when malformed.

mod common;

use common::{run, spl};
use std::path::Path;

const EVENT: &str = r#"{"sourceIPAddress":"1.2.3.4","eventName":"GetObject"}"#;

fn project(definitions: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("sourcetypes")).expect("mkdir");
    std::fs::write(dir.path().join("sourcetypes/aws.conf"), definitions).expect("write");
    std::fs::write(dir.path().join("events.json"), format!("{EVENT}\n")).expect("write");
    dir
}

fn adhoc(dir: &Path, search: &str, sourcetype: &str) -> common::Ran {
    run(spl().current_dir(dir).args([
        "run",
        "-q",
        search,
        "--data",
        "events.json",
        "--sourcetype",
        sourcetype,
        "--format",
        "json",
    ]))
}

#[test]
fn aliases_and_calculated_fields_apply_before_the_first_search() {
    let dir = project(
        "[aws:cloudtrail]\nFIELDALIAS-src = sourceIPAddress AS src_ip\nEVAL-kind = \"read:\" . eventName\n",
    );
    // `read:GetObject` is not in the raw line: the prefilter must not require it.
    let ran = adhoc(
        dir.path(),
        "src_ip=1.2.3.4 kind=\"read:GetObject\" | table src_ip kind",
        "aws:cloudtrail",
    );
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(
        ran.stdout.trim(),
        r#"{"src_ip":"1.2.3.4","kind":"read:GetObject"}"#
    );
}

#[test]
fn other_sourcetypes_are_not_touched() {
    let dir = project("[aws:cloudtrail]\nFIELDALIAS-src = sourceIPAddress AS src_ip\n");
    let ran = adhoc(dir.path(), "src_ip=*", "_json");
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout, "");
}

#[test]
fn a_malformed_definition_stops_the_run_with_file_and_line() {
    let dir = project("[aws:cloudtrail]\n# comment\nEVAL-x = if(\n");
    let ran = adhoc(dir.path(), "*", "aws:cloudtrail");
    assert_eq!(ran.code, Some(2));
    assert!(
        ran.stderr.contains("aws.conf") && ran.stderr.contains("line 3"),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_detection_uses_the_folder_above_it() {
    let dir = project("[aws:cloudtrail]\nFIELDALIAS-src = sourceIPAddress AS src_ip\n");
    std::fs::create_dir_all(dir.path().join("detections/cloud")).expect("mkdir");
    std::fs::write(
        dir.path().join("detections/cloud/x.yml"),
        "name: X\nid: 1\nsearch: 'sourcetype=aws:cloudtrail | stats count BY src_ip'\n",
    )
    .expect("write");
    let ran = run(spl().current_dir(dir.path()).args([
        "run",
        "detections/cloud/x.yml",
        "--data",
        "events.json",
        "--sourcetype",
        "aws:cloudtrail",
        "--format",
        "json",
    ]));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout.trim(), r#"{"src_ip":"1.2.3.4","count":"1"}"#);
}
