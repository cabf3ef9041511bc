//! Plain NDJSON files read in fixed byte ranges with positional reads, so that several
//! threads read (and the operating system copies) different parts of one file at once.
//!
//! The text after the leading whitespace (from [`PlainFile::start`] to the length the file
//! had when it was opened) is cut into ranges of `range_bytes`. A range **owns the lines that
//! start in it**: the first range owns the line at its start; any other range skips the
//! bytes up to the first `\n` at or after the byte before it (they finish a line the previous
//! range owns). The last line a range owns is read past the range's end up to its `\n` (or
//! the end of the file). So every line is read by exactly one range, whole, and the lines of
//! the ranges in order are the lines of the file: a range inside a long line owns nothing.
//!
//! A range's text is what [`Lines`] walks, as for [`super::chunks::ChunkReader`]'s chunks: a
//! line longer than the line limit that crosses the range's end is read past without being
//! buffered and left as a [`LongLine`] marker (lines inside the range are buffered anyway
//! and reported by the parser with the same length).
//!
//! Lines that start after the length seen at opening are not read (a file that grows while
//! it is read is read as it was, plus the rest of its last line); a file that shrinks ends
//! early, as if it ended there. Buffers are reused at their size, so their bytes are not
//! zeroed again for every range.

use super::chunks::{Lines, LongLine};
use std::fs::File;
use std::ops::Range;

/// Reads are aligned to pages of this size (see [`aligned_start`]).
const ALIGN_BYTES: u64 = 4096;

/// Bytes read past a range's end at once, to finish its last line without a second read.
const LOOKAHEAD_BYTES: usize = 8 * 1024;

/// Smallest and largest further read when a range's last line is not finished yet.
const MORE_BYTES: Range<usize> = 4 * 1024..1024 * 1024;

/// A plain (uncompressed) regular file whose lines can be read in ranges.
#[derive(Debug)]
pub(crate) struct PlainFile {
    /// The file (only positional reads are made, so it can be shared by threads).
    pub(crate) file: File,
    /// Where the text starts: after the leading whitespace format detection consumed.
    pub(crate) start: u64,
    /// The file's length when it was opened.
    pub(crate) length: u64,
}

impl PlainFile {
    /// `file` read in ranges from `start`, when positional reads are available on this
    /// platform (`None` otherwise: it is then read through a reader).
    pub(crate) fn new(file: File, start: u64, length: u64) -> Option<PlainFile> {
        cfg!(any(unix, windows)).then_some(PlainFile {
            file,
            start,
            length,
        })
    }
}

/// The lines one range owns, in a buffer reused from range to range.
#[derive(Debug, Default)]
pub(crate) struct RangeText {
    /// Bytes read (kept at their length between ranges, so that they are not zeroed again).
    buffer: Vec<u8>,
    /// The owned lines in `buffer`.
    text: Range<usize>,
    /// Overlong lines read past, by offset in the text.
    long_lines: Vec<LongLine>,
}

impl RangeText {
    /// The lines of the text, overlong markers included.
    pub(crate) fn lines(&self) -> Lines<'_> {
        let bytes = self.buffer.get(self.text.clone()).unwrap_or_default();
        Lines::of(bytes, &self.long_lines)
    }

    /// `buffer[at..at + length]`, growing the buffer first if it is too short.
    fn space(&mut self, at: usize, length: usize) -> &mut [u8] {
        let end = at.saturating_add(length);
        if self.buffer.len() < end {
            self.buffer.resize(end, 0);
        }
        self.buffer.get_mut(at..end).unwrap_or_default()
    }

    /// Gives back memory a very long line left behind (more than `keep` bytes).
    fn shrink(&mut self, keep: usize) {
        if self.buffer.len() > keep {
            self.buffer.truncate(keep);
            self.buffer.shrink_to(keep);
        }
    }
}

/// Where the first read of a range stands (indexes into the buffer).
struct Read {
    /// The file offset of `buffer[0]`.
    from: u64,
    /// Where the first line the range owns starts.
    text_start: usize,
    /// The range's last byte.
    last_byte: usize,
    /// Bytes read.
    filled: usize,
    /// The read stopped at the end of the file.
    ended: bool,
}

/// Cuts a [`PlainFile`] into ranges and reads them.
pub(crate) struct RangeReader<'a> {
    file: &'a PlainFile,
    range_bytes: u64,
    max_line_bytes: usize,
}

