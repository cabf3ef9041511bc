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
    if let Some(micros) = utc_micros(text.as_bytes()) {
        return Some(render_micros(micros));
    }
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

/// The common shape `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (years from 1970, up to nine fraction
/// digits) as microseconds since the epoch, without the general parser; `None` for anything
/// else (then the general parser decides, so the answers are the same, only faster for the
/// shape audit logs use).
fn utc_micros(text: &[u8]) -> Option<i64> {
    let (head, rest) = text.split_at_checked(19)?;
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = head.get(range)?;
        digits.iter().try_fold(0i64, |total, &byte| {
            byte.is_ascii_digit()
                .then(|| total * 10 + i64::from(byte - b'0'))
        })
    };
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if separators
        .iter()
        .any(|&(at, byte)| head.get(at) != Some(&byte))
    {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if year < 1970 || day < 1 || day > month_days || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let fraction_micros = match rest {
        [b'Z'] => 0,
        [b'.', digits @ .., b'Z']
            if (1..=9).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit) =>
        {
            // Six digits of microseconds: missing ones are zeros, finer ones are cut.
            (0..6).fold(0i64, |micros, position| {
                micros * 10
                    + digits
                        .get(position)
                        .map_or(0, |byte| i64::from(byte - b'0'))
            })
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = ((days * 24 + hour) * 60 + minute) * 60 + second;
    Some(seconds * 1_000_000 + fraction_micros)
}

/// Days from 1970-01-01 to the given date of the proleptic Gregorian calendar (Howard
/// Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
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

    /// The general parser's answer, for comparison with the fast path.
    fn general(text: &str) -> Option<i64> {
        match DateTime::parse_from_rfc3339(text) {
            Ok(parsed) => Some(parsed.timestamp_micros()),
            Err(_) => NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|t| t.and_utc().timestamp_micros()),
        }
    }

    #[test]
    fn the_fast_path_agrees_with_the_general_parser() {
        let mut cases: Vec<String> = vec![
            "2024-02-29T23:59:59.999999999Z".into(),
            "2023-02-29T00:00:00Z".into(),
            "2024-13-01T00:00:00Z".into(),
            "2024-00-10T00:00:00Z".into(),
            "2024-04-31T00:00:00Z".into(),
            "2024-04-30T24:00:00Z".into(),
            "2024-04-30T23:60:00Z".into(),
            "2024-04-30T23:59:60Z".into(),
            "2024-04-30T23:59:59.Z".into(),
            "2024-04-30T23:59:59.1234567890Z".into(),
            "2024-04-30T23:59:59.12a4Z".into(),
            "2024-04-30t23:59:59Z".into(),
            "2024-04-30T23:59:59z".into(),
            "2024-04-30 23:59:59Z".into(),
            "1969-12-31T23:59:59.5Z".into(),
            "1970-01-01T00:00:00Z".into(),
            "2000-02-29T12:00:00.000001Z".into(),
            "2100-02-29T12:00:00Z".into(),
            "9999-12-31T23:59:59.999999Z".into(),
            "+2024-04-30T23:59:59Z".into(),
            "2024-4-30T23:59:59Z".into(),
            "2024-04-30T23:59:59".into(),
            "2024-04-30T23:59:59+00:00".into(),
        ];
        // Every day of four years, at varied times and fractions.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for day in 0..(4 * 366) {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let date = chrono::NaiveDate::from_ymd_opt(2023, 1, 1)
                .and_then(|d| d.checked_add_days(chrono::Days::new(day)))
                .expect("a date");
            let fraction = ["", ".5", ".123456", ".000001", ".987654321"][(state % 5) as usize];
            cases.push(format!(
                "{}T{:02}:{:02}:{:02}{fraction}Z",
                date.format("%Y-%m-%d"),
                (state >> 8) % 24,
                (state >> 16) % 60,
                (state >> 24) % 60
            ));
        }
        for case in &cases {
            if let Some(fast) = utc_micros(case.as_bytes()) {
                assert_eq!(Some(fast), general(case), "{case}");
            }
        }
        let taken = cases
            .iter()
            .filter(|case| utc_micros(case.as_bytes()).is_some())
            .count();
        assert!(
            taken > 4 * 365,
            "the fast path takes the common shape: {taken}"
        );
    }

    #[test]
    fn first_field_in_order_wins() {
        let mut record = Record::new();
        record.insert("time", "2023-11-14T22:13:21Z");
        record.insert("stageTimestamp", "2023-11-14T22:13:20Z");
        assert_eq!(event_time(&record).as_deref(), Some("1700000000"));
    }
}
