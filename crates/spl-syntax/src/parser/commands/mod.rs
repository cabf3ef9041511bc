//! One module per modeled command, and the table that maps names to them.

pub(crate) mod dedup;
pub(crate) mod eval;
pub(crate) mod fields;
pub(crate) mod fillnull;
pub(crate) mod generic;
pub(crate) mod head;
pub(crate) mod iplocation;
pub(crate) mod rename;
pub(crate) mod search;
pub(crate) mod sort;
pub(crate) mod stats;
pub(crate) mod table;
pub(crate) mod where_command;

use super::cursor::Cursor;
use super::error::ParseError;
use crate::ast::CommandKind;

/// Parses the arguments of one command, the cursor being after its name.
type ArgumentParser = fn(&mut Cursor) -> Result<CommandKind, ParseError>;

/// Every command modeled in detail, by lower-case name.
pub(crate) const COMMANDS: &[(&str, ArgumentParser)] = &[
    ("search", search::parse),
    ("where", where_command::parse),
    ("eval", eval::parse),
    ("iplocation", iplocation::parse),
    ("stats", stats::parse),
    ("rename", rename::parse),
    ("fillnull", fillnull::parse),
    ("table", table::parse),
    ("fields", fields::parse),
    ("head", head::parse),
    ("dedup", dedup::parse),
    ("sort", sort::parse),
];

/// Parses the arguments of the command `name` (any case) up to the end of the segment.
pub(crate) fn parse_arguments(name: &str, cursor: &mut Cursor) -> Result<CommandKind, ParseError> {
    let lower = name.to_ascii_lowercase();
    let parser = COMMANDS
        .iter()
        .find(|(known, _)| *known == lower)
        .map(|(_, parser)| *parser);
    match parser {
        Some(parser) => parser(cursor),
        None => generic::parse(&lower, cursor),
    }
}
