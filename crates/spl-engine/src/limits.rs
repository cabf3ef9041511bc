//! Resource limits of a run, and the memory budget of the commands that hold state.
//!
//! `stats`, `eventstats`, `streamstats`, `dedup` and `sort` hold state in proportion to
//! their input (distinct groups, distinct values, held events). Each counts the approximate
//! bytes it holds in the run's [`MemoryBudget`]; when the total passes
//! [`Limits::max_memory_mb`] the run stops with [`RunError::Limit`] naming the command, the
//! limit and how to raise it.
//!
//! Splunk's `limits.conf [default] max_mem_usage_mb = 200` is not a failure limit: past it
//! Splunk spills to disk and goes on. This engine has no spilling, so a limit that low would
//! fail searches Splunk completes; the default [`DEFAULT_MAX_MEMORY_MB`] instead protects the
//! machine from a runaway search (millions of distinct keys with `values()`) while leaving
//! ordinary detections, whose state is a few megabytes, far below it. See docs/limits.md.
//!
//! The counts are estimates: text bytes plus a fixed overhead per string, map entry, group,
//! accumulator and record, sized after what the allocator really uses on a 64-bit target
//! (measured: within a factor of about two of the process's resident memory for large
//! `stats`, `dedup` and `sort` runs). They are deterministic (the same search over the same events always counts
//! the same), so a limit gives the same outcome on every machine.

use crate::run::RunError;
use crate::value::{Record, Value};

/// Default memory budget of one run, in MiB (4 GiB).
pub const DEFAULT_MAX_MEMORY_MB: u64 = 4096;

/// Bytes counted for each string besides its text: pointer, length and capacity (24) and
/// the allocator's header and rounding of its heap block (about 16).
pub const STRING_OVERHEAD: u64 = 40;

/// Bytes counted for each entry of a hash map or set besides its key and value (the table
/// slot, its control byte and the table's spare capacity).
pub const ENTRY_OVERHEAD: u64 = 48;

/// Bytes counted for each aggregation state of a group (a boxed accumulator and its slot).
pub const ACCUMULATOR_BYTES: u64 = 80;

/// Bytes counted for each group of `stats`/`streamstats` besides its key, BY values and
/// accumulators (the group's own vectors and their heap blocks).
pub const GROUP_OVERHEAD: u64 = 160;

/// Bytes counted for a record besides its fields (the map and its index table).
pub const RECORD_OVERHEAD: u64 = 160;

/// The command-line flag that raises the memory limit (named in the error).
pub const MEMORY_FLAG: &str = "--max-memory";

/// Limits of one run, set with [`crate::Engine::with_limits`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest approximate state, in MiB, that the stateful commands of one run may hold
    /// together; 0 means no limit.
    pub max_memory_mb: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_memory_mb: DEFAULT_MAX_MEMORY_MB,
        }
    }
}

impl Limits {
    /// No limit at all.
    pub fn unlimited() -> Limits {
        Limits { max_memory_mb: 0 }
    }

    /// The memory budget a run starts with.
    pub fn memory_budget(&self) -> MemoryBudget {
        MemoryBudget::new(self.max_memory_mb)
    }
}

/// The approximate bytes the stateful commands of one run hold, against the limit.
#[derive(Clone, Debug)]
pub struct MemoryBudget {
    limit_mb: u64,
    held: u64,
    peak: u64,
}

impl Default for MemoryBudget {
    fn default() -> Self {
        Limits::default().memory_budget()
    }
}

impl MemoryBudget {
    /// A budget of `limit_mb` MiB (0: unlimited).
    pub fn new(limit_mb: u64) -> MemoryBudget {
        MemoryBudget {
            limit_mb,
            held: 0,
            peak: 0,
        }
    }

    /// Bytes held now.
    pub fn held(&self) -> u64 {
        self.held
    }

    /// The most bytes held at any time of the run.
    pub fn peak(&self) -> u64 {
        self.peak
    }

    /// Counts `bytes` more held by `command`; an error when the total passes the limit.
    pub fn grow(&mut self, command: &str, bytes: u64) -> Result<(), RunError> {
        self.held = self.held.saturating_add(bytes);
        self.peak = self.peak.max(self.held);
        if self.limit_mb == 0 || self.held <= self.limit_mb.saturating_mul(1024 * 1024) {
            return Ok(());
        }
        Err(RunError::Limit {
            what: format!("the memory held by `{command}` (its groups, values or events)"),
            limit: self.limit_mb,
            unit: "MB".into(),
            help: format!(
                "raise it with {MEMORY_FLAG} MB (0 for no limit), or group by fewer distinct \
                 values"
            ),
        })
    }

