//! `where <expr>`.

use crate::ast::CommandKind;
use crate::parser::cursor::Cursor;
use crate::parser::error::ParseError;
use crate::parser::expression::expression;
use crate::parser::lexical::expect_end;

/// `where <expr>`: one expression filling the segment.
pub(crate) fn parse(cursor: &mut Cursor) -> Result<CommandKind, ParseError> {
    let expr = expression(cursor)?;
    expect_end(cursor)?;
    Ok(CommandKind::Where(expr))
}
