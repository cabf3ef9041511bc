//! `dedup [N] fields… [keepevents=] [keepempty=] [consecutive=] [sortby …]`.

use super::sort::sort_key;
use crate::ast::{CommandKind, Dedup};
use crate::parser::error::Expected;
use crate::parser::input::{Input, PResult};
use crate::parser::lexical::{
    boolean, field_name, keyword_ignoring_case, known_option, leading_count, option_ahead,
    separator, whitespace,
};
use nom::combinator::{cut, opt};
use nom::Parser;

/// Options accepted by `dedup`.
const OPTIONS: &[&str] = &["keepevents", "keepempty", "consecutive"];

/// The count, fields and options in any order, then `sortby` keys.
pub(crate) fn parse(input: Input) -> PResult<CommandKind> {
    let (mut at, ()) = whitespace(input)?;
    let mut dedup = Dedup {
        count: None,
        fields: Vec::new(),
        keepempty: false,
        consecutive: false,
        keepevents: false,
        sortby: Vec::new(),
    };
    (at, dedup.count) = opt(leading_count).parse(at)?;
    loop {
        (at, ()) = separator(at)?;
        if at.at_end() {
            break;
        }
        if let (rest, Some(_)) = opt(keyword_ignoring_case("sortby")).parse(at)? {
            (at, dedup.sortby) = sort_keys(rest)?;
            break;
        }
        if option_ahead(&at) {
            let option;
            (at, option) = known_option(OPTIONS)(at)?;
            let value = boolean(&option.value).map_err(nom::Err::Failure)?;
            match option.name.node.to_ascii_lowercase().as_str() {
                "keepevents" => dedup.keepevents = value,
                "keepempty" => dedup.keepempty = value,
                _ => dedup.consecutive = value,
            }
            continue;
        }
        let field;
        (at, field) = cut(field_name("a field name")).parse(at)?;
        dedup.fields.push(field);
    }
    if dedup.fields.is_empty() {
        return Err(nom::Err::Failure(
            at.error_here(Expected::Argument("a field name")),
        ));
    }
    Ok((at, CommandKind::Dedup(dedup)))
}

/// The keys after `sortby`; at least one.
fn sort_keys(input: Input) -> PResult<Vec<crate::ast::SortKey>> {
    let mut keys = Vec::new();
    let mut at = input;
    loop {
        (at, ()) = separator(at)?;
        if at.at_end() {
            break;
        }
        let key;
        (at, key) = sort_key(at)?;
        keys.push(key);
    }
    if keys.is_empty() {
        return Err(nom::Err::Failure(
            at.error_here(Expected::Argument("a field after `sortby`")),
        ));
    }
    Ok((at, keys))
}
