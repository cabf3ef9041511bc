//! Reading events from files, directories and compressed inputs.

use flate2::write::GzEncoder;
use flate2::Compression;
use spl_engine::input::{EventReader, InputOptions, ReadError};
use spl_engine::Record;
use std::io::Write;
use std::path::Path;

/// Reads everything: records, and problems rendered as `file-name:line`.
fn read_all(paths: &[&Path], options: InputOptions) -> (Vec<Record>, Vec<String>, Vec<String>) {
    let (mut records, mut problems, mut fatal) = (Vec::new(), Vec::new(), Vec::new());
    for item in EventReader::new(paths.iter().map(|p| p.to_path_buf()), options) {
        match item {
            Ok(record) => records.push(record),
            Err(ReadError::Malformed(problem)) => {
                let name = Path::new(&problem.path)
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default();
                problems.push(format!("{name}:{}", problem.line));
            }
            Err(error @ ReadError::Io(_)) => fatal.push(error.to_string()),
            Err(ReadError::Notice(notice)) => problems.push(format!("notice: {}", notice.message)),
        }
    }
    (records, problems, fatal)
}

fn field(record: &Record, name: &str) -> String {
    record
        .get(name)
        .map(|v| v.first().to_string())
        .unwrap_or_default()
}

fn write(dir: &Path, name: &str, content: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).expect("write test file");
    path
}

#[test]
fn ndjson_with_bad_middle_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "events.json",
        b"{\"n\":1}\n\n{\"n\":2\n{\"n\":3}\r\n",
    );
    let (records, problems, fatal) = read_all(&[&path], InputOptions::default());
    assert_eq!(
        records.iter().map(|r| field(r, "n")).collect::<Vec<_>>(),
        ["1", "3"]
    );
    assert_eq!(problems, ["events.json:3"]);
    assert!(fatal.is_empty());
    assert_eq!(field(&records[1], "_raw"), "{\"n\":3}");
    assert_eq!(field(&records[0], "source"), path.display().to_string());
    assert_eq!(field(&records[0], "sourcetype"), "_json");
    assert_eq!(field(&records[0], "host"), "localhost");
    assert_eq!(field(&records[0], "index"), "main");
}

#[test]
fn json_array_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "array.json",
        b"\n [ {\"a\": [1, 2]},\n  {\"b\":\"x]\"} ,\n  42,\n{\"c\":true} ]\n",
    );
    let (records, problems, _) = read_all(&[&path], InputOptions::default());
    assert_eq!(records.len(), 3);
    assert_eq!(field(&records[0], "_raw"), "{\"a\": [1, 2]}");
    assert_eq!(field(&records[1], "b"), "x]");
    assert_eq!(field(&records[2], "c"), "true");
    assert_eq!(problems, ["array.json:4"]);
}

#[test]
fn gzip_multi_member() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = Vec::new();
    for member in ["{\"n\":1}\n", "{\"n\":2}\n"] {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(member.as_bytes()).expect("compress");
        bytes.extend(encoder.finish().expect("compress"));
    }
    let path = write(dir.path(), "events.json.gz", &bytes);
    let (records, problems, fatal) = read_all(&[&path], InputOptions::default());
    assert_eq!(
        records.iter().map(|r| field(r, "n")).collect::<Vec<_>>(),
        ["1", "2"]
    );
    assert!(problems.is_empty() && fatal.is_empty());
}

#[test]
fn empty_file_gives_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "empty.json", b"");
    let (records, problems, fatal) = read_all(&[&path], InputOptions::default());
    assert!(records.is_empty() && problems.is_empty() && fatal.is_empty());
}

#[test]
fn directory_walked_recursively_in_sorted_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("b")).expect("mkdir");
    write(dir.path(), "c.json", b"{\"n\":\"c\"}\n");
    write(&dir.path().join("b"), "z.json", b"{\"n\":\"b/z\"}\n");
    write(dir.path(), "a.json", b"{\"n\":\"a\"}\n");
    let (records, _, fatal) = read_all(&[dir.path()], InputOptions::default());
    assert!(fatal.is_empty());
    assert_eq!(
        records.iter().map(|r| field(r, "n")).collect::<Vec<_>>(),
        ["a", "b/z", "c"]
    );
}

