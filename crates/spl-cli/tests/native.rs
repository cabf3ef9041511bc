//! The real `spl` binary as a native command-line tool: colours, the progress line,
//! output files and formats, every kind of input, and the exit-code scheme of every
//! subcommand.

mod common;

use common::{run, spl, Ran};
use std::io::Write;
use std::path::Path;

const FLAGSHIP: &str = "queries/kubernetes_scanning_by_unauthenticated_ip_address.yml";
const FLAGSHIP_DATA: &str =
    "testdata/attack_data/attack_techniques/T1046/kubernetes_scanning/kubernetes_scanning.json";
/// The flagship's three results, in output order
/// (testdata/detections/kubernetes_scanning_by_unauthenticated_ip_address/expected.jsonl).
const FLAGSHIP_IPS: [&str; 3] = ["67.43.156.7", "81.2.69.142", "2001:480::52"];

const ESC: char = '\u{1b}';

fn json_rows(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect()
}

fn ok(ran: &Ran) {
    assert_eq!(
        ran.code,
        Some(0),
        "stdout: {}\nstderr: {}",
        ran.stdout,
        ran.stderr
    );
}

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).expect("read")
}

// ---- colours ----

#[test]
fn table_with_color_always_has_bold_headers() {
    let ran = run(spl().args(["run", FLAGSHIP, "--format", "table", "--color", "always"]));
    ok(&ran);
    let header = ran.stdout.lines().next().unwrap_or_default();
    assert!(
        header.starts_with("\u{1b}[1msrc_ip\u{1b}[0m"),
        "bold src_ip header: {header:?}"
    );
    assert!(ran.stdout.contains("81.2.69.142"), "{}", ran.stdout);
}

#[test]
fn table_with_color_never_has_no_escapes() {
    let ran = run(spl()
        .args(["run", FLAGSHIP, "--format", "table", "--color", "never"])
        .env("CLICOLOR_FORCE", "1"));
    ok(&ran);
    assert!(!ran.stdout.contains(ESC), "{:?}", ran.stdout);
    let lines: Vec<&str> = ran.stdout.lines().collect();
    assert!(lines[0].starts_with("src_ip  "), "{}", lines[0]);
    assert!(
        lines[1].starts_with("------------  "),
        "rule as wide as 2001:480::52"
    );
}

#[test]
fn clicolor_force_colours_a_pipe_and_no_color_wins_over_it() {
    let forced = run(spl()
        .args(["run", FLAGSHIP, "--format", "table"])
        .env("CLICOLOR_FORCE", "1")
        .env_remove("NO_COLOR"));
    ok(&forced);
    assert!(
        forced.stdout.contains(ESC),
        "CLICOLOR_FORCE colours: {:?}",
        forced.stdout
    );
    let no_color = run(spl()
        .args(["run", FLAGSHIP, "--format", "table"])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1"));
    ok(&no_color);
    assert!(!no_color.stdout.contains(ESC), "{:?}", no_color.stdout);
    assert!(!no_color.stderr.contains(ESC), "{:?}", no_color.stderr);
}

#[test]
fn a_pipe_gets_no_colour_by_default() {
    let ran = run(spl()
        .args(["run", FLAGSHIP, "--format", "table"])
        .env_remove("CLICOLOR_FORCE")
        .env_remove("NO_COLOR"));
    ok(&ran);
    assert!(!ran.stdout.contains(ESC), "{:?}", ran.stdout);
}

#[test]
fn spl_test_colours_its_status_words_when_asked() {
    let ran = run(spl().args([
        "test",
        "queries/kubernetes_node_port_creation.yml",
        "--color",
        "always",
    ]));
    ok(&ran);
    assert!(
        ran.stdout.starts_with("\u{1b}[1m\u{1b}[32mPASS"),
        "{:?}",
        ran.stdout
    );
}

// ---- progress ----

#[test]
fn no_progress_line_on_a_pipe_by_default() {
    let ran = run(spl().args(["run", FLAGSHIP, "--format", "json"]));
    ok(&ran);
    assert!(!ran.stderr.contains("events/s"), "{}", ran.stderr);
}

#[test]
fn progress_always_draws_events_and_rate_then_clears_before_the_summary() {
    let ran = run(spl().args(["run", FLAGSHIP, "--format", "json", "--progress", "always"]));
    ok(&ran);
    assert!(ran.stderr.contains(" 57 events read, "), "{:?}", ran.stderr);
    assert!(ran.stderr.contains(" events/s"), "{:?}", ran.stderr);
    let summary_at = ran.stderr.find("spl: 57 events read").expect("summary");
    let last_progress = ran.stderr.rfind("events/s").expect("progress");
    let last_clear = ran.stderr.rfind("\r\u{1b}[2K").expect("line cleared");
    assert!(
        last_progress < last_clear && last_clear < summary_at,
        "the progress line is cleared before the summary: {:?}",
        ran.stderr
    );
    assert_eq!(json_rows(&ran.stdout).len(), 3, "results unchanged");
}

#[test]
fn progress_never_draws_nothing() {
    let ran = run(spl().args(["run", FLAGSHIP, "--format", "json", "--progress", "never"]));
    ok(&ran);
    assert!(!ran.stderr.contains("events/s"), "{}", ran.stderr);
}

// ---- output ----

#[test]
fn output_file_gets_the_rows_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("results.json");
    let ran = run(spl()
        .args(["run", FLAGSHIP, "--format", "json", "-o"])
        .arg(&out));
    ok(&ran);
    assert_eq!(ran.stdout, "");
    let rows = json_rows(&text(&out));
    let ips: Vec<&str> = rows.iter().filter_map(|r| r["src_ip"].as_str()).collect();
    assert_eq!(ips, FLAGSHIP_IPS);
}

