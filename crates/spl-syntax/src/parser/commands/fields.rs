//! `fields [+|-] a, b*`.

use super::table::missing_field;
use crate::ast::{CommandKind, Fields};
use crate::parser::input::{Input, PResult};
use crate::parser::lexical::{field_list, whitespace};
use nom::character::complete::one_of;
use nom::combinator::opt;
use nom::Parser;

/// An optional `+` or `-` then the fields.
pub(crate) fn parse(input: Input) -> PResult<CommandKind> {
    let (rest, (_, sign, fields)) =
        (whitespace, opt(one_of("+-")), field_list(|_| false)).parse(input)?;
    if fields.is_empty() {
        return Err(missing_field(&rest));
    }
    let remove = sign == Some('-');
    Ok((rest, CommandKind::Fields(Fields { remove, fields })))
}
