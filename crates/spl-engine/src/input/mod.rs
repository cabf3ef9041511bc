//! Reading events from files: NDJSON and JSON arrays, plain or gzip/zstd-compressed, files
//! or directories; malformed input is reported with file and line, never dropped silently.
//!
//! * Paths are read in the order given; a directory is walked recursively, entries sorted by
//!   name (byte order); `-` is standard input.
//! * Format is detected per file: gzip (`1f 8b`) or zstd (`28 b5 2f fd`) by their magic
//!   bytes, every member or frame read to the end (see [`decompress`]); then, after leading
//!   whitespace, a `[` means one JSON array whose elements are the events (`_raw` is each
//!   element's exact text), anything else is NDJSON (one JSON value per line, blank lines
//!   skipped, a trailing `\r` removed).
//! * A malformed line or element is a non-fatal [`InputProblem`] naming path and line; reading
//!   continues. A line longer than [`InputOptions::max_line_bytes`] (default
//!   [`DEFAULT_MAX_LINE_BYTES`], 64 MiB) is skipped without being buffered and reported.
//! * An I/O error (missing path, permission, corrupt gzip) is a fatal [`InputError`] naming
//!   the path and the OS error; the iterator then goes on with the next path, and the
//!   caller decides whether to stop.
//! * Each file's events get [`EventMeta`] with `source` = the path as given (joined with the
//!   directory path for walked files; `stdin` for `-`) unless [`InputOptions::source`] is
//!   set, `sourcetype` `_json`, `host` `localhost`, `index` `main` unless overridden.

mod array;
pub(crate) mod chunks;
pub mod decompress;
mod lines;
pub(crate) mod ranges;
mod threaded;

use crate::event::{record_from_json_projected, EventMeta, ExtractOptions};
use crate::prefilter::Prefilter;
use crate::projection::FieldSelection;
use crate::run::SPLUNK_TRUNCATE_BYTES;
use crate::value::Record;
use std::collections::{HashSet, VecDeque};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Default maximum length of one NDJSON line (64 MiB).
pub const DEFAULT_MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// Size of the read buffers.
const BUFFER_BYTES: usize = 1024 * 1024;

/// How inputs are read.
#[derive(Clone, Debug)]
pub struct InputOptions {
    /// Longest accepted NDJSON line in bytes (longer lines are reported and skipped).
    pub max_line_bytes: usize,
    /// JSON extraction limits.
    pub extract: ExtractOptions,
    /// `source` for every event instead of the file path.
    pub source: Option<String>,
    /// `sourcetype`, `host` and `index` of every event (its `source` is ignored).
    pub meta: EventMeta,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
            extract: ExtractOptions::default(),
            source: None,
            meta: EventMeta::default(),
        }
    }
}

/// A malformed line or array element (non-fatal: reading continues).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}: {message}")]
pub struct InputProblem {
    /// The file, as given or walked.
    pub path: String,
    /// 1-based line number (of the element's start in a JSON array file).
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

/// A warning about a file that cost no event (for example zero padding after the end of
/// compressed data, which is ignored).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct InputNotice {
    /// The file, as given or walked.
    pub path: String,
    /// What was noticed.
    pub message: String,
}

/// A path that cannot be read (fatal for that path).
#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
pub struct InputError {
    /// The path, as given or walked.
    pub path: String,
    /// The operating-system error.
    pub source: std::io::Error,
}

