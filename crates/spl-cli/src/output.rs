//! Result rendering: `table` for people, `json` (one object per row per line) for programs,
//! `csv` for spreadsheets, `raw` for the `_raw` text of events.

use crate::color::Colors;
use spl::{Record, Value};
use std::io::{self, Write};

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns; multivalue fields take one line per value.
    Table,
    /// One JSON object per row per line; a multivalue field is an array of strings.
    Json,
    /// Comma-separated values with a header; multivalue values joined by newlines.
    Csv,
    /// The `_raw` text of each result.
    Raw,
}

/// Writes `rows` in `format`; only `table` uses `colors` (the others are for programs).
pub fn write_rows(
    out: &mut dyn Write,
    rows: &[Record],
    format: Format,
    colors: Colors,
) -> io::Result<()> {
    match format {
        Format::Json => write_json(out, rows),
        Format::Csv => write_csv(out, rows),
        Format::Table => write_table(out, rows, colors),
        Format::Raw => write_raw(out, rows),
    }
}

/// One JSON object per row: keys in field order, a single value as a string, a multivalue
/// as an array of strings.
pub fn write_json(out: &mut dyn Write, rows: &[Record]) -> io::Result<()> {
    for row in rows {
        writeln!(out, "{}", row_to_json(row))?;
    }
    Ok(())
}

/// The JSON object of one row.
pub fn row_to_json(row: &Record) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    for (name, value) in row.iter() {
        let json = match value {
            Value::Single(s) => serde_json::Value::String(s.clone()),
            Value::Multi(values) => serde_json::Value::Array(
                values
                    .iter()
                    .map(|v| serde_json::Value::String(v.clone()))
                    .collect(),
            ),
        };
        object.insert(name.to_string(), json);
    }
    serde_json::Value::Object(object)
}

/// The columns shown by `table` and `csv`: every field in order of first appearance, except
/// `_raw` (print it with `--format raw` or `json`).
pub fn columns(rows: &[Record]) -> Vec<String> {
    let mut seen = indexmap::IndexSet::new();
    for row in rows {
        for name in row.names() {
            if name != "_raw" && !seen.contains(name) {
                seen.insert(name.to_string());
            }
        }
    }
    seen.into_iter().collect()
}

fn write_csv(out: &mut dyn Write, rows: &[Record]) -> io::Result<()> {
    let columns = columns(rows);
    if columns.is_empty() {
        // No result, no header (as `json` prints nothing).
        return Ok(());
    }
    let header: Vec<String> = columns.iter().map(|c| csv_field(c)).collect();
    writeln!(out, "{}", header.join(","))?;
    for row in rows {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| {
                csv_field(
                    &row.get(c)
                        .map(|v| v.values().join("\n"))
                        .unwrap_or_default(),
                )
            })
            .collect();
        writeln!(out, "{}", cells.join(","))?;
    }
    Ok(())
}

/// Quotes a CSV cell when it holds a comma, quote or line break (RFC 4180).
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn write_raw(out: &mut dyn Write, rows: &[Record]) -> io::Result<()> {
    for row in rows {
        match row.get("_raw") {
            Some(raw) => writeln!(out, "{}", raw.first())?,
            None => writeln!(out, "{}", row_to_json(row))?,
        }
    }
    Ok(())
}

