//! A position inside the text being parsed, bounded by the end of the current segment.

use super::error::{Expected, ParseError};
use crate::span::Span;

/// Deepest nesting of parentheses, subsearches and unary operators accepted.
pub(crate) const MAX_DEPTH: usize = 64;

/// Reading position over `text[pos..end]`; spans are absolute offsets into `text`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cursor<'a> {
    /// The whole text given to the parser.
    pub text: &'a str,
    /// Current offset.
    pub pos: usize,
    /// Offset where the current segment ends.
    pub end: usize,
    /// Current nesting depth.
    pub depth: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor over `text[start..end]` at nesting `depth`.
    pub fn new(text: &'a str, start: usize, end: usize, depth: usize) -> Cursor<'a> {
        Cursor {
            text,
            pos: start,
            end,
            depth,
        }
    }

    /// The unread part of the segment.
    pub fn rest(&self) -> &'a str {
        self.text.get(self.pos..self.end).unwrap_or("")
    }

    /// The next character, if any.
    pub fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    /// The character after the next one, if any.
    pub fn peek_second(&self) -> Option<char> {
        self.rest().chars().nth(1)
    }

    /// Consumes and returns the next character.
    pub fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// True when nothing is left in the segment.
    pub fn at_end(&self) -> bool {
        self.pos >= self.end
    }

    /// Skips whitespace.
    pub fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    /// True when the unread text starts with `prefix`.
    pub fn starts_with(&self, prefix: &str) -> bool {
        self.rest().starts_with(prefix)
    }

    /// Consumes `prefix` if the unread text starts with it.
    pub fn eat(&mut self, prefix: &str) -> bool {
        if !self.starts_with(prefix) {
            return false;
        }
        self.pos += prefix.len();
        true
    }

    /// True when the unread text starts with the word `keyword` (exact case) followed by a
    /// boundary (whitespace, parenthesis, quote or end).
    pub fn keyword_ahead(&self, keyword: &str) -> bool {
        let rest = self.rest();
        rest.starts_with(keyword) && is_boundary(rest.get(keyword.len()..))
    }

    /// Like [`Cursor::keyword_ahead`] but ignoring ASCII case.
    pub fn keyword_ahead_ignoring_case(&self, keyword: &str) -> bool {
        let rest = self.rest();
        rest.get(..keyword.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(keyword))
            && is_boundary(rest.get(keyword.len()..))
    }

    /// Consumes the keyword (any case) and returns its span when it is next.
    pub fn eat_keyword_ignoring_case(&mut self, keyword: &str) -> Option<Span> {
        if !self.keyword_ahead_ignoring_case(keyword) {
            return None;
        }
        let start = self.pos;
        self.pos += keyword.len();
        Some(Span::new(start, self.pos))
    }

    /// An error at the current position covering the next character (or nothing at the end).
    pub fn error_here(&self, expected: Expected) -> ParseError {
        let width = self.peek().map_or(0, char::len_utf8);
        ParseError::new(Span::new(self.pos, self.pos + width), expected)
    }

    /// Enters one nesting level, failing past [`MAX_DEPTH`].
    pub fn descend(&mut self, at: Span) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError::new(at, Expected::ShallowerNesting));
        }
        Ok(())
    }

    /// Leaves one nesting level.
    pub fn ascend(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
}

/// True when `after` (the text following a keyword) starts with a word boundary.
fn is_boundary(after: Option<&str>) -> bool {
    match after.and_then(|s| s.chars().next()) {
        None => true,
        Some(c) => c.is_whitespace() || matches!(c, '(' | ')' | '"' | '[' | ']'),
    }
}
