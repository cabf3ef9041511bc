//! `spl test`: replays each detection's `tests:` attack data offline and judges the results
//! the way contentctl does against a Splunk server (spl-semantics.md §7.6), plus the
//! project's negative tests (`<detection>.spl-tests.yml`, see the README).

use super::common::{compile_quietly, engine_for, Target};
use super::run::{execute_quietly, Input};
use crate::args::{QueryArgs, TestArgs, TestFormat};
use crate::color::Colors;
use crate::Failure;
use spl::EventMeta;
use spl_detections::testing::{
    judge, risk_and_threat_fields, test_cases, Expectation, TestCase, Verdict,
};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The outcome of one test of one detection.
#[derive(Debug)]
struct TestOutcome {
    name: String,
    expectation: Expectation,
    verdict: Verdict,
    results: usize,
    duration: Duration,
}

/// The outcome of one detection.
#[derive(Debug)]
struct DetectionOutcome {
    /// The detection's file name without `.yml`.
    name: String,
    path: PathBuf,
    /// Set when the detection could not be loaded or compiled.
    error: Option<String>,
    tests: Vec<TestOutcome>,
    duration: Duration,
}

impl DetectionOutcome {
    fn status(&self) -> &'static str {
        if self.error.is_some() || self.tests.iter().any(|t| t.verdict != Verdict::Pass) {
            "fail"
        } else if self.tests.is_empty() {
            "skip"
        } else {
            "pass"
        }
    }
}

/// Runs `spl test`.
pub fn test(args: &TestArgs) -> Result<(), Failure> {
    let files = detection_files(&args.paths)?;
    let mut outcomes = Vec::new();
    let colors = Colors::stdout();
    for file in files {
        let outcome = test_detection(&file, args);
        if args.format == TestFormat::Text {
            crate::out!("{}", text_line(&outcome, colors));
        }
        outcomes.push(outcome);
    }
    let failed = outcomes.iter().filter(|o| o.status() == "fail").count();
    match args.format {
        TestFormat::Text => crate::outln!("{}", summary_line(&outcomes)),
        TestFormat::Json => {
            for outcome in &outcomes {
                crate::outln!("{}", json_line(outcome));
            }
        }
    }
    if let Some(path) = &args.junit {
        if let Err(e) = std::fs::write(path, junit(&outcomes)) {
            super::common::print_error(format!("cannot write {}: {e}", path.display()));
            return Err(Failure::Input);
        }
    }
    if failed > 0 {
        Err(Failure::TestsFailed)
    } else {
        Ok(())
    }
}

/// Every detection YAML named by `paths` (folders are searched recursively, sorted);
/// `*.spl-tests.yml` side files are not detections.
pub fn detection_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let defaults = [PathBuf::from("queries")];
    let paths = if paths.is_empty() {
        &defaults[..]
    } else {
        paths
    };
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            collect_yaml(path, &mut files).map_err(|e| {
                super::common::print_error(format!("cannot read {}: {e}", path.display()));
                Failure::Input
            })?;
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            super::common::print_error(format!("{} does not exist", path.display()));
            return Err(Failure::Input);
        }
    }
    Ok(files)
}

fn collect_yaml(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if path.is_dir() {
            collect_yaml(&path, files)?;
        } else if (name.ends_with(".yml") || name.ends_with(".yaml"))
            && !name.ends_with(spl_detections::testing::SIDE_FILE_SUFFIX)
        {
            files.push(path);
        }
    }
    Ok(())
}

fn test_detection(path: &Path, args: &TestArgs) -> DetectionOutcome {
    let started = Instant::now();
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut outcome = DetectionOutcome {
        name,
        path: path.to_path_buf(),
        error: None,
        tests: Vec::new(),
        duration: Duration::ZERO,
    };
    match run_tests(path, args) {
        Ok(tests) => outcome.tests = tests,
        Err(error) => outcome.error = Some(error),
    }
    outcome.duration = started.elapsed();
    outcome
}

fn run_tests(path: &Path, args: &TestArgs) -> Result<Vec<TestOutcome>, String> {
    let query_args = QueryArgs {
        detection: Some(path.to_path_buf()),
        query: None,
        macro_dirs: args.macro_dirs.clone(),
    };
    let target = Target::load(&query_args).map_err(|_| "cannot load the detection".to_string())?;
    let (engine, _) = engine_for(&target, &query_args, args.geoip_db.as_deref())
        .map_err(|_| "cannot load its macros or the GeoIP database".to_string())?;
    let engine = args.limits.apply(engine);
    let query = compile_quietly(&engine, &target)?;
    let Some(detection) = &target.detection else {
        return Err("not a detection".into());
    };
    let root = args
        .attack_data
        .clone()
        .unwrap_or_else(|| spl::default_attack_data_root(path));
    let cases = test_cases(&detection.detection, &root).map_err(|e| e.to_string())?;
    let (risk, threat) = risk_and_threat_fields(&detection.detection);
    let options = args.limits.scan_options();
    Ok(cases
        .iter()
        .map(|case| run_case(&query, case, &options, &risk, &threat))
        .collect())
}

