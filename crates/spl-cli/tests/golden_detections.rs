//! Golden runs of the shipped detections: for every `testdata/detections/<name>/`, the real
//! `spl` binary runs `queries/<name>.yml` over its attack data and must print exactly
//! `expected.jsonl`; over `near_miss.json` it must print nothing.
//!
//! The expected files were reasoned by hand from `docs/spl-semantics.md` (each folder's
//! README explains the fate of every event), not captured from the engine.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root exists")
}

fn golden_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(workspace_root().join("testdata/detections"))
        .expect("testdata/detections exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.join("expected.jsonl").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn spl() -> Command {
    let mut command = Command::cargo_bin("spl").expect("spl binary is built");
    command.current_dir(workspace_root());
    command
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
fn golden_runs(dir: &Path) -> Vec<(Vec<String>, PathBuf)> {
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
        let data = vec![
            "--data".to_string(),
            dir.join(name).display().to_string(),
            "--source".to_string(),
            "kubernetes".to_string(),
        ];
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
    assert!(dirs.len() >= 15, "golden folders missing: {dirs:?}");
    let mut failures = Vec::new();
    let mut runs = 0;
    for dir in dirs {
        let name = dir
            .file_name()
            .expect("folder name")
            .to_string_lossy()
            .to_string();
        let detection = format!("queries/{name}.yml");
        for (data_args, expected_path) in golden_runs(&dir) {
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
    assert!(runs >= 16, "only {runs} golden runs");
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
        let output = spl()
            .args(["run", &format!("queries/{name}.yml"), "--format", "json"])
            .args(["--data", &near_miss.display().to_string()])
            .args(["--source", "kubernetes"])
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
    assert!(checked >= 15, "only {checked} near_miss.json files found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
