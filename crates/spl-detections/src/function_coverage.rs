//! Which `eval` functions a corpus calls, and whether the engine has each one: the
//! "Eval functions" table of `docs/coverage.md`.
//!
//! Calls are collected from the expressions the parser models in detail: `eval`, `where`,
//! and `eval(…)` arguments of `stats` aggregations, in subsearches too. Expressions inside
//! generic commands (an `eventstats count(eval(…))`, a `foreach` template) are not walked.

use spl_syntax::ast::{
    AggregationArgument, CommandKind, Expr, ExprKind, GenericArg, Pipeline, SearchExpr,
    SearchExprKind,
};
use std::collections::{BTreeMap, BTreeSet};

/// How one eval function fares in the corpus.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FunctionCoverage {
    /// Number of calls.
    pub uses: usize,
    /// Number of detections calling it.
    pub detections: usize,
    /// The engine evaluates it.
    pub supported: bool,
}

/// Adds the eval function calls of one detection's `pipeline` to `functions` (names in lower
/// case; each detection counts once per function).
pub fn count_functions(pipeline: &Pipeline, functions: &mut BTreeMap<String, FunctionCoverage>) {
    let mut calls = Vec::new();
    calls_in_pipeline(pipeline, &mut calls);
    let mut seen = BTreeSet::new();
    for name in calls {
        let entry = functions.entry(name.clone()).or_default();
        entry.uses += 1;
        entry.supported = spl_engine::eval::functions::find(&name).is_some();
        if seen.insert(name) {
            entry.detections += 1;
        }
    }
}

fn calls_in_pipeline(pipeline: &Pipeline, calls: &mut Vec<String>) {
    for command in &pipeline.commands {
        match &command.kind {
            CommandKind::Where(expr) => calls_in_expr(expr, calls),
            CommandKind::Eval(assignments) => {
                for assignment in assignments {
                    calls_in_expr(&assignment.expr, calls);
                }
            }
            CommandKind::Stats(stats) => {
                for aggregation in &stats.aggregations {
                    if let Some(AggregationArgument::Eval(expr)) = &aggregation.argument {
                        calls_in_expr(expr, calls);
                    }
                }
            }
            CommandKind::Search(Some(search)) => calls_in_search(search, calls),
            CommandKind::Generic(generic) => {
                for arg in &generic.args {
                    calls_in_arg(arg, calls);
                }
            }
            _ => {}
        }
    }
}

fn calls_in_arg(arg: &GenericArg, calls: &mut Vec<String>) {
    match arg {
        GenericArg::Subsearch(pipeline) => calls_in_pipeline(pipeline, calls),
        GenericArg::Group(group) => {
            for inner in &group.node {
                calls_in_arg(inner, calls);
            }
        }
        _ => {}
    }
}

fn calls_in_search(search: &SearchExpr, calls: &mut Vec<String>) {
    match &search.kind {
        SearchExprKind::And(parts) | SearchExprKind::Or(parts) => {
            for part in parts {
                calls_in_search(part, calls);
            }
        }
        SearchExprKind::Not(inner) => calls_in_search(inner, calls),
        SearchExprKind::Subsearch(pipeline) => calls_in_pipeline(pipeline, calls),
        _ => {}
    }
}

/// Walks `expr` with an explicit stack: flat chains of thousands of operators are fine.
fn calls_in_expr(expr: &Expr, calls: &mut Vec<String>) {
    let mut stack = vec![expr];
    while let Some(expr) = stack.pop() {
        match &expr.kind {
            ExprKind::Call { name, args } => {
                calls.push(name.node.to_ascii_lowercase());
                stack.extend(args.iter().rev());
            }
            ExprKind::Unary { expr, .. } => stack.push(expr),
            ExprKind::Binary { left, right, .. } => {
                stack.push(right);
                stack.push(left);
            }
            ExprKind::In { expr, list } => {
                stack.extend(list.iter().rev());
                stack.push(expr);
            }
            ExprKind::Str(_) | ExprKind::Number(_) | ExprKind::Field(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measure(spl: &str) -> BTreeMap<String, FunctionCoverage> {
        let pipeline = spl_syntax::parse_pipeline(spl).expect("parses");
        let mut functions = BTreeMap::new();
        count_functions(&pipeline, &mut functions);
        functions
    }

    #[test]
    fn calls_in_eval_where_and_stats_are_counted_once_per_detection() {
        let functions = measure(
            "x | eval a=lower(b), c=if(isnull(d), lower(e), \"z\") \
             | where match(a, \"q\") | stats count(eval(len(a)>2)) AS n",
        );
        let lower = &functions["lower"];
        assert_eq!(
            (lower.uses, lower.detections, lower.supported),
            (2, 1, true)
        );
        for name in ["if", "isnull", "match", "len"] {
            assert_eq!(functions[name].uses, 1, "{name}");
        }
    }

    #[test]
    fn calls_in_subsearches_count_and_unknown_names_are_unsupported() {
        let functions = measure("x [ search y | eval z=no_such_function(1) ] | where true()");
        assert!(!functions["no_such_function"].supported);
        assert!(functions["true"].supported);
    }
}
