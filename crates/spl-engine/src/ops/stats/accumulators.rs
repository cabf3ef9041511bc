//! One accumulator per `stats` function: it sees the group's values one at a time
//! (`update`) and renders the result at the end (`finish`), like DataFusion's
//! `Accumulator`.
//!
//! Numbers the accumulators compute are rendered with [`format_number`]; values copied
//! from events (`values`, `first`, `mode`, non-numeric `min`/`max`) keep their text.

use crate::limits::{key_bytes, text_bytes};
use crate::value::{format_number, parse_number, Value};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Running state of one aggregation for one group.
pub trait Accumulator: Send + std::fmt::Debug {
    /// Takes one value; `time` is the event's `_time` when it is a number.
    fn update(&mut self, value: &str, time: Option<f64>);

    /// The aggregate, or `None` when the output field is absent.
    fn finish(&self) -> Option<Value>;

    /// Approximate bytes held beyond the accumulator's fixed size (kept values), for the
    /// run's memory budget ([`crate::limits`]).
    fn held_bytes(&self) -> u64 {
        0
    }
}

/// A computed number as a field value.
fn number(n: f64) -> Option<Value> {
    Some(Value::Single(format_number(n)))
}

/// `count`, `count(f)`: number of values (or of events for plain `count`).
#[derive(Debug, Default)]
pub struct Count(u64);

impl Accumulator for Count {
    fn update(&mut self, _value: &str, _time: Option<f64>) {
        self.0 += 1;
    }
    fn finish(&self) -> Option<Value> {
        Some(Value::Single(self.0.to_string()))
    }
}

/// `dc(f)`, `estdc(f)`: number of distinct values (exact, case-sensitive).
#[derive(Debug, Default)]
pub struct DistinctCount(HashSet<String>, u64);

impl Accumulator for DistinctCount {
    fn update(&mut self, value: &str, _time: Option<f64>) {
        if !self.0.contains(value) {
            self.1 += key_bytes(value);
            self.0.insert(value.to_string());
        }
    }
    fn finish(&self) -> Option<Value> {
        Some(Value::Single(self.0.len().to_string()))
    }
    fn held_bytes(&self) -> u64 {
        self.1
    }
}

/// `values(f)`: distinct values in byte order.
#[derive(Debug, Default)]
pub struct Values(BTreeSet<String>, u64);

impl Accumulator for Values {
    fn update(&mut self, value: &str, _time: Option<f64>) {
        if !self.0.contains(value) {
            self.1 += key_bytes(value);
            self.0.insert(value.to_string());
        }
    }
    fn finish(&self) -> Option<Value> {
        Value::from_values(self.0.iter().cloned().collect())
    }
    fn held_bytes(&self) -> u64 {
        self.1
    }
}

/// Values `list()` keeps (`limits.conf [stats] list_maxsize`).
pub const LIST_MAX: usize = 100;

/// `list(f)`: values in input order, duplicates kept, first [`LIST_MAX`] only.
#[derive(Debug, Default)]
pub struct List(Vec<String>, u64);

impl Accumulator for List {
    fn update(&mut self, value: &str, _time: Option<f64>) {
        if self.0.len() < LIST_MAX {
            self.1 += text_bytes(value);
            self.0.push(value.to_string());
        }
    }
    fn finish(&self) -> Option<Value> {
        Value::from_values(self.0.clone())
    }
    fn held_bytes(&self) -> u64 {
        self.1
    }
}

/// `sum(f)`, `avg(f)`, `range(f)`: numeric values only; none ⇒ absent.
#[derive(Debug)]
pub struct Numeric {
    kind: NumericKind,
    count: u64,
    sum: f64,
    min: f64,
    max: f64,
}

/// What [`Numeric`] reports.
#[derive(Clone, Copy, Debug)]
pub enum NumericKind {
    /// Sum.
    Sum,
    /// Arithmetic mean.
    Average,
    /// Maximum minus minimum.
    Range,
}

