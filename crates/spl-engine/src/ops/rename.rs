//! `rename a AS b, c* AS d*` (§6.1).
//!
//! Pairs apply left to right. A renamed field keeps its position; an existing target is
//! replaced; a missing source is a no-op. With wildcards every matching field is renamed,
//! in the record's field order, carrying the text each `*` matched. Streaming; output order
//! is input order.

use crate::ops::wildcard;
use crate::ops::Operator;
use crate::run::{ExecContext, RunError};
use crate::value::Record;
use spl_syntax::ast::RenamePair;
use spl_syntax::Diagnostic;

/// The `rename` operator.
#[derive(Clone, Debug)]
pub struct RenameOperator {
    pairs: Vec<(String, String)>,
}

/// Builds the operator for `rename`; both sides of a pair must have as many `*`.
pub fn build(pairs: &[RenamePair]) -> Result<RenameOperator, Vec<Diagnostic>> {
    let errors: Vec<Diagnostic> = pairs.iter().filter_map(check_pair).collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(RenameOperator {
        pairs: pairs
            .iter()
            .map(|p| (p.from.name.clone(), p.to.name.clone()))
            .collect(),
    })
}

/// The error for a pair whose sides have different numbers of wildcards.
fn check_pair(pair: &RenamePair) -> Option<Diagnostic> {
    let from_stars = wildcard::star_count(&pair.from.name);
    let to_stars = wildcard::star_count(&pair.to.name);
    if from_stars == to_stars {
        return None;
    }
    Some(
        Diagnostic::error(
            "spl::plan::rename_wildcard_mismatch",
            format!(
                "`{}` has {from_stars} wildcard(s) but `{}` has {to_stars}",
                pair.from.name, pair.to.name
            ),
            pair.from.span.to(pair.to.span),
        )
        .with_help("both names of a `rename` pair need the same number of `*`"),
    )
}

impl RenameOperator {
    /// Applies one pair to `record`.
    fn apply(record: &mut Record, from: &str, to: &str) {
        if !from.contains('*') {
            record.rename(from, to);
            return;
        }
        let renames: Vec<(String, String)> = record
            .names()
            .filter_map(|name| {
                let captured = wildcard::captures(from, name)?;
                Some((name.to_string(), wildcard::substitute(to, &captured)))
            })
            .collect();
        for (old, new) in renames {
            record.rename(&old, &new);
        }
    }
}

impl Operator for RenameOperator {
    fn push(
        &mut self,
        mut record: Record,
        _ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        for (from, to) in &self.pairs {
            RenameOperator::apply(&mut record, from, to);
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
    use crate::ops::testing::{field, names, record, run, values};
    use spl_syntax::Span;

    fn pair(from: &str, to: &str) -> RenamePair {
        RenamePair {
            from: field(from),
            to: field(to),
        }
    }

    #[test]
    fn unconfirmed_plain_rename_keeps_position() {
        let operator =
            build(&[pair("sourceIPs{}", "src_ip"), pair("user.username", "user")]).expect("valid");
        let out = run(
            &operator,
            vec![record(&[
                ("sourceIPs{}", "1.2.3.4"),
                ("count", "7"),
                ("user.username", "bob"),
            ])],
        );
        assert_eq!(names(&out[0]), ["src_ip", "count", "user"]);
        assert_eq!(values(&out[0], "user"), ["bob"]);
    }

    #[test]
    fn unconfirmed_target_is_replaced_and_missing_source_is_noop() {
        let operator = build(&[pair("a", "b"), pair("missing", "c")]).expect("valid");
        let out = run(
            &operator,
            vec![record(&[("a", "1"), ("b", "2"), ("c", "3")])],
        );
        assert_eq!(names(&out[0]), ["b", "c"]);
        assert_eq!(values(&out[0], "b"), ["1"]);
        assert_eq!(values(&out[0], "c"), ["3"]);
    }

    #[test]
    fn wildcards_carry_matched_text() {
        let operator = build(&[pair("Web.*", "*")]).expect("valid");
        let out = run(
            &operator,
            vec![record(&[("Web.src", "a"), ("x", "b"), ("Web.dest", "c")])],
        );
        assert_eq!(names(&out[0]), ["src", "x", "dest"]);
    }

    #[test]
    fn pairs_apply_left_to_right() {
        let operator = build(&[pair("a", "b"), pair("b", "c")]).expect("valid");
        let out = run(&operator, vec![record(&[("a", "1")])]);
        assert_eq!(names(&out[0]), ["c"]);
    }

    #[test]
    fn wildcard_count_mismatch_is_a_plan_error() {
        let mut bad = pair("foo*", "bar");
        bad.from.span = Span::new(7, 11);
        bad.to.span = Span::new(15, 18);
        let errors = build(&[bad]).expect_err("mismatch");
        assert_eq!(errors[0].code, "spl::plan::rename_wildcard_mismatch");
        assert_eq!(errors[0].span, Some(Span::new(7, 18)));
    }
}
