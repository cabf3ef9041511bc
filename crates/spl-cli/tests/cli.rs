//! The real `spl` binary: stdout, stderr and exit codes.

mod common;

use common::{root, run, spl};

use std::path::{Path, PathBuf};

fn write_events(dir: &Path, name: &str, lines: &[&str]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n") + "\n").expect("write events");
    path
}

const FLAGSHIP: &str = "queries/kubernetes_scanning_by_unauthenticated_ip_address.yml";

#[test]
fn flagship_runs_over_its_shipped_attack_data() {
    let ran = run(spl().args(["run", FLAGSHIP, "--format", "json"]));
    assert_eq!(ran.code, Some(0), "stderr: {}", ran.stderr);
    let rows: Vec<serde_json::Value> = ran
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("json row"))
        .collect();
    assert_eq!(rows.len(), 3, "{}", ran.stdout);
    assert_eq!(rows[1]["src_ip"], "81.2.69.142");
    assert_eq!(rows[1]["count"], "7");
    assert!(
        ran.stderr.contains("TEST database"),
        "the embedded test GeoIP database is announced: {}",
        ran.stderr
    );
    assert!(ran.stderr.contains("3 results"), "summary: {}", ran.stderr);
}

#[test]
fn ad_hoc_query_counts_malformed_lines_and_keeps_going() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = write_events(
        dir.path(),
        "events.json",
        &[
            r#"{"user":"bob","verb":"get"}"#,
            r#"{"user":"bob","verb": "#,
            r#"{"user":"amy","verb":"list"}"#,
        ],
    );
    let ran = run(spl().args([
        "run",
        "--query",
        "verb=* | stats count by user",
        "--data",
        data.to_str().expect("utf-8 path"),
        "--format",
        "csv",
    ]));
    assert_eq!(ran.code, Some(0), "stderr: {}", ran.stderr);
    assert_eq!(ran.stdout, "user,count\namy,1\nbob,1\n");
    assert!(
        ran.stderr.contains("events.json:2"),
        "malformed line named with file:line: {}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("1 malformed"),
        "summary: {}",
        ran.stderr
    );
}

