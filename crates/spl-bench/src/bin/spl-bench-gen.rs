//! `spl-bench-gen`: writes deterministic Kubernetes audit NDJSON for benchmarks.
//!
//! ```text
//! spl-bench-gen --events 1000000 --scan-share 0.005 --seed 1 -o target/bench-data/audit-1m.json
//! spl-bench-gen --events 1000000 --scan-share 0.005 --literal-share 0.3 > stress.json
//! ```

use std::fs::File;
use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use spl_bench::{generate, GeneratorOptions};

/// Generate realistic Kubernetes audit events (NDJSON, `audit.k8s.io/v1`), deterministically.
#[derive(Debug, Parser)]
#[command(name = "spl-bench-gen", version)]
struct Arguments {
    /// Number of events (lines).
    #[arg(long, default_value_t = 10_000)]
    events: u64,
    /// Share of events that are unauthenticated 403s from scanner addresses (flagship matches).
    #[arg(long, default_value_t = 0.005)]
    scan_share: f64,
    /// Share of lines containing both `system:unauthenticated` and `403`, matches included;
    /// defaults to --scan-share (no near misses).
    #[arg(long)]
    literal_share: Option<f64>,
    /// PRNG seed; the same seed and options give byte-identical output.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output file (default: standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

fn main() -> ExitCode {
    let arguments = Arguments::parse();
    let options = GeneratorOptions {
        events: arguments.events,
        scan_share: arguments.scan_share,
        literal_share: arguments.literal_share.unwrap_or(arguments.scan_share),
        seed: arguments.seed,
    };
    if let Err(error) = options.validate() {
        eprintln!("spl-bench-gen: {error}");
        return ExitCode::from(2);
    }
    let result = match &arguments.output {
        Some(path) => File::create(path).and_then(|file| generate(&options, file)),
        None => generate(&options, io::stdout().lock()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("spl-bench-gen: {error}");
            ExitCode::FAILURE
        }
    }
}
