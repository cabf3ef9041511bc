//! `rename a AS b, c* AS d*`.

use crate::ast::{CommandKind, RenamePair};
use crate::parser::error::{cut_with, Expected};
use crate::parser::input::{Input, PResult};
use crate::parser::lexical::{field_name, keyword_ignoring_case, separator, whitespace};
use nom::combinator::cut;
use nom::Parser;

/// Pairs `old AS new`, separated by spaces or commas.
pub(crate) fn parse(input: Input) -> PResult<CommandKind> {
    let mut pairs = Vec::new();
    let mut at = input;
    loop {
        (at, ()) = separator(at)?;
        if at.at_end() {
            break;
        }
        let pair;
        (at, pair) = rename_pair(at)?;
        pairs.push(pair);
    }
    if pairs.is_empty() {
        return Err(nom::Err::Failure(
            at.error_here(Expected::Argument("`<field> AS <new name>`")),
        ));
    }
    Ok((at, CommandKind::Rename(pairs)))
}

/// `old AS new`.
fn rename_pair(input: Input) -> PResult<RenamePair> {
    let (rest, (from, ())) = (cut(field_name("a field to rename")), whitespace).parse(input)?;
    let as_keyword = cut_with(
        keyword_ignoring_case("as"),
        rest.error_here(Expected::Argument("`AS` and the new name"))
            .span,
        Expected::Argument("`AS` and the new name"),
    );
    let (rest, (_, (), to)) = (
        as_keyword,
        whitespace,
        cut(field_name("the new field name")),
    )
        .parse(rest)?;
    Ok((rest, RenamePair { from, to }))
}
