//! Running a compiled query over event files: the one entry point that readers, the CLI and
//! embedders share.
//!
//! [`Query::scan`] reads every [`Input`] in order (files, folders, `-` for standard input;
//! NDJSON or JSON arrays, compressed or not), skips lines the query's prefilter rules out,
//! sends the events through the pipeline and returns the results with the run statistics.
//! Malformed events are counted and handed to the [`ScanObserver`]; a path that cannot be
//! read stops the scan with a [`ScanError`].
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

use crate::engine::{Output, Query};
use crate::event::EventMeta;
use crate::input::{EventReader, InputError, InputNotice, InputOptions, InputProblem, ReadError};
use crate::run::RunError;
use std::path::PathBuf;

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

/// Switches and limits of a scan. The defaults are what `spl run` uses.
#[derive(Clone, Debug)]
pub struct ScanOptions {
    /// Skip lines that cannot contain the first search's required literals before parsing
    /// them (results are identical either way; see [`crate::prefilter`]).
    pub prefilter: bool,
    /// Reading limits (longest line, JSON nesting depth).
    pub input: InputOptions,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            prefilter: true,
            input: InputOptions::default(),
        }
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

    /// Called about every [`PROGRESS_EVERY_EVENTS`] events, and once at the end.
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
        for input in inputs {
            let mut reader =
                EventReader::with_options(&input.path, input.meta.clone(), options.input.clone())?;
            if options.prefilter {
                reader = reader.with_prefilter(self.prefilter().cloned());
            }
            while let Some(item) = reader.next() {
                match item {
                    Ok(record) => run.push(record)?,
                    Err(ReadError::Io(error)) => return Err(ScanError::Input(error)),
                    Err(ReadError::Malformed(problem)) => {
                        observer.malformed(&problem);
                        run.count_malformed();
                    }
                    Err(ReadError::Notice(notice)) => observer.notice(&notice),
                }
                let prefiltered = reader.take_prefiltered();
                run.count_prefiltered(prefiltered);
                progress.advance(1 + prefiltered, observer);
            }
            let prefiltered = reader.take_prefiltered();
            run.count_prefiltered(prefiltered);
            progress.advance(prefiltered, observer);
        }
        observer.progress(Progress {
            events_read: progress.events_read,
        });
        Ok(run.finish()?)
    }
}

/// Counts events and calls the observer every [`PROGRESS_EVERY_EVENTS`].
#[derive(Default)]
struct ProgressCounter {
    events_read: u64,
    next_report: u64,
}

impl ProgressCounter {
    fn advance(&mut self, events: u64, observer: &dyn ScanObserver) {
        self.events_read += events;
        if self.events_read >= self.next_report {
            self.next_report = self.events_read + PROGRESS_EVERY_EVENTS;
            observer.progress(Progress {
                events_read: self.events_read,
            });
        }
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
        let mut events_read = 0u64;
        let mut next_report = PROGRESS_EVERY_EVENTS;
        while let Some(item) = reader.next() {
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
            events_read += 1 + prefiltered;
            if events_read >= next_report {
                next_report = events_read + PROGRESS_EVERY_EVENTS;
                observer.progress(Progress { events_read });
            }
        }
        let prefiltered = reader.take_prefiltered();
        run.count_prefiltered(prefiltered);
        observer.progress(Progress {
            events_read: events_read + prefiltered,
        });
        Ok(run.finish()?)
    }
}
