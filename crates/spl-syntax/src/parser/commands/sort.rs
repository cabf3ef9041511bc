//! `sort [N | limit=N] [+|-]field … [d|desc]`, and sort keys shared with `dedup`.

use crate::ast::{Collation, CommandKind, Sort, SortKey};
use crate::parser::error::{cut_with, Expected};
use crate::parser::input::{Input, PResult};
use crate::parser::lexical::{
    field_name, keyword_ignoring_case, known_option, leading_count, option_ahead,
    parenthesised_field_name, separator, unsigned, whitespace,
};
use crate::span::Span;
use nom::bytes::complete::tag_no_case;
use nom::character::complete::{char, one_of};
use nom::combinator::{cut, eof, opt};
use nom::Parser;

/// Options accepted by `sort`.
const OPTIONS: &[&str] = &["limit"];

/// The count, the keys, and a trailing `d`/`desc`.
pub(crate) fn parse(input: Input) -> PResult<CommandKind> {
    let (mut at, ()) = whitespace(input)?;
    let limit;
    (at, limit) = limit_option(at)?;
    let mut keys = Vec::new();
    let mut descending = false;
    loop {
        (at, ()) = separator(at)?;
        if at.at_end() {
            break;
        }
        if !keys.is_empty() {
            if let (rest, Some(())) = opt(trailing_descending).parse(at)? {
                at = rest;
                descending = true;
                break;
            }
        }
        let key;
        (at, key) = sort_key(at)?;
        keys.push(key);
    }
    if keys.is_empty() {
        return Err(nom::Err::Failure(
            at.error_here(Expected::Argument("a field to sort by")),
        ));
    }
    Ok((
        at,
        CommandKind::Sort(Sort {
            limit,
            keys,
            descending,
        }),
    ))
}

/// A leading `N` or `limit=N`, if any.
fn limit_option(input: Input) -> PResult<Option<u64>> {
    if let (rest, Some(count)) = opt(leading_count).parse(input)? {
        return Ok((rest, Some(count)));
    }
    if !option_ahead(&input) {
        return Ok((input, None));
    }
    let (rest, option) = known_option(OPTIONS)(input)?;
    let count = unsigned(&option.value).map_err(nom::Err::Failure)?;
    Ok((rest, Some(count)))
}

/// A final `d` or `desc` (nothing may follow).
fn trailing_descending(input: Input) -> PResult<()> {
    let word = nom::branch::alt((keyword_ignoring_case("desc"), keyword_ignoring_case("d")));
    (word, whitespace, eof).map(|_| ()).parse(input)
}

/// `[+|-]field` or `[+|-]num(field)` (also `str`, `ip`, `auto`).
pub(crate) fn sort_key(input: Input) -> PResult<SortKey> {
    let (rest, sign) = opt(one_of("+-")).parse(input)?;
    let (rest, ()) = if sign.is_some() {
        whitespace(rest)?
    } else {
        (rest, ())
    };
    let descending = sign == Some('-');
    for (name, collation) in [
        ("num(", Collation::Num),
        ("str(", Collation::Str),
        ("ip(", Collation::Ip),
        ("auto(", Collation::Auto),
    ] {
        let Ok((inside, _)) = tag_no_case::<_, _, ()>(name).parse(rest) else {
            continue;
        };
        let open = Span::new(inside.pos - 1, inside.pos);
        let close = cut_with(char(')'), open, Expected::ClosingParen);
        let (rest, (_, field, _, _)) =
            (whitespace, cut(parenthesised_field_name), whitespace, close).parse(inside)?;
        let key = SortKey {
            field,
            descending,
            collation,
        };
        return Ok((rest, key));
    }
    let (rest, field) = cut(field_name("a field to sort by")).parse(rest)?;
    let key = SortKey {
        field,
        descending,
        collation: Collation::Auto,
    };
    Ok((rest, key))
}
