//! `table a, b*` (§6.3): keeps only the listed fields, in the listed order.
//!
//! A wildcard expands to the matching fields in their current order; it matches internal
//! (`_`) fields only when the pattern itself starts with `_`. A name listed twice appears
//! once, at its first position. A listed field that is null stays null (the renderer shows
//! it as an empty column). Streaming; output order is input order.

use crate::ops::wildcard;
use crate::ops::Operator;
use crate::run::{ExecContext, RunError};
use crate::value::Record;
use indexmap::IndexSet;
use spl_syntax::ast::Field;

/// The `table` operator.
#[derive(Clone, Debug)]
pub struct TableOperator {
    patterns: Vec<String>,
}

/// Builds the operator for `table`.
pub fn build(fields: &[Field]) -> TableOperator {
    TableOperator {
        patterns: fields.iter().map(|f| f.name.clone()).collect(),
    }
}

/// The names of `record` selected by `patterns`, in pattern order, without duplicates.
pub(crate) fn select_names(record: &Record, patterns: &[String]) -> Vec<String> {
    let mut selected = IndexSet::new();
    for pattern in patterns {
        if !pattern.contains('*') {
            selected.insert(pattern.clone());
            continue;
        }
        let internal_allowed = pattern.starts_with('_');
        for name in record.names() {
            if (internal_allowed || !name.starts_with('_')) && wildcard::matches(pattern, name) {
                selected.insert(name.to_string());
            }
        }
    }
    selected.into_iter().collect()
}

impl Operator for TableOperator {
    fn push(
        &mut self,
        mut record: Record,
        _ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        let names = select_names(&record, &self.patterns);
        record.project(&names);
        out.push(record);
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{field, names, record, run};

    #[test]
    fn unconfirmed_keeps_listed_order_expands_wildcards_and_drops_duplicates() {
        let operator = build(&[field("count"), field("user*"), field("count")]);
        let out = run(
            &operator,
            vec![record(&[
                ("_raw", "x"),
                ("user.name", "a"),
                ("other", "b"),
                ("count", "3"),
                ("user.id", "7"),
            ])],
        );
        assert_eq!(names(&out[0]), ["count", "user.name", "user.id"]);
    }

    #[test]
    fn unconfirmed_star_does_not_pick_internal_fields_unless_asked() {
        let out = run(
            &build(&[field("*")]),
            vec![record(&[("_time", "1"), ("a", "2")])],
        );
        assert_eq!(names(&out[0]), ["a"]);
        let out = run(
            &build(&[field("_time"), field("a")]),
            vec![record(&[("a", "2"), ("_time", "1")])],
        );
        assert_eq!(names(&out[0]), ["_time", "a"]);
    }
}
