//! `where <expr>`: keeps a result only when the expression is true.

use crate::ops::Operator;
use spl_syntax::ast::Expr;
use spl_syntax::Diagnostic;

/// Builds the operator for `where` (checks functions and arity).
pub fn build(expr: &Expr) -> Result<Box<dyn Operator>, Diagnostic> {
    let _ = expr;
    Err(Diagnostic::error_without_span(
        "spl::plan::unsupported_command",
        "`where` is not supported yet",
    ))
}
