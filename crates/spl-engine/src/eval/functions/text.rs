//! Text functions: case, length, substrings, regex replace, trimming, splitting, digests,
//! conversions.

use super::{arg, number_arg, regex_arg, string_or_null, text_arg};
use crate::eval::compile::{Env, Node};
use crate::eval::value::{bool_text, EvalValue, Scalar};
use crate::value::{format_number, parse_number};
use fancy_regex::Regex;

/// `lower(s)`.
pub fn lower(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    map_texts(arg(args, 0, env), |s| s.to_lowercase())
}

/// `upper(s)`.
pub fn upper(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    map_texts(arg(args, 0, env), |s| s.to_uppercase())
}

/// Applies `f` to every value (multivalues stay multivalue).
fn map_texts(value: EvalValue, f: impl Fn(&str) -> String) -> EvalValue {
    match value {
        EvalValue::Null => EvalValue::Null,
        EvalValue::Multi(v) => EvalValue::Multi(v.iter().map(|s| f(s)).collect()),
        other => string_or_null(other.text().map(|s| f(&s))),
    }
}

/// `len(s)`.
pub fn len(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    match text_arg(args, 0, env) {
        Some(s) => EvalValue::Number(s.chars().count() as f64),
        None => EvalValue::Null,
    }
}

/// `substr(s, start [, len])`.
pub fn substr(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let (Some(text), Some(start)) = (text_arg(args, 0, env), number_arg(args, 1, env)) else {
        return EvalValue::Null;
    };
    let length = if args.len() > 2 {
        match number_arg(args, 2, env) {
            Some(l) => Some(l.trunc() as i64),
            None => return EvalValue::Null,
        }
    } else {
        None
    };
    EvalValue::Str(substring(&text, start.trunc() as i64, length))
}

/// 1-based substring; a negative start counts from the end; start 0 behaves like 1 but the
/// length still counts from position 0.
pub fn substring(text: &str, start: i64, length: Option<i64>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let count = chars.len() as i64;
    let begin = if start < 0 { count + start } else { start - 1 };
    let end = match length {
        Some(l) if l < 0 => return String::new(),
        Some(l) => begin.saturating_add(l),
        None => count,
    };
    let begin = begin.clamp(0, count) as usize;
    let end = end.clamp(0, count) as usize;
    if begin >= end {
        return String::new();
    }
    chars
        .get(begin..end)
        .map_or(String::new(), |c| c.iter().collect())
}

/// `replace(s, re, repl)`.
pub fn replace(args: &[Node], env: &Env<'_>, cached: Option<&Regex>) -> EvalValue {
    let value = arg(args, 0, env);
    let Some(replacement) = text_arg(args, 2, env) else {
        return EvalValue::Null;
    };
    let Some(regex) = regex_arg(cached, args, 1, env) else {
        return EvalValue::Null;
    };
    let template = replacement_template(&replacement);
    map_texts(value, |s| {
        match regex.try_replacen(s, 0, template.as_str()) {
            Ok(result) => result.into_owned(),
            Err(error) => {
                crate::eval::operators::record_regex_failure(&regex, &error);
                s.to_string()
            }
        }
    })
}

/// Turns Splunk's `\1` group references into the regex crate's `${1}`; `$` is literal.
fn replacement_template(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek().copied() {
                Some(d) if d.is_ascii_digit() => {
                    chars.next();
                    out.push_str(&format!("${{{d}}}"));
                }
                Some('\\') => {
                    chars.next();
                    out.push('\\');
                }
                _ => out.push('\\'),
            },
            '$' => out.push_str("$$"),
            other => out.push(other),
        }
    }
    out
}

fn trim_with(args: &[Node], env: &Env<'_>, left: bool, right: bool) -> EvalValue {
    let Some(text) = text_arg(args, 0, env) else {
        return EvalValue::Null;
    };
    let chars: Vec<char> = if args.len() > 1 {
        match text_arg(args, 1, env) {
            Some(c) => c.chars().collect(),
            None => return EvalValue::Null,
        }
    } else {
        vec![' ', '\t']
    };
    let mut result: &str = &text;
    if left {
        result = result.trim_start_matches(chars.as_slice());
    }
    if right {
        result = result.trim_end_matches(chars.as_slice());
    }
    EvalValue::Str(result.to_string())
}

/// `trim(s [, chars])`.
pub fn trim(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    trim_with(args, env, true, true)
}

