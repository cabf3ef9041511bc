//! NDJSON in chunks of whole lines, for parsing on several threads.
//!
//! A [`ChunkReader`] reads straight into each chunk's buffer (no intermediate copy beyond the
//! partial last line carried to the next chunk) and cuts it after the first line that ends at
//! or beyond [`ChunkReader::new`]'s `chunk_bytes` (so a chunk of a few bytes holds one line).
//! A line longer than the line limit is not buffered: it is read past and left as a
//! [`LongLine`] marker, so memory stays bounded by about `chunk_bytes` + the line limit per
//! chunk. Chunk boundaries never change what the lines mean: [`Lines`] walks a chunk and
//! gives the same lines, markers and line numbers whatever the chunk size.

use std::io::BufRead;

/// Smallest read when a chunk needs more data: at least the size of the reader's own buffer
/// (`input::BUFFER_BYTES`), so that the read goes straight into the chunk instead of
/// through that buffer.
const MIN_READ_BYTES: usize = 1024 * 1024;

/// A line over the limit that was read past, not buffered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LongLine {
    /// Where the line would start in [`Chunk::bytes`].
    pub(crate) offset: usize,
    /// Its length with its line terminator, as the problem reports it.
    pub(crate) length: usize,
}

/// Whole lines of an NDJSON file.
#[derive(Debug, Default)]
pub(crate) struct Chunk {
    /// The lines, each ending in `\n` except possibly the file's last.
    pub(crate) bytes: Vec<u8>,
    /// Overlong lines between them, in order of offset.
    pub(crate) long_lines: Vec<LongLine>,
}

impl Chunk {
    fn clear(&mut self) {
        self.bytes.clear();
        self.long_lines.clear();
    }

    fn is_empty(&self) -> bool {
        self.bytes.is_empty() && self.long_lines.is_empty()
    }
}

/// Cuts a reader into [`Chunk`]s.
pub(crate) struct ChunkReader {
    reader: Box<dyn BufRead>,
    chunk_bytes: usize,
    max_line_bytes: usize,
    /// Bytes read after the last cut (they belong to the next chunk).
    carry: Chunk,
    finished: bool,
}

impl ChunkReader {
    /// Chunks of about `chunk_bytes` (at least one line each) from `reader`; lines longer
    /// than `max_line_bytes` become [`LongLine`] markers.
    pub(crate) fn new(
        reader: Box<dyn BufRead>,
        chunk_bytes: usize,
        max_line_bytes: usize,
    ) -> ChunkReader {
        ChunkReader {
            reader,
            chunk_bytes: chunk_bytes.max(1),
            max_line_bytes,
            carry: Chunk::default(),
            finished: false,
        }
    }

    /// Fills `chunk` with the next lines; false (and an empty chunk) at the end. Each byte
    /// is searched for newlines once, so a line of any length costs linear time.
    pub(crate) fn fill(&mut self, chunk: &mut Chunk) -> std::io::Result<bool> {
        chunk.clear();
        chunk.bytes.extend_from_slice(&self.carry.bytes);
        chunk.long_lines.append(&mut self.carry.long_lines);
        self.carry.clear();
        // `searched`: bytes already looked at; `line_start`: after the last newline in them.
        let mut searched = 0;
        let mut line_start = 0;
        loop {
            let fresh = chunk.bytes.get(searched..).unwrap_or_default();
            if let Some(at) = memchr::memrchr(b'\n', fresh) {
                line_start = searched + at + 1;
            }
            if let Some(cut) = self.cut(&chunk.bytes, searched, line_start) {
                self.split_off(chunk, cut);
                return Ok(true);
            }
            searched = chunk.bytes.len();
            if self.finished {
                return Ok(!chunk.is_empty());
            }
            if chunk.bytes.len() - line_start > self.max_line_bytes.saturating_add(2) {
                self.read_past_long_line(chunk, line_start)?;
                searched = line_start;
                continue;
            }
            let want = self
                .chunk_bytes
                .saturating_sub(chunk.bytes.len())
                .max(MIN_READ_BYTES);
            if self.read_more(&mut chunk.bytes, want)? == 0 {
                self.finished = true;
            }
        }
    }

    /// Where to end the chunk: after the first line ending at or beyond `chunk_bytes`, or,
    /// when the data reaches that size but that line is incomplete, after the last complete
    /// line (`line_start`). Bytes before `searched` are known not to hold the first kind.
    fn cut(&self, bytes: &[u8], searched: usize, line_start: usize) -> Option<usize> {
        let from = (self.chunk_bytes - 1).max(searched);
        if let Some(at) = bytes
            .get(from..)
            .and_then(|rest| memchr::memchr(b'\n', rest))
        {
            return Some(from + at + 1);
        }
        if bytes.len() < self.chunk_bytes || line_start == 0 {
            return None;
        }
        Some(line_start)
    }

    /// Moves everything after `cut` to the carry.
    fn split_off(&mut self, chunk: &mut Chunk, cut: usize) {
        self.carry.clear();
        self.carry
            .bytes
            .extend_from_slice(chunk.bytes.get(cut..).unwrap_or_default());
        chunk.bytes.truncate(cut);
        let first_carried = chunk.long_lines.partition_point(|long| long.offset < cut);
        for long in chunk.long_lines.drain(first_carried..) {
            self.carry.long_lines.push(LongLine {
                offset: long.offset - cut,
                length: long.length,
            });
        }
    }

