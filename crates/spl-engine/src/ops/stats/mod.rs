//! `stats <agg> [AS name] … [BY fields]` (§4).
//!
//! Blocking. One hash map goes from the encoded BY values of a group to the group's
//! accumulators; each event is probed with a reused key buffer, so only new groups allocate.
//!
//! * An event with a null BY field is ignored and counted in
//!   [`RunStats::dropped_missing_by_field`](crate::run::RunStats).
//! * A multivalue BY field puts the event in one group per value; several multivalue BY
//!   fields give every combination. Duplicate values count once per occurrence unless
//!   `dedup_splitvals=true`.
//! * Aggregations see every value of a multivalue field. `func(eval(expr))` sees the
//!   expression's value per event (`true` counts as one value, `false` and null as none).
//!
//! Output: one row per group with the BY fields first (clause order), then the
//! aggregations in written order (an absent result leaves the field out). Rows are sorted
//! ascending by the BY values left to right with auto collation
//! ([`crate::value::compare_auto`]), ties broken by byte order.
//! Without BY there is exactly one row, even for no input (`count=0`, `dc=0`).
//!
//! A wildcard argument (`values(*) AS *`, `avg(tcp.*) AS avg_tcp.*`) expands per group to
//! one column per matching field seen in the group's events, in the order the fields first
//! appeared in the input; see [`wildcard_column`] for names and matching rules. The
//! expanded columns take the wildcard aggregation's place among the written ones.

pub mod accumulators;
pub mod functions;
pub mod wildcard_column;

use crate::eval::{compile, CompiledExpr, EvalContext, EvalValue};
use crate::limits::{
    key_bytes, text_bytes, Held, ACCUMULATOR_BYTES, ENTRY_OVERHEAD, GROUP_OVERHEAD,
};
use crate::ops::key;
use crate::ops::Operator;
use crate::run::{ExecContext, RunError};
use crate::value::{compare_auto, format_number, parse_number, Record, Value};
use accumulators::Accumulator;
use functions::{known_names, lookup, Function};
use spl_syntax::ast::{Aggregation, AggregationArgument, Stats};
use spl_syntax::diagnostic::did_you_mean;
use spl_syntax::Diagnostic;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use wildcard_column::WildcardColumn;

/// What one aggregation reads from each event.
#[derive(Clone, Debug)]
enum Input {
    /// Plain `count`: one update per event.
    Event,
    /// `func(field)`: every value of the field.
    Field(String),
    /// `func(eval(expr))`: the expression's value(s).
    Eval(CompiledExpr),
}

/// One aggregation, resolved (also used by `streamstats`).
#[derive(Clone, Debug)]
pub struct Column {
    function: Function,
    input: Input,
    output_name: String,
}

/// The values one event contributes to one aggregation.
enum EventValues<'a> {
    /// One update with no value (plain `count`).
    Once,
    /// Values borrowed from the record.
    Borrowed(&'a [String]),
    /// Values computed by `eval`.
    Owned(Vec<String>),
}

impl EventValues<'_> {
    /// Feeds these values to `accumulator`.
    fn feed(&self, accumulator: &mut dyn Accumulator, time: Option<f64>) {
        let values: &[String] = match self {
            EventValues::Once => {
                accumulator.update("", time);
                return;
            }
            EventValues::Borrowed(values) => values,
            EventValues::Owned(values) => values,
        };
        for value in values {
            accumulator.update(value, time);
        }
    }
}

/// One aggregation of `stats`: a plain one or a wildcard one.
#[derive(Clone, Debug)]
enum StatsColumn {
    /// `func`, `func(field)`, `func(eval(…))`.
    Plain(Column),
    /// `func(pattern*)`: one column per matching field.
    Wildcard(WildcardColumn),
}

impl StatsColumn {
    /// True when the function reads `_time`.
    fn needs_time(&self) -> bool {
        match self {
            StatsColumn::Plain(column) => column.needs_time(),
            StatsColumn::Wildcard(column) => column.function().needs_time(),
        }
    }
}

