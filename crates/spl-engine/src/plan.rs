//! Planning: lowering a parsed [`Pipeline`] into operators, checking everything that can be
//! checked without data (unsupported commands, unknown functions, bad options).

use crate::geo::IpLocator;
use crate::ops::Operator;
use spl_syntax::ast::Pipeline;
use spl_syntax::{Diagnostic, Span};
use std::sync::Arc;

/// What the planner may use.
#[derive(Clone, Default)]
pub struct PlanContext {
    /// The GeoIP database for `iplocation`.
    pub ip_locator: Option<Arc<dyn IpLocator>>,
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

/// Lowers `pipeline` into a plan, or returns every problem found.
pub fn plan(pipeline: &Pipeline, ctx: &PlanContext) -> Result<Plan, Vec<Diagnostic>> {
    let _ = ctx;
    let errors = pipeline
        .commands
        .iter()
        .map(|c| {
            Diagnostic::error(
                "spl::plan::unsupported_command",
                format!("`{}` is not supported yet", c.name.node),
                c.name.span,
            )
        })
        .collect::<Vec<_>>();
    if errors.is_empty() {
        Ok(Plan { stages: Vec::new() })
    } else {
        Err(errors)
    }
}
