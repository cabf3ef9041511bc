//! The expression grammar shared by `where`, `eval` and `stats … eval(…)`.
//!
//! Precedence, loosest first: `XOR`, `OR`, `AND`, `NOT`/`!`, comparisons and `LIKE`/`IN`,
//! `+ - .`, `* / %`, unary `-`, then literals, fields, calls and parentheses. Operator
//! keywords are accepted in any case (`and`, `like`), as Splunk does in `eval`.

use super::cursor::Cursor;
use super::error::{Expected, ParseError};
use crate::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use crate::span::{Span, Spanned};

/// One lexical token of an expression.
#[derive(Clone, Debug, PartialEq)]
enum Token {
    /// `42`, `1.5`, `1e3`.
    Number(String),
    /// `"text"`.
    Str(String),
    /// `'field name'`.
    QuotedField(String),
    /// `name`, `AND`, `like`.
    Word(String),
    /// `(`, `==`, `+`, …
    Symbol(&'static str),
    /// Nothing left in the segment.
    End,
}

/// Symbols, longest first.
const SYMBOLS: &[&str] = &[
    "==", "!=", "<=", ">=", "(", ")", ",", "+", "-", "*", "/", "%", ".", "=", "<", ">", "!",
];

/// Parses a whole expression at the cursor.
pub(crate) fn expression(cursor: &mut Cursor) -> Result<Expr, ParseError> {
    exclusive_or(cursor)
}

/// Reads the next token without consuming it; returns it with its span.
fn peek_token(cursor: &Cursor) -> Result<(Token, Span), ParseError> {
    let mut lookahead = *cursor;
    lookahead.skip_whitespace();
    let start = lookahead.pos;
    let Some(c) = lookahead.peek() else {
        return Ok((Token::End, Span::new(start, start)));
    };
    let token = match c {
        '"' => Token::Str(string_literal(&mut lookahead)?),
        '\'' => Token::QuotedField(single_quoted(&mut lookahead)?),
        c if c.is_ascii_digit() => Token::Number(number(&mut lookahead)),
        '.' if lookahead.peek_second().is_some_and(|d| d.is_ascii_digit()) => {
            Token::Number(number(&mut lookahead))
        }
        c if c.is_alphanumeric() || c == '_' || c == '@' || c == '$' => {
            Token::Word(word(&mut lookahead))
        }
        _ => {
            let symbol = SYMBOLS.iter().find(|s| lookahead.starts_with(s));
            let Some(symbol) = symbol else {
                return Err(lookahead.error_here(Expected::Token("an expression")));
            };
            lookahead.pos += symbol.len();
            Token::Symbol(symbol)
        }
    };
    Ok((token, Span::new(start, lookahead.pos)))
}

/// Consumes the token that [`peek_token`] returned with `span`.
fn consume(cursor: &mut Cursor, span: Span) {
    cursor.pos = span.end;
}

/// `"text"` in an expression: `\"`, `\\`, `\t` (tab) and `\n` (newline) are processed; any
/// other backslash is kept with the character after it (`"\d+"` stays `\d+`).
fn string_literal(cursor: &mut Cursor) -> Result<String, ParseError> {
    let start = cursor.pos;
    cursor.bump();
    let mut text = String::new();
    loop {
        match cursor.bump() {
            None => {
                return Err(ParseError::new(
                    Span::new(start, start + 1),
                    Expected::ClosingQuote,
                ))
            }
            Some('"') => return Ok(text),
            Some('\\') => match cursor.bump() {
                Some(c @ ('"' | '\\')) => text.push(c),
                Some('t') => text.push('\t'),
                Some('n') => text.push('\n'),
                Some(c) => {
                    text.push('\\');
                    text.push(c);
                }
                None => {
                    return Err(ParseError::new(
                        Span::new(start, start + 1),
                        Expected::ClosingQuote,
                    ))
                }
            },
            Some(c) => text.push(c),
        }
    }
}

/// `'name'`: a field name; `\'` and `\\` escapes processed.
fn single_quoted(cursor: &mut Cursor) -> Result<String, ParseError> {
    let start = cursor.pos;
    cursor.bump();
    let mut text = String::new();
    loop {
        match cursor.bump() {
            None => {
                return Err(ParseError::new(
                    Span::new(start, start + 1),
                    Expected::ClosingQuote,
                ))
            }
            Some('\'') => return Ok(text),
            Some('\\') if matches!(cursor.peek(), Some('\'' | '\\')) => {
                text.extend(cursor.bump());
            }
            Some(c) => text.push(c),
        }
    }
}

/// Digits, an optional fraction and an optional exponent.
/// Also `.25` (no integer part).
fn number(cursor: &mut Cursor) -> String {
    let start = cursor.pos;
    eat_digits(cursor);
    if cursor.peek() == Some('.') && cursor.peek_second().is_some_and(|c| c.is_ascii_digit()) {
        cursor.bump();
        eat_digits(cursor);
    }
    if matches!(cursor.peek(), Some('e' | 'E')) {
        let mut exponent = *cursor;
        exponent.bump();
        if matches!(exponent.peek(), Some('+' | '-')) {
            exponent.bump();
        }
        if exponent.peek().is_some_and(|c| c.is_ascii_digit()) {
            eat_digits(&mut exponent);
            *cursor = exponent;
        }
    }
    cursor.text.get(start..cursor.pos).unwrap_or("").to_string()
}

/// Skips ASCII digits.
fn eat_digits(cursor: &mut Cursor) {
    while cursor.peek().is_some_and(|c| c.is_ascii_digit()) {
        cursor.bump();
    }
}

/// An identifier: letters, digits, `_`, `@`, `$`.
fn word(cursor: &mut Cursor) -> String {
    let start = cursor.pos;
    while cursor
        .peek()
        .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '@' | '$'))
    {
        cursor.bump();
    }
    cursor.text.get(start..cursor.pos).unwrap_or("").to_string()
}

