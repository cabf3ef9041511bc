//! `head [N]`, `head limit=N`.

use crate::ast::{CommandKind, Head};
use crate::parser::cursor::Cursor;
use crate::parser::error::{Expected, ParseError};
use crate::parser::lexical::{
    expect_end, known_option, leading_count, option_ahead, unsigned, word_span,
};

/// Options accepted by `head`.
const OPTIONS: &[&str] = &["limit"];

/// A count or `limit=`; nothing means the default.
pub(crate) fn parse(cursor: &mut Cursor) -> Result<CommandKind, ParseError> {
    cursor.skip_whitespace();
    let mut count = None;
    if let Some(number) = leading_count(cursor) {
        count = Some(number?);
    } else if option_ahead(cursor) {
        count = Some(unsigned(&known_option(cursor, OPTIONS)?.value)?);
    } else if !cursor.at_end() {
        return Err(ParseError::new(
            word_span(cursor),
            Expected::Value("a number of results"),
        ));
    }
    expect_end(cursor)?;
    Ok(CommandKind::Head(Head { count }))
}
