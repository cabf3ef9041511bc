//! NDJSON: one event per line, blank lines skipped, overlong lines skipped unbuffered.

use super::EventText;
use std::io::BufRead;

/// The lines of one NDJSON file.
pub(super) struct LineSource {
    reader: Box<dyn BufRead>,
    buffer: Vec<u8>,
    line: u64,
    max_line_bytes: usize,
}

/// The outcome of reading one line into the buffer.
enum LineRead {
    Line,
    TooLong(usize),
    End,
}

impl LineSource {
    /// Lines of `reader`; `skipped_lines` newlines were already consumed.
    pub(super) fn new(reader: Box<dyn BufRead>, max_line_bytes: usize, skipped_lines: u64) -> Self {
        LineSource {
            reader,
            buffer: Vec::new(),
            line: skipped_lines,
            max_line_bytes,
        }
    }

    /// The next non-blank line, a problem, or `None` at the end.
    pub(super) fn next_line(&mut self) -> std::io::Result<Option<EventText<'_>>> {
        loop {
            match self.read_line()? {
                LineRead::End => return Ok(None),
                LineRead::TooLong(length) => {
                    self.line += 1;
                    return Ok(Some(EventText::Problem {
                        line: self.line,
                        message: format!(
                            "line of {length} bytes exceeds the limit of {} bytes",
                            self.max_line_bytes
                        ),
                    }));
                }
                LineRead::Line => self.line += 1,
            }
            if !self.buffer.iter().all(u8::is_ascii_whitespace) {
                break;
            }
        }
        Ok(Some(match std::str::from_utf8(&self.buffer) {
            Ok(text) => EventText::Text {
                line: self.line,
                text,
            },
            Err(error) => EventText::Problem {
                line: self.line,
                message: format!("invalid UTF-8 ({error})"),
            },
        }))
    }

    /// Reads one line without its `\n` or `\r\n` (never buffering much more than the limit;
    /// the limit counts the line without its terminator).
    fn read_line(&mut self) -> std::io::Result<LineRead> {
        self.buffer.clear();
        let mut length = 0usize;
        let mut started = false;
        loop {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                break;
            }
            started = true;
            let newline = memchr::memchr(b'\n', available);
            let take = newline.map_or(available.len(), |i| i + 1);
            length = length.saturating_add(take);
            if length <= self.max_line_bytes.saturating_add(2) {
                self.buffer
                    .extend_from_slice(available.get(..take).unwrap_or_default());
            } else {
                self.buffer.clear();
            }
            self.reader.consume(take);
            if newline.is_some() {
                break;
            }
        }
        if !started {
            return Ok(LineRead::End);
        }
        if length > self.max_line_bytes.saturating_add(2) {
            return Ok(LineRead::TooLong(length));
        }
        trim_line_end(&mut self.buffer);
        if self.buffer.len() > self.max_line_bytes {
            return Ok(LineRead::TooLong(self.buffer.len()));
        }
        Ok(LineRead::Line)
    }
}

fn trim_line_end(line: &mut Vec<u8>) {
    if line.last() == Some(&b'\n') {
        line.pop();
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
}
