//! Measures JSON event extraction throughput over an NDJSON file, with and without
//! projection:
//!
//! ```text
//! cargo run --release -p spl-engine --example extract_throughput -- FILE [ROUNDS] [FIELD,...] [MODE]
//! ```
//!
//! Prints MB/s (bytes of event text per second of CPU time, best of `ROUNDS`) for full extraction and for
//! extraction projected to the given fields (default: `verb,user.username`, the fields of
//! `stats count values(verb) by user.username`). `MODE` `full` or `projected` measures only
//! one of them (for a profiler). CPU time is the thread's time on a CPU where Linux reports
//! it (`/proc/thread-self/schedstat`), so waiting for a busy CPU does not count; elsewhere it
//! is wall time.

use spl_engine::event::{record_from_json_projected, EventMeta, ExtractOptions};
use spl_engine::projection::FieldSelection;
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut arguments = std::env::args().skip(1);
    let path = arguments
        .next()
        .ok_or("usage: extract_throughput FILE [ROUNDS] [FIELDS]")?;
    let rounds: usize = arguments.next().map_or(Ok(3), |text| text.parse())?;
    let fields = arguments
        .next()
        .unwrap_or_else(|| "verb,user.username".to_string());
    let mode = arguments.next().unwrap_or_default();
    let text = std::fs::read_to_string(&path)?;
    let lines: Vec<&str> = text.lines().filter(|line| !line.is_empty()).collect();
    let bytes: usize = lines.iter().map(|line| line.len()).sum();
    let projected = FieldSelection::only(fields.split(','));
    for (name, selection) in [("full", FieldSelection::all()), ("projected", projected)] {
        if !mode.is_empty() && mode != name {
            continue;
        }
        let best = (0..rounds)
            .map(|_| time_extraction(&lines, &selection))
            .min()
            .unwrap_or_default();
        let megabytes_per_second = bytes as f64 / best.as_secs_f64() / 1e6;
        println!(
            "{name:>9}: {megabytes_per_second:8.1} MB/s ({:.3} s for {} events, {bytes} bytes)",
            best.as_secs_f64(),
            lines.len()
        );
    }
    Ok(())
}

/// Extracts every line once; the time taken.
fn time_extraction(lines: &[&str], selection: &FieldSelection) -> Duration {
    let meta = EventMeta::default();
    let options = ExtractOptions::default();
    let start = Instant::now();
    let cpu_start = cpu_time();
    let mut fields = 0usize;
    for line in lines {
        if let Ok(record) = record_from_json_projected(line, &meta, &options, selection) {
            fields += record.len();
        }
    }
    let elapsed = match (cpu_start, cpu_time()) {
        (Some(cpu_start), Some(cpu_end)) => cpu_end.saturating_sub(cpu_start),
        _ => start.elapsed(),
    };
    std::hint::black_box(fields);
    elapsed
}

/// The time this thread has spent on a CPU, where Linux reports it.
fn cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanoseconds = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanoseconds))
}
