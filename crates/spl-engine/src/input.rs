//! Reading events from files: NDJSON and JSON arrays, plain or gzip-compressed, files,
//! folders or standard input. Malformed input is reported with file and line and reading
//! goes on; only unreadable paths stop a run.
//!
//! Format detection, per file: gzip by its magic bytes (`1f 8b`, read with
//! [`MultiGzDecoder`] so multi-member files are read whole); then a document whose first
//! non-blank byte is `[` is a JSON array (each element is an event, `_raw` is the element's
//! text); anything else is NDJSON (one event per line, blank lines skipped).

use crate::event::{record_from_json, record_from_value, EventMeta};
use crate::value::Record;
use flate2::read::MultiGzDecoder;
use serde_json::value::RawValue;
use std::collections::VecDeque;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Lines (or array documents) longer than this are reported and skipped, by default.
pub const DEFAULT_MAX_EVENT_BYTES: usize = 64 << 20;

/// Limits for reading events.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// Longest accepted line (NDJSON) or whole document (JSON array), in bytes.
    pub max_event_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_event_bytes: DEFAULT_MAX_EVENT_BYTES,
        }
    }
}

/// A problem with the input: either one bad event (reading goes on) or a path that cannot
/// be read at all (fatal).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputProblem {
    /// The file (or `-` for standard input).
    pub path: PathBuf,
    /// 1-based line of the bad event, when it has one.
    pub line: Option<u64>,
    /// What is wrong.
    pub message: String,
    /// True when the path could not be read; false for one bad event.
    pub fatal: bool,
}

impl InputProblem {
    /// True when reading had to stop (missing file, permission, I/O error).
    pub fn is_fatal(&self) -> bool {
        self.fatal
    }
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for InputProblem {}

/// Reads the events of one path (a file, a folder read recursively in name order, or `-`).
pub struct EventReader {
    meta: EventMeta,
    options: ReadOptions,
    pending_files: VecDeque<PathBuf>,
    current: Option<FileEvents>,
}

impl fmt::Debug for EventReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventReader")
            .field("meta", &self.meta)
            .field("pending_files", &self.pending_files)
            .finish()
    }
}

impl EventReader {
    /// Opens `path` with default limits. A missing path is an error naming it.
    pub fn open(path: &Path, meta: EventMeta) -> Result<EventReader, InputProblem> {
        EventReader::with_options(path, meta, ReadOptions::default())
    }

    /// Opens `path` with `options`.
    pub fn with_options(
        path: &Path,
        meta: EventMeta,
        options: ReadOptions,
    ) -> Result<EventReader, InputProblem> {
        let mut files = Vec::new();
        if path == Path::new("-") {
            files.push(path.to_path_buf());
        } else {
            collect_files(path, &mut files)?;
        }
        Ok(EventReader {
            meta,
            options,
            pending_files: files.into(),
            current: None,
        })
    }
}

fn fatal(path: &Path, message: String) -> InputProblem {
    InputProblem {
        path: path.to_path_buf(),
        line: None,
        message,
        fatal: true,
    }
}

fn collect_files(path: &Path, files: &mut Vec<PathBuf>) -> Result<(), InputProblem> {
    let metadata = std::fs::metadata(path).map_err(|e| fatal(path, e.to_string()))?;
    if !metadata.is_dir() {
        files.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries = std::fs::read_dir(path)
        .map_err(|e| fatal(path, e.to_string()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| fatal(path, e.to_string()))?;
    entries.sort();
    for entry in entries {
        collect_files(&entry, files)?;
    }
    Ok(())
}

impl Iterator for EventReader {
    type Item = Result<Record, InputProblem>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(current) = &mut self.current {
                match current.next_event(&self.meta, &self.options) {
                    Some(item) => return Some(item),
                    None => self.current = None,
                }
            }
            let path = self.pending_files.pop_front()?;
            match FileEvents::open(&path) {
                Ok(events) => self.current = Some(events),
                Err(problem) => return Some(Err(problem)),
            }
        }
    }
}

/// The events of one file, read lazily.
struct FileEvents {
    path: PathBuf,
    reader: Box<dyn BufRead>,
    line: u64,
    /// Events of a JSON array document, already split.
    array: Option<VecDeque<(u64, Result<Record, String>)>>,
    started: bool,
    buffer: Vec<u8>,
}