fn run_case(
    query: &spl::Query,
    case: &TestCase,
    options: &spl::ScanOptions,
    risk: &[String],
    threat: &[String],
) -> TestOutcome {
    let started = Instant::now();
    let inputs: Vec<Input> = case
        .inputs
        .iter()
        .map(|input| Input {
            path: input.path.clone(),
            meta: EventMeta {
                source: input.source.clone(),
                sourcetype: input.sourcetype.clone(),
                host: "CONTENTCTL_HOST".into(),
                index: "contentctl_testing_index".into(),
            },
        })
        .collect();
    let (verdict, results) = match execute_quietly(query, &inputs, options) {
        Ok(output) => (
            judge(&output.rows, case.expectation, risk, threat),
            output.rows.len(),
        ),
        Err(message) => (Verdict::Fail(message), 0),
    };
    TestOutcome {
        name: case.name.clone(),
        expectation: case.expectation,
        verdict,
        results,
        duration: started.elapsed(),
    }
}

fn millis(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

fn text_line(outcome: &DetectionOutcome, colors: Colors) -> String {
    let mut line = String::new();
    let results: usize = outcome.tests.iter().map(|t| t.results).sum();
    let detail = match (&outcome.error, outcome.tests.len()) {
        (Some(_), _) => "error".to_string(),
        (None, 0) => "no tests".to_string(),
        (None, n) => format!(
            "{n} test{}, {results} result{}",
            if n == 1 { "" } else { "s" },
            if results == 1 { "" } else { "s" }
        ),
    };
    let _ = writeln!(
        line,
        "{}  {}  ({detail}, {})",
        colors.status(&format!("{:<4}", outcome.status().to_uppercase())),
        outcome.name,
        millis(outcome.duration)
    );
    if let Some(error) = &outcome.error {
        for error_line in error.lines() {
            let _ = writeln!(line, "        {error_line}");
        }
    }
    for test in &outcome.tests {
        if let Verdict::Fail(reason) = &test.verdict {
            let _ = writeln!(line, "        {}: {reason}", test.name);
        }
    }
    line
}

fn summary_line(outcomes: &[DetectionOutcome]) -> String {
    let count = |status: &str| outcomes.iter().filter(|o| o.status() == status).count();
    format!(
        "\n{} detection{}: {} passed, {} failed, {} without tests",
        outcomes.len(),
        if outcomes.len() == 1 { "" } else { "s" },
        count("pass"),
        count("fail"),
        count("skip")
    )
}

fn json_line(outcome: &DetectionOutcome) -> serde_json::Value {
    serde_json::json!({
        "detection": outcome.name,
        "file": outcome.path.display().to_string(),
        "status": outcome.status(),
        "error": outcome.error,
        "duration_ms": outcome.duration.as_secs_f64() * 1000.0,
        "tests": outcome.tests.iter().map(|t| serde_json::json!({
            "name": t.name,
            "expect": match t.expectation {
                Expectation::Results => "results",
                Expectation::NoResults => "no_results",
            },
            "status": if t.verdict == Verdict::Pass { "pass" } else { "fail" },
            "reason": match &t.verdict { Verdict::Fail(r) => Some(r.as_str()), Verdict::Pass => None },
            "results": t.results,
            "duration_ms": t.duration.as_secs_f64() * 1000.0,
        })).collect::<Vec<_>>(),
    })
}

/// A JUnit XML report: one test suite, one test case per detection test.
fn junit(outcomes: &[DetectionOutcome]) -> String {
    let mut cases = String::new();
    let mut total = 0;
    let mut failures = 0;
    for outcome in outcomes {
        if let Some(error) = &outcome.error {
            total += 1;
            failures += 1;
            let _ = writeln!(
                cases,
                "  <testcase classname=\"{}\" name=\"load\" time=\"{:.6}\"><failure message=\"{}\"/></testcase>",
                xml_escape(&outcome.name),
                outcome.duration.as_secs_f64(),
                xml_escape(error)
            );
        }
        for test in &outcome.tests {
            total += 1;
            let body = match &test.verdict {
                Verdict::Pass => String::new(),
                Verdict::Fail(reason) => {
                    failures += 1;
                    format!("<failure message=\"{}\"/>", xml_escape(reason))
                }
            };
            let _ = writeln!(
                cases,
                "  <testcase classname=\"{}\" name=\"{}\" time=\"{:.6}\">{body}</testcase>",
                xml_escape(&outcome.name),
                xml_escape(&test.name),
                test.duration.as_secs_f64()
            );
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"spl test\" tests=\"{total}\" failures=\"{failures}\">\n{cases}</testsuite>\n"
    )
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
