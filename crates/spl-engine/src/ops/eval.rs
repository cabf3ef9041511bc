//! `eval a=<expr>, b=<expr>`: assignments left to right; null removes the field.

use crate::ops::Operator;
use spl_syntax::ast::Assignment;
use spl_syntax::Diagnostic;

/// Builds the operator for `eval` (checks functions and arity).
pub fn build(assignments: &[Assignment]) -> Result<Box<dyn Operator>, Diagnostic> {
    let _ = assignments;
    Err(Diagnostic::error_without_span(
        "spl::plan::unsupported_command",
        "`eval` is not supported yet",
    ))
}
