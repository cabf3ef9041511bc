//! `format [mvsep="<sep>"] [maxresults=N] [emptystr="<text>"]`: turns the results into one
//! result whose `search` field holds them as a search string (Splunk's Search Reference,
//! "format"; it is what a subsearch does implicitly):
//!
//! ```text
//! ( ( f1="v1" AND f2="v2" ) OR ( f1="v3" ) )
//! ```
//!
//! A multivalue field gives `( f="a" OR f="b" )` (`mvsep` replaces `OR`); internal fields
//! are left out; a `search` or `query` field gives its value as written; no results give
//! `emptystr` (default `NOT ( )`, which matches nothing when used as a subsearch).
//! `maxresults` (default 0, all) formats only the first N results. The positional row and
//! column prefixes are not supported.
//!
//! Blocking: emits its one result at the end of input.

use crate::ops::arguments::{unexpected, Arguments};
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::value::Record;
use spl_syntax::ast::{Command, GenericCommand};
use spl_syntax::Diagnostic;

/// What `format` writes when there are no results.
pub const DEFAULT_EMPTY: &str = "NOT ( )";

/// The `format` operator.
#[derive(Clone, Debug)]
pub struct FormatOperator {
    mv_separator: String,
    max_results: u64,
    empty: String,
    held: Vec<Record>,
}

/// Builds the operator for `format`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    _ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let arguments = Arguments::checked(generic, "format", &["mvsep", "maxresults", "emptystr"])?;
    if let Some(arg) = arguments.rest.first() {
        return Err(vec![unexpected(
            command,
            arg,
            "only `mvsep=`, `maxresults=` and `emptystr=` (row and column prefixes are not supported)",
        )]);
    }
    let text = |name: &str, default: &str| {
        arguments
            .option(name)
            .map_or_else(|| default.to_string(), |o| o.value.node.clone())
    };
    Ok(Box::new(FormatOperator {
        mv_separator: text("mvsep", "OR"),
        max_results: arguments
            .count_option("maxresults", 0)
            .map_err(|e| vec![e])?,
        empty: text("emptystr", DEFAULT_EMPTY),
        held: Vec::new(),
    }))
}

/// `"text"` with `\` and `"` escaped.
pub fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

impl FormatOperator {
    /// One result's terms: `( f1="v1" AND f2="v2" )`, or `None` when it has no usable field.
    fn row(&self, record: &Record) -> Option<String> {
        let mut terms = Vec::new();
        for (name, value) in record.iter() {
            if name.starts_with('_') {
                continue;
            }
            if name == "search" || name == "query" {
                terms.extend(value.values().iter().cloned());
                continue;
            }
            let equals: Vec<String> = value
                .values()
                .iter()
                .map(|v| format!("{name}={}", quoted(v)))
                .collect();
            terms.push(match equals.as_slice() {
                [one] => one.clone(),
                _ => format!("( {} )", equals.join(&format!(" {} ", self.mv_separator))),
            });
        }
        (!terms.is_empty()).then(|| format!("( {} )", terms.join(" AND ")))
    }

    /// The search string of `records`.
    fn text(&self, records: &[Record]) -> String {
        let limit = match self.max_results {
            0 => usize::MAX,
            n => n as usize,
        };
        let rows: Vec<String> = records
            .iter()
            .take(limit)
            .filter_map(|r| self.row(r))
            .collect();
        if rows.is_empty() {
            return self.empty.clone();
        }
        format!("( {} )", rows.join(" OR "))
    }
}

impl Operator for FormatOperator {
    fn push(
        &mut self,
        record: Record,
        _ctx: &mut ExecContext,
        _out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        self.held.push(record);
        Ok(())
    }

    fn finish(&mut self, _ctx: &mut ExecContext, out: &mut Vec<Record>) -> Result<(), RunError> {
        let mut record = Record::new();
        record.insert("search", self.text(&self.held));
        self.held.clear();
        out.push(record);
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(FormatOperator {
            held: Vec::new(),
            ..self.clone()
        })
    }
}
