//! One case per kind of parse error, from the example input documented on each variant of
//! the parser's `Expected` enum: the code, the span and the message a user sees.

mod parser_support;

use parser_support::*;
use spl_syntax::Span;

/// The first error of `text`: its code and span.
fn first(text: &str) -> (String, Option<Span>) {
    let errors = errors(text);
    (errors[0].code.to_string(), errors[0].span)
}

#[test]
fn closing_quote() {
    let text = r#"search "abc"#;
    assert_eq!(
        first(text),
        ("spl::parse::unbalanced_quote".into(), Some(Span::new(7, 8)))
    );
}

#[test]
fn closing_paren() {
    let text = "search (a OR b";
    assert_eq!(
        first(text),
        ("spl::parse::unbalanced_paren".into(), Some(Span::new(7, 8)))
    );
}

#[test]
fn closing_bracket() {
    let text = "search [search a";
    assert_eq!(
        first(text),
        (
            "spl::parse::unbalanced_bracket".into(),
            Some(Span::new(7, 8))
        )
    );
}

#[test]
fn command_after_pipe() {
    // From the `|` to the end of the empty segment.
    let text = "search a | ";
    assert_eq!(
        first(text),
        ("spl::parse::empty_command".into(), Some(Span::new(9, 11)))
    );
}

#[test]
fn missing_arguments() {
    let text = "| stats count BY";
    let (code, span) = first(text);
    assert_eq!(code, "spl::parse::missing_argument");
    assert_eq!(at(text, span.expect("span")), "BY");
    let text = "| eval x=";
    assert_eq!(
        first(text),
        ("spl::parse::missing_argument".into(), Some(Span::new(9, 9)))
    );
}

#[test]
fn known_option() {
    let text = "| head limt=3";
    let errors = errors(text);
    assert_eq!(errors[0].code, "spl::parse::unknown_option");
    assert_eq!(at(text, errors[0].span.expect("span")), "limt");
    assert_eq!(errors[0].label.as_deref(), Some("did you mean `limit`?"));
}

#[test]
fn nesting_limit_is_sixty_four() {
    let inside = format!("search {}a{}", "(".repeat(64), ")".repeat(64));
    assert!(spl_syntax::parse_pipeline(&inside).is_ok());
    let text = format!("search {}a{}", "(".repeat(65), ")".repeat(65));
    // The 65th parenthesis is the one too deep.
    assert_eq!(
        first(&text),
        (
            "spl::parse::too_deep".into(),
            Some(Span::new(7 + 64, 7 + 65))
        )
    );
}

#[test]
fn unexpected_token() {
    let text = "| eval x=1 )";
    let errors = errors(text);
    assert_eq!(errors[0].code, "spl::parse::unexpected_token");
    assert_eq!(errors[0].span, Some(Span::new(11, 12)));
    assert_eq!(
        errors[0].message,
        "expected `,` or the end of the command, found `)`"
    );
}

#[test]
fn bad_value() {
    let text = "| head abc";
    assert_eq!(
        first(text),
        ("spl::parse::bad_value".into(), Some(Span::new(7, 10)))
    );
}