impl<'a> RangeReader<'a> {
    /// Ranges of `range_bytes` (at least 1) of `file`; lines longer than `max_line_bytes`
    /// that cross a range's end become [`LongLine`] markers.
    pub(crate) fn new(file: &'a PlainFile, range_bytes: usize, max_line_bytes: usize) -> Self {
        RangeReader {
            file,
            range_bytes: u64::try_from(range_bytes.max(1)).unwrap_or(u64::MAX),
            max_line_bytes,
        }
    }

    /// The number of ranges.
    pub(crate) fn ranges(&self) -> u64 {
        let text = self.file.length.saturating_sub(self.file.start);
        text.div_ceil(self.range_bytes)
    }

    /// Reads the lines range `index` owns into `into` (nothing past the last range).
    pub(crate) fn read(&self, index: u64, into: &mut RangeText) -> std::io::Result<()> {
        into.text = 0..0;
        into.long_lines.clear();
        let range_bytes = usize::try_from(self.range_bytes).unwrap_or(usize::MAX);
        into.shrink(range_bytes.saturating_mul(4).max(1 << 22));
        let Some((first, end)) = self.bounds(index) else {
            return Ok(());
        };
        let lookahead = LOOKAHEAD_BYTES.min(range_bytes);
        let most = to_usize(end - first) + lookahead + to_usize(ALIGN_BYTES);
        let from = aligned_start(first, into.space(0, most));
        let first_at = to_usize(first - from);
        let last_byte = to_usize(end - 1 - from);
        let wanted = last_byte + 1 + lookahead;
        let filled = self.fill(into, from, 0, wanted)?;
        let text_start = if index == 0 {
            first_at
        } else {
            // The first line starts after the first `\n` from the byte before the range on.
            let before_last = into.buffer.get(first_at..last_byte.min(filled));
            match before_last.and_then(|bytes| memchr::memchr(b'\n', bytes)) {
                Some(at) => first_at + at + 1,
                None => return Ok(()),
            }
        };
        let read = Read {
            from,
            text_start,
            last_byte,
            filled,
            ended: filled < wanted,
        };
        self.finish_last_line(into, read)
    }

    /// The first byte range `index` looks at (the byte before it, or the start of the text
    /// for the first range) and the end of the range; `None` past the last range.
    fn bounds(&self, index: u64) -> Option<(u64, u64)> {
        let begin = index
            .checked_mul(self.range_bytes)
            .and_then(|offset| offset.checked_add(self.file.start))
            .filter(|begin| *begin < self.file.length)?;
        let end = begin.saturating_add(self.range_bytes).min(self.file.length);
        let first = if index == 0 { begin } else { begin - 1 };
        Some((first, end))
    }

    /// Reads on until the last line starting in the range ends: at the first `\n` from the
    /// range's last byte on, or at the end of the file. Sets the text.
    fn finish_last_line(&self, into: &mut RangeText, read: Read) -> std::io::Result<()> {
        let Read {
            from,
            text_start,
            last_byte,
            mut filled,
            mut ended,
        } = read;
        let mut searched = last_byte.min(filled);
        let line_start = last_line_start(&into.buffer, text_start, searched);
        loop {
            let fresh = into.buffer.get(searched..filled).unwrap_or_default();
            if let Some(at) = memchr::memchr(b'\n', fresh) {
                into.text = text_start..searched + at + 1;
                return Ok(());
            }
            if ended {
                into.text = text_start..filled;
                return Ok(());
            }
            if filled - line_start > self.max_line_bytes.saturating_add(2) {
                return self.read_past(into, from, text_start..line_start, filled);
            }
            searched = filled;
            let more = filled.clamp(MORE_BYTES.start, MORE_BYTES.end);
            let read = self.fill(into, from, filled, more)?;
            filled += read;
            ended = read < more;
        }
    }

    /// The text is `text` and the line after it, of which `filled - text.end` bytes were
    /// read, is over the limit: reads past its end without keeping it and leaves a marker.
    fn read_past(
        &self,
        into: &mut RangeText,
        from: u64,
        text: Range<usize>,
        filled: usize,
    ) -> std::io::Result<()> {
        let line_start = text.end;
        let mut length = filled - line_start;
        let mut offset = from.saturating_add(to_u64(filled));
        loop {
            let block = self.fill_at(into, offset, line_start, MORE_BYTES.end)?;
            let read = into.buffer.get(line_start..line_start + block);
            if let Some(at) = read.and_then(|bytes| memchr::memchr(b'\n', bytes)) {
                length += at + 1;
                break;
            }
            length += block;
            if block < MORE_BYTES.end {
                break;
            }
            offset = offset.saturating_add(to_u64(block));
        }
        into.text = text;
        into.long_lines.push(LongLine {
            offset: line_start - into.text.start,
            length,
        });
        Ok(())
    }

