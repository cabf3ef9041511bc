//! Time formatting and parsing for commands (`convert ctime`, `convert mktime`), through the
//! `strftime`/`strptime` eval functions so codes such as `%N`, `%3N`, `%Q`, `%s` behave the
//! same everywhere (UTC).

use crate::eval::{compile, CompiledExpr, EvalContext};
use crate::value::Record;
use spl_syntax::ast::{Expr, ExprKind};
use spl_syntax::{Diagnostic, Span, Spanned};

/// The field the compiled call reads.
const INPUT: &str = "value";

/// A compiled `strftime(value, format)` or `strptime(value, format)`.
#[derive(Clone, Debug)]
pub struct TimeText {
    call: CompiledExpr,
}

impl TimeText {
    /// Epoch seconds → text in `format`.
    pub fn formatter(format: &str) -> Result<TimeText, Diagnostic> {
        TimeText::new("strftime", format)
    }

    /// Text in `format` → epoch seconds.
    pub fn parser(format: &str) -> Result<TimeText, Diagnostic> {
        TimeText::new("strptime", format)
    }

    fn new(function: &str, format: &str) -> Result<TimeText, Diagnostic> {
        let node = |kind| Expr {
            kind,
            span: Span::default(),
        };
        let call = node(ExprKind::Call {
            name: Spanned::new(function.to_string(), Span::default()),
            args: vec![
                node(ExprKind::Field(INPUT.to_string())),
                node(ExprKind::Str(format.to_string())),
            ],
        });
        Ok(TimeText {
            call: compile(&call)?,
        })
    }

    /// The function applied to `text`, or `None` when it gives null.
    pub fn apply(&self, text: &str) -> Option<String> {
        let mut record = Record::new();
        record.insert(INPUT, text);
        let value = self.call.evaluate(&record, &EvalContext::default());
        value.into_value().map(|v| v.first().to_string())
    }
}
