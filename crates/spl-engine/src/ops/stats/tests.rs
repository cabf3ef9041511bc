//! Unit tests of `stats`: the function table's examples, the BY rules and the output shape.

use super::functions::{lookup, FUNCTIONS};
use super::*;
use crate::ops::testing::{field, names, record, run, run_with_context, values};
use spl_syntax::ast::CommandOption;
use spl_syntax::{Span, Spanned};

/// `function(argument) AS alias`, with empty spans.
pub(crate) fn aggregation(
    function: &str,
    argument: Option<&str>,
    alias: Option<&str>,
) -> Aggregation {
    Aggregation {
        function: Spanned::new(function.to_string(), Span::default()),
        argument: argument.map(|a| AggregationArgument::Field(field(a))),
        alias: alias.map(field),
        span: Span::default(),
    }
}

fn stats(aggregations: Vec<Aggregation>, by: &[&str]) -> StatsOperator {
    build(&Stats {
        aggregations,
        by: by.iter().map(|f| field(f)).collect(),
        options: vec![],
    })
    .expect("valid stats")
}

/// Parses the `name(x)` / `name` form used by the examples.
fn example_aggregation(text: &str) -> Aggregation {
    match text.split_once('(') {
        Some((name, rest)) => aggregation(name, Some(rest.trim_end_matches(')')), Some("out")),
        None => aggregation(text, None, Some("out")),
    }
}

#[test]
fn every_table_example_holds() {
    for spec in FUNCTIONS {
        let example = spec.example;
        let events = example
            .events
            .iter()
            .map(|(time, x)| {
                let mut pairs = vec![];
                if !time.is_empty() {
                    pairs.push(("_time", *time));
                }
                if !x.is_empty() {
                    pairs.push(("x", *x));
                }
                record(&pairs)
            })
            .collect();
        let operator = stats(vec![example_aggregation(example.aggregation)], &[]);
        let out = run(&operator, events);
        assert_eq!(out.len(), 1, "{}", example.aggregation);
        assert_eq!(
            values(&out[0], "out"),
            example.result,
            "{}",
            example.aggregation
        );
        let (found, _) =
            lookup(example.aggregation.split('(').next().unwrap_or("")).expect("known");
        assert_eq!(found.name, spec.name);
    }
}

#[test]
fn plain_count_counts_events() {
    let out = run(
        &stats(vec![aggregation("c", None, None)], &[]),
        vec![record(&[("a", "1|2")]), record(&[])],
    );
    assert_eq!(values(&out[0], "c"), ["2"]);
}

#[test]
fn semantics_example_4_6() {
    let operator = stats(
        vec![
            aggregation("count", None, None),
            aggregation("values", Some("ua"), Some("ua")),
            aggregation("dc", Some("ua"), None),
        ],
        &["ip"],
    );
    let input = vec![
        record(&[("ip", "A"), ("ua", "curl")]),
        record(&[("ip", "A"), ("ua", "Wget")]),
        record(&[("ip", "A"), ("ua", "curl")]),
        record(&[("ip", "B")]),
        record(&[("ua", "curl")]),
        record(&[("ip", "A|C"), ("ua", "zgrab")]),
    ];
    let (out, ctx) = run_with_context(&operator, input).expect("runs");
    assert_eq!(out.len(), 3);
    assert_eq!(names(&out[0]), ["ip", "count", "ua", "dc(ua)"]);
    assert_eq!(values(&out[0], "ip"), ["A"]);
    assert_eq!(values(&out[0], "count"), ["4"]);
    assert_eq!(values(&out[0], "ua"), ["Wget", "curl", "zgrab"]);
    assert_eq!(values(&out[0], "dc(ua)"), ["3"]);
    assert_eq!(names(&out[1]), ["ip", "count", "dc(ua)"]);
    assert_eq!(values(&out[1], "ip"), ["B"]);
    assert_eq!(values(&out[1], "count"), ["1"]);
    assert_eq!(values(&out[1], "dc(ua)"), ["0"]);
    assert_eq!(values(&out[2], "ip"), ["C"]);
    assert_eq!(values(&out[2], "count"), ["1"]);
    assert_eq!(values(&out[2], "ua"), ["zgrab"]);
    assert_eq!(values(&out[2], "dc(ua)"), ["1"]);
    assert_eq!(ctx.stats.dropped_missing_by_field, 1);
}

