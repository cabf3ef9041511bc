//! Parse errors: stable codes, spans, suggestions, and reporting every broken segment.

mod parser_support;

use parser_support::*;
use spl_syntax::Span;

#[test]
fn unbalanced_quote_points_at_the_opening_quote() {
    let text = r#"user="alice | stats count"#;
    let errors = errors(text);
    assert_eq!(errors[0].code, "spl::parse::unbalanced_quote");
    assert_eq!(errors[0].span, Some(Span::new(5, 6)));
}

#[test]
fn unbalanced_quote_in_an_expression() {
    let text = "| eval x='abc";
    let errors = errors(text);
    assert_eq!(errors[0].code, "spl::parse::unbalanced_quote");
    assert_eq!(errors[0].span, Some(Span::new(9, 10)));
}

#[test]
fn unknown_option_with_suggestion() {
    let text = "| iplocation prefx=geo_ src";
    let errors = errors(text);
    assert_eq!(errors[0].code, "spl::parse::unknown_option");
    assert_eq!(at(text, errors[0].span.expect("span")), "prefx");
    assert!(errors[0]
        .label
        .as_deref()
        .is_some_and(|l| l.contains("`prefix`")));
    let errors = parser_support::errors("| head limt=3");
    assert_eq!(errors[0].code, "spl::parse::unknown_option");
    assert!(errors[0]
        .label
        .as_deref()
        .is_some_and(|l| l.contains("`limit`")));
}

#[test]
fn stats_by_without_field() {
    let text = "| stats count BY";
    let errors = errors(text);
    assert_eq!(errors[0].code, "spl::parse::missing_argument");
    assert_eq!(at(text, errors[0].span.expect("span")), "BY");
}

#[test]
fn empty_command_after_pipe() {
    let text = "a=1 | ";
    let errors = errors(text);
    assert_eq!(errors[0].code, "spl::parse::empty_command");
    assert_eq!(errors[0].span.expect("span").start, 4);
    assert_eq!(
        parser_support::errors("| ")[0].code,
        "spl::parse::empty_command"
    );
    assert_eq!(
        parser_support::errors("a | | b")[0].code,
        "spl::parse::empty_command"
    );
}

#[test]
fn eval_without_expression() {
    let text = "| eval x=";
    let errors = errors(text);
    assert_eq!(errors[0].code, "spl::parse::missing_argument");
    assert_eq!(errors[0].span, Some(Span::new(9, 9)));
}

#[test]
fn unexpected_token_after_expression() {
    let text = "| where a=1 )";
    let errors = errors(text);
    assert_eq!(errors[0].code, "spl::parse::unexpected_token");
    assert_eq!(at(text, errors[0].span.expect("span")), ")");
}

#[test]
fn unclosed_parenthesis_and_bracket() {
    let text = "(a OR b";
    let errors = errors(text);
    assert_eq!(errors[0].code, "spl::parse::unbalanced_paren");
    assert_eq!(errors[0].span, Some(Span::new(0, 1)));
    let text = "a [search b";
    let errors = parser_support::errors(text);
    assert_eq!(errors[0].code, "spl::parse::unbalanced_bracket");
    assert_eq!(errors[0].span, Some(Span::new(2, 3)));
}

#[test]
fn every_broken_segment_is_reported() {
    let text = "a=1 | head limt=3 | stats count BY | eval x=";
    let errors = errors(text);
    let codes: Vec<&str> = errors.iter().map(|e| e.code).collect();
    assert_eq!(
        codes,
        [
            "spl::parse::unknown_option",
            "spl::parse::missing_argument",
            "spl::parse::missing_argument"
        ]
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for text in [
        format!("{}a{}", "(".repeat(5000), ")".repeat(5000)),
        format!("| where {}1{}", "(".repeat(5000), ")".repeat(5000)),
        format!("| eval x={}1", "-".repeat(5000)),
        format!("| where {}x", "NOT ".repeat(5000)),
        format!("{}x", "NOT ".repeat(5000)),
        format!("{}{}", "[search ".repeat(500), "]".repeat(500)),
        format!("| eval x={}1{}", "f(".repeat(5000), ")".repeat(5000)),
        format!("| x {}{}", "(".repeat(5000), ")".repeat(5000)),
    ] {
        let errors = errors(&text);
        assert_eq!(errors[0].code, "spl::parse::too_deep", "{}", &text[..20]);
    }
}

#[test]
fn search_operators_need_operands() {
    assert_eq!(errors("a OR")[0].code, "spl::parse::missing_argument");
    assert_eq!(errors("NOT")[0].code, "spl::parse::missing_argument");
    assert_eq!(errors("a=")[0].code, "spl::parse::missing_argument");
}

#[test]
fn bad_option_values() {
    let text = "| head abc";
    let errors = errors(text);
    assert_eq!(errors[0].code, "spl::parse::bad_value");
    assert_eq!(at(text, errors[0].span.expect("span")), "abc");
    let text = "| iplocation allfields=maybe src";
    let errors = parser_support::errors(text);
    assert_eq!(errors[0].code, "spl::parse::bad_value");
    assert_eq!(at(text, errors[0].span.expect("span")), "maybe");
}

#[test]
fn subsearch_errors_point_into_the_subsearch() {
    let text = "a [search b | head limt=1]";
    let errors = errors(text);
    assert_eq!(errors[0].code, "spl::parse::unknown_option");
    assert_eq!(at(text, errors[0].span.expect("span")), "limt");
}
