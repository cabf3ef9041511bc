//! `| eval x=<input>`: whatever parses is compiled and evaluated on a fixed record, and
//! nothing panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spl_engine::eval::{compile, EvalContext};
use spl_engine::Record;
use spl_syntax::ast::CommandKind;

/// The record every expression is evaluated against.
fn record() -> Record {
    let mut record = Record::new();
    record.insert("a", "1");
    record.insert("b", "2.5");
    record.insert("s", "hello world");
    record.insert("ip", "10.1.2.3");
    record.insert("empty", "");
    record.insert("n", "-9223372036854775808");
    record.insert("big", "1e308");
    record.insert(
        "multi",
        spl_engine::Value::Multi(vec!["x".to_string(), "y".to_string()]),
    );
    record
}

fuzz_target!(|input: &str| {
    let text = format!("| eval x={input}");
    let Ok(pipeline) = spl_syntax::parse_pipeline(&text) else {
        return;
    };
    let record = record();
    let ctx = EvalContext { now: 1_700_000_000 };
    for command in &pipeline.commands {
        let CommandKind::Eval(assignments) = &command.kind else {
            continue;
        };
        for assignment in assignments {
            if let Ok(compiled) = compile(&assignment.expr) {
                let _ = compiled.evaluate(&record, &ctx);
            }
        }
    }
});
