//! `search`: boolean expressions of comparisons and terms where OR binds tighter than AND.

use crate::ast::{CommandKind, CompareOp, Field, SearchExpr, SearchExprKind, SearchValue};
use crate::parser::cursor::Cursor;
use crate::parser::error::{Expected, ParseError};
use crate::parser::lexical::{bare_word, expect_end, quoted_string};
use crate::parser::split::matching_bracket;
use crate::span::Span;

/// `search <expr>`: the whole rest of the segment; empty gives `Search(None)`.
pub(crate) fn parse(cursor: &mut Cursor) -> Result<CommandKind, ParseError> {
    cursor.skip_whitespace();
    if cursor.at_end() {
        return Ok(CommandKind::Search(None));
    }
    let expr = conjunction(cursor)?;
    expect_end(cursor)?;
    Ok(CommandKind::Search(Some(expr)))
}

/// `A B`, `A AND B`: a run of disjunctions up to `)` or the end, flattened.
fn conjunction(cursor: &mut Cursor) -> Result<SearchExpr, ParseError> {
    let mut parts = Vec::new();
    loop {
        cursor.skip_whitespace();
        if cursor.at_end() || cursor.peek() == Some(')') {
            break;
        }
        if cursor.keyword_ahead("AND") && !parts.is_empty() {
            cursor.pos += 3;
            continue;
        }
        parts.push(disjunction(cursor)?);
    }
    combine(parts, SearchExprKind::And)
        .ok_or_else(|| cursor.error_here(Expected::Argument("a search term")))
}

/// Builds a flattened `And`/`Or` from `parts`; one part is returned alone, none gives `None`.
fn combine(
    parts: Vec<SearchExpr>,
    make: fn(Vec<SearchExpr>) -> SearchExprKind,
) -> Option<SearchExpr> {
    let first = parts.first()?.span;
    let last = parts.last()?.span;
    if parts.len() == 1 {
        return parts.into_iter().next();
    }
    let mut flat = Vec::new();
    for part in parts {
        match (part.kind, make(Vec::new())) {
            (SearchExprKind::And(inner), SearchExprKind::And(_))
            | (SearchExprKind::Or(inner), SearchExprKind::Or(_)) => flat.extend(inner),
            (kind, _) => flat.push(SearchExpr {
                kind,
                span: part.span,
            }),
        }
    }
    Some(SearchExpr {
        kind: make(flat),
        span: first.to(last),
    })
}

/// `A OR B OR C`.
fn disjunction(cursor: &mut Cursor) -> Result<SearchExpr, ParseError> {
    let mut parts = vec![negation(cursor)?];
    loop {
        let mut lookahead = *cursor;
        lookahead.skip_whitespace();
        if !lookahead.keyword_ahead("OR") {
            break;
        }
        lookahead.pos += 2;
        lookahead.skip_whitespace();
        if lookahead.at_end() || lookahead.peek() == Some(')') {
            return Err(lookahead.error_here(Expected::Argument("a search term after `OR`")));
        }
        *cursor = lookahead;
        parts.push(negation(cursor)?);
    }
    combine(parts, SearchExprKind::Or)
        .ok_or_else(|| cursor.error_here(Expected::Argument("a search term")))
}

/// `NOT A`: applies to the next term or group only.
fn negation(cursor: &mut Cursor) -> Result<SearchExpr, ParseError> {
    cursor.skip_whitespace();
    if !cursor.keyword_ahead("NOT") || operator_after_word(cursor, 3) {
        return primary(cursor);
    }
    let start = cursor.pos;
    cursor.descend(Span::new(start, start + 3))?;
    cursor.pos += 3;
    cursor.skip_whitespace();
    if cursor.at_end() || cursor.peek() == Some(')') {
        return Err(cursor.error_here(Expected::Argument("a search term after `NOT`")));
    }
    let inner = negation(cursor)?;
    cursor.ascend();
    let span = Span::new(start, inner.span.end);
    Ok(SearchExpr {
        kind: SearchExprKind::Not(Box::new(inner)),
        span,
    })
}

