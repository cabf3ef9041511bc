//! Runs a shipped ESCU detection over its shipped attack data and prints each result.
//!
//! ```sh
//! cargo run -p spl --example run_detection                       # the flagship detection
//! cargo run -p spl --example run_detection -- queries/X.yml events.json
//! ```
//!
//! With a second argument the detection runs over that event file instead of its own
//! `tests:` data.

use spl::{DetectionFile, Input, ReportProblems, ScanOptions};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Fields printed per result.
const FIELDS_SHOWN: usize = 4;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), spl::Error> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut arguments = std::env::args().skip(1);
    let detection_path = arguments.next().map_or_else(
        || root.join("queries/kubernetes_scanning_by_unauthenticated_ip_address.yml"),
        PathBuf::from,
    );
    let detection = DetectionFile::load(detection_path)?;
    let engine = detection.engine_builder().embedded_test_geoip().build()?;
    let query = detection.compile(&engine)?;
    let inputs = match arguments.next() {
        Some(events) => vec![Input::new(events)],
        None => detection.attack_data()?,
    };
    let output = query.scan(&inputs, &ScanOptions::default(), &ReportProblems)?;
    println!("{}", detection.detection.name);
    for row in &output.rows {
        // The first few fields are enough to tell the rows apart.
        let fields: Vec<String> = row
            .iter()
            .take(FIELDS_SHOWN)
            .map(|(name, value)| format!("{name}={}", value.values().join("|")))
            .collect();
        println!("  {}", fields.join("  "));
    }
    let stats = &output.stats;
    println!(
        "{} events read, {} matched the first search, {} results",
        stats.events_read, stats.events_matched, stats.results
    );
    Ok(())
}
