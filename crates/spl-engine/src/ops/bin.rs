//! `bin [span=<n>[<unit>]] <field> [AS <new>]`; `bucket` is the same command (§6.12).
//!
//! Streaming, order kept. Each value becomes the lower bound of its bin,
//! `floor(v / span) * span`, so bins align to 0 (for `_time`: the epoch, UTC; day spans
//! align to UTC midnight, engine choice). `_time` stays a number; any other field becomes the range
//! text `lo-hi` [U-med]. Units: `s`/`sec`/`second(s)`, `m`/`min`/`minute(s)`,
//! `h`/`hr`/`hour(s)`, `d`/`day(s)`; no unit means the field's own unit (seconds for `_time`).
//! A non-numeric value is left unchanged; a missing field stays missing.
//!
//! Not supported yet (`spl::plan::unsupported_option`): `bins`, `minspan`, `start`, `end`,
//! `aligntime`; month and sub-second spans are `spl::plan::bad_option_value`.

use crate::ops::arguments::{bad_value, is_word, missing, single_field, text_of, Arguments};
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::value::{format_number, parse_number, Record, Value};
use spl_syntax::ast::{Command, GenericCommand};
use spl_syntax::Diagnostic;

/// The `bin` operator.
#[derive(Clone, Debug)]
pub struct BinOperator {
    field: String,
    target: String,
    span: f64,
}

/// Options `bin` knows but does not run yet.
const UNSUPPORTED: &[&str] = &["bins", "minspan", "start", "end", "aligntime"];

/// Builds the operator for `bin`/`bucket`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    _ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let arguments = Arguments::new(generic);
    let mut known = vec!["span"];
    known.extend_from_slice(UNSUPPORTED);
    let mut errors = arguments.check_options(&command.name.node, &known);
    for option in &arguments.options {
        if UNSUPPORTED
            .iter()
            .any(|u| option.name.node.eq_ignore_ascii_case(u))
        {
            errors.push(Diagnostic::error(
                "spl::plan::unsupported_option",
                format!(
                    "`{}` option `{}` is not supported yet; use `span=`",
                    command.name.node, option.name.node
                ),
                option.name.span,
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let one = |d| vec![d];
    let Some(span_option) = arguments.option("span") else {
        return Err(one(missing(command, "`span=<n>[unit]`")));
    };
    let span = span_seconds(&span_option.value.node).ok_or_else(|| {
        one(bad_value(
            span_option,
            "a positive span such as `1h`, `5m`, `10`",
        ))
    })?;
    let rest = &arguments.rest;
    let (field_tokens, alias) = match rest.iter().position(|t| is_word(t, "as")) {
        Some(at) => {
            let alias = rest
                .get(at + 1)
                .and_then(|t| text_of(t))
                .ok_or_else(|| one(missing(command, "a field name after `AS`")))?;
            (rest.get(..at).unwrap_or(&[]), Some(alias.node.clone()))
        }
        None => (rest.as_slice(), None),
    };
    let field = single_field(command, field_tokens, "bins").map_err(|d| vec![d])?;
    Ok(Box::new(BinOperator {
        target: alias.unwrap_or_else(|| field.clone()),
        field,
        span,
    }))
}

/// `1h` → 3600, `10` → 10; `None` for anything else or a span ≤ 0.
fn span_seconds(text: &str) -> Option<f64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor = match unit.to_ascii_lowercase().as_str() {
        "" | "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
        "d" | "day" | "days" => 86_400.0,
        _ => return None,
    };
    let span = number * factor;
    (span.is_finite() && span > 0.0).then_some(span)
}

impl BinOperator {
    /// The binned form of one value.
    fn bin(&self, text: &str) -> String {
        let Some(number) = parse_number(text) else {
            return text.to_string();
        };
        let low = (number / self.span).floor() * self.span;
        if self.field == "_time" {
            format_number(low)
        } else {
            format!("{}-{}", format_number(low), format_number(low + self.span))
        }
    }
}

impl Operator for BinOperator {
    fn push(
        &mut self,
        mut record: Record,
        _ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        if let Some(value) = record.get(&self.field) {
            let binned: Vec<String> = value.values().iter().map(|v| self.bin(v)).collect();
            if let Some(binned) = Value::from_values(binned) {
                record.insert(self.target.clone(), binned);
            }
        }
        out.push(record);
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(self.clone())
    }
}
