//! Test helpers for eval expressions: parsing with the real parser, the standard test record
//! of `spl-semantics.md` §5.6, and one-line assertions.
#![allow(dead_code)]

use spl_engine::eval::{compile, EvalContext, EvalValue};
use spl_engine::{Record, Value};
use spl_syntax::ast::{CommandKind, Expr};

/// The record of §5.6: `a="5"`, `b="10"`, `s="Admin"`, `m=[x,y]`, `n` absent.
pub fn record() -> Record {
    let mut r = Record::new();
    r.insert("a", "5");
    r.insert("b", "10");
    r.insert("s", "Admin");
    r.insert("m", Value::Multi(vec!["x".into(), "y".into()]));
    r
}

/// Evaluates `text` against `record` with `now = 1000`.
pub fn eval_on(text: &str, record: &Record) -> EvalValue {
    let expr = parse(text);
    let compiled = compile(&expr).unwrap_or_else(|d| panic!("{text}: {}", d.message));
    compiled.evaluate(record, &EvalContext { now: 1000 })
}

/// Evaluates `text` against [`record`] and describes the result.
pub fn describe(text: &str) -> String {
    eval_on(text, &record()).describe()
}

/// Where the expression starts inside the text given to the parser (`| where `).
pub const OFFSET: usize = "| where ".len();

/// Parses an expression with the real parser, as the argument of `where`; spans are in the
/// text `| where <expression>` (see [`OFFSET`]).
pub fn parse(text: &str) -> Expr {
    let pipeline = spl_syntax::parse_pipeline(&format!("| where {text}"))
        .unwrap_or_else(|d| panic!("{text}: {d:?}"));
    let Some(command) = pipeline.commands.into_iter().next() else {
        panic!("{text}: no command");
    };
    match command.kind {
        CommandKind::Where(expr) => expr,
        other => panic!("{text}: parsed as {other:?}"),
    }
}
