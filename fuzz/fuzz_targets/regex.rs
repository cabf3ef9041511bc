//! An arbitrary regular expression given to `match()` and `replace()`: compiling either
//! refuses it or gives a function that finishes on a fixed record (the backtrack limit
//! applies), and nothing panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spl_engine::eval::{compile, EvalContext};
use spl_engine::Record;
use spl_syntax::ast::CommandKind;

/// The text the pattern is matched against: long enough to make bad backtracking show.
fn record() -> Record {
    let mut record = Record::new();
    let mut value = "a".repeat(64);
    value.push('b');
    record.insert("f", value);
    record.insert("g", "GET /api/v1/namespaces/default/pods?watch=1 HTTP/1.1");
    record
}

/// `input` as the inside of an SPL double-quoted string.
fn quoted(input: &str) -> String {
    input.replace('\\', "\\\\").replace('"', "\\\"")
}

fuzz_target!(|input: &str| {
    let pattern = quoted(input);
    let record = record();
    let ctx = EvalContext::default();
    for text in [
        format!(r#"| where match(f, "{pattern}")"#),
        format!(r#"| eval x=replace(g, "{pattern}", "<\1>")"#),
    ] {
        let Ok(pipeline) = spl_syntax::parse_pipeline(&text) else {
            continue;
        };
        for command in &pipeline.commands {
            let expressions: Vec<&spl_syntax::ast::Expr> = match &command.kind {
                CommandKind::Where(expr) => vec![expr],
                CommandKind::Eval(assignments) => assignments.iter().map(|a| &a.expr).collect(),
                _ => Vec::new(),
            };
            for expr in expressions {
                if let Ok(compiled) = compile(expr) {
                    let _ = compiled.evaluate(&record, &ctx);
                }
            }
        }
    }
});
