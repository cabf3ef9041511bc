//! `addtotals [row=<bool>] [col=<bool>] [fieldname=<f>] [labelfield=<f>] [label=<text>]
//! [<field> …]`: row totals, and optionally a totals row.
//!
//! * `row=true` (default): each result gets `fieldname` (default `Total`) = the sum of the
//!   numeric values of the listed fields (wildcards allowed), or of every field except
//!   internal ones (`_time`, …) when none is listed. Every value of a multivalue field
//!   counts. A result with no numeric value gets no total.
//! * `col=true`: blocking; after the results, one more result holds the sum of each numeric
//!   column (in order of first appearance), plus `labelfield=label` (default label `Total`)
//!   when `labelfield` is given. The row totals take part in the column sums.
//!
//! Streaming unless `col=true`; order kept.

use crate::ops::arguments::{field_list, Arguments};
use crate::ops::wildcard;
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::value::{format_number, parse_number, Record};
use spl_syntax::ast::{Command, GenericCommand};
use spl_syntax::Diagnostic;

/// The `addtotals` operator.
#[derive(Clone, Debug)]
pub struct AddtotalsOperator {
    fields: Vec<String>,
    row: bool,
    col: bool,
    field_name: String,
    label_field: Option<String>,
    label: String,
    column_sums: Vec<(String, f64)>,
}

/// Builds the operator for `addtotals`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    _ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let arguments = Arguments::new(generic);
    let errors = arguments.check_options(
        "addtotals",
        &["row", "col", "fieldname", "labelfield", "label"],
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    let one = |d| vec![d];
    let fields = field_list(command, &arguments.rest).map_err(one)?;
    let text = |name: &str, default: &str| {
        arguments
            .option(name)
            .map_or_else(|| default.to_string(), |o| o.value.node.clone())
    };
    Ok(Box::new(AddtotalsOperator {
        fields: fields.iter().map(|f| f.node.clone()).collect(),
        row: arguments.bool_option("row", true).map_err(one)?,
        col: arguments.bool_option("col", false).map_err(one)?,
        field_name: text("fieldname", "Total"),
        label_field: arguments.option("labelfield").map(|o| o.value.node.clone()),
        label: text("label", "Total"),
        column_sums: Vec::new(),
    }))
}

impl AddtotalsOperator {
    /// True when `name` takes part in the row total.
    fn selects(&self, name: &str) -> bool {
        if name == self.field_name {
            return false;
        }
        if self.fields.is_empty() {
            return !name.starts_with('_');
        }
        self.fields.iter().any(|f| wildcard::matches(f, name))
    }

    /// Adds the numeric values of `record` to the column sums.
    fn add_to_columns(&mut self, record: &Record) {
        for (name, value) in record.iter() {
            if name.starts_with('_') || Some(name) == self.label_field.as_deref() {
                continue;
            }
            let numbers: Vec<f64> = value
                .values()
                .iter()
                .filter_map(|v| parse_number(v))
                .collect();
            if numbers.is_empty() {
                continue;
            }
            let sum: f64 = numbers.iter().sum();
            match self.column_sums.iter_mut().find(|(n, _)| n == name) {
                Some((_, total)) => *total += sum,
                None => self.column_sums.push((name.to_string(), sum)),
            }
        }
    }
}

impl Operator for AddtotalsOperator {
    fn push(
        &mut self,
        mut record: Record,
        _ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        if self.row {
            let numbers: Vec<f64> = record
                .iter()
                .filter(|(name, _)| self.selects(name))
                .flat_map(|(_, value)| value.values().iter().filter_map(|v| parse_number(v)))
                .collect();
            if !numbers.is_empty() {
                let total: f64 = numbers.iter().sum();
                record.insert(self.field_name.clone(), format_number(total));
            }
        }
        if self.col {
            self.add_to_columns(&record);
        }
        out.push(record);
        Ok(())
    }

    fn finish(&mut self, _ctx: &mut ExecContext, out: &mut Vec<Record>) -> Result<(), RunError> {
        if !self.col {
            return Ok(());
        }
        let mut totals = Record::new();
        if let Some(label_field) = &self.label_field {
            totals.insert(label_field.clone(), self.label.as_str());
        }
        for (name, sum) in self.column_sums.drain(..) {
            totals.insert(name, format_number(sum));
        }
        out.push(totals);
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        let mut fresh = self.clone();
        fresh.column_sums.clear();
        Box::new(fresh)
    }
}
