//! `search`: boolean expressions of comparisons and terms where OR binds tighter than AND.

use crate::ast::{
    CommandKind, CompareOp, Field, Pipeline, SearchExpr, SearchExprKind, SearchValue,
};
use crate::parser::error::{cut_with, failure, Expected, ParseError};
use crate::parser::input::{Input, PResult};
use crate::parser::lexical::{bare_word, expect_end, keyword, quoted_string, whitespace};
use crate::parser::split::matching_bracket;
use crate::span::Span;
use nom::branch::alt;
use nom::bytes::complete::{tag, take_until};
use nom::character::complete::char;
use nom::combinator::{recognize, value};
use nom::sequence::preceded;
use nom::Parser;

/// `search <expr>`: the whole rest of the segment; empty gives `Search(None)`.
pub(crate) fn parse(input: Input) -> PResult<CommandKind> {
    let (rest, ()) = whitespace(input)?;
    if rest.at_end() {
        return Ok((rest, CommandKind::Search(None)));
    }
    let (rest, expr) = conjunction(rest)?;
    let (rest, ()) = expect_end(rest)?;
    Ok((rest, CommandKind::Search(Some(expr))))
}

/// True when the search (or a group) ends here: the end of the segment or `)`.
fn at_group_end(input: &Input) -> bool {
    input.at_end() || input.peek() == Some(')')
}