#[test]
fn unconfirmed_empty_input_without_by_gives_one_row() {
    let operator = stats(
        vec![
            aggregation("count", None, None),
            aggregation("dc", Some("x"), None),
            aggregation("values", Some("x"), None),
            aggregation("sum", Some("x"), None),
        ],
        &[],
    );
    let out = run(&operator, vec![]);
    assert_eq!(out.len(), 1);
    assert_eq!(names(&out[0]), ["count", "dc(x)"]);
    assert_eq!(values(&out[0], "count"), ["0"]);
    assert_eq!(values(&out[0], "dc(x)"), ["0"]);
}

#[test]
fn unconfirmed_empty_input_with_by_gives_no_rows() {
    let out = run(
        &stats(vec![aggregation("count", None, None)], &["a"]),
        vec![],
    );
    assert!(out.is_empty());
}

#[test]
fn unconfirmed_multivalue_by_fields_form_cartesian_product() {
    let operator = stats(vec![aggregation("count", None, None)], &["a", "b"]);
    let out = run(&operator, vec![record(&[("b", "y|x"), ("a", "2|1")])]);
    let keys: Vec<(String, String)> = out
        .iter()
        .map(|r| (values(r, "a")[0].to_string(), values(r, "b")[0].to_string()))
        .collect();
    assert_eq!(
        keys,
        [("1", "x"), ("1", "y"), ("2", "x"), ("2", "y")]
            .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert!(out.iter().all(|r| values(r, "count") == ["1"]));
}

#[test]
fn duplicate_by_values_count_per_occurrence_unless_dedup_splitvals() {
    let input = || vec![record(&[("a", "x|x")])];
    let out = run(
        &stats(vec![aggregation("count", None, None)], &["a"]),
        input(),
    );
    assert_eq!(values(&out[0], "count"), ["2"]);

    let operator = build(&Stats {
        aggregations: vec![aggregation("count", None, None)],
        by: vec![field("a")],
        options: vec![CommandOption {
            name: Spanned::new("dedup_splitvals".into(), Span::default()),
            value: Spanned::new("true".into(), Span::default()),
        }],
    })
    .expect("valid");
    let out = run(&operator, input());
    assert_eq!(values(&out[0], "count"), ["1"]);
}

#[test]
fn unconfirmed_group_keys_are_exact_and_rows_sorted_auto() {
    let operator = stats(vec![aggregation("count", None, None)], &["k"]);
    let input = [
        "b",
        "10",
        "alice",
        "9",
        "Alice",
        "",
        "10.0.0.10",
        "10.0.0.9",
    ]
    .iter()
    .map(|k| record(&[("k", k)]))
    .collect();
    let out = run(&operator, input);
    let keys: Vec<&str> = out.iter().map(|r| values(r, "k")[0]).collect();
    assert_eq!(
        keys,
        [
            "9",
            "10",
            "",
            "10.0.0.9",
            "10.0.0.10",
            "Alice",
            "alice",
            "b"
        ]
    );
}

#[test]
fn aggregations_see_every_multivalue_value() {
    let operator = stats(
        vec![
            aggregation("count", Some("x"), None),
            aggregation("sum", Some("x"), None),
            aggregation("list", Some("x"), None),
        ],
        &[],
    );
    let out = run(
        &operator,
        vec![record(&[("x", "1|2")]), record(&[("x", "3")])],
    );
    assert_eq!(values(&out[0], "count(x)"), ["3"]);
    assert_eq!(values(&out[0], "sum(x)"), ["6"]);
    assert_eq!(values(&out[0], "list(x)"), ["1", "2", "3"]);
}

#[test]
fn list_keeps_first_hundred() {
    let input = (0..150).map(|i| record(&[("x", &i.to_string())])).collect();
    let out = run(
        &stats(vec![aggregation("list", Some("x"), None)], &[]),
        input,
    );
    let listed = values(&out[0], "list(x)");
    assert_eq!(listed.len(), 100);
    assert_eq!(listed[99], "99");
}

#[test]
fn unknown_function_suggests_a_name() {
    let mut bad = aggregation("valeus", Some("x"), None);
    bad.function.span = Span::new(6, 12);
    let errors = build(&Stats {
        aggregations: vec![bad, aggregation("nosuchthing", Some("x"), None)],
        by: vec![],
        options: vec![],
    })
    .expect_err("unknown");
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].code, "spl::plan::unknown_function");
    assert_eq!(errors[0].span, Some(Span::new(6, 12)));
    assert_eq!(errors[0].label.as_deref(), Some("did you mean `values`?"));
    assert_eq!(errors[1].label, None);
}

