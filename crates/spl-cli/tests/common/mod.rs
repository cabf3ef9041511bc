//! Helpers shared by the tests that run the real `spl` binary.
// Each test binary uses only some of these helpers.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The workspace root (where `queries/`, `macros/` and `testdata/` live).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// The `spl` binary, run from the workspace root with no GeoIP environment.
pub fn spl() -> Command {
    let mut command = Command::cargo_bin("spl").expect("binary");
    command
        .current_dir(root())
        .env_remove("SPL_GEOIP_DB")
        .env_remove("SPLUNK_HOME");
    command
}

/// What one run of the binary gave.
pub struct Ran {
    /// The exit code.
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs `command` to completion.
pub fn run(command: &mut Command) -> Ran {
    let output = command.output().expect("spl runs");
    Ran {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}
