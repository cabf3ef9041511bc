//! `| makeresults [count=N] [annotate=false]`: generates N results (default 1) that hold only
//! `_time`, the search's start time (Splunk's Search Reference, "makeresults"). Used to
//! build small inputs, mostly in subsearches.
//!
//! A generating command: it ignores records given to it and emits its results at the end of
//! input. `annotate=true` (which adds `host`, `source`, … columns) is not supported.

use crate::ops::arguments::{bad_value, unexpected, Arguments};
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::value::Record;
use spl_syntax::ast::{Command, GenericCommand};
use spl_syntax::Diagnostic;

/// The `makeresults` operator.
#[derive(Clone, Debug)]
pub struct MakeresultsOperator {
    count: u64,
}

/// Builds the operator for `makeresults`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    _ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let arguments = Arguments::checked(generic, "makeresults", &["count", "annotate"])?;
    let mut errors = Vec::new();
    let count = arguments.count_option("count", 1).unwrap_or_else(|e| {
        errors.push(e);
        1
    });
    if let (Some(option), Ok(true)) = (
        arguments.option("annotate"),
        arguments.bool_option("annotate", false),
    ) {
        errors.push(bad_value(
            option,
            "false (`annotate=true` is not supported)",
        ));
    }
    if let Err(e) = arguments.bool_option("annotate", false) {
        errors.push(e);
    }
    for arg in &arguments.rest {
        errors.push(unexpected(command, arg, "only `count=` and `annotate=`"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Box::new(MakeresultsOperator { count }))
}

impl Operator for MakeresultsOperator {
    fn push(
        &mut self,
        _record: Record,
        _ctx: &mut ExecContext,
        _out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        Ok(())
    }

    fn finish(&mut self, ctx: &mut ExecContext, out: &mut Vec<Record>) -> Result<(), RunError> {
        for _ in 0..self.count {
            let mut record = Record::new();
            record.insert("_time", ctx.now.to_string());
            out.push(record);
        }
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{record, run_with_context};
    use spl_syntax::parse_pipeline;

    fn operator(spl: &str) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
        let pipeline = parse_pipeline(spl).expect("parses");
        let command = pipeline.commands.first().expect("a command");
        match &command.kind {
            spl_syntax::ast::CommandKind::Generic(generic) => {
                build(command, generic, &PlanContext::default())
            }
            other => panic!("not generic: {other:?}"),
        }
    }

    #[test]
    fn count_results_with_only_time() {
        let built = operator("| makeresults count=3").expect("builds");
        let (out, _) = run_with_context(built.as_ref(), vec![record(&[("a", "1")])]).expect("runs");
        assert_eq!(out.len(), 3);
        assert!(out
            .iter()
            .all(|r| r.names().collect::<Vec<_>>() == ["_time"]));
    }

    #[test]
    fn default_is_one_and_annotate_is_refused() {
        let built = operator("| makeresults").expect("builds");
        let (out, _) = run_with_context(built.as_ref(), Vec::new()).expect("runs");
        assert_eq!(out.len(), 1);
        let errors = operator("| makeresults annotate=true").expect_err("refused");
        assert_eq!(errors[0].code, "spl::plan::bad_option_value");
    }
}
