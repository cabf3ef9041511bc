//! Builds the examples and runs each compiled binary, checking what it prints: the
//! documented examples keep working.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Once;

/// The folder holding this test binary's profile (`target/debug`).
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    // target/<profile>/deps/examples-<hash>
    exe.parent()
        .and_then(|deps| deps.parent())
        .map(PathBuf::from)
        .expect("target/<profile>")
}

static BUILD: Once = Once::new();

/// Builds every example of this crate with the profile of this test binary.
fn build_examples() {
    BUILD.call_once(|| {
        let profile = profile_dir();
        let target_dir = profile.parent().expect("target dir").to_path_buf();
        let mut cargo = Command::new(env!("CARGO"));
        cargo
            .args([
                "build",
                "--quiet",
                "-p",
                "spl",
                "--examples",
                "--target-dir",
            ])
            .arg(&target_dir)
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        if profile.file_name().is_some_and(|name| name == "release") {
            cargo.arg("--release");
        }
        let status = cargo.status().expect("cargo runs");
        assert!(status.success(), "building the examples failed");
    });
}

/// Runs example `name`; its exit status and standard output.
fn run_example(name: &str, args: &[&str]) -> (bool, String, String) {
    build_examples();
    let binary = profile_dir()
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let output = Command::new(&binary)
        .args(args)
        .env_remove("SPL_GEOIP_DB")
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", binary.display()));
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn run_detection_finds_the_three_scanning_addresses() {
    let (ok, stdout, stderr) = run_example("run_detection", &[]);
    assert!(ok, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.first(),
        Some(&"Kubernetes Scanning by Unauthenticated IP Address")
    );
    // The golden rows (testdata/detections/kubernetes_scanning_by_unauthenticated_ip_address).
    assert!(
        lines[1].starts_with("  src_ip=67.43.156.7  Country=Bhutan"),
        "{stdout}"
    );
    assert!(
        lines[2].contains("src_ip=81.2.69.142  Country=United Kingdom  City=London  count=7"),
        "{stdout}"
    );
    assert!(lines[3].starts_with("  src_ip=2001:480::52"), "{stdout}");
    assert_eq!(
        lines[4],
        "57 events read, 47 matched the first search, 3 results"
    );
}

#[test]
fn run_detection_exits_non_zero_on_a_missing_detection() {
    let (ok, stdout, stderr) = run_example("run_detection", &["no/such/detection.yml"]);
    assert!(!ok, "{stdout}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("no/such/detection.yml"), "{stderr}");
}

#[test]
fn in_memory_counts_records_and_a_reader() {
    let (ok, stdout, stderr) = run_example("in_memory", &[]);
    assert!(ok, "{stderr}");
    // alice: get and LIST (case-insensitive IN); bob: only the built `get` (delete is out);
    // sorted by count descending.
    let expected = "records: verb IN (get, list) | stats count dc(verb) AS verbs BY user | sort - count\n\
                    \x20 user=alice count=2 verbs=2\n\
                    \x20 user=bob count=1 verbs=1\n\
                    reader: verb IN (get, list) | stats count dc(verb) AS verbs BY user | sort - count\n\
                    \x20 user=carol count=2 verbs=1\n";
    assert!(stdout.starts_with(expected), "{stdout}");
    assert!(
        stdout.contains("reader: 2 events read, 1 malformed"),
        "{stdout}"
    );
}

#[test]
fn custom_sources_locate_offices_and_find_teams() {
    let (ok, stdout, stderr) = run_example("custom_sources", &[]);
    assert!(ok, "{stderr}");
    assert_eq!(
        stdout,
        "user=alice src_ip=10.1.4.7 City=Berlin Country=Germany team=payments\n\
         user=bob src_ip=10.2.0.9 City=Lisbon Country=Portugal team=platform\n\
         user=mallory src_ip=203.0.113.5 City= Country= team=\n\
         3 results\n"
    );
}
