//! `fillnull [value=<v>] [fields…]`.

use crate::ast::{CommandKind, Fillnull};
use crate::parser::cursor::Cursor;
use crate::parser::error::ParseError;
use crate::parser::lexical::{field_list, known_option, option_ahead};

/// Options accepted by `fillnull`.
const OPTIONS: &[&str] = &["value"];

/// The optional `value=` then the fields.
pub(crate) fn parse(cursor: &mut Cursor) -> Result<CommandKind, ParseError> {
    let mut value = None;
    cursor.skip_whitespace();
    while option_ahead(cursor) {
        value = Some(known_option(cursor, OPTIONS)?.value.node);
        cursor.skip_whitespace();
    }
    let fields = field_list(cursor, |_| false)?;
    Ok(CommandKind::Fillnull(Fillnull { value, fields }))
}
