//! `spl explain`: the macro-expanded search, the operator pipeline, and — with data — how
//! many records went into and out of each stage ("why didn't it fire?").

use super::common::{engine_for, Target};
use super::run::{execute, inputs_for};
use crate::args::ExplainArgs;
use crate::Failure;
use std::fmt::Write as _;

/// Runs `spl explain`.
pub fn explain(args: &ExplainArgs) -> Result<(), Failure> {
    let target = Target::load(&args.query)?;
    let (engine, _) = engine_for(&target, &args.query, args.events.geoip_db.as_deref())?;
    let query = super::common::compile(&engine, &target)?;
    let mut text = String::new();
    let _ = writeln!(text, "search (macros expanded):");
    for line in query.expanded.text.trim().lines() {
        let _ = writeln!(text, "  {}", line.trim_end());
    }
    let _ = writeln!(text, "\npipeline:");
    let counts = if args.events.data.is_empty() && !(args.with_tests && target.detection.is_some())
    {
        None
    } else {
        let inputs = inputs_for(&args.events, &target)?;
        Some(execute(&query, &inputs)?)
    };
    let width = query.plan().stages.len().to_string().len();
    for (index, stage) in query.plan().stages.iter().enumerate() {
        let _ = write!(text, "  {:>width$}. {}", index + 1, stage.description);
        if let Some(output) = &counts {
            if let Some(count) = output.stats.stages.get(index) {
                let _ = write!(
                    text,
                    "\n  {:>width$}  in {:>7}  out {:>7}",
                    "", count.records_in, count.records_out
                );
            }
        }
        text.push('\n');
    }
    if let Some(output) = &counts {
        let stats = &output.stats;
        let _ = writeln!(
            text,
            "\nevents read {}, malformed {}, dropped by a missing BY field {}, iplocation misses {}, results {}",
            stats.events_read,
            stats.malformed_events,
            stats.dropped_missing_by_field,
            stats.iplocation_misses,
            stats.results
        );
    }
    crate::out!("{text}");
    Ok(())
}
