//! `lookup [local=…] [update=…] <table> <column> [AS <field>] [, …] [OUTPUT|OUTPUTNEW
//! <column> [AS <field>] …]`: enriches each result from a lookup table (`spl-semantics.md`
//! §6.15). Streaming; the output order is the input order.
//!
//! * Every input column must match. Each value of the first input field is looked up in
//!   turn (a multivalue field is looked up value by value, in its order); further input
//!   fields match when any of their values does. A result lacking an input field is left
//!   untouched.
//! * Per looked-up value, matching rows are taken in file order, at most `max_matches`; when
//!   fewer than `min_matches` match, `default_match` fills the gap (transforms.conf: "for
//!   each input lookup value"). The values of all looked-up values, in order, make the
//!   output, multivalue when there are several.
//! * Without an output clause every column that is not an input column is written, under its
//!   own name. `OUTPUT` overwrites; `OUTPUTNEW` writes only fields that are null.
//! * No values (no match and no default) leave the output fields untouched.
//! * Engine choice (unconfirmed): empty table cells give no value, so a matched row whose
//!   output cell is empty contributes nothing.
//!
//! Plan errors: `spl::plan::unknown_lookup` (with a did-you-mean) on the table name,
//! `spl::plan::unknown_lookup_field` for a column the table lacks,
//! `spl::plan::missing_argument` / `spl::plan::bad_argument` for malformed arguments.

use crate::lookup::{InputColumn, LookupTable, Matcher};
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::value::{Record, Value};
use spl_syntax::ast::{Command, GenericArg, GenericCommand};
use spl_syntax::diagnostic::did_you_mean;
use spl_syntax::{Diagnostic, Spanned};
use std::sync::Arc;

/// Options written before the table name that do not change matching here.
const IGNORED_OPTIONS: &[&str] = &["local", "update", "event_time_field"];

/// The `lookup` operator.
#[derive(Clone, Debug)]
pub struct Lookup {
    table: Arc<LookupTable>,
    matcher: Arc<Matcher>,
    /// Per input column, the event field read.
    input_fields: Vec<String>,
    /// (column index, event field written).
    outputs: Vec<(usize, String)>,
    /// `OUTPUTNEW`: write only null fields.
    only_new: bool,
}

/// One `column [AS field]` pair as written.
#[derive(Clone, Debug)]
struct FieldPair {
    column: Spanned<String>,
    field: String,
}

/// The parsed arguments.
#[derive(Debug, Default)]
struct Arguments {
    inputs: Vec<FieldPair>,
    outputs: Vec<FieldPair>,
    only_new: bool,
}

/// Builds the operator (generic-command builder for `lookup`).
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let mut args = generic.args.iter().peekable();
    while let Some(GenericArg::Option(option)) = args.peek() {
        let name = option.name.node.to_ascii_lowercase();
        if !IGNORED_OPTIONS.contains(&name.as_str()) {
            return Err(vec![Diagnostic::error(
                "spl::plan::unsupported_option",
                format!(
                    "`lookup` does not support the option `{}`",
                    option.name.node
                ),
                option.name.span,
            )]);
        }
        args.next();
    }
    let Some(name) = args.next().and_then(word_or_quoted) else {
        return Err(vec![missing(command, "a lookup table name")]);
    };
    let table = resolve_table(ctx, name).map_err(|d| vec![d])?;
    let rest: Vec<&GenericArg> = args.collect();
    let parsed = parse_fields(&rest).map_err(|d| vec![d])?;
    if parsed.inputs.is_empty() {
        return Err(vec![missing(command, "a lookup field to match on")]);
    }
    Ok(Box::new(lower(table, parsed)?))
}

/// The table called `name`, or `spl::plan::unknown_lookup`.
pub fn resolve_table(
    ctx: &PlanContext,
    name: &Spanned<String>,
) -> Result<Arc<LookupTable>, Diagnostic> {
    if let Some(table) = ctx.lookups.as_ref().and_then(|l| l.table(&name.node)) {
        return Ok(table);
    }
    let names = ctx.lookups.as_ref().map(|l| l.names()).unwrap_or_default();
    let mut diagnostic = Diagnostic::error(
        "spl::plan::unknown_lookup",
        format!("there is no lookup table `{}`", name.node),
        name.span,
    );
    if let Some(suggestion) = did_you_mean(&name.node, names.iter().map(String::as_str)) {
        diagnostic = diagnostic.with_help(format!("did you mean `{suggestion}`?"));
    } else if names.is_empty() {
        diagnostic = diagnostic.with_help("no lookup tables are loaded");
    }
    Err(diagnostic)
}

/// The text of a bare word or quoted string.
pub fn word_or_quoted(arg: &GenericArg) -> Option<&Spanned<String>> {
    match arg {
        GenericArg::Word(word) | GenericArg::Quoted(word) => Some(word),
        _ => None,
    }
}

/// `spl::plan::missing_argument` on the command name.
fn missing(command: &Command, what: &str) -> Diagnostic {
    Diagnostic::error(
        "spl::plan::missing_argument",
        format!("`{}` needs {what}", command.name.node),
        command.name.span,
    )
}

