//! The real `spl` binary: stdout, stderr and exit codes.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn spl() -> Command {
    let mut command = Command::cargo_bin("spl").expect("binary");
    command
        .current_dir(root())
        .env_remove("SPL_GEOIP_DB")
        .env_remove("SPLUNK_HOME");
    command
}

struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(command: &mut Command) -> Ran {
    let output = command.output().expect("spl runs");
    Ran {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

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
