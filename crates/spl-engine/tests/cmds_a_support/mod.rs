//! Helpers for the command tests: records from pairs, running SPL over them, plan errors.

#![allow(dead_code)]

use spl_engine::{Engine, Record, RunError, Value};

/// A record from `(name, value)` pairs; a value containing `|` becomes a multivalue.
pub fn record(pairs: &[(&str, &str)]) -> Record {
    let mut record = Record::new();
    for (name, value) in pairs {
        let values: Vec<String> = value.split('|').map(str::to_string).collect();
        if let Some(value) = Value::from_values(values) {
            record.insert(*name, value);
        }
    }
    record
}

/// Runs `spl` (a whole search, first segment implicit `search`) over `records`.
pub fn try_run(spl: &str, records: Vec<Record>) -> Result<Vec<Record>, RunError> {
    let query = match Engine::new().compile(spl) {
        Ok(query) => query,
        Err(error) => panic!("`{spl}` did not compile: {error}"),
    };
    query.run(records).map(|output| output.rows)
}

/// Runs `spl` over `records`; the run must succeed.
pub fn run(spl: &str, records: Vec<Record>) -> Vec<Record> {
    match try_run(spl, records) {
        Ok(rows) => rows,
        Err(error) => panic!("`{spl}` failed: {error}"),
    }
}

/// The diagnostic codes of compiling `spl`; empty when it compiles.
pub fn error_codes(spl: &str) -> Vec<&'static str> {
    match Engine::new().compile(spl) {
        Ok(_) => Vec::new(),
        Err(error) => error.diagnostics.iter().map(|d| d.code).collect(),
    }
}

/// The values of `name` in `record` (empty when null).
pub fn values<'a>(record: &'a Record, name: &str) -> Vec<&'a str> {
    record
        .get(name)
        .map(|v| v.values().iter().map(String::as_str).collect())
        .unwrap_or_default()
}

/// The values of `name` in each record.
pub fn column<'a>(records: &'a [Record], name: &str) -> Vec<Vec<&'a str>> {
    records.iter().map(|r| values(r, name)).collect()
}
