//! The expression grammar shared by `where`, `eval` and `stats … eval(…)`, as nom parsers
//! over a small token lexer.
//!
//! Precedence, loosest first: `XOR`, `OR`, `AND`, `NOT`/`!`, comparisons and `LIKE`/`IN`,
//! `+ - .`, `* / %`, unary `-`, then literals, fields, calls and parentheses. Operator
//! keywords are accepted in any case (`and`, `like`), as Splunk does in `eval`.

use super::error::{failure, Expected};
use super::input::{Input, PResult};
use super::lexical::{quoted_with, run_of, whitespace, Piece};
use crate::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use crate::span::{Span, Spanned};
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while1};
use nom::character::complete::{anychar, char, digit1, one_of};
use nom::combinator::{opt, recognize};
use nom::sequence::preceded;
use nom::Parser;

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

/// Parses a whole expression.
pub(crate) fn expression(input: Input) -> PResult<Expr> {
    exclusive_or(input)
}

/// The next token after optional whitespace, with its span. A character that starts no
/// token is a failure.
fn token(input: Input) -> PResult<(Token, Span)> {
    let (input, ()) = whitespace(input)?;
    let start = input.pos;
    if input.at_end() {
        return Ok((input, (Token::End, Span::new(start, start))));
    }
    let (rest, token) = alt((
        string_literal.map(Token::Str),
        single_quoted.map(Token::QuotedField),
        number.map(Token::Number),
        word.map(Token::Word),
        symbol.map(Token::Symbol),
    ))
    .parse(input)
    .map_err(|error| match error {
        nom::Err::Error(_) => nom::Err::Failure(input.error_here(Expected::Token("an expression"))),
        other => other,
    })?;
    Ok((rest, (token, rest.span_from(start))))
}

/// An escape in an expression string: `\"`, `\\`, `\t` (tab) and `\n` (newline) are
/// processed; any other backslash is kept with the character after it.
fn string_escape(input: Input) -> PResult<Piece> {
    preceded(char('\\'), anychar)
        .map(|c| match c {
            '"' | '\\' => Piece::Char(c),
            't' => Piece::Char('\t'),
            'n' => Piece::Char('\n'),
            other => Piece::Pair(other),
        })
        .parse(input)
}

/// `"text"` in an expression (`"\d+"` stays `\d+`).
fn string_literal(input: Input) -> PResult<String> {
    quoted_with(input, '"', alt((run_of("\"\\"), string_escape)))
        .map(|(rest, text)| (rest, text.node))
}

/// `'name'`: a field name; `\'` and `\\` escapes processed (other backslashes kept).
fn single_quoted(input: Input) -> PResult<String> {
    let escape = preceded(char('\\'), one_of("'\\")).map(Piece::Char);
    let lone_backslash = tag("\\").map(|slash: Input| Piece::Run(slash.rest()));
    quoted_with(input, '\'', alt((run_of("'\\"), escape, lone_backslash)))
        .map(|(rest, text)| (rest, text.node))
}

/// Digits, an optional fraction and an optional exponent; also `.25` (no integer part).
fn number(input: Input) -> PResult<String> {
    let fraction = (char('.'), digit1);
    let mantissa = alt((
        recognize((digit1, opt(fraction))),
        recognize((char('.'), digit1)),
    ));
    let exponent = (one_of("eE"), opt(one_of("+-")), digit1);
    recognize((mantissa, opt(exponent)))
        .map(|text: Input| text.rest().to_string())
        .parse(input)
}

/// An identifier: letters, digits, `_`, `@`, `$`.
fn word(input: Input) -> PResult<String> {
    take_while1(|c: char| c.is_alphanumeric() || matches!(c, '_' | '@' | '$'))
        .map(|text: Input| text.rest().to_string())
        .parse(input)
}

/// One of [`SYMBOLS`].
fn symbol(input: Input) -> PResult<&'static str> {
    match SYMBOLS.iter().find(|s| input.rest().starts_with(**s)) {
        Some(symbol) => Ok((input.advance(symbol.len()), *symbol)),
        None => Err(nom::Err::Error(
            input.error_here(Expected::Token("an expression")),
        )),
    }
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
fn left_associative<'a>(
    input: Input<'a>,
    next: fn(Input<'a>) -> PResult<'a, Expr>,
    operator: fn(&Token) -> Option<BinaryOp>,
) -> PResult<'a, Expr> {
    let (mut at, mut left) = next(input)?;
    loop {
        let (after, (token, _)) = token(at)?;
        let Some(op) = operator(&token) else {
            return Ok((at, left));
        };
        let right;
        (at, right) = next(after)?;
        left = binary(op, left, right);
    }
}

/// `a XOR b`.
fn exclusive_or(input: Input) -> PResult<Expr> {
    left_associative(input, disjunction, |t| {
        is_keyword(t, "XOR").then_some(BinaryOp::Xor)
    })
}

/// `a OR b`.
fn disjunction(input: Input) -> PResult<Expr> {
    left_associative(input, conjunction, |t| {
        is_keyword(t, "OR").then_some(BinaryOp::Or)
    })
}

/// `a AND b`.
fn conjunction(input: Input) -> PResult<Expr> {
    left_associative(input, negation, |t| {
        is_keyword(t, "AND").then_some(BinaryOp::And)
    })
}

