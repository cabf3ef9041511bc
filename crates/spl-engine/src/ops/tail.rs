//! `tail [N]`: the last N results (default 10), in reverse order (§6.7).
//!
//! Blocking: keeps the last N records in a ring; at end of input emits them newest first.

use crate::ops::arguments::{unexpected, Arguments};
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::value::Record;
use spl_syntax::ast::{Command, GenericArg, GenericCommand};
use spl_syntax::Diagnostic;
use std::collections::VecDeque;

/// Results kept when `tail` has no count.
pub const DEFAULT_COUNT: usize = 10;

/// The `tail` operator.
#[derive(Clone, Debug)]
pub struct TailOperator {
    limit: usize,
    kept: VecDeque<Record>,
}

/// Builds the operator for `tail [N]`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    _ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let arguments = Arguments::new(generic);
    let mut errors = arguments.check_options("tail", &[]);
    let mut limit = DEFAULT_COUNT;
    for (index, arg) in arguments.rest.iter().enumerate() {
        let count = match arg {
            GenericArg::Word(word) if index == 0 => word.node.parse::<usize>().ok(),
            _ => None,
        };
        match count {
            Some(count) => limit = count,
            None => errors.push(unexpected(command, arg, "a whole number of results")),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Box::new(TailOperator {
        limit,
        kept: VecDeque::new(),
    }))
}

impl Operator for TailOperator {
    fn push(
        &mut self,
        record: Record,
        _ctx: &mut ExecContext,
        _out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        if self.limit == 0 {
            return Ok(());
        }
        if self.kept.len() == self.limit {
            self.kept.pop_front();
        }
        self.kept.push_back(record);
        Ok(())
    }

    fn finish(&mut self, _ctx: &mut ExecContext, out: &mut Vec<Record>) -> Result<(), RunError> {
        out.extend(self.kept.drain(..).rev());
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(TailOperator {
            limit: self.limit,
            kept: VecDeque::new(),
        })
    }
}