/// True when a comparison operator follows the `length`-byte word at the cursor
/// (`NOT=1` compares a field named `NOT`).
fn operator_after_word(cursor: &Cursor, length: usize) -> bool {
    let mut lookahead = *cursor;
    lookahead.pos += length;
    lookahead.skip_whitespace();
    comparison_operator(&mut lookahead).is_some()
}

/// A group, a subsearch, a comparison or a term.
fn primary(cursor: &mut Cursor) -> Result<SearchExpr, ParseError> {
    match cursor.peek() {
        Some('(') => group(cursor),
        Some('[') => subsearch(cursor),
        _ => comparison_or_term(cursor),
    }
}

/// `( expr )`.
fn group(cursor: &mut Cursor) -> Result<SearchExpr, ParseError> {
    let open = cursor.pos;
    cursor.descend(Span::new(open, open + 1))?;
    cursor.bump();
    let inner = conjunction(cursor)?;
    cursor.skip_whitespace();
    if !cursor.eat(")") {
        return Err(ParseError::new(
            Span::new(open, open + 1),
            Expected::ClosingParen,
        ));
    }
    cursor.ascend();
    Ok(SearchExpr {
        kind: inner.kind,
        span: Span::new(open, cursor.pos),
    })
}

/// `[ search … ]` as a term.
fn subsearch(cursor: &mut Cursor) -> Result<SearchExpr, ParseError> {
    let pipeline = bracketed_pipeline(cursor)?;
    let span = pipeline.1;
    Ok(SearchExpr {
        kind: SearchExprKind::Subsearch(Box::new(pipeline.0)),
        span,
    })
}

/// Parses `[ … ]` at the cursor as a pipeline; returns it with the span of the brackets.
pub(crate) fn bracketed_pipeline(
    cursor: &mut Cursor,
) -> Result<(crate::ast::Pipeline, Span), ParseError> {
    let open = cursor.pos;
    let close = matching_bracket(cursor.text, open, cursor.end)
        .ok_or_else(|| ParseError::new(Span::new(open, open + 1), Expected::ClosingBracket))?;
    cursor.descend(Span::new(open, open + 1))?;
    let pipeline = crate::parser::parse_range(cursor.text, open + 1, close, cursor.depth, false)
        .map_err(|errors| {
            errors.into_iter().next().unwrap_or_else(|| {
                ParseError::new(
                    Span::new(open, close + 1),
                    Expected::Argument("a subsearch"),
                )
            })
        })?;
    cursor.ascend();
    cursor.pos = close + 1;
    Ok((pipeline, Span::new(open, close + 1)))
}

/// Ends a search token: whitespace, unbalanced parentheses, and the start of a comparison
/// operator. `(…)` inside a token belongs to it (`*GetCurrent()*`).
fn token_stop() -> impl FnMut(&Cursor, char) -> bool {
    let mut depth = 0usize;
    move |cursor, c| {
        if c == '!' && cursor.peek_second() == Some('=') {
            return depth == 0;
        }
        parenthesis_stop(&mut depth, c) || (depth == 0 && matches!(c, '=' | '<' | '>'))
    }
}

/// Ends a value after an operator: whitespace and unbalanced parentheses.
fn value_stop() -> impl FnMut(&Cursor, char) -> bool {
    let mut depth = 0usize;
    move |_, c| parenthesis_stop(&mut depth, c)
}

/// Whitespace ends a token; `(` opens a nested pair, `)` closes one or ends the token.
fn parenthesis_stop(depth: &mut usize, c: char) -> bool {
    match c {
        c if c.is_whitespace() => true,
        '(' => {
            *depth += 1;
            false
        }
        ')' if *depth > 0 => {
            *depth -= 1;
            false
        }
        ')' => true,
        _ => false,
    }
}

/// Reads `=`, `!=`, `<`, `<=`, `>`, `>=` at the cursor.
fn comparison_operator(cursor: &mut Cursor) -> Option<CompareOp> {
    let operators = [
        ("!=", CompareOp::Ne),
        ("<=", CompareOp::Le),
        (">=", CompareOp::Ge),
        ("==", CompareOp::Eq),
        ("=", CompareOp::Eq),
        ("<", CompareOp::Lt),
        (">", CompareOp::Gt),
    ];
    operators
        .into_iter()
        .find(|(text, _)| cursor.eat(text))
        .map(|(_, op)| op)
}

