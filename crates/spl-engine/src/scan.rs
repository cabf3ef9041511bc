//! Running a compiled query over event files: the one entry point that readers, the CLI and
//! embedders share.
//!
//! [`Query::scan`] reads every [`Input`] in order (files, folders, `-` for standard input;
//! NDJSON or JSON arrays, compressed or not), skips lines the query's prefilter rules out,
//! sends the events through the pipeline and returns the results with the run statistics.
//! Malformed events are counted and handed to the [`ScanObserver`]; a path that cannot be
//! read stops the scan with a [`ScanError`].
//!
//! # Switches
//!
//! [`ScanOptions`] has four switches. None of them changes the rows, the
//! [`crate::RunStats`], the malformed-event warnings (their order and text) or the progress
//! calls; `tests/differential.rs` checks every combination against reading event by event.
//!
//! * `threads` (default 0: one per available core, which respects `taskset`): NDJSON is
//!   parsed (prefilter, JSON extraction, the first `search`) by `threads` workers in chunks
//!   of whole lines, and the calling thread feeds the parsed chunks, **in file order**, to
//!   the rest of the pipeline. A plain regular file is cut into byte ranges that the
//!   workers read themselves with positional reads (a range holds the lines that start in
//!   it), so reading is spread over the workers too; compressed files and standard input
//!   are read by the calling thread. JSON-array files are read on the calling thread alone.
//! * `chunk_bytes` (default [`DEFAULT_CHUNK_BYTES`], 1 MiB): the size of a chunk (of a byte
//!   range, at least 256 bytes, for plain files); a chunk read from a stream always holds
//!   whole lines (at least one, so a few bytes means one line per chunk). At most
//!   `2 × threads + 1` chunks exist at once, so memory does not grow with the input: about
//!   `(2 × threads + 1) × (chunk_bytes + 1 MiB)` plus the parsed events of those chunks. A
//!   line longer than the line limit is read past without being buffered.
//! * `projection` (default on): JSON extraction builds only the fields the query can
//!   reference ([`crate::projection::required_fields`]); other values are validated, not
//!   built, so malformed events are reported exactly as without it.
//! * `prefilter` (default on): lines that cannot contain the first search's literals are
//!   skipped before parsing ([`crate::prefilter`]); they count as read and not matched. A
//!   skipped line is not validated, so a malformed line lacking the literals is counted as
//!   not matched instead of malformed (this is the one difference the prefilter makes, and
//!   it is the same with every other switch).
//!
//! Progress is reported each time the events read reach a multiple of
//! [`PROGRESS_EVERY_EVENTS`], and once at the end.
//!
//! ```no_run
//! use spl_engine::scan::{Input, ScanOptions, ReportProblems};
//! use spl_engine::Engine;
//!
//! let query = Engine::new().compile("verb=get | stats count BY user.username")?;
//! let inputs = [Input::new("audit.json")];
//! let output = query.scan(&inputs, &ScanOptions::default(), &ReportProblems)?;
//! println!("{} results, {} events read", output.rows.len(), output.stats.events_read);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::engine::{Output, Query, Run};
use crate::event::EventMeta;
use crate::input::{
    EventReader, InputError, InputNotice, InputOptions, InputProblem, NextFile, ReadError,
};
use crate::parallel::{scan_lines, LineParser, Merge};
use crate::projection::FieldSelection;
use crate::run::RunError;
use crate::search::{compile_search, CompiledSearch};
use crate::value::Record;
use spl_syntax::ast::CommandKind;
use std::path::PathBuf;
use std::sync::Arc;

/// How often (in events read) [`ScanObserver::progress`] is called.
pub const PROGRESS_EVERY_EVENTS: u64 = 65_536;

/// One input of a scan: a path and the default fields of its events.
#[derive(Clone, Debug)]
pub struct Input {
    /// A file, a folder (read recursively, entries in name order) or `-` for standard input.
    pub path: PathBuf,
    /// `source`, `sourcetype`, `host` and `index` of its events. An empty `source` means
    /// "the path of the file each event comes from".
    pub meta: EventMeta,
}

impl Input {
    /// An input whose events get the default fields: `source` = the file path, `sourcetype`
    /// `_json`, `host` `localhost`, `index` `main`.
    pub fn new(path: impl Into<PathBuf>) -> Input {
        Input {
            path: path.into(),
            meta: EventMeta {
                source: String::new(),
                ..EventMeta::default()
            },
        }
    }

    /// The same input with `sourcetype` set.
    pub fn with_sourcetype(mut self, sourcetype: impl Into<String>) -> Input {
        self.meta.sourcetype = sourcetype.into();
        self
    }

    /// The same input with `source` set for every event.
    pub fn with_source(mut self, source: impl Into<String>) -> Input {
        self.meta.source = source.into();
        self
    }
}

/// Default size of the chunks NDJSON is parsed in (1 MiB).
pub const DEFAULT_CHUNK_BYTES: usize = 1024 * 1024;

