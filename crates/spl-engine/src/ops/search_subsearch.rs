//! `search … [ <subsearch> ] …`: a search whose terms include subsearches. Each subsearch's
//! results become a search term the way Splunk's implicit `format` writes them
//! (Search Manual, "Change the format of subsearch results"):
//!
//! ```text
//! ( ( f1="v1" AND f2="v2" ) OR ( f1="v3" AND f2="v4" ) )
//! ```
//!
//! * One group per result row, one `field="value"` per field; a multivalue field gives
//!   `( f="a" OR f="b" )`. Internal fields (names starting with `_`) are left out.
//! * A field named `search` or `query` gives its value as search text, not `field=value`.
//! * No results (or no usable field in any row) gives `NOT ()`, which matches nothing.
//! * Values compare like any `search` value: case-insensitive, `*` a wildcard.
//!
//! The subsearches run when the first record arrives; then the search streams like any
//! other. More than [`SEARCH_MAXOUT`] subsearch results stop the run.

use crate::ops::search::SearchOperator;
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::search::compile_search;
use crate::subsearch::{Subsearch, SEARCH_MAXOUT};
use crate::value::Record;
use spl_syntax::ast::{
    CommandKind, CompareOp, Field, Pipeline, SearchExpr, SearchExprKind, SearchValue,
};
use spl_syntax::{parse_pipeline, Diagnostic, Span};

/// A `search` whose subsearches have not run yet, or the search they produced.
#[derive(Debug)]
pub struct SubsearchSearchOperator {
    expr: SearchExpr,
    subsearches: Vec<Subsearch>,
    ready: Option<SearchOperator>,
}

/// Builds the operator for `search <expr>`: the plain filter when `expr` has no subsearch.
pub fn build(
    expr: Option<&SearchExpr>,
    ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let Some(expr) = expr else {
        return crate::ops::search::build(None).map_err(|e| vec![e]);
    };
    let mut pipelines = Vec::new();
    collect_subsearches(expr, &mut pipelines);
    if pipelines.is_empty() {
        return crate::ops::search::build(Some(expr)).map_err(|e| vec![e]);
    }
    let mut subsearches = Vec::new();
    let mut errors = Vec::new();
    for pipeline in pipelines {
        match Subsearch::plan(pipeline, ctx) {
            Ok(subsearch) => subsearches.push(subsearch),
            Err(found) => errors.extend(found),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Box::new(SubsearchSearchOperator {
        expr: expr.clone(),
        subsearches,
        ready: None,
    }))
}

/// The subsearch terms of `expr`, depth first in written order.
fn collect_subsearches<'a>(expr: &'a SearchExpr, found: &mut Vec<&'a Pipeline>) {
    match &expr.kind {
        SearchExprKind::And(items) | SearchExprKind::Or(items) => {
            for item in items {
                collect_subsearches(item, found);
            }
        }
        SearchExprKind::Not(inner) => collect_subsearches(inner, found),
        SearchExprKind::Subsearch(pipeline) => found.push(pipeline),
        _ => {}
    }
}

/// `expr` with each subsearch term replaced by the next of `terms`, in the order of
/// [`collect_subsearches`].
fn substitute(expr: &SearchExpr, terms: &mut std::vec::IntoIter<SearchExpr>) -> SearchExpr {
    let kind = match &expr.kind {
        SearchExprKind::And(items) => {
            SearchExprKind::And(items.iter().map(|i| substitute(i, terms)).collect())
        }
        SearchExprKind::Or(items) => {
            SearchExprKind::Or(items.iter().map(|i| substitute(i, terms)).collect())
        }
        SearchExprKind::Not(inner) => SearchExprKind::Not(Box::new(substitute(inner, terms))),
        SearchExprKind::Subsearch(_) => match terms.next() {
            Some(term) => return term,
            None => SearchExprKind::Or(Vec::new()),
        },
        other => other.clone(),
    };
    SearchExpr {
        kind,
        span: expr.span,
    }
}

/// The search term Splunk's `format` makes of subsearch results.
pub fn format_results(rows: &[Record], span: Span) -> Result<SearchExpr, RunError> {
    let mut groups = Vec::new();
    for row in rows {
        let mut parts = Vec::new();
        for (name, value) in row.iter() {
            if name.starts_with('_') {
                continue;
            }
            if name == "search" || name == "query" {
                for text in value.values() {
                    parts.extend(search_text(text, span)?);
                }
                continue;
            }
            let equals: Vec<SearchExpr> = value
                .values()
                .iter()
                .map(|text| equals(name, text, span))
                .collect();
            parts.push(one_or(equals, span, SearchExprKind::Or));
        }
        if !parts.is_empty() {
            groups.push(one_or(parts, span, SearchExprKind::And));
        }
    }
    Ok(SearchExpr {
        kind: SearchExprKind::Or(groups),
        span,
    })
}

