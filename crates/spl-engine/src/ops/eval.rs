//! `eval a=<expr>, b=<expr>`: assignments left to right, later ones see earlier results;
//! a null result removes the field (`spl-semantics.md` §5.1).
//!
//! A Boolean result may not be assigned: when the expression is statically Boolean (a
//! comparison, `AND`, `isnull()`…) planning fails with `spl::plan::boolean_assignment`; when
//! it turns out Boolean only at run time (`if(c, true(), 1)`), the field is removed, like any
//! other expression that fails at run time.

use crate::eval::{compile, CompiledExpr, EvalContext, EvalValue};
use crate::ops::Operator;
use crate::run::{ExecContext, RunError};
use crate::value::Record;
use spl_syntax::ast::Assignment;
use spl_syntax::Diagnostic;

/// The `eval` operator.
#[derive(Clone, Debug)]
pub struct Eval {
    assignments: Vec<(String, CompiledExpr)>,
}

/// Builds the operator for `eval` (checks functions and arity).
pub fn build(assignments: &[Assignment]) -> Result<Box<dyn Operator>, Diagnostic> {
    let mut compiled = Vec::with_capacity(assignments.len());
    for assignment in assignments {
        let expr = compile(&assignment.expr)?;
        if expr.is_boolean() {
            return Err(Diagnostic::error(
                "spl::plan::boolean_assignment",
                format!(
                    "`eval {}=…` would assign a Boolean, which eval does not allow",
                    assignment.field.name
                ),
                assignment.expr.span,
            )
            .with_help("wrap the condition in if(), e.g. if(x > 1, \"yes\", \"no\")"));
        }
        compiled.push((assignment.field.name.clone(), expr));
    }
    Ok(Box::new(Eval {
        assignments: compiled,
    }))
}

impl Eval {
    /// Applies every assignment to `record`.
    pub fn apply(&self, record: &mut Record, ctx: &EvalContext) {
        for (field, expr) in &self.assignments {
            if let Some(source) = expr.as_field() {
                match record.get(source).cloned() {
                    Some(value) => record.insert(field.as_str(), value),
                    None => {
                        record.remove(field);
                    }
                }
                continue;
            }
            let value = match expr.evaluate(record, ctx) {
                EvalValue::Bool(_) => None,
                other => other.into_value(),
            };
            match value {
                Some(value) => record.insert(field.as_str(), value),
                None => {
                    record.remove(field);
                }
            }
        }
    }
}

impl Operator for Eval {
    fn push(
        &mut self,
        mut record: Record,
        ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        self.apply(&mut record, &EvalContext { now: ctx.now });
        out.push(record);
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(self.clone())
    }
}
