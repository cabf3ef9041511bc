//! `dedup [N] fields… [keepevents=] [keepempty=] [consecutive=] [sortby …]` (§6.5).
//!
//! Keeps the first N (default 1) results of each combination of the dedup fields' values,
//! compared exactly (a multivalue compares as its whole ordered list). A result with a null
//! dedup field is dropped, or kept untouched with `keepempty=true`. With
//! `consecutive=true` only runs of adjacent duplicates are reduced. With `keepevents=true`
//! duplicates are kept but lose the dedup fields.
//!
//! Without `sortby` it streams and output order is input order. With `sortby` it is
//! blocking: results are sorted first (like `sort 0`), then deduplicated in that order.

use crate::limits::{key_bytes, record_bytes, Held};
use crate::ops::key;
use crate::ops::sort::{compare_records, keys, Key};
use crate::ops::Operator;
use crate::run::{ExecContext, RunError};
use crate::value::Record;
use spl_syntax::ast::Dedup;
use std::collections::HashMap;

/// The `dedup` operator.
#[derive(Clone, Debug)]
pub struct DedupOperator {
    fields: Vec<String>,
    limit: u64,
    keepempty: bool,
    consecutive: bool,
    keepevents: bool,
    sortby: Vec<Key>,
    seen: HashMap<String, u64>,
    previous: Option<(String, u64)>,
    held: Vec<Record>,
    buffer: String,
    /// What the seen keys and held results take in the run's memory budget.
    held_bytes: Held,
}

/// Builds the operator for `dedup`.
pub fn build(dedup: &Dedup) -> DedupOperator {
    DedupOperator {
        fields: dedup.fields.iter().map(|f| f.name.clone()).collect(),
        limit: dedup.count.unwrap_or(1),
        keepempty: dedup.keepempty,
        consecutive: dedup.consecutive,
        keepevents: dedup.keepevents,
        sortby: keys(&dedup.sortby, false),
        seen: HashMap::new(),
        previous: None,
        held: Vec::new(),
        buffer: String::new(),
        held_bytes: Held::default(),
    }
}

impl DedupOperator {
    /// Encodes the dedup fields of `record` into `self.buffer`; false when one is null.
    fn encode_key(&mut self, record: &Record) -> bool {
        self.buffer.clear();
        for field in &self.fields {
            let Some(value) = record.get(field) else {
                return false;
            };
            key::push_values(&mut self.buffer, value.values());
        }
        true
    }

    /// How many results with the current key came before this one (and counts this one).
    fn occurrences_before(&mut self) -> u64 {
        if self.consecutive {
            return match &mut self.previous {
                Some((previous, count)) if *previous == self.buffer => {
                    *count += 1;
                    *count - 1
                }
                _ => {
                    self.previous = Some((self.buffer.clone(), 1));
                    0
                }
            };
        }
        if let Some(count) = self.seen.get_mut(self.buffer.as_str()) {
            *count += 1;
            return *count - 1;
        }
        self.seen.insert(self.buffer.clone(), 1);
        0
    }

    /// Deduplicates one result in output order; returns the bytes a newly seen key holds.
    fn process(&mut self, mut record: Record, out: &mut Vec<Record>) -> u64 {
        if !self.encode_key(&record) {
            if self.keepempty {
                out.push(record);
            }
            return 0;
        }
        let seen_before = self.seen.len();
        let occurrences = self.occurrences_before();
        let added = if self.seen.len() > seen_before {
            key_bytes(&self.buffer) + 8
        } else {
            0
        };
        if occurrences < self.limit {
            out.push(record);
            return added;
        }
        if self.keepevents {
            for field in &self.fields {
                record.remove(field);
            }
            out.push(record);
        }
        added
    }
}

impl Operator for DedupOperator {
    fn push(
        &mut self,
        record: Record,
        ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        let added = if self.sortby.is_empty() {
            self.process(record, out)
        } else {
            let bytes = record_bytes(&record);
            self.held.push(record);
            bytes
        };
        if added == 0 {
            return Ok(());
        }
        self.held_bytes.add(&mut ctx.memory, "dedup", added)
    }

    fn finish(&mut self, ctx: &mut ExecContext, out: &mut Vec<Record>) -> Result<(), RunError> {
        let mut held = std::mem::take(&mut self.held);
        let sortby = &self.sortby;
        held.sort_by(|a, b| compare_records(sortby, a, b));
        for record in held {
            self.process(record, out);
        }
        self.held_bytes.release(&mut ctx.memory);
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(DedupOperator {
            seen: HashMap::new(),
            previous: None,
            held: Vec::new(),
            buffer: String::new(),
            held_bytes: Held::default(),
            ..self.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{field, record, run, values};
    use spl_syntax::ast::{Collation, SortKey};

    fn dedup(fields: &[&str]) -> Dedup {
        Dedup {
            count: None,
            fields: fields.iter().map(|f| field(f)).collect(),
            keepempty: false,
            consecutive: false,
            keepevents: false,
            sortby: vec![],
        }
    }

    fn ids(out: &[Record]) -> Vec<&str> {
        out.iter().map(|r| values(r, "id")[0]).collect()
    }

    fn sample() -> Vec<Record> {
        vec![
            record(&[("id", "1"), ("u", "a")]),
            record(&[("id", "2"), ("u", "b")]),
            record(&[("id", "3"), ("u", "a")]),
            record(&[("id", "4")]),
            record(&[("id", "5"), ("u", "a")]),
            record(&[("id", "6"), ("u", "A")]),
        ]
    }

    #[test]
    fn keeps_first_per_value_and_drops_nulls() {
        let out = run(&build(&dedup(&["u"])), sample());
        assert_eq!(ids(&out), ["1", "2", "6"]);
    }

    #[test]
    fn count_keepempty_and_keepevents() {
        let mut options = dedup(&["u"]);
        options.count = Some(2);
        options.keepempty = true;
        assert_eq!(
            ids(&run(&build(&options), sample())),
            ["1", "2", "3", "4", "6"]
        );

        let mut options = dedup(&["u"]);
        options.keepevents = true;
        let out = run(&build(&options), sample());
        assert_eq!(ids(&out), ["1", "2", "3", "5", "6"]);
        assert!(!out[2].contains("u"));
        assert_eq!(values(&out[0], "u"), ["a"]);
    }

    #[test]
    fn consecutive_only_removes_adjacent_duplicates() {
        let mut options = dedup(&["u"]);
        options.consecutive = true;
        let records = vec![
            record(&[("id", "1"), ("u", "a")]),
            record(&[("id", "2"), ("u", "a")]),
            record(&[("id", "3"), ("u", "b")]),
            record(&[("id", "4"), ("u", "a")]),
        ];
        assert_eq!(ids(&run(&build(&options), records)), ["1", "3", "4"]);
    }

    #[test]
    fn unconfirmed_multivalue_compares_as_whole_list() {
        let records = vec![
            record(&[("id", "1"), ("u", "a|b")]),
            record(&[("id", "2"), ("u", "b|a")]),
            record(&[("id", "3"), ("u", "a|b")]),
        ];
        assert_eq!(ids(&run(&build(&dedup(&["u"])), records)), ["1", "2"]);
    }

    #[test]
    fn sortby_sorts_before_deduplicating() {
        let mut options = dedup(&["u"]);
        options.sortby = vec![SortKey {
            field: field("id"),
            descending: true,
            collation: Collation::Num,
        }];
        assert_eq!(ids(&run(&build(&options), sample())), ["6", "5", "2"]);
    }
}
