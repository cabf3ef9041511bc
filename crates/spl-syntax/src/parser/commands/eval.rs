//! `eval a=<expr>, b=<expr>`.

use crate::ast::{Assignment, CommandKind, Field};
use crate::parser::error::{cut_with, failure, Expected};
use crate::parser::expression::expression;
use crate::parser::input::{Input, PResult};
use crate::parser::lexical::{bare_word, quoted_string, whitespace};
use crate::span::Span;
use nom::bytes::complete::take_while;
use nom::character::complete::char;
use nom::Parser;

/// Assignments separated by commas.
pub(crate) fn parse(input: Input) -> PResult<CommandKind> {
    let mut assignments = Vec::new();
    let mut at = input;
    loop {
        let assignment;
        (at, (_, assignment, _)) = (whitespace, assignment_rule, whitespace).parse(at)?;
        assignments.push(assignment);
        if at.at_end() {
            return Ok((at, CommandKind::Eval(assignments)));
        }
        let expected = Expected::Token("`,` or the end of the command");
        (at, _) = cut_with(char(','), at.error_here(expected.clone()).span, expected).parse(at)?;
    }
}

/// `name=<expr>`; the name may be double- or single-quoted.
fn assignment_rule(input: Input) -> PResult<Assignment> {
    let (rest, (field, ())) = (destination, whitespace).parse(input)?;
    let equals = Expected::Token("`=` after the field name");
    let Some(after) = rest.rest().strip_prefix('=') else {
        return Err(nom::Err::Failure(rest.error_here(equals)));
    };
    let rest = rest.advance(1);
    if after.starts_with('=') {
        return Err(nom::Err::Failure(rest.error_here(equals)));
    }
    let (rest, expr) = expression(rest)?;
    let span = field.span.to(expr.span);
    Ok((rest, Assignment { field, expr, span }))
}

/// The destination field of an assignment.
fn destination(input: Input) -> PResult<Field> {
    match input.peek() {
        Some('"') => quoted_string
            .map(|quoted| Field {
                name: quoted.node,
                span: quoted.span,
            })
            .parse(input),
        Some('\'') => single_quoted_field(input),
        _ => {
            let (rest, word) =
                bare_word(|_, c| c.is_whitespace() || matches!(c, '=' | ','))(input)?;
            if word.node.is_empty() {
                return Err(nom::Err::Failure(
                    input.error_here(Expected::Argument("a field name to assign")),
                ));
            }
            let field = Field {
                name: word.node,
                span: word.span,
            };
            Ok((rest, field))
        }
    }
}

/// `'name'` as a destination (no escapes).
fn single_quoted_field(input: Input) -> PResult<Field> {
    let start = input.pos;
    let (inside, _) = char('\'').parse(input)?;
    let (after, name) = take_while(|c| c != '\'').parse(inside)?;
    let Ok((rest, _)) = char::<_, crate::parser::error::ParseError>('\'').parse(after) else {
        return Err(failure(Span::new(start, start + 1), Expected::ClosingQuote));
    };
    let field = Field {
        name: name.rest().to_string(),
        span: rest.span_from(start),
    };
    Ok((rest, field))
}