/// `NOT a`, `!a`.
fn negation(input: Input) -> PResult<Expr> {
    let (after, (token, span)) = token(input)?;
    if !(is_keyword(&token, "NOT") || token == Token::Symbol("!")) {
        return comparison(input);
    }
    let (rest, operand) = negation(after.deeper(span)?)?;
    Ok((rest.shallower(&input), unary(UnaryOp::Not, span, operand)))
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
fn comparison(input: Input) -> PResult<Expr> {
    let (mut at, mut left) = additive(input)?;
    loop {
        let (after, (token, _)) = token(at)?;
        if is_keyword(&token, "IN") {
            (at, left) = membership(after, left)?;
            continue;
        }
        let Some(op) = comparison_operator(&token) else {
            return Ok((at, left));
        };
        let right;
        (at, right) = additive(after)?;
        left = binary(op, left, right);
    }
}

/// `x IN ("a", "b")` after `IN`.
fn membership(input: Input, tested: Expr) -> PResult<Expr> {
    let (after, (token, open)) = token(input)?;
    if token != Token::Symbol("(") {
        return Err(failure(open, Expected::Token("`(` after `IN`")));
    }
    let (rest, (list, close)) = arguments(after.deeper(open)?, open)?;
    let span = tested.span.to(close);
    let expr = Expr {
        kind: ExprKind::In {
            expr: Box::new(tested),
            list,
        },
        span,
    };
    Ok((rest.shallower(&input), expr))
}

/// `a + b`, `a - b`, `a . b`.
fn additive(input: Input) -> PResult<Expr> {
    left_associative(input, multiplicative, |t| match t {
        Token::Symbol("+") => Some(BinaryOp::Add),
        Token::Symbol("-") => Some(BinaryOp::Sub),
        Token::Symbol(".") => Some(BinaryOp::Concat),
        _ => None,
    })
}

/// `a * b`, `a / b`, `a % b`.
fn multiplicative(input: Input) -> PResult<Expr> {
    left_associative(input, negative, |t| match t {
        Token::Symbol("*") => Some(BinaryOp::Mul),
        Token::Symbol("/") => Some(BinaryOp::Div),
        Token::Symbol("%") => Some(BinaryOp::Mod),
        _ => None,
    })
}

/// `-a`.
fn negative(input: Input) -> PResult<Expr> {
    let (after, (token, span)) = token(input)?;
    if token != Token::Symbol("-") {
        return primary(input);
    }
    let (rest, operand) = negative(after.deeper(span)?)?;
    Ok((rest.shallower(&input), unary(UnaryOp::Neg, span, operand)))
}

/// Literals, fields, calls and parenthesised expressions.
fn primary(input: Input) -> PResult<Expr> {
    let (rest, (token, span)) = token(input)?;
    let kind = match token {
        Token::Number(text) => ExprKind::Number(text),
        Token::Str(text) => ExprKind::Str(text),
        Token::QuotedField(name) => ExprKind::Field(name),
        Token::Word(name) => return field_or_call(rest, name, span),
        Token::Symbol("(") => return parenthesised(rest, span),
        Token::End => return Err(failure(span, Expected::Argument("an expression"))),
        Token::Symbol(_) => return Err(failure(span, Expected::Token("an expression"))),
    };
    Ok((rest, Expr { kind, span }))
}

/// `( expr )` after the `(` at `open`.
fn parenthesised<'a>(input: Input<'a>, open: Span) -> PResult<'a, Expr> {
    let (after, inner) = expression(input.deeper(open)?)?;
    let (rest, (token, close)) = token(after)?;
    if token != Token::Symbol(")") {
        return Err(failure(open, Expected::ClosingParen));
    }
    let mut expr = inner;
    expr.span = open.to(close);
    Ok((rest.shallower(&input), expr))
}

/// `name` (a field) or `name(args…)` (a call; ESCU also writes `mvindex (x, 1)`).
fn field_or_call(input: Input, name: String, span: Span) -> PResult<Expr> {
    let (after_space, ()) = whitespace(input)?;
    if after_space.peek() != Some('(') {
        let field = Expr {
            kind: ExprKind::Field(name),
            span,
        };
        return Ok((input, field));
    }
    let open = Span::new(after_space.pos, after_space.pos + 1);
    let after = after_space.advance(1);
    let (rest, (args, close)) = arguments(after.deeper(open)?, open)?;
    let call = Expr {
        kind: ExprKind::Call {
            name: Spanned::new(name, span),
            args,
        },
        span: span.to(close),
    };
    Ok((rest.shallower(&input), call))
}

/// Comma-separated expressions up to `)`, after the `(` at `open`; returns them with the
/// span of `)`.
fn arguments<'a>(input: Input<'a>, open: Span) -> PResult<'a, (Vec<Expr>, Span)> {
    let mut args = Vec::new();
    if let (rest, (Token::Symbol(")"), close)) = token(input)? {
        return Ok((rest, (args, close)));
    }
    let mut at = input;
    loop {
        let arg;
        (at, arg) = expression(at)?;
        args.push(arg);
        let (rest, (token, span)) = token(at)?;
        at = rest;
        match token {
            Token::Symbol(",") => continue,
            Token::Symbol(")") => return Ok((at, (args, span))),
            Token::End => return Err(failure(open, Expected::ClosingParen)),
            _ => return Err(failure(span, Expected::Token("`,` or `)`"))),
        }
    }
}