/// A group's state for one aggregation.
#[derive(Debug)]
enum Slot {
    /// A plain aggregation's accumulator.
    Single(Box<dyn Accumulator>),
    /// A wildcard aggregation's accumulators, keyed by field number (first appearance).
    Expanded(BTreeMap<usize, Box<dyn Accumulator>>),
}

/// What one event contributes to one aggregation.
enum ColumnValues<'a> {
    /// A plain aggregation's values.
    Single(EventValues<'a>),
    /// A wildcard aggregation's function and the values of each matching field (by number).
    Expanded(Function, Vec<(usize, &'a [String])>),
}

/// The field names seen by wildcard aggregations, numbered in order of first appearance.
#[derive(Debug, Default)]
struct FieldRegistry {
    numbers: HashMap<String, usize>,
    names: Vec<String>,
}

impl FieldRegistry {
    /// The number of field `name`, assigning the next one on first sight.
    fn number(&mut self, name: &str) -> usize {
        if let Some(number) = self.numbers.get(name) {
            return *number;
        }
        let number = self.names.len();
        self.names.push(name.to_string());
        self.numbers.insert(name.to_string(), number);
        number
    }

    /// The name of field `number`.
    fn name(&self, number: usize) -> &str {
        self.names.get(number).map_or("", String::as_str)
    }
}

/// One group: its BY values and its state (one slot per aggregation).
#[derive(Debug)]
struct Group {
    by_values: Vec<String>,
    slots: Vec<Slot>,
}

/// The `stats` operator.
#[derive(Debug)]
pub struct StatsOperator {
    by_fields: Vec<String>,
    columns: Vec<StatsColumn>,
    dedup_splitvals: bool,
    needs_time: bool,
    groups: HashMap<String, Group, foldhash::fast::RandomState>,
    key_buffer: String,
    fields: FieldRegistry,
    /// The command named when the memory limit is hit (`stats`, or `eventstats` inside it).
    command: &'static str,
    /// What the groups hold in the run's memory budget.
    held: Held,
}

/// Builds the operator for `stats`, reporting every unknown function or bad option.
pub fn build(stats: &Stats) -> Result<StatsOperator, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut columns = Vec::new();
    for aggregation in &stats.aggregations {
        match stats_column(aggregation) {
            Ok(column) => columns.push(column),
            Err(error) => errors.push(error),
        }
    }
    let mut dedup_splitvals = false;
    for option in &stats.options {
        match option_value(option) {
            Ok(value) => dedup_splitvals = value,
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(StatsOperator {
        by_fields: stats.by.iter().map(|f| f.name.clone()).collect(),
        needs_time: columns.iter().any(StatsColumn::needs_time),
        columns,
        dedup_splitvals,
        groups: HashMap::default(),
        key_buffer: String::new(),
        fields: FieldRegistry::default(),
        command: "stats",
        held: Held::default(),
    })
}

/// Resolves one `stats` aggregation, accepting a wildcard argument.
fn stats_column(aggregation: &Aggregation) -> Result<StatsColumn, Diagnostic> {
    let Some(AggregationArgument::Field(field)) = &aggregation.argument else {
        return column(aggregation).map(StatsColumn::Plain);
    };
    if !field.is_wildcard() {
        return column(aggregation).map(StatsColumn::Plain);
    }
    let Some((_, function)) = lookup(&aggregation.function.node) else {
        return column(aggregation).map(StatsColumn::Plain);
    };
    Ok(StatsColumn::Wildcard(WildcardColumn::new(
        function,
        aggregation,
        field,
    )))
}

/// Resolves one aggregation: function name, argument. A wildcard argument is an error
/// (`spl::plan::unsupported_wildcard`); `stats` and `eventstats` accept it through their own
/// builder, `streamstats` does not.
pub fn column(aggregation: &Aggregation) -> Result<Column, Diagnostic> {
    let name = &aggregation.function;
    let Some((spec, function)) = lookup(&name.node) else {
        let mut error = Diagnostic::error(
            "spl::plan::unknown_function",
            format!("`{}` is not a stats function", name.node),
            name.span,
        );
        if let Some(suggestion) = did_you_mean(&name.node, known_names()) {
            error = error.with_label(format!("did you mean `{suggestion}`?"));
        }
        return Err(error.with_help("percentiles are written perc<N>, p<N>, exactperc<N>"));
    };
    let input = match &aggregation.argument {
        None if spec.needs_argument => {
            return Err(Diagnostic::error(
                "spl::plan::missing_argument",
                format!(
                    "`{}` needs a field, as in `{}`",
                    name.node, spec.example.aggregation
                ),
                name.span,
            ))
        }
        None => Input::Event,
        Some(AggregationArgument::Field(field)) if field.is_wildcard() => {
            return Err(Diagnostic::error(
                "spl::plan::unsupported_wildcard",
                format!(
                    "wildcard arguments such as `{}` are not supported yet",
                    field.name
                ),
                field.span,
            ))
        }
        Some(AggregationArgument::Field(field)) => Input::Field(field.name.clone()),
        Some(AggregationArgument::Eval(expr)) => Input::Eval(compile(expr)?),
    };
    Ok(Column {
        function,
        input,
        output_name: aggregation.output_name(),
    })
}

/// Reads a `stats` option; only `dedup_splitvals=<bool>` is supported.
fn option_value(option: &spl_syntax::ast::CommandOption) -> Result<bool, Diagnostic> {
    if !option.name.node.eq_ignore_ascii_case("dedup_splitvals") {
        return Err(Diagnostic::error(
            "spl::plan::unsupported_option",
            format!("`stats` option `{}` is not supported yet", option.name.node),
            option.name.span,
        ));
    }
    match option.value.node.to_ascii_lowercase().as_str() {
        "true" | "t" | "1" | "yes" => Ok(true),
        "false" | "f" | "0" | "no" => Ok(false),
        other => Err(Diagnostic::error(
            "spl::plan::bad_option_value",
            format!("`dedup_splitvals` takes true or false, not `{other}`"),
            option.value.span,
        )),
    }
}

impl Column {
    /// The output field name.
    pub fn output_name(&self) -> &str {
        &self.output_name
    }

    /// A fresh accumulator for this aggregation.
    pub fn accumulator(&self) -> Box<dyn Accumulator> {
        self.function.accumulator()
    }

    /// True when the function reads `_time`.
    pub fn needs_time(&self) -> bool {
        self.function.needs_time()
    }

    /// Feeds what `record` contributes to this aggregation into `accumulator`.
    pub fn feed(
        &self,
        record: &Record,
        eval_context: &EvalContext,
        accumulator: &mut dyn Accumulator,
        time: Option<f64>,
    ) {
        plain_values(self, record, eval_context).feed(accumulator, time);
    }
}

/// The strings an `eval(…)` argument contributes.
fn eval_values(value: EvalValue) -> Vec<String> {
    match value {
        EvalValue::Null | EvalValue::Bool(false) => Vec::new(),
        EvalValue::Bool(true) => vec!["true".to_string()],
        EvalValue::Number(n) => vec![format_number(n)],
        EvalValue::Str(s) => vec![s],
        EvalValue::Multi(values) => values,
    }
}

impl StatsOperator {
    /// A new operator in its initial state, with the same configuration.
    pub fn fresh_stats(&self) -> StatsOperator {
        StatsOperator {
            by_fields: self.by_fields.clone(),
            columns: self.columns.clone(),
            dedup_splitvals: self.dedup_splitvals,
            needs_time: self.needs_time,
            groups: HashMap::default(),
            key_buffer: String::new(),
            fields: FieldRegistry::default(),
            command: self.command,
            held: Held::default(),
        }
    }

    /// The same operator, naming `command` when the memory limit is hit.
    pub fn named(mut self, command: &'static str) -> StatsOperator {
        self.command = command;
        self
    }

    /// The BY values of `record`, or `None` when a BY field is null.
    fn by_values<'a>(&self, record: &'a Record) -> Option<Vec<&'a [String]>> {
        self.by_fields
            .iter()
            .map(|field| record.get(field).map(Value::values))
            .collect()
    }

    /// What `record` contributes to each column.
    fn event_values<'a>(&mut self, record: &'a Record, ctx: &ExecContext) -> Vec<ColumnValues<'a>> {
        let eval_context = EvalContext { now: ctx.now };
        let mut inputs = Vec::with_capacity(self.columns.len());
        for column in &self.columns {
            let input = match column {
                StatsColumn::Plain(column) => {
                    ColumnValues::Single(plain_values(column, record, &eval_context))
                }
                StatsColumn::Wildcard(column) => {
                    let matched = record
                        .iter()
                        .filter(|(name, _)| column.matches(name, &self.by_fields))
                        .map(|(name, value)| (self.fields.number(name), value.values()))
                        .collect();
                    ColumnValues::Expanded(column.function(), matched)
                }
            };
            inputs.push(input);
        }
        inputs
    }

    /// A group with fresh accumulators.
    fn new_group(&self, by_values: Vec<String>) -> Group {
        Group {
            by_values,
            slots: self
                .columns
                .iter()
                .map(|column| match column {
                    StatsColumn::Plain(column) => Slot::Single(column.accumulator()),
                    StatsColumn::Wildcard(_) => Slot::Expanded(BTreeMap::new()),
                })
                .collect(),
        }
    }

    /// Feeds one event to the group whose BY values are `combination`; returns the bytes
    /// the groups hold now that they did not before (a new group, new kept values).
    fn update_group(
        &mut self,
        combination: &[&str],
        inputs: &[ColumnValues<'_>],
        time: Option<f64>,
    ) -> u64 {
        self.key_buffer.clear();
        for value in combination {
            key::push_value(&mut self.key_buffer, value);
        }
        let mut added = 0;
        if !self.groups.contains_key(self.key_buffer.as_str()) {
            let group = self.new_group(combination.iter().map(|v| v.to_string()).collect());
            added += GROUP_OVERHEAD
                + key_bytes(&self.key_buffer)
                + combination.iter().map(|v| text_bytes(v)).sum::<u64>()
                + group.slots.len() as u64 * ACCUMULATOR_BYTES;
            self.groups.insert(self.key_buffer.clone(), group);
        }
        let Some(group) = self.groups.get_mut(self.key_buffer.as_str()) else {
            return added;
        };
        let before = group_held_bytes(group);
        for (slot, input) in group.slots.iter_mut().zip(inputs) {
            feed_slot(slot, input, time);
        }
        added + group_held_bytes(group).saturating_sub(before)
    }

    /// Turns a group into its output row.
    fn row(&self, group: &Group) -> Record {
        let mut row = Record::new();
        for (field, value) in self.by_fields.iter().zip(&group.by_values) {
            row.insert(field.clone(), value.as_str());
        }
        for (column, slot) in self.columns.iter().zip(&group.slots) {
            match (column, slot) {
                (StatsColumn::Plain(column), Slot::Single(accumulator)) => {
                    if let Some(value) = accumulator.finish() {
                        row.insert(column.output_name.clone(), value);
                    }
                }
                (StatsColumn::Wildcard(column), Slot::Expanded(accumulators)) => {
                    for (number, accumulator) in accumulators {
                        let name = column.output_name(self.fields.name(*number));
                        if self.by_fields.contains(&name) {
                            continue;
                        }
                        if let Some(value) = accumulator.finish() {
                            row.insert(name, value);
                        }
                    }
                }
                _ => {}
            }
        }
        row
    }
}

