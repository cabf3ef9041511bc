//! `foreach [mode=multifield] <wc-field> … [fieldstr=…] [matchstr=…] [matchseg1=…] [ eval … ]`:
//! runs an `eval` template once per field whose name matches one of the patterns.
//! Streaming; the output order is the input order.
//!
//! In the template `<<FIELD>>` becomes the field name, `<<MATCHSTR>>` the text the
//! wildcards matched (concatenated when there are several), `<<MATCHSEG1>>`…`<<MATCHSEG3>>`
//! the text of each wildcard; the `fieldstr`, `matchstr` and `matchsegN` options rename these
//! placeholders. Substitution is textual, as in Splunk: a field name with special characters
//! needs `'<<FIELD>>'` in the template.
//!
//! Engine choices: the fields are those present when the record arrives, taken pattern by
//! pattern and in record order within a pattern, each once; a pattern that does not start
//! with `_` does not match internal fields (`_raw`, `_time`). Only `eval` templates are
//! supported. The template is checked at plan time with a sample field name; a template
//! that fails to parse for an actual field name stops the run with an error.

use crate::ops::wildcard::{captures, matches};
use crate::ops::Operator;
use crate::run::{ExecContext, RunError};
use crate::value::Record;
use spl_syntax::ast::{Command, CommandKind, GenericArg, GenericCommand};
use spl_syntax::{parse_pipeline, Diagnostic, Span};
use std::collections::HashMap;

use crate::plan::PlanContext;

/// The `foreach` operator.
#[derive(Debug)]
pub struct Foreach {
    patterns: Vec<String>,
    template: String,
    template_span: Span,
    placeholders: Placeholders,
    /// Compiled `eval` per substituted template text.
    compiled: HashMap<String, Box<dyn Operator>>,
}

/// The placeholder names of the template.
#[derive(Clone, Debug)]
struct Placeholders {
    field: String,
    matchstr: String,
    segments: [String; 3],
}

impl Default for Placeholders {
    fn default() -> Self {
        Placeholders {
            field: "<<FIELD>>".to_string(),
            matchstr: "<<MATCHSTR>>".to_string(),
            segments: [
                "<<MATCHSEG1>>".to_string(),
                "<<MATCHSEG2>>".to_string(),
                "<<MATCHSEG3>>".to_string(),
            ],
        }
    }
}

/// Builds the operator (generic-command builder for `foreach`).
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    _ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let one = |d: Diagnostic| vec![d];
    let mut patterns = Vec::new();
    let mut placeholders = Placeholders::default();
    let mut template = None;
    for arg in &generic.args {
        match arg {
            GenericArg::Word(word) if word.node == "," => {}
            GenericArg::Word(word) | GenericArg::Quoted(word) => patterns.push(word.node.clone()),
            GenericArg::Option(option) => {
                let value = option.value.node.clone();
                match option.name.node.to_ascii_lowercase().as_str() {
                    "mode" if option.value.node.eq_ignore_ascii_case("multifield") => {}
                    "fieldstr" => placeholders.field = value,
                    "matchstr" => placeholders.matchstr = value,
                    "matchseg1" => placeholders.segments[0] = value,
                    "matchseg2" => placeholders.segments[1] = value,
                    "matchseg3" => placeholders.segments[2] = value,
                    _ => {
                        return Err(one(Diagnostic::error(
                            "spl::plan::unsupported_option",
                            format!(
                                "`foreach` does not support `{}={}`",
                                option.name.node, option.value.node
                            ),
                            option.name.span.to(option.value.span),
                        )))
                    }
                }
            }
            GenericArg::Template(text) => template = Some(text.clone()),
            GenericArg::Group(group) => return Err(one(bad(group.span))),
            GenericArg::Subsearch(pipeline) => return Err(one(bad(pipeline.span))),
        }
    }
    let Some(template) = template else {
        return Err(one(Diagnostic::error(
            "spl::plan::missing_argument",
            "`foreach` needs a template in square brackets, e.g. [eval <<FIELD>>=…]",
            command.name.span,
        )));
    };
    if patterns.is_empty() {
        return Err(one(Diagnostic::error(
            "spl::plan::missing_argument",
            "`foreach` needs at least one field or wildcard pattern",
            command.name.span,
        )));
    }
    let operator = Foreach {
        patterns,
        template: template.node,
        template_span: template.span,
        placeholders,
        compiled: HashMap::new(),
    };
    let sample = operator.substitute("field", &["match"]);
    compile_template(&sample, operator.template_span).map_err(|mut errors| {
        for error in &mut errors {
            error.span = Some(operator.template_span);
        }
        errors
    })?;
    Ok(Box::new(operator))
}