/// Why the reader yielded no record.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A malformed event; count it and continue.
    #[error(transparent)]
    Malformed(#[from] InputProblem),
    /// A path could not be read.
    #[error(transparent)]
    Io(#[from] InputError),
    /// A warning that cost no event; reading continues.
    #[error(transparent)]
    Notice(#[from] InputNotice),
}

impl ReadError {
    /// True for I/O errors (the caller normally stops), false for malformed events and
    /// notices.
    pub fn is_fatal(&self) -> bool {
        matches!(self, ReadError::Io(_))
    }
}

/// Reads events from paths, one [`Record`] per event.
///
/// ```no_run
/// use spl_engine::input::{EventReader, InputOptions};
/// for item in EventReader::new(["events.json"], InputOptions::default()) {
///     match item {
///         Ok(record) => println!("{:?}", record.get("user")),
///         Err(error) if error.is_fatal() => return eprintln!("{error}"),
///         Err(problem) => eprintln!("skipped: {problem}"),
///     }
/// }
/// ```
pub struct EventReader {
    pending: VecDeque<PathBuf>,
    visited_directories: HashSet<PathBuf>,
    current: Option<OpenFile>,
    options: InputOptions,
    prefilter: Option<Arc<Prefilter>>,
    prefiltered: u64,
    /// See [`EventReader::take_over_truncate`].
    over_truncate: u64,
    fields: Option<Arc<FieldSelection>>,
    /// Read files without a reading thread (the caller reads in large blocks itself).
    direct: bool,
}

/// The next file of an [`EventReader`], as [`EventReader::open_file`] gives it.
pub(crate) enum NextFile {
    /// An NDJSON file (after decompression), handed over to be read in chunks.
    Lines(LinesFile),
    /// Another format (a JSON array): read it with [`EventReader::next_in_file`].
    Other,
    /// No path is left.
    End,
}

/// An NDJSON file handed over by [`EventReader::open_file`].
pub(crate) struct LinesFile {
    /// The path, as given or walked.
    pub(crate) path: String,
    /// The default fields of its events.
    pub(crate) meta: EventMeta,
    /// Its (decompressed) text, after the leading blank lines.
    pub(crate) reader: Box<dyn BufRead>,
    /// The number of lines already consumed (leading blank lines).
    pub(crate) skipped_lines: u64,
    /// Longest accepted line.
    pub(crate) max_line_bytes: usize,
    /// JSON extraction limits.
    pub(crate) extract: ExtractOptions,
    /// Where the decompressor leaves a warning, read once the file is done.
    pub(crate) notice: Option<decompress::NoticeSlot>,
    /// The file again, when it is a plain regular file that can be read in byte ranges
    /// instead of through `reader`.
    pub(crate) plain: Option<ranges::PlainFile>,
}

/// One file being read.
struct OpenFile {
    path: String,
    meta: EventMeta,
    body: FileBody,
    /// Where the decompressor leaves a warning (ignored trailing zero bytes).
    notice: Option<decompress::NoticeSlot>,
    /// A plain NDJSON file, for reading in byte ranges.
    plain: Option<ranges::PlainFile>,
}

enum FileBody {
    Lines(lines::LineSource),
    Array(array::ArraySource),
}

impl EventReader {
    /// A reader over `paths` (files, directories, or `-` for standard input).
    pub fn new<P: Into<PathBuf>>(
        paths: impl IntoIterator<Item = P>,
        options: InputOptions,
    ) -> EventReader {
        EventReader {
            pending: paths.into_iter().map(Into::into).collect(),
            visited_directories: HashSet::new(),
            current: None,
            options,
            prefilter: None,
            prefiltered: 0,
            over_truncate: 0,
            fields: None,
            direct: false,
        }
    }

    /// A reader over one path (file, directory or `-`) whose events get `meta`; when
    /// `meta.source` is empty each event's `source` is its file path. A path that does not
    /// exist is an error here; other I/O errors come from the iterator.
    pub fn open(path: &Path, meta: EventMeta) -> Result<EventReader, InputError> {
        EventReader::with_options(path, meta, InputOptions::default())
    }

    /// [`EventReader::open`] with `options` (its `meta` and `source` are replaced by `meta`).
    pub fn with_options(
        path: &Path,
        meta: EventMeta,
        options: InputOptions,
    ) -> Result<EventReader, InputError> {
        if path != Path::new("-") {
            std::fs::metadata(path).map_err(|source| InputError {
                path: path.display().to_string(),
                source,
            })?;
        }
        let source = (!meta.source.is_empty()).then(|| meta.source.clone());
        let options = InputOptions {
            source,
            meta,
            ..options
        };
        Ok(EventReader::new([path], options))
    }

    /// A reader over one open byte stream (gzip and JSON arrays detected as for files);
    /// `name` names it in problems and is each event's `source` unless `options.source` is
    /// set. Reading the first bytes can fail.
    pub fn from_reader(
        name: &str,
        reader: Box<dyn BufRead>,
        options: InputOptions,
    ) -> std::io::Result<EventReader> {
        let mut events = EventReader::new(Vec::<PathBuf>::new(), options);
        events.current = Some(events.open_reader(name.to_string(), reader, None)?);
        Ok(events)
    }

    /// Skips, without parsing them, events whose text `prefilter` rejects; they are counted
    /// (see [`EventReader::take_prefiltered`]) instead of yielded.
    pub fn with_prefilter(mut self, prefilter: Option<Arc<Prefilter>>) -> EventReader {
        self.prefilter = prefilter;
        self
    }

    /// Extracts only the fields `fields` selects (see [`crate::projection`]; `None`: all).
    pub fn with_projection(mut self, fields: Option<Arc<FieldSelection>>) -> EventReader {
        self.fields = fields;
        self
    }

    /// Reads files on the calling thread through a plain buffer, for a caller that reads
    /// NDJSON in large blocks itself ([`EventReader::open_file`]).
    pub(crate) fn read_directly(mut self) -> EventReader {
        self.direct = true;
        self
    }

    /// Opens the next file (expanding directories). An NDJSON file is handed over whole;
    /// any other stays current, to be read with [`EventReader::next_in_file`].
    pub(crate) fn open_file(&mut self) -> Result<NextFile, InputError> {
        self.current = None;
        if !self.open_next()? {
            return Ok(NextFile::End);
        }
        let Some(file) = self.current.take() else {
            return Ok(NextFile::End);
        };
        match file.body {
            FileBody::Lines(source) => {
                let (reader, skipped_lines) = source.into_parts();
                Ok(NextFile::Lines(LinesFile {
                    path: file.path,
                    meta: file.meta,
                    reader,
                    skipped_lines,
                    max_line_bytes: self.options.max_line_bytes,
                    extract: self.options.extract,
                    notice: file.notice,
                    plain: file.plain,
                }))
            }
            body => {
                self.current = Some(OpenFile { body, ..file });
                Ok(NextFile::Other)
            }
        }
    }

    /// The next event of the file [`EventReader::open_file`] left current; `None` at its end.
    pub(crate) fn next_in_file(&mut self) -> Option<Result<Record, ReadError>> {
        self.next_in_current()
    }

    /// The number of events skipped by the prefilter since the last call (resets it).
    pub fn take_prefiltered(&mut self) -> u64 {
        std::mem::take(&mut self.prefiltered)
    }

    /// Events read since the last call whose text is longer than Splunk's `TRUNCATE`
    /// default and that [`crate::Run::push`] cannot measure: skipped by the prefilter, or
    /// yielded without `_raw` (left out by the projection). Give the count to
    /// [`crate::Run::count_over_truncate`].
    pub fn take_over_truncate(&mut self) -> u64 {
        std::mem::take(&mut self.over_truncate)
    }

    /// Opens the next file, expanding directories; `Ok(false)` when no path is left.
    fn open_next(&mut self) -> Result<bool, InputError> {
        loop {
            let Some(path) = self.pending.pop_front() else {
                return Ok(false);
            };
            let display = path.display().to_string();
            let failed = |source| InputError {
                path: display.clone(),
                source,
            };
            if display == "-" {
                let stdin: Box<dyn BufRead> = Box::new(BufReader::with_capacity(
                    BUFFER_BYTES,
                    std::io::stdin().lock(),
                ));
                let stdin = self.open_reader("stdin".into(), stdin, None);
                self.current = Some(stdin.map_err(failed)?);
                return Ok(true);
            }
            let metadata = std::fs::metadata(&path).map_err(failed)?;
            if metadata.is_dir() {
                self.expand_directory(path).map_err(failed)?;
                continue;
            }
            let file = std::fs::File::open(&path).map_err(failed)?;
            // A second handle for reading in ranges: regular files only (not pipes), and not
            // those that claim no length (files of /proc have content nonetheless).
            let positional = (self.direct && metadata.is_file() && metadata.len() > 0)
                .then(|| file.try_clone().ok())
                .flatten()
                .map(|handle| (handle, metadata.len()));
            let file: Box<dyn BufRead> = if self.direct {
                Box::new(BufReader::with_capacity(BUFFER_BYTES, file))
            } else {
                Box::new(threaded::ThreadedReader::spawn(file, BUFFER_BYTES).map_err(failed)?)
            };
            let opened = self.open_reader(display.clone(), file, positional);
            self.current = Some(opened.map_err(failed)?);
            return Ok(true);
        }
    }

    /// Queues a directory's entries (sorted) before the remaining paths.
    fn expand_directory(&mut self, path: PathBuf) -> std::io::Result<()> {
        let canonical = std::fs::canonicalize(&path)?;
        if !self.visited_directories.insert(canonical) {
            return Ok(());
        }
        let mut entries = std::fs::read_dir(&path)?
            .map(|entry| entry.map(|e| e.path()))
            .collect::<std::io::Result<Vec<_>>>()?;
        entries.sort();
        for entry in entries.into_iter().rev() {
            self.pending.push_front(entry);
        }
        Ok(())
    }

    /// Opens a stream: detects compression and format. `positional` is the file again with
    /// its length, kept for reading in ranges when the stream turns out to be plain NDJSON.
    fn open_reader(
        &self,
        path: String,
        reader: Box<dyn BufRead>,
        positional: Option<(std::fs::File, u64)>,
    ) -> std::io::Result<OpenFile> {
        let (mut reader, notice) = decompress::decompressed(reader, BUFFER_BYTES)?;
        let (is_array, skipped_lines, skipped_bytes) = starts_with_array(&mut reader)?;
        // `decompressed` leaves a notice slot for compressed streams only.
        let plain = positional
            .filter(|_| notice.is_none() && !is_array)
            .and_then(|(file, length)| ranges::PlainFile::new(file, skipped_bytes, length));
        let body = if is_array {
            FileBody::Array(array::ArraySource::read(reader, skipped_lines)?)
        } else {
            FileBody::Lines(lines::LineSource::new(
                reader,
                self.options.max_line_bytes,
                skipped_lines,
            ))
        };
        let mut meta = self.options.meta.clone();
        meta.source = self.options.source.clone().unwrap_or_else(|| path.clone());
        Ok(OpenFile {
            path,
            meta,
            body,
            notice,
            plain,
        })
    }

    /// The next event of the current file, a problem, or `None` at its end (events the
    /// prefilter rejects are counted and passed over).
    fn next_in_current(&mut self) -> Option<Result<Record, ReadError>> {
        let file = self.current.as_mut()?;
        loop {
            let next = match &mut file.body {
                FileBody::Lines(source) => source.next_line(),
                FileBody::Array(source) => source.next_element(),
            };
            let outcome = match next {
                Ok(Some(event)) => event,
                Ok(None) => {
                    let notice = take_notice(file);
                    self.current = None;
                    return notice.map(|notice| Err(ReadError::Notice(notice)));
                }
                Err(source) => {
                    let path = file.path.clone();
                    self.current = None;
                    return Some(Err(ReadError::Io(InputError { path, source })));
                }
            };
            if let Some(prefilter) = &self.prefilter {
                let bytes = match &outcome {
                    EventText::Text { text, .. } => Some(text.as_bytes()),
                    EventText::Bytes { bytes, .. } => Some(*bytes),
                    EventText::Problem { .. } => None,
                };
                if let Some(bytes) = bytes.filter(|bytes| !prefilter.may_match(bytes)) {
                    self.prefiltered += 1;
                    if bytes.len() > SPLUNK_TRUNCATE_BYTES {
                        self.over_truncate += 1;
                    }
                    continue;
                }
            }
            let text = match outcome {
                EventText::Text { line, text } => Ok((line, text)),
                EventText::Bytes { line, bytes } => match std::str::from_utf8(bytes) {
                    Ok(text) => Ok((line, text)),
                    Err(error) => Err((line, format!("invalid UTF-8 ({error})"))),
                },
                EventText::Problem { line, message } => Err((line, message)),
            };
            let (line, message) = match text {
                Ok((line, text)) => {
                    let all = FieldSelection::all();
                    let fields = self.fields.as_deref().unwrap_or(&all);
                    match record_from_json_projected(
                        text,
                        &file.meta,
                        &self.options.extract,
                        fields,
                    ) {
                        Ok(record) => {
                            if text.len() > SPLUNK_TRUNCATE_BYTES && !fields.wants_raw() {
                                self.over_truncate += 1;
                            }
                            return Some(Ok(record));
                        }
                        Err(error) => (line, format!("invalid JSON event: {}", error.message)),
                    }
                }
                Err(problem) => problem,
            };
            return Some(Err(ReadError::Malformed(InputProblem {
                path: file.path.clone(),
                line,
                message,
            })));
        }
    }
}

/// The decompressor's warning about the file just finished, if it left one.
fn take_notice(file: &OpenFile) -> Option<InputNotice> {
    let slot = file.notice.as_ref()?;
    let message = slot.lock().ok()?.take()?;
    Some(InputNotice {
        path: file.path.clone(),
        message,
    })
}

/// What a file source yields for one event.
pub(crate) enum EventText<'a> {
    /// The text of one event starting at `line`.
    Text {
        /// 1-based line of the event's start.
        line: u64,
        /// The exact text.
        text: &'a str,
    },
    /// The bytes of one NDJSON line (not yet checked for UTF-8) starting at `line`.
    Bytes {
        /// 1-based line number.
        line: u64,
        /// The exact bytes, without the line terminator.
        bytes: &'a [u8],
    },
    /// A malformed line or element.
    Problem {
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
}

/// Consumes leading whitespace; true when the first other byte is `[`. Also returns the
/// number of newlines consumed, so line numbers stay right, and of bytes consumed.
fn starts_with_array(reader: &mut Box<dyn BufRead>) -> std::io::Result<(bool, u64, u64)> {
    let mut newlines = 0;
    let mut consumed = 0;
    loop {
        let buffer = reader.fill_buf()?;
        let Some(&first) = buffer.first() else {
            return Ok((false, newlines, consumed));
        };
        if !first.is_ascii_whitespace() {
            return Ok((first == b'[', newlines, consumed));
        }
        if first == b'\n' {
            newlines += 1;
        }
        reader.consume(1);
        consumed += 1;
    }
}

impl Iterator for EventReader {
    type Item = Result<Record, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.current.is_some() {
                if let Some(item) = self.next_in_current() {
                    return Some(item);
                }
                continue;
            }
            match self.open_next() {
                Ok(true) => continue,
                Ok(false) => return None,
                Err(error) => return Some(Err(ReadError::Io(error))),
            }
        }
    }
}
