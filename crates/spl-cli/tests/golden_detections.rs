//! Golden runs of the shipped detections: for every `testdata/detections/<name>/`, the real
//! `spl` binary runs `queries/<name>.yml` over its attack data and must print exactly
//! `expected.jsonl`; over `near_miss.json` it must print nothing.
//!
//! The expected files were reasoned by hand from `docs/spl-semantics.md` (each folder's
//! README explains the fate of every event), not captured from the engine.
//!
//! Detections that read fields a vendor add-on creates at search time (`src_ip` of a
//! CloudTrail record, `user` of an Office 365 record) get them from the project's `sourcetypes/` definitions, which `spl run`
//! finds like `macros/`.

mod common;

use common::{root as workspace_root, spl};
use std::path::{Path, PathBuf};

fn golden_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(workspace_root().join("testdata/detections"))
        .expect("testdata/detections exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.join("expected.jsonl").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// The `--source` / `--sourcetype` options for extra data files of a detection: the first
/// `source:` and `sourcetype:` under `tests:` in the detection itself, or else in its
/// `<stem>.spl-tests.yml` side file (so a CloudTrail detection reads its near misses as
/// `aws:cloudtrail`, a Kubernetes one as `kubernetes` / `_json`).
fn source_args(detection: &Path) -> Vec<String> {
    let side_file = detection.with_extension("spl-tests.yml");
    [detection, side_file.as_path()]
        .iter()
        .find_map(|path| tests_source(path))
        .unwrap_or_else(|| panic!("{} has no tests source/sourcetype", detection.display()))
}

/// The `--source S --sourcetype T` arguments from the `tests:` section of one YAML file.
fn tests_source(path: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(path).ok()?;
    let tests: Vec<&str> = text
        .lines()
        .skip_while(|line| !line.starts_with("tests:"))
        .collect();
    let mut args = Vec::new();
    for key in ["source", "sourcetype"] {
        let value = tests.iter().find_map(|line| {
            let trimmed = line.trim_start().trim_start_matches("- ");
            trimmed.strip_prefix(&format!("{key}:"))
        })?;
        args.push(format!("--{key}"));
        args.push(
            value
                .trim()
                .trim_matches(|c| c == '"' || c == '\'')
                .to_string(),
        );
    }
    Some(args)
}

/// The rows as parsed JSON values, so formatting differences in the golden file (spaces)
/// do not matter but key order does.
fn rows(text: &str) -> Vec<Vec<(String, serde_json::Value)>> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let value: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("bad JSON row {line}: {e}"));
            let object = value.as_object().expect("each row is a JSON object");
            object.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
        })
        .collect()
}

/// The golden runs of one folder: `expected.jsonl` over the detection's own `tests:` data
/// (or over `events.json` when the folder has one), and `expected<suffix>.jsonl` over
/// `events<suffix>.json` for every other events file.
fn golden_runs(dir: &Path, sources: &[String]) -> Vec<(Vec<String>, PathBuf)> {
    let mut runs = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("readable golden folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    for name in &names {
        let Some(suffix) = name
            .strip_prefix("events")
            .and_then(|n| n.strip_suffix(".json"))
        else {
            continue;
        };
        let expected = dir.join(format!("expected{suffix}.jsonl"));
        assert!(expected.is_file(), "{} has no {}", name, expected.display());
        let mut data = vec!["--data".to_string(), dir.join(name).display().to_string()];
        data.extend(sources.iter().cloned());
        runs.push((data, expected));
    }
    if !names.iter().any(|n| n == "events.json") {
        runs.push((Vec::new(), dir.join("expected.jsonl")));
    }
    runs
}

#[test]
fn shipped_detections_give_their_golden_results() {
    let dirs = golden_dirs();
    assert!(dirs.len() >= 41, "golden folders missing: {dirs:?}");
    let mut failures = Vec::new();
    let mut runs = 0;
    for dir in dirs {
        let name = dir
            .file_name()
            .expect("folder name")
            .to_string_lossy()
            .to_string();
        let detection = format!("queries/{name}.yml");
        let sources = source_args(&workspace_root().join(&detection));
        for (data_args, expected_path) in golden_runs(&dir, &sources) {
            runs += 1;
            let output = spl()
                .args(["run", &detection, "--format", "json"])
                .args(&data_args)
                .output()
                .expect("spl runs");
            let expected = std::fs::read_to_string(&expected_path).expect("golden");
            let actual = String::from_utf8_lossy(&output.stdout).to_string();
            if !output.status.success() || rows(&actual) != rows(&expected) {
                failures.push(format!(
                    "{}: exit {:?}\n--- expected\n{expected}--- actual\n{actual}--- stderr\n{}",
                    expected_path.display(),
                    output.status.code(),
                    String::from_utf8_lossy(&output.stderr)
                ));
            }
        }
    }
    assert!(runs >= 41, "only {runs} golden runs");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn near_misses_never_fire() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for dir in golden_dirs() {
        let near_miss = dir.join("near_miss.json");
        if !near_miss.is_file() {
            continue;
        }
        checked += 1;
        let name = dir
            .file_name()
            .expect("folder name")
            .to_string_lossy()
            .to_string();
        let detection = format!("queries/{name}.yml");
        let output = spl()
            .args(["run", &detection, "--format", "json"])
            .args(["--data", &near_miss.display().to_string()])
            .args(source_args(&workspace_root().join(&detection)))
            .output()
            .expect("spl runs");
        if !output.status.success() || !output.stdout.is_empty() {
            failures.push(format!(
                "{name}: exit {:?}, stdout:\n{}stderr:\n{}",
                output.status.code(),
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    assert!(checked >= 41, "only {checked} near_miss.json files found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The vendor family of a golden folder, from the detection's name prefix (ESCU names each
/// detection after its data source).
fn family(name: &str) -> Option<&'static str> {
    [
        ("aws_", "AWS CloudTrail"),
        ("detect_new_open_s3_buckets", "AWS CloudTrail"),
        ("asl_aws_", "AWS Security Lake (OCSF)"),
        ("azure_ad_", "Azure AD"),
        ("o365_", "Office 365"),
        ("github_", "GitHub"),
        ("gsuite_", "Google Workspace"),
        ("gcp_", "GCP"),
        ("okta_", "Okta"),
    ]
    .into_iter()
    .find(|(prefix, _)| name.starts_with(prefix))
    .map(|(_, family)| family)
}

#[test]
fn json_families_beyond_kubernetes_are_covered() {
    let mut per_family: std::collections::BTreeMap<&str, usize> = Default::default();
    for dir in golden_dirs() {
        let name = dir
            .file_name()
            .expect("folder name")
            .to_string_lossy()
            .to_string();
        if let Some(family) = family(&name) {
            *per_family.entry(family).or_default() += 1;
        }
    }
    let total: usize = per_family.values().sum();
    assert!(
        total >= 15,
        "only {total} non-Kubernetes goldens: {per_family:?}"
    );
    let several = per_family.values().filter(|&&count| count >= 2).count();
    assert!(
        several >= 4,
        "fewer than four families with several goldens: {per_family:?}"
    );
}
