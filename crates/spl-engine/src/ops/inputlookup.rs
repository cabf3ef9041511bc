//! `inputlookup [append=<bool>] [start=<n>] [max=<n>] <table> [where <search>]`: the rows of
//! a lookup table as results, in file order, columns in header order; empty cells are null.
//!
//! It is a generating command, written first (`| inputlookup users`). The engine's runs are
//! push-driven, so the operator emits the table rows from [`Operator::finish`]: a run with no
//! input events still produces them. Records pushed into it (the events of the run) are
//! discarded, unless `append=true`, which passes them through and adds the table rows after
//! them. `start` skips that many rows (0-based); `max` keeps at most that many (0: all).
//! `where` filters rows with `search` semantics (§3).

use crate::lookup::LookupTable;
use crate::ops::lookup::{resolve_table, word_or_quoted};
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::search::{compile_search, CompiledSearch};
use crate::value::Record;
use spl_syntax::ast::{Command, CommandKind, GenericArg, GenericCommand};
use spl_syntax::{parse_pipeline, Diagnostic};
use std::sync::Arc;

/// The `inputlookup` operator.
#[derive(Clone, Debug)]
pub struct InputLookup {
    table: Arc<LookupTable>,
    filter: Option<Arc<CompiledSearch>>,
    append: bool,
    start: usize,
    max: usize,
}

/// Builds the operator (generic-command builder for `inputlookup`).
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let one = |d: Diagnostic| vec![d];
    let mut append = false;
    let mut start = 0;
    let mut max = 0;
    let mut args = generic.args.iter().peekable();
    while let Some(GenericArg::Option(option)) = args.peek() {
        let value = &option.value;
        match option.name.node.to_ascii_lowercase().as_str() {
            "append" => append = parse_bool(&value.node).ok_or_else(|| bad_value(value))?,
            "start" => start = value.node.parse().map_err(|_| bad_value(value))?,
            "max" => max = value.node.parse().map_err(|_| bad_value(value))?,
            _ => {
                return Err(one(Diagnostic::error(
                    "spl::plan::unsupported_option",
                    format!(
                        "`inputlookup` does not support the option `{}`",
                        option.name.node
                    ),
                    option.name.span,
                )))
            }
        }
        args.next();
    }
    let Some(name) = args.next().and_then(word_or_quoted) else {
        return Err(one(Diagnostic::error(
            "spl::plan::missing_argument",
            "`inputlookup` needs a lookup table name",
            command.name.span,
        )));
    };
    let table = resolve_table(ctx, name).map_err(one)?;
    let rest: Vec<&GenericArg> = args.collect();
    let filter = where_clause(&rest).map_err(one)?;
    Ok(Box::new(InputLookup {
        table,
        filter: filter.map(Arc::new),
        append,
        start,
        max,
    }))
}

fn parse_bool(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "t" | "1" | "yes" => Some(true),
        "false" | "f" | "0" | "no" => Some(false),
        _ => None,
    }
}

fn bad_value(value: &spl_syntax::Spanned<String>) -> Vec<Diagnostic> {
    vec![Diagnostic::error(
        "spl::plan::bad_option_value",
        format!("`{}` is not a valid value here", value.node),
        value.span,
    )]
}

/// `where <search>` after the table name, compiled with `search` semantics.
fn where_clause(rest: &[&GenericArg]) -> Result<Option<CompiledSearch>, Diagnostic> {
    let Some((first, tail)) = rest.split_first() else {
        return Ok(None);
    };
    let where_span = match first {
        GenericArg::Word(word) if word.node.eq_ignore_ascii_case("where") => word.span,
        other => {
            return Err(Diagnostic::error(
                "spl::plan::bad_argument",
                "`inputlookup` expects `where <condition>` after the table name",
                span_of(other),
            ))
        }
    };
    let mut text = String::from("search");
    for arg in tail {
        text.push(' ');
        render(arg, &mut text).ok_or_else(|| {
            Diagnostic::error(
                "spl::plan::bad_argument",
                "a subsearch cannot be used in `inputlookup … where`",
                span_of(arg),
            )
        })?;
    }
    let bad_condition = |detail: String| {
        Diagnostic::error(
            "spl::plan::bad_argument",
            format!("the `where` condition of `inputlookup` is not valid: {detail}"),
            where_span,
        )
    };
    let pipeline = parse_pipeline(&text).map_err(|errors| {
        let detail = errors.first().map_or(String::new(), |d| d.message.clone());
        bad_condition(detail)
    })?;
    let Some(CommandKind::Search(expr)) = pipeline.commands.first().map(|c| &c.kind) else {
        return Err(bad_condition("expected a search condition".to_string()));
    };
    compile_search(expr.as_ref())
        .map(Some)
        .map_err(|d| bad_condition(d.message))
}

/// Writes `arg` back as SPL text; `None` for subsearches and templates.
fn render(arg: &GenericArg, text: &mut String) -> Option<()> {
    match arg {
        GenericArg::Word(word) => text.push_str(&word.node),
        GenericArg::Quoted(quoted) => push_quoted(&quoted.node, text),
        GenericArg::Option(option) => {
            text.push_str(&option.name.node);
            text.push('=');
            push_quoted(&option.value.node, text);
        }
        GenericArg::Group(group) => {
            text.push('(');
            for (index, inner) in group.node.iter().enumerate() {
                if index > 0 {
                    text.push(' ');
                }
                render(inner, text)?;
            }
            text.push(')');
        }
        GenericArg::Subsearch(_) | GenericArg::Template(_) => return None,
    }
    Some(())
}

fn push_quoted(value: &str, text: &mut String) {
    text.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            text.push('\\');
        }
        text.push(c);
    }
    text.push('"');
}

fn span_of(arg: &GenericArg) -> spl_syntax::Span {
    match arg {
        GenericArg::Word(w) | GenericArg::Quoted(w) => w.span,
        GenericArg::Option(o) => o.name.span.to(o.value.span),
        GenericArg::Group(g) => g.span,
        GenericArg::Template(t) => t.span,
        GenericArg::Subsearch(p) => p.span,
    }
}

impl InputLookup {
    /// The table rows as records, after `where`, `start` and `max`.
    pub fn rows(&self) -> Vec<Record> {
        let mut out = Vec::new();
        for row in self.table.rows.iter().skip(self.start) {
            if self.max > 0 && out.len() >= self.max {
                break;
            }
            let record: Record = self
                .table
                .columns
                .iter()
                .zip(row)
                .filter(|(_, cell)| !cell.is_empty())
                .map(|(name, cell)| (name.clone(), cell.clone().into()))
                .collect();
            if self.filter.as_ref().is_none_or(|f| f.matches(&record)) {
                out.push(record);
            }
        }
        out
    }
}

impl Operator for InputLookup {
    fn push(
        &mut self,
        record: Record,
        _ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        if self.append {
            out.push(record);
        }
        Ok(())
    }

    fn finish(&mut self, _ctx: &mut ExecContext, out: &mut Vec<Record>) -> Result<(), RunError> {
        out.extend(self.rows());
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(self.clone())
    }
}
