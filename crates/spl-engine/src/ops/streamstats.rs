//! `streamstats [window=N] [current=<bool>] [global=<bool>] [reset_on_change=<bool>]
//! <agg> [AS name] … [BY fields]`: running aggregates added to each event, in order.
//!
//! Streaming, order kept. The aggregations are those of `stats` (same functions and naming).
//! Each event gets the aggregates of the events of its group seen so far: including itself
//! with `current=true` (the default), excluding it with `current=false`.
//!
//! * `window=N` (default 0 = all): only the last N events count (with `current=true`, the
//!   event itself and the N−1 before it). With BY, `global=true` (default) means the last N
//!   events of the whole stream, of which those of the group count; `global=false` means the
//!   last N events of the group.
//! * `reset_on_change=true`: when the BY values differ from the previous event's, all
//!   running state starts again.
//! * An event with a null BY field passes through without new fields (as `eventstats`); a
//!   multivalue BY field counts by its first value (engine choice).
//! * An aggregate with no result (for example `avg` of no numbers) leaves its field as it
//!   was.

use crate::eval::EvalContext;
use crate::limits::{key_bytes, record_bytes, Held, ACCUMULATOR_BYTES, GROUP_OVERHEAD};
use crate::ops::arguments::{bad_value, bool_value, count_value};
use crate::ops::key;
use crate::ops::stats::accumulators::Accumulator;
use crate::ops::stats::{column, Column};
use crate::ops::stats_arguments;
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::value::{parse_number, Record};
use spl_syntax::ast::{Command, GenericCommand};
use spl_syntax::Diagnostic;
use std::collections::{HashMap, VecDeque};

/// Options of `streamstats`.
const OPTIONS: &[&str] = &["window", "current", "global", "reset_on_change"];

/// The `streamstats` operator.
#[derive(Debug)]
pub struct StreamstatsOperator {
    by_fields: Vec<String>,
    columns: Vec<Column>,
    window: usize,
    current: bool,
    global: bool,
    reset_on_change: bool,
    needs_time: bool,
    running: HashMap<String, Vec<Box<dyn Accumulator>>>,
    recent: VecDeque<(String, Record)>,
    recent_by_group: HashMap<String, VecDeque<Record>>,
    last_key: Option<String>,
    /// What the groups and windows take in the run's memory budget.
    held: Held,
}

/// Bytes one event made the operator hold more and less.
struct Change {
    added: u64,
    removed: u64,
}

/// Approximate bytes `accumulators` keep beyond their fixed size.
fn held_bytes(accumulators: &[Box<dyn Accumulator>]) -> u64 {
    accumulators.iter().map(|a| a.held_bytes()).sum()
}

/// Builds the operator for `streamstats`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    _ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let arguments = stats_arguments::parse(command, generic, OPTIONS)?;
    let mut errors: Vec<Diagnostic> = arguments
        .stats
        .options
        .iter()
        .map(|o| {
            Diagnostic::error(
                "spl::plan::unknown_option",
                format!("`streamstats` has no option `{}`", o.name.node),
                o.name.span,
            )
            .with_help(format!("`streamstats` options: {}", OPTIONS.join(", ")))
        })
        .collect();
    let mut columns = Vec::new();
    for aggregation in &arguments.stats.aggregations {
        match column(aggregation) {
            Ok(column) => columns.push(column),
            Err(error) => errors.push(error),
        }
    }
    let mut operator = StreamstatsOperator {
        by_fields: arguments.stats.by.iter().map(|f| f.name.clone()).collect(),
        needs_time: columns.iter().any(Column::needs_time),
        columns,
        window: 0,
        current: true,
        global: true,
        reset_on_change: false,
        running: HashMap::new(),
        recent: VecDeque::new(),
        recent_by_group: HashMap::new(),
        last_key: None,
        held: Held::default(),
    };
    for option in &arguments.options {
        let name = option.name.node.to_ascii_lowercase();
        let result = match name.as_str() {
            "window" => count_value(option).and_then(|n| {
                usize::try_from(n)
                    .map(|n| operator.window = n)
                    .map_err(|_| bad_value(option, "a smaller window"))
            }),
            "current" => bool_value(option).map(|b| operator.current = b),
            "global" => bool_value(option).map(|b| operator.global = b),
            _ => bool_value(option).map(|b| operator.reset_on_change = b),
        };
        if let Err(error) = result {
            errors.push(error);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Box::new(operator))
}

impl StreamstatsOperator {
    /// The group key of `record`, or `None` when a BY field is null.
    fn group_key(&self, record: &Record) -> Option<String> {
        let mut key = String::new();
        for field in &self.by_fields {
            key::push_value(&mut key, record.get(field)?.first());
        }
        Some(key)
    }

    /// `_time` as a number when a function needs it.
    fn time(&self, record: &Record) -> Option<f64> {
        if !self.needs_time {
            return None;
        }
        record.get("_time").and_then(|t| parse_number(t.first()))
    }

