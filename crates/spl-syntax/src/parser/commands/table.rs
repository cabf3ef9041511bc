//! `table a, b*`.

use crate::ast::CommandKind;
use crate::parser::error::{Expected, ParseError};
use crate::parser::input::{Input, PResult};
use crate::parser::lexical::field_list;

/// Fields separated by spaces or commas; at least one.
pub(crate) fn parse(input: Input) -> PResult<CommandKind> {
    let (rest, fields) = field_list(|_| false)(input)?;
    if fields.is_empty() {
        return Err(missing_field(&rest));
    }
    Ok((rest, CommandKind::Table(fields)))
}

/// The failure for a command that needs at least one field.
pub(crate) fn missing_field(at: &Input) -> nom::Err<ParseError> {
    nom::Err::Failure(at.error_here(Expected::Argument("a field name")))
}
