//! `mvexpand <field> [limit=N]`: a result whose field has k values becomes k results, each
//! with one value and copies of every other field, in value order (§6.10).
//!
//! Streaming. `limit=N` keeps the first N values (0 = all). A single value passes unchanged;
//! a result without the field is dropped [U-med].

use crate::ops::arguments::{single_field, Arguments};
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::value::Record;
use spl_syntax::ast::{Command, GenericCommand};
use spl_syntax::Diagnostic;

/// The `mvexpand` operator.
#[derive(Clone, Debug)]
pub struct MvexpandOperator {
    field: String,
    limit: usize,
}

/// Builds the operator for `mvexpand`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    _ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let arguments = Arguments::checked(generic, "mvexpand", &["limit"])?;
    let field = single_field(command, &arguments.rest, "expands").map_err(|d| vec![d])?;
    let limit = arguments.count_option("limit", 0).map_err(|d| vec![d])?;
    Ok(Box::new(MvexpandOperator {
        field,
        limit: match usize::try_from(limit) {
            Ok(0) | Err(_) => usize::MAX,
            Ok(limit) => limit,
        },
    }))
}

impl Operator for MvexpandOperator {
    fn push(
        &mut self,
        record: Record,
        _ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        let Some(value) = record.get(&self.field) else {
            return Ok(());
        };
        if !value.is_multivalue() {
            out.push(record);
            return Ok(());
        }
        let values: Vec<String> = value.values().iter().take(self.limit).cloned().collect();
        for single in values {
            let mut copy = record.clone();
            copy.insert(self.field.clone(), single);
            out.push(copy);
        }
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(self.clone())
    }
}
