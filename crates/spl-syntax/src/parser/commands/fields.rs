//! `fields [+|-] a, b*`.

use crate::ast::{CommandKind, Fields};
use crate::parser::cursor::Cursor;
use crate::parser::error::{Expected, ParseError};
use crate::parser::lexical::field_list;

/// An optional `+` or `-` then the fields.
pub(crate) fn parse(cursor: &mut Cursor) -> Result<CommandKind, ParseError> {
    cursor.skip_whitespace();
    let remove = cursor.eat("-");
    if !remove {
        cursor.eat("+");
    }
    let fields = field_list(cursor, |_| false)?;
    if fields.is_empty() {
        return Err(cursor.error_here(Expected::Argument("a field name")));
    }
    Ok(CommandKind::Fields(Fields { remove, fields }))
}
