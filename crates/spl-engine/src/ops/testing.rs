//! Helpers for operator unit tests: records from pairs, running an operator over records.

use crate::ops::Operator;
use crate::run::{ExecContext, RunError};
use crate::value::{Record, Value};
use spl_syntax::ast::Field;
use spl_syntax::Span;

/// A record from `(name, value)` pairs; a value containing `|` becomes a multivalue.
pub fn record(pairs: &[(&str, &str)]) -> Record {
    pairs
        .iter()
        .map(|(name, value)| {
            let values: Vec<String> = value.split('|').map(str::to_string).collect();
            let value = Value::from_values(values).unwrap_or(Value::Single(String::new()));
            (name.to_string(), value)
        })
        .collect()
}

/// A field node with an empty span.
pub fn field(name: &str) -> Field {
    Field {
        name: name.to_string(),
        span: Span::default(),
    }
}

/// Runs `operator` over `records`, returning its output and the run context.
pub fn run_with_context(
    operator: &dyn Operator,
    records: Vec<Record>,
) -> Result<(Vec<Record>, ExecContext), RunError> {
    let mut operator = operator.fresh();
    let mut ctx = ExecContext::default();
    let mut out = Vec::new();
    for record in records {
        operator.push(record, &mut ctx, &mut out)?;
    }
    operator.finish(&mut ctx, &mut out)?;
    Ok((out, ctx))
}

/// Runs `operator` over `records`, returning its output.
pub fn run(operator: &dyn Operator, records: Vec<Record>) -> Vec<Record> {
    match run_with_context(operator, records) {
        Ok((out, _)) => out,
        Err(error) => panic!("run failed: {error}"),
    }
}

/// The field names of `record`, in order.
pub fn names(record: &Record) -> Vec<&str> {
    record.names().collect()
}

/// The values of `name` in `record` (empty when null).
pub fn values<'a>(record: &'a Record, name: &str) -> Vec<&'a str> {
    record
        .get(name)
        .map(|v| v.values().iter().map(String::as_str).collect())
        .unwrap_or_default()
}
