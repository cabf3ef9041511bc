//! `spath [input=<f>] [output=<f>] [path=]<path>` and `spath [input=<f>]` (§6.14).
//!
//! Streaming, order kept. The input (default `_raw`, first value) is parsed as JSON.
//!
//! * No path: every leaf becomes a field with the event naming of §2.2 (`a.b{}.c`, `{}` for
//!   a top-level array); existing fields of the same name are replaced. No size cutoff.
//! * A path (`a.b{}.c`, `{N}` 0-based, `{}` all elements): the values reached go to
//!   `output` (default: the path as written); several ⇒ multivalue; an object or array ⇒
//!   its JSON text [U-high]. Nothing reached ⇒ the output is left as it was.
//! * Input that is not JSON (XML is not supported) or a missing input field: unchanged.

use crate::ops::arguments::{text_of, unexpected, Arguments};
use crate::ops::json_fields::{auto_extract, extract_path, insert_all};
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::value::Record;
use spl_syntax::ast::{Command, GenericCommand};
use spl_syntax::Diagnostic;

/// The `spath` operator.
#[derive(Clone, Debug)]
pub struct SpathOperator {
    input: String,
    path: Option<String>,
    output: Option<String>,
}

/// Builds the operator for `spath`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    _ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let arguments = Arguments::new(generic);
    let mut errors = arguments.check_options("spath", &["input", "output", "path"]);
    let mut path = arguments.option("path").map(|o| o.value.node.clone());
    for arg in &arguments.rest {
        match (text_of(arg), &path) {
            (Some(text), None) => path = Some(text.node.clone()),
            _ => errors.push(unexpected(command, arg, "at most one path")),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Box::new(SpathOperator {
        input: arguments
            .option("input")
            .map_or_else(|| "_raw".to_string(), |o| o.value.node.clone()),
        output: arguments.option("output").map(|o| o.value.node.clone()),
        path,
    }))
}

impl Operator for SpathOperator {
    fn push(
        &mut self,
        mut record: Record,
        _ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        let text = record.get(&self.input).map(|v| v.first().to_string());
        if let Some(text) = text {
            match &self.path {
                None => {
                    if let Some(fields) = auto_extract(&text) {
                        insert_all(&mut record, fields, "");
                    }
                }
                Some(path) => {
                    if let Some(value) = extract_path(&text, path) {
                        let output = self.output.clone().unwrap_or_else(|| path.clone());
                        record.insert(output, value);
                    }
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
