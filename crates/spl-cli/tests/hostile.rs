//! Hostile input through the real `spl` binary: malformed, huge, deep, compressed, aliased,
//! cyclic and catastrophic input must give a clear message and the documented exit code,
//! never a crash, a hang or silently lost events (docs/limits.md).
//!
//! Big inputs are generated at test time in temporary folders; nothing large is committed.

mod common;

use assert_cmd::Command;
use common::{root, run, spl, Ran};

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------
// Running the binary

/// `spl run --query <spl> --data <data> --format csv`.
fn run_query(spl_text: &str, data: &Path) -> Ran {
    run(spl()
        .args(["run", "--query", spl_text, "--format", "csv", "--data"])
        .arg(data))
}

/// `spl run --query <spl> --data <data> --format json` (one JSON object per row).
fn run_query_json(spl_text: &str, data: &Path) -> Ran {
    run(spl()
        .args(["run", "--query", spl_text, "--format", "json", "--data"])
        .arg(data))
}

/// Runs a search too long for a command-line argument (Linux allows 128 KiB per argument)
/// from a detection file in `dir`, over `data`, as CSV.
fn run_long_search(dir: &Path, spl_text: &str, data: &Path) -> Ran {
    let detection = write(
        dir,
        "long_search.yml",
        format!("name: long\nsearch: |-\n  {spl_text}\n").as_bytes(),
    );
    run(spl()
        .arg("run")
        .arg(detection)
        .args(["--format", "csv", "--data"])
        .arg(data))
}

/// Runs `spl_text` over `hostile` and over `clean` (the same good events without the bad
/// ones) and asserts both give the same rows, exit code 0, and `malformed` bad events.
fn assert_same_results(spl_text: &str, hostile: &Path, clean: &Path, malformed: usize) -> Ran {
    let expected = run_query(spl_text, clean);
    assert_eq!(expected.code, Some(0), "clean run: {}", expected.stderr);
    assert!(
        expected.stderr.contains("0 malformed"),
        "the clean file has no bad events: {}",
        expected.stderr
    );
    let ran = run_query(spl_text, hostile);
    assert_eq!(ran.code, Some(0), "stderr: {}", ran.stderr);
    assert_eq!(
        ran.stdout, expected.stdout,
        "the good events give the same rows"
    );
    assert!(
        ran.stderr.contains(&format!("{malformed} malformed")),
        "summary counts every bad event: {}",
        ran.stderr
    );
    ran
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write file");
    path
}

fn lines(lines: &[&str]) -> Vec<u8> {
    (lines.join("\n") + "\n").into_bytes()
}

/// Longer than any of these runs takes on a loaded machine in a debug build, far shorter than
/// the exponential or unbounded work each timed test guards against.
const HANG_LIMIT: Duration = Duration::from_secs(120);

const GOOD_EVENTS: [&str; 3] = [
    r#"{"user":"amy","verb":"get"}"#,
    r#"{"user":"bob","verb":"list"}"#,
    r#"{"user":"amy","verb":"delete"}"#,
];

/// The query most hostile-data tests run: one row per user with its count.
const COUNT_BY_USER: &str = "* | stats count by user";

/// The CSV [`COUNT_BY_USER`] gives over [`GOOD_EVENTS`].
const GOOD_COUNTS: &str = "user,count\namy,2\nbob,1\n";

/// A clean file holding only [`GOOD_EVENTS`].
fn clean_file(dir: &Path) -> PathBuf {
    write(dir, "clean.json", &lines(&GOOD_EVENTS))
}

// ---------------------------------------------------------------------------------------
// gzip, written by hand (fixed-Huffman deflate with length-258 back-references), so a
// highly compressed file can be generated without a compression library.

/// Bits packed the way deflate wants them (least significant bit first).
#[derive(Default)]
struct BitWriter {
    bytes: Vec<u8>,
    current: u32,
    filled: u32,
}

impl BitWriter {
    fn bits(&mut self, value: u32, count: u32) {
        for index in 0..count {
            self.current |= ((value >> index) & 1) << self.filled;
            self.filled += 1;
            if self.filled == 8 {
                self.bytes.push(self.current as u8);
                self.current = 0;
                self.filled = 0;
            }
        }
    }

    /// A Huffman code, most significant bit first.
    fn code(&mut self, code: u32, length: u32) {
        for index in (0..length).rev() {
            self.bits((code >> index) & 1, 1);
        }
    }

    fn literal(&mut self, byte: u8) {
        let byte = u32::from(byte);
        if byte < 144 {
            self.code(0x30 + byte, 8);
        } else {
            self.code(0x190 + byte - 144, 9);
        }
    }

    /// "Copy 258 bytes from 1 byte back": length code 285, distance code 0.
    fn repeat_previous_258(&mut self) {
        self.code(0xC0 + 5, 8);
        self.code(0, 5);
    }

    fn finish(mut self) -> Vec<u8> {
        self.code(0, 7); // end of block (256)
        if self.filled > 0 {
            self.bytes.push(self.current as u8);
        }
        self.bytes
    }
}

/// The pieces of one gzip member: literal text, or a run of one byte repeated.
enum Piece<'a> {
    Text(&'a [u8]),
    Run(u8, u64),
}

fn crc32_update(mut crc: u32, byte: u8) -> u32 {
    crc ^= u32::from(byte);
    for _ in 0..8 {
        crc = if crc & 1 == 1 {
            (crc >> 1) ^ 0xEDB8_8320
        } else {
            crc >> 1
        };
    }
    crc
}

/// One gzip member holding `pieces` in order.
fn gzip_member(pieces: &[Piece<'_>]) -> Vec<u8> {
    let mut table = [0u32; 256];
    for (index, entry) in table.iter_mut().enumerate() {
        *entry = crc32_update(0, index as u8);
    }
    let update = |crc: u32, byte: u8| table[((crc ^ u32::from(byte)) & 0xFF) as usize] ^ (crc >> 8);
    let mut deflate = BitWriter::default();
    deflate.bits(1, 1); // final block
    deflate.bits(1, 2); // fixed Huffman codes
    let mut crc = 0xFFFF_FFFFu32;
    let mut size = 0u64;
    for piece in pieces {
        match *piece {
            Piece::Text(text) => {
                for &byte in text {
                    deflate.literal(byte);
                    crc = update(crc, byte);
                }
                size += text.len() as u64;
            }
            Piece::Run(byte, count) => {
                if count == 0 {
                    continue;
                }
                deflate.literal(byte);
                let repeats = (count - 1) / 258;
                for _ in 0..repeats {
                    deflate.repeat_previous_258();
                }
                for _ in 0..(count - 1 - repeats * 258) {
                    deflate.literal(byte);
                }
                for _ in 0..count {
                    crc = update(crc, byte);
                }
                size += count;
            }
        }
    }
    let mut member = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    member.extend(deflate.finish());
    member.extend((crc ^ 0xFFFF_FFFF).to_le_bytes());
    member.extend((size as u32).to_le_bytes());
    member
}

#[test]
fn the_hand_written_gzip_reads_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = lines(&GOOD_EVENTS);
    let path = write(
        dir.path(),
        "clean.json.gz",
        &gzip_member(&[Piece::Text(&text)]),
    );
    let ran = run_query(COUNT_BY_USER, &path);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout, GOOD_COUNTS);
}

// ---------------------------------------------------------------------------------------
// Event files

