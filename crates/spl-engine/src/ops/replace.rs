//! `replace <old> WITH <new> [, <old> WITH <new>]… [IN <field>, …]`: replaces whole field
//! values (§6 list; Splunk `replace` reference).
//!
//! Streaming, order kept. `<old>` matches a whole value, case-sensitively; `*` in it matches
//! any text, and each `*` in `<new>` inserts the text the corresponding `*` matched
//! (`replace "*.local" WITH "*"`). The first pair that matches a value wins. Without `IN`,
//! every field except internal ones (`_raw`, `_time`, …) is affected (engine choice). Every
//! value of a multivalue field is replaced on its own.

use crate::ops::arguments::{field_list, is_word, missing, text_of, unexpected};
use crate::ops::wildcard;
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::value::{Record, Value};
use spl_syntax::ast::{Command, GenericCommand};
use spl_syntax::Diagnostic;

/// The `replace` operator.
#[derive(Clone, Debug)]
pub struct ReplaceOperator {
    pairs: Vec<(String, String)>,
    fields: Option<Vec<String>>,
}

/// Builds the operator for `replace`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    _ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let tokens: Vec<_> = generic.args.iter().collect();
    let in_at = tokens.iter().position(|t| is_word(t, "in"));
    let (pair_tokens, field_tokens) = match in_at {
        Some(at) => (
            tokens.get(..at).unwrap_or(&[]),
            Some(tokens.get(at + 1..).unwrap_or(&[])),
        ),
        None => (tokens.as_slice(), None),
    };
    let one = |d| vec![d];
    let mut pairs = Vec::new();
    let mut index = 0;
    while let Some(token) = pair_tokens.get(index) {
        if is_word(token, ",") {
            index += 1;
            continue;
        }
        let old = text_of(token).ok_or_else(|| one(unexpected(command, token, "a value")))?;
        let Some(with) = pair_tokens.get(index + 1) else {
            return Err(one(missing(command, "`WITH <new value>` after the value")));
        };
        if !is_word(with, "with") {
            return Err(one(unexpected(command, with, "`WITH`")));
        }
        let Some(new_token) = pair_tokens.get(index + 2) else {
            return Err(one(missing(command, "a new value after `WITH`")));
        };
        let new =
            text_of(new_token).ok_or_else(|| one(unexpected(command, new_token, "a new value")))?;
        pairs.push((old.node.clone(), new.node.clone()));
        index += 3;
    }
    if pairs.is_empty() {
        return Err(one(missing(command, "`<old> WITH <new>`")));
    }
    let fields = match field_tokens {
        Some(tokens) => {
            let fields = field_list(command, tokens).map_err(one)?;
            if fields.is_empty() {
                return Err(one(missing(command, "a field after `IN`")));
            }
            Some(fields.iter().map(|f| f.node.clone()).collect())
        }
        None => None,
    };
    Ok(Box::new(ReplaceOperator { pairs, fields }))
}

impl ReplaceOperator {
    /// The replacement of one value, if a pair matches it.
    fn replace(&self, text: &str) -> Option<String> {
        self.pairs.iter().find_map(|(old, new)| {
            let captured = wildcard::captures(old, text)?;
            Some(wildcard::substitute(new, &captured))
        })
    }

    /// True when `name` is one of the fields to change.
    fn selects(&self, name: &str) -> bool {
        match &self.fields {
            Some(fields) => fields.iter().any(|f| wildcard::matches(f, name)),
            None => !name.starts_with('_'),
        }
    }
}

impl Operator for ReplaceOperator {
    fn push(
        &mut self,
        mut record: Record,
        _ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        let mut changes = Vec::new();
        for (name, value) in record.iter() {
            if !self.selects(name) {
                continue;
            }
            let mut changed = false;
            let replaced: Vec<String> = value
                .values()
                .iter()
                .map(|text| match self.replace(text) {
                    Some(new) => {
                        changed = true;
                        new
                    }
                    None => text.clone(),
                })
                .collect();
            if changed {
                if let Some(new) = Value::from_values(replaced) {
                    changes.push((name.to_string(), new));
                }
            }
        }
        for (name, value) in changes {
            record.insert(name, value);
        }
        out.push(record);
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(self.clone())
    }
}