/// `A B`, `A AND B`: a run of disjunctions up to `)` or the end, flattened.
fn conjunction(input: Input) -> PResult<SearchExpr> {
    let mut parts = Vec::new();
    let mut at = input;
    loop {
        (at, ()) = whitespace(at)?;
        if at_group_end(&at) {
            break;
        }
        if !parts.is_empty() {
            if let Ok((rest, _)) = keyword("AND")(at) {
                at = rest;
                continue;
            }
        }
        let part;
        (at, part) = disjunction(at)?;
        parts.push(part);
    }
    match combine(parts, SearchExprKind::And) {
        Some(expr) => Ok((at, expr)),
        None => Err(nom::Err::Failure(
            at.error_here(Expected::Argument("a search term")),
        )),
    }
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
fn disjunction(input: Input) -> PResult<SearchExpr> {
    let (mut at, first) = negation(input)?;
    let mut parts = vec![first];
    while let Ok((after_or, _)) = preceded(whitespace, keyword("OR")).parse(at) {
        let (after, ()) = whitespace(after_or)?;
        if at_group_end(&after) {
            return Err(nom::Err::Failure(
                after.error_here(Expected::Argument("a search term after `OR`")),
            ));
        }
        let part;
        (at, part) = negation(after)?;
        parts.push(part);
    }
    match combine(parts, SearchExprKind::Or) {
        Some(expr) => Ok((at, expr)),
        None => Err(nom::Err::Failure(
            at.error_here(Expected::Argument("a search term")),
        )),
    }
}

/// `NOT A`: applies to the next term or group only.
fn negation(input: Input) -> PResult<SearchExpr> {
    let (input, ()) = whitespace(input)?;
    let Ok((after_not, not_span)) = keyword("NOT")(input) else {
        return primary(input);
    };
    if operator_after(after_not) {
        return primary(input);
    }
    let (after, ()) = whitespace(after_not.deeper(not_span)?)?;
    if at_group_end(&after) {
        return Err(nom::Err::Failure(
            after.error_here(Expected::Argument("a search term after `NOT`")),
        ));
    }
    let (rest, inner) = negation(after)?;
    let span = Span::new(not_span.start, inner.span.end);
    let expr = SearchExpr {
        kind: SearchExprKind::Not(Box::new(inner)),
        span,
    };
    Ok((rest.shallower(&input), expr))
}

/// True when a comparison operator follows (`NOT=1` compares a field named `NOT`).
fn operator_after(input: Input) -> bool {
    preceded(whitespace, comparison_operator)
        .parse(input)
        .is_ok()
}

/// A group, a subsearch, a comparison or a term.
fn primary(input: Input) -> PResult<SearchExpr> {
    match input.peek() {
        Some('(') => group(input),
        Some('[') => subsearch(input),
        _ => comparison_or_term(input),
    }
}

/// `( expr )`.
fn group(input: Input) -> PResult<SearchExpr> {
    let open = Span::new(input.pos, input.pos + 1);
    let inside = input.deeper(open)?.advance(1);
    let (rest, inner) = conjunction(inside)?;
    let close = cut_with(char(')'), open, Expected::ClosingParen);
    let (rest, (_, _)) = (whitespace, close).parse(rest)?;
    let expr = SearchExpr {
        kind: inner.kind,
        span: rest.span_from(open.start),
    };
    Ok((rest.shallower(&input), expr))
}

/// `[ search … ]` as a term.
fn subsearch(input: Input) -> PResult<SearchExpr> {
    let (rest, (pipeline, span)) = bracketed_pipeline(input)?;
    let expr = SearchExpr {
        kind: SearchExprKind::Subsearch(Box::new(pipeline)),
        span,
    };
    Ok((rest, expr))
}

/// Parses `[ … ]` as a pipeline one level deeper; returns it with the span of the brackets.
pub(crate) fn bracketed_pipeline(input: Input) -> PResult<(Pipeline, Span)> {
    let open = input.pos;
    let bracket = Span::new(open, open + 1);
    let close = matching_bracket(input.text, open, input.end)
        .ok_or_else(|| failure(bracket, Expected::ClosingBracket))?;
    let deeper = input.deeper(bracket)?;
    let pipeline = crate::parser::parse_range(input.text, open + 1, close, deeper.depth, false)
        .map_err(|errors| {
            let first = errors.into_iter().next().unwrap_or_else(|| {
                ParseError::new(
                    Span::new(open, close + 1),
                    Expected::Argument("a subsearch"),
                )
            });
            nom::Err::Failure(first)
        })?;
    let rest = input.advance(close + 1 - open);
    Ok((rest, (pipeline, Span::new(open, close + 1))))
}

/// Ends a search token: whitespace, unbalanced parentheses, and the start of a comparison
/// operator. `(…)` inside a token belongs to it (`*GetCurrent()*`).
fn token_stop() -> impl FnMut(&Input, char) -> bool {
    let mut depth = 0usize;
    move |at, c| {
        if c == '!' && at.rest().get(1..).is_some_and(|s| s.starts_with('=')) {
            return depth == 0;
        }
        parenthesis_stop(&mut depth, c) || (depth == 0 && matches!(c, '=' | '<' | '>'))
    }
}

/// Ends a value after an operator: whitespace and unbalanced parentheses.
fn value_stop() -> impl FnMut(&Input, char) -> bool {
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

/// `=`, `!=`, `<`, `<=`, `>`, `>=`.
fn comparison_operator(input: Input) -> PResult<CompareOp> {
    if !matches!(input.peek(), Some('!' | '<' | '>' | '=')) {
        return Err(nom::Err::Error(
            input.error_here(Expected::Token("a comparison operator")),
        ));
    }
    alt((
        value(CompareOp::Ne, tag("!=")),
        value(CompareOp::Le, tag("<=")),
        value(CompareOp::Ge, tag(">=")),
        value(CompareOp::Eq, tag("==")),
        value(CompareOp::Eq, tag("=")),
        value(CompareOp::Lt, tag("<")),
        value(CompareOp::Gt, tag(">")),
    ))
    .parse(input)
}

/// A token, then `op value`, `IN (…)`, or nothing (a free-text term).
fn comparison_or_term(input: Input) -> PResult<SearchExpr> {
    if let Ok(directive) = directive(input) {
        return Ok(directive);
    }
    let (rest, token) = search_token(token_stop())(input)?;
    let (lookahead, ()) = whitespace(rest)?;
    if let Ok((after, op)) = comparison_operator(lookahead) {
        let (after, ()) = whitespace(after)?;
        return comparison(after, field_of(token), op);
    }
    if let Ok((after, _)) = preceded(keyword("IN"), whitespace).parse(lookahead) {
        if after.peek() == Some('(') {
            return membership(after, field_of(token));
        }
    }
    let span = token.span;
    Ok((
        rest,
        SearchExpr {
            kind: SearchExprKind::Term(token),
            span,
        },
    ))
}

/// The field named by a token in field position.
fn field_of(token: SearchValue) -> Field {
    Field {
        name: token.text,
        span: token.span,
    }
}

/// `CASE(x)` / `TERM(x)`: kept as a term with its text.
fn directive(input: Input) -> PResult<SearchExpr> {
    let start = input.pos;
    let (rest, text) = recognize((
        alt((tag("CASE("), tag("TERM("))),
        take_until(")"),
        char(')'),
    ))
    .parse(input)?;
    let span = rest.span_from(start);
    let term = SearchValue {
        text: text.rest().to_string(),
        quoted: false,
        span,
    };
    Ok((
        rest,
        SearchExpr {
            kind: SearchExprKind::Term(term),
            span,
        },
    ))
}

/// A quoted string or a bare token ending where `stop` says.
fn search_token<'a>(
    stop: impl FnMut(&Input, char) -> bool,
) -> impl FnMut(Input<'a>) -> PResult<'a, SearchValue> {
    let mut word = bare_word(stop);
    move |input: Input<'a>| {
        if input.peek() == Some('"') {
            let (rest, quoted) = quoted_string(input)?;
            let value = SearchValue {
                text: quoted.node,
                quoted: true,
                span: quoted.span,
            };
            return Ok((rest, value));
        }
        let (rest, word) = word(input)?;
        if word.node.is_empty() {
            return Err(nom::Err::Failure(
                input.error_here(Expected::Token("a search term")),
            ));
        }
        let value = SearchValue {
            text: word.node,
            quoted: false,
            span: word.span,
        };
        Ok((rest, value))
    }
}

/// The value after `field op`.
fn comparison(input: Input, field: Field, op: CompareOp) -> PResult<SearchExpr> {
    if at_group_end(&input) {
        return Err(nom::Err::Failure(
            input.error_here(Expected::Argument("a value after the operator")),
        ));
    }
    let (rest, value) = search_token(value_stop())(input)?;
    let span = field.span.to(value.span);
    Ok((
        rest,
        SearchExpr {
            kind: SearchExprKind::Compare { field, op, value },
            span,
        },
    ))
}

/// `field IN (a, "b", *c*)`, the input on `(`.
fn membership(input: Input, field: Field) -> PResult<SearchExpr> {
    let open = Span::new(input.pos, input.pos + 1);
    let mut at = input.advance(1);
    let mut values = Vec::new();
    loop {
        (at, ()) = whitespace(at)?;
        if let Ok((rest, _)) = char::<_, ParseError>(',').parse(at) {
            at = rest;
            continue;
        }
        if let Ok((rest, _)) = char::<_, ParseError>(')').parse(at) {
            at = rest;
            break;
        }
        if at.at_end() {
            return Err(failure(open, Expected::ClosingParen));
        }
        let item;
        (at, item) = search_token(|_, c| c.is_whitespace() || matches!(c, ',' | '(' | ')'))(at)?;
        values.push(item);
    }
    let span = Span::new(field.span.start, at.pos);
    Ok((
        at,
        SearchExpr {
            kind: SearchExprKind::In { field, values },
            span,
        },
    ))
}
