//! Splitting a pipeline at its top-level `|`.

use super::error::{Expected, ParseError};
use crate::span::Span;

/// Byte ranges of the segments of `text[start..end]` between top-level pipes.
///
/// Pipes inside double quotes (with `\"` escapes), `[…]`, `(…)` and backticks do not split.
/// A backslash outside quotes also escapes the next character (`*\"a|b\"*`).
pub(crate) fn split_segments(
    text: &str,
    start: usize,
    end: usize,
) -> Result<Vec<Span>, ParseError> {
    match split_with(text, start, end, true) {
        Ok(segments) => Ok(segments),
        Err(SplitFailure::UnclosedBacktick) => {
            split_with(text, start, end, false).map_err(|failure| failure.into_error())
        }
        Err(failure) => Err(failure.into_error()),
    }
}

/// Why splitting failed.
enum SplitFailure {
    /// A double quote at this offset is never closed.
    UnclosedQuote(usize),
    /// A backtick is never closed (the split is retried ignoring backticks).
    UnclosedBacktick,
}

impl SplitFailure {
    /// The parse error reported for the failure.
    fn into_error(self) -> ParseError {
        match self {
            SplitFailure::UnclosedQuote(at) => {
                ParseError::new(Span::new(at, at + 1), Expected::ClosingQuote)
            }
            SplitFailure::UnclosedBacktick => {
                ParseError::new(Span::default(), Expected::Token("a closing backtick"))
            }
        }
    }
}

/// The splitting scan; `backticks` says whether backticks protect pipes.
fn split_with(
    text: &str,
    start: usize,
    end: usize,
    backticks: bool,
) -> Result<Vec<Span>, SplitFailure> {
    let slice = text.get(start..end).unwrap_or("");
    let mut segments = Vec::new();
    let mut segment_start = start;
    let mut quote_start: Option<usize> = None;
    let mut in_backtick = false;
    let mut brackets = 0usize;
    let mut parentheses = 0usize;
    let mut escaped = false;
    for (index, c) in slice.char_indices() {
        let offset = start + index;
        if escaped {
            escaped = false;
            continue;
        }
        if c == '\\' {
            escaped = true;
            continue;
        }
        if quote_start.is_some() {
            if c == '"' {
                quote_start = None;
            }
            continue;
        }
        if in_backtick {
            in_backtick = c != '`';
            continue;
        }
        match c {
            '"' => quote_start = Some(offset),
            '`' if backticks => in_backtick = true,
            '[' => brackets += 1,
            ']' => brackets = brackets.saturating_sub(1),
            '(' => parentheses += 1,
            ')' => parentheses = parentheses.saturating_sub(1),
            '|' if brackets == 0 && parentheses == 0 => {
                segments.push(Span::new(segment_start, offset));
                segment_start = offset + 1;
            }
            _ => {}
        }
    }
    if let Some(at) = quote_start {
        return Err(SplitFailure::UnclosedQuote(at));
    }
    if in_backtick {
        return Err(SplitFailure::UnclosedBacktick);
    }
    segments.push(Span::new(segment_start, end));
    Ok(segments)
}

/// The offset of the `]` closing the `[` at `open`, or `None` when it is never closed.
/// Quotes and escapes are respected the same way as in [`split_segments`].
pub(crate) fn matching_bracket(text: &str, open: usize, end: usize) -> Option<usize> {
    let slice = text.get(open..end)?;
    let mut depth = 0usize;
    let mut in_quote = false;
    let mut escaped = false;
    for (index, c) in slice.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '"' => in_quote = !in_quote,
            _ if in_quote => {}
            '[' => depth += 1,
            ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(open + index);
                }
            }
            _ => {}
        }
    }
    None
}
