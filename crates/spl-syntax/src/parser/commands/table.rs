//! `table a, b*`.

use crate::ast::CommandKind;
use crate::parser::cursor::Cursor;
use crate::parser::error::{Expected, ParseError};
use crate::parser::lexical::field_list;

/// Fields separated by spaces or commas; at least one.
pub(crate) fn parse(cursor: &mut Cursor) -> Result<CommandKind, ParseError> {
    let fields = field_list(cursor, |_| false)?;
    if fields.is_empty() {
        return Err(cursor.error_here(Expected::Argument("a field name")));
    }
    Ok(CommandKind::Table(fields))
}