#[test]
fn output_file_is_coloured_only_with_color_always() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plain = dir.path().join("plain.txt");
    let coloured = dir.path().join("coloured.txt");
    let auto = run(spl()
        .args(["run", FLAGSHIP, "--format", "table", "-o"])
        .arg(&plain)
        .env_remove("CLICOLOR_FORCE"));
    ok(&auto);
    let always = run(spl()
        .args([
            "run", FLAGSHIP, "--format", "table", "--color", "always", "-o",
        ])
        .arg(&coloured));
    ok(&always);
    assert!(!text(&plain).contains(ESC));
    assert!(text(&coloured).contains(ESC));
}

#[test]
fn an_unwritable_output_file_exits_2() {
    let ran = run(spl().args(["run", FLAGSHIP, "-o", "no/such/folder/out.json"]));
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("no/such/folder/out.json"),
        "{}",
        ran.stderr
    );
}

#[test]
fn limit_prints_the_first_rows_only() {
    let one = run(spl().args(["run", FLAGSHIP, "--format", "json", "--limit", "1"]));
    ok(&one);
    let rows = json_rows(&one.stdout);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["src_ip"], FLAGSHIP_IPS[0]);
    assert!(
        one.stderr.contains("3 results"),
        "the summary counts every result: {}",
        one.stderr
    );
    let none = run(spl().args(["run", FLAGSHIP, "--format", "csv", "--limit", "0"]));
    ok(&none);
    assert_eq!(none.stdout, "");
}

#[test]
fn csv_has_a_header_and_one_line_per_single_value_row() {
    let ran = run(spl().args([
        "run",
        "--query",
        "source=k8s \"responseStatus.code\"=403 | stats count BY sourceIPs{} | sort - count | head 2",
        "--data",
        FLAGSHIP_DATA,
        "--source",
        "k8s",
        "--format",
        "csv",
    ]));
    ok(&ran);
    let lines: Vec<&str> = ran.stdout.lines().collect();
    assert_eq!(lines[0], "sourceIPs{},count");
    assert_eq!(lines.len(), 3, "{}", ran.stdout);
    // 67.43.156.7 is refused ten times (expected.jsonl), more than any other address.
    assert_eq!(lines[1], "67.43.156.7,10");
}

#[test]
fn raw_prints_the_original_event_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("events.json");
    let events = "{\"user\":\"bob\",  \"verb\":\"get\"}\n{\"user\":\"amy\",\"verb\":\"list\"}\n";
    std::fs::write(&data, events).expect("write");
    let ran = run(spl()
        .args(["run", "--query", "verb=get", "--format", "raw", "--data"])
        .arg(&data));
    ok(&ran);
    assert_eq!(ran.stdout, "{\"user\":\"bob\",  \"verb\":\"get\"}\n");
}

#[test]
fn table_aligns_columns_under_a_rule() {
    let ran = run(spl().args(["run", FLAGSHIP, "--format", "table"]));
    ok(&ran);
    let lines: Vec<&str> = ran.stdout.lines().collect();
    let header = lines[0];
    let rule = lines[1];
    assert!(
        header.starts_with("src_ip        Country         City"),
        "{header}"
    );
    assert!(rule.starts_with("------------  --------------  "), "{rule}");
    assert!(
        lines[2].starts_with("67.43.156.7   Bhutan          "),
        "{}",
        lines[2]
    );
}

