//! `fromjson <field> [prefix=<text>]`: the JSON text in a field becomes fields.
//!
//! Streaming, order kept. Naming follows the event extraction of §2.2 (as `spath` without a
//! path), each name preceded by `prefix`; existing fields of the same name are replaced.
//! Text that is not JSON, or a missing field, leaves the result unchanged.

use crate::ops::arguments::{single_field, Arguments};
use crate::ops::json_fields::{auto_extract, insert_all};
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::value::Record;
use spl_syntax::ast::{Command, GenericCommand};
use spl_syntax::Diagnostic;

/// The `fromjson` operator.
#[derive(Clone, Debug)]
pub struct FromjsonOperator {
    field: String,
    prefix: String,
}

/// Builds the operator for `fromjson`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    _ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let arguments = Arguments::checked(generic, "fromjson", &["prefix"])?;
    let field = single_field(command, &arguments.rest, "reads").map_err(|d| vec![d])?;
    Ok(Box::new(FromjsonOperator {
        field,
        prefix: arguments
            .option("prefix")
            .map_or_else(String::new, |o| o.value.node.clone()),
    }))
}

impl Operator for FromjsonOperator {
    fn push(
        &mut self,
        mut record: Record,
        _ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        let fields = record
            .get(&self.field)
            .and_then(|value| auto_extract(value.first()));
        if let Some(fields) = fields {
            insert_all(&mut record, fields, &self.prefix);
        }
        out.push(record);
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(self.clone())
    }
}
