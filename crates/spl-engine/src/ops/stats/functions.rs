//! The `stats` functions (§4.2), in one table: name, aliases, whether an argument is
//! needed, a one-line description and an example that a test runs.
//!
//! Percentiles are a family: `perc<N>`, `p<N>`, `exactperc<N>`, `upperperc<N>` with
//! `0 ≤ N ≤ 100` (decimals allowed, `perc99.9`); all are computed exactly by nearest rank.

use crate::ops::stats::accumulators::{
    Accumulator, ByTime, Count, DistinctCount, Extreme, List, Mode, Numeric, NumericKind,
    Percentile, Positional, Spread, SpreadKind, Values,
};

/// A `stats` function, resolved from its name.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Function {
    /// `count` / `c`.
    Count,
    /// `dc` / `distinct_count` / `estdc`.
    DistinctCount,
    /// `values`.
    Values,
    /// `list`.
    List,
    /// `sum`.
    Sum,
    /// `avg` / `mean`.
    Average,
    /// `min`.
    Min,
    /// `max`.
    Max,
    /// `range`.
    Range,
    /// `earliest`.
    Earliest,
    /// `latest`.
    Latest,
    /// `earliest_time`.
    EarliestTime,
    /// `latest_time`.
    LatestTime,
    /// `first`.
    First,
    /// `last`.
    Last,
    /// `stdev`, `stdevp`, `var`, `varp`.
    Spread(SpreadKind),
    /// `mode`.
    Mode,
    /// `median` (50) and `perc<N>` with its spellings.
    Percentile(f64),
}

impl Function {
    /// A fresh accumulator for this function.
    pub fn accumulator(self) -> Box<dyn Accumulator> {
        match self {
            Function::Count => Box::new(Count::default()),
            Function::DistinctCount => Box::new(DistinctCount::default()),
            Function::Values => Box::new(Values::default()),
            Function::List => Box::new(List::default()),
            Function::Sum => Box::new(Numeric::new(NumericKind::Sum)),
            Function::Average => Box::new(Numeric::new(NumericKind::Average)),
            Function::Range => Box::new(Numeric::new(NumericKind::Range)),
            Function::Min => Box::new(Extreme::new(false)),
            Function::Max => Box::new(Extreme::new(true)),
            Function::Earliest => Box::new(ByTime::new(false, false)),
            Function::Latest => Box::new(ByTime::new(true, false)),
            Function::EarliestTime => Box::new(ByTime::new(false, true)),
            Function::LatestTime => Box::new(ByTime::new(true, true)),
            Function::First => Box::new(Positional::new(false)),
            Function::Last => Box::new(Positional::new(true)),
            Function::Spread(kind) => Box::new(Spread::new(kind)),
            Function::Mode => Box::new(Mode::default()),
            Function::Percentile(percent) => Box::new(Percentile::new(percent)),
        }
    }

    /// True when the function reads `_time`.
    pub fn needs_time(self) -> bool {
        matches!(
            self,
            Function::Earliest | Function::Latest | Function::EarliestTime | Function::LatestTime
        )
    }
}

/// An example: events with `_time` and `x` (`""` = absent), the aggregation, the result
/// (empty = the output field is absent; several values = a multivalue).
#[derive(Clone, Copy, Debug)]
pub struct Example {
    /// The aggregation as written, reading field `x`.
    pub aggregation: &'static str,
    /// `(_time, x)` per event.
    pub events: &'static [(&'static str, &'static str)],
    /// The expected values of the output field.
    pub result: &'static [&'static str],
}

/// One row of the function table.
#[derive(Clone, Copy, Debug)]
pub struct FunctionSpec {
    /// The main name, lower case (`perc<N>` for the percentile family).
    pub name: &'static str,
    /// Other spellings.
    pub aliases: &'static [&'static str],
    /// The function.
    pub function: Function,
    /// True when a field or `eval(…)` argument is required.
    pub needs_argument: bool,
    /// What it computes.
    pub doc: &'static str,
    /// A worked example.
    pub example: Example,
}

/// Values used by several examples.
const ONE_TO_FIVE: &[(&str, &str)] = &[("", "1"), ("", "2"), ("", "3"), ("", "4"), ("", "5")];
/// Events with times out of order.
const TIMED: &[(&str, &str)] = &[("20", "b"), ("10", "a"), ("30", "c"), ("", "z")];