impl FileEvents {
    fn open(path: &Path) -> Result<FileEvents, InputProblem> {
        let raw: Box<dyn Read> = if path == Path::new("-") {
            Box::new(io::stdin())
        } else {
            Box::new(File::open(path).map_err(|e| fatal(path, e.to_string()))?)
        };
        let mut buffered = BufReader::with_capacity(1 << 20, raw);
        let gzip = buffered
            .fill_buf()
            .map(|bytes| bytes.starts_with(&[0x1f, 0x8b]))
            .map_err(|e| fatal(path, e.to_string()))?;
        let reader: Box<dyn BufRead> = if gzip {
            Box::new(BufReader::with_capacity(
                1 << 20,
                MultiGzDecoder::new(buffered),
            ))
        } else {
            Box::new(buffered)
        };
        Ok(FileEvents {
            path: path.to_path_buf(),
            reader,
            line: 0,
            array: None,
            started: false,
            buffer: Vec::new(),
        })
    }

    fn problem(&self, line: u64, message: String) -> InputProblem {
        InputProblem {
            path: self.path.clone(),
            line: Some(line),
            message,
            fatal: false,
        }
    }

    fn next_event(
        &mut self,
        meta: &EventMeta,
        options: &ReadOptions,
    ) -> Option<Result<Record, InputProblem>> {
        if !self.started {
            self.started = true;
            match self.starts_with_array() {
                Ok(true) => self.array = Some(self.read_array(meta, options)),
                Ok(false) => {}
                Err(e) => return Some(Err(fatal(&self.path, e.to_string()))),
            }
        }
        if let Some(array) = &mut self.array {
            let (line, item) = array.pop_front()?;
            return Some(item.map_err(|message| self.problem(line, message)));
        }
        loop {
            self.buffer.clear();
            let read = (&mut self.reader)
                .take(options.max_event_bytes as u64 + 1)
                .read_until(b'\n', &mut self.buffer);
            match read {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => return Some(Err(fatal(&self.path, e.to_string()))),
            }
            self.line += 1;
            let line = self.line;
            if self.buffer.len() > options.max_event_bytes && !self.buffer.ends_with(b"\n") {
                if let Err(e) = self.skip_rest_of_line() {
                    return Some(Err(fatal(&self.path, e.to_string())));
                }
                return Some(Err(self.problem(
                    line,
                    format!(
                        "line longer than the limit of {} bytes; skipped",
                        options.max_event_bytes
                    ),
                )));
            }
            let text = match std::str::from_utf8(&self.buffer) {
                Ok(text) => text.trim_end_matches(['\n', '\r']),
                Err(e) => {
                    return Some(Err(self.problem(line, format!("not UTF-8 text: {e}"))));
                }
            };
            if text.trim().is_empty() {
                continue;
            }
            return Some(record_from_json(text, meta).map_err(|e| self.problem(line, e.message)));
        }
    }

