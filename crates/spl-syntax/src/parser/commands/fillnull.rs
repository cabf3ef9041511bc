//! `fillnull [value=<v>] [fields…]`.

use crate::ast::{CommandKind, Fillnull};
use crate::parser::input::{Input, PResult};
use crate::parser::lexical::{field_list, known_option, whitespace};
use nom::multi::many0;
use nom::sequence::{preceded, terminated};
use nom::Parser;

/// Options accepted by `fillnull`.
const OPTIONS: &[&str] = &["value"];

/// The optional `value=` then the fields.
pub(crate) fn parse(input: Input) -> PResult<CommandKind> {
    let options = preceded(
        whitespace,
        many0(terminated(known_option(OPTIONS), whitespace)),
    );
    (options, field_list(|_| false))
        .map(|(options, fields)| {
            let value = options.into_iter().last().map(|option| option.value.node);
            CommandKind::Fillnull(Fillnull { value, fields })
        })
        .parse(input)
}
