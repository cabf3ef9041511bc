//! Reads `stats`-style arguments (`count, values(x) AS y … BY a, b`) from the tokens of a
//! generic command, for `eventstats` and `streamstats`.
//!
//! Supported forms: `func`, `func(field)`, either with `AS name`, separated by spaces or
//! commas, then `BY field, …`. `func(eval(…))` is not supported yet
//! (`spl::plan::unsupported_argument`).

use crate::ops::arguments::{is_word, missing, span_of, text_of, unexpected};
use spl_syntax::ast::{
    Aggregation, AggregationArgument, Command, CommandOption, Field, GenericArg, GenericCommand,
    Stats,
};
use spl_syntax::{Diagnostic, Spanned};

/// The aggregations of the command, and the options it reads itself.
#[derive(Debug)]
pub struct StatsArguments {
    /// Aggregations, BY fields, and the options `stats` itself knows.
    pub stats: Stats,
    /// Options named in `own_options`, in written order.
    pub options: Vec<CommandOption>,
}

/// Splits `generic` into aggregations, BY fields and options; `own_options` are the option
/// names the command reads itself (the others are given to `stats`).
pub fn parse(
    command: &Command,
    generic: &GenericCommand,
    own_options: &[&str],
) -> Result<StatsArguments, Vec<Diagnostic>> {
    let mut options = Vec::new();
    let mut stats_options = Vec::new();
    let mut tokens = Vec::new();
    for arg in &generic.args {
        match arg {
            GenericArg::Option(option)
                if own_options
                    .iter()
                    .any(|o| option.name.node.eq_ignore_ascii_case(o)) =>
            {
                options.push(option.clone())
            }
            GenericArg::Option(option) => stats_options.push(option.clone()),
            other => tokens.push(other),
        }
    }
    let by_at = tokens.iter().position(|t| is_word(t, "by"));
    let (aggregation_tokens, by_tokens) = match by_at {
        Some(at) => (
            tokens.get(..at).unwrap_or(&[]),
            tokens.get(at + 1..).unwrap_or(&[]),
        ),
        None => (tokens.as_slice(), &[][..]),
    };
    let mut errors = Vec::new();
    let aggregations = aggregations(command, aggregation_tokens, &mut errors);
    let by = by_fields(command, by_tokens, &mut errors);
    if aggregations.is_empty() && errors.is_empty() {
        errors.push(missing(command, "an aggregation such as `count`"));
    }
    if by_at.is_some() && by.is_empty() && errors.is_empty() {
        errors.push(missing(command, "a field after `BY`"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(StatsArguments {
        stats: Stats {
            aggregations,
            by,
            options: stats_options,
        },
        options,
    })
}

/// The BY fields.
fn by_fields(
    command: &Command,
    tokens: &[&GenericArg],
    errors: &mut Vec<Diagnostic>,
) -> Vec<Field> {
    let mut fields = Vec::new();
    for token in tokens {
        if is_word(token, ",") {
            continue;
        }
        match text_of(token) {
            Some(name) => fields.push(field(name)),
            None => errors.push(unexpected(command, token, "a field name")),
        }
    }
    fields
}

/// A field node from a word.
fn field(name: &Spanned<String>) -> Field {
    Field {
        name: name.node.clone(),
        span: name.span,
    }
}

/// The aggregations, in written order.
fn aggregations(
    command: &Command,
    tokens: &[&GenericArg],
    errors: &mut Vec<Diagnostic>,
) -> Vec<Aggregation> {
    let mut out = Vec::new();
    let mut index = 0;
    while let Some(token) = tokens.get(index) {
        index += 1;
        if is_word(token, ",") {
            continue;
        }
        let GenericArg::Word(function) = token else {
            errors.push(unexpected(command, token, "an aggregation such as `count`"));
            continue;
        };
        let mut span = function.span;
        let mut argument = None;
        if let Some(GenericArg::Group(group)) = tokens.get(index) {
            index += 1;
            span = span.to(group.span);
            match group.node.as_slice() {
                [GenericArg::Word(name)] | [GenericArg::Quoted(name)] => {
                    argument = Some(AggregationArgument::Field(field(name)))
                }
                _ => {
                    errors.push(Diagnostic::error(
                        "spl::plan::unsupported_argument",
                        format!(
                            "`{}` takes a single field name here (`eval(…)` arguments are not supported yet)",
                            command.name.node
                        ),
                        group.span,
                    ));
                    continue;
                }
            }
        }
        let mut alias = None;
        if tokens.get(index).is_some_and(|t| is_word(t, "as")) {
            match tokens.get(index + 1).and_then(|t| text_of(t)) {
                Some(name) => {
                    span = span.to(name.span);
                    alias = Some(field(name));
                    index += 2;
                }
                None => {
                    let at = tokens.get(index).map_or(function.span, |t| span_of(t));
                    errors.push(Diagnostic::error(
                        "spl::plan::missing_argument",
                        "`AS` needs a field name",
                        at,
                    ));
                    index += 1;
                }
            }
        }
        out.push(Aggregation {
            function: function.clone(),
            argument,
            alias,
            span,
        });
    }
    out
}
