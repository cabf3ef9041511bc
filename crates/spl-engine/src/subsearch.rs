//! Subsearches: `[ … ]` pipelines whose results feed `join`, `append`, `appendpipe` and
//! `search` terms.
//!
//! A subsearch is planned with the main search ([`Subsearch::plan`]) and run when the
//! operator that owns it first needs its results ([`Subsearch::run`]). Two kinds:
//!
//! * A **generating** subsearch starts with a command that makes results without events
//!   (`[| inputlookup users]`): it runs over no events.
//! * An **event** subsearch starts with a search (`[search sourcetype=x …]`,
//!   `[| search …]`): in Splunk it searches the index again, so here it needs the same events
//!   as the main search. A [`crate::Query`] containing one keeps every pushed event
//!   ([`EventBuffer`], at most [`MAX_BUFFERED_EVENTS`]); at [`crate::Run::finish`] the events
//!   are handed to the run ([`ExecContext::events`]) and then sent through the main pipeline,
//!   so each subsearch sees every event, before any raw-line prefilter (which is switched
//!   off for such queries). Queries without event subsearches stream as before.
//!
//! Results past a subsearch's `maxout` stop the run with [`RunError::Limit`] rather than
//! being cut silently as Splunk does (it truncates and shows a warning).

use crate::ops::Operator;
use crate::plan::{plan, PlanContext};
use crate::run::{ExecContext, RunError, RunStats, StageCount};
use crate::value::Record;
use spl_syntax::ast::{CommandKind, GenericArg, Pipeline, SearchExpr, SearchExprKind};
use spl_syntax::{Diagnostic, Span};
use std::sync::Arc;

/// Results a subsearch used as a search filter may return (`[subsearch] maxout` in Splunk's
/// limits.conf).
pub const SEARCH_MAXOUT: u64 = 10_000;

/// Results the subsearch of `join` may return (`[join] subsearch_maxout`).
pub const JOIN_MAXOUT: u64 = 50_000;

/// Results the subsearch of `append` may return by default (its `maxout=` option).
pub const APPEND_MAXOUT: u64 = 50_000;

/// Events a query with event subsearches keeps in memory; one more stops the run.
pub const MAX_BUFFERED_EVENTS: u64 = 1_000_000;

/// A planned subsearch.
#[derive(Debug)]
pub struct Subsearch {
    stages: Vec<Box<dyn Operator>>,
    reads_events: bool,
    span: Span,
}

impl Subsearch {
    /// Plans `pipeline` as a subsearch with the main search's context.
    pub fn plan(pipeline: &Pipeline, ctx: &PlanContext) -> Result<Subsearch, Vec<Diagnostic>> {
        let planned = plan(pipeline, ctx)?;
        Ok(Subsearch {
            stages: planned.stages.into_iter().map(|s| s.operator).collect(),
            reads_events: starts_with_search(pipeline),
            span: pipeline.span,
        })
    }

    /// A new subsearch in its initial state, with the same configuration.
    pub fn fresh(&self) -> Subsearch {
        Subsearch {
            stages: self.stages.iter().map(|s| s.fresh()).collect(),
            reads_events: self.reads_events,
            span: self.span,
        }
    }

    /// Where the subsearch was written.
    pub fn span(&self) -> Span {
        self.span
    }

    /// Runs the subsearch: over the run's buffered events when it starts with a search,
    /// over nothing otherwise. More than `maxout` results is a [`RunError::Limit`] naming
    /// `what` (e.g. "`join` subsearch results").
    pub fn run(&self, ctx: &ExecContext, maxout: u64, what: &str) -> Result<Vec<Record>, RunError> {
        let events: &[Record] = match (&ctx.events, self.reads_events) {
            (Some(events), true) => events,
            _ => &[],
        };
        let rows = self.run_over(events.iter().cloned(), ctx)?;
        if maxout > 0 && rows.len() as u64 > maxout {
            return Err(RunError::Limit {
                what: what.to_string(),
                limit: maxout,
                unit: "results".into(),
                help: "Splunk would keep only the first results and warn; narrow the subsearch"
                    .into(),
            });
        }
        Ok(rows)
    }

    /// Runs the subsearch's commands over `records` (the input of `appendpipe`).
    pub fn run_over(
        &self,
        records: impl IntoIterator<Item = Record>,
        ctx: &ExecContext,
    ) -> Result<Vec<Record>, RunError> {
        let mut inner = ExecContext {
            stats: RunStats {
                stages: vec![StageCount::default(); self.stages.len()],
                ..RunStats::default()
            },
            now: ctx.now,
            events: ctx.events.clone(),
            memory: ctx.memory.clone(),
        };
        let mut stages: Vec<Box<dyn Operator>> = self.stages.iter().map(|s| s.fresh()).collect();
        let mut rows = Vec::new();
        for record in records {
            rows.extend(push_from(&mut stages, 0, vec![record], &mut inner)?);
        }
        for index in 0..stages.len() {
            let mut out = Vec::new();
            if let Some(stage) = stages.get_mut(index) {
                stage.finish(&mut inner, &mut out)?;
            }
            rows.extend(push_from(&mut stages, index + 1, out, &mut inner)?);
        }
        Ok(rows)
    }
}

