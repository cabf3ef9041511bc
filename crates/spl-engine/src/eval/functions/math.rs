//! Math functions: rounding, powers, logarithms, `min`/`max`.

use super::{arg, number_arg, number_or_null};
use crate::eval::compile::{Env, Node};
use crate::eval::value::{compare_scalars, EvalValue, Scalar};
use fancy_regex::Regex;
use std::cmp::Ordering;

fn unary(args: &[Node], env: &Env<'_>, f: fn(f64) -> f64) -> EvalValue {
    number_or_null(number_arg(args, 0, env).map(f))
}

/// `round(x [, n])`.
pub fn round(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let Some(x) = number_arg(args, 0, env) else {
        return EvalValue::Null;
    };
    let places = if args.len() > 1 {
        number_arg(args, 1, env)
    } else {
        Some(0.0)
    };
    match places {
        Some(p) => number_or_null(Some(round_decimal(x, p.trunc().clamp(0.0, 300.0) as usize))),
        None => EvalValue::Null,
    }
}

/// Rounds half away from zero on the shortest decimal text of `x` (so `2.555` → `2.56` even
/// though the nearest f64 is slightly below 2.555).
pub fn round_decimal(x: f64, places: usize) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let text = format!("{}", x.abs());
    let Some((integer, fraction)) = text.split_once('.') else {
        return x;
    };
    if fraction.len() <= places {
        return x;
    }
    let mut digits: Vec<u8> = integer
        .bytes()
        .chain(fraction.bytes().take(places))
        .collect();
    let round_up = fraction.as_bytes().get(places).is_some_and(|d| *d >= b'5');
    if round_up {
        increment(&mut digits);
    }
    let split = digits.len() - places;
    let (int_part, frac_part) = digits.split_at(split);
    let rendered = format!(
        "{}.{}0",
        String::from_utf8_lossy(int_part),
        String::from_utf8_lossy(frac_part)
    );
    let magnitude = rendered.parse::<f64>().unwrap_or(x.abs());
    magnitude.copysign(x)
}

fn increment(digits: &mut Vec<u8>) {
    for digit in digits.iter_mut().rev() {
        if *digit == b'9' {
            *digit = b'0';
        } else {
            *digit += 1;
            return;
        }
    }
    digits.insert(0, b'1');
}

/// `abs(x)`.
pub fn abs(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    unary(args, env, f64::abs)
}

/// `floor(x)`.
pub fn floor(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    unary(args, env, f64::floor)
}

/// `ceil(x)`.
pub fn ceil(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    unary(args, env, f64::ceil)
}

/// `sqrt(x)`.
pub fn sqrt(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    unary(args, env, f64::sqrt)
}

/// `exp(x)`.
pub fn exp(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    unary(args, env, f64::exp)
}

/// `ln(x)`.
pub fn ln(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    unary(args, env, f64::ln)
}

/// `pow(x, y)`.
pub fn pow(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    match (number_arg(args, 0, env), number_arg(args, 1, env)) {
        (Some(x), Some(y)) => number_or_null(Some(x.powf(y))),
        _ => EvalValue::Null,
    }
}

/// `log(x [, base])`.
pub fn log(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let base = if args.len() > 1 {
        number_arg(args, 1, env)
    } else {
        Some(10.0)
    };
    let (Some(x), Some(base)) = (number_arg(args, 0, env), base) else {
        return EvalValue::Null;
    };
    let result = if base == 10.0 {
        x.log10()
    } else if base == 2.0 {
        x.log2()
    } else {
        x.ln() / base.ln()
    };
    number_or_null(Some(result))
}

/// `pi()`.
pub fn pi(_: &[Node], _: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    EvalValue::Number(std::f64::consts::PI)
}

/// `exact(x)`.
pub fn exact(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    arg(args, 0, env)
}

/// Orders values for `min`/`max`: numbers below strings, numbers numerically, strings
/// byte-wise.
fn rank(a: Scalar<'_>, b: Scalar<'_>) -> Ordering {
    match (a, b) {
        (Scalar::Number(_), Scalar::Number(_)) => compare_scalars(a, b),
        (Scalar::Number(_), _) => Ordering::Less,
        (_, Scalar::Number(_)) => Ordering::Greater,
        _ => compare_scalars(a, b),
    }
}

fn extreme(args: &[Node], env: &Env<'_>, wanted: Ordering) -> EvalValue {
    let values: Vec<EvalValue> = args.iter().map(|a| a.evaluate(env)).collect();
    let mut best: Option<Scalar<'_>> = None;
    for scalar in values.iter().flat_map(EvalValue::scalars) {
        if best.is_none_or(|b| rank(scalar, b) == wanted) {
            best = Some(scalar);
        }
    }
    match best {
        None => EvalValue::Null,
        Some(Scalar::Number(n)) => EvalValue::Number(n),
        Some(Scalar::Str(s)) => EvalValue::Str(s.to_string()),
        Some(Scalar::Bool(b)) => EvalValue::Bool(b),
    }
}

/// `min(…)`.
pub fn min(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    extreme(args, env, Ordering::Less)
}

/// `max(…)`.
pub fn max(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    extreme(args, env, Ordering::Greater)
}
