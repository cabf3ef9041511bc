//! The embedding API: an [`Engine`] compiles SPL into a [`Query`], which runs over records.

use crate::eval::EvalContext;
use crate::geo::IpLocator;
use crate::limits::Limits;
use crate::lookup::LookupSource;
use crate::ops::Operator;
use crate::plan::{plan, Plan, PlanContext};
use crate::prefilter::Prefilter;
use crate::projection::{required_fields, FieldSelection};
use crate::run::{ExecContext, RunError, RunStats, StageCount, SPLUNK_TRUNCATE_BYTES};
use crate::sourcetype_fields::FieldDefinitions;
use crate::subsearch::{needs_events, EventBuffer};
use crate::value::Record;
use spl_syntax::ast::{CommandKind, Pipeline};
use spl_syntax::macros::{expand, ExpandOptions, Expanded, MacroSet};
use spl_syntax::{parse_pipeline, Diagnostic};
use std::sync::Arc;

/// Compiles searches. Holds the macros and the GeoIP database that queries use.
#[derive(Clone, Default)]
pub struct Engine {
    macros: Arc<MacroSet>,
    ip_locator: Option<Arc<dyn IpLocator>>,
    lookups: Option<Arc<dyn LookupSource>>,
    expand_options: ExpandOptions,
    field_definitions: Option<Arc<FieldDefinitions>>,
    limits: Limits,
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
        self.macros = Arc::new(macros);
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

    /// Applies `definitions` (search-time aliases and calculated fields per sourcetype) to
    /// every event before the first search.
    pub fn with_field_definitions(mut self, definitions: Arc<FieldDefinitions>) -> Engine {
        self.field_definitions = Some(definitions);
        self
    }

    /// Sets the macro expansion limits.
    pub fn with_expand_options(mut self, options: ExpandOptions) -> Engine {
        self.expand_options = options;
        self
    }

    /// The search-time field definitions applied before the first search, if any.
    pub fn field_definitions(&self) -> Option<&Arc<FieldDefinitions>> {
        self.field_definitions.as_ref()
    }

