//! Optimisations never change results: the raw-line prefilter never rejects a line whose
//! event the first search matches, over random events and random searches, and a run with
//! the prefilter gives the same rows and counts as a run without it.

mod random_support;

use random_support::Random;
use spl_engine::event::{record_from_json, EventMeta};
use spl_engine::input::{EventReader, InputOptions};
use spl_engine::prefilter::Prefilter;
use spl_engine::{Engine, Query};
use std::io::Write;

/// Field names used by events and searches.
const FIELDS: [&str; 5] = ["verb", "user.username", "uri", "code", "tags{}"];

/// Plain values, as they appear in searches.
const VALUES: [&str; 16] = [
    "get",
    "pod-403-x",
    "system:anonymousx",
    "1403",
    "true",
    "4.5",
    "403 ",
    "List",
    "system:anonymous",
    "/api/v1",
    "403",
    "a\"b",
    "back\\slash",
    "K",
    "10.0.0.1",
    "",
];

/// The JSON encodings an event may use for a value: plain, or with escapes that hide its
/// text from a raw-line search.
fn encode(value: &str, random: &mut Random) -> String {
    let mut out = String::new();
    for character in value.chars() {
        let choice = random.below(6);
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' if choice == 0 => out.push_str("\\/"),
            'K' if choice == 1 => out.push('\u{212a}'),
            c if choice == 2 && c.is_ascii_alphanumeric() => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if choice == 3 => out.push(c.to_ascii_uppercase()),
            c => out.push(c),
        }
    }
    out
}

fn random_event(random: &mut Random) -> String {
    let mut members = Vec::new();
    for field in FIELDS {
        if random.below(4) == 0 {
            continue;
        }
        let value = random.pick(&VALUES);
        let leaf = |value: &str, random: &mut Random| {
            // Numbers and keywords are written bare (as written, surrounded by optional
            // white space) or as strings.
            let bare = ["403", "1403", "true", "4.5"].contains(&value);
            if bare && random.below(2) == 0 {
                let space = |random: &mut Random| if random.below(3) == 0 { " " } else { "" };
                return format!("{}{value}{}", space(random), space(random));
            }
            format!("\"{}\"", encode(value, random))
        };
        let json = match field {
            "tags{}" => {
                let other = random.pick(&VALUES);
                format!("[{},{}]", leaf(value, random), leaf(other, random))
            }
            _ => leaf(value, random),
        };
        let colon = if random.below(4) == 0 { " : " } else { ":" };
        match field.split_once('.') {
            Some((outer, inner)) => {
                members.push(format!("\"{outer}\"{colon}{{\"{inner}\"{colon}{json}}}"))
            }
            None => members.push(format!("\"{}\"{colon}{json}", field.trim_end_matches("{}"))),
        }
    }
    if random.below(5) == 0 {
        members.push(format!(
            "\"note\":\"{}\"",
            encode(random.pick(&VALUES), random)
        ));
    }
    format!("{{{}}}", members.join(","))
}

fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

fn random_condition(random: &mut Random, depth: usize) -> String {
    let field = quoted(random.pick(&FIELDS));
    let value = random.pick(&VALUES);
    let wildcard = |random: &mut Random| match random.below(3) {
        0 => format!("{value}*"),
        1 => format!("*{value}"),
        _ => value.to_string(),
    };
    match random.below(if depth > 1 { 5 } else { 8 }) {
        0 | 1 => format!("{field}={}", quoted(&wildcard(random))),
        2 => quoted(&wildcard(random)),
        3 => format!(
            "{field} IN ({}, {})",
            quoted(value),
            quoted(random.pick(&VALUES))
        ),
        4 => format!("{field}!={}", quoted(value)),
        5 => format!(
            "({} OR {})",
            random_condition(random, depth + 1),
            random_condition(random, depth + 1)
        ),
        6 => format!("NOT {}", random_condition(random, depth + 1)),
        _ => format!(
            "{} {}",
            random_condition(random, depth + 1),
            random_condition(random, depth + 1)
        ),
    }
}

fn compile(search: &str) -> Query {
    match Engine::new().compile(search) {
        Ok(query) => query,
        Err(error) => panic!("`{search}` does not compile: {error}"),
    }
}

