//! The run-time value of an expression and its conversions (`spl-semantics.md` §5.4).

use crate::value::{format_number, parse_number, Value};
use std::cmp::Ordering;

/// The run-time value of an expression.
///
/// Field values are kept as text in [`EvalValue::Multi`] (one element for a single value), so
/// `eval x=y` copies `1.50` unchanged; each value is typed where it is used: a numeric string
/// (§0.3) is a Number, anything else a String. Literals and computed results use the other
/// variants.
#[derive(Clone, Debug, PartialEq)]
pub enum EvalValue {
    /// No value (an absent field, `null()`, a failed conversion).
    Null,
    /// `true()`/`false()` and comparison results.
    Bool(bool),
    /// A number literal or a computed number.
    Number(f64),
    /// A string literal or a computed string.
    Str(String),
    /// Field text: one or more values, each a Number when numeric, else a String.
    Multi(Vec<String>),
}

/// One value after typing, borrowed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar<'a> {
    /// A number.
    Number(f64),
    /// A string.
    Str(&'a str),
    /// A Boolean.
    Bool(bool),
}

impl Scalar<'_> {
    /// The text of this scalar (numbers per §0.3; Booleans `True`/`False`).
    pub fn text(&self) -> String {
        match self {
            Scalar::Number(n) => format_number(*n),
            Scalar::Str(s) => (*s).to_string(),
            Scalar::Bool(b) => bool_text(*b).to_string(),
        }
    }
}

/// Splunk's rendering of a Boolean (`tostring(1==1)` is `True`).
pub fn bool_text(value: bool) -> &'static str {
    if value {
        "True"
    } else {
        "False"
    }
}

/// Types one field value: numeric text is a Number.
pub fn type_text(text: &str) -> Scalar<'_> {
    match parse_number(text) {
        Some(n) => Scalar::Number(n),
        None => Scalar::Str(text),
    }
}

impl EvalValue {
    /// The field value this result stores (`None` for null, which removes the field).
    ///
    /// `Bool(false)` gives `None` and `Bool(true)` gives `True`, so `count(eval(x>1))`
    /// counts the results where the condition holds.
    pub fn into_value(self) -> Option<Value> {
        match self {
            EvalValue::Null | EvalValue::Bool(false) => None,
            EvalValue::Bool(true) => Some(Value::Single("True".into())),
            EvalValue::Number(n) => Some(Value::Single(format_number(n))),
            EvalValue::Str(s) => Some(Value::Single(s)),
            EvalValue::Multi(v) => Value::from_values(v),
        }
    }

    /// The value of a field (`None` is null).
    pub fn from_field(value: Option<&Value>) -> EvalValue {
        match value {
            None => EvalValue::Null,
            Some(v) => EvalValue::Multi(v.values().to_vec()),
        }
    }

    /// A value from a list of strings: null when empty.
    pub fn from_strings(values: Vec<String>) -> EvalValue {
        if values.is_empty() {
            EvalValue::Null
        } else {
            EvalValue::Multi(values)
        }
    }

    /// True for null.
    pub fn is_null(&self) -> bool {
        matches!(self, EvalValue::Null)
    }

    /// The first value, typed (`None` for null). Arithmetic on a multivalue uses it (§5.4).
    pub fn scalar(&self) -> Option<Scalar<'_>> {
        match self {
            EvalValue::Null => None,
            EvalValue::Bool(b) => Some(Scalar::Bool(*b)),
            EvalValue::Number(n) => Some(Scalar::Number(*n)),
            EvalValue::Str(s) => Some(Scalar::Str(s)),
            EvalValue::Multi(v) => v.first().map(|t| type_text(t)),
        }
    }

    /// Every value, typed (empty for null).
    pub fn scalars(&self) -> Vec<Scalar<'_>> {
        match self {
            EvalValue::Multi(v) => v.iter().map(|t| type_text(t)).collect(),
            other => other.scalar().into_iter().collect(),
        }
    }

    /// The number this value is, when it is one (numeric field text counts).
    pub fn number(&self) -> Option<f64> {
        match self.scalar()? {
            Scalar::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The value as text (the first value of a multivalue; `None` for null).
    pub fn text(&self) -> Option<String> {
        match self {
            EvalValue::Null => None,
            EvalValue::Str(s) => Some(s.clone()),
            EvalValue::Multi(v) => v.first().cloned(),
            EvalValue::Number(n) => Some(format_number(*n)),
            EvalValue::Bool(b) => Some(bool_text(*b).to_string()),
        }
    }

    /// Every value as text (empty for null).
    pub fn texts(&self) -> Vec<String> {
        match self {
            EvalValue::Multi(v) => v.clone(),
            other => other.text().into_iter().collect(),
        }
    }

    /// Number of values (0 for null).
    pub fn count(&self) -> usize {
        match self {
            EvalValue::Null => 0,
            EvalValue::Multi(v) => v.len(),
            _ => 1,
        }
    }

    /// `Some(b)` when this is a Boolean; anything else is unknown in logic.
    pub fn truth(&self) -> Option<bool> {
        match self {
            EvalValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// `typeof()`: `Number`, `String`, `Bool` or `Invalid` (null).
    pub fn type_name(&self) -> &'static str {
        match self.scalar() {
            None => "Invalid",
            Some(Scalar::Number(_)) => "Number",
            Some(Scalar::Str(_)) => "String",
            Some(Scalar::Bool(_)) => "Bool",
        }
    }

    /// A short description for docs and tests: `null`, `true`, `5`, `"text"`, `["x","y"]`.
    pub fn describe(&self) -> String {
        match self {
            EvalValue::Null => "null".into(),
            EvalValue::Bool(b) => b.to_string(),
            EvalValue::Number(n) => format_number(*n),
            EvalValue::Str(s) => format!("{s:?}"),
            EvalValue::Multi(v) if v.len() == 1 => v.first().map_or(String::new(), |s| {
                if parse_number(s).is_some() {
                    s.clone()
                } else {
                    format!("{s:?}")
                }
            }),
            EvalValue::Multi(v) => {
                let parts: Vec<String> = v.iter().map(|s| format!("{s:?}")).collect();
                format!("[{}]", parts.join(","))
            }
        }
    }
}

/// Compares two typed values: numerically when both are numbers, otherwise as strings
/// (byte-wise, case-sensitive; §5.4).
pub fn compare_scalars(left: Scalar<'_>, right: Scalar<'_>) -> Ordering {
    match (left, right) {
        (Scalar::Number(a), Scalar::Number(b)) => {
            return a.partial_cmp(&b).unwrap_or(Ordering::Equal)
        }
        (Scalar::Str(a), Scalar::Str(b)) => return a.as_bytes().cmp(b.as_bytes()),
        _ => {}
    }
    left.text().as_bytes().cmp(right.text().as_bytes())
}