/// Switches and limits of a scan. The defaults are what `spl run` uses. No switch changes
/// the results, the statistics or what the observer hears; they only change speed and
/// memory.
#[derive(Clone, Debug)]
pub struct ScanOptions {
    /// Skip lines that cannot contain the first search's required literals before parsing
    /// them (see [`crate::prefilter`]).
    pub prefilter: bool,
    /// Extract from each event only the fields the query can reference (see
    /// [`crate::projection`]); other values are validated but not built.
    pub projection: bool,
    /// Threads parsing NDJSON (0: one per available core); they also read plain files. The
    /// calling thread reads other streams and runs the pipeline after the first `search`.
    pub threads: usize,
    /// Size of the chunks of whole lines handed to the parsing threads (a chunk holds at
    /// least one line; at most `2 × threads + 1` chunks exist at once), and of the byte
    /// ranges plain files are cut into (at least 256 bytes).
    pub chunk_bytes: usize,
    /// Reading limits (longest line, JSON nesting depth).
    pub input: InputOptions,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            prefilter: true,
            projection: true,
            threads: 0,
            chunk_bytes: DEFAULT_CHUNK_BYTES,
            input: InputOptions::default(),
        }
    }
}

impl ScanOptions {
    /// The number of parsing threads `threads` means (0: the available cores).
    pub fn worker_threads(&self) -> usize {
        if self.threads > 0 {
            return self.threads;
        }
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
}

/// Progress of a scan, as reported to [`ScanObserver::progress`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Events read so far (including malformed and prefiltered ones).
    pub events_read: u64,
}

/// Hears about a scan while it runs. Every method has a default that does nothing.
pub trait ScanObserver {
    /// One malformed event: it is counted in [`crate::RunStats::malformed_events`] and the scan
    /// goes on.
    fn malformed(&self, problem: &InputProblem) {
        let _ = problem;
    }

    /// A warning about an input that cost no event (ignored zero padding after compressed
    /// data); the scan goes on.
    fn notice(&self, notice: &InputNotice) {
        let _ = notice;
    }

    /// Called each time the events read reach a multiple of [`PROGRESS_EVERY_EVENTS`] (with
    /// that multiple), and once at the end with the total.
    fn progress(&self, progress: Progress) {
        let _ = progress;
    }
}

/// An observer that ignores everything (malformed events are still counted).
#[derive(Clone, Copy, Debug, Default)]
pub struct Quiet;

impl ScanObserver for Quiet {}

/// An observer that prints each malformed event as `warning: FILE:LINE: message`, and each
/// notice as `warning: FILE: message`, on standard error.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReportProblems;

impl ScanObserver for ReportProblems {
    fn malformed(&self, problem: &InputProblem) {
        eprintln!("warning: {problem}");
    }

    fn notice(&self, notice: &InputNotice) {
        eprintln!("warning: {notice}");
    }
}

