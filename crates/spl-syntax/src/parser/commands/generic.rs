//! Any command not modeled in detail: its arguments as tokens.

use super::search::bracketed_pipeline;
use crate::ast::{CommandKind, GenericArg, GenericCommand};
use crate::parser::cursor::Cursor;
use crate::parser::error::{Expected, ParseError};
use crate::parser::lexical::{bare_word, command_option, option_ahead, quoted_string};
use crate::parser::split::matching_bracket;
use crate::span::{Span, Spanned};

/// Commands whose `[ … ]` argument is a template, not a subsearch.
const TEMPLATE_COMMANDS: &[&str] = &["foreach", "map"];

/// Tokenises the rest of the segment; `name` is the lower-case command name.
pub(crate) fn parse(name: &str, cursor: &mut Cursor) -> Result<CommandKind, ParseError> {
    let templates = TEMPLATE_COMMANDS.contains(&name);
    let args = arguments(cursor, templates, None)?;
    Ok(CommandKind::Generic(GenericCommand { args }))
}

/// Tokens up to the end of the segment, or up to the `)` closing the `(` at `open`.
fn arguments(
    cursor: &mut Cursor,
    templates: bool,
    open: Option<usize>,
) -> Result<Vec<GenericArg>, ParseError> {
    let mut args = Vec::new();
    loop {
        cursor.skip_whitespace();
        let Some(c) = cursor.peek() else {
            return match open {
                Some(at) => Err(ParseError::new(
                    Span::new(at, at + 1),
                    Expected::ClosingParen,
                )),
                None => Ok(args),
            };
        };
        if c == ')' && open.is_some() {
            cursor.bump();
            return Ok(args);
        }
        args.push(argument(cursor, c, templates)?);
    }
}

/// One token starting with `c`.
fn argument(cursor: &mut Cursor, c: char, templates: bool) -> Result<GenericArg, ParseError> {
    let start = cursor.pos;
    match c {
        '"' => Ok(GenericArg::Quoted(quoted_string(cursor)?)),
        '(' => {
            cursor.descend(Span::new(start, start + 1))?;
            cursor.bump();
            let inner = arguments(cursor, templates, Some(start))?;
            cursor.ascend();
            Ok(GenericArg::Group(Spanned::new(
                inner,
                Span::new(start, cursor.pos),
            )))
        }
        '[' if templates => template(cursor),
        '[' => Ok(GenericArg::Subsearch(Box::new(
            bracketed_pipeline(cursor)?.0,
        ))),
        _ if option_ahead(cursor) => Ok(GenericArg::Option(command_option(cursor)?)),
        ',' | ')' | ']' => {
            cursor.bump();
            Ok(GenericArg::Word(Spanned::new(
                c.to_string(),
                Span::new(start, cursor.pos),
            )))
        }
        '=' | '<' | '>' | '!' => Ok(GenericArg::Word(bare_word(cursor, |_, c| {
            !matches!(c, '=' | '<' | '>' | '!')
        }))),
        _ => Ok(GenericArg::Word(bare_word(cursor, word_stop))),
    }
}

/// Ends a bare word.
fn word_stop(cursor: &Cursor, c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '"' | '(' | ')' | '[' | ']' | ',' | '=' | '<' | '>')
        || (c == '!' && cursor.peek_second() == Some('='))
}

/// `[ … ]` kept as text.
fn template(cursor: &mut Cursor) -> Result<GenericArg, ParseError> {
    let open = cursor.pos;
    let close = matching_bracket(cursor.text, open, cursor.end)
        .ok_or_else(|| ParseError::new(Span::new(open, open + 1), Expected::ClosingBracket))?;
    let text = cursor.text.get(open + 1..close).unwrap_or("").to_string();
    cursor.pos = close + 1;
    Ok(GenericArg::Template(Spanned::new(
        text,
        Span::new(open, close + 1),
    )))
}
