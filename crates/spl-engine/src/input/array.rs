//! A JSON array document: each element is one event, `_raw` its exact text.
//!
//! The document is read whole; element boundaries are found by a bracket-and-string-aware
//! scan, and each element is then parsed strictly by the event extractor. A broken array
//! structure (missing `,`) ends the file with one problem.

use super::EventText;
use std::io::{BufRead, Read};

/// The elements of one JSON array file.
pub(super) struct ArraySource {
    text: Result<String, String>,
    cursor: Cursor,
}

/// Where the scan is in the document.
struct Cursor {
    position: usize,
    line: u64,
    done: bool,
    /// No element has been read yet.
    first: bool,
    /// A problem found after the last element, reported on the next call.
    pending: Option<String>,
}

impl ArraySource {
    /// Reads the document; `skipped_lines` newlines were already consumed.
    pub(super) fn read(mut reader: Box<dyn BufRead>, skipped_lines: u64) -> std::io::Result<Self> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes)?;
        let text =
            String::from_utf8(bytes).map_err(|e| format!("invalid UTF-8 ({})", e.utf8_error()));
        Ok(ArraySource {
            text,
            cursor: Cursor {
                position: 1,
                line: skipped_lines + 1,
                done: false,
                first: true,
                pending: None,
            },
        })
    }

    /// The next element, a problem, or `None` at the end.
    pub(super) fn next_element(&mut self) -> std::io::Result<Option<EventText<'_>>> {
        let cursor = &mut self.cursor;
        if let Some(message) = cursor.pending.take() {
            return Ok(Some(cursor.problem(message)));
        }
        if cursor.done {
            return Ok(None);
        }
        let text = match &self.text {
            Ok(text) => text.as_str(),
            Err(message) => {
                cursor.done = true;
                return Ok(Some(cursor.problem(message.clone())));
            }
        };
        let bytes = text.as_bytes();
        cursor.skip_whitespace(bytes);
        if std::mem::take(&mut cursor.first) && bytes.get(cursor.position) == Some(&b']') {
            cursor.finish(bytes);
            return Ok(cursor.pending.take().map(|m| cursor.problem(m)));
        }
        let start = cursor.position;
        let start_line = cursor.line;
        let Some(end) = element_end(bytes, start) else {
            cursor.done = true;
            return Ok(Some(cursor.problem("unterminated JSON array".into())));
        };
        if end == start {
            cursor.done = true;
            return Ok(Some(cursor.problem("expected an array element".into())));
        }
        cursor.line +=
            memchr::memchr_iter(b'\n', bytes.get(start..end).unwrap_or_default()).count() as u64;
        cursor.position = end;
        cursor.skip_whitespace(bytes);
        match bytes.get(cursor.position) {
            Some(b',') => cursor.position += 1,
            Some(b']') => cursor.finish(bytes),
            _ => {
                cursor.done = true;
                return Ok(Some(
                    cursor.problem("expected `,` or `]` in the array".into()),
                ));
            }
        }
        let element = text.get(start..end).unwrap_or_default();
        Ok(Some(EventText::Text {
            line: start_line,
            text: element,
        }))
    }
}

impl Cursor {
    /// Ends at the closing `]`; text after it becomes a pending problem.
    fn finish(&mut self, bytes: &[u8]) {
        self.done = true;
        self.position += 1;
        self.skip_whitespace(bytes);
        if self.position < bytes.len() {
            self.pending = Some("unexpected text after the JSON array".into());
        }
    }

    fn problem(&self, message: String) -> EventText<'static> {
        EventText::Problem {
            line: self.line,
            message,
        }
    }

    fn skip_whitespace(&mut self, bytes: &[u8]) {
        while let Some(&byte) = bytes.get(self.position) {
            if !byte.is_ascii_whitespace() {
                break;
            }
            if byte == b'\n' {
                self.line += 1;
            }
            self.position += 1;
        }
    }
}

/// The end offset of the element starting at `start`: after its closing bracket or quote, or
/// at the first top-level `,`, `]` or whitespace. `None` when the document ends inside it.
fn element_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut index = start;
    while let Some(&byte) = bytes.get(index) {
        if in_string {
            match byte {
                b'\\' => index += 1,
                b'"' => {
                    in_string = false;
                    if depth == 0 {
                        return Some(index + 1);
                    }
                }
                _ => {}
            }
            index += 1;
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                if depth == 0 {
                    return Some(index);
                }
                depth -= 1;
                if depth == 0 {
                    return Some(index + 1);
                }
            }
            b',' if depth == 0 => return Some(index),
            byte if depth == 0 && byte.is_ascii_whitespace() => return Some(index),
            _ => {}
        }
        index += 1;
    }
    None
}