#[test]
fn unknown_command_is_reported_with_its_span() {
    let ran = run(spl().args([
        "run",
        "--query",
        "verb=get | frobnicate x",
        "--data",
        "testdata/attack_data/attack_techniques/T1046/kubernetes_scanning/kubernetes_scanning.json",
    ]));
    assert_eq!(ran.code, Some(2));
    assert!(
        ran.stderr
            .contains("error[spl::plan::unsupported_command]: `frobnicate` is not supported yet"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("<query>:1:12"), "{}", ran.stderr);
    assert!(
        ran.stderr
            .contains(" | verb=get | frobnicate x\n   |            ^^^^^^^^^^"),
        "{}",
        ran.stderr
    );
}

#[test]
fn unknown_macro_gets_a_suggestion() {
    let ran = run(spl().args([
        "run",
        "--query",
        "`kube_adit` verb=get",
        "--data",
        "testdata/attack_data/attack_techniques/T1046/kubernetes_scanning/kubernetes_scanning.json",
    ]));
    assert_eq!(ran.code, Some(2));
    assert!(ran.stderr.contains("spl::macro::unknown"), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("kube_audit"),
        "did-you-mean: {}",
        ran.stderr
    );
    assert!(ran.stderr.contains("<query>:1:1"), "{}", ran.stderr);
}

#[test]
fn unbalanced_quote_points_at_the_opening_quote() {
    let ran = run(spl().args([
        "run",
        "--query",
        "verb=get user=\"bob | stats count",
        "--data",
        "testdata/attack_data/attack_techniques/T1046/kubernetes_scanning/kubernetes_scanning.json",
    ]));
    assert_eq!(ran.code, Some(2));
    assert!(
        ran.stderr.contains("spl::parse::unbalanced_quote"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("<query>:1:15"), "{}", ran.stderr);
}

#[test]
fn missing_data_file_is_named() {
    let ran = run(spl().args(["run", "--query", "*", "--data", "no/such/file.json"]));
    assert_eq!(ran.code, Some(2));
    assert!(ran.stderr.contains("no/such/file.json"), "{}", ran.stderr);
}

#[test]
fn missing_detection_file_is_named() {
    let ran = run(spl().args(["run", "queries/nope.yml"]));
    assert_eq!(ran.code, Some(2));
    assert!(ran.stderr.contains("queries/nope.yml"), "{}", ran.stderr);
}

#[test]
fn spl_test_passes_the_shipped_detections() {
    let ran = run(spl().args(["test", "queries/"]));
    assert_eq!(
        ran.code,
        Some(0),
        "stdout: {}\nstderr: {}",
        ran.stdout,
        ran.stderr
    );
    assert!(
        ran.stdout
            .contains("PASS  kubernetes_scanning_by_unauthenticated_ip_address"),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("0 failed"), "{}", ran.stdout);
}

#[test]
fn spl_test_fails_when_attack_data_is_missing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ran = run(spl().args([
        "test",
        FLAGSHIP,
        "--attack-data",
        dir.path().to_str().expect("utf-8 path"),
    ]));
    assert_eq!(ran.code, Some(1), "{}", ran.stdout);
    assert!(
        ran.stdout
            .contains("FAIL  kubernetes_scanning_by_unauthenticated_ip_address"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout.contains("kubernetes_scanning.json"),
        "names the expected path: {}",
        ran.stdout
    );
}

#[test]
fn parse_prints_json_stages_with_command_names_and_spans() {
    let ran = run(spl().args([
        "parse",
        "--query",
        "verb=get | STATS count BY user | where count > 5",
        "--format",
        "json",
    ]));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let value: serde_json::Value =
        serde_json::from_str(ran.stdout.trim()).expect("one JSON object");
    let stages = value["stages"].as_array().expect("stages");
    let commands: Vec<&str> = stages
        .iter()
        .map(|s| s["command"].as_str().unwrap())
        .collect();
    assert_eq!(commands, ["search", "stats", "where"]);
    assert_eq!(
        stages[1]["span"],
        serde_json::json!([11, 30]),
        "{}",
        ran.stdout
    );
}

#[test]
fn parse_error_shows_line_column_and_caret_and_exits_2() {
    let ran = run(spl().args(["parse", "--query", "verb=get\n| stats count BY"]));
    assert_eq!(ran.code, Some(2));
    assert!(
        ran.stderr.contains("error[spl::parse::missing_argument]"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("<query>:2:"), "{}", ran.stderr);
    assert!(ran.stderr.contains('^'), "{}", ran.stderr);
}

#[test]
fn parse_reads_a_folder_of_detections() {
    let ran = run(spl().args(["parse", "queries/"]));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let detections = std::fs::read_dir(root().join("queries"))
        .expect("queries/ exists")
        .filter_map(Result::ok)
        .filter(|entry| {
            let name = entry.file_name().to_string_lossy().to_string();
            name.ends_with(".yml") && !name.ends_with(".spl-tests.yml")
        })
        .count();
    assert!(detections >= 15, "only {detections} detections in queries/");
    let summary = format!("{detections} parsed, 0 failed");
    assert!(ran.stdout.contains(&summary), "{}", ran.stdout);
}

#[test]
fn lint_warns_about_by_fields_iplocation_may_not_set() {
    let ran = run(spl().args(["lint", FLAGSHIP]));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(
        ran.stdout
            .matches("warning[spl::lint::by_field_maybe_unset]")
            .count(),
        2,
        "Country and City: {}",
        ran.stdout
    );
    assert!(
        ran.stdout.contains("2 warnings in 1 search"),
        "{}",
        ran.stdout
    );
}

#[test]
fn explain_shows_records_in_and_out_of_each_stage() {
    let ran = run(spl().args(["explain", FLAGSHIP, "--with-tests"]));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(
        ran.stdout
            .contains("source=\"kubernetes\" \"user.groups{}\""),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout
            .contains("4. where count > 5\n     in       5  out       3"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout.contains("dropped by a missing BY field 19"),
        "{}",
        ran.stdout
    );
}

#[test]
fn test_reports_json_and_junit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let junit = dir.path().join("report.xml");
    let ran = run(spl().args([
        "test",
        FLAGSHIP,
        "--format",
        "json",
        "--junit",
        junit.to_str().expect("utf-8 path"),
    ]));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let value: serde_json::Value = serde_json::from_str(ran.stdout.trim()).expect("json");
    assert_eq!(value["status"], "pass");
    assert_eq!(value["tests"][0]["results"], 3);
    assert_eq!(value["tests"][1]["expect"], "no_results");
    let xml = std::fs::read_to_string(&junit).expect("junit written");
    assert!(xml.contains("tests=\"2\" failures=\"0\""), "{xml}");
}

#[test]
fn test_fails_a_negative_test_that_fires() {
    let dir = tempfile::tempdir().expect("tempdir");
    let detection = dir.path().join("scan.yml");
    std::fs::copy(root().join(FLAGSHIP), &detection).expect("copy detection");
    std::fs::write(
        dir.path().join("scan.spl-tests.yml"),
        format!(
            "tests:\n  - name: should not fire\n    expect: no_results\n    attack_data:\n      - data: {}\n        source: kubernetes\n",
            root()
                .join("testdata/attack_data/attack_techniques/T1046/kubernetes_scanning/kubernetes_scanning.json")
                .display()
        ),
    )
    .expect("side file");
    let ran = run(spl().args([
        "test",
        detection.to_str().expect("utf-8"),
        "--macros",
        "macros",
        "--attack-data",
        "testdata/attack_data",
    ]));
    assert_eq!(ran.code, Some(1), "{}\n{}", ran.stdout, ran.stderr);
    assert!(
        ran.stdout
            .contains("should not fire: expected no results, got 3"),
        "{}",
        ran.stdout
    );
}

#[test]
fn macros_lists_names_arguments_and_origins() {
    let ran = run(spl().args(["macros", FLAGSHIP]));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(
        ran.stdout
            .lines()
            .any(|l| l.starts_with("drop_dm_object_name(object)  [")
                && l.ends_with("macros/drop_dm_object_name.yml]")),
        "the project's copy overrides the built-in: {}",
        ran.stdout
    );
    let kube_audit = ran
        .stdout
        .lines()
        .find(|l| l.starts_with("kube_audit  ["))
        .expect("kube_audit listed");
    assert!(
        kube_audit.ends_with("macros/kube_audit.yml]"),
        "{kube_audit}"
    );
}

#[test]
fn completions_are_generated() {
    let ran = run(spl().args(["completions", "bash"]));
    assert_eq!(ran.code, Some(0));
    assert!(ran.stdout.contains("_spl()"), "{}", ran.stdout);
    assert!(ran.stdout.contains("explain"), "subcommands are completed");
}

#[test]
fn every_subcommand_has_examples_in_its_help() {
    for subcommand in [
        "run",
        "test",
        "explain",
        "parse",
        "lint",
        "macros",
        "completions",
    ] {
        let ran = run(spl().args([subcommand, "--help"]));
        assert_eq!(ran.code, Some(0), "{subcommand}");
        assert!(
            ran.stdout.contains("Example"),
            "{subcommand} --help has examples"
        );
    }
}
