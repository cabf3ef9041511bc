//! `stats [options] <agg> [AS name] … [BY fields]`.

use crate::ast::Field;
use crate::ast::{Aggregation, AggregationArgument, CommandKind, Stats};
use crate::parser::error::{cut_with, failure, Expected};
use crate::parser::expression::expression;
use crate::parser::input::{Input, PResult};
use crate::parser::lexical::{
    bare_word, field_list, field_name, keyword_ignoring_case, known_option, option_ahead,
    parenthesised_field_name, separator, whitespace,
};
use crate::span::{Span, Spanned};
use nom::bytes::complete::tag_no_case;
use nom::character::complete::char;
use nom::combinator::{cut, opt, peek};
use nom::multi::many0;
use nom::sequence::{preceded, terminated};
use nom::Parser;

/// Options accepted by `stats`.
const OPTIONS: &[&str] = &["allnum", "delim", "partitions", "dedup_splitvals"];

/// Options, aggregations, then the optional `BY` clause (and trailing options).
pub(crate) fn parse(input: Input) -> PResult<CommandKind> {
    let (mut at, mut options) = preceded(
        whitespace,
        many0(terminated(known_option(OPTIONS), whitespace)),
    )
    .parse(input)?;
    let mut aggregations = Vec::new();
    loop {
        (at, ()) = separator(at)?;
        if at.at_end() || peek(keyword_ignoring_case("by")).parse(at).is_ok() {
            break;
        }
        let aggregation;
        (at, aggregation) = aggregation_rule(at)?;
        aggregations.push(aggregation);
    }
    if aggregations.is_empty() {
        return Err(nom::Err::Failure(
            at.error_here(Expected::Argument("an aggregation such as `count`")),
        ));
    }
    let by;
    (at, by) = by_clause(at)?;
    loop {
        (at, ()) = separator(at)?;
        if at.at_end() {
            break;
        }
        if !option_ahead(&at) {
            return Err(nom::Err::Failure(
                at.error_here(Expected::Token("the end of the command")),
            ));
        }
        let option;
        (at, option) = known_option(OPTIONS)(at)?;
        options.push(option);
    }
    Ok((
        at,
        CommandKind::Stats(Stats {
            aggregations,
            by,
            options,
        }),
    ))
}

/// `BY fields` (up to an option), or nothing.
fn by_clause(input: Input) -> PResult<Vec<Field>> {
    let Ok((rest, keyword)) = keyword_ignoring_case("by")(input) else {
        return Ok((input, Vec::new()));
    };
    let (rest, fields) = field_list(option_ahead)(rest)?;
    if fields.is_empty() {
        return Err(failure(keyword, Expected::Argument("a field after `BY`")));
    }
    Ok((rest, fields))
}

/// `func`, `func(field)`, `func(eval(expr))`, each with an optional `AS name`.
fn aggregation_rule(input: Input) -> PResult<Aggregation> {
    let (rest, function) = bare_word(|_, c| !(c.is_alphanumeric() || c == '_'))(input)?;
    if function.node.is_empty() {
        return Err(nom::Err::Failure(
            input.error_here(Expected::Argument("an aggregation function")),
        ));
    }
    let (rest, argument) = opt(parenthesised_argument).parse(rest)?;
    let alias_clause = preceded(
        (whitespace, keyword_ignoring_case("as"), whitespace),
        cut(field_name("a name after `AS`")),
    );
    let (rest, alias) = opt(alias_clause).parse(rest)?;
    let end = match (&alias, &argument) {
        (Some(alias), _) => alias.span.end,
        (None, Some((_, close))) => *close,
        (None, None) => function.span.end,
    };
    Ok((
        rest,
        Aggregation {
            function: Spanned::new(function.node, function.span),
            argument: argument.map(|(argument, _)| argument),
            alias,
            span: Span::new(function.span.start, end),
        },
    ))
}

/// `(field)` or `(eval(expr))`; returns the end offset too.
fn parenthesised_argument(input: Input) -> PResult<(AggregationArgument, usize)> {
    let open = Span::new(input.pos, input.pos + 1);
    let (rest, (_, ())) = (char('('), whitespace).parse(input)?;
    let (rest, argument) = if peek(tag_no_case::<_, _, ()>("eval(")).parse(rest).is_ok() {
        expression
            .map(AggregationArgument::Eval)
            .parse(rest.advance(4))?
    } else {
        cut(parenthesised_field_name)
            .map(AggregationArgument::Field)
            .parse(rest)?
    };
    let close = cut_with(char(')'), open, Expected::ClosingParen);
    let (rest, _) = (whitespace, close).parse(rest)?;
    Ok((rest, (argument, rest.pos)))
}
