//! Where each byte of the expanded text came from.
//!
//! Expansion builds the output from *pieces*: runs of bytes copied from one place. A piece
//! copied from the input maps byte for byte to the input; a piece copied from a macro's
//! definition maps byte for byte into that definition, and as a whole to the span of the
//! outermost macro call in the input (the place a user can edit).

use crate::diagnostic::Diagnostic;
use crate::span::Span;

/// Where a piece of text was copied from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Provenance {
    /// From the input; `offset` is the input offset of the piece's first byte.
    Input { offset: usize },
    /// From the definition of the macro call `frame`; `offset` is the definition offset of
    /// the piece's first byte.
    Macro { frame: usize, offset: usize },
}

impl Provenance {
    /// The provenance of the byte `distance` bytes further on.
    fn advanced(self, distance: usize) -> Provenance {
        match self {
            Provenance::Input { offset } => Provenance::Input {
                offset: offset + distance,
            },
            Provenance::Macro { frame, offset } => Provenance::Macro {
                frame,
                offset: offset + distance,
            },
        }
    }
}

/// A run of bytes `start..end` of some text, all copied from one place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Piece {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) provenance: Provenance,
}

/// One expanded macro call.
#[derive(Clone, Debug)]
pub(crate) struct Frame {
    pub(crate) name: String,
    pub(crate) origin: String,
    pub(crate) definition: String,
    /// Span of the outermost call in the input.
    pub(crate) call_span: Span,
    /// The frame whose definition contained this call, if any.
    pub(crate) parent: Option<usize>,
}

/// Text being built together with its pieces.
#[derive(Clone, Debug, Default)]
pub(crate) struct MappedText {
    pub(crate) text: String,
    pub(crate) pieces: Vec<Piece>,
}

impl MappedText {
    /// `text` copied wholly from one place.
    pub(crate) fn single(text: &str, provenance: Provenance) -> MappedText {
        let mut mapped = MappedText::default();
        mapped.push(text, provenance);
        mapped
    }

    /// Appends `text`, copied from `provenance`.
    pub(crate) fn push(&mut self, text: &str, provenance: Provenance) {
        if text.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(text);
        let end = self.text.len();
        if let Some(last) = self.pieces.last_mut() {
            if last.end == start && last.provenance.advanced(last.end - last.start) == provenance {
                last.end = end;
                return;
            }
        }
        self.pieces.push(Piece {
            start,
            end,
            provenance,
        });
    }

    /// Appends bytes `range` of `source`, keeping their provenance.
    pub(crate) fn push_slice(&mut self, source: &MappedText, range: Span) {
        let first = source.pieces.partition_point(|p| p.end <= range.start);
        for piece in source.pieces.iter().skip(first) {
            if piece.start >= range.end {
                break;
            }
            let start = piece.start.max(range.start);
            let end = piece.end.min(range.end);
            let Some(text) = source.text.get(start..end) else {
                continue;
            };
            self.push(text, piece.provenance.advanced(start - piece.start));
        }
    }

    /// The piece holding byte `offset`; the last piece for the end of the text.
    pub(crate) fn piece_at(&self, offset: usize) -> Option<&Piece> {
        let index = self.pieces.partition_point(|p| p.end <= offset);
        self.pieces.get(index).or_else(|| self.pieces.last())
    }
}

/// Maps spans of expanded text back to the original input.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    pieces: Vec<Piece>,
    frames: Vec<Frame>,
    input_len: usize,
}

/// Where a span of the expanded text came from, as told by [`SourceMap::locate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// Copied from the input (the detection's search text).
    Input(Span),
    /// Copied from a macro definition.
    Macro(MacroLocation),
}

/// A place inside a macro definition, and the call in the input that brought it in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MacroLocation {
    /// The macro's name.
    pub name: String,
    /// Where the macro was defined (a file path, or `built-in`).
    pub origin: String,
    /// The macro's definition text, as written (before `$arg$` substitution).
    pub definition: String,
    /// The span inside [`MacroLocation::definition`].
    pub definition_span: Span,
    /// The span of the outermost macro call in the input.
    pub call_span: Span,
    /// Names of the macros from the outermost call to this one (`["a", "b"]` when `a`'s
    /// definition calls `b`).
    pub call_chain: Vec<String>,
}

