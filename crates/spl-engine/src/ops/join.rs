//! `join [type=inner|left|outer] [max=N] [overwrite=<bool>] [usetime=false] [<field>…]
//! [ <subsearch> ]`: combines each result with the subsearch results that have the same
//! values in the join fields (Splunk's Search Reference, "join").
//!
//! * `type=inner` (default) keeps only results with a match; `left` and `outer` (the same
//!   in Splunk) also keep results without one, unchanged.
//! * `max=N` (default 1) joins each result with its first N matches, one output row each;
//!   `max=0` means every match.
//! * `overwrite=true` (default): a subsearch field replaces the result's field of the same
//!   name; `false` keeps the result's value. Internal fields (`_raw`, `_time`) of the result
//!   are always kept (unconfirmed).
//! * Values compare exactly (case-sensitive). A result or subsearch row missing a join
//!   field matches nothing. A multivalue field matches when all its values, in order, are
//!   the same (unconfirmed: Splunk does not document it).
//! * Without a field list the join fields are the fields common to both sides (internal
//!   `_` fields left out, unconfirmed); the operator then holds every result until the end.
//! * `usetime=true` (time-ordered joins) is not supported.
//!
//! Output order: results in input order; a result's matches in subsearch order. With a
//! field list it streams; the subsearch runs when the first result arrives. More than
//! [`JOIN_MAXOUT`] subsearch results stop the run.

use crate::ops::arguments::{bad_value, is_word, missing, text_of, unexpected, Arguments};
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::subsearch::{Subsearch, JOIN_MAXOUT};
use crate::value::Record;
use spl_syntax::ast::{Command, CommandOption, GenericArg, GenericCommand};
use spl_syntax::Diagnostic;
use std::collections::{BTreeSet, HashMap};

/// The options `join` accepts.
const OPTIONS: &[&str] = &["type", "max", "overwrite", "usetime", "earlier"];

/// The `join` operator.
#[derive(Debug)]
pub struct JoinOperator {
    config: JoinConfig,
    subsearch: Subsearch,
    right: Option<RightSide>,
    /// Results held until the end when the join fields are the common fields.
    held: Vec<Record>,
}

/// The options of one `join`.
#[derive(Clone, Debug)]
struct JoinConfig {
    /// The join fields; empty means "the fields common to both sides".
    fields: Vec<String>,
    /// Keep results that match nothing (`type=left|outer`).
    keep_unmatched: bool,
    /// Matches joined per result; 0 is all.
    max: u64,
    overwrite: bool,
}

/// The subsearch results, indexed by their join-field values.
#[derive(Debug)]
struct RightSide {
    rows: Vec<Record>,
    by_key: HashMap<Vec<Vec<String>>, Vec<usize>>,
}

/// Builds the operator for `join`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let arguments = Arguments::checked(generic, "join", OPTIONS)?;
    let mut errors = Vec::new();
    let config = match read_config(command, &arguments) {
        Ok(config) => config,
        Err(found) => {
            errors.extend(found);
            return Err(errors);
        }
    };
    let subsearch = match arguments.rest.last() {
        Some(GenericArg::Subsearch(pipeline)) => Subsearch::plan(pipeline, ctx)?,
        _ => return Err(vec![missing(command, "a subsearch `[ … ]`")]),
    };
    Ok(Box::new(JoinOperator {
        config,
        subsearch,
        right: None,
        held: Vec::new(),
    }))
}