fn bad(span: Span) -> Diagnostic {
    Diagnostic::error(
        "spl::plan::bad_argument",
        "`foreach` expects field names, options and one [ … ] template",
        span,
    )
}

/// Compiles the substituted template, which must be one `eval` command.
fn compile_template(text: &str, span: Span) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let pipeline = parse_pipeline(&format!("| {text}"))?;
    let mut commands = pipeline.commands.into_iter();
    match (commands.next(), commands.next()) {
        (Some(command), None) => match command.kind {
            CommandKind::Eval(assignments) => {
                crate::ops::eval::build(&assignments).map_err(|d| vec![d])
            }
            _ => Err(vec![Diagnostic::error(
                "spl::plan::unsupported_template",
                format!(
                    "`foreach` templates with `{}` are not supported yet; only `eval` is",
                    command.name.node
                ),
                span,
            )]),
        },
        _ => Err(vec![Diagnostic::error(
            "spl::plan::unsupported_template",
            "a `foreach` template must be exactly one `eval` command",
            span,
        )]),
    }
}

impl Foreach {
    /// The template with the placeholders replaced.
    fn substitute(&self, field: &str, segments: &[&str]) -> String {
        let mut text = self.template.replace(&self.placeholders.field, field);
        text = text.replace(&self.placeholders.matchstr, &segments.concat());
        for (index, placeholder) in self.placeholders.segments.iter().enumerate() {
            let segment = segments.get(index).copied().unwrap_or("");
            text = text.replace(placeholder, segment);
        }
        text
    }

    /// The fields of `record` to visit, with the wildcard segments of each.
    fn targets(&self, record: &Record) -> Vec<(String, Vec<String>)> {
        let mut targets: Vec<(String, Vec<String>)> = Vec::new();
        for pattern in &self.patterns {
            let internal_ok = pattern.starts_with('_');
            for name in record.names() {
                if (name.starts_with('_') && !internal_ok)
                    || targets.iter().any(|(seen, _)| seen == name)
                    || !matches(pattern, name)
                {
                    continue;
                }
                let segments = captures(pattern, name)
                    .unwrap_or_default()
                    .into_iter()
                    .map(str::to_string)
                    .collect();
                targets.push((name.to_string(), segments));
            }
        }
        targets
    }
}

impl Operator for Foreach {
    fn push(
        &mut self,
        mut record: Record,
        ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        for (field, segments) in self.targets(&record) {
            let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
            let text = self.substitute(&field, &segments);
            if !self.compiled.contains_key(&text) {
                let operator = compile_template(&text, self.template_span).map_err(|errors| {
                    let detail = errors.first().map_or(String::new(), |d| d.message.clone());
                    RunError::Failed(format!(
                        "the foreach template for field `{field}` is not valid: {detail}"
                    ))
                })?;
                self.compiled.insert(text.clone(), operator);
            }
            let Some(operator) = self.compiled.get_mut(&text) else {
                continue;
            };
            let mut result = Vec::with_capacity(1);
            operator.push(record, ctx, &mut result)?;
            let Some(updated) = result.pop() else {
                return Ok(());
            };
            record = updated;
        }
        out.push(record);
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(Foreach {
            patterns: self.patterns.clone(),
            template: self.template.clone(),
            template_span: self.template_span,
            placeholders: self.placeholders.clone(),
            compiled: HashMap::new(),
        })
    }
}