#[test]
fn missing_path_is_fatal_and_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope.json");
    let good = write(dir.path(), "good.json", b"{\"n\":1}\n");
    let (records, _, fatal) = read_all(&[&missing, &good], InputOptions::default());
    assert_eq!(fatal.len(), 1);
    assert!(fatal[0].contains("nope.json"), "{}", fatal[0]);
    assert_eq!(records.len(), 1);
}

#[test]
fn invalid_utf8_line_is_a_problem() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "bad.json",
        b"{\"n\":1}\n{\"n\":\"\xff\"}\n{\"n\":3}\n",
    );
    let (records, problems, _) = read_all(&[&path], InputOptions::default());
    assert_eq!(records.len(), 2);
    assert_eq!(problems, ["bad.json:2"]);
}

#[test]
fn overlong_line_is_skipped_and_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let long = format!("{{\"s\":\"{}\"}}\n", "x".repeat(100));
    let content = format!("{{\"n\":1}}\n{long}{{\"n\":3}}\n");
    let path = write(dir.path(), "long.json", content.as_bytes());
    let options = InputOptions {
        max_line_bytes: 50,
        ..InputOptions::default()
    };
    let (records, problems, _) = read_all(&[&path], options);
    assert_eq!(
        records.iter().map(|r| field(r, "n")).collect::<Vec<_>>(),
        ["1", "3"]
    );
    assert_eq!(problems, ["long.json:2"]);
}

#[test]
fn line_at_the_limit_is_accepted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let line = "{\"n\":12345}";
    let path = write(
        dir.path(),
        "exact.json",
        format!("{line}\r\n{line}").as_bytes(),
    );
    let options = InputOptions {
        max_line_bytes: line.len(),
        ..InputOptions::default()
    };
    let (records, problems, _) = read_all(&[&path], options);
    assert_eq!(records.len(), 2);
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn source_override() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "k.json", b"{\"n\":1}\n");
    let options = InputOptions {
        source: Some("kubernetes".into()),
        ..InputOptions::default()
    };
    let (records, _, _) = read_all(&[&path], options);
    assert_eq!(field(&records[0], "source"), "kubernetes");
}

#[test]
fn array_edge_cases() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = write(dir.path(), "empty.json", b"[ \n ]\n");
    let (records, problems, _) = read_all(&[&empty], InputOptions::default());
    assert!(records.is_empty() && problems.is_empty(), "{problems:?}");
    let trailing = write(dir.path(), "trailing.json", b"[{\"a\":1}]\nxyz");
    let (records, problems, _) = read_all(&[&trailing], InputOptions::default());
    assert_eq!(records.len(), 1);
    assert_eq!(problems, ["trailing.json:2"]);
    let broken = write(dir.path(), "broken.json", b"[{\"a\":1} {\"a\":2}]");
    let (records, problems, _) = read_all(&[&broken], InputOptions::default());
    assert!(records.is_empty());
    assert_eq!(problems, ["broken.json:1"]);
    let unterminated = write(dir.path(), "open.json", b"[{\"a\":1},\n{\"a\":");
    let (records, problems, _) = read_all(&[&unterminated], InputOptions::default());
    assert_eq!(records.len(), 1);
    assert_eq!(problems, ["open.json:2"]);
}

#[test]
fn open_uses_the_given_meta() {
    use spl_engine::event::EventMeta;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "k.json", b"{\"n\":1}\n");
    let meta = EventMeta {
        source: "kubernetes".into(),
        host: "CONTENTCTL_HOST".into(),
        ..EventMeta::default()
    };
    let reader = EventReader::open(&path, meta).expect("exists");
    let records: Vec<Record> = reader.filter_map(Result::ok).collect();
    assert_eq!(field(&records[0], "source"), "kubernetes");
    assert_eq!(field(&records[0], "host"), "CONTENTCTL_HOST");
    let default_source = EventReader::open(&path, EventMeta::default()).expect("exists");
    let records: Vec<Record> = default_source.filter_map(Result::ok).collect();
    assert_eq!(field(&records[0], "source"), path.display().to_string());
    let missing = EventReader::open(&dir.path().join("missing.json"), EventMeta::default());
    let error = missing.err().expect("missing path is an error");
    assert!(error.to_string().contains("missing.json"), "{error}");
}
