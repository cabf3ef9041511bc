//! Reading one NDJSON file through a query on several threads, with results identical to one
//! thread.
//!
//! A plain regular file is cut into byte ranges ([`RangeReader`]) that `threads` workers
//! claim in order and read themselves with positional reads, so the copying from the
//! operating system is spread over the workers too. Any other NDJSON stream (compressed,
//! standard input, a pipe) is read by the calling thread in chunks of whole lines
//! ([`ChunkReader`]) handed to the workers. Either way a worker turns each line of its chunk
//! into an [`Item`]: skipped by the prefilter, malformed, rejected by the first `search`, or
//! an event that passed it (parsed with projection). The calling thread takes the parsed
//! chunks back **in file order** and feeds their items to the [`Run`], the line numbers of
//! problems to the observer, and the counts to the progress counter, so everything the
//! caller sees is independent of the number of threads, of the chunk size and of how the
//! file was read. At most `2 × threads + 1` chunks exist at once (reused), so memory does
//! not grow with the input.

use crate::engine::Run;
use crate::event::{record_from_json_projected, EventMeta, ExtractOptions};
use crate::input::chunks::{Chunk, ChunkReader, Line, Lines};
use crate::input::ranges::RangeReader;
use crate::input::{InputError, InputProblem, LinesFile};
use crate::prefilter::Prefilter;
use crate::projection::FieldSelection;
use crate::run::{RunError, SPLUNK_TRUNCATE_BYTES};
use crate::scan::{ProgressCounter, ScanError, ScanObserver};
use crate::search::CompiledSearch;
use crate::value::Record;
use std::collections::BTreeMap;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};

mod ranges;

use ranges::scan_ranges;

/// Smallest byte range a plain file is cut into: a range inside a line owns no line but
/// still costs a read and a round trip between threads, so tiny chunk sizes are rounded up
/// to this (ranges still cross lines: the result never depends on where they do).
const MIN_RANGE_BYTES: usize = 256;

/// What a worker needs to turn lines into items (shared by all workers of a file).
pub(crate) struct LineParser<'a> {
    /// Skips lines that cannot match the first search.
    pub(crate) prefilter: Option<&'a Prefilter>,
    /// The first `search`, applied by the workers (`None`: every event goes to the run).
    pub(crate) search: Option<&'a CompiledSearch>,
    /// The fields to extract.
    pub(crate) fields: &'a FieldSelection,
    /// The default fields of the file's events.
    pub(crate) meta: &'a EventMeta,
    /// JSON extraction limits.
    pub(crate) extract: ExtractOptions,
    /// Longest accepted line.
    pub(crate) max_line_bytes: usize,
}

/// One line's (or run of lines') outcome.
#[derive(Debug)]
enum Item {
    /// A well-formed event that passed the first search (or every event, without one).
    Event(Record),
    /// Well-formed events the first search rejected.
    Unmatched(u64),
    /// Lines the prefilter skipped.
    Prefiltered(u64),
    /// A malformed line: its number within the chunk (1-based) and the problem.
    Malformed { line: u64, message: String },
}

/// A parsed chunk.
#[derive(Debug, Default)]
struct Parsed {
    items: Vec<Item>,
    /// Lines in the chunk (blank ones included).
    lines: u64,
    /// The worker failed on this chunk (a bug: parsing never panics on any input); the scan
    /// stops with an error instead of waiting for it forever.
    failed: bool,
    /// Non-blank lines longer than Splunk's `TRUNCATE` default that do not reach
    /// [`Run::push`] (which counts the others).
    long_not_pushed: u64,
    /// Reading the chunk failed: the scan stops with this error once the chunks before it
    /// are merged.
    read_error: Option<std::io::Error>,
}

impl Parsed {
    fn push_count(&mut self, item: Item) {
        match (self.items.last_mut(), &item) {
            (Some(Item::Unmatched(count)), Item::Unmatched(more))
            | (Some(Item::Prefiltered(count)), Item::Prefiltered(more)) => *count += more,
            _ => self.items.push(item),
        }
    }
}