    fn fresh_accumulators(&self) -> Vec<Box<dyn Accumulator>> {
        self.columns.iter().map(Column::accumulator).collect()
    }

    /// Feeds `record` into `accumulators`.
    fn feed(&self, accumulators: &mut [Box<dyn Accumulator>], record: &Record, ctx: &EvalContext) {
        let time = self.time(record);
        for (column, accumulator) in self.columns.iter().zip(accumulators.iter_mut()) {
            column.feed(record, ctx, accumulator.as_mut(), time);
        }
    }

    /// Sets the aggregate fields of `record` from `accumulators`.
    fn write(&self, record: &mut Record, accumulators: &[Box<dyn Accumulator>]) {
        for (column, accumulator) in self.columns.iter().zip(accumulators) {
            if let Some(value) = accumulator.finish() {
                record.insert(column.output_name(), value);
            }
        }
    }

    /// Running aggregates over everything seen in the group; returns the bytes the groups
    /// hold now that they did not before.
    fn unbounded(&mut self, key: String, record: &mut Record, ctx: &EvalContext) -> Change {
        let (mut accumulators, mut added) = match self.running.remove(&key) {
            Some(accumulators) => (accumulators, 0),
            None => (
                self.fresh_accumulators(),
                GROUP_OVERHEAD + key_bytes(&key) + self.columns.len() as u64 * ACCUMULATOR_BYTES,
            ),
        };
        let before = held_bytes(&accumulators);
        if self.current {
            self.feed(&mut accumulators, record, ctx);
            self.write(record, &accumulators);
        } else {
            self.write(record, &accumulators);
            self.feed(&mut accumulators, record, ctx);
        }
        added += held_bytes(&accumulators).saturating_sub(before);
        self.running.insert(key, accumulators);
        Change { added, removed: 0 }
    }

    /// Aggregates over the last `window` events; returns the bytes the windows hold more
    /// and less.
    fn windowed(&mut self, key: String, record: &mut Record, ctx: &EvalContext) -> Change {
        let previous = if self.current {
            self.window - 1
        } else {
            self.window
        };
        let mut accumulators = self.fresh_accumulators();
        if self.global {
            let start = self.recent.len().saturating_sub(previous);
            for (other_key, other) in self.recent.iter().skip(start) {
                if *other_key == key {
                    self.feed(&mut accumulators, other, ctx);
                }
            }
        } else if let Some(recent) = self.recent_by_group.get(&key) {
            let start = recent.len().saturating_sub(previous);
            for other in recent.iter().skip(start) {
                self.feed(&mut accumulators, other, ctx);
            }
        }
        if self.current {
            self.feed(&mut accumulators, record, ctx);
        }
        let original = record.clone();
        self.write(record, &accumulators);
        let mut change = Change {
            added: record_bytes(&original),
            removed: 0,
        };
        if self.global {
            change.added += key_bytes(&key);
            self.recent.push_back((key, original));
            if self.recent.len() > self.window {
                if let Some((old_key, old)) = self.recent.pop_front() {
                    change.removed = key_bytes(&old_key) + record_bytes(&old);
                }
            }
        } else {
            if !self.recent_by_group.contains_key(&key) {
                change.added += key_bytes(&key);
            }
            let recent = self.recent_by_group.entry(key).or_default();
            recent.push_back(original);
            if recent.len() > self.window {
                change.removed = recent.pop_front().as_ref().map_or(0, record_bytes);
            }
        }
        change
    }
}

impl Operator for StreamstatsOperator {
    fn push(
        &mut self,
        mut record: Record,
        ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        let Some(key) = self.group_key(&record) else {
            out.push(record);
            return Ok(());
        };
        if self.reset_on_change && self.last_key.as_ref().is_some_and(|last| *last != key) {
            self.running.clear();
            self.recent.clear();
            self.recent_by_group.clear();
            self.held.release(&mut ctx.memory);
        }
        self.last_key = Some(key.clone());
        let eval_context = EvalContext { now: ctx.now };
        let change = if self.window == 0 {
            self.unbounded(key, &mut record, &eval_context)
        } else {
            self.windowed(key, &mut record, &eval_context)
        };
        out.push(record);
        self.held.remove(&mut ctx.memory, change.removed);
        self.held.add(&mut ctx.memory, "streamstats", change.added)
    }

    fn finish(&mut self, ctx: &mut ExecContext, _out: &mut Vec<Record>) -> Result<(), RunError> {
        self.held.release(&mut ctx.memory);
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(StreamstatsOperator {
            by_fields: self.by_fields.clone(),
            columns: self.columns.clone(),
            window: self.window,
            current: self.current,
            global: self.global,
            reset_on_change: self.reset_on_change,
            needs_time: self.needs_time,
            running: HashMap::new(),
            recent: VecDeque::new(),
            recent_by_group: HashMap::new(),
            last_key: None,
            held: Held::default(),
        })
    }
}