impl SourceMap {
    pub(crate) fn new(mapped: &MappedText, frames: Vec<Frame>, input_len: usize) -> SourceMap {
        SourceMap {
            pieces: mapped.pieces.clone(),
            frames,
            input_len,
        }
    }

    fn piece_at(&self, offset: usize) -> Option<&Piece> {
        let index = self.pieces.partition_point(|p| p.end <= offset);
        self.pieces.get(index).or_else(|| self.pieces.last())
    }

    /// The input span covering the byte at `offset` of the expanded text.
    fn input_span_of_byte(&self, offset: usize, empty: bool) -> Span {
        let Some(piece) = self.piece_at(offset) else {
            return Span::new(self.input_len, self.input_len);
        };
        match piece.provenance {
            Provenance::Input { offset: input } => {
                let position = input
                    + offset
                        .saturating_sub(piece.start)
                        .min(piece.end - piece.start);
                Span::new(position, if empty { position } else { position + 1 })
            }
            Provenance::Macro { frame, .. } => self
                .frames
                .get(frame)
                .map_or(Span::new(self.input_len, self.input_len), |f| f.call_span),
        }
    }

    /// The span in the original input that produced `span` of the expanded text. Text that
    /// came from a macro maps to the span of the outermost call.
    pub fn to_input_span(&self, span: Span) -> Span {
        if span.is_empty() {
            return self.input_span_of_byte(span.start, true);
        }
        let first = self.input_span_of_byte(span.start, false);
        let last = self.input_span_of_byte(span.end - 1, false);
        first.to(last)
    }

    /// Where `span` of the expanded text came from, judged by its first byte. A span from a
    /// macro reports the definition bytes it covers (up to the end of the run copied from that
    /// definition) and the outermost call in the input, for a second label at the call site.
    pub fn locate(&self, span: Span) -> Location {
        let Some(piece) = self.piece_at(span.start) else {
            return Location::Input(self.to_input_span(span));
        };
        let Provenance::Macro { frame, offset } = piece.provenance else {
            return Location::Input(self.to_input_span(span));
        };
        let Some(called) = self.frames.get(frame) else {
            return Location::Input(self.to_input_span(span));
        };
        let start = offset + span.start.saturating_sub(piece.start);
        let end = offset + span.end.min(piece.end).saturating_sub(piece.start);
        Location::Macro(MacroLocation {
            name: called.name.clone(),
            origin: called.origin.clone(),
            definition: called.definition.clone(),
            definition_span: Span::new(start, end.max(start)),
            call_span: called.call_span,
            call_chain: self.call_chain(frame),
        })
    }

    /// `diagnostic` (whose spans are in the expanded text) with its spans moved to the input.
    /// When the primary span came from a macro it now marks the outermost call, and the help
    /// says which macro and which part of its definition the problem is in.
    pub fn map_diagnostic(&self, mut diagnostic: Diagnostic) -> Diagnostic {
        for label in &mut diagnostic.labels {
            label.span = self.to_input_span(label.span);
        }
        let Some(span) = diagnostic.span else {
            return diagnostic;
        };
        diagnostic.span = Some(self.to_input_span(span));
        let Location::Macro(location) = self.locate(span) else {
            return diagnostic;
        };
        let excerpt = location
            .definition
            .get(location.definition_span.start..location.definition_span.end)
            .unwrap_or("");
        let context = format!(
            "the problem is at `{excerpt}` in the definition of macro `{}` ({}): {}",
            location.call_chain.join(" -> "),
            location.origin,
            location.definition
        );
        diagnostic.help = Some(match diagnostic.help.take() {
            Some(help) => format!("{help}; {context}"),
            None => context,
        });
        diagnostic
    }

    fn call_chain(&self, frame: usize) -> Vec<String> {
        let mut chain = Vec::new();
        let mut current = Some(frame);
        while let Some(index) = current {
            let Some(called) = self.frames.get(index) else {
                break;
            };
            chain.push(called.name.clone());
            current = called.parent;
        }
        chain.reverse();
        chain
    }
}
