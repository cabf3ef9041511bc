//! Runs a search over records made in memory: some parsed from JSON text, one built field by
//! field, and a stream read from an in-memory reader.
//!
//! ```sh
//! cargo run -p spl --example in_memory
//! ```

use spl::{record_from_json, EventMeta, Quiet, Record, ScanOptions};
use std::process::ExitCode;

const SEARCH: &str = "verb IN (get, list) | stats count dc(verb) AS verbs BY user | sort - count";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let query = spl::compile(&spl::Engine::new(), SEARCH)?;
    let meta = EventMeta {
        source: "in-memory".into(),
        ..EventMeta::default()
    };

    // Records parsed from JSON text, as they would come from a file or a message queue.
    let mut records = [
        r#"{"user":"alice","verb":"get"}"#,
        r#"{"user":"alice","verb":"LIST"}"#,
        r#"{"user":"bob","verb":"delete"}"#,
    ]
    .iter()
    .map(|text| record_from_json(text, &meta))
    .collect::<Result<Vec<Record>, _>>()?;

    // A record built field by field (a multivalue field is a `Value::Multi`).
    let mut built = Record::new();
    built.insert("user", "bob");
    built.insert("verb", "get");
    built.insert("_raw", "user=bob verb=get");
    records.push(built);

    let output = query.run(records)?;
    println!("records: {SEARCH}");
    for row in &output.rows {
        println!("  {}", describe(row));
    }

    // The same search over a stream of NDJSON bytes (any `std::io::Read`).
    let stream =
        "{\"user\":\"carol\",\"verb\":\"get\"}\nnot json\n{\"user\":\"carol\",\"verb\":\"get\"}\n";
    let output = query.scan_reader(
        std::io::Cursor::new(stream),
        meta,
        &ScanOptions::default(),
        &Quiet,
    )?;
    println!("reader: {SEARCH}");
    for row in &output.rows {
        println!("  {}", describe(row));
    }
    println!(
        "reader: {} events read, {} malformed",
        output.stats.events_read, output.stats.malformed_events
    );
    Ok(())
}

fn describe(row: &Record) -> String {
    row.iter()
        .map(|(name, value)| format!("{name}={}", value.values().join("|")))
        .collect::<Vec<_>>()
        .join(" ")
}