#[test]
fn missing_argument_is_a_plan_error() {
    let errors = build(&Stats {
        aggregations: vec![aggregation("values", None, None)],
        by: vec![],
        options: vec![],
    })
    .expect_err("needs a field");
    assert_eq!(errors[0].code, "spl::plan::missing_argument");
}

#[test]
fn later_duplicate_output_name_wins_at_first_position() {
    let operator = stats(
        vec![
            aggregation("count", None, Some("n")),
            aggregation("dc", Some("x"), None),
            aggregation("sum", Some("x"), Some("n")),
        ],
        &[],
    );
    let out = run(
        &operator,
        vec![record(&[("x", "5")]), record(&[("x", "5")])],
    );
    assert_eq!(names(&out[0]), ["n", "dc(x)"]);
    assert_eq!(values(&out[0], "n"), ["10"]);
}

#[test]
fn fresh_operator_starts_empty() {
    let operator = stats(vec![aggregation("count", None, None)], &[]);
    let _ = run(&operator, vec![record(&[])]);
    let out = run(&operator, vec![record(&[])]);
    assert_eq!(values(&out[0], "count"), ["1"]);
}

#[test]
fn unconfirmed_min_max_mixed_numbers_rank_below_strings() {
    let operator = stats(
        vec![
            aggregation("min", Some("x"), None),
            aggregation("max", Some("x"), None),
            aggregation("range", Some("x"), None),
        ],
        &[],
    );
    let input = ["10", "abc", "9", "Zed"]
        .iter()
        .map(|x| record(&[("x", x)]))
        .collect();
    let out = run(&operator, input);
    assert_eq!(values(&out[0], "min(x)"), ["9"]);
    assert_eq!(values(&out[0], "max(x)"), ["abc"]);
    assert_eq!(values(&out[0], "range(x)"), ["1"]);
}

#[test]
fn numeric_functions_without_numbers_are_absent() {
    let operator = stats(
        vec![
            aggregation("sum", Some("x"), None),
            aggregation("avg", Some("x"), None),
            aggregation("stdev", Some("x"), None),
            aggregation("perc50", Some("x"), None),
        ],
        &[],
    );
    let out = run(&operator, vec![record(&[("x", "abc")])]);
    assert!(out[0].is_empty());
}

#[test]
fn eval_results_become_values_only_when_true_or_present() {
    assert!(eval_values(EvalValue::Null).is_empty());
    assert!(eval_values(EvalValue::Bool(false)).is_empty());
    assert_eq!(eval_values(EvalValue::Bool(true)), ["true"]);
    assert_eq!(eval_values(EvalValue::Number(2.0)), ["2"]);
    assert_eq!(eval_values(EvalValue::Str("a".into())), ["a"]);
    assert_eq!(
        eval_values(EvalValue::Multi(vec!["a".into(), "b".into()])),
        ["a", "b"]
    );
}

/// `x <op> <number>` as an expression.
fn compare_x(op: spl_syntax::ast::BinaryOp, number: &str) -> spl_syntax::ast::Expr {
    use spl_syntax::ast::{Expr, ExprKind};
    let at = |kind| Expr {
        kind,
        span: Span::default(),
    };
    at(ExprKind::Binary {
        op,
        left: Box::new(at(ExprKind::Field("x".to_string()))),
        right: Box::new(at(ExprKind::Number(number.to_string()))),
    })
}

#[test]
fn eval_arguments_count_true_events_and_feed_values() {
    use spl_syntax::ast::BinaryOp;
    let with_eval = |function: &str, expr, alias: &str| Aggregation {
        function: Spanned::new(function.to_string(), Span::default()),
        argument: Some(AggregationArgument::Eval(expr)),
        alias: Some(field(alias)),
        span: Span::default(),
    };
    let operator = stats(
        vec![
            with_eval("count", compare_x(BinaryOp::Gt, "1"), "big"),
            with_eval("sum", compare_x(BinaryOp::Mul, "2"), "doubled"),
        ],
        &[],
    );
    let input = ["1", "2", "3"]
        .iter()
        .map(|x| record(&[("x", x)]))
        .chain([record(&[("y", "9")])])
        .collect();
    let out = run(&operator, input);
    assert_eq!(values(&out[0], "big"), ["2"]);
    assert_eq!(values(&out[0], "doubled"), ["12"]);
}
