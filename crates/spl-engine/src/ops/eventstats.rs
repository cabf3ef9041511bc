//! `eventstats <agg> [AS name] … [BY fields]`: adds each group's aggregates to every event
//! of the group, keeping the events and their order (§4.7).
//!
//! Blocking: the events are held, fed to a [`StatsOperator`], and emitted at end of input
//! in input order with the aggregate fields added (an existing field of the same name is
//! overwritten [U-high]). Events with a null BY field pass through unchanged [U-high]. An
//! event whose BY field is multivalue gets the aggregates of the group of its first values
//! (engine choice). Same functions and options as `stats`.

use crate::limits::{record_bytes, Held};
use crate::ops::key;
use crate::ops::stats::{self, StatsOperator};
use crate::ops::stats_arguments;
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::value::Record;
use spl_syntax::ast::{Command, GenericCommand};
use spl_syntax::Diagnostic;
use std::collections::HashMap;

/// The `eventstats` operator.
#[derive(Debug)]
pub struct EventstatsOperator {
    by_fields: Vec<String>,
    stats: StatsOperator,
    held: Vec<Record>,
    /// What the held events take in the run's memory budget.
    held_bytes: Held,
}

/// Builds the operator for `eventstats`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    _ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let arguments = stats_arguments::parse(command, generic, &[])?;
    let by_fields = arguments.stats.by.iter().map(|f| f.name.clone()).collect();
    let stats = stats::build(&arguments.stats)?.named("eventstats");
    Ok(Box::new(EventstatsOperator {
        by_fields,
        stats,
        held: Vec::new(),
        held_bytes: Held::default(),
    }))
}

/// The group key of `record` (first value of each BY field), or `None` when one is null.
fn group_key(record: &Record, by_fields: &[String]) -> Option<String> {
    let mut key = String::new();
    for field in by_fields {
        key::push_value(&mut key, record.get(field)?.first());
    }
    Some(key)
}

impl Operator for EventstatsOperator {
    fn push(
        &mut self,
        record: Record,
        ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        self.stats.push(record.clone(), ctx, out)?;
        self.held_bytes
            .add(&mut ctx.memory, "eventstats", record_bytes(&record))?;
        self.held.push(record);
        Ok(())
    }

    fn finish(&mut self, ctx: &mut ExecContext, out: &mut Vec<Record>) -> Result<(), RunError> {
        self.held_bytes.release(&mut ctx.memory);
        if self.held.is_empty() {
            return Ok(());
        }
        let mut rows = Vec::new();
        self.stats.finish(ctx, &mut rows)?;
        let mut by_key: HashMap<String, Record> = HashMap::new();
        for mut row in rows {
            if let Some(key) = group_key(&row, &self.by_fields) {
                for field in &self.by_fields {
                    row.remove(field);
                }
                by_key.insert(key, row);
            }
        }
        for mut record in self.held.drain(..) {
            let aggregates = group_key(&record, &self.by_fields).and_then(|k| by_key.get(&k));
            if let Some(aggregates) = aggregates {
                for (name, value) in aggregates.iter() {
                    record.insert(name, value.clone());
                }
            }
            out.push(record);
        }
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(EventstatsOperator {
            by_fields: self.by_fields.clone(),
            stats: self.stats.fresh_stats(),
            held: Vec::new(),
            held_bytes: Held::default(),
        })
    }
}
