//! Run-time context and statistics: everything a run counts so nothing is lost silently.

use crate::limits::MemoryBudget;

/// Splunk's default `props.conf TRUNCATE`: the longest event, in bytes, Splunk indexes
/// whole.
pub const SPLUNK_TRUNCATE_BYTES: usize = 10_000;

/// Counters of one run. Every event read is accounted for: kept, filtered, malformed, or
/// dropped for a stated reason.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunStats {
    /// Events read from the inputs (well-formed).
    pub events_read: u64,
    /// Lines or documents that were not valid JSON objects.
    pub malformed_events: u64,
    /// Well-formed events whose text (`_raw`) is longer than
    /// [`SPLUNK_TRUNCATE_BYTES`]: read whole here, cut there by Splunk's default
    /// `props.conf TRUNCATE = 10000` (spl-semantics §2.6). Counted for every event read,
    /// whether the prefilter skipped it or the projection left out its `_raw`.
    pub events_over_truncate: u64,
    /// Events skipped by the raw-line prefilter (counted in `events_read`; they did not
    /// match the first `search`).
    pub events_prefiltered: u64,
    /// Events that passed the first `search` stage.
    pub events_matched: u64,
    /// Events ignored by `stats`/`eventstats` because a BY field was null.
    pub dropped_missing_by_field: u64,
    /// Events on which `iplocation` found no record or no valid address.
    pub iplocation_misses: u64,
    /// Result rows produced.
    pub results: u64,
    /// Records into and out of each stage, in pipeline order.
    pub stages: Vec<StageCount>,
}

/// Records into and out of one stage.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StageCount {
    /// Records given to the stage.
    pub records_in: u64,
    /// Records the stage emitted.
    pub records_out: u64,
}

/// State shared by the operators of one run.
#[derive(Debug, Default)]
pub struct ExecContext {
    /// Counters.
    pub stats: RunStats,
    /// The search's start time (epoch seconds), returned by `now()`.
    pub now: i64,
    /// Every event of the run, when the query has subsearches that search events (they run
    /// over these; see [`crate::subsearch`]). Set at the end of input.
    pub events: Option<std::sync::Arc<Vec<crate::value::Record>>>,
    /// What the stateful commands hold, against [`crate::limits::Limits::max_memory_mb`].
    pub memory: MemoryBudget,
}

/// An error that stops a run (resource limits, database failures).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RunError {
    /// A configured limit was exceeded.
    #[error("{what} exceeded its limit of {limit} {unit}; {help}")]
    Limit {
        /// What hit the limit.
        what: String,
        /// The limit.
        limit: u64,
        /// The limit's unit (`MB`).
        unit: String,
        /// How to raise the limit or avoid it.
        help: String,
    },
    /// Any other failure, described.
    #[error("{0}")]
    Failed(String),
}