/// Why a scan stopped without results.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// A path could not be read (missing, a permission problem, a damaged compressed file).
    #[error(transparent)]
    Input(#[from] InputError),
    /// The pipeline failed (a limit was crossed, a regular expression ran away).
    #[error(transparent)]
    Run(#[from] RunError),
}

impl Query {
    /// Runs the query over `inputs`, in order, and returns every result.
    pub fn scan(
        &self,
        inputs: &[Input],
        options: &ScanOptions,
        observer: &dyn ScanObserver,
    ) -> Result<Output, ScanError> {
        let mut run = self.start();
        let mut progress = ProgressCounter::default();
        let all = Arc::new(FieldSelection::all());
        let prefilter = self.prefilter().filter(|_| options.prefilter);
        let first_search = self.first_search();
        let threads = options.worker_threads();
        for input in inputs {
            // Workers apply the first search only when nothing has to see the event before
            // it (no subsearch keeps events, no field definitions for this sourcetype).
            let search = first_search
                .as_ref()
                .filter(|_| run.accepts_matched_for(&input.meta.sourcetype));
            let fields = if options.projection {
                self.required_fields_for(&input.meta.sourcetype)
            } else {
                &all
            };
            let mut reader =
                EventReader::with_options(&input.path, input.meta.clone(), options.input.clone())?
                    .with_prefilter(prefilter.cloned())
                    .with_projection(options.projection.then(|| fields.clone()))
                    .read_directly();
            loop {
                match reader.open_file()? {
                    NextFile::End => break,
                    NextFile::Lines(mut file) => {
                        let meta = file.meta.clone();
                        let path = file.path.clone();
                        let notice = file.notice.take();
                        let parser = LineParser {
                            prefilter: prefilter.map(Arc::as_ref),
                            search,
                            fields: fields.as_ref(),
                            meta: &meta,
                            extract: file.extract,
                            max_line_bytes: file.max_line_bytes,
                        };
                        let mut merge = Merge {
                            run: &mut run,
                            searched: search.is_some(),
                            observer,
                            progress: &mut progress,
                        };
                        scan_lines(file, &parser, threads, options.chunk_bytes, &mut merge)?;
                        if let Some(message) = notice.and_then(|slot| slot.lock().ok()?.take()) {
                            observer.notice(&InputNotice { path, message });
                        }
                    }
                    NextFile::Other => {
                        scan_events(
                            &mut reader,
                            EventReader::next_in_file,
                            &mut run,
                            observer,
                            &mut progress,
                        )?;
                    }
                }
            }
        }
        progress.finish(observer);
        Ok(run.finish()?)
    }

    /// The first stage as a search the readers can apply, when the pipeline starts with one.
    fn first_search(&self) -> Option<CompiledSearch> {
        let first = self.pipeline.commands.first()?;
        let CommandKind::Search(expr) = &first.kind else {
            return None;
        };
        compile_search(expr.as_ref()).ok()
    }
}

/// Reads events one by one into `run`, taking each with `next` (the reader's current file,
/// or the whole reader), counting prefiltered lines and progress.
fn scan_events(
    reader: &mut EventReader,
    next: fn(&mut EventReader) -> Option<Result<Record, ReadError>>,
    run: &mut Run,
    observer: &dyn ScanObserver,
    progress: &mut ProgressCounter,
) -> Result<(), ScanError> {
    while let Some(item) = next(reader) {
        match item {
            Ok(record) => run.push(record)?,
            Err(ReadError::Io(error)) => return Err(ScanError::Input(error)),
            Err(ReadError::Malformed(problem)) => {
                observer.malformed(&problem);
                run.count_malformed();
            }
            Err(ReadError::Notice(notice)) => {
                observer.notice(&notice);
                continue;
            }
        }
        let prefiltered = reader.take_prefiltered();
        run.count_prefiltered(prefiltered);
        run.count_over_truncate(reader.take_over_truncate());
        progress.advance(1 + prefiltered, observer);
    }
    let prefiltered = reader.take_prefiltered();
    run.count_prefiltered(prefiltered);
    run.count_over_truncate(reader.take_over_truncate());
    progress.advance(prefiltered, observer);
    Ok(())
}

/// Counts events and calls the observer at every multiple of [`PROGRESS_EVERY_EVENTS`]
/// (with exactly that count, however the events were counted in batches) and at the end.
#[derive(Default)]
pub(crate) struct ProgressCounter {
    events_read: u64,
}

impl ProgressCounter {
    /// Counts `events` more events read.
    pub(crate) fn advance(&mut self, events: u64, observer: &dyn ScanObserver) {
        let before = self.events_read;
        self.events_read += events;
        let mut next = (before / PROGRESS_EVERY_EVENTS + 1) * PROGRESS_EVERY_EVENTS;
        while next <= self.events_read {
            observer.progress(Progress { events_read: next });
            next += PROGRESS_EVERY_EVENTS;
        }
    }

    /// The final call, with the total.
    pub(crate) fn finish(&self, observer: &dyn ScanObserver) {
        observer.progress(Progress {
            events_read: self.events_read,
        });
    }
}

/// The name of a reader's events in problems, and their `source` when the meta has none.
pub const READER_NAME: &str = "reader";

impl Query {
    /// Runs the query over the events of one byte stream: NDJSON or a JSON array, plain or
    /// compressed (detected as for files). Events get `meta`; an empty `meta.source` means
    /// [`READER_NAME`], which also names the stream in problems.
    ///
    /// ```
    /// use spl_engine::event::EventMeta;
    /// use spl_engine::scan::{Quiet, ScanOptions};
    /// use spl_engine::Engine;
    ///
    /// let query = Engine::new().compile("verb=get | stats count")?;
    /// let text = "{\"verb\":\"get\"}\n{\"verb\":\"list\"}\n";
    /// let output = query.scan_reader(
    ///     std::io::Cursor::new(text),
    ///     EventMeta::default(),
    ///     &ScanOptions::default(),
    ///     &Quiet,
    /// )?;
    /// assert_eq!(output.rows[0].get("count").map(|v| v.first()), Some("1"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn scan_reader(
        &self,
        reader: impl std::io::Read + Send + 'static,
        meta: EventMeta,
        options: &ScanOptions,
        observer: &dyn ScanObserver,
    ) -> Result<Output, ScanError> {
        let name = if meta.source.is_empty() {
            READER_NAME.to_string()
        } else {
            meta.source.clone()
        };
        let input_options = InputOptions {
            source: Some(name.clone()),
            meta,
            ..options.input.clone()
        };
        let buffered = Box::new(std::io::BufReader::new(reader));
        let mut reader = EventReader::from_reader(&name, buffered, input_options)
            .map_err(|source| InputError { path: name, source })?;
        if options.prefilter {
            reader = reader.with_prefilter(self.prefilter().cloned());
        }
        let mut run = self.start();
        let mut progress = ProgressCounter::default();
        scan_events(
            &mut reader,
            <EventReader as Iterator>::next,
            &mut run,
            observer,
            &mut progress,
        )?;
        progress.finish(observer);
        Ok(run.finish()?)
    }
}
