//! `search <expr>` at any position: keeps the records the expression matches (§1).
//!
//! Streaming; output order is input order.

use crate::ops::Operator;
use crate::run::{ExecContext, RunError};
use crate::search::{compile_search, CompiledSearch};
use crate::value::Record;
use spl_syntax::ast::SearchExpr;
use spl_syntax::Diagnostic;

/// The `search` filter.
#[derive(Clone, Debug)]
pub struct SearchOperator {
    search: CompiledSearch,
}

/// Builds the operator for `search` (`None` keeps every record).
pub fn build(expr: Option<&SearchExpr>) -> Result<Box<dyn Operator>, Diagnostic> {
    Ok(Box::new(SearchOperator {
        search: compile_search(expr)?,
    }))
}

impl SearchOperator {
    /// The filter of an already compiled search (a search completed by its subsearches).
    pub fn from_compiled(search: CompiledSearch) -> SearchOperator {
        SearchOperator { search }
    }
}

impl Operator for SearchOperator {
    fn push(
        &mut self,
        record: Record,
        _ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        if self.search.matches(&record) {
            out.push(record);
        }
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{record, run};

    #[test]
    fn empty_search_keeps_everything_in_order() {
        let operator = build(None).expect("builds");
        let out = run(
            operator.as_ref(),
            vec![record(&[("a", "1")]), record(&[("a", "2")])],
        );
        assert_eq!(out, vec![record(&[("a", "1")]), record(&[("a", "2")])]);
    }
}
