//! `rename a AS b, c* AS d*`.

use crate::ast::{CommandKind, RenamePair};
use crate::parser::cursor::Cursor;
use crate::parser::error::{Expected, ParseError};
use crate::parser::lexical::{field_name, skip_separator};

/// Pairs `old AS new`, separated by spaces or commas.
pub(crate) fn parse(cursor: &mut Cursor) -> Result<CommandKind, ParseError> {
    let mut pairs = Vec::new();
    loop {
        skip_separator(cursor);
        if cursor.at_end() {
            break;
        }
        let from = field_name(cursor, "a field to rename")?;
        cursor.skip_whitespace();
        if cursor.eat_keyword_ignoring_case("as").is_none() {
            return Err(cursor.error_here(Expected::Argument("`AS` and the new name")));
        }
        cursor.skip_whitespace();
        let to = field_name(cursor, "the new field name")?;
        pairs.push(RenamePair { from, to });
    }
    if pairs.is_empty() {
        return Err(cursor.error_here(Expected::Argument("`<field> AS <new name>`")));
    }
    Ok(CommandKind::Rename(pairs))
}
