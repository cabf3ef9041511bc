//! `mvcombine [delim=<str>] <field>`: results identical except for `field` become one
//! result whose `field` holds all their values, in input order.
//!
//! Blocking. Output: one result per group, in the order each group first appeared, with the
//! fields of that first result. Results without the field pass through in their place among
//! the groups (each alone). `delim` is accepted; Splunk uses it only for the single-value
//! rendering of the combined field, which this engine does not keep (values stay a
//! multivalue).

use crate::ops::arguments::{single_field, Arguments};
use crate::ops::key;
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::value::{Record, Value};
use spl_syntax::ast::{Command, GenericCommand};
use spl_syntax::Diagnostic;
use std::collections::HashMap;

/// The `mvcombine` operator.
#[derive(Clone, Debug)]
pub struct MvcombineOperator {
    field: String,
    groups: Vec<(Record, Vec<String>)>,
    index: HashMap<String, usize>,
}

/// Builds the operator for `mvcombine`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    _ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let arguments = Arguments::checked(generic, "mvcombine", &["delim"])?;
    let field = single_field(command, &arguments.rest, "combines").map_err(|d| vec![d])?;
    Ok(Box::new(MvcombineOperator {
        field,
        groups: Vec::new(),
        index: HashMap::new(),
    }))
}

/// The key of every field except `skip`, independent of field order.
fn group_key(record: &Record, skip: &str) -> String {
    let mut fields: Vec<(&str, &Value)> = record.iter().filter(|(n, _)| *n != skip).collect();
    fields.sort_by(|a, b| a.0.cmp(b.0));
    let mut key = String::new();
    for (name, value) in fields {
        key::push_value(&mut key, name);
        key::push_values(&mut key, value.values());
    }
    key
}

impl Operator for MvcombineOperator {
    fn push(
        &mut self,
        record: Record,
        _ctx: &mut ExecContext,
        _out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        let Some(value) = record.get(&self.field) else {
            self.groups.push((record, Vec::new()));
            return Ok(());
        };
        let values = value.values().to_vec();
        let key = group_key(&record, &self.field);
        match self.index.get(&key).and_then(|i| self.groups.get_mut(*i)) {
            Some((_, collected)) => collected.extend(values),
            None => {
                self.index.insert(key, self.groups.len());
                self.groups.push((record, values));
            }
        }
        Ok(())
    }

    fn finish(&mut self, _ctx: &mut ExecContext, out: &mut Vec<Record>) -> Result<(), RunError> {
        self.index.clear();
        for (mut record, values) in self.groups.drain(..) {
            if let Some(value) = Value::from_values(values) {
                record.insert(self.field.clone(), value);
            }
            out.push(record);
        }
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(MvcombineOperator {
            field: self.field.clone(),
            groups: Vec::new(),
            index: HashMap::new(),
        })
    }
}