    /// Reads up to `length` bytes at file offset `from + at` into `buffer[at..]`; the number
    /// read (fewer only at the end of the file).
    fn fill(
        &self,
        into: &mut RangeText,
        from: u64,
        at: usize,
        length: usize,
    ) -> std::io::Result<usize> {
        self.fill_at(into, from.saturating_add(to_u64(at)), at, length)
    }

    /// Reads up to `length` bytes at file offset `offset` into `buffer[at..]`.
    fn fill_at(
        &self,
        into: &mut RangeText,
        offset: u64,
        at: usize,
        length: usize,
    ) -> std::io::Result<usize> {
        let target = into.space(at, length);
        let mut filled = 0;
        while let Some(rest) = target.get_mut(filled..).filter(|rest| !rest.is_empty()) {
            match read_at(&self.file.file, rest, offset.saturating_add(to_u64(filled))) {
                Ok(0) => break,
                Ok(read) => filled += read,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
        Ok(filled)
    }
}

/// Where to start reading so that `first` is read and the file offsets fall on the same
/// place within a page as their places in `buffer`: the kernel copies several times
/// faster then (measured: 2 against 10 GB/s when they are one byte apart).
fn aligned_start(first: u64, buffer: &[u8]) -> u64 {
    let address = to_u64(buffer.as_ptr().addr()) % ALIGN_BYTES;
    let behind = (first % ALIGN_BYTES + ALIGN_BYTES - address) % ALIGN_BYTES;
    // Near the start of the file there may be no such offset before `first`.
    first.saturating_sub(behind)
}

/// Where the last line starting in `buffer[text_start..until]` starts.
fn last_line_start(buffer: &[u8], text_start: usize, until: usize) -> usize {
    let searched = buffer.get(text_start..until).unwrap_or_default();
    memchr::memrchr(b'\n', searched).map_or(text_start, |at| text_start + at + 1)
}

fn to_usize(value: u64) -> usize {
    usize::try_from(value).unwrap_or(usize::MAX)
}

fn to_u64(value: usize) -> u64 {
    u64::try_from(value).unwrap_or(u64::MAX)
}

#[cfg(unix)]
fn read_at(file: &File, buffer: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buffer, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buffer: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buffer, offset)
}

/// Never called: [`PlainFile::new`] gives no file to read in ranges on other platforms.
#[cfg(not(any(unix, windows)))]
fn read_at(_file: &File, _buffer: &mut [u8], _offset: u64) -> std::io::Result<usize> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::chunks::Line;
    use std::io::Write;

    /// A line as the parser sees it: its text, or `<length>` when over `max_line_bytes`
    /// (the length it is reported with).
    fn shown(line: Line<'_>, max_line_bytes: usize) -> String {
        match line {
            Line::Text(text, terminator) if text.len() > max_line_bytes => {
                let whole = text.len() + terminator;
                let length = if whole > max_line_bytes + 2 {
                    whole
                } else {
                    text.len()
                };
                format!("<{length}>")
            }
            Line::Text(text, _) => String::from_utf8_lossy(text).into_owned(),
            Line::TooLong(length) => format!("<{length}>"),
        }
    }

    /// The lines of `text` split the plain way, shown as [`shown`] shows them.
    fn expected(text: &str, max_line_bytes: usize) -> Vec<String> {
        let mut lines: Vec<&str> = text.split('\n').collect();
        let terminated_last = text.ends_with('\n');
        if terminated_last || text.is_empty() {
            lines.pop();
        }
        let count = lines.len();
        lines
            .into_iter()
            .enumerate()
            .map(|(index, line)| {
                let newline = usize::from(index + 1 < count || terminated_last);
                let trimmed = line.strip_suffix('\r').unwrap_or(line);
                let terminator = line.len() - trimmed.len() + newline;
                shown(Line::Text(trimmed.as_bytes(), terminator), max_line_bytes)
            })
            .collect()
    }