impl Numeric {
    /// An empty accumulator reporting `kind`.
    pub fn new(kind: NumericKind) -> Numeric {
        Numeric {
            kind,
            count: 0,
            sum: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl Accumulator for Numeric {
    fn update(&mut self, value: &str, _time: Option<f64>) {
        let Some(n) = parse_number(value) else {
            return;
        };
        self.count += 1;
        self.sum += n;
        self.min = self.min.min(n);
        self.max = self.max.max(n);
    }
    fn finish(&self) -> Option<Value> {
        if self.count == 0 {
            return None;
        }
        match self.kind {
            NumericKind::Sum => number(self.sum),
            NumericKind::Average => number(self.sum / self.count as f64),
            NumericKind::Range => number(self.max - self.min),
        }
    }
}

/// `min(f)` / `max(f)`: numeric when there are numbers; non-numeric values rank above
/// every number and compare in byte order.
#[derive(Debug)]
pub struct Extreme {
    maximum: bool,
    number: Option<f64>,
    text: Option<String>,
}

impl Extreme {
    /// `min` when `maximum` is false, `max` otherwise.
    pub fn new(maximum: bool) -> Extreme {
        Extreme {
            maximum,
            number: None,
            text: None,
        }
    }
}

impl Accumulator for Extreme {
    fn held_bytes(&self) -> u64 {
        self.text.as_deref().map_or(0, text_bytes)
    }
    fn update(&mut self, value: &str, _time: Option<f64>) {
        if let Some(n) = parse_number(value) {
            let better = match self.number {
                None => true,
                Some(current) => (n > current) == self.maximum && n != current,
            };
            if better {
                self.number = Some(n);
            }
            return;
        }
        let better = match &self.text {
            None => true,
            Some(current) => (value > current.as_str()) == self.maximum && value != current,
        };
        if better {
            self.text = Some(value.to_string());
        }
    }
    fn finish(&self) -> Option<Value> {
        let text = self.text.clone().map(Value::Single);
        let numeric = self.number.and_then(number);
        if self.maximum {
            text.or(numeric)
        } else {
            numeric.or(text)
        }
    }
}

/// `earliest`, `latest`, `earliest_time`, `latest_time`: by `_time`; values of events
/// without a numeric `_time` are ignored. Ties: `earliest` keeps the first value seen,
/// `latest` the last.
#[derive(Debug)]
pub struct ByTime {
    latest: bool,
    report_time: bool,
    best: Option<(f64, String)>,
}

impl ByTime {
    /// `latest` picks the largest time; `report_time` returns the time instead of the value.
    pub fn new(latest: bool, report_time: bool) -> ByTime {
        ByTime {
            latest,
            report_time,
            best: None,
        }
    }
}

impl Accumulator for ByTime {
    fn held_bytes(&self) -> u64 {
        self.best.as_ref().map_or(0, |(_, value)| text_bytes(value))
    }
    fn update(&mut self, value: &str, time: Option<f64>) {
        let Some(time) = time else {
            return;
        };
        let better = match &self.best {
            None => true,
            Some((best, _)) if self.latest => time >= *best,
            Some((best, _)) => time < *best,
        };
        if better {
            self.best = Some((time, value.to_string()));
        }
    }
    fn finish(&self) -> Option<Value> {
        let (time, value) = self.best.as_ref()?;
        if self.report_time {
            return number(*time);
        }
        Some(Value::Single(value.clone()))
    }
}

/// `first(f)` / `last(f)`: by input order.
#[derive(Debug)]
pub struct Positional {
    last: bool,
    value: Option<String>,
}

impl Positional {
    /// `last` when `last` is true, `first` otherwise.
    pub fn new(last: bool) -> Positional {
        Positional { last, value: None }
    }
}

impl Accumulator for Positional {
    fn held_bytes(&self) -> u64 {
        self.value.as_deref().map_or(0, text_bytes)
    }
    fn update(&mut self, value: &str, _time: Option<f64>) {
        if self.last || self.value.is_none() {
            self.value = Some(value.to_string());
        }
    }
    fn finish(&self) -> Option<Value> {
        self.value.clone().map(Value::Single)
    }
}

/// `stdev`, `stdevp`, `var`, `varp` (Welford's algorithm over numeric values). Sample
/// statistics need two values, population statistics one; otherwise absent.
#[derive(Debug)]
pub struct Spread {
    kind: SpreadKind,
    count: u64,
    mean: f64,
    squares: f64,
}

/// What [`Spread`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpreadKind {
    /// Sample standard deviation.
    Stdev,
    /// Population standard deviation.
    Stdevp,
    /// Sample variance.
    Var,
    /// Population variance.
    Varp,
}

impl Spread {
    /// An empty accumulator reporting `kind`.
    pub fn new(kind: SpreadKind) -> Spread {
        Spread {
            kind,
            count: 0,
            mean: 0.0,
            squares: 0.0,
        }
    }
}

impl Accumulator for Spread {
    fn update(&mut self, value: &str, _time: Option<f64>) {
        let Some(n) = parse_number(value) else {
            return;
        };
        self.count += 1;
        let delta = n - self.mean;
        self.mean += delta / self.count as f64;
        self.squares += delta * (n - self.mean);
    }
    fn finish(&self) -> Option<Value> {
        let sample = matches!(self.kind, SpreadKind::Stdev | SpreadKind::Var);
        let divisor = if sample {
            self.count.checked_sub(1)?
        } else {
            self.count
        };
        if divisor == 0 {
            return None;
        }
        let variance = self.squares / divisor as f64;
        match self.kind {
            SpreadKind::Stdev | SpreadKind::Stdevp => number(variance.sqrt()),
            SpreadKind::Var | SpreadKind::Varp => number(variance),
        }
    }
}

/// `median`, `perc<N>` and its spellings: exact nearest-rank percentile of the numeric
/// values (the smallest value with at least N% of values at or below it).
#[derive(Debug)]
pub struct Percentile {
    percent: f64,
    numbers: Vec<f64>,
}

impl Percentile {
    /// The `percent`-th percentile (0–100).
    pub fn new(percent: f64) -> Percentile {
        Percentile {
            percent,
            numbers: Vec::new(),
        }
    }
}

impl Accumulator for Percentile {
    fn update(&mut self, value: &str, _time: Option<f64>) {
        if let Some(n) = parse_number(value) {
            self.numbers.push(n);
        }
    }
    fn held_bytes(&self) -> u64 {
        self.numbers.len() as u64 * 8
    }
    fn finish(&self) -> Option<Value> {
        let mut sorted = self.numbers.clone();
        sorted.sort_by(f64::total_cmp);
        let count = sorted.len();
        let rank = (self.percent * count as f64 / 100.0).ceil() as usize;
        let index = rank.clamp(1, count.max(1)) - 1;
        sorted.get(index).copied().and_then(number)
    }
}

/// `mode(f)`: the most frequent value; ties go to the value seen first.
#[derive(Debug, Default)]
pub struct Mode(HashMap<String, (u64, usize)>, u64);

impl Accumulator for Mode {
    fn update(&mut self, value: &str, _time: Option<f64>) {
        let next_index = self.0.len();
        if let Some((count, _)) = self.0.get_mut(value) {
            *count += 1;
            return;
        }
        self.1 += key_bytes(value) + 16;
        self.0.insert(value.to_string(), (1, next_index));
    }
    fn held_bytes(&self) -> u64 {
        self.1
    }
    fn finish(&self) -> Option<Value> {
        self.0
            .iter()
            .max_by(|(_, (count_a, first_a)), (_, (count_b, first_b))| {
                count_a.cmp(count_b).then(first_b.cmp(first_a))
            })
            .map(|(value, _)| Value::Single(value.clone()))
    }
}
