//! The parser: SPL text to [`Pipeline`].
//!
//! The pipeline is split at top-level `|` first (respecting quotes, brackets and
//! backticks); each segment is parsed on its own so one run reports every broken command.
//! The command name is looked up case-insensitively in `commands::COMMANDS` and its
//! arguments are parsed under `nom::combinator::cut`; commands not in the table become
//! [`CommandKind::Generic`].
//!
//! Every rule is a nom 8 parser over `input::Input`, a window of the whole text that keeps
//! absolute offsets (so spans need no arithmetic) and the nesting depth (checked on every
//! recursion: `too_deep` past 64, never a stack overflow). Errors are our own
//! `error::ParseError`: a recoverable `nom::Err::Error` means "not this rule", a
//! `nom::Err::Failure` is reported to the user.

mod commands;
mod error;
mod expression;
mod input;
mod lexical;
mod split;

use crate::ast::{Command, CommandKind, Expr, Pipeline};
use crate::diagnostic::Diagnostic;
use crate::span::{Span, Spanned};
use error::{finish, Expected, ParseError};
use input::{Input, PResult};
use lexical::{bare_word, keyword_ignoring_case, whitespace};
use nom::Parser;

/// Parses a whole SPL pipeline (already macro-expanded).
///
/// A search that does not start with `|` begins with an implicit `search` command.
/// Returns every error found, one or more per broken segment.
pub fn parse_pipeline(text: &str) -> Result<Pipeline, Vec<Diagnostic>> {
    parse_range(text, 0, text.len(), 0, true).map_err(|errors| {
        errors
            .into_iter()
            .map(|error| error.into_diagnostic(text))
            .collect()
    })
}

/// Prints an expression as canonical SPL.
pub fn print_expr(expr: &Expr) -> String {
    expr.to_string()
}

/// Parses `text[start..end]` as a pipeline at nesting `depth`. With `implicit_search`, a
/// first segment not introduced by `|` is a search; otherwise (subsearches) it starts with
/// a command name unless its first word is not a command name followed by a space
/// (`[index=x | fields ip]` and `["a b"]` are implicit searches).
pub(crate) fn parse_range(
    text: &str,
    start: usize,
    end: usize,
    depth: usize,
    implicit_search: bool,
) -> Result<Pipeline, Vec<ParseError>> {
    let segments = split::split_segments(text, start, end).map_err(|error| vec![error])?;
    let leading_pipe = segments.first().is_some_and(|first| {
        text.get(first.start..first.end)
            .is_some_and(|s| s.trim().is_empty())
    }) && segments.len() > 1;
    let mut commands = Vec::new();
    let mut errors = Vec::new();
    for (index, segment) in segments.iter().enumerate() {
        if leading_pipe && index == 0 {
            continue;
        }
        let implicit =
            index == 0 && !leading_pipe && (implicit_search || !starts_with_name(text, *segment));
        match parse_segment(text, *segment, depth, implicit) {
            Ok(command) => commands.push(command),
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Pipeline {
        commands,
        span: trimmed_span(text, Span::new(start, end)),
    })
}

/// The span without leading and trailing whitespace.
fn trimmed_span(text: &str, span: Span) -> Span {
    let slice = text.get(span.start..span.end).unwrap_or("");
    let start = span.start + (slice.len() - slice.trim_start().len());
    let end = span.start + slice.trim_end().len();
    Span::new(start, end.max(start))
}

/// Parses one segment between pipes.
fn parse_segment(
    text: &str,
    segment: Span,
    depth: usize,
    implicit_search: bool,
) -> Result<Command, ParseError> {
    let span = trimmed_span(text, segment);
    let input = Input::new(text, span.start, span.end, depth);
    if implicit_search && keyword_ignoring_case("search")(input).is_err() {
        let name = Spanned::new("search".to_string(), Span::new(span.start, span.start));
        let kind = finish(commands::search::parse(input))?;
        return Ok(Command { name, kind, span });
    }
    if input.at_end() {
        let pipe = segment.start.saturating_sub(1);
        return Err(ParseError::new(
            Span::new(pipe, segment.end),
            Expected::Command,
        ));
    }
    let (name, kind) = finish(command.parse(input))?;
    Ok(Command { name, kind, span })
}

/// A command: its name, then its arguments as the `commands::COMMANDS` table says.
fn command(input: Input) -> PResult<(Spanned<String>, CommandKind)> {
    let (rest, (name, ())) = (command_name, whitespace).parse(input)?;
    let (rest, kind) = commands::arguments(&name.node, rest)?;
    Ok((rest, (name, kind)))
}

/// True when the segment starts with a word of letters, digits and `_` followed by
/// whitespace or the end.
fn starts_with_name(text: &str, segment: Span) -> bool {
    let content = text
        .get(segment.start..segment.end)
        .unwrap_or("")
        .trim_start();
    let length = content
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(content.len());
    length > 0
        && content
            .get(length..)
            .and_then(|rest| rest.chars().next())
            .is_none_or(char::is_whitespace)
}

/// The command name: letters, digits and `_`.
fn command_name(input: Input) -> PResult<Spanned<String>> {
    let (rest, word) = bare_word(|_, c| !(c.is_alphanumeric() || c == '_'))(input)?;
    if word.node.is_empty() {
        return Err(nom::Err::Failure(
            input.error_here(Expected::Token("a command name")),
        ));
    }
    Ok((rest, word))
}
