//! NDJSON: one event per line, blank lines skipped, overlong lines skipped unbuffered.

use super::EventText;
use std::io::BufRead;

/// The lines of one NDJSON file.
pub(super) struct LineSource {
    reader: Box<dyn BufRead>,
    buffer: Vec<u8>,
    line: u64,
    max_line_bytes: usize,
    /// Bytes of the reader's buffer still to consume (the line returned last, read in place).
    pending: usize,
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
            pending: 0,
        }
    }

    /// The reader (positioned after the lines returned so far) and the number of lines read.
    pub(super) fn into_parts(mut self) -> (Box<dyn BufRead>, u64) {
        self.reader.consume(std::mem::take(&mut self.pending));
        (self.reader, self.line)
    }

    /// The next non-blank line (its bytes, not yet checked for UTF-8), a problem, or `None`
    /// at the end. A line found whole in the reader's buffer is returned in place, without
    /// copying.
    pub(super) fn next_line(&mut self) -> std::io::Result<Option<EventText<'_>>> {
        loop {
            self.reader.consume(std::mem::take(&mut self.pending));
            let available = self.reader.fill_buf()?;
            let Some(newline) = memchr::memchr(b'\n', available) else {
                break;
            };
            self.line += 1;
            self.pending = newline + 1;
            let line = trimmed(available.get(..newline).unwrap_or_default());
            let end = line.len();
            let blank = line.iter().all(u8::is_ascii_whitespace);
            if end > self.max_line_bytes {
                // The same length as a line read past without buffering: with its
                // terminator when that is more than two bytes over the limit.
                let whole = newline + 1;
                let length = if whole > self.max_line_bytes.saturating_add(2) {
                    whole
                } else {
                    end
                };
                return Ok(Some(self.too_long(length)));
            }
            if blank {
                continue;
            }
            let available = self.reader.fill_buf()?;
            return Ok(Some(EventText::Bytes {
                line: self.line,
                bytes: available.get(..end).unwrap_or_default(),
            }));
        }
        self.next_line_copied()
    }

    /// The problem of a line of `length` bytes over the limit.
    fn too_long(&self, length: usize) -> EventText<'static> {
        EventText::Problem {
            line: self.line,
            message: format!(
                "line of {length} bytes exceeds the limit of {} bytes",
                self.max_line_bytes
            ),
        }
    }

    /// [`LineSource::next_line`] for a line that crosses the end of the reader's buffer: it
    /// is copied (up to the limit).
    fn next_line_copied(&mut self) -> std::io::Result<Option<EventText<'_>>> {
        loop {
            match self.read_line()? {
                LineRead::End => return Ok(None),
                LineRead::TooLong(length) => {
                    self.line += 1;
                    return Ok(Some(self.too_long(length)));
                }
                LineRead::Line => self.line += 1,
            }
            if !self.buffer.iter().all(u8::is_ascii_whitespace) {
                break;
            }
        }
        Ok(Some(EventText::Bytes {
            line: self.line,
            bytes: &self.buffer,
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

/// `line` without a trailing `\r`.
fn trimmed(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn trim_line_end(line: &mut Vec<u8>) {
    if line.last() == Some(&b'\n') {
        line.pop();
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
}
