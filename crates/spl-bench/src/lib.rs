//! Benchmark support for the SPL engine.
//!
//! The crate's one job is [`generate`]: a deterministic generator of Kubernetes audit
//! NDJSON (`audit.k8s.io/v1` `Event` objects, one per line) for benchmarking detections
//! against `spl`, DuckDB and jq. The `spl-bench-gen` binary is its command-line front end;
//! `bench/run.sh` and `BENCHMARKS.md` at the repository root use it.
//!
//! Randomness comes from a hand-written SplitMix64 ([`rng::SplitMix64`]) so that the same
//! seed and options always give byte-identical output, on every platform and release.
//!
//! Line kinds ([`event::EventKind`]) are assigned by exact quota, not by coin flips, so a
//! file of `N` events contains `floor(N × scan_share)` flagship matches (± 1):
//!
//! * **scan** — `system:anonymous` in group `system:unauthenticated`, `responseStatus.code`
//!   403, from a scanner address the test GeoIP database resolves (or a one-off private one);
//! * **near miss** — contains both literals `system:unauthenticated` and `403` but does not
//!   match (404 on an object named `…-403-…`, a 200 health probe, an authenticated user
//!   denied creating a binding for `system:unauthenticated`);
//! * **background** — authenticated traffic (service accounts, nodes, control plane, people)
//!   over realistic verbs, resources and namespaces; never contains `system:unauthenticated`.

use std::io::{self, Write};

pub mod catalog;
pub mod event;
pub mod json;
pub mod rng;
pub mod time;

use event::{write_event, EventKind};
use json::JsonWriter;
use rng::SplitMix64;

/// 2024-03-10T00:00:00Z in microseconds since the epoch: the first event's timestamp.
const START_MICROS: i64 = 1_710_028_800_000_000;

/// Mean gap between events; 10M events span about 2.3 days.
const MEAN_GAP_MICROS: u64 = 20_000;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratorOptions {
    /// Number of lines (events).
    pub events: u64,
    /// Share of events that match the flagship search (unauthenticated 403s).
    pub scan_share: f64,
    /// Share of events containing both literals `system:unauthenticated` and `403`,
    /// matching or not; must be at least `scan_share`. The difference is filled with
    /// near misses.
    pub literal_share: f64,
    /// PRNG seed.
    pub seed: u64,
}

impl Default for GeneratorOptions {
    fn default() -> Self {
        Self {
            events: 10_000,
            scan_share: 0.005,
            literal_share: 0.005,
            seed: 1,
        }
    }
}

/// Why options were rejected.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionsError {
    /// A share is not within `0..=1`.
    ShareOutOfRange(&'static str, f64),
    /// `literal_share` is below `scan_share` (every scan line contains the literals).
    LiteralBelowScan {
        /// The requested literal share.
        literal_share: f64,
        /// The requested scan share.
        scan_share: f64,
    },
}

impl std::fmt::Display for OptionsError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::ShareOutOfRange(name, value) => {
                write!(formatter, "--{name} must be between 0 and 1, got {value}")
            }
            Self::LiteralBelowScan {
                literal_share,
                scan_share,
            } => write!(
                formatter,
                "--literal-share ({literal_share}) must be at least --scan-share ({scan_share}): \
                 every scan line contains the literals"
            ),
        }
    }
}

impl std::error::Error for OptionsError {}

impl GeneratorOptions {
    /// Checks the shares.
    pub fn validate(&self) -> Result<(), OptionsError> {
        for (name, value) in [
            ("scan-share", self.scan_share),
            ("literal-share", self.literal_share),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err(OptionsError::ShareOutOfRange(name, value));
            }
        }
        if self.literal_share < self.scan_share {
            return Err(OptionsError::LiteralBelowScan {
                literal_share: self.literal_share,
                scan_share: self.scan_share,
            });
        }
        Ok(())
    }
}

/// Spreads kinds over the stream by exact quota (error diffusion), so counts are exact
/// and matches are spread evenly rather than clumped by chance.
#[derive(Debug, Default)]
struct Quota {
    scan: f64,
    near_miss: f64,
}

impl Quota {
    fn next_kind(&mut self, options: &GeneratorOptions) -> EventKind {
        self.scan += options.scan_share;
        self.near_miss += options.literal_share - options.scan_share;
        if self.scan >= 1.0 {
            self.scan -= 1.0;
            return EventKind::Scan;
        }
        if self.near_miss >= 1.0 {
            self.near_miss -= 1.0;
            return EventKind::NearMiss;
        }
        EventKind::Background
    }
}

/// Writes `options.events` NDJSON lines to `out`.
///
/// The output depends only on `options`; write errors (a closed pipe, a full disk) are
/// returned as they happen.
pub fn generate<W: Write>(options: &GeneratorOptions, out: W) -> io::Result<()> {
    options
        .validate()
        .map_err(|error| io::Error::new(io::ErrorKind::InvalidInput, error))?;
    let mut out = io::BufWriter::with_capacity(1 << 20, out);
    let mut rng = SplitMix64::new(options.seed);
    let mut writer = JsonWriter::default();
    let mut quota = Quota::default();
    let mut received_micros = START_MICROS;
    for _ in 0..options.events {
        received_micros += rng.below(2 * MEAN_GAP_MICROS) as i64;
        let kind = quota.next_kind(options);
        write_event(&mut writer, &mut rng, kind, received_micros);
        out.write_all(writer.as_str().as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
