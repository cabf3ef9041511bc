//! `fillnull [value=<v>] [fields…]` (§6.2).
//!
//! With a field list it streams: every listed field that is null gets the value (and is
//! appended at the end of the record). Without one it is blocking: it holds every result,
//! then fills, in each result, the fields that are non-null in at least one result (internal
//! `_` fields excluded), appending them in the order they were first seen. Output order is
//! input order in both cases. Empty strings and multivalues are left alone.

use crate::ops::Operator;
use crate::run::{ExecContext, RunError};
use crate::value::Record;
use indexmap::IndexSet;
use spl_syntax::ast::Fillnull;

/// The fill value when `value=` is not given.
pub const DEFAULT_VALUE: &str = "0";

/// The `fillnull` operator.
#[derive(Clone, Debug)]
pub struct FillnullOperator {
    value: String,
    fields: Vec<String>,
    held: Vec<Record>,
    seen_fields: IndexSet<String>,
}

/// Builds the operator for `fillnull`.
pub fn build(fillnull: &Fillnull) -> FillnullOperator {
    FillnullOperator {
        value: fillnull
            .value
            .clone()
            .unwrap_or_else(|| DEFAULT_VALUE.to_string()),
        fields: fillnull.fields.iter().map(|f| f.name.clone()).collect(),
        held: Vec::new(),
        seen_fields: IndexSet::new(),
    }
}

impl FillnullOperator {
    /// Sets each of `fields` that is null in `record` to `value`.
    fn fill<'a>(record: &mut Record, fields: impl IntoIterator<Item = &'a String>, value: &str) {
        for field in fields {
            if !record.contains(field) {
                record.insert(field.clone(), value);
            }
        }
    }
}

impl Operator for FillnullOperator {
    fn push(
        &mut self,
        mut record: Record,
        _ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        if !self.fields.is_empty() {
            FillnullOperator::fill(&mut record, &self.fields, &self.value);
            out.push(record);
            return Ok(());
        }
        for name in record.names() {
            if !name.starts_with('_') && !self.seen_fields.contains(name) {
                self.seen_fields.insert(name.to_string());
            }
        }
        self.held.push(record);
        Ok(())
    }

    fn finish(&mut self, _ctx: &mut ExecContext, out: &mut Vec<Record>) -> Result<(), RunError> {
        for mut record in self.held.drain(..) {
            FillnullOperator::fill(&mut record, &self.seen_fields, &self.value);
            out.push(record);
        }
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(FillnullOperator {
            value: self.value.clone(),
            fields: self.fields.clone(),
            held: Vec::new(),
            seen_fields: IndexSet::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{field, names, record, run, values};

    #[test]
    fn unconfirmed_listed_fields_are_filled_and_created_but_empty_strings_kept() {
        let operator = build(&Fillnull {
            value: Some("unknown".into()),
            fields: vec![field("City"), field("Country")],
        });
        let out = run(&operator, vec![record(&[("City", ""), ("ip", "1.2.3.4")])]);
        assert_eq!(values(&out[0], "City"), [""]);
        assert_eq!(values(&out[0], "Country"), ["unknown"]);
    }

    #[test]
    fn unconfirmed_without_fields_fills_fields_seen_anywhere_but_not_internal_ones() {
        let operator = build(&Fillnull {
            value: None,
            fields: vec![],
        });
        let out = run(
            &operator,
            vec![
                record(&[("_raw", "x"), ("a", "1")]),
                record(&[("_time", "5"), ("b", "2")]),
            ],
        );
        assert_eq!(names(&out[0]), ["_raw", "a", "b"]);
        assert_eq!(values(&out[0], "b"), ["0"]);
        assert_eq!(names(&out[1]), ["_time", "b", "a"]);
        assert_eq!(values(&out[1], "a"), ["0"]);
        assert!(!out[1].contains("_raw"));
    }

    #[test]
    fn field_absent_everywhere_is_not_created() {
        let operator = build(&Fillnull {
            value: None,
            fields: vec![],
        });
        let out = run(&operator, vec![record(&[("a", "1")])]);
        assert_eq!(names(&out[0]), ["a"]);
    }
}