    /// Counts `bytes` fewer held.
    pub fn shrink(&mut self, bytes: u64) {
        self.held = self.held.saturating_sub(bytes);
    }
}

/// What one operator has counted in the budget, so it can change or give it back.
#[derive(Clone, Copy, Debug, Default)]
pub struct Held(u64);

impl Held {
    /// Bytes counted.
    pub fn bytes(&self) -> u64 {
        self.0
    }

    /// Counts `bytes` more for `command`.
    pub fn add(
        &mut self,
        budget: &mut MemoryBudget,
        command: &str,
        bytes: u64,
    ) -> Result<(), RunError> {
        self.0 = self.0.saturating_add(bytes);
        budget.grow(command, bytes)
    }

    /// Counts `bytes` fewer.
    pub fn remove(&mut self, budget: &mut MemoryBudget, bytes: u64) {
        let bytes = bytes.min(self.0);
        self.0 -= bytes;
        budget.shrink(bytes);
    }

    /// Changes the count to `bytes` (growing or shrinking).
    pub fn set(
        &mut self,
        budget: &mut MemoryBudget,
        command: &str,
        bytes: u64,
    ) -> Result<(), RunError> {
        if bytes >= self.0 {
            self.add(budget, command, bytes - self.0)
        } else {
            self.remove(budget, self.0 - bytes);
            Ok(())
        }
    }

    /// Gives everything back (the state was emitted or dropped).
    pub fn release(&mut self, budget: &mut MemoryBudget) {
        budget.shrink(self.0);
        self.0 = 0;
    }
}

/// Approximate bytes of one string.
pub fn text_bytes(text: &str) -> u64 {
    text.len() as u64 + STRING_OVERHEAD
}

/// Approximate bytes of one field value.
pub fn value_bytes(value: &Value) -> u64 {
    match value {
        Value::Single(text) => text_bytes(text),
        Value::Multi(values) => STRING_OVERHEAD + values.iter().map(|v| text_bytes(v)).sum::<u64>(),
    }
}

/// Approximate bytes of one record (an event or a result row).
pub fn record_bytes(record: &Record) -> u64 {
    RECORD_OVERHEAD
        + record
            .iter()
            .map(|(name, value)| text_bytes(name) + value_bytes(value) + ENTRY_OVERHEAD)
            .sum::<u64>()
}

/// Approximate bytes of a map entry whose key is `key` (the value counted separately).
pub fn key_bytes(key: &str) -> u64 {
    text_bytes(key) + ENTRY_OVERHEAD
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{record_from_json, EventMeta};
    use crate::Engine;

    #[test]
    fn the_budget_errors_only_past_the_limit_and_names_the_command() {
        let mut budget = MemoryBudget::new(1);
        assert!(
            budget.grow("stats", 1024 * 1024).is_ok(),
            "exactly 1 MiB fits"
        );
        let error = budget.grow("dedup", 1).expect_err("one byte more does not");
        assert_eq!(
            error.to_string(),
            "the memory held by `dedup` (its groups, values or events) exceeded its limit of \
             1 MB; raise it with --max-memory MB (0 for no limit), or group by fewer distinct \
             values"
        );
    }

    #[test]
    fn a_zero_limit_never_errors() {
        let mut budget = MemoryBudget::new(0);
        assert!(budget.grow("sort", u64::MAX).is_ok());
        assert!(budget.grow("sort", u64::MAX).is_ok());
    }

    #[test]
    fn held_bytes_are_given_back() {
        let mut budget = MemoryBudget::new(1);
        let mut held = Held::default();
        held.add(&mut budget, "sort", 1000).expect("fits");
        held.set(&mut budget, "sort", 400).expect("shrinks");
        assert_eq!((held.bytes(), budget.held()), (400, 400));
        held.release(&mut budget);
        assert_eq!((held.bytes(), budget.held(), budget.peak()), (0, 0, 1000));
    }

    #[test]
    fn a_run_over_the_limit_stops_and_the_same_run_without_it_completes() {
        let meta = EventMeta::default();
        let events: Vec<_> = (0..20_000)
            .map(|n| record_from_json(&format!(r#"{{"k":"key{n}"}}"#), &meta).expect("json"))
            .collect();
        let search = "* | stats count BY k";
        let limited = Engine::new()
            .with_limits(Limits { max_memory_mb: 1 })
            .compile(search)
            .expect("compiles");
        let result = limited.run(events.clone());
        assert!(
            matches!(&result, Err(RunError::Limit { what, limit: 1, .. }) if what.contains("`stats`")),
            "{result:?}"
        );
        let unlimited = Engine::new().compile(search).expect("compiles");
        let output = unlimited
            .run(events)
            .expect("the default limit is far above this");
        assert_eq!(output.rows.len(), 20_000);
    }
}
