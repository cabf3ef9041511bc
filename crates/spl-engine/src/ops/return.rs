//! `return [N] [<alias>=<field>…] [<field>…] [$<field>…]`: the first N results (default 1)
//! as one result whose `search` field is a search string (Splunk's Search Reference,
//! "return"). Used at the end of a subsearch.
//!
//! Per result: `field` gives `field="value"`, `alias=field` gives `alias="value"`, `$field`
//! gives the value as written; the terms are separated by spaces (AND). Several results are
//! written `(…) OR (…)`. A multivalue field gives `( f="a" OR f="b" )` and a missing field
//! gives no term (both unconfirmed). No results give no result at all, which a subsearch
//! turns into a filter that matches nothing (unconfirmed).
//!
//! Blocking: emits its one result at the end of input.

use crate::ops::arguments::{is_word, missing, unexpected};
use crate::ops::format::quoted;
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::value::Record;
use spl_syntax::ast::{Command, GenericArg, GenericCommand};
use spl_syntax::Diagnostic;

/// One item of the `return` list.
#[derive(Clone, Debug)]
enum Item {
    /// `field` or `alias=field`: `name="value"`.
    Named { name: String, field: String },
    /// `$field`: the value as written.
    Value(String),
}

/// The `return` operator.
#[derive(Clone, Debug)]
pub struct ReturnOperator {
    count: u64,
    items: Vec<Item>,
    held: Vec<Record>,
}

/// Builds the operator for `return`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    _ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let mut count = 1;
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for (index, arg) in generic.args.iter().enumerate() {
        let leading_count = match arg {
            GenericArg::Word(word) if index == 0 => word.node.parse::<u64>().ok(),
            _ => None,
        };
        if let Some(leading_count) = leading_count {
            count = leading_count;
            continue;
        }
        match arg {
            GenericArg::Word(word) if word.node.starts_with('$') && word.node.len() > 1 => {
                items.push(Item::Value(word.node.trim_start_matches('$').to_string()));
            }
            GenericArg::Word(word) | GenericArg::Quoted(word) if !is_word(arg, ",") => {
                items.push(Item::Named {
                    name: word.node.clone(),
                    field: word.node.clone(),
                });
            }
            GenericArg::Option(option) => items.push(Item::Named {
                name: option.name.node.clone(),
                field: option.value.node.clone(),
            }),
            _ if is_word(arg, ",") => {}
            _ => errors.push(unexpected(
                command,
                arg,
                "a field, `alias=field` or `$field`",
            )),
        }
    }
    if items.is_empty() && errors.is_empty() {
        errors.push(missing(command, "a field to return"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Box::new(ReturnOperator {
        count,
        items,
        held: Vec::new(),
    }))
}

impl ReturnOperator {
    /// The terms of one result, separated by spaces.
    fn row(&self, record: &Record) -> String {
        let mut terms = Vec::new();
        for item in &self.items {
            match item {
                Item::Value(field) => {
                    if let Some(value) = record.get(field) {
                        terms.push(value.first().to_string());
                    }
                }
                Item::Named { name, field } => {
                    let Some(value) = record.get(field) else {
                        continue;
                    };
                    let equals: Vec<String> = value
                        .values()
                        .iter()
                        .map(|v| format!("{name}={}", quoted(v)))
                        .collect();
                    terms.push(match equals.as_slice() {
                        [one] => one.clone(),
                        _ => format!("( {} )", equals.join(" OR ")),
                    });
                }
            }
        }
        terms.join(" ")
    }
}

impl Operator for ReturnOperator {
    fn push(
        &mut self,
        record: Record,
        _ctx: &mut ExecContext,
        _out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        if (self.held.len() as u64) < self.count {
            self.held.push(record);
        }
        Ok(())
    }

    fn finish(&mut self, _ctx: &mut ExecContext, out: &mut Vec<Record>) -> Result<(), RunError> {
        let rows: Vec<String> = self.held.iter().map(|r| self.row(r)).collect();
        self.held.clear();
        let text = match rows.as_slice() {
            [] => return Ok(()),
            [one] => one.clone(),
            _ => rows
                .iter()
                .map(|row| format!("({row})"))
                .collect::<Vec<_>>()
                .join(" OR "),
        };
        let mut record = Record::new();
        record.insert("search", text);
        out.push(record);
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(ReturnOperator {
            held: Vec::new(),
            ..self.clone()
        })
    }
}