fn write_table(out: &mut dyn Write, rows: &[Record], colors: Colors) -> io::Result<()> {
    let columns = columns(rows);
    if columns.is_empty() {
        return Ok(());
    }
    let cells: Vec<Vec<Vec<String>>> = rows
        .iter()
        .map(|row| {
            columns
                .iter()
                .map(|c| {
                    row.get(c)
                        .map(|v| v.values().iter().map(|s| printable(s)).collect())
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = columns.iter().map(|c| display_width(c)).collect();
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row) {
            for line in cell {
                *width = (*width).max(display_width(line));
            }
        }
    }
    let header: Vec<&str> = columns.iter().map(String::as_str).collect();
    write_table_line(out, &widths, &header, |text| colors.header(text))?;
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    let rule: Vec<&str> = rule.iter().map(String::as_str).collect();
    write_table_line(out, &widths, &rule, |text| colors.rule(text))?;
    for row in &cells {
        let height = row.iter().map(Vec::len).max().unwrap_or(0).max(1);
        for line in 0..height {
            let texts: Vec<&str> = row
                .iter()
                .map(|cell| cell.get(line).map_or("", String::as_str))
                .collect();
            write_table_line(out, &widths, &texts, str::to_string)?;
        }
    }
    Ok(())
}

/// One table line: each text padded to its column's width (measured without styles), then
/// styled; trailing blanks are dropped.
fn write_table_line(
    out: &mut dyn Write,
    widths: &[usize],
    texts: &[&str],
    style: impl Fn(&str) -> String,
) -> io::Result<()> {
    let last_shown = texts.iter().rposition(|text| !text.is_empty());
    let mut line = String::new();
    for (i, (width, text)) in widths.iter().zip(texts).enumerate() {
        if last_shown.is_none_or(|last| i > last) {
            break;
        }
        line.push_str(&style(text));
        if last_shown.is_some_and(|last| i < last) {
            let pad = width.saturating_sub(display_width(text)) + 2;
            line.extend(std::iter::repeat_n(' ', pad));
        }
    }
    writeln!(out, "{line}")
}

/// Control characters would break the table layout: show them escaped.
fn printable(text: &str) -> String {
    text.chars()
        .flat_map(char::escape_default)
        .collect::<String>()
}

fn display_width(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(fields: &[(&str, &[&str])]) -> Record {
        fields
            .iter()
            .filter_map(|(k, v)| {
                Value::from_values(v.iter().map(|s| s.to_string()).collect())
                    .map(|v| (k.to_string(), v))
            })
            .collect()
    }

    fn render(rows: &[Record], format: Format) -> String {
        let mut out = Vec::new();
        write_rows(&mut out, rows, format, Colors::PLAIN).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn json_rows_keep_order_and_multivalue_arrays() {
        let rows = [row(&[("src_ip", &["1.2.3.4"]), ("verb", &["get", "list"])])];
        assert_eq!(
            render(&rows, Format::Json),
            "{\"src_ip\":\"1.2.3.4\",\"verb\":[\"get\",\"list\"]}\n"
        );
    }

    #[test]
    fn csv_quotes_and_joins_multivalue_with_newlines() {
        let rows = [
            row(&[("a", &["x,y"]), ("b", &["1", "2"])]),
            row(&[("b", &["say \"hi\""])]),
        ];
        assert_eq!(
            render(&rows, Format::Csv),
            "a,b\n\"x,y\",\"1\n2\"\n,\"say \"\"hi\"\"\"\n"
        );
    }

    #[test]
    fn table_aligns_columns_and_stacks_multivalues() {
        let rows = [row(&[("ip", &["10.0.0.1"]), ("verb", &["get", "list"])])];
        assert_eq!(
            render(&rows, Format::Table),
            "ip        verb\n--------  ----\n10.0.0.1  get\n          list\n"
        );
    }

    #[test]
    fn coloured_table_keeps_the_alignment_of_the_plain_one() {
        let rows = [row(&[("ip", &["10.0.0.1"]), ("verb", &["get", "list"])])];
        let mut out = Vec::new();
        write_rows(&mut out, &rows, Format::Table, Colors::STYLED).unwrap();
        let coloured = String::from_utf8(out).unwrap();
        assert!(
            coloured.starts_with("\u{1b}[1mip\u{1b}[0m  "),
            "{coloured:?}"
        );
        let stripped = strip_escapes(&coloured);
        assert_eq!(stripped, render(&rows, Format::Table));
    }

    /// Removes `ESC [ … m` sequences.
    fn strip_escapes(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                for d in chars.by_ref() {
                    if d == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn other_formats_are_never_coloured() {
        let rows = [row(&[("_raw", &["{}"]), ("a", &["1"])])];
        for format in [Format::Json, Format::Csv, Format::Raw] {
            let mut out = Vec::new();
            write_rows(&mut out, &rows, format, Colors::STYLED).unwrap();
            assert!(!out.contains(&0x1b), "{format:?}");
        }
    }

    #[test]
    fn no_rows_print_nothing_in_any_format() {
        for format in [Format::Json, Format::Csv, Format::Table, Format::Raw] {
            assert_eq!(render(&[], format), "", "{format:?}");
        }
    }

    #[test]
    fn raw_prints_event_text() {
        let rows = [row(&[("_raw", &["{\"a\":1}"]), ("a", &["1"])])];
        assert_eq!(render(&rows, Format::Raw), "{\"a\":1}\n");
    }
}