#[test]
fn malformed_json_lines_among_good_ones_are_reported_and_the_rest_is_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let hostile = write(
        dir.path(),
        "mixed.json",
        &lines(&[
            r#"{"user":"bob","verb":"#,
            GOOD_EVENTS[0],
            "not json at all",
            GOOD_EVENTS[1],
            r#"{"user":"eve"} trailing"#,
            "",
            r#"{"user":"eve","user":}"#,
            GOOD_EVENTS[2],
            r#""just a string""#,
        ]),
    );
    let clean = clean_file(dir.path());
    let ran = assert_same_results(COUNT_BY_USER, &hostile, &clean, 5);
    assert_eq!(ran.stdout, GOOD_COUNTS);
    for line in [1, 3, 5, 7, 9] {
        let expected = format!("warning: {}:{line}: invalid JSON event", hostile.display());
        assert!(ran.stderr.contains(&expected), "{expected}: {}", ran.stderr);
    }
    assert!(
        !ran.stderr.contains(":6:"),
        "a blank line is not an event: {}",
        ran.stderr
    );
    assert!(ran.stderr.contains("3 events read"), "{}", ran.stderr);
}

#[test]
fn a_100_mb_line_is_over_the_64_mib_limit_skipped_and_the_run_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge_line.json");
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        writeln!(file, "{}", GOOD_EVENTS[0]).expect("write");
        write!(file, r#"{{"user":"huge","blob":""#).expect("write");
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..100 {
            file.write_all(&chunk).expect("write");
        }
        writeln!(file, r#""}}"#).expect("write");
        writeln!(file, "{}", GOOD_EVENTS[1]).expect("write");
        writeln!(file, "{}", GOOD_EVENTS[2]).expect("write");
        file.flush().expect("flush");
    }
    let clean = clean_file(dir.path());
    let ran = assert_same_results(COUNT_BY_USER, &path, &clean, 1);
    let expected = format!(
        "warning: {}:2: line of 104857626 bytes exceeds the limit of 67108864 bytes",
        path.display()
    );
    assert!(ran.stderr.contains(&expected), "{}", ran.stderr);
    assert!(ran.stderr.contains("3 events read"), "{}", ran.stderr);
}

#[test]
fn json_nested_100000_deep_is_refused_past_512_levels_without_a_crash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let depth = 100_000;
    let deep_array = format!("{{\"deep\":{}{}}}", "[".repeat(depth), "]".repeat(depth));
    let deep_object = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    let hostile = write(
        dir.path(),
        "deep.json",
        &lines(&[
            GOOD_EVENTS[0],
            &deep_array,
            GOOD_EVENTS[1],
            &deep_object,
            GOOD_EVENTS[2],
        ]),
    );
    let clean = clean_file(dir.path());
    let ran = assert_same_results(COUNT_BY_USER, &hostile, &clean, 2);
    for line in [2, 4] {
        let expected = format!("warning: {}:{line}: invalid JSON event", hostile.display());
        assert!(ran.stderr.contains(&expected), "{expected}: {}", ran.stderr);
    }
    assert_eq!(
        ran.stderr
            .matches("JSON nesting deeper than 512 levels")
            .count(),
        2,
        "{}",
        ran.stderr
    );
}

#[test]
fn json_nested_exactly_512_deep_is_accepted() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The top-level object is level 1, so 511 more arrays reach the 512-level limit.
    let event = format!(
        "{{\"user\":\"deep\",\"a\":{}1{}}}",
        "[".repeat(511),
        "]".repeat(511)
    );
    let path = write(dir.path(), "deep_ok.json", &lines(&[&event]));
    let ran = run_query("* | table user", &path);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout, "user\ndeep\n");
    assert!(ran.stderr.contains("0 malformed"), "{}", ran.stderr);
}

#[test]
fn invalid_utf8_lines_are_reported_and_the_rest_is_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = Vec::new();
    bytes.extend(GOOD_EVENTS[0].as_bytes());
    bytes.extend(b"\n{\"user\":\"\xff\xfe\"}\n");
    bytes.extend(GOOD_EVENTS[1].as_bytes());
    bytes.extend(b"\n{\"user\":\"\xc3\x28\"}\n"); // a broken two-byte sequence
    bytes.extend(b"{\"user\":\"\xed\xa0\x80\"}\n"); // an encoded surrogate
    bytes.extend(GOOD_EVENTS[2].as_bytes());
    bytes.push(b'\n');
    let hostile = write(dir.path(), "latin1.json", &bytes);
    let clean = clean_file(dir.path());
    let ran = assert_same_results(COUNT_BY_USER, &hostile, &clean, 3);
    for line in [2, 4, 5] {
        let expected = format!("warning: {}:{line}: invalid UTF-8", hostile.display());
        assert!(ran.stderr.contains(&expected), "{expected}: {}", ran.stderr);
    }
}

#[test]
fn empty_and_blank_files_give_no_events_and_succeed() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, bytes) in [
        ("empty.json", &b""[..]),
        ("blank.json", &b"\n\n   \r\n\t\n"[..]),
        ("empty_array.json", &b"[]"[..]),
        ("empty.json.gz", &gzip_member(&[])[..]),
    ] {
        let path = write(dir.path(), name, bytes);
        let ran = run_query_json("* | table user", &path);
        assert_eq!(ran.code, Some(0), "{name}: {}", ran.stderr);
        assert_eq!(ran.stdout, "", "{name}: no rows");
        assert!(
            ran.stderr.contains("0 events read") && ran.stderr.contains("0 malformed"),
            "{name}: {}",
            ran.stderr
        );
    }
}

#[test]
fn stats_count_over_an_empty_file_is_one_row_of_zero() {
    // spl-semantics §4: `stats count` without BY gives one row even with no events.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "empty.json", b"");
    let ran = run_query("* | stats count", &path);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout, "count\n0\n");
}

/// Linux only: runs `spl` under `ulimit -v` so that reading a file whole would fail.
#[cfg(target_os = "linux")]
fn run_with_memory_limit(kib: u64, args: &[&std::ffi::OsStr]) -> Ran {
    let binary = assert_cmd::cargo::cargo_bin("spl");
    let mut command = Command::new("sh");
    command
        .current_dir(root())
        .env_remove("SPL_GEOIP_DB")
        .env_remove("SPLUNK_HOME")
        .arg("-c")
        .arg(format!("ulimit -v {kib} && exec \"$0\" \"$@\""))
        .arg(binary)
        .args(args);
    run(&mut command)
}

#[cfg(target_os = "linux")]
#[test]
fn a_gzip_bomb_line_is_stopped_by_the_line_limit_in_bounded_memory() {
    // About 70 MB of zero bytes on one line (over the 64 MiB line limit) compress to about
    // 440 KB; a newline and a good event follow in the same member, and more good events in
    // a second member.
    let dir = tempfile::tempdir().expect("tempdir");
    let bomb_bytes = 70_000_000;
    let first_text = format!("{}\n", GOOD_EVENTS[0]);
    let after = format!("\n{}\n", GOOD_EVENTS[1]);
    let rest = format!("{}\n", GOOD_EVENTS[2]);
    let mut bytes = gzip_member(&[
        Piece::Text(first_text.as_bytes()),
        Piece::Run(0, bomb_bytes),
        Piece::Text(after.as_bytes()),
    ]);
    bytes.extend(gzip_member(&[Piece::Text(rest.as_bytes())]));
    assert!(
        bytes.len() < 1 << 20,
        "the bomb is small: {} bytes",
        bytes.len()
    );
    let path = write(dir.path(), "bomb.json.gz", &bytes);
    let started = Instant::now();
    // 600 MiB of address space: enough for the 64 MiB line buffer, far from what holding
    // the decompressed data several times over would need.
    let ran = run_with_memory_limit(
        600 * 1024,
        &[
            "run".as_ref(),
            "--query".as_ref(),
            COUNT_BY_USER.as_ref(),
            "--format".as_ref(),
            "csv".as_ref(),
            "--data".as_ref(),
            path.as_os_str(),
        ],
    );
    assert_eq!(ran.code, Some(0), "stderr: {}", ran.stderr);
    assert_eq!(ran.stdout, GOOD_COUNTS);
    let expected = format!(
        "warning: {}:2: line of 70000001 bytes exceeds the limit of 67108864 bytes",
        path.display()
    );
    assert!(ran.stderr.contains(&expected), "{}", ran.stderr);
    assert!(ran.stderr.contains("1 malformed"), "{}", ran.stderr);
    assert!(
        started.elapsed() < HANG_LIMIT,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_multi_member_gzip_is_read_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = Vec::new();
    for event in GOOD_EVENTS {
        let text = format!("{event}\n");
        bytes.extend(gzip_member(&[Piece::Text(text.as_bytes())]));
    }
    let path = write(dir.path(), "members.json.gz", &bytes);
    let ran = run_query(COUNT_BY_USER, &path);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout, GOOD_COUNTS, "every member's events are read");
    assert!(ran.stderr.contains("3 events read"), "{}", ran.stderr);
}

