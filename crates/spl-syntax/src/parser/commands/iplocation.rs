//! `iplocation [prefix=] [allfields=] [lang=] <field>`.

use crate::ast::{CommandKind, IpLocation};
use crate::parser::cursor::Cursor;
use crate::parser::error::ParseError;
use crate::parser::lexical::{boolean, expect_end, field_name, known_option, option_ahead};

/// Options accepted by `iplocation`.
const OPTIONS: &[&str] = &["prefix", "allfields", "lang"];

/// Options in any order, then the IP field.
pub(crate) fn parse(cursor: &mut Cursor) -> Result<CommandKind, ParseError> {
    let mut prefix = None;
    let mut allfields = false;
    let mut lang = None;
    cursor.skip_whitespace();
    while option_ahead(cursor) {
        let option = known_option(cursor, OPTIONS)?;
        match option.name.node.to_ascii_lowercase().as_str() {
            "prefix" => prefix = Some(option.value.node),
            "allfields" => allfields = boolean(&option.value)?,
            _ => lang = Some(option.value.node),
        }
        cursor.skip_whitespace();
    }
    let field = field_name(cursor, "the IP address field")?;
    expect_end(cursor)?;
    Ok(CommandKind::IpLocation(IpLocation {
        prefix,
        allfields,
        lang,
        field,
    }))
}
