//! `fields [+|-] a, b*` (§6.4).
//!
//! `fields + …` keeps the matching fields in the listed order, followed by `_raw` and
//! `_time` (in their current order) unless they were listed. `fields - …` removes every
//! matching field, internal ones included (`fields - _*`). Streaming; output order is input
//! order.

use crate::ops::table::select_names;
use crate::ops::wildcard;
use crate::ops::Operator;
use crate::run::{ExecContext, RunError};
use crate::value::Record;
use spl_syntax::ast::Fields;

/// Internal fields `fields +` keeps without being asked.
const ALWAYS_KEPT: [&str; 2] = ["_raw", "_time"];

/// The `fields` operator.
#[derive(Clone, Debug)]
pub struct FieldsOperator {
    remove: bool,
    patterns: Vec<String>,
}

/// Builds the operator for `fields`.
pub fn build(fields: &Fields) -> FieldsOperator {
    FieldsOperator {
        remove: fields.remove,
        patterns: fields.fields.iter().map(|f| f.name.clone()).collect(),
    }
}

impl FieldsOperator {
    /// `fields - …`: drops matching fields.
    fn remove_matching(&self, record: &mut Record) {
        record.retain(|name, _| !self.patterns.iter().any(|p| wildcard::matches(p, name)));
    }

    /// `fields + …`: keeps matching fields, then `_raw`/`_time`.
    fn keep_matching(&self, record: &mut Record) {
        let mut names = select_names(record, &self.patterns);
        let internal: Vec<String> = record
            .names()
            .filter(|name| ALWAYS_KEPT.contains(name) && !names.iter().any(|n| n == name))
            .map(str::to_string)
            .collect();
        names.extend(internal);
        record.project(&names);
    }
}

impl Operator for FieldsOperator {
    fn push(
        &mut self,
        mut record: Record,
        _ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        if self.remove {
            self.remove_matching(&mut record);
        } else {
            self.keep_matching(&mut record);
        }
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

    fn sample() -> Vec<Record> {
        vec![record(&[
            ("_raw", "r"),
            ("b", "1"),
            ("a", "2"),
            ("_time", "3"),
            ("c", "4"),
        ])]
    }

    #[test]
    fn keep_lists_fields_in_order_plus_raw_and_time() {
        let operator = build(&Fields {
            remove: false,
            fields: vec![field("a"), field("b")],
        });
        let out = run(&operator, sample());
        assert_eq!(names(&out[0]), ["a", "b", "_raw", "_time"]);
    }

    #[test]
    fn remove_drops_matching_fields_including_internal() {
        let operator = build(&Fields {
            remove: true,
            fields: vec![field("_*"), field("c")],
        });
        let out = run(&operator, sample());
        assert_eq!(names(&out[0]), ["b", "a"]);
    }
}