#[test]
fn a_truncated_gzip_stops_the_run_naming_the_file() {
    // input.rs: a file that cannot be read to its end stops the run (exit code 2); no
    // results are printed, so nothing is lost silently.
    let dir = tempfile::tempdir().expect("tempdir");
    let text = lines(&GOOD_EVENTS);
    let mut bytes = gzip_member(&[Piece::Text(&text)]);
    bytes.truncate(bytes.len() - 6); // cut inside the trailer
    let path = write(dir.path(), "cut.json.gz", &bytes);
    let ran = run_query(COUNT_BY_USER, &path);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert_eq!(ran.stdout, "");
    assert!(
        ran.stderr.contains(&format!("error: {}: ", path.display())),
        "the damaged file is named: {}",
        ran.stderr
    );
}

#[test]
fn zero_padding_after_the_last_gzip_member_is_ignored_with_a_warning() {
    // Like `gzip -d`, which ignores trailing zeros (left by tape and block devices) with a
    // warning; here the warning names the file, the count and where the padding starts.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = gzip_member(&[Piece::Text(&lines(&GOOD_EVENTS))]);
    let member_length = bytes.len();
    bytes.extend([0u8; 512]);
    let path = write(dir.path(), "padded.json.gz", &bytes);
    let ran = run_query(COUNT_BY_USER, &path);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout, GOOD_COUNTS);
    let expected = format!(
        "warning: {}: 512 zero bytes after the last gzip member (from byte offset \
         {member_length}) ignored",
        path.display()
    );
    assert!(ran.stderr.contains(&expected), "{}", ran.stderr);
    assert!(ran.stderr.contains("0 malformed"), "{}", ran.stderr);
}

#[test]
fn other_bytes_after_the_last_gzip_member_stop_the_run_naming_the_offset() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = gzip_member(&[Piece::Text(&lines(&GOOD_EVENTS))]);
    let member_length = bytes.len();
    bytes.extend(b"\0\0junk");
    let path = write(dir.path(), "garbage.json.gz", &bytes);
    let ran = run_query(COUNT_BY_USER, &path);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert_eq!(ran.stdout, "", "no partial results");
    let expected = format!(
        "error: {}: unexpected data after the last gzip member at byte offset {member_length} \
         (first non-zero byte at offset {})",
        path.display(),
        member_length + 2
    );
    assert!(ran.stderr.contains(&expected), "{}", ran.stderr);
}

#[test]
fn a_second_gzip_member_with_a_damaged_header_stops_the_run_naming_its_offset() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = gzip_member(&[Piece::Text(&lines(&GOOD_EVENTS))]);
    let member_length = bytes.len();
    bytes.extend([0x1f, 0x8b, 99, 0, 0, 0, 0, 0, 0, 0xff]); // compression method 99
    let path = write(dir.path(), "bad_member.json.gz", &bytes);
    let ran = run_query(COUNT_BY_USER, &path);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert_eq!(ran.stdout, "");
    let expected = format!(
        "error: {}: gzip member starting at byte offset {member_length}: ",
        path.display()
    );
    assert!(ran.stderr.contains(&expected), "{}", ran.stderr);
}

// ---------------------------------------------------------------------------------------
// zstd

/// [`GOOD_EVENTS`] as the `zstd` tool (1.5.4, `zstd -19`) writes them: one frame with a
/// compressed block and a checksum.
const GOOD_EVENTS_ZSTD: [u8; 67] = [
    0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x58, 0xb5, 0x01, 0x00, 0xf2, 0x42, 0x0a, 0x10, 0xb0, 0xeb, 0x04,
    0x6d, 0x05, 0xc3, 0x21, 0x51, 0x1b, 0x4e, 0x1e, 0x58, 0x68, 0x06, 0x49, 0x8c, 0xb7, 0xbe, 0xbe,
    0x5c, 0xdc, 0x5a, 0x13, 0x29, 0x79, 0xf2, 0xd6, 0xfa, 0x61, 0x74, 0xa2, 0x2f, 0x03, 0x33, 0x13,
    0x8c, 0x46, 0x4f, 0xca, 0x2d, 0x03, 0x00, 0x5c, 0x29, 0x03, 0xf6, 0xe0, 0x8b, 0xe9, 0x04, 0xd2,
    0x7b, 0x45, 0x74,
];

/// The largest zstd block (128 KiB).
const ZSTD_BLOCK: u64 = 128 * 1024;

/// One zstd frame written by hand (RFC 8878): a 128 KiB window, no content size and no
/// checksum; text in raw blocks, runs in RLE blocks, so large runs stay tiny.
fn zstd_frame(pieces: &[Piece<'_>]) -> Vec<u8> {
    let mut frame = vec![0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38];
    let mut blocks: Vec<(u32, Vec<u8>, u64)> = Vec::new(); // (type, content, size)
    for piece in pieces {
        match *piece {
            Piece::Text(text) => {
                for chunk in text.chunks(ZSTD_BLOCK as usize) {
                    blocks.push((0, chunk.to_vec(), chunk.len() as u64));
                }
            }
            Piece::Run(byte, count) => {
                let mut left = count;
                while left > 0 {
                    let size = left.min(ZSTD_BLOCK);
                    blocks.push((1, vec![byte], size));
                    left -= size;
                }
            }
        }
    }
    if blocks.is_empty() {
        blocks.push((0, Vec::new(), 0));
    }
    let last_index = blocks.len() - 1;
    for (index, (kind, content, size)) in blocks.into_iter().enumerate() {
        let header = u32::from(index == last_index) | (kind << 1) | ((size as u32) << 3);
        frame.extend(&header.to_le_bytes()[..3]);
        frame.extend(content);
    }
    frame
}

/// A skippable zstd frame holding `content`.
fn zstd_skippable_frame(content: &[u8]) -> Vec<u8> {
    let mut frame = vec![0x5a, 0x2a, 0x4d, 0x18];
    frame.extend((content.len() as u32).to_le_bytes());
    frame.extend(content);
    frame
}

#[test]
fn a_zstd_file_written_by_the_zstd_tool_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "good.json.zst", &GOOD_EVENTS_ZSTD);
    let ran = run_query(COUNT_BY_USER, &path);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout, GOOD_COUNTS);
    assert!(ran.stderr.contains("3 events read"), "{}", ran.stderr);
}

