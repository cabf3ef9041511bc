//! Matching records against `search` expressions with Splunk's rules (spl-semantics.md §1):
//! case-insensitive values, `*` wildcards, `!=` vs `NOT` on missing fields, multivalue "any
//! value" matching, CIDR values, and free-text terms against `_raw`.
//!
//! Case-insensitivity: ASCII text is compared with ASCII case folding; text containing
//! non-ASCII characters is lower-cased with Unicode's [`str::to_lowercase`] on both sides
//! (simple lower-casing, no full case folding: `ß` does not match `SS`).
//!
//! Default fields (`index`, `source`, `sourcetype`, `host`) are ordinary fields here.

pub(crate) mod cidr;
pub(crate) mod glob;
mod literals;
mod term;

use crate::value::{parse_number, Record};
use cidr::Cidr;
use glob::Glob;
use spl_syntax::ast::{CompareOp, SearchExpr, SearchExprKind, SearchValue};
use spl_syntax::Diagnostic;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::cmp::Ordering;
use term::Term;

pub use term::is_breaker;

/// A search expression ready to match records.
#[derive(Clone, Debug)]
pub struct CompiledSearch {
    node: Node,
}

/// The compiled form of a search expression.
#[derive(Clone, Debug)]
enum Node {
    /// Matches everything (empty search, or the term `*`).
    All,
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// `f=v`, `f IN (…)`: some value matches some pattern.
    Equal {
        field: String,
        patterns: Vec<Pattern>,
    },
    /// `f!=v`: present and no value matches.
    NotEqual {
        field: String,
        pattern: Pattern,
    },
    /// `f<v`, `f<=v`, `f>v`, `f>=v`.
    Order {
        field: String,
        op: CompareOp,
        value: String,
    },
    /// A free-text term against `_raw`.
    Term(Term),
}

/// A value pattern of `f=v`.
#[derive(Clone, Debug)]
enum Pattern {
    /// `*`: any value.
    Any,
    /// No wildcard: whole-string case-insensitive equality (lower-cased text).
    Exact(String),
    /// With wildcards (lower-cased).
    Wildcard(Glob),
    /// A CIDR block; a value also matches when it equals the text.
    Cidr(Cidr, String),
}

/// Prepares a search expression (`None` matches everything).
///
/// Fails only for forms the engine cannot run (a subsearch as a search term).
pub fn compile_search(expr: Option<&SearchExpr>) -> Result<CompiledSearch, Diagnostic> {
    let node = match expr {
        None => Node::All,
        Some(expr) => compile(expr)?,
    };
    Ok(CompiledSearch { node })
}

fn compile(expr: &SearchExpr) -> Result<Node, Diagnostic> {
    Ok(match &expr.kind {
        SearchExprKind::And(items) => Node::And(compile_all(items)?),
        SearchExprKind::Or(items) => Node::Or(compile_all(items)?),
        SearchExprKind::Not(inner) => Node::Not(Box::new(compile(inner)?)),
        SearchExprKind::Compare { field, op, value } => compile_compare(&field.name, *op, value),
        SearchExprKind::In { field, values } => Node::Equal {
            field: field.name.clone(),
            patterns: values.iter().map(|v| compile_pattern(&v.text)).collect(),
        },
        SearchExprKind::Term(value) => compile_term(&value.text),
        SearchExprKind::Subsearch(_) => {
            return Err(Diagnostic::error(
                "spl::plan::unsupported_subsearch",
                "subsearches are not supported",
                expr.span,
            ))
        }
    })
}

fn compile_all(items: &[SearchExpr]) -> Result<Vec<Node>, Diagnostic> {
    items.iter().map(compile).collect()
}

fn compile_compare(field: &str, op: CompareOp, value: &SearchValue) -> Node {
    let field = field.to_string();
    match op {
        CompareOp::Eq => Node::Equal {
            field,
            patterns: vec![compile_pattern(&value.text)],
        },
        CompareOp::Ne => Node::NotEqual {
            field,
            pattern: compile_pattern(&value.text),
        },
        CompareOp::Lt | CompareOp::Le | CompareOp::Gt | CompareOp::Ge => Node::Order {
            field,
            op,
            value: value.text.clone(),
        },
    }
}

fn compile_pattern(text: &str) -> Pattern {
    if !text.is_empty() && text.bytes().all(|b| b == b'*') {
        return Pattern::Any;
    }
    let lowered = lower(text).into_owned();
    if lowered.contains('*') {
        return Pattern::Wildcard(Glob::new(&lowered));
    }
    if let Some(block) = Cidr::parse(text) {
        return Pattern::Cidr(block, lowered);
    }
    Pattern::Exact(lowered)
}

