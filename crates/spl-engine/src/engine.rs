//! The embedding API: an [`Engine`] compiles SPL into a [`Query`], which runs over records.

use crate::geo::IpLocator;
use crate::lookup::LookupSource;
use crate::ops::Operator;
use crate::plan::{plan, Plan, PlanContext};
use crate::prefilter::Prefilter;
use crate::projection::{required_fields, FieldSelection};
use crate::run::{ExecContext, RunError, RunStats, StageCount};
use crate::value::Record;
use spl_syntax::ast::{CommandKind, Pipeline};
use spl_syntax::macros::{expand, ExpandOptions, Expanded, MacroSet};
use spl_syntax::{parse_pipeline, Diagnostic};
use std::sync::Arc;

/// Compiles searches. Holds the macros and the GeoIP database that queries use.
#[derive(Clone, Default)]
pub struct Engine {
    macros: MacroSet,
    ip_locator: Option<Arc<dyn IpLocator>>,
    lookups: Option<Arc<dyn LookupSource>>,
    expand_options: ExpandOptions,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("macros", &self.macros.iter().count())
            .field(
                "ip_locator",
                &self.ip_locator.as_ref().map(|l| l.describe()),
            )
            .finish()
    }
}

impl Engine {
    /// An engine with no macros and no GeoIP database.
    pub fn new() -> Engine {
        Engine::default()
    }

    /// Uses `macros` to expand searches.
    pub fn with_macros(mut self, macros: MacroSet) -> Engine {
        self.macros = macros;
        self
    }

    /// Uses `locator` for `iplocation`.
    pub fn with_ip_locator(mut self, locator: Arc<dyn IpLocator>) -> Engine {
        self.ip_locator = Some(locator);
        self
    }

    /// Uses `lookups` for `lookup` and `inputlookup`.
    pub fn with_lookups(mut self, lookups: Arc<dyn LookupSource>) -> Engine {
        self.lookups = Some(lookups);
        self
    }

    /// Sets the macro expansion limits.
    pub fn with_expand_options(mut self, options: ExpandOptions) -> Engine {
        self.expand_options = options;
        self
    }

    /// The macros this engine expands.
    pub fn macros(&self) -> &MacroSet {
        &self.macros
    }

    /// Expands, parses and plans `spl`.
    ///
    /// Errors carry spans in the expanded text; the expansion's source map
    /// ([`CompileError::expanded`]) maps them back to `spl`.
    pub fn compile(&self, spl: &str) -> Result<Query, CompileError> {
        let expanded =
            expand(spl, &self.macros, &self.expand_options).map_err(|d| CompileError {
                stage: CompileStage::Expand,
                diagnostics: vec![d],
                expanded: None,
            })?;
        let pipeline = match parse_pipeline(&expanded.text) {
            Ok(p) => p,
            Err(diagnostics) => {
                return Err(CompileError {
                    stage: CompileStage::Parse,
                    diagnostics,
                    expanded: Some(expanded),
                })
            }
        };
        let ctx = PlanContext {
            ip_locator: self.ip_locator.clone(),
            lookups: self.lookups.clone(),
        };
        let plan = match plan(&pipeline, &ctx) {
            Ok(p) => p,
            Err(diagnostics) => {
                return Err(CompileError {
                    stage: CompileStage::Plan,
                    diagnostics,
                    expanded: Some(expanded),
                })
            }
        };
        let prefilter = Prefilter::for_pipeline(&pipeline).map(Arc::new);
        let fields = Arc::new(required_fields(&pipeline));
        Ok(Query {
            expanded,
            pipeline,
            plan,
            prefilter,
            fields,
        })
    }
}

/// Which step of compilation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompileStage {
    /// Macro expansion (spans are in the input text).
    Expand,
    /// Parsing (spans are in the expanded text).
    Parse,
    /// Planning (spans are in the expanded text).
    Plan,
}

/// Why a search could not be compiled.
#[derive(Clone, Debug)]
pub struct CompileError {
    /// The step that failed.
    pub stage: CompileStage,
    /// The problems found.
    pub diagnostics: Vec<Diagnostic>,
    /// The expanded text, when expansion succeeded (parse and plan spans refer to it).
    pub expanded: Option<Expanded>,
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let messages: Vec<&str> = self
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        f.write_str(&messages.join("; "))
    }
}

impl std::error::Error for CompileError {}

/// A compiled search.
#[derive(Debug)]
pub struct Query {
    /// The macro-expanded text.
    pub expanded: Expanded,
    /// The parsed pipeline.
    pub pipeline: Pipeline,
    plan: Plan,
    prefilter: Option<Arc<Prefilter>>,
    fields: Arc<FieldSelection>,
}

/// The results of a run.
#[derive(Clone, Debug, Default)]
pub struct Output {
    /// Result rows in output order.
    pub rows: Vec<Record>,
    /// What the run counted.
    pub stats: RunStats,
}

