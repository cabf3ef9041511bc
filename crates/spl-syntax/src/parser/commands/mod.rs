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

use super::input::{Input, PResult};
use crate::ast::CommandKind;
use nom::combinator::cut;
use nom::Parser;

/// Parses the arguments of one command, the input being after its name.
type ArgumentParser = for<'a> fn(Input<'a>) -> PResult<'a, CommandKind>;

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

/// Parses the arguments of the command `name` (any case) up to the end of the segment,
/// under `cut`: once the name is known nothing backtracks.
pub(crate) fn arguments<'a>(name: &str, input: Input<'a>) -> PResult<'a, CommandKind> {
    let lower = name.to_ascii_lowercase();
    let parser = COMMANDS
        .iter()
        .find(|(known, _)| *known == lower)
        .map(|(_, parser)| *parser);
    match parser {
        Some(parser) => cut(parser).parse(input),
        None => cut(generic::parse(&lower)).parse(input),
    }
}