fn compile_term(text: &str) -> Node {
    if !text.is_empty() && text.bytes().all(|b| b == b'*') {
        return Node::All;
    }
    Node::Term(Term::new(&lower(text)))
}

/// Lower-cases `text` for case-insensitive matching (borrowed when nothing changes).
pub(crate) fn lower(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        if text.bytes().any(|b| b.is_ascii_uppercase()) {
            return Cow::Owned(text.to_ascii_lowercase());
        }
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.to_lowercase())
}

impl CompiledSearch {
    /// True when `record` matches.
    pub fn matches(&self, record: &Record) -> bool {
        let raw = RawText {
            record,
            lowered: OnceCell::new(),
        };
        self.node.matches(record, &raw)
    }

    /// True when the search matches every record (empty search or `*`).
    pub fn matches_everything(&self) -> bool {
        matches!(self.node, Node::All)
    }

    /// Literal tokens a matching event's `_raw` must contain, as a conjunction of
    /// disjunctions of lower-case ASCII strings. Only free-text terms contribute (field values
    /// may be JSON-escaped in `_raw`); `NOT` and non-ASCII terms contribute nothing. A
    /// prefilter must let through events whose `_raw` has non-ASCII bytes (see `literals.rs`).
    /// Empty when nothing can be required.
    pub fn required_literals(&self) -> Vec<Vec<String>> {
        literals::required(&self.node)
    }
}

/// The lower-cased `_raw` values of the record being matched, computed at most once.
struct RawText<'a> {
    record: &'a Record,
    lowered: OnceCell<Option<Vec<String>>>,
}

impl RawText<'_> {
    fn get(&self) -> Option<&[String]> {
        self.lowered
            .get_or_init(|| {
                let raw = self.record.get("_raw")?;
                Some(raw.values().iter().map(|v| lower(v).into_owned()).collect())
            })
            .as_deref()
    }
}

impl Node {
    fn matches(&self, record: &Record, raw: &RawText<'_>) -> bool {
        match self {
            Node::All => true,
            Node::And(items) => items.iter().all(|n| n.matches(record, raw)),
            Node::Or(items) => items.iter().any(|n| n.matches(record, raw)),
            Node::Not(inner) => !inner.matches(record, raw),
            Node::Equal { field, patterns } => record.get(field).is_some_and(|value| {
                value
                    .values()
                    .iter()
                    .any(|v| patterns.iter().any(|p| p.matches(v)))
            }),
            Node::NotEqual { field, pattern } => record
                .get(field)
                .is_some_and(|value| !value.values().iter().any(|v| pattern.matches(v))),
            Node::Order { field, op, value } => record
                .get(field)
                .is_some_and(|values| values.values().iter().any(|v| order_holds(v, *op, value))),
            Node::Term(term) => raw
                .get()
                .is_some_and(|values| values.iter().any(|v| term.matches(v))),
        }
    }
}

impl Pattern {
    fn matches(&self, value: &str) -> bool {
        match self {
            Pattern::Any => true,
            Pattern::Exact(expected) => equal_ignoring_case(value, expected),
            Pattern::Wildcard(glob) => glob.matches(&lower(value)),
            Pattern::Cidr(block, text) => block.contains(value) || equal_ignoring_case(value, text),
        }
    }
}

/// `value` equals the lower-cased `expected`, ignoring case.
fn equal_ignoring_case(value: &str, expected: &str) -> bool {
    if value.is_ascii() {
        return value.eq_ignore_ascii_case(expected);
    }
    value.to_lowercase() == expected
}

/// `value op expected`: numeric when both are numbers, else byte-wise.
fn order_holds(value: &str, op: CompareOp, expected: &str) -> bool {
    let ordering = match (parse_number(value), parse_number(expected)) {
        (Some(a), Some(b)) => match a.partial_cmp(&b) {
            Some(ordering) => ordering,
            None => return false,
        },
        _ => value.as_bytes().cmp(expected.as_bytes()),
    };
    match op {
        CompareOp::Lt => ordering == Ordering::Less,
        CompareOp::Le => ordering != Ordering::Greater,
        CompareOp::Gt => ordering == Ordering::Greater,
        CompareOp::Ge => ordering != Ordering::Less,
        CompareOp::Eq => ordering == Ordering::Equal,
        CompareOp::Ne => ordering != Ordering::Equal,
    }
}