/// What `record` contributes to the plain aggregation `column`.
fn plain_values<'a>(
    column: &Column,
    record: &'a Record,
    eval_context: &EvalContext,
) -> EventValues<'a> {
    match &column.input {
        Input::Event => EventValues::Once,
        Input::Field(name) => EventValues::Borrowed(record.get(name).map_or(&[], Value::values)),
        Input::Eval(expr) => EventValues::Owned(eval_values(expr.evaluate(record, eval_context))),
    }
}

/// Approximate bytes a group's accumulators keep beyond their fixed size.
fn group_held_bytes(group: &Group) -> u64 {
    group
        .slots
        .iter()
        .map(|slot| match slot {
            Slot::Single(accumulator) => accumulator.held_bytes(),
            Slot::Expanded(accumulators) => accumulators
                .values()
                .map(|accumulator| ACCUMULATOR_BYTES + ENTRY_OVERHEAD + accumulator.held_bytes())
                .sum(),
        })
        .sum()
}

/// Feeds one event's contribution to one aggregation into the group's slot.
fn feed_slot(slot: &mut Slot, input: &ColumnValues<'_>, time: Option<f64>) {
    match (slot, input) {
        (Slot::Single(accumulator), ColumnValues::Single(values)) => {
            values.feed(accumulator.as_mut(), time);
        }
        (Slot::Expanded(accumulators), ColumnValues::Expanded(function, fields)) => {
            for (number, values) in fields {
                let accumulator = accumulators
                    .entry(*number)
                    .or_insert_with(|| function.accumulator());
                for value in *values {
                    accumulator.update(value, time);
                }
            }
        }
        _ => {}
    }
}