#[test]
fn a_multi_frame_zstd_file_is_read_whole_and_skippable_frames_are_passed_over() {
    // Frames are read one after another to the end (RFC 8878 §3: a stream is one or more
    // frames); the skippable frame's content is not events.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = GOOD_EVENTS_ZSTD.to_vec();
    bytes.extend(zstd_skippable_frame(br#"{"user":"hidden"}"#));
    bytes.extend(zstd_frame(&[Piece::Text(&lines(&GOOD_EVENTS[..1]))]));
    bytes.extend(zstd_frame(&[]));
    bytes.extend(zstd_frame(&[Piece::Text(&lines(&GOOD_EVENTS[1..2]))]));
    let path = write(dir.path(), "frames.json.zst", &bytes);
    let ran = run_query(COUNT_BY_USER, &path);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout, "user,count\namy,3\nbob,2\n");
    assert!(ran.stderr.contains("5 events read"), "{}", ran.stderr);
}

#[test]
fn zero_padding_after_the_last_zstd_frame_is_ignored_with_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = GOOD_EVENTS_ZSTD.to_vec();
    bytes.extend([0u8; 100]);
    let path = write(dir.path(), "padded.json.zst", &bytes);
    let ran = run_query(COUNT_BY_USER, &path);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout, GOOD_COUNTS);
    let expected = format!(
        "warning: {}: 100 zero bytes after the last zstd frame (from byte offset 67) ignored",
        path.display()
    );
    assert!(ran.stderr.contains(&expected), "{}", ran.stderr);
}

#[test]
fn damaged_zstd_files_stop_the_run_naming_the_file_and_offset() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut garbage = GOOD_EVENTS_ZSTD.to_vec();
    garbage.extend(b"PK\x03\x04");
    let mut truncated = GOOD_EVENTS_ZSTD.to_vec();
    truncated.extend(zstd_frame(&[Piece::Text(&lines(&GOOD_EVENTS))]));
    truncated.truncate(truncated.len() - 10);
    // The last byte of the content checksum changed.
    let mut bad_checksum = GOOD_EVENTS_ZSTD.to_vec();
    if let Some(last) = bad_checksum.last_mut() {
        *last ^= 0xff;
    }
    // A frame header asking for a 1 TiB window: refused before anything is allocated.
    let mut huge_window = vec![0x28, 0xb5, 0x2f, 0xfd, 0x00, 0xf0];
    huge_window.extend([0x01, 0x00, 0x00]);
    let cases = [
        (
            "garbage.json.zst",
            garbage,
            "unexpected data after the last zstd frame at byte offset 67 (first non-zero byte \
             at offset 67)",
        ),
        (
            "truncated.json.zst",
            truncated,
            "zstd frame starting at byte offset 67: ",
        ),
        (
            "bad_checksum.json.zst",
            bad_checksum,
            "zstd frame starting at byte offset 0: the content checksum does not match (the \
             data is damaged)",
        ),
        (
            "huge_window.json.zst",
            huge_window,
            "zstd frame starting at byte offset 0: ",
        ),
    ];
    for (name, bytes, message) in cases {
        let path = write(dir.path(), name, &bytes);
        let ran = run_query(COUNT_BY_USER, &path);
        assert_eq!(ran.code, Some(2), "{name}: {}", ran.stderr);
        assert_eq!(ran.stdout, "", "{name}: no partial results");
        let expected = format!("error: {}: {message}", path.display());
        assert!(ran.stderr.contains(&expected), "{name}: {}", ran.stderr);
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_zstd_bomb_line_is_stopped_by_the_line_limit_in_bounded_memory() {
    // 70 MB of zero bytes on one line in RLE blocks: about 2 KB compressed.
    let dir = tempfile::tempdir().expect("tempdir");
    let first_text = format!("{}\n", GOOD_EVENTS[0]);
    let after = format!("\n{}\n", GOOD_EVENTS[1]);
    let rest = format!("{}\n", GOOD_EVENTS[2]);
    let mut bytes = zstd_frame(&[
        Piece::Text(first_text.as_bytes()),
        Piece::Run(0, 70_000_000),
        Piece::Text(after.as_bytes()),
    ]);
    bytes.extend(zstd_frame(&[Piece::Text(rest.as_bytes())]));
    assert!(
        bytes.len() < 4096,
        "the bomb is small: {} bytes",
        bytes.len()
    );
    let path = write(dir.path(), "bomb.json.zst", &bytes);
    let started = Instant::now();
    let ran = run_with_memory_limit(
        600 * 1024,
        &[
            "run".as_ref(),
            "--query".as_ref(),
            COUNT_BY_USER.as_ref(),
            "--format".as_ref(),
            "csv".as_ref(),
            "--data".as_ref(),
            path.as_os_str(),
        ],
    );
    assert_eq!(ran.code, Some(0), "stderr: {}", ran.stderr);
    assert_eq!(ran.stdout, GOOD_COUNTS);
    let expected = format!(
        "warning: {}:2: line of 70000001 bytes exceeds the limit of 67108864 bytes",
        path.display()
    );
    assert!(ran.stderr.contains(&expected), "{}", ran.stderr);
    assert!(ran.stderr.contains("1 malformed"), "{}", ran.stderr);
    assert!(
        started.elapsed() < HANG_LIMIT,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_directory_of_event_files_is_read_whole_and_an_empty_one_gives_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let events = dir.path().join("events");
    std::fs::create_dir_all(events.join("nested")).expect("mkdir");
    write(&events, "a.json", &lines(&GOOD_EVENTS[..1]));
    write(&events.join("nested"), "b.json", &lines(&GOOD_EVENTS[1..]));
    let ran = run_query(COUNT_BY_USER, &events);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout, GOOD_COUNTS);

    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let ran = run_query_json("* | table user", &empty);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout, "");
    assert!(ran.stderr.contains("0 events read"), "{}", ran.stderr);
}

#[test]
fn a_data_path_that_does_not_exist_stops_the_run_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("no_such_dir").join("events.json");
    let ran = run_query(COUNT_BY_USER, &missing);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert_eq!(ran.stdout, "");
    assert!(
        ran.stderr
            .contains(&format!("error: {}:", missing.display())),
        "{}",
        ran.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_loop_in_a_data_folder_is_read_once_instead_of_recursing_forever() {
    let dir = tempfile::tempdir().expect("tempdir");
    let events = dir.path().join("events");
    std::fs::create_dir(&events).expect("mkdir");
    write(&events, "a.json", &lines(&GOOD_EVENTS));
    std::os::unix::fs::symlink(".", events.join("loop")).expect("symlink");
    let started = Instant::now();
    let ran = run_query(COUNT_BY_USER, &events);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(
        ran.stdout, GOOD_COUNTS,
        "each real file is read exactly once, the loop is not followed again"
    );
    assert!(ran.stderr.contains("3 events read"), "{}", ran.stderr);
    assert!(
        started.elapsed() < HANG_LIMIT,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_json_array_document_with_a_too_deep_element_keeps_the_other_elements() {
    let dir = tempfile::tempdir().expect("tempdir");
    let depth = 100_000;
    let document = format!(
        "[\n{},\n{{\"user\":\"deep\",\"a\":{}1{}}},\n{},\n{}\n]\n",
        GOOD_EVENTS[0],
        "[".repeat(depth),
        "]".repeat(depth),
        GOOD_EVENTS[1],
        GOOD_EVENTS[2]
    );
    let path = write(dir.path(), "deep_array.json", document.as_bytes());
    let ran = run_query(COUNT_BY_USER, &path);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout, GOOD_COUNTS);
    let expected = format!(
        "warning: {}:3: invalid JSON event: JSON nesting deeper than 512 levels",
        path.display()
    );
    assert!(ran.stderr.contains(&expected), "{}", ran.stderr);
    assert!(ran.stderr.contains("1 malformed"), "{}", ran.stderr);
}

#[test]
fn a_json_array_document_with_one_bad_element_is_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let document = format!(
        "[\n{},\n{},\n{}\n]\n",
        GOOD_EVENTS[0], GOOD_EVENTS[1], GOOD_EVENTS[2]
    );
    let path = write(dir.path(), "array.json", document.as_bytes());
    let ran = run_query(COUNT_BY_USER, &path);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout, GOOD_COUNTS);

    let broken = format!(
        "[\n{},\n{{\"user\": }},\n{}\n]\n",
        GOOD_EVENTS[0], GOOD_EVENTS[1]
    );
    let path = write(dir.path(), "broken_array.json", broken.as_bytes());
    let ran = run_query(COUNT_BY_USER, &path);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(
        ran.stderr
            .contains(&format!("{}:3: invalid JSON event", path.display()))
            && ran.stderr.contains("1 malformed"),
        "a syntax error in an array document is reported and counted: {}",
        ran.stderr
    );
}

