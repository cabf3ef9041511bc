//! `head [N]`: the first N results (default 10) (§6.7).
//!
//! Streaming; output order is input order. Records after the N-th are discarded.

use crate::ops::Operator;
use crate::run::{ExecContext, RunError};
use crate::value::Record;
use spl_syntax::ast::Head;

/// Results kept when `head` has no count.
pub const DEFAULT_COUNT: u64 = 10;

/// The `head` operator.
#[derive(Clone, Debug)]
pub struct HeadOperator {
    limit: u64,
    seen: u64,
}

/// Builds the operator for `head`.
pub fn build(head: &Head) -> HeadOperator {
    HeadOperator {
        limit: head.count.unwrap_or(DEFAULT_COUNT),
        seen: 0,
    }
}

impl Operator for HeadOperator {
    fn push(
        &mut self,
        record: Record,
        _ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        if self.seen < self.limit {
            self.seen += 1;
            out.push(record);
        }
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(HeadOperator {
            limit: self.limit,
            seen: 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{record, run};

    fn numbered(count: usize) -> Vec<Record> {
        (0..count)
            .map(|i| record(&[("n", &i.to_string())]))
            .collect()
    }

    #[test]
    fn default_keeps_ten() {
        let out = run(&build(&Head { count: None }), numbered(15));
        assert_eq!(out, numbered(10));
    }

    #[test]
    fn explicit_count_keeps_first_n() {
        let out = run(&build(&Head { count: Some(2) }), numbered(5));
        assert_eq!(out, numbered(2));
        let out = run(&build(&Head { count: Some(0) }), numbered(5));
        assert!(out.is_empty());
    }
}