/// Index positions of the next combination (odometer, last field fastest); false when done.
fn advance(positions: &mut [usize], by_values: &[&[String]]) -> bool {
    for (position, values) in positions.iter_mut().zip(by_values).rev() {
        *position += 1;
        if *position < values.len() {
            return true;
        }
        *position = 0;
    }
    false
}

/// True when the value at `position` already appeared earlier in the same multivalue.
fn repeats_earlier(values: &[String], position: usize) -> bool {
    let Some(value) = values.get(position) else {
        return false;
    };
    values.iter().take(position).any(|earlier| earlier == value)
}

/// Ascending by BY values (auto collation), then byte order for a total order.
fn compare_groups(a: &Group, b: &Group) -> Ordering {
    for (x, y) in a.by_values.iter().zip(&b.by_values) {
        let ordering = compare_auto(x, y).then_with(|| x.as_bytes().cmp(y.as_bytes()));
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}

impl Operator for StatsOperator {
    fn push(
        &mut self,
        record: Record,
        ctx: &mut ExecContext,
        _out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        let Some(by_values) = self.by_values(&record) else {
            ctx.stats.dropped_missing_by_field += 1;
            return Ok(());
        };
        let inputs = self.event_values(&record, ctx);
        let time = if self.needs_time {
            record.get("_time").and_then(|t| parse_number(t.first()))
        } else {
            None
        };
        // One BY value (the usual case): its group, without enumerating combinations.
        if let [[single]] = by_values.as_slice() {
            let added = self.update_group(&[single.as_str()], &inputs, time);
            if added == 0 {
                return Ok(());
            }
            return self.held.add(&mut ctx.memory, self.command, added);
        }
        let mut positions = vec![0; by_values.len()];
        let mut combination: Vec<&str> = Vec::with_capacity(by_values.len());
        let mut added = 0;
        loop {
            let skip = self.dedup_splitvals
                && positions
                    .iter()
                    .zip(&by_values)
                    .any(|(position, values)| repeats_earlier(values, *position));
            if !skip {
                combination.clear();
                for (position, values) in positions.iter().zip(&by_values) {
                    combination.push(values.get(*position).map_or("", String::as_str));
                }
                added += self.update_group(&combination, &inputs, time);
            }
            if !advance(&mut positions, &by_values) {
                break;
            }
        }
        if added == 0 {
            return Ok(());
        }
        self.held.add(&mut ctx.memory, self.command, added)
    }

    fn finish(&mut self, ctx: &mut ExecContext, out: &mut Vec<Record>) -> Result<(), RunError> {
        if self.by_fields.is_empty() && self.groups.is_empty() {
            let group = self.new_group(Vec::new());
            self.groups.insert(String::new(), group);
        }
        let mut groups: Vec<Group> = self.groups.drain().map(|(_, group)| group).collect();
        groups.sort_by(compare_groups);
        out.extend(groups.iter().map(|group| self.row(group)));
        self.held.release(&mut ctx.memory);
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(self.fresh_stats())
    }
}

#[cfg(test)]
mod tests;
