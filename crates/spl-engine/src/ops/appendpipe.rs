//! `appendpipe [run_in_preview=<bool>] [ <subpipeline> ]`: runs the subpipeline over the
//! current results and appends its output after them (Splunk's Search Reference,
//! "appendpipe"). The subpipeline reads the results, not events: `appendpipe [stats count]`
//! adds a total row; `appendpipe [search x=1]` filters a copy.
//!
//! The current results pass through as they come (a copy is held); at the end of input the
//! subpipeline runs over the copies and its output follows. `run_in_preview` has no effect.

use crate::ops::append::single_subsearch;
use crate::ops::arguments::Arguments;
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::subsearch::Subsearch;
use crate::value::Record;
use spl_syntax::ast::{Command, GenericCommand};
use spl_syntax::Diagnostic;

/// The `appendpipe` operator.
#[derive(Debug)]
pub struct AppendpipeOperator {
    subpipeline: Subsearch,
    held: Vec<Record>,
}

/// Builds the operator for `appendpipe`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let arguments = Arguments::checked(generic, "appendpipe", &["run_in_preview"])?;
    arguments
        .bool_option("run_in_preview", true)
        .map_err(|e| vec![e])?;
    let pipeline = single_subsearch(command, &arguments.rest).map_err(|e| vec![e])?;
    Ok(Box::new(AppendpipeOperator {
        subpipeline: Subsearch::plan(pipeline, ctx)?,
        held: Vec::new(),
    }))
}

impl Operator for AppendpipeOperator {
    fn push(
        &mut self,
        record: Record,
        _ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        self.held.push(record.clone());
        out.push(record);
        Ok(())
    }

    fn finish(&mut self, ctx: &mut ExecContext, out: &mut Vec<Record>) -> Result<(), RunError> {
        let held = std::mem::take(&mut self.held);
        out.extend(self.subpipeline.run_over(held, ctx)?);
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(AppendpipeOperator {
            subpipeline: self.subpipeline.fresh(),
            held: Vec::new(),
        })
    }
}
