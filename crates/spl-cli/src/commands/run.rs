//! `spl run`: a detection or ad-hoc search over event files, results on stdout, a summary
//! on stderr.

use super::common::{engine_for, fail, print_error, Target};
use crate::args::{DataArgs, RunArgs};
use crate::color::Colors;
use crate::output::{write_rows, Format};
use crate::progress::ProgressObserver;
use crate::Failure;
use spl::{EventMeta, Output, Query, ReportProblems, ScanError, ScanObserver, ScanOptions};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

pub use spl::Input;

/// Runs `spl run`.
pub fn run(args: &RunArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let target = Target::load(&args.query)?;
    let (engine, database_source) =
        engine_for(&target, &args.query, args.events.geoip_db.as_deref())?;
    let engine = args.limits.apply(engine);
    let query = super::common::compile(&engine, &target)?;
    if let Some(source) =
        database_source.filter(|s| uses_iplocation(&query) && s.is_test_database())
    {
        eprintln!(
            "note: iplocation uses the {source}; give a real GeoLite2-City \
             database with --geoip-db or SPL_GEOIP_DB"
        );
    }
    let inputs = inputs_for(&args.events, &target)?;
    let progress = ProgressObserver::new(args.progress);
    let scanned = execute_observed(&query, &inputs, &args.limits.scan_options(), &progress);
    progress.clear();
    let output = scanned?;
    let format = args.format.unwrap_or(if std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Json
    });
    let shown = &output.rows[..args.limit.unwrap_or(usize::MAX).min(output.rows.len())];
    write_results(args, shown, format)?;
    if !args.quiet {
        eprintln!("{}", summary(&output, started.elapsed()));
    }
    Ok(())
}

fn uses_iplocation(query: &Query) -> bool {
    query.plan().stages.iter().any(|s| s.name == "iplocation")
}

/// The inputs: `--data` files (labelled with `--source`/`--sourcetype` when given; without
/// `--source` each event's `source` is the file it comes from, also inside a folder), or the
/// detection's own `tests:` attack data mapped under `--attack-data` (default: the
/// `testdata/attack_data` folder of the detection's project).
pub fn inputs_for(events: &DataArgs, target: &Target) -> Result<Vec<Input>, Failure> {
    let data = &events.data;
    let source = events.source.as_deref();
    let sourcetype = events.sourcetype.as_deref();
    let attack_data = events.attack_data.as_deref();
    if !data.is_empty() {
        return Ok(data
            .iter()
            .map(|path| Input {
                path: path.clone(),
                // An empty source means "the path of each file read" (`stdin` for `-`).
                meta: meta(
                    source.map_or_else(String::new, str::to_string),
                    sourcetype.map(str::to_string),
                ),
            })
            .collect());
    }
    let Some(detection) = &target.detection else {
        print_error("--query needs --data FILE (events to search)");
        return Err(Failure::Input);
    };
    let root = attack_data
        .map(Path::to_path_buf)
        .unwrap_or_else(|| spl::default_attack_data_root(&detection.path));
    let mut inputs = detection.attack_data_under(&root).map_err(|error| {
        let hint = matches!(error, spl::Error::NoAttackData(_));
        let failure = fail(error);
        if hint {
            eprintln!("hint: give events with --data FILE");
        }
        failure
    })?;
    for input in &mut inputs {
        if let Some(source) = source {
            input.meta.source = source.to_string();
        }
        if let Some(sourcetype) = sourcetype {
            input.meta.sourcetype = sourcetype.to_string();
        }
    }
    Ok(inputs)
}

fn meta(source: String, sourcetype: Option<String>) -> EventMeta {
    EventMeta {
        source,
        sourcetype: sourcetype.unwrap_or_else(|| "_json".into()),
        ..EventMeta::default()
    }
}

/// Reads every input through the query with the default options. Malformed events are
/// reported on stderr and counted; a missing file stops the run with exit code 2, a failed
/// run with 3.
pub fn execute(query: &Query, inputs: &[Input]) -> Result<Output, Failure> {
    execute_observed(query, inputs, &ScanOptions::default(), &ReportProblems)
}

/// [`execute`] with `options`, and `observer` hearing about malformed events and progress.
pub fn execute_observed(
    query: &Query,
    inputs: &[Input],
    options: &ScanOptions,
    observer: &dyn ScanObserver,
) -> Result<Output, Failure> {
    execute_collect(query, inputs, options, observer).map_err(|(message, failure)| {
        print_error(message);
        failure
    })
}

/// Like [`execute_observed`], but a stopping problem is returned as text (for `spl test`).
pub fn execute_quietly(
    query: &Query,
    inputs: &[Input],
    options: &ScanOptions,
) -> Result<Output, String> {
    execute_collect(query, inputs, options, &ReportProblems).map_err(|(message, _)| message)
}

fn execute_collect(
    query: &Query,
    inputs: &[Input],
    options: &ScanOptions,
    observer: &dyn ScanObserver,
) -> Result<Output, (String, Failure)> {
    query
        .scan(inputs, options, observer)
        .map_err(|error| match error {
            ScanError::Input(error) => (error.to_string(), Failure::Input),
            ScanError::Run(error) => (error.to_string(), Failure::Run),
        })
}

fn write_results(args: &RunArgs, rows: &[spl::Record], format: Format) -> Result<(), Failure> {
    let result = match &args.output {
        Some(path) => std::fs::File::create(path).and_then(|file| {
            let mut out = std::io::BufWriter::new(file);
            write_rows(&mut out, rows, format, Colors::file())?;
            out.flush()
        }),
        None => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            write_rows(&mut out, rows, format, Colors::stdout()).and_then(|()| out.flush())
        }
    };
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => {
            let target = args
                .output
                .as_ref()
                .map_or("standard output".to_string(), |p| p.display().to_string());
            print_error(format!("cannot write {target}: {e}"));
            Err(Failure::Input)
        }
    }
}

/// The one-paragraph run summary printed on stderr.
pub fn summary(output: &Output, elapsed: std::time::Duration) -> String {
    let stats = &output.stats;
    let mut parts = vec![
        format!("{} events read", stats.events_read),
        format!("{} matched the first search", stats.events_matched),
        format!("{} malformed", stats.malformed_events),
    ];
    if stats.events_over_truncate > 0 {
        parts.push(format!(
            "{} longer than 10000 bytes (Splunk would truncate them: TRUNCATE = 10000)",
            stats.events_over_truncate
        ));
    }
    if stats.dropped_missing_by_field > 0 {
        parts.push(format!(
            "{} dropped by a missing BY field",
            stats.dropped_missing_by_field
        ));
    }
    parts.push(format!(
        "{} result{}",
        stats.results,
        if stats.results == 1 { "" } else { "s" }
    ));
    format!("spl: {} in {:.1?}", parts.join(", "), elapsed)
}