    /// Appends up to `want` bytes read from the reader; the number read (0 at the end). The
    /// space is zeroed first (safe code cannot read into uninitialised memory); a memset
    /// costs less than the copy a smaller read through the reader's buffer would.
    fn read_more(&mut self, bytes: &mut Vec<u8>, want: usize) -> std::io::Result<usize> {
        let start = bytes.len();
        bytes.resize(start + want, 0);
        let mut filled = 0;
        while filled < want {
            let Some(target) = bytes.get_mut(start + filled..) else {
                break;
            };
            match self.reader.read(target) {
                Ok(0) => break,
                Ok(read) => filled += read,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(error) => {
                    bytes.truncate(start + filled);
                    return Err(error);
                }
            }
        }
        bytes.truncate(start + filled);
        Ok(filled)
    }

    /// The line starting at `line_start` is over the limit: drop what was buffered of it,
    /// read past its end without buffering, and leave a marker with its length.
    fn read_past_long_line(&mut self, chunk: &mut Chunk, line_start: usize) -> std::io::Result<()> {
        let mut length = chunk.bytes.len() - line_start;
        chunk.bytes.truncate(line_start);
        loop {
            let read = self.read_more(&mut chunk.bytes, MIN_READ_BYTES)?;
            if read == 0 {
                self.finished = true;
                break;
            }
            let fresh = chunk.bytes.get(line_start..).unwrap_or_default();
            if let Some(at) = memchr::memchr(b'\n', fresh) {
                length += at + 1;
                chunk.bytes.drain(line_start..=line_start + at);
                break;
            }
            length += fresh.len();
            chunk.bytes.truncate(line_start);
        }
        chunk.long_lines.push(LongLine {
            offset: line_start,
            length,
        });
        Ok(())
    }
}

/// One line of a chunk, as [`Lines`] yields it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line<'a> {
    /// A line's bytes without `\n` or `\r\n` (possibly blank), and the terminator's length.
    Text(&'a [u8], usize),
    /// A line over the limit, of this length (terminator included).
    TooLong(usize),
}

/// The lines of a chunk in order, overlong markers included.
pub(crate) struct Lines<'a> {
    bytes: &'a [u8],
    long_lines: &'a [LongLine],
    position: usize,
}

impl<'a> Lines<'a> {
    /// The lines of `chunk`.
    pub(crate) fn new(chunk: &'a Chunk) -> Lines<'a> {
        Lines::of(&chunk.bytes, &chunk.long_lines)
    }

    /// The lines of `bytes` (whole lines, each ending in `\n` except possibly the last) with
    /// the overlong lines `long_lines` between them (in order of offset in `bytes`).
    pub(crate) fn of(bytes: &'a [u8], long_lines: &'a [LongLine]) -> Lines<'a> {
        Lines {
            bytes,
            long_lines,
            position: 0,
        }
    }
}

impl<'a> Lines<'a> {
    /// Every byte of the text lines (overlong lines are not in it).
    pub(crate) fn block(&self) -> &'a [u8] {
        self.bytes
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;

    fn next(&mut self) -> Option<Line<'a>> {
        if let Some((long, rest)) = self.long_lines.split_first() {
            if long.offset <= self.position {
                self.long_lines = rest;
                return Some(Line::TooLong(long.length));
            }
        }
        let rest = self.bytes.get(self.position..).filter(|r| !r.is_empty())?;
        let (line, advance) = match memchr::memchr(b'\n', rest) {
            Some(at) => (rest.get(..at).unwrap_or_default(), at + 1),
            None => (rest, rest.len()),
        };
        self.position += advance;
        let trimmed = line.strip_suffix(b"\r").unwrap_or(line);
        Some(Line::Text(trimmed, advance - trimmed.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &str, chunk_bytes: usize, max_line_bytes: usize) -> Vec<Vec<String>> {
        let reader: Box<dyn BufRead> = Box::new(std::io::Cursor::new(text.as_bytes().to_vec()));
        let mut chunks = ChunkReader::new(reader, chunk_bytes, max_line_bytes);
        let mut chunk = Chunk::default();
        let mut out = Vec::new();
        while chunks.fill(&mut chunk).expect("reads") {
            out.push(
                Lines::new(&chunk)
                    .map(|line| match line {
                        // Lines buffered whole are checked against the limit by the parser.
                        Line::Text(text, terminator) if text.len() > max_line_bytes => {
                            format!("<{}>", text.len() + terminator)
                        }
                        Line::Text(text, _) => String::from_utf8_lossy(text).into_owned(),
                        Line::TooLong(length) => format!("<{length}>"),
                    })
                    .collect(),
            );
        }
        out
    }

    #[test]
    fn tiny_chunks_hold_one_line_each() {
        let chunks = lines_of("a\r\nbb\n\nccc", 1, 100);
        assert_eq!(chunks, [vec!["a"], vec!["bb"], vec![""], vec!["ccc"]]);
    }

    #[test]
    fn large_chunks_hold_every_line() {
        let chunks = lines_of("a\nbb\n\nccc\n", 1 << 20, 100);
        assert_eq!(chunks, [vec!["a", "bb", "", "ccc"]]);
    }

    #[test]
    fn chunks_end_after_the_line_crossing_the_size() {
        let chunks = lines_of("aaaa\nbbbb\ncccc\n", 7, 100);
        assert_eq!(chunks, [vec!["aaaa", "bbbb"], vec!["cccc"]]);
    }

    #[test]
    fn overlong_lines_become_markers_with_their_length() {
        let long = "x".repeat(200_000);
        let text = format!("a\n{long}\r\nb\n{long}");
        for chunk_bytes in [1, 3, 1 << 20] {
            let lines: Vec<String> = lines_of(&text, chunk_bytes, 10).concat();
            // Lengths count the terminator (`\r\n` for the first, none at the end).
            assert_eq!(lines, ["a", "<200002>", "b", "<200000>"], "{chunk_bytes}");
        }
    }

    #[test]
    fn nothing_gives_no_chunk() {
        assert!(lines_of("", 10, 10).is_empty());
    }
}