impl Query {
    /// The plan's stages, for `explain`.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The raw-line prefilter of the first search, if it requires literals. Readers may skip
    /// lines it rejects; count them with [`Run::count_prefiltered`].
    pub fn prefilter(&self) -> Option<&Arc<Prefilter>> {
        self.prefilter.as_ref()
    }

    /// The fields the query can reference ([`crate::projection::required_fields`]); readers
    /// may extract only these.
    pub fn required_fields(&self) -> &Arc<FieldSelection> {
        &self.fields
    }

    /// Starts a run; push records into it, then call [`Run::finish`].
    pub fn start(&self) -> Run {
        Run {
            operators: self
                .plan
                .stages
                .iter()
                .map(|s| s.operator.fresh())
                .collect(),
            ctx: ExecContext {
                stats: RunStats {
                    stages: vec![StageCount::default(); self.plan.stages.len()],
                    ..RunStats::default()
                },
                now: chrono::Utc::now().timestamp(),
            },
            rows: Vec::new(),
            reads_events: reads_events(&self.pipeline),
        }
    }

    /// Runs over `records` and returns every result.
    pub fn run(&self, records: impl IntoIterator<Item = Record>) -> Result<Output, RunError> {
        let mut run = self.start();
        for record in records {
            run.push(record)?;
        }
        run.finish()
    }
}

/// A run in progress: records go in one at a time.
#[derive(Debug)]
pub struct Run {
    operators: Vec<Box<dyn Operator>>,
    ctx: ExecContext,
    rows: Vec<Record>,
    /// False when the pipeline starts with an explicit non-`search` command (`| stats count`,
    /// `| inputlookup x`): nothing retrieves events, so they are counted as read and not used.
    reads_events: bool,
}

/// True when the first command retrieves events: an implicit or explicit `search`.
fn reads_events(pipeline: &Pipeline) -> bool {
    pipeline
        .commands
        .first()
        .is_none_or(|command| matches!(command.kind, CommandKind::Search(_)))
}

impl Run {
    /// Counts one malformed input event (it is reported, never silently dropped).
    pub fn count_malformed(&mut self) {
        self.ctx.stats.malformed_events += 1;
    }

    /// Counts `events` well-formed events that the prefilter skipped: they were read, given
    /// to the first search, and not matched by it.
    pub fn count_prefiltered(&mut self, events: u64) {
        self.ctx.stats.events_read += events;
        self.ctx.stats.events_prefiltered += events;
        if let Some(first) = self.ctx.stats.stages.first_mut() {
            first.records_in += events;
        }
    }

    /// Counts `events` well-formed events that the first stage (a `search`, applied by the
    /// reader) rejected: they were read and given to it.
    pub fn count_unmatched(&mut self, events: u64) {
        self.ctx.stats.events_read += events;
        if let Some(first) = self.ctx.stats.stages.first_mut() {
            first.records_in += events;
        }
    }

    /// Sends one event that the first stage (a `search`, applied by the reader) kept through
    /// the rest of the pipeline. Only for pipelines whose first command is a `search`.
    pub fn push_matched(&mut self, record: Record) -> Result<(), RunError> {
        self.ctx.stats.events_read += 1;
        if let Some(first) = self.ctx.stats.stages.first_mut() {
            first.records_in += 1;
            first.records_out += 1;
        }
        self.push_from(1, vec![record])
    }

    /// Sends one event through the pipeline.
    pub fn push(&mut self, record: Record) -> Result<(), RunError> {
        self.ctx.stats.events_read += 1;
        if !self.reads_events {
            return Ok(());
        }
        self.push_from(0, vec![record])
    }

    fn push_from(&mut self, first_stage: usize, mut batch: Vec<Record>) -> Result<(), RunError> {
        for index in first_stage..self.operators.len() {
            if batch.is_empty() {
                return Ok(());
            }
            let mut out = Vec::new();
            self.ctx.stats.stages[index].records_in += batch.len() as u64;
            for record in batch {
                self.operators[index].push(record, &mut self.ctx, &mut out)?;
            }
            self.ctx.stats.stages[index].records_out += out.len() as u64;
            batch = out;
        }
        self.rows.extend(batch);
        Ok(())
    }

    /// Ends the input: blocking stages emit, and the results are returned.
    pub fn finish(mut self) -> Result<Output, RunError> {
        for index in 0..self.operators.len() {
            let mut out = Vec::new();
            self.operators[index].finish(&mut self.ctx, &mut out)?;
            self.ctx.stats.stages[index].records_out += out.len() as u64;
            self.push_from(index + 1, out)?;
        }
        let mut stats = self.ctx.stats;
        stats.events_matched = stats.stages.first().map_or(0, |s| s.records_out);
        stats.results = self.rows.len() as u64;
        Ok(Output {
            rows: self.rows,
            stats,
        })
    }
}
