//! Field values and records, following Splunk's model: every value is text (a single string
//! or a multivalue list of strings), and "is this a number?" is decided where it is used.
//!
//! See `spl-semantics.md` §0.3.

use indexmap::map::raw_entry_v1::{RawEntryApiV1, RawEntryMut};
use indexmap::IndexMap;
use std::cmp::Ordering;
use std::net::IpAddr;

/// The value of a field: one string, or a multivalue of one or more strings.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    /// A single value.
    Single(String),
    /// A multivalue, in order, duplicates allowed. Never empty.
    Multi(Vec<String>),
}

impl Value {
    /// A multivalue from `values`, or `None` when `values` is empty. One value becomes
    /// [`Value::Single`] (a one-element multivalue is indistinguishable from a single value).
    pub fn from_values(mut values: Vec<String>) -> Option<Value> {
        match values.len() {
            0 => None,
            1 => values.pop().map(Value::Single),
            _ => Some(Value::Multi(values)),
        }
    }

    /// Every value, in order.
    pub fn values(&self) -> &[String] {
        match self {
            Value::Single(s) => std::slice::from_ref(s),
            Value::Multi(v) => v,
        }
    }

    /// The first value.
    pub fn first(&self) -> &str {
        self.values().first().map_or("", String::as_str)
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.values().len()
    }

    /// Always false: a value has at least one element.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when there is more than one value.
    pub fn is_multivalue(&self) -> bool {
        self.len() > 1
    }

    /// Appends the values of `other` (used when several JSON leaves share one field name).
    pub fn push(&mut self, value: String) {
        match self {
            Value::Single(s) => {
                let first = std::mem::take(s);
                *self = Value::Multi(vec![first, value]);
            }
            Value::Multi(v) => v.push(value),
        }
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Single(s)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Single(s.to_string())
    }
}

/// One event or result row: an insertion-ordered map from field name to value.
///
/// A field that is absent is null. Internal fields (`_raw`, `_time`) are ordinary entries
/// whose names start with `_`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Record {
    fields: FieldMap,
}

/// Records with at most this many fields are searched by name instead of by hash.
const LINEAR_LOOKUP_FIELDS: usize = 8;

/// The map behind [`Record`]: insertion-ordered, hashed with foldhash (several times faster
/// than the standard SipHash on short field names, and seeded per process, so hostile field
/// names cannot be chosen to collide).
type FieldMap = IndexMap<String, Value, foldhash::fast::RandomState>;

impl Record {
    /// An empty record.
    pub fn new() -> Record {
        Record::default()
    }

    /// An empty record with room for `fields` fields.
    pub fn with_capacity(fields: usize) -> Record {
        Record {
            fields: FieldMap::with_capacity_and_hasher(fields, Default::default()),
        }
    }

    /// The value of `name`, or `None` when it is null (absent).
    pub fn get(&self, name: &str) -> Option<&Value> {
        // Projected events have a handful of fields: comparing names (lengths first) is
        // cheaper than hashing.
        if self.fields.len() <= LINEAR_LOOKUP_FIELDS {
            return self
                .fields
                .iter()
                .find(|(key, _)| key.as_str() == name)
                .map(|(_, value)| value);
        }
        self.fields.get(name)
    }

    /// Sets `name` to `value`, keeping the field's position if it exists.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<Value>) {
        self.fields.insert(name.into(), value.into());
    }

    /// Removes `name`, keeping the order of the other fields.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        self.fields.shift_remove(name)
    }

    /// True when `name` is present.
    pub fn contains(&self, name: &str) -> bool {
        self.fields.contains_key(name)
    }

    /// Adds one more value to `name` (making it multivalue if it exists).
    pub fn append(&mut self, name: &str, value: String) {
        // One hash of `name` whether it is new or not.
        match self.fields.raw_entry_mut_v1().from_key(name) {
            RawEntryMut::Occupied(mut existing) => existing.get_mut().push(value),
            RawEntryMut::Vacant(vacant) => {
                vacant.insert(name.to_string(), Value::Single(value));
            }
        }
    }

    /// Field names and values in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.fields.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Field names in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.fields.keys().map(String::as_str)
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// True when there are no fields.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Renames `from` to `to` in place (keeping the position); an existing `to` is replaced.
    pub fn rename(&mut self, from: &str, to: &str) {
        if from == to {
            return;
        }
        let Some(index) = self.fields.get_index_of(from) else {
            return;
        };
        self.fields.shift_remove(to);
        let index = self.fields.get_index_of(from).unwrap_or(index);
        if let Some((_, value)) = self.fields.shift_remove_index(index) {
            let (new_index, _) = self.fields.insert_full(to.to_string(), value);
            let target = index.min(self.fields.len() - 1);
            self.fields.move_index(new_index, target);
        }
    }

    /// Keeps only the fields for which `keep` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &Value) -> bool) {
        self.fields.retain(|k, v| keep(k, v));
    }

    /// Reorders and filters the fields to exactly `names` (absent ones are skipped).
    pub fn project(&mut self, names: &[String]) {
        let mut projected = FieldMap::with_capacity_and_hasher(names.len(), Default::default());
        for name in names {
            if let Some(value) = self.fields.shift_remove(name) {
                projected.insert(name.clone(), value);
            }
        }
        self.fields = projected;
    }
}

