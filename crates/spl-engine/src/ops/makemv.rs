//! `makemv [delim=<str> | tokenizer=<regex>] [allowempty=<bool>] <field>`: splits a
//! single value into a multivalue (§6.11).
//!
//! Streaming, order kept. The default delimiter is one space; a delimiter may be several
//! characters. Empty pieces (consecutive delimiters, or a delimiter at either end) are dropped
//! unless `allowempty=true`. With `tokenizer`, each match gives one value: its first capture
//! group, or the whole match when the pattern has no group [U-high]. A multivalue field is
//! split value by value. A missing field is left missing. `setsv` is not supported
//! (`spl::plan::unsupported_option`).

use crate::ops::arguments::{compile_regex, regex_failure, single_field, Arguments};
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::value::{Record, Value};
use fancy_regex::Regex;
use spl_syntax::ast::{Command, GenericCommand};
use spl_syntax::Diagnostic;

/// How values are split.
#[derive(Clone, Debug)]
enum Splitter {
    /// At every occurrence of a delimiter string.
    Delimiter(String),
    /// One value per match of a regex.
    Tokenizer(Regex),
}

/// The `makemv` operator.
#[derive(Clone, Debug)]
pub struct MakemvOperator {
    field: String,
    splitter: Splitter,
    allow_empty: bool,
}

/// Builds the operator for `makemv`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    _ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let arguments = Arguments::new(generic);
    let mut errors =
        arguments.check_options("makemv", &["delim", "tokenizer", "allowempty", "setsv"]);
    if let Some(setsv) = arguments.option("setsv") {
        errors.push(Diagnostic::error(
            "spl::plan::unsupported_option",
            "`makemv` option `setsv` is not supported yet",
            setsv.name.span,
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let one = |d| vec![d];
    let field = single_field(command, &arguments.rest, "splits").map_err(|d| vec![d])?;
    let splitter = match (arguments.option("tokenizer"), arguments.option("delim")) {
        (Some(tokenizer), None) => Splitter::Tokenizer(
            compile_regex(&tokenizer.value.node, tokenizer.value.span).map_err(one)?,
        ),
        (None, Some(delim)) if delim.value.node.is_empty() => {
            return Err(one(crate::ops::arguments::bad_value(
                delim,
                "a non-empty delimiter",
            )))
        }
        (None, Some(delim)) => Splitter::Delimiter(delim.value.node.clone()),
        (None, None) => Splitter::Delimiter(" ".to_string()),
        (Some(_), Some(delim)) => {
            return Err(one(Diagnostic::error(
                "spl::plan::bad_argument",
                "`makemv` takes `delim` or `tokenizer`, not both",
                delim.name.span,
            )))
        }
    };
    let allow_empty = arguments.bool_option("allowempty", false).map_err(one)?;
    Ok(Box::new(MakemvOperator {
        field,
        splitter,
        allow_empty,
    }))
}

impl MakemvOperator {
    /// The pieces of one value.
    fn split(&self, text: &str, out: &mut Vec<String>) -> Result<(), RunError> {
        match &self.splitter {
            Splitter::Delimiter(delimiter) => {
                out.extend(
                    text.split(delimiter.as_str())
                        .filter(|piece| self.allow_empty || !piece.is_empty())
                        .map(str::to_string),
                );
            }
            Splitter::Tokenizer(regex) => {
                for captures in regex.captures_iter(text) {
                    let captures = captures.map_err(|e| regex_failure(regex, &e))?;
                    let piece = captures
                        .get(1)
                        .or_else(|| captures.get(0))
                        .map_or("", |m| m.as_str());
                    if self.allow_empty || !piece.is_empty() {
                        out.push(piece.to_string());
                    }
                }
            }
        }
        Ok(())
    }
}

impl Operator for MakemvOperator {
    fn push(
        &mut self,
        mut record: Record,
        _ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        if let Some(value) = record.get(&self.field) {
            let mut pieces = Vec::new();
            for text in value.values() {
                self.split(text, &mut pieces)?;
            }
            match Value::from_values(pieces) {
                Some(value) => record.insert(self.field.clone(), value),
                None => {
                    record.remove(&self.field);
                }
            }
        }
        out.push(record);
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(self.clone())
    }
}