/// `col [AS field] [,] … [OUTPUT|OUTPUTNEW col [AS field] …]`.
fn parse_fields(args: &[&GenericArg]) -> Result<Arguments, Diagnostic> {
    let mut parsed = Arguments::default();
    let mut in_outputs = false;
    let mut index = 0;
    while let Some(arg) = args.get(index) {
        index += 1;
        let Some(word) = word_or_quoted(arg) else {
            return Err(bad_argument(arg));
        };
        let keyword = matches!(arg, GenericArg::Word(_));
        let upper = word.node.to_ascii_uppercase();
        if keyword && word.node == "," {
            continue;
        }
        if keyword && (upper == "OUTPUT" || upper == "OUTPUTNEW") {
            if in_outputs {
                return Err(bad_argument(arg));
            }
            in_outputs = true;
            parsed.only_new = upper == "OUTPUTNEW";
            continue;
        }
        let mut pair = FieldPair {
            column: word.clone(),
            field: word.node.clone(),
        };
        let is_as =
            |a: &&GenericArg| matches!(a, GenericArg::Word(w) if w.node.eq_ignore_ascii_case("as"));
        if args.get(index).is_some_and(is_as) {
            let alias = args.get(index + 1).copied();
            let Some(alias) = alias.and_then(word_or_quoted) else {
                return Err(Diagnostic::error(
                    "spl::plan::missing_argument",
                    "`AS` needs a field name after it",
                    word.span,
                ));
            };
            pair.field = alias.node.clone();
            index += 2;
        }
        if in_outputs {
            parsed.outputs.push(pair);
        } else {
            parsed.inputs.push(pair);
        }
    }
    Ok(parsed)
}

/// `spl::plan::bad_argument` on `arg`.
fn bad_argument(arg: &GenericArg) -> Diagnostic {
    let span = match arg {
        GenericArg::Word(w) | GenericArg::Quoted(w) => w.span,
        GenericArg::Option(o) => o.name.span.to(o.value.span),
        GenericArg::Group(g) => g.span,
        GenericArg::Template(t) => t.span,
        GenericArg::Subsearch(p) => p.span,
    };
    Diagnostic::error(
        "spl::plan::bad_argument",
        "`lookup` expects field names, `AS`, `OUTPUT` or `OUTPUTNEW` here",
        span,
    )
}

/// Resolves columns against the table.
fn lower(table: Arc<LookupTable>, parsed: Arguments) -> Result<Lookup, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut column = |pair: &FieldPair| -> Option<usize> {
        let found = table.column(&pair.column.node);
        if found.is_none() {
            errors.push(unknown_column(&table, &pair.column));
        }
        found
    };
    let inputs: Vec<(usize, String)> = parsed
        .inputs
        .iter()
        .filter_map(|pair| column(pair).map(|index| (index, pair.field.clone())))
        .collect();
    let mut outputs: Vec<(usize, String)> = parsed
        .outputs
        .iter()
        .filter_map(|pair| column(pair).map(|index| (index, pair.field.clone())))
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    if parsed.outputs.is_empty() {
        outputs = (0..table.columns.len())
            .filter(|index| !inputs.iter().any(|(input, _)| input == index))
            .filter_map(|index| table.columns.get(index).map(|name| (index, name.clone())))
            .collect();
    }
    let columns: Vec<InputColumn> = inputs
        .iter()
        .map(|(index, _)| InputColumn {
            index: *index,
            kind: table
                .columns
                .get(*index)
                .map(|name| table.options.match_type(name))
                .unwrap_or_default(),
        })
        .collect();
    Ok(Lookup {
        matcher: Arc::new(Matcher::new(&table, &columns)),
        input_fields: inputs.into_iter().map(|(_, field)| field).collect(),
        outputs,
        only_new: parsed.only_new,
        table,
    })
}

/// `spl::plan::unknown_lookup_field`.
fn unknown_column(table: &LookupTable, column: &Spanned<String>) -> Diagnostic {
    let mut diagnostic = Diagnostic::error(
        "spl::plan::unknown_lookup_field",
        format!(
            "the lookup table `{}` has no column `{}`",
            table.name, column.node
        ),
        column.span,
    );
    if let Some(suggestion) = did_you_mean(&column.node, table.columns.iter().map(String::as_str)) {
        diagnostic = diagnostic.with_help(format!("did you mean `{suggestion}`?"));
    }
    diagnostic
}

impl Lookup {
    /// Enriches `record` in place.
    pub fn apply(&self, record: &mut Record) {
        let mut values: Vec<Vec<&str>> = Vec::with_capacity(self.input_fields.len());
        for field in &self.input_fields {
            match record.get(field) {
                Some(value) => values.push(value.values().iter().map(String::as_str).collect()),
                None => return,
            }
        }
        let mut outputs: Vec<Vec<String>> = vec![Vec::new(); self.outputs.len()];
        let Some((first, others)) = values.split_first() else {
            return;
        };
        for value in first {
            let mut keys = Vec::with_capacity(values.len());
            keys.push(vec![*value]);
            keys.extend(others.iter().cloned());
            let rows = self.matcher.find(&keys);
            for ((column, _), found) in self.outputs.iter().zip(outputs.iter_mut()) {
                found.extend(self.output_values(&rows, *column));
            }
        }
        for ((_, field), found) in self.outputs.iter().zip(outputs) {
            if self.only_new && record.contains(field) {
                continue;
            }
            if let Some(value) = Value::from_values(found) {
                record.insert(field.as_str(), value);
            }
        }
    }

    /// The values of `column` in the matched `rows`, padded to `min_matches`.
    fn output_values(&self, rows: &[usize], column: usize) -> Vec<String> {
        let options = &self.table.options;
        let mut values: Vec<String> = rows
            .iter()
            .filter_map(|row| self.table.rows.get(*row)?.get(column))
            .filter(|cell| !cell.is_empty())
            .cloned()
            .collect();
        if rows.len() < options.min_matches && !options.default_match.is_empty() {
            let missing = options.min_matches - rows.len();
            values.extend(std::iter::repeat_n(options.default_match.clone(), missing));
        }
        values
    }
}

impl Operator for Lookup {
    fn push(
        &mut self,
        mut record: Record,
        _ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        self.apply(&mut record);
        out.push(record);
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(self.clone())
    }
}