/// True when the token is the keyword (any case).
fn is_keyword(token: &Token, keyword: &str) -> bool {
    matches!(token, Token::Word(w) if w.eq_ignore_ascii_case(keyword))
}

/// A binary node spanning both operands.
fn binary(op: BinaryOp, left: Expr, right: Expr) -> Expr {
    let span = left.span.to(right.span);
    Expr {
        kind: ExprKind::Binary {
            op,
            left: Box::new(left),
            right: Box::new(right),
        },
        span,
    }
}

/// A left-associative level: operands from `next`, operators recognised by `operator`.
fn left_associative(
    cursor: &mut Cursor,
    next: fn(&mut Cursor) -> Result<Expr, ParseError>,
    operator: fn(&Token) -> Option<BinaryOp>,
) -> Result<Expr, ParseError> {
    let mut left = next(cursor)?;
    loop {
        let (token, span) = peek_token(cursor)?;
        let Some(op) = operator(&token) else {
            return Ok(left);
        };
        consume(cursor, span);
        let right = next(cursor)?;
        left = binary(op, left, right);
    }
}

/// `a XOR b`.
fn exclusive_or(cursor: &mut Cursor) -> Result<Expr, ParseError> {
    left_associative(cursor, disjunction, |t| {
        is_keyword(t, "XOR").then_some(BinaryOp::Xor)
    })
}

/// `a OR b`.
fn disjunction(cursor: &mut Cursor) -> Result<Expr, ParseError> {
    left_associative(cursor, conjunction, |t| {
        is_keyword(t, "OR").then_some(BinaryOp::Or)
    })
}

/// `a AND b`.
fn conjunction(cursor: &mut Cursor) -> Result<Expr, ParseError> {
    left_associative(cursor, negation, |t| {
        is_keyword(t, "AND").then_some(BinaryOp::And)
    })
}

/// `NOT a`, `!a`.
fn negation(cursor: &mut Cursor) -> Result<Expr, ParseError> {
    let (token, span) = peek_token(cursor)?;
    if !(is_keyword(&token, "NOT") || token == Token::Symbol("!")) {
        return comparison(cursor);
    }
    consume(cursor, span);
    cursor.descend(span)?;
    let operand = negation(cursor)?;
    cursor.ascend();
    Ok(unary(UnaryOp::Not, span, operand))
}

/// A unary node from the operator's span to the operand's end.
fn unary(op: UnaryOp, operator: Span, operand: Expr) -> Expr {
    let span = operator.to(operand.span);
    Expr {
        kind: ExprKind::Unary {
            op,
            expr: Box::new(operand),
        },
        span,
    }
}

/// The comparison operator of a token.
fn comparison_operator(token: &Token) -> Option<BinaryOp> {
    match token {
        Token::Symbol("=" | "==") => Some(BinaryOp::Eq),
        Token::Symbol("!=") => Some(BinaryOp::Ne),
        Token::Symbol("<") => Some(BinaryOp::Lt),
        Token::Symbol("<=") => Some(BinaryOp::Le),
        Token::Symbol(">") => Some(BinaryOp::Gt),
        Token::Symbol(">=") => Some(BinaryOp::Ge),
        _ if is_keyword(token, "LIKE") => Some(BinaryOp::Like),
        _ => None,
    }
}

/// `a = b`, `a LIKE b`, `a IN (…)` (left-associative).
fn comparison(cursor: &mut Cursor) -> Result<Expr, ParseError> {
    let mut left = additive(cursor)?;
    loop {
        let (token, span) = peek_token(cursor)?;
        if is_keyword(&token, "IN") {
            consume(cursor, span);
            left = membership(cursor, left)?;
            continue;
        }
        let Some(op) = comparison_operator(&token) else {
            return Ok(left);
        };
        consume(cursor, span);
        let right = additive(cursor)?;
        left = binary(op, left, right);
    }
}

