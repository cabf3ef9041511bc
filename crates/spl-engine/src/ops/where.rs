//! `where <expr>`: keeps a result only when the expression is Boolean true; false, null and
//! non-Boolean results drop it (`spl-semantics.md` §5.1).

use crate::eval::{compile, CompiledExpr, EvalContext, EvalValue};
use crate::ops::Operator;
use crate::run::{ExecContext, RunError};
use crate::value::Record;
use spl_syntax::ast::Expr;
use spl_syntax::Diagnostic;

/// The `where` operator.
#[derive(Clone, Debug)]
pub struct Where {
    condition: CompiledExpr,
}

/// Builds the operator for `where` (checks functions and arity).
pub fn build(expr: &Expr) -> Result<Box<dyn Operator>, Diagnostic> {
    Ok(Box::new(Where {
        condition: compile(expr)?,
    }))
}

impl Where {
    /// True when `record` passes.
    pub fn keeps(&self, record: &Record, ctx: &EvalContext) -> bool {
        self.condition.evaluate(record, ctx) == EvalValue::Bool(true)
    }
}

impl Operator for Where {
    fn push(
        &mut self,
        record: Record,
        ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        if self.keeps(&record, &EvalContext { now: ctx.now }) {
            out.push(record);
        }
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(self.clone())
    }
}
