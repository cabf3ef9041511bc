//! `_time` of a JSON event (spl-semantics.md §2.5, an engine decision).

use crate::value::Record;
use chrono::{DateTime, NaiveDateTime};

/// The top-level fields read for the event time, in order of preference: Kubernetes audit
/// (`requestReceivedTimestamp`, `stageTimestamp`), common log shapes (`timestamp`,
/// `@timestamp`, `time`), AWS CloudTrail (`eventTime`, as the AWS add-on's `TIME_PREFIX`
/// reads it) and Office 365 management activity (`CreationTime`, written without a zone and
/// read as UTC, as the Microsoft add-on does).
pub const TIME_FIELDS: [&str; 7] = [
    "requestReceivedTimestamp",
    "stageTimestamp",
    "timestamp",
    "@timestamp",
    "time",
    "eventTime",
    "CreationTime",
];

/// The event time as epoch seconds: the first of [`TIME_FIELDS`] that is present, parsed as
/// RFC 3339 (`2023-11-14T22:13:20.123456Z`). Rendered as an integer when whole, else with six
/// fraction digits (`1700000000.123456`; finer digits are truncated).
///
/// `None` when the first present field does not parse, or none is present: the event then has
/// no `_time` (the file-modification-time fallback of §2.5 is not applied).
pub fn event_time(record: &Record) -> Option<String> {
    let value = TIME_FIELDS.iter().find_map(|name| record.get(name))?;
    let text = value.first().trim();
    let micros = match DateTime::parse_from_rfc3339(text) {
        Ok(parsed) => parsed.timestamp_micros(),
        // A timestamp without a zone (`2024-01-10T18:22:54`) is read as UTC.
        Err(_) => NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
            .ok()?
            .and_utc()
            .timestamp_micros(),
    };
    Some(render_micros(micros))
}

fn render_micros(micros: i64) -> String {
    let sign = if micros < 0 { "-" } else { "" };
    let magnitude = micros.unsigned_abs();
    let (seconds, fraction) = (magnitude / 1_000_000, magnitude % 1_000_000);
    if fraction == 0 {
        return format!("{sign}{seconds}");
    }
    format!("{sign}{seconds}.{fraction:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time_of(field: &str, text: &str) -> Option<String> {
        let mut record = Record::new();
        record.insert(field, text);
        event_time(&record)
    }

    #[test]
    fn rfc3339_to_epoch_seconds() {
        assert_eq!(
            time_of("timestamp", "2023-11-14T22:13:20Z").as_deref(),
            Some("1700000000")
        );
        assert_eq!(
            time_of("requestReceivedTimestamp", "2023-11-14T22:13:20.123456Z").as_deref(),
            Some("1700000000.123456")
        );
        assert_eq!(
            time_of("@timestamp", "2023-11-14T23:13:20.5+01:00").as_deref(),
            Some("1700000000.500000")
        );
        assert_eq!(
            time_of("time", "1969-12-31T23:59:59.5Z").as_deref(),
            Some("-0.500000")
        );
        assert_eq!(time_of("time", "yesterday"), None);
        assert_eq!(
            time_of("eventTime", "2023-11-14T22:13:20Z").as_deref(),
            Some("1700000000")
        );
        assert_eq!(
            time_of("CreationTime", "2023-11-14T22:13:20").as_deref(),
            Some("1700000000"),
            "no zone: UTC"
        );
        assert_eq!(time_of("other", "2023-11-14T22:13:20Z"), None);
    }

    #[test]
    fn first_field_in_order_wins() {
        let mut record = Record::new();
        record.insert("time", "2023-11-14T22:13:21Z");
        record.insert("stageTimestamp", "2023-11-14T22:13:20Z");
        assert_eq!(event_time(&record).as_deref(), Some("1700000000"));
    }
}