/// Every `stats` function.
pub const FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec {
        name: "count",
        aliases: &["c"],
        function: Function::Count,
        needs_argument: false,
        doc: "Number of events, or with an argument the number of values of the field.",
        example: Example {
            aggregation: "count(x)",
            events: &[("", "a"), ("", ""), ("", "b|c")],
            result: &["3"],
        },
    },
    FunctionSpec {
        name: "dc",
        aliases: &["distinct_count", "estdc"],
        function: Function::DistinctCount,
        needs_argument: true,
        doc: "Number of distinct values, compared case-sensitively (estdc is exact here).",
        example: Example {
            aggregation: "dc(x)",
            events: &[("", "a"), ("", "A"), ("", "a")],
            result: &["2"],
        },
    },
    FunctionSpec {
        name: "values",
        aliases: &[],
        function: Function::Values,
        needs_argument: true,
        doc: "Distinct values in byte order, as a multivalue.",
        example: Example {
            aggregation: "values(x)",
            events: &[("", "curl"), ("", "Wget"), ("", "curl|zgrab")],
            result: &["Wget", "curl", "zgrab"],
        },
    },
    FunctionSpec {
        name: "list",
        aliases: &[],
        function: Function::List,
        needs_argument: true,
        doc: "Values in input order with duplicates, first 100 only.",
        example: Example {
            aggregation: "list(x)",
            events: &[("", "b"), ("", "a"), ("", "b")],
            result: &["b", "a", "b"],
        },
    },
    FunctionSpec {
        name: "sum",
        aliases: &[],
        function: Function::Sum,
        needs_argument: true,
        doc: "Sum of the numeric values; absent when there is none.",
        example: Example {
            aggregation: "sum(x)",
            events: &[("", "1"), ("", "2.5"), ("", "abc")],
            result: &["3.5"],
        },
    },
    FunctionSpec {
        name: "avg",
        aliases: &["mean"],
        function: Function::Average,
        needs_argument: true,
        doc: "Mean of the numeric values.",
        example: Example {
            aggregation: "avg(x)",
            events: &[("", "1"), ("", "2"), ("", "4")],
            result: &["2.3333333333333335"],
        },
    },
    FunctionSpec {
        name: "min",
        aliases: &[],
        function: Function::Min,
        needs_argument: true,
        doc: "Smallest value: numeric if there are numbers, else byte order.",
        example: Example {
            aggregation: "min(x)",
            events: &[("", "10"), ("", "9"), ("", "abc")],
            result: &["9"],
        },
    },
    FunctionSpec {
        name: "max",
        aliases: &[],
        function: Function::Max,
        needs_argument: true,
        doc: "Largest value: non-numeric values rank above numbers.",
        example: Example {
            aggregation: "max(x)",
            events: &[("", "10"), ("", "9"), ("", "100")],
            result: &["100"],
        },
    },
    FunctionSpec {
        name: "range",
        aliases: &[],
        function: Function::Range,
        needs_argument: true,
        doc: "Largest minus smallest numeric value.",
        example: Example {
            aggregation: "range(x)",
            events: &[("", "3"), ("", "10"), ("", "5")],
            result: &["7"],
        },
    },
    FunctionSpec {
        name: "earliest",
        aliases: &[],
        function: Function::Earliest,
        needs_argument: true,
        doc: "Value from the event with the smallest `_time`.",
        example: Example {
            aggregation: "earliest(x)",
            events: TIMED,
            result: &["a"],
        },
    },
    FunctionSpec {
        name: "latest",
        aliases: &[],
        function: Function::Latest,
        needs_argument: true,
        doc: "Value from the event with the largest `_time`.",
        example: Example {
            aggregation: "latest(x)",
            events: TIMED,
            result: &["c"],
        },
    },
    FunctionSpec {
        name: "earliest_time",
        aliases: &[],
        function: Function::EarliestTime,
        needs_argument: true,
        doc: "Smallest `_time` of the events that have the field.",
        example: Example {
            aggregation: "earliest_time(x)",
            events: TIMED,
            result: &["10"],
        },
    },
    FunctionSpec {
        name: "latest_time",
        aliases: &[],
        function: Function::LatestTime,
        needs_argument: true,
        doc: "Largest `_time` of the events that have the field.",
        example: Example {
            aggregation: "latest_time(x)",
            events: TIMED,
            result: &["30"],
        },
    },
    FunctionSpec {
        name: "first",
        aliases: &[],
        function: Function::First,
        needs_argument: true,
        doc: "First value in input order.",
        example: Example {
            aggregation: "first(x)",
            events: &[("", ""), ("", "b"), ("", "a")],
            result: &["b"],
        },
    },
    FunctionSpec {
        name: "last",
        aliases: &[],
        function: Function::Last,
        needs_argument: true,
        doc: "Last value in input order.",
        example: Example {
            aggregation: "last(x)",
            events: &[("", "b"), ("", "a"), ("", "")],
            result: &["a"],
        },
    },
    FunctionSpec {
        name: "stdev",
        aliases: &[],
        function: Function::Spread(SpreadKind::Stdev),
        needs_argument: true,
        doc: "Sample standard deviation of the numeric values.",
        example: Example {
            aggregation: "stdev(x)",
            events: ONE_TO_FIVE,
            result: &["1.5811388300841898"],
        },
    },
    FunctionSpec {
        name: "stdevp",
        aliases: &[],
        function: Function::Spread(SpreadKind::Stdevp),
        needs_argument: true,
        doc: "Population standard deviation of the numeric values.",
        example: Example {
            aggregation: "stdevp(x)",
            events: ONE_TO_FIVE,
            result: &["1.4142135623730951"],
        },
    },
    FunctionSpec {
        name: "var",
        aliases: &[],
        function: Function::Spread(SpreadKind::Var),
        needs_argument: true,
        doc: "Sample variance of the numeric values.",
        example: Example {
            aggregation: "var(x)",
            events: ONE_TO_FIVE,
            result: &["2.5"],
        },
    },
    FunctionSpec {
        name: "varp",
        aliases: &[],
        function: Function::Spread(SpreadKind::Varp),
        needs_argument: true,
        doc: "Population variance of the numeric values.",
        example: Example {
            aggregation: "varp(x)",
            events: ONE_TO_FIVE,
            result: &["2"],
        },
    },
    FunctionSpec {
        name: "median",
        aliases: &[],
        function: Function::Percentile(50.0),
        needs_argument: true,
        doc: "The 50th percentile (nearest rank).",
        example: Example {
            aggregation: "median(x)",
            events: &[("", "3"), ("", "1"), ("", "2"), ("", "4")],
            result: &["2"],
        },
    },
    FunctionSpec {
        name: "mode",
        aliases: &[],
        function: Function::Mode,
        needs_argument: true,
        doc: "Most frequent value; ties go to the value seen first.",
        example: Example {
            aggregation: "mode(x)",
            events: &[("", "b"), ("", "a"), ("", "a"), ("", "b"), ("", "c")],
            result: &["b"],
        },
    },
    FunctionSpec {
        name: "perc<N>",
        aliases: &["p<N>", "exactperc<N>", "upperperc<N>"],
        function: Function::Percentile(0.0),
        needs_argument: true,
        doc: "The N-th percentile: the smallest value with N% of values at or below it.",
        example: Example {
            aggregation: "perc90(x)",
            events: &[
                ("", "10"),
                ("", "9"),
                ("", "8"),
                ("", "7"),
                ("", "6"),
                ("", "5"),
                ("", "4"),
                ("", "3"),
                ("", "2"),
                ("", "1"),
            ],
            result: &["9"],
        },
    },
];

