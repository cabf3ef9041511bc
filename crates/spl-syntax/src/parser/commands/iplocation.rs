//! `iplocation [prefix=] [allfields=] [lang=] <field>`.

use crate::ast::{CommandKind, IpLocation};
use crate::parser::input::{Input, PResult};
use crate::parser::lexical::{boolean, expect_end, field_name, known_option, whitespace};
use nom::combinator::cut;
use nom::multi::many0;
use nom::sequence::terminated;
use nom::Parser;

/// Options accepted by `iplocation`.
const OPTIONS: &[&str] = &["prefix", "allfields", "lang"];

/// Options in any order, then the IP field.
pub(crate) fn parse(input: Input) -> PResult<CommandKind> {
    let (rest, ()) = whitespace(input)?;
    let (rest, options) = many0(terminated(known_option(OPTIONS), whitespace)).parse(rest)?;
    let (rest, field) = cut(field_name("the IP address field")).parse(rest)?;
    let (rest, ()) = expect_end(rest)?;
    let mut location = IpLocation {
        prefix: None,
        allfields: false,
        lang: None,
        field,
    };
    for option in options {
        match option.name.node.to_ascii_lowercase().as_str() {
            "prefix" => location.prefix = Some(option.value.node),
            "allfields" => {
                location.allfields = boolean(&option.value).map_err(nom::Err::Failure)?
            }
            _ => location.lang = Some(option.value.node),
        }
    }
    Ok((rest, CommandKind::IpLocation(location)))
}