    /// Sets the resource limits of every run of the queries it compiles (default:
    /// [`Limits::default`]).
    pub fn with_limits(mut self, limits: Limits) -> Engine {
        self.limits = limits;
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
            macros: Some(Arc::clone(&self.macros)),
            expand_options: self.expand_options.clone(),
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
        // Event subsearches see every event, so no line may be skipped before the run.
        let keeps_events = needs_events(&pipeline);
        let computed = self
            .field_definitions
            .as_ref()
            .map(|d| d.computed_fields())
            .unwrap_or_default();
        let prefilter = if keeps_events {
            None
        } else {
            Prefilter::for_pipeline_except(&pipeline, &|field| computed.contains(field))
                .map(Arc::new)
        };
        let query_fields = required_fields(&pipeline);
        let mut fields = query_fields.clone();
        if let Some(definitions) = &self.field_definitions {
            // Aliases and calculated fields read their inputs before the first search.
            for name in definitions.input_fields() {
                fields.insert(name);
            }
        }
        let fields = Arc::new(fields);
        let query_fields = Arc::new(query_fields);
        Ok(Query {
            expanded,
            pipeline,
            plan,
            prefilter,
            keeps_events,
            field_definitions: self.field_definitions.clone(),
            limits: self.limits,
            fields,
            query_fields,
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
    /// The search has subsearches that search events: runs keep the events for them.
    keeps_events: bool,
    field_definitions: Option<Arc<FieldDefinitions>>,
    limits: Limits,
    /// The fields the query reads and those the field definitions read.
    fields: Arc<FieldSelection>,
    /// The fields the query reads (for events of sourcetypes without definitions).
    query_fields: Arc<FieldSelection>,
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

    /// The search-time field definitions this query applies before its first search (their
    /// [`FieldDefinitions::input_fields`] must be extracted too when only some fields are).
    pub fn field_definitions(&self) -> Option<&Arc<FieldDefinitions>> {
        self.field_definitions.as_ref()
    }

    /// The fields the query can reference ([`crate::projection::required_fields`]); readers
    /// may extract only these.
    pub fn required_fields(&self) -> &Arc<FieldSelection> {
        &self.fields
    }

    /// [`Query::required_fields`] for events of `sourcetype`: the fields that field
    /// definitions of other sourcetypes read are not needed.
    pub fn required_fields_for(&self, sourcetype: &str) -> &Arc<FieldSelection> {
        let defined = self
            .field_definitions
            .as_ref()
            .is_some_and(|definitions| definitions.defines(sourcetype));
        if defined {
            &self.fields
        } else {
            &self.query_fields
        }
    }

    /// Starts a run; push records into it, then call [`Run::finish`].
    pub fn start(&self) -> Run {
        // A failure left by expressions evaluated outside a run is not this run's.
        let _ = crate::eval::take_regex_failure();
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
                events: None,
                memory: self.limits.memory_budget(),
            },
            rows: Vec::new(),
            reads_events: reads_events(&self.pipeline),
            kept_events: self.keeps_events.then(EventBuffer::default),
            field_definitions: self.field_definitions.clone(),
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
    /// The events kept for event subsearches (see [`crate::subsearch`]); `None` streams.
    kept_events: Option<EventBuffer>,
    /// Search-time field definitions applied to each event before the first stage.
    field_definitions: Option<Arc<FieldDefinitions>>,
}

/// The error of a regular expression in an `eval`/`where` expression that hit the
/// backtracking limit while the last record was processed: it stops the run, as in the `rex`
/// and `regex` commands, instead of counting silently as "no match".
fn stop_on_regex_failure() -> Result<(), RunError> {
    match crate::eval::take_regex_failure() {
        Some(error) => Err(error),
        None => Ok(()),
    }
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

    /// Counts `events` events longer than Splunk's `TRUNCATE` default that a reader saw but
    /// did not give to [`Run::push`] (skipped by the prefilter, rejected by the first search,
    /// malformed, or given to [`Run::push_matched`]).
    pub fn count_over_truncate(&mut self, events: u64) {
        self.ctx.stats.events_over_truncate += events;
    }

    /// True when readers may apply the first `search` themselves ([`Run::push_matched`]):
    /// no search-time field definitions have to run before it and no subsearch needs the
    /// events.
    pub fn accepts_matched(&self) -> bool {
        self.kept_events.is_none()
            && self
                .field_definitions
                .as_ref()
                .is_none_or(|definitions| definitions.is_empty())
    }

    /// [`Run::accepts_matched`] for events of one sourcetype: field definitions of other
    /// sourcetypes do not apply to them, so they do not stop readers from applying the
    /// first `search`.
    pub fn accepts_matched_for(&self, sourcetype: &str) -> bool {
        self.kept_events.is_none()
            && self
                .field_definitions
                .as_ref()
                .is_none_or(|definitions| !definitions.defines(sourcetype))
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
    pub fn push(&mut self, mut record: Record) -> Result<(), RunError> {
        self.ctx.stats.events_read += 1;
        if record
            .get("_raw")
            .is_some_and(|raw| raw.first().len() > SPLUNK_TRUNCATE_BYTES)
        {
            self.ctx.stats.events_over_truncate += 1;
        }
        if self.kept_events.is_none() && !self.reads_events {
            return Ok(());
        }
        // Search-time fields exist before anything searches the event, subsearches included.
        if let Some(definitions) = &self.field_definitions {
            definitions.apply(&mut record, &EvalContext { now: self.ctx.now });
        }
        if let Some(kept) = &mut self.kept_events {
            return kept.keep(record);
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
                stop_on_regex_failure()?;
            }
            self.ctx.stats.stages[index].records_out += out.len() as u64;
            batch = out;
        }
        self.rows.extend(batch);
        Ok(())
    }

    /// Ends the input: blocking stages emit, and the results are returned.
    pub fn finish(mut self) -> Result<Output, RunError> {
        if let Some(kept) = self.kept_events.take() {
            let events = kept.into_events();
            self.ctx.events = Some(Arc::clone(&events));
            if self.reads_events {
                for record in events.iter() {
                    self.push_from(0, vec![record.clone()])?;
                }
            }
        }
        for index in 0..self.operators.len() {
            let mut out = Vec::new();
            self.operators[index].finish(&mut self.ctx, &mut out)?;
            stop_on_regex_failure()?;
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
