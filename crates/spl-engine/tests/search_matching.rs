//! `search` matching per spl-semantics.md §1.4–§1.7, with AST values built by hand.

use spl_engine::search::compile_search;
use spl_engine::{Record, Value};
use spl_syntax::ast::{CompareOp, Field, SearchExpr, SearchExprKind, SearchValue};
use spl_syntax::span::Span;

fn node(kind: SearchExprKind) -> SearchExpr {
    SearchExpr {
        kind,
        span: Span::default(),
    }
}

fn value(text: &str) -> SearchValue {
    SearchValue {
        text: text.to_string(),
        quoted: false,
        span: Span::default(),
    }
}

fn field(name: &str) -> Field {
    Field {
        name: name.to_string(),
        span: Span::default(),
    }
}

fn cmp(name: &str, op: CompareOp, text: &str) -> SearchExpr {
    node(SearchExprKind::Compare {
        field: field(name),
        op,
        value: value(text),
    })
}

fn eq(name: &str, text: &str) -> SearchExpr {
    cmp(name, CompareOp::Eq, text)
}

fn ne(name: &str, text: &str) -> SearchExpr {
    cmp(name, CompareOp::Ne, text)
}

fn not(inner: SearchExpr) -> SearchExpr {
    node(SearchExprKind::Not(Box::new(inner)))
}

fn and(items: Vec<SearchExpr>) -> SearchExpr {
    node(SearchExprKind::And(items))
}

fn or(items: Vec<SearchExpr>) -> SearchExpr {
    node(SearchExprKind::Or(items))
}

fn in_list(name: &str, values: &[&str]) -> SearchExpr {
    node(SearchExprKind::In {
        field: field(name),
        values: values.iter().map(|v| value(v)).collect(),
    })
}

fn term(text: &str) -> SearchExpr {
    node(SearchExprKind::Term(value(text)))
}

fn record(fields: &[(&str, &[&str])]) -> Record {
    fields
        .iter()
        .map(|(name, values)| {
            let values = values.iter().map(|v| v.to_string()).collect();
            (
                name.to_string(),
                Value::from_values(values).expect("non-empty"),
            )
        })
        .collect()
}

fn matches(expr: SearchExpr, record: &Record) -> bool {
    compile_search(Some(&expr))
        .expect("compiles")
        .matches(record)
}

/// The event E of §1.7.
fn event_e() -> Record {
    record(&[
        ("user.username", &["Alice"]),
        ("user.groups{}", &["Dev", "system:authenticated"]),
        ("code", &["403"]),
        ("msg", &["Request errors"]),
        (
            "_raw",
            &[
                r#"{"user":{"username":"Alice","groups":["Dev","system:authenticated"]},"code":403,"msg":"Request errors"}"#,
            ],
        ),
    ])
}

fn locations() -> [Record; 3] {
    [
        record(&[("Location", &["Calaveras Farms"])]),
        record(&[("Location", &["Marin Meadows"])]),
        record(&[("other", &["x"])]),
    ]
}

fn truth_row(expr: SearchExpr) -> [bool; 3] {
    let compiled = compile_search(Some(&expr)).expect("compiles");
    locations().map(|r| compiled.matches(&r))
}

#[test]
fn truth_table_equal() {
    assert_eq!(
        truth_row(eq("Location", "Calaveras Farms")),
        [true, false, false]
    );
}

#[test]
fn truth_table_not_equal() {
    assert_eq!(
        truth_row(ne("Location", "Calaveras Farms")),
        [false, true, false]
    );
}

#[test]
fn truth_table_not() {
    assert_eq!(
        truth_row(not(eq("Location", "Calaveras Farms"))),
        [false, true, true]
    );
}

#[test]
fn unconfirmed_truth_table_present() {
    assert_eq!(truth_row(eq("Location", "*")), [true, true, false]);
}

#[test]
fn vector_value_case_insensitive() {
    assert!(matches(eq("user.username", "alice"), &event_e()));
}

#[test]
fn vector_field_name_case_sensitive() {
    assert!(!matches(eq("User.username", "alice"), &event_e()));
}

#[test]
fn vector_any_value_of_multivalue() {
    assert!(matches(eq("user.groups{}", "dev"), &event_e()));
}

#[test]
fn unconfirmed_vector_not_equal_multivalue() {
    assert!(!matches(ne("user.groups{}", "Dev"), &event_e()));
}

#[test]
fn vector_not_multivalue() {
    assert!(!matches(not(eq("user.groups{}", "Dev")), &event_e()));
}

#[test]
fn vector_in_with_wildcard() {
    assert!(matches(
        in_list("user.groups{}", &["admin", "system:auth*"]),
        &event_e()
    ));
    assert!(!matches(
        in_list("user.groups{}", &["admin", "system:x*"]),
        &event_e()
    ));
    assert!(matches(not(in_list("nosuch", &["admin"])), &event_e()));
}

#[test]
fn vector_numeric_range() {
    let expr = and(vec![
        cmp("code", CompareOp::Gt, "400"),
        cmp("code", CompareOp::Le, "403"),
    ]);
    assert!(matches(expr, &event_e()));
}

#[test]
fn vector_numeric_equality_is_string_equality() {
    assert!(!matches(eq("code", "403.0"), &event_e()));
    assert!(matches(eq("code", "403"), &event_e()));
}

#[test]
fn vector_missing_field() {
    assert!(!matches(ne("nosuch", "x"), &event_e()));
    assert!(matches(not(eq("nosuch", "x")), &event_e()));
}