/// Sends `batch` through `stages[first..]` and returns what comes out of the last one.
fn push_from(
    stages: &mut [Box<dyn Operator>],
    first: usize,
    mut batch: Vec<Record>,
    ctx: &mut ExecContext,
) -> Result<Vec<Record>, RunError> {
    for stage in stages.iter_mut().skip(first) {
        if batch.is_empty() {
            break;
        }
        let mut out = Vec::new();
        for record in batch {
            stage.push(record, ctx, &mut out)?;
        }
        batch = out;
    }
    Ok(batch)
}

/// True when the pipeline's first command is a search (it retrieves events).
fn starts_with_search(pipeline: &Pipeline) -> bool {
    pipeline
        .commands
        .first()
        .is_none_or(|command| matches!(command.kind, CommandKind::Search(_)))
}

/// True when `pipeline` (at any depth) holds a subsearch that retrieves events, so a run
/// must keep the events for it. The body of `appendpipe` runs over results, not events, but
/// subsearches inside it count. `map` runs searches over the events too.
pub fn needs_events(pipeline: &Pipeline) -> bool {
    pipeline.commands.iter().any(|command| match &command.kind {
        CommandKind::Search(Some(expr)) => search_needs_events(expr),
        CommandKind::Generic(_) if command.name.node.eq_ignore_ascii_case("map") => true,
        CommandKind::Generic(generic) => {
            let body_is_pipe = command.name.node.eq_ignore_ascii_case("appendpipe");
            generic
                .args
                .iter()
                .any(|arg| arg_needs_events(arg, body_is_pipe))
        }
        _ => false,
    })
}

fn search_needs_events(expr: &SearchExpr) -> bool {
    match &expr.kind {
        SearchExprKind::And(items) | SearchExprKind::Or(items) => {
            items.iter().any(search_needs_events)
        }
        SearchExprKind::Not(inner) => search_needs_events(inner),
        SearchExprKind::Subsearch(pipeline) => {
            starts_with_search(pipeline) || needs_events(pipeline)
        }
        _ => false,
    }
}

fn arg_needs_events(arg: &GenericArg, body_is_pipe: bool) -> bool {
    match arg {
        GenericArg::Subsearch(pipeline) => {
            (!body_is_pipe && starts_with_search(pipeline)) || needs_events(pipeline)
        }
        GenericArg::Group(group) => group
            .node
            .iter()
            .any(|inner| arg_needs_events(inner, body_is_pipe)),
        _ => false,
    }
}

/// The events a run keeps for its event subsearches.
#[derive(Debug)]
pub struct EventBuffer {
    events: Vec<Record>,
    limit: u64,
}

impl Default for EventBuffer {
    fn default() -> Self {
        EventBuffer::with_limit(MAX_BUFFERED_EVENTS)
    }
}

impl EventBuffer {
    /// A buffer that keeps at most `limit` events.
    pub fn with_limit(limit: u64) -> EventBuffer {
        EventBuffer {
            events: Vec::new(),
            limit,
        }
    }

    /// Keeps `record`; past the limit ([`MAX_BUFFERED_EVENTS`] by default) the run stops.
    pub fn keep(&mut self, record: Record) -> Result<(), RunError> {
        if self.events.len() as u64 >= self.limit {
            return Err(RunError::Limit {
                what: "events kept for subsearches".to_string(),
                limit: self.limit,
                unit: "events".into(),
                help: "a query whose subsearch searches events keeps every event until the end \
                       of input; give it fewer events"
                    .into(),
            });
        }
        self.events.push(record);
        Ok(())
    }

    /// The kept events, shared with the subsearches of the run.
    pub fn into_events(self) -> Arc<Vec<Record>> {
        Arc::new(self.events)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spl_syntax::parse_pipeline;

    fn parsed(text: &str) -> Pipeline {
        parse_pipeline(text).expect("parses")
    }

    #[test]
    fn event_subsearches_need_events() {
        assert!(needs_events(&parsed("a=1 | join x [search b=2]")));
        assert!(needs_events(&parsed("a=1 | join x [| search b=2]")));
        assert!(needs_events(&parsed("a=1 [search b=2 | fields x]")));
        assert!(needs_events(&parsed("NOT (a=1 OR [search b=2])")));
        assert!(needs_events(&parsed("a=1 | append [search b=2]")));
        assert!(needs_events(&parsed(
            "a=1 | appendpipe [| map search=\"search x=$x$\"]"
        )));
    }

    #[test]
    fn generating_subsearches_and_pipes_do_not() {
        assert!(!needs_events(&parsed("a=1 | stats count")));
        assert!(!needs_events(&parsed("a=1 | join x [| inputlookup t]")));
        assert!(!needs_events(&parsed("a=1 | appendpipe [stats count]")));
        assert!(!needs_events(&parsed("a=1 | appendpipe [search x=1]")));
        assert!(needs_events(&parsed(
            "a=1 | appendpipe [stats count | append [search y=2]]"
        )));
    }

    #[test]
    fn buffer_stops_past_its_limit() {
        let mut buffer = EventBuffer::with_limit(2);
        buffer.keep(Record::new()).expect("first");
        buffer.keep(Record::new()).expect("second");
        let error = buffer.keep(Record::new()).expect_err("over the limit");
        assert!(
            matches!(
                &error,
                RunError::Limit { what, limit: 2, unit, .. }
                    if what == "events kept for subsearches" && unit == "events"
            ),
            "{error:?}"
        );
        assert_eq!(EventBuffer::default().limit, MAX_BUFFERED_EVENTS);
    }
}