fn matches(query: &Query, line: &str) -> bool {
    let record = match record_from_json(line, &EventMeta::default()) {
        Ok(record) => record,
        Err(error) => panic!("generated event {line} is malformed: {error}"),
    };
    match query.run([record]) {
        Ok(output) => output.stats.events_matched == 1,
        Err(error) => panic!("run failed: {error}"),
    }
}

#[test]
fn the_prefilter_never_rejects_a_matching_event() {
    let mut random = Random(0x5eed_1234_abcd_0001);
    let mut rejected = 0;
    let mut checked = 0;
    for _ in 0..400 {
        let search = random_condition(&mut random, 0);
        let query = compile(&search);
        let Some(prefilter) = Prefilter::for_pipeline(&query.pipeline) else {
            continue;
        };
        let lines: Vec<String> = (0..60).map(|_| random_event(&mut random)).collect();
        // The block form gives the same answers as the line form.
        let block = lines.join("\n");
        let facts = prefilter.block_facts(block.as_bytes());
        let mut start = 0;
        for line in &lines {
            assert_eq!(
                prefilter.may_match_in_block(line.as_bytes(), start, &facts),
                prefilter.may_match(line.as_bytes()),
                "`{search}` on {line}"
            );
            start += line.len() + 1;
        }
        for line in lines {
            checked += 1;
            if prefilter.may_match(line.as_bytes()) {
                continue;
            }
            rejected += 1;
            assert!(
                !matches(&query, &line),
                "the prefilter of `{search}` rejected the matching event {line}"
            );
        }
    }
    // The property is only meaningful if the prefilter does reject lines.
    assert!(checked > 5_000, "only {checked} lines checked");
    assert!(rejected > 1_000, "only {rejected} lines rejected");
}

/// Runs `query` over the file at `path`, with or without the prefilter.
fn run_file(query: &Query, path: &std::path::Path, prefilter: bool) -> spl_engine::Output {
    let mut reader = EventReader::new([path], InputOptions::default());
    if prefilter {
        reader = reader.with_prefilter(query.prefilter().cloned());
    }
    let mut run = query.start();
    for item in reader.by_ref() {
        match item {
            Ok(record) => run
                .push(record)
                .unwrap_or_else(|e| panic!("run failed: {e}")),
            Err(error) if error.is_fatal() => panic!("cannot read: {error}"),
            Err(_) => run.count_malformed(),
        }
    }
    run.count_prefiltered(reader.take_prefiltered());
    run.finish().unwrap_or_else(|e| panic!("run failed: {e}"))
}

#[test]
fn runs_with_and_without_the_prefilter_agree() {
    let mut random = Random(0x0dd_ba11_0002);
    let mut file = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
    for _ in 0..2_000 {
        writeln!(file, "{}", random_event(&mut random)).unwrap_or_else(|e| panic!("{e}"));
    }
    writeln!(file, "{{\"verb\":\"get\"").unwrap_or_else(|e| panic!("{e}"));
    let searches = [
        r#"verb=get "user.username"="system:anonymous" | stats count by code"#,
        r#"(verb=list OR uri="/api/v1") | stats count values(verb) as verbs by tags{}"#,
        r#""tags{}"="a\"b*" | table verb uri code"#,
        r#"code=403 NOT verb=get | stats count"#,
        r#"uri="*slash" OR "tags{}" IN (k, "back\\slash") | stats count by verb"#,
    ];
    let mut skipped = 0;
    for search in searches {
        let query = compile(search);
        let plain = run_file(&query, file.path(), false);
        let filtered = run_file(&query, file.path(), true);
        assert_eq!(plain.rows, filtered.rows, "rows differ for `{search}`");
        assert_eq!(plain.stats.events_read, filtered.stats.events_read);
        assert_eq!(plain.stats.events_matched, filtered.stats.events_matched);
        assert_eq!(
            plain.stats.malformed_events, 1,
            "the truncated line is malformed"
        );
        assert_eq!(
            filtered.stats.malformed_events, 1,
            "the truncated line is malformed"
        );
        assert_eq!(plain.stats.results, filtered.stats.results);
        assert_eq!(
            plain.stats.stages.first().map(|s| s.records_in),
            filtered.stats.stages.first().map(|s| s.records_in)
        );
        skipped += filtered.stats.events_prefiltered;
    }
    assert!(skipped > 200, "the prefilter skipped only {skipped} events");
}
