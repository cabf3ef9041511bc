//! `regex [<field>=|<field>!=]"<re>"`: keeps results whose field matches (or, with `!=`, does
//! not match) an unanchored PCRE pattern; default field `_raw` (§6.9).
//!
//! Streaming, order kept. A missing field fails `=` and passes `!=`; a multivalue field
//! matches when any value matches. A match that hits the backtracking limit stops the run
//! with [`RunError::Limit`] naming the pattern.

use crate::ops::arguments::{compile_regex, is_word, missing, regex_is_match, text_of, unexpected};
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::value::Record;
use fancy_regex::Regex;
use spl_syntax::ast::{Command, GenericArg, GenericCommand};
use spl_syntax::Diagnostic;

/// The `regex` operator.
#[derive(Clone, Debug)]
pub struct RegexOperator {
    field: String,
    negated: bool,
    regex: Regex,
}

/// Builds the operator for `regex`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    _ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let one = |d| vec![d];
    let (field, negated, pattern) = match generic.args.as_slice() {
        [GenericArg::Option(option)] => (option.name.node.clone(), false, &option.value),
        [GenericArg::Quoted(pattern)] => ("_raw".to_string(), false, pattern),
        [GenericArg::Word(field), operator, value] if is_word(operator, "!=") => {
            let Some(pattern) = text_of(value) else {
                return Err(one(unexpected(
                    command,
                    value,
                    "a quoted regular expression",
                )));
            };
            (field.node.clone(), true, pattern)
        }
        [GenericArg::Word(field), operator, value] if is_word(operator, "=") => {
            let Some(pattern) = text_of(value) else {
                return Err(one(unexpected(
                    command,
                    value,
                    "a quoted regular expression",
                )));
            };
            (field.node.clone(), false, pattern)
        }
        [] => return Err(one(missing(command, "a regular expression"))),
        [first, ..] => {
            return Err(one(unexpected(
                command,
                first,
                "`<field>=\"<regex>\"`, `<field>!=\"<regex>\"` or `\"<regex>\"`",
            )))
        }
    };
    let regex = compile_regex(&pattern.node, pattern.span).map_err(one)?;
    Ok(Box::new(RegexOperator {
        field,
        negated,
        regex,
    }))
}

impl RegexOperator {
    /// True when some value of the field matches.
    fn matches(&self, record: &Record) -> Result<bool, RunError> {
        let Some(value) = record.get(&self.field) else {
            return Ok(false);
        };
        for text in value.values() {
            if regex_is_match(&self.regex, text)? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

impl Operator for RegexOperator {
    fn push(
        &mut self,
        record: Record,
        _ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        if self.matches(&record)? != self.negated {
            out.push(record);
        }
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(self.clone())
    }
}
