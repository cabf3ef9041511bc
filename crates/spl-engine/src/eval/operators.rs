//! Operators of `eval`/`where` expressions: arithmetic, concatenation, comparison with
//! multivalue any-match, three-valued logic, `LIKE`, `IN` (`spl-semantics.md` §5.4).

use super::compile::{Env, Node};
use super::value::{compare_scalars, type_text, EvalValue, Scalar};
use crate::run::RunError;
use fancy_regex::{Regex, RegexBuilder};
use spl_syntax::ast::{BinaryOp, UnaryOp};
use std::cell::RefCell;
use std::cmp::Ordering;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};

/// Default number of backtracking steps a regular expression may take on one input before
/// it is abandoned (see [`set_backtrack_limit`]).
pub const BACKTRACK_LIMIT: usize = 1_000_000;

/// The backtracking limit of regular expressions compiled from now on, process-wide.
static CURRENT_BACKTRACK_LIMIT: AtomicUsize = AtomicUsize::new(BACKTRACK_LIMIT);

/// Sets the backtracking limit of every regular expression compiled afterwards in this
/// process (default [`BACKTRACK_LIMIT`]; `spl run --regex-backtrack-limit`). It is
/// process-wide, not per engine, because patterns are also compiled while a run evaluates
/// (`match(f, other_field)`); set it before compiling queries. 0 is read as 1.
pub fn set_backtrack_limit(steps: usize) {
    CURRENT_BACKTRACK_LIMIT.store(steps.max(1), AtomicOrdering::Relaxed);
}

/// The backtracking limit regular expressions are compiled with now.
pub fn backtrack_limit() -> usize {
    CURRENT_BACKTRACK_LIMIT.load(AtomicOrdering::Relaxed)
}

/// Compiles a PCRE-style pattern with the engine's backtracking limit.
pub fn build_regex(pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .backtrack_limit(backtrack_limit())
        .build()
        .map_err(|e| e.to_string())
}

thread_local! {
    /// The first regular-expression failure (backtracking limit) of an expression evaluated
    /// on this thread since the last [`take_regex_failure`].
    static REGEX_FAILURE: RefCell<Option<RunError>> = const { RefCell::new(None) };
}

/// True when `regex` matches anywhere in `text`. A match that hits the backtracking limit
/// counts as no match here and is recorded: the run stops with the error at the end of the
/// current record (see [`take_regex_failure`]), as the `rex` and `regex` commands do.
pub fn regex_matches(regex: &Regex, text: &str) -> bool {
    match regex.is_match(text) {
        Ok(matched) => matched,
        Err(error) => {
            record_regex_failure(regex, &error);
            false
        }
    }
}

/// Records that `regex` failed on some input (only the first failure is kept).
pub fn record_regex_failure(regex: &Regex, error: &fancy_regex::Error) {
    REGEX_FAILURE.with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            if slot.is_none() {
                *slot = Some(crate::ops::arguments::regex_failure(regex, error));
            }
        }
    });
}

/// The regular-expression failure recorded on this thread since the last call, if any
/// (clears it). Runs check it after every record each stage handles.
pub fn take_regex_failure() -> Option<RunError> {
    REGEX_FAILURE.with(|slot| slot.try_borrow_mut().ok().and_then(|mut slot| slot.take()))
}

/// True when `op` always yields a Boolean.
pub fn is_boolean_op(op: BinaryOp) -> bool {
    matches!(
        op,
        BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge
            | BinaryOp::Like
            | BinaryOp::And
            | BinaryOp::Or
            | BinaryOp::Xor
    )
}

/// `-x` and `NOT x`.
pub fn unary(op: UnaryOp, value: EvalValue) -> EvalValue {
    match op {
        UnaryOp::Neg => value
            .number()
            .map_or(EvalValue::Null, |n| EvalValue::Number(-n)),
        UnaryOp::Not => value
            .truth()
            .map_or(EvalValue::Null, |b| EvalValue::Bool(!b)),
    }
}

/// The precedence level of the left-associative operators whose chains compile to one
/// [`Node::Chain`] (`None` for comparisons and `LIKE`, which do not chain usefully).
pub fn chain_level(op: BinaryOp) -> Option<u8> {
    Some(match op {
        BinaryOp::Xor => 1,
        BinaryOp::Or => 2,
        BinaryOp::And => 3,
        BinaryOp::Add | BinaryOp::Sub | BinaryOp::Concat => 4,
        BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => 5,
        _ => return None,
    })
}