/// Spellings of the percentile family, longest first so `p` does not shadow `perc`.
const PERCENTILE_PREFIXES: [&str; 4] = ["exactperc", "upperperc", "perc", "p"];

/// The table row and function for `name` (case-insensitive), if it is a `stats` function.
pub fn lookup(name: &str) -> Option<(&'static FunctionSpec, Function)> {
    let lower = name.to_ascii_lowercase();
    for spec in FUNCTIONS {
        if spec.name.contains('<') {
            continue;
        }
        if spec.name == lower || spec.aliases.contains(&lower.as_str()) {
            return Some((spec, spec.function));
        }
    }
    let percent = percentile(&lower)?;
    let spec = FUNCTIONS
        .iter()
        .find(|s| matches!(s.function, Function::Percentile(p) if p == 0.0))?;
    Some((spec, Function::Percentile(percent)))
}

/// The N of `perc<N>`, `p<N>`, `exactperc<N>`, `upperperc<N>` (lower case).
fn percentile(lower: &str) -> Option<f64> {
    let rest = PERCENTILE_PREFIXES
        .iter()
        .find_map(|prefix| lower.strip_prefix(prefix))?;
    if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let percent = crate::value::parse_number(rest)?;
    (0.0..=100.0).contains(&percent).then_some(percent)
}

/// Every plain function name and alias, for did-you-mean suggestions.
pub fn known_names() -> impl Iterator<Item = &'static str> {
    FUNCTIONS
        .iter()
        .flat_map(|spec| std::iter::once(&spec.name).chain(spec.aliases.iter()))
        .copied()
        .filter(|name| !name.contains('<'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_is_case_insensitive_and_knows_aliases() {
        assert_eq!(lookup("COUNT").map(|(_, f)| f), Some(Function::Count));
        assert_eq!(lookup("c").map(|(_, f)| f), Some(Function::Count));
        assert_eq!(
            lookup("distinct_count").map(|(_, f)| f),
            Some(Function::DistinctCount)
        );
        assert_eq!(lookup("mean").map(|(_, f)| f), Some(Function::Average));
        assert!(lookup("valeus").is_none());
    }

    #[test]
    fn percentile_spellings() {
        for name in ["perc95", "p95", "exactperc95", "upperperc95", "P95"] {
            assert_eq!(
                lookup(name).map(|(_, f)| f),
                Some(Function::Percentile(95.0)),
                "{name}"
            );
        }
        assert_eq!(
            lookup("perc99.9").map(|(_, f)| f),
            Some(Function::Percentile(99.9))
        );
        for bad in ["perc", "p", "perc101", "p-5", "pfoo"] {
            assert!(lookup(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn names_are_unique() {
        let names: Vec<&str> = known_names().collect();
        let unique: std::collections::HashSet<&str> = names.iter().copied().collect();
        assert_eq!(names.len(), unique.len());
    }
}
