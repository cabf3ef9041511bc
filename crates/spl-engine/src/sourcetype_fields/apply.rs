//! Applying one stanza to one event.

use super::Alias;
use crate::eval::{CompiledExpr, EvalContext, EvalValue};
use crate::value::{Record, Value};

/// Applies `aliases` in order; each reads the event as it was before the first one ran.
pub fn aliases<'a>(aliases: impl Iterator<Item = &'a Alias>, record: &mut Record) {
    let changes: Vec<(&str, Option<Value>)> = aliases
        .filter_map(|alias| alias_change(alias, record))
        .collect();
    write(changes, record);
}

/// The change one alias makes to the unaliased event: `Some(value)` sets the target,
/// `None` removes it; no change at all for `ASNEW` onto an existing field.
fn alias_change<'a>(alias: &'a Alias, record: &Record) -> Option<(&'a str, Option<Value>)> {
    if alias.keep_existing && record.contains(&alias.target) {
        return None;
    }
    let value = record.get(&alias.source).cloned();
    if alias.keep_existing && value.is_none() {
        return None;
    }
    Some((alias.target.as_str(), value))
}

/// Evaluates every `(field, expression)` against the event as it is now, then writes all
/// results: no expression sees another's result.
pub fn evals<'a>(
    evals: impl Iterator<Item = (&'a String, &'a CompiledExpr)>,
    record: &mut Record,
    ctx: &EvalContext,
) {
    let changes: Vec<(&str, Option<Value>)> = evals
        .map(|(field, expr)| (field.as_str(), evaluate(expr, record, ctx)))
        .collect();
    write(changes, record);
}

/// The value of one calculated field: a bare field reference copies the value as it is;
/// null and Boolean results give no field (as `eval`).
fn evaluate(expr: &CompiledExpr, record: &Record, ctx: &EvalContext) -> Option<Value> {
    if let Some(source) = expr.as_field() {
        return record.get(source).cloned();
    }
    match expr.evaluate(record, ctx) {
        EvalValue::Bool(_) => None,
        other => other.into_value(),
    }
}

fn write(changes: Vec<(&str, Option<Value>)>, record: &mut Record) {
    for (field, value) in changes {
        match value {
            Some(value) => record.insert(field, value),
            None => {
                record.remove(field);
            }
        }
    }
}