/// `first op₁ term₁ op₂ term₂ …` grouped from the left, the same as the nested [`binary`]
/// calls would give, in a loop instead of a recursion per term.
pub fn chain(first: &Node, rest: &[(BinaryOp, Node)], env: &Env<'_>) -> EvalValue {
    let mut value = first.evaluate(env);
    for (op, term) in rest {
        value = match op {
            BinaryOp::And => and_value(value.truth(), term, env),
            BinaryOp::Or => or_value(value.truth(), term, env),
            _ => apply(*op, &value, &term.evaluate(env)),
        };
    }
    value
}

/// `left op right`; `AND`/`OR` short-circuit where three-valued logic allows.
pub fn binary(op: BinaryOp, left: &Node, right: &Node, env: &Env<'_>) -> EvalValue {
    match op {
        BinaryOp::And => return and(left, right, env),
        BinaryOp::Or => return or(left, right, env),
        _ => {}
    }
    if let Some(accept) = comparison(op) {
        return compare_operands(&Operand::of(left, env), &Operand::of(right, env), accept);
    }
    apply(op, &left.evaluate(env), &right.evaluate(env))
}

/// An arithmetic, string or logical operator other than `AND`/`OR` on two values.
fn apply(op: BinaryOp, a: &EvalValue, b: &EvalValue) -> EvalValue {
    match op {
        BinaryOp::Add => add(a, b),
        BinaryOp::Sub => arithmetic(a, b, |x, y| Some(x - y)),
        BinaryOp::Mul => arithmetic(a, b, |x, y| Some(x * y)),
        BinaryOp::Div => arithmetic(a, b, |x, y| (y != 0.0).then(|| x / y)),
        BinaryOp::Mod => arithmetic(a, b, |x, y| (y != 0.0).then(|| x % y)),
        BinaryOp::Concat => concat(a, b),
        BinaryOp::Xor => match (a.truth(), b.truth()) {
            (Some(x), Some(y)) => EvalValue::Bool(x != y),
            _ => EvalValue::Null,
        },
        BinaryOp::Like => like_values(a, b),
        _ => EvalValue::Null,
    }
}

/// The acceptance test of a comparison operator.
fn comparison(op: BinaryOp) -> Option<fn(Ordering) -> bool> {
    Some(match op {
        BinaryOp::Eq => Ordering::is_eq,
        BinaryOp::Ne => Ordering::is_ne,
        BinaryOp::Lt => Ordering::is_lt,
        BinaryOp::Le => Ordering::is_le,
        BinaryOp::Gt => Ordering::is_gt,
        BinaryOp::Ge => Ordering::is_ge,
        _ => return None,
    })
}

