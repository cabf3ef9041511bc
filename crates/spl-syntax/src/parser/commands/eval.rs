//! `eval a=<expr>, b=<expr>`.

use crate::ast::{Assignment, CommandKind, Field};
use crate::parser::cursor::Cursor;
use crate::parser::error::{Expected, ParseError};
use crate::parser::expression::expression;
use crate::parser::lexical::{bare_word, quoted_string};
use crate::span::Span;

/// Assignments separated by commas.
pub(crate) fn parse(cursor: &mut Cursor) -> Result<CommandKind, ParseError> {
    let mut assignments = Vec::new();
    loop {
        cursor.skip_whitespace();
        assignments.push(assignment(cursor)?);
        cursor.skip_whitespace();
        if cursor.at_end() {
            return Ok(CommandKind::Eval(assignments));
        }
        if !cursor.eat(",") {
            return Err(cursor.error_here(Expected::Token("`,` or the end of the command")));
        }
    }
}

/// `name=<expr>`; the name may be double- or single-quoted.
fn assignment(cursor: &mut Cursor) -> Result<Assignment, ParseError> {
    let field = destination(cursor)?;
    cursor.skip_whitespace();
    if !cursor.eat("=") || cursor.starts_with("=") {
        return Err(cursor.error_here(Expected::Token("`=` after the field name")));
    }
    let expr = expression(cursor)?;
    let span = field.span.to(expr.span);
    Ok(Assignment { field, expr, span })
}

/// The destination field of an assignment.
fn destination(cursor: &mut Cursor) -> Result<Field, ParseError> {
    match cursor.peek() {
        Some('"') => {
            let quoted = quoted_string(cursor)?;
            Ok(Field {
                name: quoted.node,
                span: quoted.span,
            })
        }
        Some('\'') => single_quoted_field(cursor),
        _ => {
            let word = bare_word(cursor, |_, c| c.is_whitespace() || matches!(c, '=' | ','));
            if word.node.is_empty() {
                return Err(cursor.error_here(Expected::Argument("a field name to assign")));
            }
            Ok(Field {
                name: word.node,
                span: word.span,
            })
        }
    }
}

/// `'name'` as a destination.
fn single_quoted_field(cursor: &mut Cursor) -> Result<Field, ParseError> {
    let start = cursor.pos;
    cursor.bump();
    let rest = cursor.rest();
    let Some(close) = rest.find('\'') else {
        return Err(ParseError::new(
            Span::new(start, start + 1),
            Expected::ClosingQuote,
        ));
    };
    let name = rest.get(..close).unwrap_or("").to_string();
    cursor.pos += close + 1;
    Ok(Field {
        name,
        span: Span::new(start, cursor.pos),
    })
}