/// The single item, or the items combined with `combine`.
fn one_or(
    mut items: Vec<SearchExpr>,
    span: Span,
    combine: fn(Vec<SearchExpr>) -> SearchExprKind,
) -> SearchExpr {
    if items.len() == 1 {
        if let Some(item) = items.pop() {
            return item;
        }
    }
    SearchExpr {
        kind: combine(items),
        span,
    }
}

/// `name="text"`.
fn equals(name: &str, text: &str, span: Span) -> SearchExpr {
    SearchExpr {
        kind: SearchExprKind::Compare {
            field: Field {
                name: name.to_string(),
                span,
            },
            op: CompareOp::Eq,
            value: SearchValue {
                text: text.to_string(),
                quoted: true,
                span,
            },
        },
        span,
    }
}

/// The value of a `search`/`query` field parsed as a search expression (`None` when empty).
/// `NOT ( )`, what `format` writes for no results, matches nothing.
fn search_text(text: &str, span: Span) -> Result<Option<SearchExpr>, RunError> {
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if squeezed == "NOT()" {
        return Ok(Some(SearchExpr {
            kind: SearchExprKind::Or(Vec::new()),
            span,
        }));
    }
    let failed = |why: String| {
        RunError::Failed(format!(
            "a subsearch returned the search text `{text}`, which is not a search: {why}"
        ))
    };
    let pipeline = parse_pipeline(&format!("search {text}")).map_err(|errors| {
        failed(
            errors
                .first()
                .map_or_else(String::new, |d| d.message.clone()),
        )
    })?;
    match pipeline.commands.as_slice() {
        [only] => match &only.kind {
            CommandKind::Search(expr) => Ok(expr.clone().map(|mut e| {
                e.span = span;
                e
            })),
            _ => Err(failed("it is not a search".into())),
        },
        _ => Err(failed("it holds a `|`".into())),
    }
}

impl SubsearchSearchOperator {
    /// Runs the subsearches and compiles the search they complete.
    fn prepare(&self, ctx: &ExecContext) -> Result<SearchOperator, RunError> {
        let mut terms = Vec::new();
        for subsearch in &self.subsearches {
            let rows = subsearch.run(ctx, SEARCH_MAXOUT, "subsearch results")?;
            terms.push(format_results(&rows, subsearch.span())?);
        }
        let expr = substitute(&self.expr, &mut terms.into_iter());
        let search = compile_search(Some(&expr)).map_err(|d| RunError::Failed(d.message))?;
        Ok(SearchOperator::from_compiled(search))
    }
}

impl Operator for SubsearchSearchOperator {
    fn push(
        &mut self,
        record: Record,
        ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        if self.ready.is_none() {
            self.ready = Some(self.prepare(ctx)?);
        }
        match &mut self.ready {
            Some(search) => search.push(record, ctx, out),
            None => Ok(()),
        }
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(SubsearchSearchOperator {
            expr: self.expr.clone(),
            subsearches: self.subsearches.iter().map(Subsearch::fresh).collect(),
            ready: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::record;

    #[test]
    fn rows_are_ored_and_fields_anded() {
        let rows = [
            record(&[("a", "1"), ("b", "x y"), ("_raw", "ignored")]),
            record(&[("a", "2|3")]),
        ];
        let term = format_results(&rows, Span::default()).expect("formats");
        assert_eq!(term.to_string(), r#"(a="1" b="x y") OR (a="2" OR a="3")"#);
        let search = compile_search(Some(&term)).expect("compiles");
        assert!(search.matches(&record(&[("a", "1"), ("b", "X Y")])));
        assert!(!search.matches(&record(&[("a", "1"), ("b", "z")])));
        assert!(search.matches(&record(&[("a", "3")])));
        assert!(!search.matches(&record(&[("b", "x y")])));
    }

    #[test]
    fn no_rows_match_nothing() {
        let term = format_results(&[], Span::default()).expect("formats");
        assert_eq!(term.kind, SearchExprKind::Or(Vec::new()));
        let search = compile_search(Some(&term)).expect("compiles");
        assert!(!search.matches(&record(&[("a", "1")])));
    }

    #[test]
    fn search_field_is_search_text() {
        let term = format_results(&[record(&[("search", "a=1 OR b=2")])], Span::default())
            .expect("formats");
        let search = compile_search(Some(&term)).expect("compiles");
        assert!(search.matches(&record(&[("b", "2")])));
        assert!(!search.matches(&record(&[("a", "2")])));
        let bad = format_results(&[record(&[("query", "(a=1")])], Span::default());
        assert!(bad.is_err());
    }
}