/// `x IN ("a", "b")` after `IN`.
fn membership(cursor: &mut Cursor, tested: Expr) -> Result<Expr, ParseError> {
    let (token, open) = peek_token(cursor)?;
    if token != Token::Symbol("(") {
        return Err(ParseError::new(open, Expected::Token("`(` after `IN`")));
    }
    consume(cursor, open);
    cursor.descend(open)?;
    let (list, close) = arguments(cursor, open)?;
    cursor.ascend();
    let span = tested.span.to(close);
    Ok(Expr {
        kind: ExprKind::In {
            expr: Box::new(tested),
            list,
        },
        span,
    })
}

/// `a + b`, `a - b`, `a . b`.
fn additive(cursor: &mut Cursor) -> Result<Expr, ParseError> {
    left_associative(cursor, multiplicative, |t| match t {
        Token::Symbol("+") => Some(BinaryOp::Add),
        Token::Symbol("-") => Some(BinaryOp::Sub),
        Token::Symbol(".") => Some(BinaryOp::Concat),
        _ => None,
    })
}

/// `a * b`, `a / b`, `a % b`.
fn multiplicative(cursor: &mut Cursor) -> Result<Expr, ParseError> {
    left_associative(cursor, negative, |t| match t {
        Token::Symbol("*") => Some(BinaryOp::Mul),
        Token::Symbol("/") => Some(BinaryOp::Div),
        Token::Symbol("%") => Some(BinaryOp::Mod),
        _ => None,
    })
}

/// `-a`.
fn negative(cursor: &mut Cursor) -> Result<Expr, ParseError> {
    let (token, span) = peek_token(cursor)?;
    if token != Token::Symbol("-") {
        return primary(cursor);
    }
    consume(cursor, span);
    cursor.descend(span)?;
    let operand = negative(cursor)?;
    cursor.ascend();
    Ok(unary(UnaryOp::Neg, span, operand))
}

/// Literals, fields, calls and parenthesised expressions.
fn primary(cursor: &mut Cursor) -> Result<Expr, ParseError> {
    let (token, span) = peek_token(cursor)?;
    let kind = match token {
        Token::Number(text) => ExprKind::Number(text),
        Token::Str(text) => ExprKind::Str(text),
        Token::QuotedField(name) => ExprKind::Field(name),
        Token::Word(name) => {
            consume(cursor, span);
            return field_or_call(cursor, name, span);
        }
        Token::Symbol("(") => {
            consume(cursor, span);
            return parenthesised(cursor, span);
        }
        Token::End => return Err(ParseError::new(span, Expected::Argument("an expression"))),
        Token::Symbol(_) => return Err(ParseError::new(span, Expected::Token("an expression"))),
    };
    consume(cursor, span);
    Ok(Expr { kind, span })
}

/// `( expr )` after the `(` at `open`.
fn parenthesised(cursor: &mut Cursor, open: Span) -> Result<Expr, ParseError> {
    cursor.descend(open)?;
    let inner = expression(cursor)?;
    let (token, close) = peek_token(cursor)?;
    if token != Token::Symbol(")") {
        return Err(ParseError::new(open, Expected::ClosingParen));
    }
    consume(cursor, close);
    cursor.ascend();
    Ok(Expr {
        kind: inner.kind,
        span: open.to(close),
    })
}

/// `name` (a field) or `name(args…)` (a call; ESCU also writes `mvindex (x, 1)`).
fn field_or_call(cursor: &mut Cursor, name: String, span: Span) -> Result<Expr, ParseError> {
    let mut lookahead = *cursor;
    lookahead.skip_whitespace();
    if lookahead.peek() != Some('(') {
        return Ok(Expr {
            kind: ExprKind::Field(name),
            span,
        });
    }
    let (_, open) = peek_token(cursor)?;
    consume(cursor, open);
    cursor.descend(open)?;
    let (args, close) = arguments(cursor, open)?;
    cursor.ascend();
    Ok(Expr {
        kind: ExprKind::Call {
            name: Spanned::new(name, span),
            args,
        },
        span: span.to(close),
    })
}

/// Comma-separated expressions up to `)`, after the `(` at `open`; returns them with the
/// span of `)`.
fn arguments(cursor: &mut Cursor, open: Span) -> Result<(Vec<Expr>, Span), ParseError> {
    let mut args = Vec::new();
    let (token, span) = peek_token(cursor)?;
    if token == Token::Symbol(")") {
        consume(cursor, span);
        return Ok((args, span));
    }
    loop {
        args.push(expression(cursor)?);
        let (token, span) = peek_token(cursor)?;
        consume(cursor, span);
        match token {
            Token::Symbol(",") => continue,
            Token::Symbol(")") => return Ok((args, span)),
            Token::End => return Err(ParseError::new(open, Expected::ClosingParen)),
            _ => return Err(ParseError::new(span, Expected::Token("`,` or `)`"))),
        }
    }
}
