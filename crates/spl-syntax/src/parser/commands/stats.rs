//! `stats [options] <agg> [AS name] … [BY fields]`.

use crate::ast::Field;
use crate::ast::{Aggregation, AggregationArgument, CommandKind, Stats};
use crate::parser::cursor::Cursor;
use crate::parser::error::{Expected, ParseError};
use crate::parser::expression::expression;
use crate::parser::lexical::{
    bare_word, field_list, known_option, option_ahead, parenthesised_field_name, quoted_string,
    skip_separator,
};
use crate::span::{Span, Spanned};

/// Options accepted by `stats`.
const OPTIONS: &[&str] = &["allnum", "delim", "partitions", "dedup_splitvals"];

/// Options, aggregations, then the optional `BY` clause (and trailing options).
pub(crate) fn parse(cursor: &mut Cursor) -> Result<CommandKind, ParseError> {
    let mut options = Vec::new();
    cursor.skip_whitespace();
    while option_ahead(cursor) {
        options.push(known_option(cursor, OPTIONS)?);
        cursor.skip_whitespace();
    }
    let mut aggregations = Vec::new();
    loop {
        skip_separator(cursor);
        if cursor.at_end() || cursor.keyword_ahead_ignoring_case("by") {
            break;
        }
        aggregations.push(aggregation(cursor)?);
    }
    if aggregations.is_empty() {
        return Err(cursor.error_here(Expected::Argument("an aggregation such as `count`")));
    }
    let mut by = Vec::new();
    if let Some(keyword) = cursor.eat_keyword_ignoring_case("by") {
        by = field_list(cursor, option_ahead)?;
        if by.is_empty() {
            return Err(ParseError::new(
                keyword,
                Expected::Argument("a field after `BY`"),
            ));
        }
    }
    loop {
        skip_separator(cursor);
        if cursor.at_end() {
            break;
        }
        if !option_ahead(cursor) {
            return Err(cursor.error_here(Expected::Token("the end of the command")));
        }
        options.push(known_option(cursor, OPTIONS)?);
    }
    Ok(CommandKind::Stats(Stats {
        aggregations,
        by,
        options,
    }))
}

/// `func`, `func(field)`, `func(eval(expr))`, each with an optional `AS name`.
fn aggregation(cursor: &mut Cursor) -> Result<Aggregation, ParseError> {
    let function = bare_word(cursor, |_, c| !(c.is_alphanumeric() || c == '_'));
    if function.node.is_empty() {
        return Err(cursor.error_here(Expected::Argument("an aggregation function")));
    }
    let mut end = function.span.end;
    let mut argument = None;
    if cursor.peek() == Some('(') {
        let (parsed, close) = parenthesised_argument(cursor)?;
        argument = Some(parsed);
        end = close;
    }
    let mut alias = None;
    let mut lookahead = *cursor;
    lookahead.skip_whitespace();
    if lookahead.eat_keyword_ignoring_case("as").is_some() {
        lookahead.skip_whitespace();
        *cursor = lookahead;
        let name = alias_name(cursor)?;
        end = name.span.end;
        alias = Some(name);
    }
    let span = Span::new(function.span.start, end);
    Ok(Aggregation {
        function: Spanned::new(function.node, function.span),
        argument,
        alias,
        span,
    })
}

/// The name after `AS`: quoted, or bare up to whitespace or a comma.
fn alias_name(cursor: &mut Cursor) -> Result<Field, ParseError> {
    if cursor.peek() == Some('"') {
        let quoted = quoted_string(cursor)?;
        return Ok(Field {
            name: quoted.node,
            span: quoted.span,
        });
    }
    let word = bare_word(cursor, |_, c| c.is_whitespace() || c == ',');
    if word.node.is_empty() {
        return Err(cursor.error_here(Expected::Argument("a name after `AS`")));
    }
    Ok(Field {
        name: word.node,
        span: word.span,
    })
}

/// `(field)` or `(eval(expr))`, the cursor on `(`; returns the end offset too.
fn parenthesised_argument(cursor: &mut Cursor) -> Result<(AggregationArgument, usize), ParseError> {
    let open = cursor.pos;
    cursor.bump();
    cursor.skip_whitespace();
    let argument = if cursor
        .rest()
        .get(..5)
        .is_some_and(|s| s.eq_ignore_ascii_case("eval("))
    {
        cursor.pos += 4;
        let expr = expression(cursor)?;
        AggregationArgument::Eval(expr)
    } else {
        AggregationArgument::Field(parenthesised_field_name(cursor)?)
    };
    cursor.skip_whitespace();
    if !cursor.eat(")") {
        return Err(ParseError::new(
            Span::new(open, open + 1),
            Expected::ClosingParen,
        ));
    }
    Ok((argument, cursor.pos))
}