// ---------------------------------------------------------------------------------------
// Detection and macro YAML

fn detection_yaml(search: &str) -> String {
    format!("name: hostile\nid: 0\ntype: TTP\nsearch: '{search}'\n")
}

/// Runs a detection file over the clean events.
fn run_detection(dir: &Path, detection: &Path) -> Ran {
    let clean = clean_file(dir);
    run(spl()
        .args(["run"])
        .arg(detection)
        .args(["--format", "csv", "--data"])
        .arg(clean))
}

#[test]
fn yaml_anchors_and_aliases_are_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "name: &n hostile\nid: *n\ntype: TTP\nsearch: '* | stats count by user'\n";
    let path = write(dir.path(), "anchors.yml", text.as_bytes());
    let ran = run_detection(dir.path(), &path);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert_eq!(ran.stdout, "");
    assert!(
        ran.stderr
            .contains("YAML anchors (&name) and aliases (*name) are not allowed"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains(&path.display().to_string()),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_yaml_alias_bomb_is_refused_fast() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from(
        "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for level in 1..10 {
        let previous = format!("*a{}", level - 1);
        let list = [previous.as_str(); 9].join(",");
        text.push_str(&format!("a{level}: &a{level} [{list}]\n"));
    }
    text.push_str("name: bomb\nsearch: '* | stats count'\n");
    let path = write(dir.path(), "bomb.yml", text.as_bytes());
    let started = Instant::now();
    let ran = run_detection(dir.path(), &path);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert!(
        ran.stderr
            .contains("YAML anchors (&name) and aliases (*name) are not allowed"),
        "{}",
        ran.stderr
    );
    assert!(
        started.elapsed() < HANG_LIMIT,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_detection_yaml_over_1_mib_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = detection_yaml("* | stats count by user");
    text.push_str("description: ");
    text.push_str(&"x".repeat(1 << 20));
    text.push('\n');
    let size = text.len();
    let path = write(dir.path(), "big.yml", text.as_bytes());
    let ran = run_detection(dir.path(), &path);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    let expected = format!("the file has {size} bytes, more than the limit of 1048576");
    let expected_truncated = "more than the limit of 1048576";
    assert!(
        ran.stderr.contains(&expected) || ran.stderr.contains(expected_truncated),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_detection_yaml_just_under_1_mib_is_accepted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = detection_yaml("* | stats count by user");
    text.push_str("description: ");
    let room = (1 << 20) - text.len() - 1;
    text.push_str(&"x".repeat(room));
    text.push('\n');
    assert_eq!(text.len(), 1 << 20);
    let path = write(dir.path(), "almost.yml", text.as_bytes());
    let ran = run_detection(dir.path(), &path);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout, GOOD_COUNTS);
}

#[test]
fn an_empty_or_non_utf8_detection_file_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = write(dir.path(), "empty.yml", b"");
    let ran = run_detection(dir.path(), &empty);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert!(
        ran.stderr.contains(&empty.display().to_string()),
        "{}",
        ran.stderr
    );

    let latin1 = write(
        dir.path(),
        "latin1.yml",
        b"name: caf\xe9\nsearch: '* | stats count'\n",
    );
    let ran = run_detection(dir.path(), &latin1);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("the file is not UTF-8 text"),
        "{}",
        ran.stderr
    );
}

fn macro_dir(dir: &Path, macros: &[(&str, &str)]) -> PathBuf {
    let folder = dir.join("hostile_macros");
    std::fs::create_dir_all(&folder).expect("mkdir");
    for (name, definition) in macros {
        let text = format!("name: {name}\ndefinition: '{definition}'\n");
        write(&folder, &format!("{name}.yml"), text.as_bytes());
    }
    folder
}

fn run_with_macros(spl_text: &str, macros: &Path, data: &Path) -> Ran {
    run(spl()
        .args(["run", "--query", spl_text, "--format", "csv", "--macros"])
        .arg(macros)
        .arg("--data")
        .arg(data))
}

#[test]
fn a_macro_cycle_is_refused_naming_the_cycle() {
    let dir = tempfile::tempdir().expect("tempdir");
    let macros = macro_dir(
        dir.path(),
        &[("ping", "verb=get `pong`"), ("pong", "user=amy `ping`")],
    );
    let data = clean_file(dir.path());
    let ran = run_with_macros("`ping` | stats count", &macros, &data);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert_eq!(ran.stdout, "");
    assert!(ran.stderr.contains("spl::macro::cycle"), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("ping -> pong -> ping"),
        "the chain is named: {}",
        ran.stderr
    );
    assert!(ran.stderr.contains("<query>:1:1"), "{}", ran.stderr);
}

#[test]
fn a_macro_chain_deeper_than_100_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    // d0 calls d1 … calls d120: no cycle, but 121 levels of nesting.
    let definitions: Vec<(String, String)> = (0..=120)
        .map(|level| {
            let definition = if level == 120 {
                "verb=get".to_string()
            } else {
                format!("`d{}`", level + 1)
            };
            (format!("d{level}"), definition)
        })
        .collect();
    let borrowed: Vec<(&str, &str)> = definitions
        .iter()
        .map(|(name, definition)| (name.as_str(), definition.as_str()))
        .collect();
    let macros = macro_dir(dir.path(), &borrowed);
    let data = clean_file(dir.path());
    let ran = run_with_macros("`d0`", &macros, &data);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("spl::macro::too_deep"),
        "{}",
        ran.stderr
    );

    // 101 levels (d20 … d120) are one too many; 100 levels (d21 … d120) are within the limit.
    let ran = run_with_macros("`d20`", &macros, &data);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("spl::macro::too_deep"),
        "{}",
        ran.stderr
    );
    let ran = run_with_macros("`d21` | stats count", &macros, &data);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout, "count\n1\n");
}

#[test]
fn a_self_recursive_macro_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let macros = macro_dir(dir.path(), &[("forever", "`forever` verb=get")]);
    let data = clean_file(dir.path());
    let ran = run_with_macros("`forever`", &macros, &data);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert!(ran.stderr.contains("spl::macro::cycle"), "{}", ran.stderr);
}

#[test]
fn a_macro_that_grows_exponentially_is_stopped_by_the_size_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Each level repeats the previous one 8 times: level 8 would be 8^8 * 9 bytes (~150 MB).
    let mut definitions = vec![("m0".to_string(), "verb=get ".to_string())];
    for level in 1..=8 {
        let call = format!("`m{}` ", level - 1);
        definitions.push((format!("m{level}"), call.repeat(8)));
    }
    let borrowed: Vec<(&str, &str)> = definitions
        .iter()
        .map(|(name, definition)| (name.as_str(), definition.as_str()))
        .collect();
    let macros = macro_dir(dir.path(), &borrowed);
    let data = clean_file(dir.path());
    let started = Instant::now();
    let ran = run_with_macros("`m8`", &macros, &data);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("spl::macro::too_large"),
        "{}",
        ran.stderr
    );
    assert!(
        started.elapsed() < HANG_LIMIT,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn an_unknown_macro_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = clean_file(dir.path());
    let ran = run_query("`no_such_macro_anywhere` | stats count", &data);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert!(ran.stderr.contains("spl::macro::unknown"), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("no_such_macro_anywhere"),
        "{}",
        ran.stderr
    );
}