/// A comparison operand: a field's values borrowed from the record (no copy per row), or a
/// computed value.
enum Operand<'a, 'n> {
    Field(&'a [String]),
    Constant(&'n EvalValue),
    Value(EvalValue),
}

impl<'a, 'n> Operand<'a, 'n> {
    fn of(node: &'n Node, env: &Env<'a>) -> Operand<'a, 'n> {
        if let Node::Constant(value) = node {
            return Operand::Constant(value);
        }
        if let Node::Field(name) = node {
            let bound = env.binding.is_some_and(|(b, _)| b == name);
            if !bound {
                return match env.record.get(name) {
                    Some(value) => Operand::Field(value.values()),
                    None => Operand::Value(EvalValue::Null),
                };
            }
        }
        Operand::Value(node.evaluate(env))
    }

    fn scalars(&self) -> Vec<Scalar<'_>> {
        match self {
            Operand::Field(values) => values.iter().map(|t| type_text(t)).collect(),
            Operand::Constant(v) => v.scalars(),
            Operand::Value(v) => v.scalars(),
        }
    }

    fn is_null(&self) -> bool {
        matches!(
            self,
            Operand::Value(EvalValue::Null) | Operand::Constant(EvalValue::Null)
        )
    }
}

fn compare_operands(
    a: &Operand<'_, '_>,
    b: &Operand<'_, '_>,
    accept: fn(Ordering) -> bool,
) -> EvalValue {
    if a.is_null() || b.is_null() {
        return EvalValue::Null;
    }
    let right = b.scalars();
    let any = a
        .scalars()
        .into_iter()
        .any(|x| right.iter().any(|y| accept(compare_scalars(x, *y))));
    EvalValue::Bool(any)
}

fn and(left: &Node, right: &Node, env: &Env<'_>) -> EvalValue {
    and_value(left.evaluate(env).truth(), right, env)
}

/// `AND` with the left side's truth known.
fn and_value(a: Option<bool>, right: &Node, env: &Env<'_>) -> EvalValue {
    if a == Some(false) {
        return EvalValue::Bool(false);
    }
    match (a, right.evaluate(env).truth()) {
        (_, Some(false)) => EvalValue::Bool(false),
        (Some(true), Some(true)) => EvalValue::Bool(true),
        _ => EvalValue::Null,
    }
}

fn or(left: &Node, right: &Node, env: &Env<'_>) -> EvalValue {
    or_value(left.evaluate(env).truth(), right, env)
}

/// `OR` with the left side's truth known.
fn or_value(a: Option<bool>, right: &Node, env: &Env<'_>) -> EvalValue {
    if a == Some(true) {
        return EvalValue::Bool(true);
    }
    match (a, right.evaluate(env).truth()) {
        (_, Some(true)) => EvalValue::Bool(true),
        (Some(false), Some(false)) => EvalValue::Bool(false),
        _ => EvalValue::Null,
    }
}

fn add(a: &EvalValue, b: &EvalValue) -> EvalValue {
    match (a.scalar(), b.scalar()) {
        (Some(Scalar::Number(x)), Some(Scalar::Number(y))) => EvalValue::Number(x + y),
        (Some(Scalar::Str(x)), Some(Scalar::Str(y))) => EvalValue::Str(format!("{x}{y}")),
        _ => EvalValue::Null,
    }
}

fn arithmetic(a: &EvalValue, b: &EvalValue, f: impl Fn(f64, f64) -> Option<f64>) -> EvalValue {
    match (a.number(), b.number()) {
        (Some(x), Some(y)) => f(x, y).map_or(EvalValue::Null, EvalValue::Number),
        _ => EvalValue::Null,
    }
}

fn concat(a: &EvalValue, b: &EvalValue) -> EvalValue {
    match (a.text(), b.text()) {
        (Some(x), Some(y)) => EvalValue::Str(x + &y),
        _ => EvalValue::Null,
    }
}

/// A comparison: null with any null operand, else true when any pair of values satisfies it.
fn compare(a: &EvalValue, b: &EvalValue, accept: fn(Ordering) -> bool) -> EvalValue {
    if a.is_null() || b.is_null() {
        return EvalValue::Null;
    }
    let right = b.scalars();
    let any = a
        .scalars()
        .into_iter()
        .any(|x| right.iter().any(|y| accept(compare_scalars(x, *y))));
    EvalValue::Bool(any)
}

fn like_values(a: &EvalValue, b: &EvalValue) -> EvalValue {
    let Some(pattern) = b.text() else {
        return EvalValue::Null;
    };
    if a.is_null() {
        return EvalValue::Null;
    }
    EvalValue::Bool(a.texts().iter().any(|t| like(t, &pattern)))
}

/// SQL `LIKE`: whole-string match, `%` any run of characters, `_` exactly one; case-sensitive.
pub fn like(text: &str, pattern: &str) -> bool {
    let text: Vec<char> = text.chars().collect();
    let pattern: Vec<char> = pattern.chars().collect();
    // Classic wildcard matching with one backtrack point for the last `%`.
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('%') => {
                star = Some((p, t));
                p += 1;
            }
            Some(c) if *c == '_' || Some(c) == text.get(t) => {
                t += 1;
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|c| *c == '%'))
}

/// `x IN (v1, …)` and `in(x, v1, …)`: true when any value of `x` equals any candidate.
pub fn in_list(value: &EvalValue, list: &[Node], env: &Env<'_>) -> EvalValue {
    if value.is_null() {
        return EvalValue::Null;
    }
    for candidate in list {
        if compare(value, &candidate.evaluate(env), Ordering::is_eq) == EvalValue::Bool(true) {
            return EvalValue::Bool(true);
        }
    }
    EvalValue::Bool(false)
}