impl FromIterator<(String, Value)> for Record {
    fn from_iter<T: IntoIterator<Item = (String, Value)>>(iter: T) -> Self {
        Record {
            fields: iter.into_iter().collect(),
        }
    }
}

/// Parses a numeric string per `spl-semantics.md` §0.3: optional sign, digits, optional
/// fraction, optional exponent, nothing else (no spaces, hex, `inf` or `nan`).
pub fn parse_number(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let mut i = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits_start = i;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - digits_start;
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        let fraction_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        digits += i - fraction_start;
    }
    if digits == 0 {
        return None;
    }
    if i < bytes.len() && matches!(bytes[i], b'e' | b'E') {
        i += 1;
        if i < bytes.len() && matches!(bytes[i], b'+' | b'-') {
            i += 1;
        }
        let exponent_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == exponent_start {
            return None;
        }
    }
    if i != bytes.len() {
        return None;
    }
    text.parse::<f64>().ok()
}

/// Renders a number the engine computed (`count`, `sum`, eval arithmetic): integral values
/// without a decimal point, others in the shortest form that round-trips; `nan`, `inf`, `-inf`.
pub fn format_number(number: f64) -> String {
    if number.is_nan() {
        return "nan".to_string();
    }
    if number.is_infinite() {
        return if number > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    if number == number.trunc() && number.abs() < 1e17 {
        return format!("{}", number as i64);
    }
    format!("{number}")
}

/// Compares two values the way `sort` and `stats` row ordering do in auto mode (§6.6):
/// numerically when both are numbers, by address when both are IP addresses, a string that
/// starts with a number by that leading number (`5A` next to `5`, before `10`), otherwise
/// byte-wise.
///
/// Made a total order (sorting with a cyclic comparison may panic) by ranking values in four
/// classes: numbers and strings that start with one (by number; a plain number before a
/// string with the same leading number; then bytes); strings that byte-sort before every
/// digit (`""`, `-x`, `!x`); IP addresses; all other strings. Pairwise rules alone would be
/// cyclic: `10.0.0.9 < 10.0.0.10` as addresses, but `10.0.0.10 < 10.0.0.5x < 10.0.0.9` as
/// bytes.
pub fn compare_auto(a: &str, b: &str) -> Ordering {
    let (x, y) = (AutoKey::of(a), AutoKey::of(b));
    x.class()
        .cmp(&y.class())
        .then_with(|| match (&x, &y) {
            (AutoKey::Number(m, plain_m), AutoKey::Number(n, plain_n)) => {
                m.total_cmp(n).then_with(|| plain_n.cmp(plain_m))
            }
            (AutoKey::Ip(m), AutoKey::Ip(n)) => m.cmp(n),
            _ => Ordering::Equal,
        })
        .then_with(|| a.as_bytes().cmp(b.as_bytes()))
}

/// What [`compare_auto`] sorts a value by.
enum AutoKey {
    /// A number, or a string that starts with one (`true` = the whole value is the number).
    Number(f64, bool),
    /// A string that byte-sorts before every digit.
    BeforeDigits,
    /// An IPv4 or IPv6 address.
    Ip(IpAddr),
    /// Any other string.
    Text,
}

impl AutoKey {
    fn of(text: &str) -> AutoKey {
        if let Some(number) = parse_number(text) {
            return AutoKey::Number(number, true);
        }
        if let Ok(ip) = text.parse::<IpAddr>() {
            return AutoKey::Ip(ip);
        }
        if let Some(number) = leading_number(text) {
            return AutoKey::Number(number, false);
        }
        if text.as_bytes().first().is_none_or(|first| *first < b'0') {
            return AutoKey::BeforeDigits;
        }
        AutoKey::Text
    }

    fn class(&self) -> u8 {
        match self {
            AutoKey::Number(..) => 0,
            AutoKey::BeforeDigits => 1,
            AutoKey::Ip(_) => 2,
            AutoKey::Text => 3,
        }
    }
}

/// The number a string starts with: an optional sign, digits, and an optional fraction
/// (`5A` → 5, `-2.5kb` → -2.5, `1.2.3` → 1.2); `None` when it does not start with a digit
/// after the sign.
fn leading_number(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let sign = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    let digits = |from: usize| {
        bytes.get(from..).map_or(0, |rest| {
            rest.iter().take_while(|b| b.is_ascii_digit()).count()
        })
    };
    let whole = digits(sign);
    if whole == 0 {
        return None;
    }
    let mut end = sign + whole;
    if bytes.get(end) == Some(&b'.') {
        let fraction = digits(end + 1);
        if fraction > 0 {
            end += 1 + fraction;
        }
    }
    text.get(..end)?.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_strings() {
        for yes in ["403", "-1", "+2", "1.50", ".5", "5.", "1e3", "1E-3"] {
            assert!(parse_number(yes).is_some(), "{yes}");
        }
        for no in [
            "", "-", ".", "0x1F", " 1", "1 ", "inf", "nan", "1e", "1.2.3", "12a",
        ] {
            assert!(parse_number(no).is_none(), "{no}");
        }
    }

    #[test]
    fn number_rendering() {
        assert_eq!(format_number(6.0), "6");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(format_number(1.0 / 3.0), "0.3333333333333333");
        assert_eq!(format_number(7.0 / 3.0), "2.3333333333333335");
        assert_eq!(format_number(f64::NAN), "nan");
        assert_eq!(format_number(f64::NEG_INFINITY), "-inf");
    }

    #[test]
    fn auto_collation() {
        assert_eq!(compare_auto("10", "5"), Ordering::Greater);
        assert_eq!(compare_auto("Wget", "curl"), Ordering::Less);
        assert_eq!(compare_auto("10.0.0.10", "10.0.0.9"), Ordering::Greater);
        assert_eq!(compare_auto("9", "a"), Ordering::Less);
    }

    #[test]
    fn strings_that_start_with_a_number_sort_by_that_number() {
        // §6.6: "If the string starts with a number, the string is sorted numerically based
        // on that number alone."
        assert_eq!(compare_auto("5A", "10"), Ordering::Less);
        assert_eq!(compare_auto("10x", "9y"), Ordering::Greater);
        assert_eq!(compare_auto("5", "5A"), Ordering::Less);
        assert_eq!(compare_auto("5A", "5B"), Ordering::Less);
        assert_eq!(compare_auto("-2.5kb", "1kb"), Ordering::Less);
        // By the leading number alone (1.2 > 1.10), not by version parts.
        assert_eq!(compare_auto("1.2.3", "1.10.0"), Ordering::Greater);
        // Not numbers: no leading digit.
        assert_eq!(compare_auto("a5", "b1"), Ordering::Less);
        assert_eq!(leading_number("x1"), None);
        assert_eq!(leading_number("-x"), None);
        assert_eq!(leading_number("7."), Some(7.0));
    }

    #[test]
    fn rename_keeps_position_and_replaces_target() {
        let mut r: Record = [
            ("a".to_string(), Value::from("1")),
            ("b".to_string(), Value::from("2")),
            ("c".to_string(), Value::from("3")),
        ]
        .into_iter()
        .collect();
        r.rename("b", "x");
        assert_eq!(r.names().collect::<Vec<_>>(), ["a", "x", "c"]);
        r.rename("a", "c");
        assert_eq!(r.names().collect::<Vec<_>>(), ["c", "x"]);
        assert_eq!(r.get("c"), Some(&Value::from("1")));
    }

    #[test]
    fn multivalue_from_values() {
        assert_eq!(Value::from_values(vec![]), None);
        assert_eq!(
            Value::from_values(vec!["a".into()]),
            Some(Value::Single("a".into()))
        );
        let mut v = Value::from("a");
        v.push("b".into());
        assert_eq!(v.values(), ["a", "b"]);
    }
}
