//! `head [N]`, `head limit=N`.

use crate::ast::{CommandKind, Head};
use crate::parser::error::{failure, Expected};
use crate::parser::input::{Input, PResult};
use crate::parser::lexical::{
    expect_end, known_option, leading_count, option_ahead, unsigned, whitespace, word_span,
};
use nom::combinator::opt;
use nom::Parser;

/// Options accepted by `head`.
const OPTIONS: &[&str] = &["limit"];

/// A count or `limit=`; nothing means the default.
pub(crate) fn parse(input: Input) -> PResult<CommandKind> {
    let (rest, ()) = whitespace(input)?;
    let (rest, count) = count(rest)?;
    let (rest, ()) = expect_end(rest)?;
    Ok((rest, CommandKind::Head(Head { count })))
}

/// `N` or `limit=N`, or nothing at the end; any other word is a bad value.
fn count(input: Input) -> PResult<Option<u64>> {
    if let (rest, Some(count)) = opt(leading_count).parse(input)? {
        return Ok((rest, Some(count)));
    }
    if option_ahead(&input) {
        let (rest, option) = known_option(OPTIONS)(input)?;
        let count = unsigned(&option.value).map_err(nom::Err::Failure)?;
        return Ok((rest, Some(count)));
    }
    if input.at_end() {
        return Ok((input, None));
    }
    Err(failure(
        word_span(&input),
        Expected::Value("a number of results"),
    ))
}
