//! Planning: lowering a parsed [`Pipeline`] into operators, checking everything that can be
//! checked without data (unsupported commands, unknown functions, bad options, a missing
//! GeoIP database). Every problem of every command is reported, not just the first.

use crate::geo::IpLocator;
use crate::lookup::LookupSource;
use crate::ops::{self, Operator};
use spl_syntax::ast::{Command, CommandKind, Pipeline};
use spl_syntax::macros::{ExpandOptions, MacroSet};
use spl_syntax::{Diagnostic, Span};
use std::sync::Arc;

/// What the planner may use.
#[derive(Clone, Default)]
pub struct PlanContext {
    /// The GeoIP database for `iplocation`.
    pub ip_locator: Option<Arc<dyn IpLocator>>,
    /// The lookup tables for `lookup` and `inputlookup`.
    pub lookups: Option<Arc<dyn LookupSource>>,
    /// The macros, for searches written inside strings (`map search="…"`), which are
    /// expanded when planned.
    pub macros: Option<Arc<MacroSet>>,
    /// The expansion limits for those searches.
    pub expand_options: ExpandOptions,
}

/// A pipeline ready to run.
#[derive(Debug)]
pub struct Plan {
    /// The stages in order.
    pub stages: Vec<PlannedStage>,
}

/// One stage of a [`Plan`].
#[derive(Debug)]
pub struct PlannedStage {
    /// The command name, lower case.
    pub name: String,
    /// Where the command was written (in the expanded text).
    pub span: Span,
    /// The command as canonical SPL.
    pub description: String,
    /// The operator in its initial state.
    pub operator: Box<dyn Operator>,
}

impl std::fmt::Display for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (index, stage) in self.stages.iter().enumerate() {
            writeln!(f, "{}: {}", index + 1, stage.description)?;
        }
        Ok(())
    }
}

/// Lowers `pipeline` into a plan, or returns every problem found.
pub fn plan(pipeline: &Pipeline, ctx: &PlanContext) -> Result<Plan, Vec<Diagnostic>> {
    let mut stages = Vec::with_capacity(pipeline.commands.len());
    let mut errors = Vec::new();
    for command in &pipeline.commands {
        match lower(command, ctx) {
            Ok(operator) => stages.push(PlannedStage {
                name: command.name.node.to_ascii_lowercase(),
                span: command.span,
                description: describe(command),
                operator,
            }),
            Err(found) => errors.extend(found.into_iter().map(|d| with_span(d, command.span))),
        }
    }
    if errors.is_empty() {
        Ok(Plan { stages })
    } else {
        Err(errors)
    }
}

/// Gives a diagnostic without a place the span of its command.
fn with_span(mut diagnostic: Diagnostic, span: Span) -> Diagnostic {
    if diagnostic.span.is_none() {
        diagnostic.span = Some(span);
    }
    diagnostic
}

/// The operator of one command.
fn lower(command: &Command, ctx: &PlanContext) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let one = |d: Diagnostic| vec![d];
    let operator: Box<dyn Operator> = match &command.kind {
        CommandKind::Search(expr) => ops::search_subsearch::build(expr.as_ref(), ctx)?,
        CommandKind::Where(expr) => ops::r#where::build(expr).map_err(one)?,
        CommandKind::Eval(assignments) => ops::eval::build(assignments).map_err(one)?,
        CommandKind::IpLocation(iplocation) => Box::new(
            ops::iplocation::build(iplocation, ctx.ip_locator.as_ref(), command.span)
                .map_err(one)?,
        ),
        CommandKind::Stats(stats) => Box::new(ops::stats::build(stats)?),
        CommandKind::Rename(pairs) => Box::new(ops::rename::build(pairs)?),
        CommandKind::Fillnull(fillnull) => Box::new(ops::fillnull::build(fillnull)),
        CommandKind::Table(fields) => Box::new(ops::table::build(fields)),
        CommandKind::Fields(fields) => Box::new(ops::fields::build(fields)),
        CommandKind::Head(head) => Box::new(ops::head::build(head)),
        CommandKind::Dedup(dedup) => Box::new(ops::dedup::build(dedup)),
        CommandKind::Sort(sort) => Box::new(ops::sort::build(sort)),
        CommandKind::Generic(generic) => ops::generic::build(command, generic, ctx)?,
    };
    Ok(operator)
}

/// The command as canonical SPL, for `explain`.
fn describe(command: &Command) -> String {
    command.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use spl_syntax::ast::{GenericCommand, Head};
    use spl_syntax::Spanned;

    fn command(name: &str, kind: CommandKind, span: Span) -> Command {
        Command {
            name: Spanned::new(
                name.to_string(),
                Span::new(span.start, span.start + name.len()),
            ),
            kind,
            span,
        }
    }

    #[test]
    fn every_error_of_every_command_is_reported() {
        let pipeline = Pipeline {
            commands: vec![
                command("search", CommandKind::Search(None), Span::new(0, 0)),
                command(
                    "multikv",
                    CommandKind::Generic(GenericCommand { args: vec![] }),
                    Span::new(2, 20),
                ),
                command(
                    "head",
                    CommandKind::Head(Head { count: Some(3) }),
                    Span::new(23, 29),
                ),
                command(
                    "xyseries",
                    CommandKind::Generic(GenericCommand { args: vec![] }),
                    Span::new(32, 45),
                ),
            ],
            span: Span::new(0, 45),
        };
        let errors = plan(&pipeline, &PlanContext::default()).expect_err("unsupported");
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].code, "spl::plan::unsupported_command");
        assert_eq!(errors[0].message, "`multikv` is not supported yet");
        assert_eq!(errors[0].span, Some(Span::new(2, 9)));
        assert_eq!(errors[1].span, Some(Span::new(32, 40)));
    }

    #[test]
    fn stages_keep_names_and_spans() {
        let pipeline = Pipeline {
            commands: vec![
                command("search", CommandKind::Search(None), Span::new(0, 0)),
                command(
                    "HEAD",
                    CommandKind::Head(Head { count: None }),
                    Span::new(3, 7),
                ),
            ],
            span: Span::new(0, 7),
        };
        let plan = plan(&pipeline, &PlanContext::default()).expect("plans");
        let names: Vec<&str> = plan.stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["search", "head"]);
        assert_eq!(plan.stages[1].span, Span::new(3, 7));
        assert_eq!(plan.stages[1].description, "head");
    }
}