    fn skip_rest_of_line(&mut self) -> io::Result<()> {
        loop {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                return Ok(());
            }
            match memchr::memchr(b'\n', available) {
                Some(index) => {
                    self.reader.consume(index + 1);
                    return Ok(());
                }
                None => {
                    let length = available.len();
                    self.reader.consume(length);
                }
            }
        }
    }

    /// True when the first non-blank byte of the file is `[`.
    fn starts_with_array(&mut self) -> io::Result<bool> {
        loop {
            let available = self.reader.fill_buf()?;
            let Some(&byte) = available.first() else {
                return Ok(false);
            };
            if byte.is_ascii_whitespace() {
                if byte == b'\n' {
                    self.line += 1;
                }
                self.reader.consume(1);
                continue;
            }
            return Ok(byte == b'[');
        }
    }

    /// Reads a whole JSON array document and splits it into events.
    fn read_array(
        &mut self,
        meta: &EventMeta,
        options: &ReadOptions,
    ) -> VecDeque<(u64, Result<Record, String>)> {
        let first_line = self.line + 1;
        let mut bytes = Vec::new();
        let read = (&mut self.reader)
            .take(options.max_event_bytes as u64 + 1)
            .read_to_end(&mut bytes);
        let mut events = VecDeque::new();
        if let Err(e) = read {
            events.push_back((first_line, Err(format!("cannot read: {e}"))));
            return events;
        }
        if bytes.len() > options.max_event_bytes {
            events.push_back((
                first_line,
                Err(format!(
                    "JSON array document longer than the limit of {} bytes; skipped",
                    options.max_event_bytes
                )),
            ));
            return events;
        }
        let text = match std::str::from_utf8(&bytes) {
            Ok(text) => text,
            Err(e) => {
                events.push_back((first_line, Err(format!("not UTF-8 text: {e}"))));
                return events;
            }
        };
        let elements: Vec<&RawValue> = match serde_json::from_str(text) {
            Ok(elements) => elements,
            Err(e) => {
                let line = first_line + e.line().saturating_sub(1) as u64;
                events.push_back((line, Err(format!("invalid JSON array: {e}"))));
                return events;
            }
        };
        for element in elements {
            let raw = element.get();
            let offset = raw.as_ptr() as usize - text.as_ptr() as usize;
            let line = first_line + text[..offset].matches('\n').count() as u64;
            let event = serde_json::from_str(raw)
                .map_err(|e| format!("invalid JSON: {e}"))
                .and_then(|json| record_from_value(raw, &json, meta).map_err(|e| e.message));
            events.push_back((line, event));
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;
    use std::io::Write;

    fn read_all(path: &Path) -> Vec<Result<Record, InputProblem>> {
        EventReader::open(path, EventMeta::default())
            .unwrap()
            .collect()
    }

    fn users(items: &[Result<Record, InputProblem>]) -> Vec<String> {
        items
            .iter()
            .filter_map(|item| item.as_ref().ok())
            .map(|r| r.get("user").map_or("-".into(), |v| v.first().to_string()))
            .collect()
    }

    #[test]
    fn ndjson_with_a_bad_middle_line_keeps_the_good_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.json");
        std::fs::write(
            &path,
            "{\"user\":\"a\"}\n\n{\"user\":\n{\"user\":\"b\"}\r\n",
        )
        .unwrap();
        let items = read_all(&path);
        assert_eq!(users(&items), ["a", "b"]);
        let problem = items.iter().find_map(|i| i.as_ref().err()).unwrap();
        assert_eq!(problem.line, Some(3));
        assert!(!problem.is_fatal());
        assert!(problem
            .to_string()
            .starts_with(&format!("{}:3: invalid JSON", path.display())));
        let raw = items[2].as_ref().unwrap().get("_raw").unwrap();
        assert_eq!(
            raw,
            &Value::from("{\"user\":\"b\"}"),
            "CR LF line ends are not part of _raw"
        );
    }

    #[test]
    fn json_array_documents_give_one_event_per_element() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        std::fs::write(
            &path,
            "\n [\n  {\"user\": \"a\"},\n  {\"user\": \"b\"}\n]\n",
        )
        .unwrap();
        let items = read_all(&path);
        assert_eq!(users(&items), ["a", "b"]);
        assert_eq!(
            items[1].as_ref().unwrap().get("_raw"),
            Some(&Value::from("{\"user\": \"b\"}"))
        );
    }

    #[test]
    fn multi_member_gzip_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.json.gz");
        let mut bytes = Vec::new();
        for line in ["{\"user\":\"a\"}\n", "{\"user\":\"b\"}\n"] {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(line.as_bytes()).unwrap();
            bytes.extend(encoder.finish().unwrap());
        }
        std::fs::write(&path, bytes).unwrap();
        assert_eq!(users(&read_all(&path)), ["a", "b"]);
    }

    #[test]
    fn folders_are_read_in_name_order_and_empty_files_give_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.json"), "{\"user\":\"b\"}\n").unwrap();
        std::fs::write(dir.path().join("a.json"), "{\"user\":\"a\"}\n").unwrap();
        std::fs::write(dir.path().join("empty.json"), "").unwrap();
        assert_eq!(users(&read_all(dir.path())), ["a", "b"]);
    }

    #[test]
    fn missing_paths_are_fatal_and_named() {
        let error =
            EventReader::open(Path::new("no/such/file.json"), EventMeta::default()).unwrap_err();
        assert!(error.is_fatal());
        assert!(error.to_string().starts_with("no/such/file.json: "));
    }

    #[test]
    fn invalid_utf8_and_overlong_lines_are_reported_and_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.json");
        let mut bytes = b"{\"user\":\"\xff\"}\n".to_vec();
        bytes.extend(format!("{{\"user\":\"{}\"}}\n", "x".repeat(100)).as_bytes());
        bytes.extend(b"{\"user\":\"ok\"}\n");
        std::fs::write(&path, bytes).unwrap();
        let options = ReadOptions {
            max_event_bytes: 50,
        };
        let items: Vec<_> = EventReader::with_options(&path, EventMeta::default(), options)
            .unwrap()
            .collect();
        assert_eq!(users(&items), ["ok"]);
        let problems: Vec<_> = items.iter().filter_map(|i| i.as_ref().err()).collect();
        assert_eq!(problems.len(), 2);
        assert!(problems[0].message.contains("not UTF-8"));
        assert_eq!(problems[1].line, Some(2));
        assert!(problems[1]
            .message
            .contains("longer than the limit of 50 bytes"));
    }
}