/// Reads the options and the field list (every token before the subsearch).
fn read_config(command: &Command, arguments: &Arguments) -> Result<JoinConfig, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let keep_unmatched = match arguments.option("type") {
        Some(option) => join_type(option).unwrap_or_else(|e| {
            errors.push(e);
            false
        }),
        None => false,
    };
    let max = arguments.count_option("max", 1).unwrap_or_else(|e| {
        errors.push(e);
        1
    });
    let overwrite = arguments
        .bool_option("overwrite", true)
        .unwrap_or_else(|e| {
            errors.push(e);
            true
        });
    if let Some(option) = arguments.option("usetime") {
        match arguments.bool_option("usetime", false) {
            Ok(false) => {}
            Ok(true) => errors.push(bad_value(
                option,
                "false (time-ordered joins are not supported)",
            )),
            Err(e) => errors.push(e),
        }
    }
    if let Err(e) = arguments.bool_option("earlier", true) {
        errors.push(e);
    }
    let mut fields = Vec::new();
    let before_subsearch = arguments
        .rest
        .split_last()
        .map_or(&[][..], |(_, init)| init);
    for arg in before_subsearch {
        if is_word(arg, ",") {
            continue;
        }
        match text_of(arg) {
            Some(text) => fields.push(text.node.clone()),
            None => errors.push(unexpected(command, arg, "a field name")),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(JoinConfig {
        fields,
        keep_unmatched,
        max,
        overwrite,
    })
}

/// `type=inner` → false; `left`/`outer` → true.
fn join_type(option: &CommandOption) -> Result<bool, Diagnostic> {
    match option.value.node.to_ascii_lowercase().as_str() {
        "inner" => Ok(false),
        "left" | "outer" => Ok(true),
        _ => Err(bad_value(option, "inner, left or outer")),
    }
}

/// The join key of `record`: the values of each field, or `None` when one is missing.
fn key_of(record: &Record, fields: &[String]) -> Option<Vec<Vec<String>>> {
    fields
        .iter()
        .map(|field| record.get(field).map(|value| value.values().to_vec()))
        .collect()
}

impl RightSide {
    fn new(rows: Vec<Record>, fields: &[String]) -> RightSide {
        let mut by_key: HashMap<Vec<Vec<String>>, Vec<usize>> = HashMap::new();
        for (index, row) in rows.iter().enumerate() {
            if let Some(key) = key_of(row, fields) {
                by_key.entry(key).or_default().push(index);
            }
        }
        RightSide { rows, by_key }
    }
}

impl JoinConfig {
    /// Joins `record` with its matches in `right` on `fields`, pushing the output rows.
    fn join(&self, record: Record, fields: &[String], right: &RightSide, out: &mut Vec<Record>) {
        let matches = key_of(&record, fields).and_then(|key| right.by_key.get(&key));
        let Some(matches) = matches else {
            if self.keep_unmatched {
                out.push(record);
            }
            return;
        };
        let limit = if self.max == 0 {
            usize::MAX
        } else {
            self.max as usize
        };
        for index in matches.iter().take(limit) {
            let Some(row) = right.rows.get(*index) else {
                continue;
            };
            out.push(self.merge(record.clone(), row));
        }
    }

    /// `record` with the fields of `row` added (replacing same-named ones with `overwrite`;
    /// internal fields such as `_raw` and `_time` are only added when missing, unconfirmed).
    fn merge(&self, mut record: Record, row: &Record) -> Record {
        for (name, value) in row.iter() {
            let replaces = self.overwrite && !name.starts_with('_');
            if replaces || !record.contains(name) {
                record.insert(name, value.clone());
            }
        }
        record
    }
}

/// The non-internal field names present in some record, sorted.
fn field_names(records: &[Record]) -> BTreeSet<&str> {
    records
        .iter()
        .flat_map(Record::names)
        .filter(|name| !name.starts_with('_'))
        .collect()
}

impl JoinOperator {
    fn right_side(&mut self, ctx: &ExecContext) -> Result<&RightSide, RunError> {
        if self.right.is_none() {
            let rows = self
                .subsearch
                .run(ctx, JOIN_MAXOUT, "`join` subsearch results")?;
            self.right = Some(RightSide::new(rows, &self.config.fields));
        }
        match &self.right {
            Some(right) => Ok(right),
            None => Err(RunError::Failed("`join` subsearch did not run".into())),
        }
    }
}

impl Operator for JoinOperator {
    fn push(
        &mut self,
        record: Record,
        ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        if self.config.fields.is_empty() {
            self.held.push(record);
            return Ok(());
        }
        let config = self.config.clone();
        let right = self.right_side(ctx)?;
        config.join(record, &config.fields, right, out);
        Ok(())
    }

    fn finish(&mut self, ctx: &mut ExecContext, out: &mut Vec<Record>) -> Result<(), RunError> {
        if !self.config.fields.is_empty() || self.held.is_empty() {
            return Ok(());
        }
        let rows = self
            .subsearch
            .run(ctx, JOIN_MAXOUT, "`join` subsearch results")?;
        let left_names = field_names(&self.held);
        let common: Vec<String> = field_names(&rows)
            .intersection(&left_names)
            .map(|name| name.to_string())
            .collect();
        let right = RightSide::new(rows, &common);
        for record in std::mem::take(&mut self.held) {
            if common.is_empty() {
                // Nothing to compare: no result matches (unconfirmed).
                if self.config.keep_unmatched {
                    out.push(record);
                }
                continue;
            }
            self.config.join(record, &common, &right, out);
        }
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(JoinOperator {
            config: self.config.clone(),
            subsearch: self.subsearch.fresh(),
            right: None,
            held: Vec::new(),
        })
    }
}
