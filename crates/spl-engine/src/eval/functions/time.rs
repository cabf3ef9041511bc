//! Time functions, all in UTC (engine choice, `spl-semantics.md` §5.5): `now`, `time`,
//! `strftime`, `strptime`, `relative_time`.

use super::{number_arg, number_or_null, string_or_null, text_arg};
use crate::eval::compile::{Env, Node};
use crate::eval::value::EvalValue;
use chrono::format::{Parsed, StrftimeItems};
use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, TimeZone, Timelike, Utc};
use fancy_regex::Regex;
use std::fmt::Write;

/// `now()`.
pub fn now(_: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    EvalValue::Number(env.ctx.now as f64)
}

/// `time()`.
pub fn time(_: &[Node], _: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let now = Utc::now();
    EvalValue::Str(format!(
        "{}.{:06}",
        now.timestamp(),
        now.timestamp_subsec_micros()
    ))
}

fn datetime(epoch: f64) -> Option<DateTime<Utc>> {
    let seconds = epoch.floor();
    let nanos = ((epoch - seconds) * 1e9).round().clamp(0.0, 999_999_999.0) as u32;
    if !seconds.is_finite() || seconds.abs() > 1e13 {
        return None;
    }
    DateTime::from_timestamp(seconds as i64, nanos)
}

/// `strftime(t, fmt)`.
pub fn strftime(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let (Some(epoch), Some(format)) = (number_arg(args, 0, env), text_arg(args, 1, env)) else {
        return EvalValue::Null;
    };
    string_or_null(datetime(epoch).map(|t| format_time(&t, &format)))
}

/// Formats `time` with C strftime codes plus Splunk's `%N`/`%3N`/`%6N`/`%9N` (subseconds),
/// `%Q` (milliseconds) and `%s` (epoch seconds). Unknown codes are kept as written.
pub fn format_time(time: &DateTime<Utc>, format: &str) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let width = chars.peek().and_then(|d| d.to_digit(10));
        if width.is_some() {
            chars.next();
        }
        let Some(code) = chars.next() else {
            out.push('%');
            break;
        };
        let nanos = time.timestamp_subsec_nanos();
        match code {
            'N' => {
                let digits = width.unwrap_or(3).clamp(1, 9) as usize;
                let text = format!("{nanos:09}");
                out.push_str(text.get(..digits).unwrap_or(&text));
            }
            'Q' => out.push_str(&format!("{:03}", nanos / 1_000_000)),
            's' => out.push_str(&time.timestamp().to_string()),
            _ => {
                let spec = match width {
                    Some(w) => format!("%{w}{code}"),
                    None => format!("%{code}"),
                };
                if write!(out, "{}", time.format_with_items(StrftimeItems::new(&spec))).is_err() {
                    out.push_str(&spec);
                }
            }
        }
    }
    out
}

/// `strptime(s, fmt)`.
pub fn strptime(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let (Some(text), Some(format)) = (text_arg(args, 0, env), text_arg(args, 1, env)) else {
        return EvalValue::Null;
    };
    number_or_null(parse_time(&text, &format))
}

/// Parses `text` with `format` to epoch seconds; missing time of day is midnight, no zone
/// means UTC.
pub fn parse_time(text: &str, format: &str) -> Option<f64> {
    let format = format
        .replace(".%3N", "%.f")
        .replace(".%6N", "%.f")
        .replace(".%9N", "%.f")
        .replace(".%N", "%.f")
        .replace(".%Q", "%.f");
    let mut parsed = Parsed::new();
    chrono::format::parse(&mut parsed, text, StrftimeItems::new(&format)).ok()?;
    if let Some(seconds) = parsed.timestamp() {
        return Some(seconds as f64 + f64::from(parsed.nanosecond().unwrap_or(0)) / 1e9);
    }
    if parsed.hour_div_12().is_none() && parsed.hour_mod_12().is_none() {
        parsed.set_hour(0).ok()?;
    }
    if parsed.minute().is_none() {
        parsed.set_minute(0).ok()?;
    }
    let offset = parsed.offset().unwrap_or(0);
    let local = parsed.to_naive_datetime_with_offset(offset).ok()?;
    let utc = local.and_utc().timestamp() - i64::from(offset);
    Some(utc as f64 + f64::from(local.nanosecond()) / 1e9)
}

/// `relative_time(t, modifier)`.
pub fn relative_time(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let (Some(epoch), Some(modifier)) = (number_arg(args, 0, env), text_arg(args, 1, env)) else {
        return EvalValue::Null;
    };
    let Some(time) = datetime(epoch) else {
        return EvalValue::Null;
    };
    match apply_modifier(time, modifier.trim()) {
        Some(t) => {
            EvalValue::Number(t.timestamp() as f64 + f64::from(t.timestamp_subsec_nanos()) / 1e9)
        }
        None => EvalValue::Null,
    }
}

/// A time unit of a modifier.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week(Option<u32>),
    Month,
    Quarter,
    Year,
}

