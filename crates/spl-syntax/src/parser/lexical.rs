//! Lexical pieces shared by the commands: quoted strings, bare words, field names, options,
//! numbers and lists.

use super::cursor::Cursor;
use super::error::{Expected, ParseError};
use crate::ast::{CommandOption, Field};
use crate::span::{Span, Spanned};

/// `"text"` with `\"` and `\\` escapes processed (other backslashes are kept).
/// The cursor must be on the opening quote.
pub(crate) fn quoted_string(cursor: &mut Cursor) -> Result<Spanned<String>, ParseError> {
    let start = cursor.pos;
    cursor.bump();
    let mut text = String::new();
    loop {
        match cursor.bump() {
            None => {
                return Err(ParseError::new(
                    Span::new(start, start + 1),
                    Expected::ClosingQuote,
                ))
            }
            Some('"') => return Ok(Spanned::new(text, Span::new(start, cursor.pos))),
            Some('\\') => push_escape(cursor, &mut text),
            Some(c) => text.push(c),
        }
    }
}

/// Handles the character after a backslash: `\"` and `\\` give the character alone, any
/// other pair is kept as written.
fn push_escape(cursor: &mut Cursor, text: &mut String) {
    match cursor.peek() {
        Some(c @ ('"' | '\\')) => {
            cursor.bump();
            text.push(c);
        }
        _ => text.push('\\'),
    }
}

/// A bare token: characters up to one for which `stop` is true. A backslash and the
/// character after it always belong to the token (as when splitting the pipeline); `\"` and
/// `\\` give the character alone, other pairs are kept as written (so `*\"a\"*` gives
/// `*"a"*`). May be empty.
pub(crate) fn bare_word(
    cursor: &mut Cursor,
    mut stop: impl FnMut(&Cursor, char) -> bool,
) -> Spanned<String> {
    let start = cursor.pos;
    let mut text = String::new();
    while let Some(c) = cursor.peek() {
        if stop(cursor, c) {
            break;
        }
        cursor.bump();
        if c != '\\' {
            text.push(c);
            continue;
        }
        match cursor.bump() {
            Some(escaped @ ('"' | '\\')) => text.push(escaped),
            Some(other) => {
                text.push('\\');
                text.push(other);
            }
            None => text.push('\\'),
        }
    }
    Spanned::new(text, Span::new(start, cursor.pos))
}

/// Stops a list item: whitespace or a comma (parentheses belong to names such as
/// `count(user)`).
pub(crate) fn list_stop(_: &Cursor, c: char) -> bool {
    c.is_whitespace() || c == ','
}

/// A field name, double-quoted or bare (`user.groups{}`, `"a b"`, `c*`, `count(x)`); bare
/// names end at whitespace and commas.
pub(crate) fn field_name(cursor: &mut Cursor, what: &'static str) -> Result<Field, ParseError> {
    if cursor.peek() == Some('"') {
        let quoted = quoted_string(cursor)?;
        return Ok(Field {
            name: quoted.node,
            span: quoted.span,
        });
    }
    let word = bare_word(cursor, list_stop);
    if word.node.is_empty() {
        return Err(cursor.error_here(Expected::Argument(what)));
    }
    Ok(Field {
        name: word.node,
        span: word.span,
    })
}

/// A field name inside parentheses (`num(x)`): quoted, or bare up to `)`, a comma or
/// whitespace.
pub(crate) fn parenthesised_field_name(cursor: &mut Cursor) -> Result<Field, ParseError> {
    if cursor.peek() == Some('"') {
        return field_name(cursor, "a field name");
    }
    let word = bare_word(cursor, |_, c| c.is_whitespace() || matches!(c, ')' | ','));
    if word.node.is_empty() {
        return Err(cursor.error_here(Expected::Argument("a field name")));
    }
    Ok(Field {
        name: word.node,
        span: word.span,
    })
}

/// Skips whitespace and commas (`a, , b` has an empty item that Splunk ignores).
pub(crate) fn skip_separator(cursor: &mut Cursor) {
    cursor.skip_whitespace();
    while cursor.eat(",") {
        cursor.skip_whitespace();
    }
}

/// The length of an option name at the start of `text` when it is followed by a single `=`
/// (`limit=3`, not `a==b`).
pub(crate) fn option_name_length(text: &str) -> Option<usize> {
    let length = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '.'))
        .map_or(text.len(), |(i, _)| i);
    let first = text.chars().next()?;
    if length == 0 || !(first.is_ascii_alphabetic() || first == '_') {
        return None;
    }
    let after = text.get(length..)?;
    (after.starts_with('=') && !after.starts_with("==")).then_some(length)
}

