//! The `eval` and `where` operators (`spl-semantics.md` §5.1).

mod eval_support;

use eval_support::{parse, record};
use spl_engine::ops::{eval, r#where, Operator};
use spl_engine::run::ExecContext;
use spl_engine::{Record, Value};
use spl_syntax::ast::{Assignment, Field};
use spl_syntax::Span;

fn assignment(field: &str, expression: &str) -> Assignment {
    let expr = parse(expression);
    Assignment {
        field: Field {
            name: field.into(),
            span: Span::default(),
        },
        span: expr.span,
        expr,
    }
}

fn run(operator: &mut dyn Operator, input: Record) -> Vec<Record> {
    let mut ctx = ExecContext {
        now: 1000,
        ..ExecContext::default()
    };
    let mut out = Vec::new();
    operator.push(input, &mut ctx, &mut out).expect("push");
    out
}

fn eval_once(assignments: &[(&str, &str)], input: Record) -> Record {
    let list: Vec<Assignment> = assignments.iter().map(|(f, e)| assignment(f, e)).collect();
    let mut operator = eval::build(&list).expect("plan");
    let mut out = run(operator.as_mut(), input);
    assert_eq!(out.len(), 1);
    out.remove(0)
}

fn where_keeps(expression: &str, input: Record) -> bool {
    let mut operator = r#where::build(&parse(expression)).expect("plan");
    !run(operator.as_mut(), input).is_empty()
}

#[test]
fn assignments_run_left_to_right_and_see_earlier_ones() {
    let r = eval_once(&[("x", "a + 1"), ("y", "x * 2")], record());
    assert_eq!(r.get("x"), Some(&Value::from("6")));
    assert_eq!(r.get("y"), Some(&Value::from("12")));
}

#[test]
fn null_result_removes_the_field() {
    let r = eval_once(&[("s", "null()"), ("a", "n + 1")], record());
    assert!(!r.contains("s"));
    assert!(!r.contains("a"));
}

#[test]
fn destination_is_overwritten_in_place() {
    let r = eval_once(&[("a", "\"new\"")], record());
    assert_eq!(r.names().next(), Some("a"));
    assert_eq!(r.get("a"), Some(&Value::from("new")));
}

#[test]
fn copying_a_field_keeps_its_text_and_multivalue() {
    let mut input = record();
    input.insert("price", "1.50");
    let r = eval_once(&[("p", "price"), ("mm", "m")], input);
    assert_eq!(r.get("p"), Some(&Value::from("1.50")));
    assert_eq!(
        r.get("mm"),
        Some(&Value::Multi(vec!["x".into(), "y".into()]))
    );
}

#[test]
fn now_comes_from_the_run() {
    let r = eval_once(&[("t", "now()")], record());
    assert_eq!(r.get("t"), Some(&Value::from("1000")));
}

#[test]
fn boolean_assignment_is_a_plan_error() {
    let error = eval::build(&[assignment("x", "a > 1")]).expect_err("boolean");
    assert_eq!(error.code, "spl::plan::boolean_assignment");
    let error = eval::build(&[assignment("x", "isnull(a)")]).expect_err("boolean");
    assert_eq!(error.code, "spl::plan::boolean_assignment");
}

#[test]
fn boolean_known_only_at_run_time_removes_the_field() {
    let r = eval_once(&[("a", "if(true(), 1 = 1, 2)")], record());
    assert!(!r.contains("a"));
}

#[test]
fn unknown_function_fails_planning() {
    let error = eval::build(&[assignment("x", "nosuch(a)")]).expect_err("unknown");
    assert_eq!(error.code, "spl::plan::unknown_function");
    let error = r#where::build(&parse("nosuch(a)")).expect_err("unknown");
    assert_eq!(error.code, "spl::plan::unknown_function");
}

#[test]
fn where_keeps_only_true() {
    assert!(where_keeps("a < b", record()));
    assert!(!where_keeps("a > b", record()));
    assert!(!where_keeps("n = 1", record()));
    assert!(!where_keeps("s", record()));
    assert!(where_keeps("isnull(n) OR n != \"x\"", record()));
}

#[test]
fn unconfirmed_where_not_on_missing_field_drops() {
    assert!(!where_keeps("n != \"x\"", record()));
    assert!(!where_keeps("NOT n = \"x\"", record()));
}

#[test]
fn where_compares_two_fields_by_name() {
    let mut input = Record::new();
    input.insert("user", "root");
    input.insert("admin", "root");
    assert!(where_keeps("user = admin", input));
}

#[test]
fn fresh_operators_behave_the_same() {
    let operator = r#where::build(&parse("a = 5")).expect("plan");
    let mut copy = operator.fresh();
    assert_eq!(run(copy.as_mut(), record()).len(), 1);
}

#[test]
fn eval_and_where_run_through_the_engine() {
    let query = spl_engine::Engine::new()
        .compile(
            "* | eval total=a + b, label=if(total > 12, \"big\", \"small\") | where label=\"big\"",
        )
        .expect("compiles");
    let mut small = Record::new();
    small.insert("a", "1");
    small.insert("b", "2");
    let output = query.run([record(), small]).expect("runs");
    assert_eq!(output.rows.len(), 1);
    assert_eq!(output.rows[0].get("total"), Some(&Value::from("15")));
}

#[test]
fn plan_errors_point_at_the_function() {
    let error = spl_engine::Engine::new()
        .compile("| where lowr(s) = \"x\"")
        .expect_err("unknown function");
    let diagnostic = &error.diagnostics[0];
    assert_eq!(diagnostic.code, "spl::plan::unknown_function");
    assert_eq!(diagnostic.span, Some(Span::new(8, 12)));
    assert_eq!(diagnostic.label.as_deref(), Some("did you mean `lower`?"));
}