impl LineParser<'_> {
    fn parse(&self, lines: Lines<'_>) -> Parsed {
        let mut parsed = Parsed::default();
        let block = lines.block();
        let prefilter = self
            .prefilter
            .map(|prefilter| (prefilter, prefilter.block_facts(block)));
        // Where the next text line starts in `block` (overlong lines are not in it).
        let mut offset = 0;
        for line in lines {
            parsed.lines += 1;
            let number = parsed.lines;
            let (bytes, terminator) = match line {
                Line::TooLong(length) => {
                    parsed.items.push(self.too_long(number, length));
                    continue;
                }
                Line::Text(bytes, terminator) => (bytes, terminator),
            };
            let start = offset;
            offset += bytes.len() + terminator;
            debug_assert_eq!(block.get(start..start + bytes.len()), Some(bytes));
            if bytes.len() > self.max_line_bytes {
                parsed.items.push(self.too_long(
                    number,
                    reported_length(bytes.len(), terminator, self.max_line_bytes),
                ));
                continue;
            }
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let skip = prefilter.as_ref().is_some_and(|(prefilter, facts)| {
                !prefilter.may_match_in_block(bytes, start, facts)
            });
            let item = if skip {
                Item::Prefiltered(1)
            } else {
                self.parse_line(number, bytes)
            };
            // `Run::push` counts long events by their `_raw`, when the projection keeps it.
            let pushed =
                matches!(item, Item::Event(_)) && self.search.is_none() && self.fields.wants_raw();
            if bytes.len() > SPLUNK_TRUNCATE_BYTES && !pushed {
                parsed.long_not_pushed += 1;
            }
            parsed.push_count(item);
        }
        parsed
    }

    fn too_long(&self, line: u64, length: usize) -> Item {
        Item::Malformed {
            line,
            message: format!(
                "line of {length} bytes exceeds the limit of {} bytes",
                self.max_line_bytes
            ),
        }
    }

    /// The item of a line the prefilter kept (or of every line, without one).
    fn parse_line(&self, line: u64, bytes: &[u8]) -> Item {
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => {
                return Item::Malformed {
                    line,
                    message: format!("invalid UTF-8 ({error})"),
                }
            }
        };
        let record = match record_from_json_projected(text, self.meta, &self.extract, self.fields) {
            Ok(record) => record,
            Err(error) => {
                return Item::Malformed {
                    line,
                    message: format!("invalid JSON event: {}", error.message),
                }
            }
        };
        if self.search.is_some_and(|search| !search.matches(&record)) {
            return Item::Unmatched(1);
        }
        Item::Event(record)
    }
}

/// The length an overlong line is reported with: with its terminator when that is more than
/// two bytes over the limit (the reader stopped buffering it), else without (the same
/// numbers as reading line by line).
fn reported_length(length: usize, terminator: usize, max_line_bytes: usize) -> usize {
    let whole = length + terminator;
    if whole > max_line_bytes.saturating_add(2) {
        whole
    } else {
        length
    }
}

/// Where the parsed items go, in file order.
pub(crate) struct Merge<'a> {
    /// The run the events go into.
    pub(crate) run: &'a mut Run,
    /// True when the workers applied the first search ([`Run::push_matched`]).
    pub(crate) searched: bool,
    /// Hears about problems and progress.
    pub(crate) observer: &'a dyn ScanObserver,
    /// Counts events read.
    pub(crate) progress: &'a mut ProgressCounter,
}

impl Merge<'_> {
    fn take(&mut self, path: &str, first_line: u64, parsed: Parsed) -> Result<(), ScanError> {
        self.run.count_over_truncate(parsed.long_not_pushed);
        for item in parsed.items {
            let events = match item {
                Item::Event(record) => {
                    if self.searched {
                        self.run.push_matched(record)?;
                    } else {
                        self.run.push(record)?;
                    }
                    1
                }
                Item::Unmatched(count) => {
                    self.run.count_unmatched(count);
                    count
                }
                Item::Prefiltered(count) => {
                    self.run.count_prefiltered(count);
                    count
                }
                Item::Malformed { line, message } => {
                    self.observer.malformed(&InputProblem {
                        path: path.to_string(),
                        line: first_line + line,
                        message,
                    });
                    self.run.count_malformed();
                    1
                }
            };
            self.progress.advance(events, self.observer);
        }
        Ok(())
    }
}

/// A chunk sent to a worker, with its place in the file.
type Work = (u64, Chunk);
/// A chunk back from a worker: its place, what it held, and its buffer for reuse.
type Done = (u64, Parsed, Chunk);