// ---- inputs ----

/// Four events: bob twice, amy once, one malformed.
const EVENTS: &str = "{\"user\":\"bob\"}\n{\"user\":\"amy\"}\nnot json\n{\"user\":\"bob\"}\n";
const COUNT_BY_USER: &str = "user=* | stats count BY user";

#[test]
fn dash_reads_standard_input() {
    let ran = run(spl()
        .args([
            "run",
            "--query",
            COUNT_BY_USER,
            "--data",
            "-",
            "--format",
            "csv",
        ])
        .write_stdin(EVENTS));
    ok(&ran);
    assert_eq!(ran.stdout, "user,count\namy,1\nbob,2\n");
    assert!(
        ran.stderr.contains("stdin:3"),
        "malformed line named: {}",
        ran.stderr
    );
}

#[test]
fn a_folder_is_read_recursively() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("nested")).expect("mkdir");
    std::fs::write(dir.path().join("a.json"), "{\"user\":\"bob\"}\n").expect("write");
    std::fs::write(
        dir.path().join("nested/b.json"),
        "{\"user\":\"bob\"}\n{\"user\":\"amy\"}\n",
    )
    .expect("write");
    let ran = run(spl()
        .args(["run", "--query", COUNT_BY_USER, "--format", "csv", "--data"])
        .arg(dir.path()));
    ok(&ran);
    assert_eq!(ran.stdout, "user,count\namy,1\nbob,2\n");
    assert!(ran.stderr.contains("3 events read"), "{}", ran.stderr);
}

#[test]
fn a_json_array_file_gives_one_event_per_element() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("array.json");
    std::fs::write(
        &data,
        "[\n {\"user\":\"bob\"},\n {\"user\":\"amy\"},\n {\"user\":\"bob\"}\n]\n",
    )
    .expect("write");
    let ran = run(spl()
        .args(["run", "--query", COUNT_BY_USER, "--format", "csv", "--data"])
        .arg(&data));
    ok(&ran);
    assert_eq!(ran.stdout, "user,count\namy,1\nbob,2\n");
}

#[test]
fn a_multi_member_gzip_file_is_read_to_its_end() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("events.json.gz");
    let mut bytes = Vec::new();
    for member in [
        "{\"user\":\"bob\"}\n",
        "{\"user\":\"amy\"}\n{\"user\":\"bob\"}\n",
    ] {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(member.as_bytes()).expect("compress");
        bytes.extend(encoder.finish().expect("compress"));
    }
    std::fs::write(&data, bytes).expect("write");
    let ran = run(spl()
        .args(["run", "--query", COUNT_BY_USER, "--format", "csv", "--data"])
        .arg(&data));
    ok(&ran);
    assert_eq!(ran.stdout, "user,count\namy,1\nbob,2\n");
}

// ---- exit codes: 0 success, 1 a detection test failed, 2 bad input, 3 the run failed ----

/// A pattern that backtracks past the engine's limit on `aaaa…!` (a limit stops the run).
const RUNAWAY: &str = "* | regex x=\"^(a|aa)+$(?<!x)\"";

fn runaway_data(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("runaway.json");
    std::fs::write(&path, format!("{{\"x\":\"{}!\"}}\n", "a".repeat(40))).expect("write");
    path
}

fn code(args: &[&str]) -> Option<i32> {
    run(spl().args(args)).code
}

#[test]
fn exit_codes_of_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let runaway = runaway_data(dir.path());
    let runaway = runaway.to_str().expect("utf-8");
    assert_eq!(code(&["run", FLAGSHIP, "--quiet"]), Some(0));
    assert_eq!(
        code(&[
            "run",
            "--query",
            "verb=get | stats cnt",
            "--data",
            FLAGSHIP_DATA
        ]),
        Some(2)
    );
    assert_eq!(
        code(&["run", "--query", "x=1", "--data", "no/such/file.json"]),
        Some(2)
    );
    assert_eq!(code(&["run", "no/such/detection.yml"]), Some(2));
    assert_eq!(code(&["run", FLAGSHIP, "--format", "yaml"]), Some(2));
    assert_eq!(
        code(&["run", FLAGSHIP, "--geoip-db", "no/such.mmdb"]),
        Some(2)
    );
    assert_eq!(
        code(&["run", "--query", RUNAWAY, "--data", runaway]),
        Some(3)
    );
}