/// True when the cursor is on `name=`.
pub(crate) fn option_ahead(cursor: &Cursor) -> bool {
    option_name_length(cursor.rest()).is_some()
}

/// `name=value` with a quoted or bare value (bare values end at whitespace, commas,
/// parentheses and brackets).
pub(crate) fn command_option(cursor: &mut Cursor) -> Result<CommandOption, ParseError> {
    let length = option_name_length(cursor.rest())
        .ok_or_else(|| cursor.error_here(Expected::Token("`name=value`")))?;
    let start = cursor.pos;
    let name = cursor.rest().get(..length).unwrap_or("").to_string();
    cursor.pos += length;
    let name = Spanned::new(name, Span::new(start, cursor.pos));
    cursor.eat("=");
    let value = if cursor.peek() == Some('"') {
        quoted_string(cursor)?
    } else {
        bare_word(cursor, |_, c| {
            c.is_whitespace() || matches!(c, ',' | '(' | ')' | '[' | ']')
        })
    };
    Ok(CommandOption { name, value })
}

/// The option, checked against the names a command accepts.
pub(crate) fn known_option(
    cursor: &mut Cursor,
    known: &'static [&'static str],
) -> Result<CommandOption, ParseError> {
    let option = command_option(cursor)?;
    let lower = option.name.node.to_ascii_lowercase();
    if known.contains(&lower.as_str()) {
        return Ok(option);
    }
    Err(ParseError::new(
        option.name.span,
        Expected::KnownOption {
            found: option.name.node,
            known,
        },
    ))
}

/// A Splunk Boolean option value (`true`, `false`, `t`, `f`, `1`, `0`).
pub(crate) fn boolean(value: &Spanned<String>) -> Result<bool, ParseError> {
    match value.node.to_ascii_lowercase().as_str() {
        "true" | "t" | "1" | "yes" => Ok(true),
        "false" | "f" | "0" | "no" => Ok(false),
        _ => Err(ParseError::new(
            value.span,
            Expected::Value("true or false"),
        )),
    }
}

/// A non-negative integer option value.
pub(crate) fn unsigned(value: &Spanned<String>) -> Result<u64, ParseError> {
    value
        .node
        .parse::<u64>()
        .map_err(|_| ParseError::new(value.span, Expected::Value("a whole number")))
}

/// A run of ASCII digits at the cursor followed by a boundary, if there is one.
pub(crate) fn leading_count(cursor: &mut Cursor) -> Option<Result<u64, ParseError>> {
    let rest = cursor.rest();
    let length = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    if length == 0 {
        return None;
    }
    let after = rest.get(length..).and_then(|s| s.chars().next());
    if after.is_some_and(|c| !c.is_whitespace() && c != ',') {
        return None;
    }
    let start = cursor.pos;
    cursor.pos += length;
    let word = Spanned::new(
        rest.get(..length).unwrap_or("").to_string(),
        Span::new(start, cursor.pos),
    );
    Some(unsigned(&word))
}

/// Fields separated by whitespace or commas, up to the end of the segment or a keyword for
/// which `stop` is true.
pub(crate) fn field_list(
    cursor: &mut Cursor,
    stop: impl Fn(&Cursor) -> bool,
) -> Result<Vec<Field>, ParseError> {
    let mut fields = Vec::new();
    loop {
        skip_separator(cursor);
        if cursor.at_end() || stop(cursor) {
            return Ok(fields);
        }
        fields.push(field_name(cursor, "a field name")?);
    }
}

/// The span of the whitespace-delimited word at the cursor (for error messages).
pub(crate) fn word_span(cursor: &Cursor) -> Span {
    bare_word(&mut cursor.clone(), |_, c| c.is_whitespace()).span
}

/// Fails unless only whitespace is left.
pub(crate) fn expect_end(cursor: &mut Cursor) -> Result<(), ParseError> {
    cursor.skip_whitespace();
    if cursor.at_end() {
        return Ok(());
    }
    let start = cursor.pos;
    let word = bare_word(&mut cursor.clone(), |_, c| c.is_whitespace());
    let end = word
        .span
        .end
        .max(start + cursor.peek().map_or(0, char::len_utf8));
    Err(ParseError::new(
        Span::new(start, end),
        Expected::Token("the end of the command"),
    ))
}
