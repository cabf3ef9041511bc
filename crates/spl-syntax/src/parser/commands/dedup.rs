//! `dedup [N] fields… [keepevents=] [keepempty=] [consecutive=] [sortby …]`.

use super::sort::sort_key;
use crate::ast::{CommandKind, Dedup};
use crate::parser::cursor::Cursor;
use crate::parser::error::{Expected, ParseError};
use crate::parser::lexical::{
    boolean, field_name, known_option, leading_count, option_ahead, skip_separator,
};

/// Options accepted by `dedup`.
const OPTIONS: &[&str] = &["keepevents", "keepempty", "consecutive"];

/// The count, fields and options in any order, then `sortby` keys.
pub(crate) fn parse(cursor: &mut Cursor) -> Result<CommandKind, ParseError> {
    cursor.skip_whitespace();
    let mut dedup = Dedup {
        count: None,
        fields: Vec::new(),
        keepempty: false,
        consecutive: false,
        keepevents: false,
        sortby: Vec::new(),
    };
    if let Some(number) = leading_count(cursor) {
        dedup.count = Some(number?);
    }
    loop {
        skip_separator(cursor);
        if cursor.at_end() {
            break;
        }
        if cursor.eat_keyword_ignoring_case("sortby").is_some() {
            sort_keys(cursor, &mut dedup)?;
            break;
        }
        if option_ahead(cursor) {
            let option = known_option(cursor, OPTIONS)?;
            let value = boolean(&option.value)?;
            match option.name.node.to_ascii_lowercase().as_str() {
                "keepevents" => dedup.keepevents = value,
                "keepempty" => dedup.keepempty = value,
                _ => dedup.consecutive = value,
            }
            continue;
        }
        dedup.fields.push(field_name(cursor, "a field name")?);
    }
    if dedup.fields.is_empty() {
        return Err(cursor.error_here(Expected::Argument("a field name")));
    }
    Ok(CommandKind::Dedup(dedup))
}

/// The keys after `sortby`.
fn sort_keys(cursor: &mut Cursor, dedup: &mut Dedup) -> Result<(), ParseError> {
    loop {
        skip_separator(cursor);
        if cursor.at_end() {
            break;
        }
        dedup.sortby.push(sort_key(cursor)?);
    }
    if dedup.sortby.is_empty() {
        return Err(cursor.error_here(Expected::Argument("a field after `sortby`")));
    }
    Ok(())
}
