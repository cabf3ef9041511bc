//! Helpers shared by the parser tests (included with `mod`).
#![allow(dead_code)]

use spl_syntax::ast::{Command, CommandKind, Pipeline, SearchExpr};
use spl_syntax::{parse_pipeline, Diagnostic, Span};

/// Parses or panics with the diagnostics.
pub fn parse(text: &str) -> Pipeline {
    match parse_pipeline(text) {
        Ok(pipeline) => pipeline,
        Err(errors) => panic!("{text:?} failed: {errors:#?}"),
    }
}

/// The errors of a text that must not parse.
pub fn errors(text: &str) -> Vec<Diagnostic> {
    match parse_pipeline(text) {
        Ok(pipeline) => panic!("{text:?} parsed: {pipeline:#?}"),
        Err(errors) => errors,
    }
}

/// The single command of a one-command pipeline.
pub fn only_command(text: &str) -> Command {
    let pipeline = parse(text);
    assert_eq!(pipeline.commands.len(), 1, "{pipeline:#?}");
    pipeline.commands.into_iter().next().expect("one command")
}

/// The search expression of an implicit search.
pub fn search(text: &str) -> SearchExpr {
    match only_command(text).kind {
        CommandKind::Search(Some(expr)) => expr,
        other => panic!("not a search: {other:#?}"),
    }
}

/// The text covered by a span.
pub fn at(text: &str, span: Span) -> &str {
    &text[span.start..span.end]
}

/// Debug output with every span replaced by `_`, to compare trees ignoring positions.
pub fn without_spans(debug: &str) -> String {
    let mut out = String::new();
    let mut rest = debug;
    while let Some(index) = rest.find("Span {") {
        out.push_str(&rest[..index]);
        let after = &rest[index..];
        let close = after.find('}').map_or(after.len(), |i| i + 1);
        out.push('_');
        rest = &after[close..];
    }
    out.push_str(rest);
    out
}

/// Parse, print, parse again: the trees agree (ignoring spans) and printing is stable.
pub fn assert_round_trip(text: &str) {
    let first = parse(text);
    let printed = first.to_string();
    let second = parse(&printed);
    assert_eq!(
        without_spans(&format!("{first:?}")),
        without_spans(&format!("{second:?}")),
        "{text:?} printed as {printed:?}"
    );
    assert_eq!(second.to_string(), printed);
}