/// Reads `file` through `parser` on `threads` workers (at least one) and merges the results
/// in order into `merge`.
pub(crate) fn scan_lines(
    file: LinesFile,
    parser: &LineParser<'_>,
    threads: usize,
    chunk_bytes: usize,
    merge: &mut Merge<'_>,
) -> Result<(), ScanError> {
    let threads = threads.max(1);
    let LinesFile {
        path,
        reader,
        skipped_lines,
        max_line_bytes,
        plain,
        ..
    } = file;
    let mut order = Order {
        path: &path,
        next_line: skipped_lines,
        next_to_merge: 0,
        waiting: BTreeMap::new(),
    };
    if let Some(plain) = plain {
        let range_bytes = chunk_bytes.max(MIN_RANGE_BYTES);
        let ranges = RangeReader::new(&plain, range_bytes, max_line_bytes);
        return scan_ranges(&ranges, parser, threads, &mut order, merge);
    }
    let mut chunks = ChunkReader::new(reader, chunk_bytes, max_line_bytes);
    std::thread::scope(|scope| {
        let (work_sender, work) = channel::<Work>();
        let work = Arc::new(Mutex::new(work));
        let (done_sender, done) = channel::<Done>();
        for _ in 0..threads {
            let work = Arc::clone(&work);
            let done_sender = done_sender.clone();
            scope.spawn(move || parse_chunks(parser, &work, &done_sender));
        }
        drop(done_sender);
        let result = feed(&mut chunks, threads, &work_sender, &done, &mut order, merge);
        drop(work_sender);
        result
    })
    .map_err(|source| {
        ScanError::Input(InputError {
            path: path.clone(),
            source,
        })
    })?
}

/// The merging side: chunks back from workers wait here until their turn.
struct Order<'a> {
    path: &'a str,
    /// The number of the line before the next chunk to merge.
    next_line: u64,
    next_to_merge: u64,
    waiting: BTreeMap<u64, Parsed>,
}

impl Order<'_> {
    /// Stores `parsed` (chunk `index`) and merges every chunk whose turn has come.
    fn arrive(
        &mut self,
        index: u64,
        parsed: Parsed,
        merge: &mut Merge<'_>,
    ) -> Result<(), ScanError> {
        self.waiting.insert(index, parsed);
        while let Some(parsed) = self.waiting.remove(&self.next_to_merge) {
            if let Some(source) = parsed.read_error {
                return Err(ScanError::Input(InputError {
                    path: self.path.to_string(),
                    source,
                }));
            }
            if parsed.failed {
                return Err(ScanError::Run(RunError::Failed(format!(
                    "{}: internal error while parsing events after line {}",
                    self.path, self.next_line
                ))));
            }
            let lines = parsed.lines;
            merge.take(self.path, self.next_line, parsed)?;
            self.next_line += lines;
            self.next_to_merge += 1;
        }
        Ok(())
    }
}

/// Reads chunks and keeps the workers busy, merging what comes back, until the file ends.
/// An I/O error is returned (as the outer `Err`) after every chunk read before it is merged;
/// a run error stops at once (as the inner one).
fn feed(
    chunks: &mut ChunkReader,
    threads: usize,
    work: &Sender<Work>,
    done: &Receiver<Done>,
    order: &mut Order<'_>,
    merge: &mut Merge<'_>,
) -> std::io::Result<Result<(), ScanError>> {
    let most_in_flight = 2 * threads + 1;
    let mut spare: Vec<Chunk> = Vec::new();
    let mut in_flight = 0usize;
    let mut next_index = 0u64;
    let mut read_error = None;
    let mut ended = false;
    loop {
        while !ended && in_flight < most_in_flight {
            let mut chunk = spare.pop().unwrap_or_default();
            match chunks.fill(&mut chunk) {
                Ok(true) => {
                    if work.send((next_index, chunk)).is_err() {
                        ended = true;
                        break;
                    }
                    next_index += 1;
                    in_flight += 1;
                }
                Ok(false) => ended = true,
                Err(error) => {
                    read_error = Some(error);
                    ended = true;
                }
            }
        }
        if in_flight == 0 {
            break;
        }
        let Ok((index, parsed, chunk)) = done.recv() else {
            break;
        };
        in_flight -= 1;
        spare.push(chunk);
        if let Err(error) = order.arrive(index, parsed, merge) {
            return Ok(Err(error));
        }
    }
    match read_error {
        Some(error) => Err(error),
        None => Ok(Ok(())),
    }
}

/// A worker: parses chunks until the work channel closes.
fn parse_chunks(parser: &LineParser<'_>, work: &Mutex<Receiver<Work>>, done: &Sender<Done>) {
    loop {
        let next = match work.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok((index, chunk)) = next else {
            return;
        };
        let parsed = parser.parse_caught(Lines::new(&chunk));
        if done.send((index, parsed, chunk)).is_err() {
            return;
        }
    }
}

impl LineParser<'_> {
    /// [`LineParser::parse`], marking the chunk failed instead of unwinding if it panics.
    fn parse_caught(&self, lines: Lines<'_>) -> Parsed {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.parse(lines))).unwrap_or_else(
            |_| Parsed {
                failed: true,
                ..Parsed::default()
            },
        )
    }
}