/// A token, then `op value`, `IN (…)`, or nothing (a free-text term).
fn comparison_or_term(cursor: &mut Cursor) -> Result<SearchExpr, ParseError> {
    if let Some(term) = directive(cursor) {
        return Ok(term);
    }
    let token = search_token(cursor, token_stop())?;
    let mut lookahead = *cursor;
    lookahead.skip_whitespace();
    if let Some(op) = comparison_operator(&mut lookahead) {
        *cursor = lookahead;
        cursor.skip_whitespace();
        return comparison(cursor, field_of(token), op);
    }
    if lookahead.keyword_ahead("IN") {
        let mut after = lookahead;
        after.pos += 2;
        after.skip_whitespace();
        if after.peek() == Some('(') {
            *cursor = after;
            return membership(cursor, field_of(token));
        }
    }
    let span = token.span;
    Ok(SearchExpr {
        kind: SearchExprKind::Term(token),
        span,
    })
}

/// The field named by a token in field position.
fn field_of(token: SearchValue) -> Field {
    Field {
        name: token.text,
        span: token.span,
    }
}

/// `CASE(x)` / `TERM(x)`: kept as a term with its text.
fn directive(cursor: &mut Cursor) -> Option<SearchExpr> {
    let rest = cursor.rest();
    if !(rest.starts_with("CASE(") || rest.starts_with("TERM(")) {
        return None;
    }
    let close = rest.find(')')?;
    let start = cursor.pos;
    let text = rest.get(..=close)?.to_string();
    cursor.pos += close + 1;
    let span = Span::new(start, cursor.pos);
    Some(SearchExpr {
        kind: SearchExprKind::Term(SearchValue {
            text,
            quoted: false,
            span,
        }),
        span,
    })
}

/// A quoted string or a bare token ending where `stop` says.
fn search_token(
    cursor: &mut Cursor,
    stop: impl FnMut(&Cursor, char) -> bool,
) -> Result<SearchValue, ParseError> {
    if cursor.peek() == Some('"') {
        let quoted = quoted_string(cursor)?;
        return Ok(SearchValue {
            text: quoted.node,
            quoted: true,
            span: quoted.span,
        });
    }
    let word = bare_word(cursor, stop);
    if word.node.is_empty() {
        return Err(cursor.error_here(Expected::Token("a search term")));
    }
    Ok(SearchValue {
        text: word.node,
        quoted: false,
        span: word.span,
    })
}

/// The value after `field op`.
fn comparison(cursor: &mut Cursor, field: Field, op: CompareOp) -> Result<SearchExpr, ParseError> {
    if cursor.at_end() || cursor.peek() == Some(')') {
        return Err(cursor.error_here(Expected::Argument("a value after the operator")));
    }
    let value = search_token(cursor, value_stop())?;
    let span = field.span.to(value.span);
    Ok(SearchExpr {
        kind: SearchExprKind::Compare { field, op, value },
        span,
    })
}

/// `field IN (a, "b", *c*)`, the cursor on `(`.
fn membership(cursor: &mut Cursor, field: Field) -> Result<SearchExpr, ParseError> {
    let open = cursor.pos;
    cursor.bump();
    let mut values = Vec::new();
    loop {
        cursor.skip_whitespace();
        if cursor.eat(",") {
            continue;
        }
        if cursor.eat(")") {
            break;
        }
        if cursor.at_end() {
            return Err(ParseError::new(
                Span::new(open, open + 1),
                Expected::ClosingParen,
            ));
        }
        values.push(search_token(cursor, |_, c| {
            c.is_whitespace() || matches!(c, ',' | '(' | ')')
        })?);
    }
    let span = Span::new(field.span.start, cursor.pos);
    Ok(SearchExpr {
        kind: SearchExprKind::In { field, values },
        span,
    })
}
