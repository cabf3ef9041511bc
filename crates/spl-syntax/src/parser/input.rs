//! The parser's input type: a window `text[pos..end]` of the whole text, so that every
//! span is an absolute offset, carrying the current nesting depth. It implements nom's
//! [`nom::Input`], [`nom::Compare`], [`nom::Offset`] and [`nom::FindSubstring`] traits.

use super::error::{Expected, ParseError};
use crate::span::Span;
use nom::{Compare, CompareResult, FindSubstring, Needed, Offset};
use std::str::{CharIndices, Chars};

/// Deepest nesting of parentheses, subsearches and unary operators accepted.
pub(crate) const MAX_DEPTH: usize = 64;

/// The result of a nom parser over [`Input`] with our [`ParseError`].
pub(crate) type PResult<'a, T> = nom::IResult<Input<'a>, T, ParseError>;

/// Reading position over `text[pos..end]`; spans are absolute offsets into `text`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Input<'a> {
    /// The whole text given to the parser.
    pub text: &'a str,
    /// Current offset.
    pub pos: usize,
    /// Offset where the current segment ends.
    pub end: usize,
    /// Current nesting depth.
    pub depth: usize,
}

impl<'a> Input<'a> {
    /// An input over `text[start..end]` at nesting `depth`.
    pub fn new(text: &'a str, start: usize, end: usize, depth: usize) -> Input<'a> {
        Input {
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

    /// True when nothing is left in the segment.
    pub fn at_end(&self) -> bool {
        self.pos >= self.end
    }

    /// The same input moved `length` bytes forward (bounded by the end).
    pub fn advance(self, length: usize) -> Input<'a> {
        Input {
            pos: (self.pos + length).min(self.end.max(self.pos)),
            ..self
        }
    }

    /// The span from `start` to the current position.
    pub fn span_from(&self, start: usize) -> Span {
        Span::new(start, self.pos.max(start))
    }

    /// An error at the current position covering the next character (or nothing at the end).
    pub fn error_here(&self, expected: Expected) -> ParseError {
        let width = match self.text.as_bytes().get(self.pos) {
            _ if self.at_end() => 0,
            None => 0,
            Some(byte) if *byte < 0x80 => 1,
            Some(_) => self.peek().map_or(0, char::len_utf8),
        };
        ParseError::new(Span::new(self.pos, self.pos + width), expected)
    }

    /// The input one nesting level deeper; a failure (`too_deep` at `at`) past [`MAX_DEPTH`].
    pub fn deeper(self, at: Span) -> Result<Input<'a>, nom::Err<ParseError>> {
        if self.depth + 1 > MAX_DEPTH {
            return Err(nom::Err::Failure(ParseError::new(
                at,
                Expected::ShallowerNesting,
            )));
        }
        Ok(Input {
            depth: self.depth + 1,
            ..self
        })
    }

    /// The input back at the nesting depth of `outer`.
    pub fn shallower(self, outer: &Input) -> Input<'a> {
        Input {
            depth: outer.depth,
            ..self
        }
    }
}

impl<'a> nom::Input for Input<'a> {
    type Item = char;
    type Iter = Chars<'a>;
    type IterIndices = CharIndices<'a>;

    fn input_len(&self) -> usize {
        self.rest().len()
    }

    fn take(&self, index: usize) -> Self {
        Input {
            end: (self.pos + index).min(self.end),
            ..*self
        }
    }

    fn take_from(&self, index: usize) -> Self {
        self.advance(index)
    }

    fn take_split(&self, index: usize) -> (Self, Self) {
        (self.take_from(index), self.take(index))
    }

    fn position<P>(&self, predicate: P) -> Option<usize>
    where
        P: Fn(Self::Item) -> bool,
    {
        self.rest().find(predicate)
    }

    fn iter_elements(&self) -> Self::Iter {
        self.rest().chars()
    }

    fn iter_indices(&self) -> Self::IterIndices {
        self.rest().char_indices()
    }

    fn slice_index(&self, count: usize) -> Result<usize, Needed> {
        self.rest().slice_index(count)
    }
}

impl<'b> Compare<&'b str> for Input<'_> {
    fn compare(&self, other: &'b str) -> CompareResult {
        self.rest().compare(other)
    }

    fn compare_no_case(&self, other: &'b str) -> CompareResult {
        self.rest().compare_no_case(other)
    }
}

impl Offset for Input<'_> {
    fn offset(&self, second: &Self) -> usize {
        second.pos.saturating_sub(self.pos)
    }
}

impl<'b> FindSubstring<&'b str> for Input<'_> {
    fn find_substring(&self, substring: &'b str) -> Option<usize> {
        self.rest().find(substring)
    }
}