// ---------------------------------------------------------------------------------------
// Hostile SPL

#[test]
fn unknown_commands_and_functions_are_refused_with_codes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = clean_file(dir.path());
    let ran = run_query("* | frobnicate user", &data);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("spl::plan::unsupported_command"),
        "{}",
        ran.stderr
    );
    let ran = run_query("* | eval x=frobnicate(user)", &data);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("spl::plan::unknown_function"),
        "{}",
        ran.stderr
    );
    let ran = run_query("* | where len(user, user, user) > 1", &data);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("spl::plan::wrong_arity"),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_catastrophic_regex_finishes_fast_and_still_matches_good_values() {
    let dir = tempfile::tempdir().expect("tempdir");
    let evil = format!("{{\"f\":\"{}b\"}}", "a".repeat(50_000));
    let good = r#"{"f":"aaaa"}"#;
    let path = write(dir.path(), "regex.json", &lines(&[&evil, good, &evil]));
    for pattern in ["(a+)+$", "(a|aa)+$", "(a|a)+(?=c)"] {
        let started = Instant::now();
        let ran = run_query(
            &format!("* | where match(f, \"{pattern}\") | stats count"),
            &path,
        );
        assert_eq!(ran.code, Some(0), "{pattern}: {}", ran.stderr);
        // Only "aaaa" matches `(a+)+$` and `(a|aa)+$` (they run on the linear-time engine);
        // nothing matches the lookahead one (no "c" anywhere) and it fails fast.
        let expected = if pattern.contains("(?=c)") { 0 } else { 1 };
        assert_eq!(ran.stdout, format!("count\n{expected}\n"), "{pattern}");
        assert!(
            started.elapsed() < HANG_LIMIT,
            "{pattern} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn unconfirmed_an_eval_regex_that_hits_the_backtracking_limit_stops_the_run_like_rex() {
    // Splunk's PCRE limits (`limits.conf [rex] match_limit`) stop a search whose `rex` runs
    // out of them with an error; that `match()`/`replace()` in `eval`/`where` do the same is
    // the most plausible reading (unconfirmed). Either way it is never a silent "no match".
    let dir = tempfile::tempdir().expect("tempdir");
    // The back-reference puts the pattern on the backtracking engine (docs/limits.md); in
    // SPL string literals `\\` is one backslash.
    let pattern = r"^(?:(a)\1?)+(?=b)";
    let spl_pattern = r"^(?:(a)\\1?)+(?=b)";
    let evil = format!("{{\"f\":\"{}!\"}}", "a".repeat(40));
    let hostile = write(
        dir.path(),
        "evil.json",
        &lines(&[GOOD_EVENTS[0], &evil, GOOD_EVENTS[1]]),
    );
    let expected_error = |shown: &str| {
        format!(
            "error: regular expression `{shown}` exceeded its limit of 1000000 backtracking \
             steps; simplify the pattern"
        )
    };
    let with_group = format!("{pattern}(?<g>b?)");
    for (search, shown) in [
        (
            format!("* | where match(f, \"{spl_pattern}\") | stats count"),
            pattern,
        ),
        (
            format!("* | eval g=replace(f, \"{spl_pattern}\", \"x\") | stats count by g"),
            pattern,
        ),
        (
            format!("* | eval n=mvfind(f, \"{spl_pattern}\") | stats count"),
            pattern,
        ),
        (
            format!("* | rex field=f \"{spl_pattern}(?<g>b?)\" | stats count"),
            with_group.as_str(),
        ),
        (
            format!("* | regex f=\"{spl_pattern}\" | stats count"),
            pattern,
        ),
    ] {
        let ran = run_query(&search, &hostile);
        assert_eq!(ran.code, Some(3), "{search}: {}", ran.stderr);
        assert_eq!(ran.stdout, "", "{search}: no partial results");
        assert!(
            ran.stderr.contains(&expected_error(shown)),
            "{search}: {}",
            ran.stderr
        );
    }
    // The same searches over values that do not exhaust the limit run normally.
    let clean = write(
        dir.path(),
        "fine.json",
        &lines(&[r#"{"f":"aab"}"#, r#"{"f":"ccc"}"#]),
    );
    let ran = run_query(
        &format!("* | where match(f, \"{spl_pattern}\") | table f"),
        &clean,
    );
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout, "f\naab\n");
}

#[test]
fn many_wildcards_over_a_long_value_finish_fast() {
    let dir = tempfile::tempdir().expect("tempdir");
    let long = format!("{{\"f\":\"{}\"}}", "a".repeat(50_000));
    let path = write(dir.path(), "glob.json", &lines(&[&long, r#"{"f":"aab"}"#]));
    for (query, expected) in [
        // Search wildcards: only "aab" has a `b` after the `a`s.
        ("f=\"*a*a*a*a*a*a*a*a*a*a*a*a*b\" | stats count", 0),
        ("f=\"*a*a*b\" | stats count", 1),
        ("f=\"*a*a*a*a*a*a*a*a*a*a*a*a*\" | stats count", 1),
        // LIKE: `%` is any run of characters.
        (
            "* | where like(f, \"%a%a%a%a%a%a%a%a%a%a%a%a%b\") | stats count",
            0,
        ),
        ("* | where f LIKE \"%a%a%b\" | stats count", 1),
    ] {
        let started = Instant::now();
        let ran = run_query(query, &path);
        assert_eq!(ran.code, Some(0), "{query}: {}", ran.stderr);
        assert_eq!(ran.stdout, format!("count\n{expected}\n"), "{query}");
        assert!(
            started.elapsed() < HANG_LIMIT,
            "{query} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn an_invalid_regex_is_refused_at_compile_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = clean_file(dir.path());
    let ran = run_query("* | where match(user, \"(unclosed\")", &data);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("spl::plan::bad_regex"),
        "{}",
        ran.stderr
    );
}

#[test]
fn deeply_nested_spl_is_refused_without_a_stack_overflow() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = clean_file(dir.path());
    let depth = 100_000;
    for spl_text in [
        format!("* | eval x={}1{}", "(".repeat(depth), ")".repeat(depth)),
        format!("{}user=amy{}", "(".repeat(depth), ")".repeat(depth)),
        format!("* | where {}true()", "NOT ".repeat(depth)),
        format!("* | eval x={}1", "-".repeat(depth)),
    ] {
        let ran = run_long_search(dir.path(), &spl_text, &data);
        let stderr = &ran.stderr[..ran.stderr.len().min(2000)];
        assert_eq!(ran.code, Some(2), "{}…: {stderr}", &spl_text[..20]);
        assert!(
            stderr.contains("error[spl::parse::too_deep]"),
            "{}…: {stderr}",
            &spl_text[..20]
        );
    }
}

#[test]
fn a_long_flat_spl_chain_is_parsed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = clean_file(dir.path());
    let count = 20_000;
    // A long OR chain of search terms, a long `+` chain in eval, and many pipes.
    let or_chain = vec!["user=amy"; count].join(" OR ");
    let ran = run_long_search(dir.path(), &format!("{or_chain} | stats count"), &data);
    assert_eq!(
        ran.code,
        Some(0),
        "{}",
        &ran.stderr[..ran.stderr.len().min(2000)]
    );
    assert_eq!(ran.stdout, "count\n2\n");

    // An operator chain is one expression level however long it is (docs/limits.md): the
    // 200-level depth limit counts only real nesting.
    let terms = 10_000;
    let sum = vec!["1"; terms].join("+");
    let ran = run_long_search(
        dir.path(),
        &format!("* | head 1 | eval x={sum} | table x"),
        &data,
    );
    assert_eq!(
        ran.code,
        Some(0),
        "{}",
        &ran.stderr[..ran.stderr.len().min(2000)]
    );
    assert_eq!(ran.stdout, format!("x\n{terms}\n"));
    // `+` and `-` are one precedence level, grouped from the left: 10 - 1 + 1 - 1 + … with
    // 10,000 terms after the 10 is 10.
    let alternating = vec!["1"; terms]
        .iter()
        .enumerate()
        .map(|(index, one)| format!("{}{one}", if index % 2 == 0 { "-" } else { "+" }))
        .collect::<String>();
    let ran = run_long_search(
        dir.path(),
        &format!("* | head 1 | eval x=10{alternating} | table x"),
        &data,
    );
    assert_eq!(
        ran.code,
        Some(0),
        "{}",
        &ran.stderr[..ran.stderr.len().min(2000)]
    );
    assert_eq!(ran.stdout, "x\n10\n");
    let users = vec!["user=\"amy\""; terms].join(" OR ");
    let ran = run_long_search(
        dir.path(),
        &format!("* | where {users} | stats count"),
        &data,
    );
    assert_eq!(
        ran.code,
        Some(0),
        "{}",
        &ran.stderr[..ran.stderr.len().min(2000)]
    );
    assert_eq!(ran.stdout, "count\n2\n");
    let conditions = vec!["isnotnull(user)"; terms].join(" AND ");
    let ran = run_long_search(
        dir.path(),
        &format!("* | eval all_set=if({conditions} AND user=\"bob\", \"yes\", \"no\") | stats count by all_set"),
        &data,
    );
    assert_eq!(
        ran.code,
        Some(0),
        "{}",
        &ran.stderr[..ran.stderr.len().min(2000)]
    );
    assert_eq!(ran.stdout, "all_set,count\nno,2\nyes,1\n");

    let pipes = vec!["search user=*"; 2_000].join(" | ");
    let ran = run_long_search(dir.path(), &format!("* | {pipes} | stats count"), &data);
    assert_eq!(
        ran.code,
        Some(0),
        "{}",
        &ran.stderr[..ran.stderr.len().min(2000)]
    );
    assert_eq!(ran.stdout, "count\n3\n");
}

#[test]
fn real_expression_nesting_past_200_levels_is_still_refused() {
    // Each level nests seven operators of different precedence (XOR, OR, AND, =, +, *,
    // unary minus) around a parenthesis: 31 levels are 217 expression levels while the
    // parser's own nesting (parentheses and unary minus, 62) stays under its limit of 64.
    let dir = tempfile::tempdir().expect("tempdir");
    let data = clean_file(dir.path());
    let levels = 31;
    let expression = format!(
        "{}1{}",
        "1 XOR 1 OR 1 AND 1=1+1*-(".repeat(levels),
        ")".repeat(levels)
    );
    let ran = run_long_search(dir.path(), &format!("* | eval x={expression}"), &data);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert!(
        ran.stderr.contains(
            "error[spl::plan::expression_too_deep]: expression nests deeper than 200 levels"
        ),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_query_that_is_not_utf8_is_refused() {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let data = clean_file(dir.path());
        let query = std::ffi::OsStr::from_bytes(b"user=\xff");
        let ran = run(spl()
            .args(["run", "--query"])
            .arg(query)
            .arg("--data")
            .arg(data));
        assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    }
}

// ---------------------------------------------------------------------------------------
// Volume

#[test]
fn stats_count_by_over_200000_distinct_keys_gives_one_row_each() {
    let dir = tempfile::tempdir().expect("tempdir");
    let keys = 200_000;
    let path = dir.path().join("keys.json");
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        for key in 0..keys {
            writeln!(file, "{{\"k\":\"key{key}\"}}").expect("write");
        }
        // Every key a second time, in reverse, so each group counts 2.
        for key in (0..keys).rev() {
            writeln!(file, "{{\"k\":\"key{key}\"}}").expect("write");
        }
        file.flush().expect("flush");
    }
    let ran = run_query(
        "* | stats count by k | stats count AS groups, min(count) AS low, max(count) AS high",
        &path,
    );
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout, format!("groups,low,high\n{keys},2,2\n"));
    assert!(
        ran.stderr.contains(&format!("{} events read", 2 * keys)),
        "{}",
        ran.stderr
    );
}

// ---------------------------------------------------------------------------------------
// Memory budget of the grouping commands (crates/spl-engine/src/limits.rs)

/// A file of `keys` events `{"k":"keyN"}`, each key once.
fn distinct_keys_file(dir: &Path, keys: u64) -> PathBuf {
    let path = dir.join("distinct_keys.json");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    for key in 0..keys {
        writeln!(file, "{{\"k\":\"key{key}\"}}").expect("write");
    }
    file.flush().expect("flush");
    path
}

/// `spl run --query <spl> --data <data> --format csv --max-memory <mb>`.
fn run_query_with_memory(spl_text: &str, data: &Path, max_memory_mb: &str) -> Ran {
    run(spl()
        .args(["run", "--query", spl_text, "--format", "csv"])
        .args(["--max-memory", max_memory_mb, "--data"])
        .arg(data))
}

/// The error every grouping command gives when its state passes the memory limit.
fn memory_error(command: &str, limit_mb: u64) -> String {
    format!(
        "error: the memory held by `{command}` (its groups, values or events) exceeded its \
         limit of {limit_mb} MB; raise it with --max-memory MB (0 for no limit)"
    )
}

#[test]
fn stats_by_two_million_distinct_keys_stops_at_a_small_memory_limit_and_completes_by_default() {
    let dir = tempfile::tempdir().expect("tempdir");
    let keys = 2_000_000;
    let path = distinct_keys_file(dir.path(), keys);
    let search = "* | stats count by k | stats count AS groups";

    // Each group holds its key twice (map key and BY value) and a count: well over 8 bytes,
    // so two million groups pass 16 MB long before the input ends.
    let limited = run_query_with_memory(search, &path, "16");
    assert_eq!(
        limited.code,
        Some(3),
        "a limit stops the run: {}",
        limited.stderr
    );
    assert_eq!(limited.stdout, "", "no partial results");
    assert!(
        limited.stderr.contains(&memory_error("stats", 16)),
        "{}",
        limited.stderr
    );

    let ran = run_query(search, &path);
    assert_eq!(
        ran.code,
        Some(0),
        "the default limit is far above this: {}",
        ran.stderr
    );
    assert_eq!(ran.stdout, format!("groups\n{keys}\n"));
}

#[test]
fn every_grouping_command_names_itself_when_it_passes_the_memory_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let keys = 100_000;
    let path = distinct_keys_file(dir.path(), keys);
    // (search, command, whether to also run it without a limit: a window of 100,000 events
    // recomputes over the whole window per event, too slow for a debug build).
    let cases = [
        (
            "* | stats values(k) AS all_keys | eval n=mvcount(all_keys) | table n",
            "stats",
            true,
        ),
        ("* | stats dc(k) AS distinct", "stats", true),
        (
            "* | eventstats count by k | stats count",
            "eventstats",
            true,
        ),
        (
            "* | streamstats count by k | stats count",
            "streamstats",
            true,
        ),
        (
            "* | streamstats window=100000 count | stats count",
            "streamstats",
            false,
        ),
        ("* | dedup k | stats count", "dedup", true),
        ("* | sort 0 k | stats count", "sort", true),
    ];
    for (search, command, run_unlimited) in cases {
        let limited = run_query_with_memory(search, &path, "1");
        assert_eq!(limited.code, Some(3), "{search}: {}", limited.stderr);
        assert_eq!(limited.stdout, "", "{search}: no partial results");
        assert!(
            limited.stderr.contains(&memory_error(command, 1)),
            "{search}: {}",
            limited.stderr
        );
        if run_unlimited {
            let unlimited = run_query_with_memory(search, &path, "0");
            assert_eq!(unlimited.code, Some(0), "{search}: {}", unlimited.stderr);
            assert!(
                unlimited.stdout.ends_with("\n100000\n"),
                "{search}: {}",
                unlimited.stdout
            );
        }
    }
}

#[test]
fn sort_with_a_count_holds_only_about_twice_the_count() {
    // `sort 10` holds at most max(2 × 10, 1024) results between trims (about 1.5 MB of
    // these events as counted), so a small limit is enough for any input size.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = distinct_keys_file(dir.path(), 100_000);
    let ran = run_query_with_memory("* | sort 10 -k | table k | head 1", &path, "3");
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout, "k\nkey99999\n");
}

// ---------------------------------------------------------------------------------------
// Events longer than Splunk's TRUNCATE (spl-semantics §2.6)

/// An event `{"user":"big","pad":"xx…"}` of exactly `bytes` bytes.
fn event_of_length(bytes: usize) -> String {
    let empty = r#"{"user":"big","pad":""}"#;
    format!(
        r#"{{"user":"big","pad":"{}"}}"#,
        "x".repeat(bytes - empty.len())
    )
}

#[test]
fn events_longer_than_10000_bytes_are_kept_whole_and_counted_in_the_summary() {
    // §2.6: Splunk's default `TRUNCATE = 10000` would cut these; the engine extracts
    // everything but counts and reports events larger than 10 000 bytes. 10 000 bytes
    // exactly is not larger.
    let dir = tempfile::tempdir().expect("tempdir");
    let at_limit = event_of_length(10_000);
    let over = event_of_length(10_001);
    let far_over = event_of_length(200_000);
    let path = write(
        dir.path(),
        "long_events.json",
        &lines(&[
            GOOD_EVENTS[0],
            &at_limit,
            GOOD_EVENTS[1],
            &over,
            &far_over,
            GOOD_EVENTS[2],
        ]),
    );
    let ran = run_query(COUNT_BY_USER, &path);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(
        ran.stdout, "user,count\namy,2\nbig,3\nbob,1\n",
        "nothing is cut"
    );
    assert!(
        ran.stderr.contains(
            "6 events read, 6 matched the first search, 0 malformed, 2 longer than 10000 bytes \
             (Splunk would truncate them: TRUNCATE = 10000)"
        ),
        "{}",
        ran.stderr
    );

    let short = run_query(COUNT_BY_USER, &clean_file(dir.path()));
    assert!(
        !short.stderr.contains("longer than"),
        "no note without long events: {}",
        short.stderr
    );
}

#[test]
fn spl_test_takes_the_memory_limit_too() {
    let detection = "queries/kubernetes_scanning_by_unauthenticated_ip_address.yml";
    for limit in ["0", "64"] {
        let ran = run(spl().args(["test", detection, "--max-memory", limit]));
        assert_eq!(ran.code, Some(0), "--max-memory {limit}: {}", ran.stdout);
        assert!(
            ran.stdout
                .contains("PASS  kubernetes_scanning_by_unauthenticated_ip_address"),
            "{}",
            ran.stdout
        );
    }
    let ran = run(spl().args(["test", detection, "--max-memory", "lots"]));
    assert_eq!(
        ran.code,
        Some(2),
        "a bad value is a usage error: {}",
        ran.stderr
    );
}

// ---------------------------------------------------------------------------------------
// Limits set on the command line

/// `spl run --query <spl> --data <data> --format csv <extra…>`.
fn run_query_with(spl_text: &str, data: &Path, extra: &[&str]) -> Ran {
    run(spl()
        .args(["run", "--query", spl_text, "--format", "csv"])
        .args(extra)
        .arg("--data")
        .arg(data))
}

#[test]
fn a_lower_regex_backtrack_limit_stops_a_run_that_the_default_completes() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The back-reference puts the pattern on the backtracking engine; `(?:(x)\1?)+` then
    // tries every way (hundreds) to split twelve x's into ones and twos before failing to
    // find the `y`. In SPL string literals `\\` is one backslash.
    let data = write(dir.path(), "x.json", &lines(&[r#"{"f":"xxxxxxxxxxxx!"}"#]));
    let search = r#"* | where match(f, "^(?:(x)\\1?)+(?=y)") | stats count"#;

    let default = run_query_with(search, &data, &[]);
    assert_eq!(default.code, Some(0), "{}", default.stderr);
    assert_eq!(default.stdout, "count\n0\n");

    let limited = run_query_with(search, &data, &["--regex-backtrack-limit", "50"]);
    assert_eq!(limited.code, Some(3), "{}", limited.stderr);
    assert!(
        limited
            .stderr
            .contains("exceeded its limit of 50 backtracking steps"),
        "{}",
        limited.stderr
    );
    assert!(limited.stderr.contains("--regex-backtrack-limit"));
    assert_eq!(limited.stdout, "");
}

#[test]
fn line_length_and_json_depth_limits_are_set_on_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let deep = format!("{{\"a\":{}1{}}}", "[".repeat(20), "]".repeat(20));
    let data = write(
        dir.path(),
        "mixed.json",
        &lines(&[
            r#"{"v":"short"}"#,
            &format!(r#"{{"v":"{}"}}"#, "x".repeat(200)),
            &deep,
        ]),
    );
    let search = "* | stats count";

    let default = run_query_with(search, &data, &[]);
    assert_eq!(default.stdout, "count\n3\n", "{}", default.stderr);

    let limited = run_query_with(
        search,
        &data,
        &["--max-line-bytes", "100", "--max-json-depth", "10"],
    );
    assert_eq!(limited.code, Some(0), "{}", limited.stderr);
    assert_eq!(limited.stdout, "count\n1\n");
    assert!(
        limited.stderr.contains("mixed.json:2: line of"),
        "{}",
        limited.stderr
    );
    assert!(limited.stderr.contains("exceeds the limit of 100 bytes"));
    assert!(
        limited
            .stderr
            .contains("mixed.json:3: invalid JSON event: JSON nesting deeper than 10 levels"),
        "{}",
        limited.stderr
    );
    assert!(limited.stderr.contains("2 malformed"), "{}", limited.stderr);
}

#[test]
fn macro_limits_are_set_on_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = write(dir.path(), "e.json", &lines(&[r#"{"v":"1"}"#]));
    // A search longer than 64 bytes is refused by --max-search-bytes 64.
    let search = format!("v=1 {} | stats count", "OR v=2 ".repeat(10));
    let limited = run_query_with(&search, &data, &["--max-search-bytes", "64"]);
    assert_eq!(limited.code, Some(2), "{}", limited.stderr);
    let default = run_query_with(&search, &data, &[]);
    assert_eq!(default.stdout, "count\n1\n", "{}", default.stderr);
}

#[test]
fn the_thread_count_does_not_change_results() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = clean_file(dir.path());
    let search = "* | stats count values(verb) AS verbs BY user";
    let one = run_query_with(search, &data, &["--threads", "1"]);
    let four = run_query_with(search, &data, &["--threads", "4"]);
    assert_eq!(one.code, Some(0), "{}", one.stderr);
    assert_eq!(one.stdout, four.stdout);
    assert!(one.stdout.lines().count() > 1, "{}", one.stdout);
}
