//! `sort [N | limit=N] [+|-]field … [d|desc]`, and sort keys shared with `dedup`.

use crate::ast::{Collation, CommandKind, Field, Sort, SortKey};
use crate::parser::cursor::Cursor;
use crate::parser::error::{Expected, ParseError};
use crate::parser::lexical::{
    field_name, known_option, leading_count, option_ahead, parenthesised_field_name,
    skip_separator, unsigned,
};
use crate::span::Span;

/// Options accepted by `sort`.
const OPTIONS: &[&str] = &["limit"];

/// The count, the keys, and a trailing `d`/`desc`.
pub(crate) fn parse(cursor: &mut Cursor) -> Result<CommandKind, ParseError> {
    cursor.skip_whitespace();
    let mut limit = None;
    if let Some(number) = leading_count(cursor) {
        limit = Some(number?);
    } else if option_ahead(cursor) {
        limit = Some(unsigned(&known_option(cursor, OPTIONS)?.value)?);
    }
    let mut keys = Vec::new();
    let mut descending = false;
    loop {
        skip_separator(cursor);
        if cursor.at_end() {
            break;
        }
        if !keys.is_empty() && trailing_descending(cursor) {
            descending = true;
            break;
        }
        keys.push(sort_key(cursor)?);
    }
    if keys.is_empty() {
        return Err(cursor.error_here(Expected::Argument("a field to sort by")));
    }
    Ok(CommandKind::Sort(Sort {
        limit,
        keys,
        descending,
    }))
}

/// Consumes a final `d` or `desc` (nothing may follow).
fn trailing_descending(cursor: &mut Cursor) -> bool {
    for word in ["desc", "d"] {
        let mut lookahead = *cursor;
        if lookahead.eat_keyword_ignoring_case(word).is_some() {
            lookahead.skip_whitespace();
            if lookahead.at_end() {
                *cursor = lookahead;
                return true;
            }
        }
    }
    false
}

/// `[+|-]field` or `[+|-]num(field)` (also `str`, `ip`, `auto`).
pub(crate) fn sort_key(cursor: &mut Cursor) -> Result<SortKey, ParseError> {
    let descending = cursor.eat("-");
    if !descending && cursor.eat("+") {
        cursor.skip_whitespace();
    }
    if descending {
        cursor.skip_whitespace();
    }
    for (name, collation) in [
        ("num(", Collation::Num),
        ("str(", Collation::Str),
        ("ip(", Collation::Ip),
        ("auto(", Collation::Auto),
    ] {
        if cursor
            .rest()
            .get(..name.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(name))
        {
            let open = cursor.pos + name.len() - 1;
            cursor.pos += name.len();
            cursor.skip_whitespace();
            let field = parenthesised_field_name(cursor)?;
            cursor.skip_whitespace();
            if !cursor.eat(")") {
                return Err(ParseError::new(
                    Span::new(open, open + 1),
                    Expected::ClosingParen,
                ));
            }
            return Ok(SortKey {
                field,
                descending,
                collation,
            });
        }
    }
    let field: Field = field_name(cursor, "a field to sort by")?;
    Ok(SortKey {
        field,
        descending,
        collation: Collation::Auto,
    })
}
