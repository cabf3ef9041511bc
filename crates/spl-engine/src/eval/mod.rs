//! `eval`/`where` expressions: compilation (function lookup, arity checks, literal regular
//! expressions compiled once) and evaluation with Splunk's types (Number, String, Boolean,
//! Null, multivalue), following `spl-semantics.md` §5.
//!
//! ```text
//! Expr ──compile──▶ CompiledExpr (Node tree, functions resolved) ──evaluate(record)──▶ EvalValue
//! ```
//!
//! Engine choices where Splunk's behaviour is unknown or configurable:
//! * Field values stay text ([`EvalValue::Multi`]) until used, so copying a field
//!   (`eval x=y`, `coalesce(y, 0)`) keeps `1.50` as written; computed numbers render per §0.3.
//! * `Bool(false).into_value()` is `None` and `Bool(true)` is `True`, so `count(eval(x>1))`
//!   counts only the results where the condition holds. `eval` itself refuses Booleans: at
//!   plan time when the expression is visibly Boolean, otherwise the field is removed.
//! * Logic on non-Boolean operands (`"a" AND true()`) is unknown (null).
//! * Regular expressions (PCRE via `fancy-regex`) stop after [`BACKTRACK_LIMIT`] steps; a
//!   match that hits the limit counts as no match, and `replace` leaves that value unchanged.
//!   A literal pattern is compiled once at plan time (invalid ⇒ `spl::plan::bad_regex` on the
//!   pattern); a computed pattern that does not compile gives null.
//! * Time functions work in UTC.
//! * `searchmatch` is not implemented yet (`spl::plan::unsupported_function`).

mod compile;
pub mod functions;
mod operators;
pub(crate) use operators::build_regex;
mod value;

use crate::value::Record;
use spl_syntax::ast::Expr;
use spl_syntax::Diagnostic;

pub use operators::{
    backtrack_limit, like, set_backtrack_limit, take_regex_failure, BACKTRACK_LIMIT,
};
pub use value::{bool_text, compare_scalars, type_text, EvalValue, Scalar};

/// What an expression may read besides the record.
#[derive(Clone, Debug, Default)]
pub struct EvalContext {
    /// The search's start time (epoch seconds), for `now()`.
    pub now: i64,
}

/// An expression ready to evaluate.
#[derive(Clone, Debug)]
pub struct CompiledExpr {
    root: compile::Node,
}

/// Checks `expr` (known functions, arity, literal regular expressions) and prepares it for
/// evaluation. Errors: `spl::plan::unknown_function` (with a did-you-mean),
/// `spl::plan::wrong_arity`, `spl::plan::bad_regex`, `spl::plan::unsupported_function`.
pub fn compile(expr: &Expr) -> Result<CompiledExpr, Diagnostic> {
    Ok(CompiledExpr {
        root: compile::compile_node(expr)?,
    })
}

impl CompiledExpr {
    /// Evaluates against one record.
    pub fn evaluate(&self, record: &Record, ctx: &EvalContext) -> EvalValue {
        let env = compile::Env {
            record,
            ctx,
            binding: None,
        };
        self.root.evaluate(&env)
    }

    /// True when the result is always a Boolean (a comparison, `AND`, `isnull()`, …), which
    /// `eval` may not assign.
    pub fn is_boolean(&self) -> bool {
        self.root.is_boolean()
    }

    /// The field names the expression reads (repeats possible).
    pub fn fields(&self) -> Vec<&str> {
        let mut fields = Vec::new();
        self.root.fields(&mut fields);
        fields
    }

    /// The field name when the expression is a bare field reference (`eval x=y`).
    pub fn as_field(&self) -> Option<&str> {
        match &self.root {
            compile::Node::Field(name) => Some(name),
            _ => None,
        }
    }
}