#[test]
fn exit_codes_of_explain() {
    let dir = tempfile::tempdir().expect("tempdir");
    let runaway = runaway_data(dir.path());
    let runaway = runaway.to_str().expect("utf-8");
    assert_eq!(code(&["explain", FLAGSHIP, "--with-tests"]), Some(0));
    assert_eq!(code(&["explain", "--query", "x | frobnicate"]), Some(2));
    assert_eq!(
        code(&["explain", "--query", "x=1", "--data", "no/such/file.json"]),
        Some(2)
    );
    assert_eq!(
        code(&["explain", "--query", RUNAWAY, "--data", runaway]),
        Some(3)
    );
}

#[test]
fn exit_codes_of_test() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(
        code(&["test", "queries/kubernetes_node_port_creation.yml"]),
        Some(0)
    );
    // Attack data that is not there fails the detection's test.
    let empty = dir.path().to_str().expect("utf-8");
    assert_eq!(
        code(&[
            "test",
            "queries/kubernetes_node_port_creation.yml",
            "--attack-data",
            empty
        ]),
        Some(1)
    );
    assert_eq!(code(&["test", "no/such/folder"]), Some(2));
    assert_eq!(code(&["test", "--format", "xml"]), Some(2));
}

#[test]
fn exit_codes_of_parse_and_lint() {
    assert_eq!(code(&["parse", FLAGSHIP]), Some(0));
    assert_eq!(code(&["parse", "--query", "x | stats count by"]), Some(2));
    assert_eq!(code(&["parse", "no/such/detection.yml"]), Some(2));
    // Warnings are not failures.
    assert_eq!(code(&["lint", FLAGSHIP]), Some(0));
    assert_eq!(code(&["lint", "--query", "x \"unclosed"]), Some(2));
    assert_eq!(code(&["lint"]), Some(2));
}

#[test]
fn exit_codes_of_macros_and_completions() {
    assert_eq!(code(&["macros"]), Some(0));
    assert_eq!(code(&["macros", "--macros", "no/such/macros"]), Some(2));
    assert_eq!(code(&["macros", "no/such/detection.yml"]), Some(2));
    assert_eq!(code(&["completions", "zsh"]), Some(0));
    assert_eq!(code(&["completions", "tcsh"]), Some(2));
}

#[test]
fn help_documents_the_exit_codes() {
    let ran = run(spl().arg("--help"));
    ok(&ran);
    for line in [
        "0  success",
        "1  spl test: at least one detection failed",
        "2  bad input",
        "3  the run failed",
    ] {
        assert!(ran.stdout.contains(line), "{line}: {}", ran.stdout);
    }
}

#[test]
fn macros_of_a_detection_name_their_files_relative_to_the_current_folder() {
    let ran = run(spl().args(["macros", FLAGSHIP]));
    ok(&ran);
    // The binary runs from the workspace root, whose macros/ folder the detection uses.
    assert!(
        ran.stdout
            .lines()
            .any(|l| l == "kube_audit  [macros/kube_audit.yml]"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout
            .lines()
            .any(|l| l == "drop_dm_object_name(object)  [macros/drop_dm_object_name.yml]"),
        "{}",
        ran.stdout
    );
}

#[test]
fn events_of_a_folder_get_their_own_file_as_source() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("nested")).expect("mkdir");
    std::fs::write(dir.path().join("a.json"), "{\"user\":\"bob\"}\n").expect("write");
    std::fs::write(dir.path().join("nested/b.json"), "{\"user\":\"amy\"}\n").expect("write");
    let ran = run(spl()
        .args([
            "run",
            "--query",
            "user=* | table user source",
            "--format",
            "json",
            "--data",
        ])
        .arg(dir.path()));
    ok(&ran);
    let rows = json_rows(&ran.stdout);
    let folder = dir.path().display().to_string();
    assert_eq!(rows[0]["source"], format!("{folder}/a.json"));
    assert_eq!(rows[1]["source"], format!("{folder}/nested/b.json"));
    let piped = run(spl()
        .args([
            "run",
            "--query",
            "user=* | table source",
            "--format",
            "csv",
            "--data",
            "-",
        ])
        .write_stdin("{\"user\":\"bob\"}\n"));
    ok(&piped);
    assert_eq!(piped.stdout, "source\nstdin\n");
}