/// `ltrim(s [, chars])`.
pub fn ltrim(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    trim_with(args, env, true, false)
}

/// `rtrim(s [, chars])`.
pub fn rtrim(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    trim_with(args, env, false, true)
}

/// `split(s, delim)`.
pub fn split(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let (Some(text), Some(delimiter)) = (text_arg(args, 0, env), text_arg(args, 1, env)) else {
        return EvalValue::Null;
    };
    let parts: Vec<String> = if delimiter.is_empty() {
        text.chars().map(String::from).collect()
    } else {
        text.split(delimiter.as_str()).map(String::from).collect()
    };
    EvalValue::from_strings(parts)
}

/// `urldecode(s)`: `%XX` escapes decoded (invalid ones kept); `+` is kept.
pub fn urldecode(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    string_or_null(text_arg(args, 0, env).map(|s| percent_decode(&s)))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            if let Some(value) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(value);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn digest(args: &[Node], env: &Env<'_>, hash: fn(&[u8]) -> Vec<u8>) -> EvalValue {
    string_or_null(text_arg(args, 0, env).map(|s| {
        hash(s.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }))
}

/// `md5(s)`.
pub fn md5(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    use md5::Digest;
    digest(args, env, |b| md5::Md5::digest(b).to_vec())
}

/// `sha1(s)`.
pub fn sha1(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    use sha1::Digest;
    digest(args, env, |b| sha1::Sha1::digest(b).to_vec())
}

/// `sha256(s)`.
pub fn sha256(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    use sha2::Digest;
    digest(args, env, |b| sha2::Sha256::digest(b).to_vec())
}

/// `sha512(s)`.
pub fn sha512(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    use sha2::Digest;
    digest(args, env, |b| sha2::Sha512::digest(b).to_vec())
}

/// `tostring(x [, fmt])`.
pub fn tostring(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let value = arg(args, 0, env);
    if args.len() < 2 {
        return match value.scalar() {
            None => EvalValue::Null,
            Some(Scalar::Bool(b)) => EvalValue::Str(bool_text(b).to_string()),
            Some(_) => string_or_null(value.text()),
        };
    }
    let Some(format) = text_arg(args, 1, env) else {
        return EvalValue::Null;
    };
    let Some(number) = value.number() else {
        return string_or_null(value.text());
    };
    match format.as_str() {
        "hex" => EvalValue::Str(format!("0x{:X}", number.trunc() as i64)),
        "commas" => EvalValue::Str(with_commas(number)),
        "duration" => EvalValue::Str(duration(number)),
        _ => string_or_null(value.text()),
    }
}

/// `12345.6789` → `12,345.68`; integers keep no decimals.
fn with_commas(number: f64) -> String {
    let rounded = super::math::round_decimal(number, 2);
    let text = format_number(rounded);
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (integer, fraction) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let mut grouped = String::new();
    for (index, c) in integer.chars().enumerate() {
        if index > 0 && (integer.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f:0<2}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Seconds as `HH:MM:SS`, with `D+` in front past a day.
fn duration(seconds: f64) -> String {
    let total = seconds.trunc().abs() as u64;
    let sign = if seconds < 0.0 { "-" } else { "" };
    let (days, rest) = (total / 86400, total % 86400);
    let clock = format!(
        "{:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    );
    if days > 0 {
        format!("{sign}{days}+{clock}")
    } else {
        format!("{sign}{clock}")
    }
}

/// `tonumber(s [, base])`.
pub fn tonumber(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let value = arg(args, 0, env);
    let base = if args.len() > 1 {
        number_arg(args, 1, env)
    } else {
        Some(10.0)
    };
    let Some(base) = base.filter(|b| (2.0..=36.0).contains(b) && b.fract() == 0.0) else {
        return EvalValue::Null;
    };
    let Some(text) = value.text() else {
        return EvalValue::Null;
    };
    let text = text.trim();
    if base == 10.0 {
        return parse_number(text).map_or(EvalValue::Null, EvalValue::Number);
    }
    let digits = if base == 16.0 {
        text.strip_prefix("0x")
            .or_else(|| text.strip_prefix("0X"))
            .unwrap_or(text)
    } else {
        text
    };
    i64::from_str_radix(digits, base as u32)
        .map_or(EvalValue::Null, |n| EvalValue::Number(n as f64))
}
