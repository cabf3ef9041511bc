//! The parser's own error type and its conversion into [`Diagnostic`]s.

use super::input::{Input, PResult};
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::span::Span;
use nom::error::{ContextError, ErrorKind};
use nom::Parser;

/// What the parser expected where it failed. Each variant names an input that triggers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Expected {
    /// A closing `"`: `search "abc`.
    ClosingQuote,
    /// A closing `)`: `search (a OR b`.
    ClosingParen,
    /// A closing `]`: `search [search a`.
    ClosingBracket,
    /// A command after `|`: `search a | `.
    Command,
    /// A required argument: `stats count BY`, `eval x=`.
    Argument(&'static str),
    /// A known option name: `head limt=3`.
    KnownOption {
        /// The option as written.
        found: String,
        /// The options the command accepts.
        known: &'static [&'static str],
    },
    /// Less nesting: `search ((((((…`.
    ShallowerNesting,
    /// Some token: `eval x=1 )`.
    Token(&'static str),
    /// A valid value: `head abc`.
    Value(&'static str),
    /// A bare nom combinator error (`tag`, `char`, `alt`) meaning "not this rule". Callers
    /// replace it with a precise expectation before it can reach the user; no known input
    /// shows it (a diff over the ESCU corpus and 5,000 mutations of it found none).
    Syntax(ErrorKind),
}

/// A parse failure: where and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ParseError {
    /// Where the parser stopped.
    pub span: Span,
    /// What it wanted.
    pub expected: Expected,
}

impl ParseError {
    /// An error at `span`.
    pub fn new(span: Span, expected: Expected) -> ParseError {
        ParseError { span, expected }
    }

    /// The diagnostic shown to the user; `text` is the parsed text.
    pub fn into_diagnostic(self, text: &str) -> Diagnostic {
        let found = text
            .get(self.span.start..self.span.end)
            .filter(|s| !s.is_empty())
            .map_or_else(
                || "the end of the command".to_string(),
                |s| format!("`{s}`"),
            );
        match self.expected {
            Expected::ClosingQuote => Diagnostic::error(
                "spl::parse::unbalanced_quote",
                "this double quote is never closed",
                self.span,
            )
            .with_label("opening quote"),
            Expected::ClosingParen => Diagnostic::error(
                "spl::parse::unbalanced_paren",
                format!("expected `)`, found {found}"),
                self.span,
            ),
            Expected::ClosingBracket => Diagnostic::error(
                "spl::parse::unbalanced_bracket",
                "this `[` is never closed",
                self.span,
            ),
            Expected::Command => Diagnostic::error(
                "spl::parse::empty_command",
                "expected a command after `|`",
                self.span,
            ),
            Expected::Argument(what) => Diagnostic::error(
                "spl::parse::missing_argument",
                format!("expected {what}, found {found}"),
                self.span,
            ),
            Expected::KnownOption { found, known } => unknown_option(&found, known, self.span),
            Expected::ShallowerNesting => Diagnostic::error(
                "spl::parse::too_deep",
                "parentheses or subsearches are nested too deeply",
                self.span,
            ),
            Expected::Token(what) => Diagnostic::error(
                "spl::parse::unexpected_token",
                format!("expected {what}, found {found}"),
                self.span,
            ),
            Expected::Syntax(_) => Diagnostic::error(
                "spl::parse::unexpected_token",
                format!("unexpected {found}"),
                self.span,
            ),
            Expected::Value(what) => Diagnostic::error(
                "spl::parse::bad_value",
                format!("expected {what}, found {found}"),
                self.span,
            ),
        }
    }
}

impl nom::error::ParseError<Input<'_>> for ParseError {
    fn from_error_kind(input: Input<'_>, kind: ErrorKind) -> ParseError {
        input.error_here(Expected::Syntax(kind))
    }

    fn append(_: Input<'_>, _: ErrorKind, other: ParseError) -> ParseError {
        other
    }
}

impl ContextError<Input<'_>> for ParseError {
    /// A context names what was expected when the error is still a bare nom failure.
    fn add_context(input: Input<'_>, context: &'static str, other: ParseError) -> ParseError {
        match other.expected {
            Expected::Syntax(_) => input.error_here(Expected::Token(context)),
            _ => other,
        }
    }
}

/// A failure that stops parsing (no backtracking): `expected` at `span`.
pub(crate) fn failure(span: Span, expected: Expected) -> nom::Err<ParseError> {
    nom::Err::Failure(ParseError::new(span, expected))
}

/// Runs `parser` and turns a recoverable error into a failure with `expected` at `span`
/// (a `cut` with our own message).
pub(crate) fn cut_with<'a, T>(
    mut parser: impl Parser<Input<'a>, Output = T, Error = ParseError>,
    span: Span,
    expected: Expected,
) -> impl FnMut(Input<'a>) -> PResult<'a, T> {
    move |input| match parser.parse(input) {
        Err(nom::Err::Error(_)) => Err(failure(span, expected.clone())),
        other => other,
    }
}

/// Unwraps a nom result into the error reported to the user.
pub(crate) fn finish<T>(result: PResult<'_, T>) -> Result<T, ParseError> {
    match result {
        Ok((_, value)) => Ok(value),
        Err(nom::Err::Error(error) | nom::Err::Failure(error)) => Err(error),
        Err(nom::Err::Incomplete(_)) => Err(ParseError::new(
            Span::default(),
            Expected::Token("more input"),
        )),
    }
}

/// The diagnostic for an option the command does not know, with a suggestion.
fn unknown_option(found: &str, known: &[&'static str], span: Span) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        "spl::parse::unknown_option",
        format!("unknown option `{found}`"),
        span,
    )
    .with_help(format!("accepted options: {}", known.join(", ")));
    match did_you_mean(found, known.iter().copied()) {
        Some(suggestion) => diagnostic.with_label(format!("did you mean `{suggestion}`?")),
        None => diagnostic,
    }
}