#[test]
fn vector_terms_are_tokens() {
    assert!(!matches(term("error"), &event_e()));
    assert!(matches(term("error*"), &event_e()));
    assert!(matches(term("ERRORS"), &event_e()));
}

#[test]
fn vector_quoted_value_whole_string() {
    assert!(matches(eq("msg", "request ERRORS"), &event_e()));
    assert!(!matches(eq("msg", "request"), &event_e()));
}

#[test]
fn vector_or_binds_tighter_than_and() {
    // `code=403 OR code=401 user.username=bob` = (403 OR 401) AND bob
    let first = and(vec![
        or(vec![eq("code", "403"), eq("code", "401")]),
        eq("user.username", "bob"),
    ]);
    assert!(!matches(first, &event_e()));
    // `code=404 OR user.username=alice code=403` = (404 OR alice) AND 403
    let second = and(vec![
        or(vec![eq("code", "404"), eq("user.username", "alice")]),
        eq("code", "403"),
    ]);
    assert!(matches(second, &event_e()));
}

#[test]
fn wildcards_anchor_both_ends() {
    let r = record(&[("src", &["10.9.165.8"])]);
    assert!(matches(eq("src", "10.9.165.*"), &r));
    assert!(!matches(eq("src", "9.165.*"), &r));
    assert!(matches(eq("src", "*165*"), &r));
    assert!(!matches(eq("src", "*165"), &r));
}

#[test]
fn escaped_quote_pattern() {
    let r = record(&[("conf", &[r#"{"spec":{"privileged":true}}"#])]);
    assert!(matches(eq("conf", r#"*"privileged":true*"#), &r));
    assert!(!matches(eq("conf", r#"*"privileged":false*"#), &r));
}

#[test]
fn cidr_values() {
    let r = record(&[("src", &["10.1.2.3", "192.168.0.1"])]);
    assert!(matches(eq("src", "10.0.0.0/8"), &r));
    assert!(matches(eq("src", "192.168.0.0/16"), &r));
    assert!(!matches(eq("src", "172.16.0.0/12"), &r));
    assert!(matches(ne("src", "172.16.0.0/12"), &r));
    assert!(!matches(ne("src", "10.0.0.0/8"), &r));
    let v6 = record(&[("src", &["2001:db8::1"])]);
    assert!(matches(eq("src", "2001:db8::/32"), &v6));
    assert!(!matches(eq("src", "10.0.0.0/8"), &v6));
}

#[test]
fn unconfirmed_ordering_numeric_or_lexicographic() {
    let r = record(&[("n", &["10"]), ("s", &["beta"])]);
    assert!(matches(cmp("n", CompareOp::Gt, "5"), &r));
    assert!(matches(cmp("n", CompareOp::Ge, "10"), &r));
    assert!(!matches(cmp("n", CompareOp::Lt, "10"), &r));
    assert!(matches(cmp("s", CompareOp::Gt, "alpha"), &r));
    assert!(!matches(cmp("s", CompareOp::Gt, "gamma"), &r));
    // "10" vs "5x": not both numeric ⇒ byte order ("1" < "5").
    assert!(matches(cmp("n", CompareOp::Lt, "5x"), &r));
    assert!(!matches(cmp("missing", CompareOp::Lt, "5"), &r));
    assert!(matches(not(cmp("missing", CompareOp::Lt, "5")), &r));
}

#[test]
fn star_term_matches_rows_without_raw() {
    let row = record(&[("count", &["7"])]);
    assert!(matches(term("*"), &row));
    assert!(!matches(term("count"), &row));
    assert!(compile_search(None).expect("compiles").matches(&row));
}

#[test]
fn default_fields_are_ordinary_fields() {
    let r = record(&[("source", &["kubernetes"]), ("index", &["main"])]);
    assert!(matches(eq("source", "Kubernetes"), &r));
    assert!(!matches(eq("source", "other"), &r));
    assert!(matches(eq("index", "main"), &r));
}

#[test]
fn lowercase_operator_words_are_terms() {
    let r = record(&[("_raw", &["a and b"])]);
    assert!(matches(term("and"), &r));
}

#[test]
fn empty_value_is_present() {
    let r = record(&[("City", &[""])]);
    assert!(matches(eq("City", "*"), &r));
    assert!(matches(eq("City", ""), &r));
    assert!(!matches(eq("City", "x"), &r));
}

#[test]
fn non_ascii_case_insensitive() {
    let r = record(&[("name", &["ÉCOLE"])]);
    assert!(matches(eq("name", "école"), &r));
    assert!(matches(eq("name", "éc*"), &r));
}

#[test]
fn phrase_term() {
    let r = record(&[("_raw", &["access Denied for user"])]);
    assert!(matches(term("access denied"), &r));
    assert!(!matches(term("access denie"), &r));
}

#[test]
fn required_literals_rules() {
    let lits = |expr: SearchExpr| {
        compile_search(Some(&expr))
            .expect("compiles")
            .required_literals()
    };
    assert_eq!(lits(term("Error")), vec![vec!["error".to_string()]]);
    assert!(lits(not(term("error"))).is_empty());
    assert!(lits(eq("user", "bob")).is_empty());
    assert_eq!(
        lits(and(vec![term("a*b"), eq("x", "y")])),
        vec![vec!["a".to_string()], vec!["b".to_string()]]
    );
    assert_eq!(
        lits(or(vec![term("x"), term("y")])),
        vec![vec!["x".to_string(), "y".to_string()]]
    );
    assert!(lits(or(vec![term("x"), eq("f", "y")])).is_empty());
    assert!(lits(term("*")).is_empty());
}