    /// Every range of `file` read with `range_bytes`, its lines concatenated.
    fn read_all(file: &PlainFile, range_bytes: usize, max_line_bytes: usize) -> Vec<String> {
        let reader = RangeReader::new(file, range_bytes, max_line_bytes);
        let mut text = RangeText::default();
        let mut lines = Vec::new();
        for index in 0..reader.ranges() {
            reader.read(index, &mut text).expect("reads");
            lines.extend(text.lines().map(|line| shown(line, max_line_bytes)));
        }
        // Past the last range: nothing.
        reader.read(reader.ranges(), &mut text).expect("reads");
        assert_eq!(text.lines().count(), 0);
        lines
    }

    fn plain_file(dir: &tempfile::TempDir, text: &str, start: u64, length: u64) -> PlainFile {
        let path = dir.path().join("events.json");
        let mut file = File::create(&path).expect("create");
        file.write_all(text.as_bytes()).expect("write");
        let file = File::open(&path).expect("open");
        PlainFile::new(file, start, length).expect("positional reads on this platform")
    }

    #[test]
    fn every_line_is_read_once_whatever_the_range_size() {
        let long = "x".repeat(3000);
        let texts = [
            "a\nbb\n\nccc".to_string(),
            "a\r\nbb\r\n\r\n   \nccc\n".to_string(),
            format!("{{\"a\":1}}\n{long}\n{{\"b\":2}}\r\n{long}\r\n\n{long}"),
            format!("{long}\n"),
            "\n\n\n".to_string(),
            "x".to_string(),
            String::new(),
        ];
        let dir = tempfile::tempdir().expect("tempdir");
        for text in &texts {
            let length = text.len() as u64;
            let file = plain_file(&dir, text, 0, length);
            for max_line_bytes in [2, 10, 5000, 1 << 20] {
                let want = expected(text, max_line_bytes);
                for range_bytes in [1, 2, 3, 5, 7, 16, 100, 2999, 3000, 3001, 1 << 20] {
                    assert_eq!(
                        read_all(&file, range_bytes, max_line_bytes),
                        want,
                        "{text:?} range {range_bytes} limit {max_line_bytes}"
                    );
                }
            }
        }
    }

    #[test]
    fn reading_starts_at_the_start_offset() {
        let text = "  \n {\"a\":1}\n{\"b\":2}";
        let dir = tempfile::tempdir().expect("tempdir");
        let file = plain_file(&dir, text, 3, text.len() as u64);
        for range_bytes in [1, 4, 100] {
            let lines = read_all(&file, range_bytes, 100);
            assert_eq!(lines, [" {\"a\":1}", "{\"b\":2}"], "range {range_bytes}");
        }
    }

    #[test]
    fn a_file_that_grew_is_read_to_the_end_of_the_line_at_its_old_length() {
        let text = "aaaa\nbbbb\ncccc\n";
        let dir = tempfile::tempdir().expect("tempdir");
        // Opened when it ended inside `bbbb`: `cccc` starts after that length.
        let file = plain_file(&dir, text, 0, 7);
        for range_bytes in [1, 3, 100] {
            assert_eq!(read_all(&file, range_bytes, 100), ["aaaa", "bbbb"]);
        }
    }

    #[test]
    fn a_file_that_shrank_ends_where_it_ends_now() {
        let text = "aaaa\nbbbb";
        let dir = tempfile::tempdir().expect("tempdir");
        let file = plain_file(&dir, text, 0, 100);
        for range_bytes in [1, 3, 1 << 20] {
            assert_eq!(read_all(&file, range_bytes, 100), ["aaaa", "bbbb"]);
        }
    }

    #[test]
    fn a_long_line_crossing_a_range_end_is_not_buffered() {
        let long = "y".repeat(3 << 20);
        let text = format!("a\n{long}\nb\n");
        let dir = tempfile::tempdir().expect("tempdir");
        let file = plain_file(&dir, &text, 0, text.len() as u64);
        let reader = RangeReader::new(&file, 4, 1000);
        let mut range = RangeText::default();
        reader.read(0, &mut range).expect("reads");
        let lines: Vec<String> = range.lines().map(|line| shown(line, 1000)).collect();
        assert_eq!(lines, ["a", &format!("<{}>", long.len() + 1)]);
        assert!(range.buffer.len() < 2 << 20, "{}", range.buffer.len());
    }
}
