//! `append [maxout=N] [maxtime=…] [timeout=…] [extendtimerange=…] [ <subsearch> ]`: the
//! subsearch's results after the current results (Splunk's Search Reference, "append").
//!
//! The current results pass through as they come; at the end of input the subsearch runs
//! and its results follow, in their own order. More than `maxout` subsearch results
//! (default [`APPEND_MAXOUT`]; `0` means no limit) stop the run. `maxtime`, `timeout` and
//! `extendtimerange` are accepted and have no effect (there is no time limit offline).

use crate::ops::arguments::{missing, unexpected, Arguments};
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::subsearch::{Subsearch, APPEND_MAXOUT};
use crate::value::Record;
use spl_syntax::ast::{Command, GenericArg, GenericCommand};
use spl_syntax::Diagnostic;

/// The options `append` accepts.
const OPTIONS: &[&str] = &["maxout", "maxtime", "timeout", "extendtimerange"];

/// The `append` operator.
#[derive(Debug)]
pub struct AppendOperator {
    subsearch: Subsearch,
    maxout: u64,
}

/// Builds the operator for `append`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let arguments = Arguments::checked(generic, "append", OPTIONS)?;
    let maxout = arguments
        .count_option("maxout", APPEND_MAXOUT)
        .map_err(|e| vec![e])?;
    let pipeline = single_subsearch(command, &arguments.rest).map_err(|e| vec![e])?;
    Ok(Box::new(AppendOperator {
        subsearch: Subsearch::plan(pipeline, ctx)?,
        maxout,
    }))
}

/// The one `[ … ]` argument of `append` or `appendpipe`.
pub(crate) fn single_subsearch<'a>(
    command: &Command,
    rest: &[&'a GenericArg],
) -> Result<&'a spl_syntax::ast::Pipeline, Diagnostic> {
    match rest {
        [GenericArg::Subsearch(pipeline)] => Ok(pipeline),
        [] => Err(missing(command, "a subsearch `[ … ]`")),
        [GenericArg::Subsearch(_), extra, ..] | [extra, ..] => {
            Err(unexpected(command, extra, "one subsearch `[ … ]`"))
        }
    }
}

impl Operator for AppendOperator {
    fn push(
        &mut self,
        record: Record,
        _ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        out.push(record);
        Ok(())
    }

    fn finish(&mut self, ctx: &mut ExecContext, out: &mut Vec<Record>) -> Result<(), RunError> {
        let rows = self
            .subsearch
            .run(ctx, self.maxout, "`append` subsearch results")?;
        out.extend(rows);
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(AppendOperator {
            subsearch: self.subsearch.fresh(),
            maxout: self.maxout,
        })
    }
}