fn unit(name: &str) -> Option<Unit> {
    Some(match name.to_ascii_lowercase().as_str() {
        "s" | "sec" | "secs" | "second" | "seconds" => Unit::Second,
        "m" | "min" | "mins" | "minute" | "minutes" => Unit::Minute,
        "h" | "hr" | "hrs" | "hour" | "hours" => Unit::Hour,
        "d" | "day" | "days" => Unit::Day,
        "w" | "week" | "weeks" => Unit::Week(None),
        "mon" | "month" | "months" => Unit::Month,
        "q" | "qtr" | "qtrs" | "quarter" | "quarters" => Unit::Quarter,
        "y" | "yr" | "yrs" | "year" | "years" => Unit::Year,
        other => {
            let day = other
                .strip_prefix('w')?
                .parse::<u32>()
                .ok()
                .filter(|d| *d <= 7)?;
            Unit::Week(Some(day % 7))
        }
    })
}

/// Applies `[+-]<n><unit>…[@<unit>[+-<n><unit>…]]` (or `now`) to `time`.
fn apply_modifier(time: DateTime<Utc>, modifier: &str) -> Option<DateTime<Utc>> {
    if modifier.eq_ignore_ascii_case("now") || modifier.is_empty() {
        return Some(time);
    }
    let (offsets, snap) = match modifier.split_once('@') {
        Some((o, s)) => (o, Some(s)),
        None => (modifier, None),
    };
    let mut time = apply_offsets(time, offsets)?;
    if let Some(snap) = snap {
        let split = snap.find(['+', '-']).unwrap_or(snap.len());
        let (unit_text, after) = snap.split_at(split);
        time = snap_to(time, unit(unit_text)?)?;
        time = apply_offsets(time, after)?;
    }
    Some(time)
}

fn apply_offsets(mut time: DateTime<Utc>, mut text: &str) -> Option<DateTime<Utc>> {
    while !text.is_empty() {
        let (sign, rest) = match text.as_bytes().first()? {
            b'+' => (1, text.get(1..)?),
            b'-' => (-1, text.get(1..)?),
            _ => return None,
        };
        let digits_end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let amount: i64 = if digits_end == 0 {
            1
        } else {
            rest.get(..digits_end)?.parse().ok()?
        };
        let unit_end = rest
            .get(digits_end..)?
            .find(['+', '-'])
            .map_or(rest.len(), |i| i + digits_end);
        let unit = unit(rest.get(digits_end..unit_end)?)?;
        time = shift(time, sign * amount, unit)?;
        text = rest.get(unit_end..)?;
    }
    Some(time)
}

fn shift(time: DateTime<Utc>, amount: i64, unit: Unit) -> Option<DateTime<Utc>> {
    let months = |n: i64| -> Option<DateTime<Utc>> {
        let m = Months::new(u32::try_from(n.unsigned_abs()).ok()?);
        if n >= 0 {
            time.checked_add_months(m)
        } else {
            time.checked_sub_months(m)
        }
    };
    match unit {
        Unit::Second => time.checked_add_signed(Duration::try_seconds(amount)?),
        Unit::Minute => time.checked_add_signed(Duration::try_minutes(amount)?),
        Unit::Hour => time.checked_add_signed(Duration::try_hours(amount)?),
        Unit::Day => time.checked_add_signed(Duration::try_days(amount)?),
        Unit::Week(_) => time.checked_add_signed(Duration::try_weeks(amount)?),
        Unit::Month => months(amount),
        Unit::Quarter => months(amount.checked_mul(3)?),
        Unit::Year => months(amount.checked_mul(12)?),
    }
}

fn snap_to(time: DateTime<Utc>, unit: Unit) -> Option<DateTime<Utc>> {
    let date = time.date_naive();
    let midnight = |d: NaiveDate| Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0)?).into();
    let at = |d: NaiveDate, h: u32, m: u32, s: u32| -> Option<DateTime<Utc>> {
        Some(Utc.from_utc_datetime(&d.and_hms_opt(h, m, s)?))
    };
    match unit {
        Unit::Second => at(date, time.hour(), time.minute(), time.second()),
        Unit::Minute => at(date, time.hour(), time.minute(), 0),
        Unit::Hour => at(date, time.hour(), 0, 0),
        Unit::Day => midnight(date),
        Unit::Week(day) => {
            let wanted = day.unwrap_or(0);
            let today = date.weekday().num_days_from_sunday();
            let back = (today + 7 - wanted) % 7;
            midnight(date - Duration::try_days(i64::from(back))?)
        }
        Unit::Month => midnight(date.with_day(1)?),
        Unit::Quarter => midnight(NaiveDate::from_ymd_opt(
            date.year(),
            (date.month0() / 3) * 3 + 1,
            1,
        )?),
        Unit::Year => midnight(NaiveDate::from_ymd_opt(date.year(), 1, 1)?),
    }
}
