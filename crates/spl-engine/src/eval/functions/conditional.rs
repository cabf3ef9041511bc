//! Conditional, type and comparison functions: `if`, `case`, `coalesce`, `isnull`, `match`…

use super::{arg, regex_arg, text_arg};
use crate::eval::compile::{Env, Node};
use crate::eval::operators::{self, regex_matches};
use crate::eval::value::{EvalValue, Scalar};
use fancy_regex::Regex;
use std::net::IpAddr;

/// `if(c, a, b)`.
pub fn if_(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    if arg(args, 0, env).truth() == Some(true) {
        arg(args, 1, env)
    } else {
        arg(args, 2, env)
    }
}

/// `case(c1, v1, …)`.
pub fn case(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    for pair in args.chunks(2) {
        let [condition, value] = pair else {
            return EvalValue::Null;
        };
        if condition.evaluate(env).truth() == Some(true) {
            return value.evaluate(env);
        }
    }
    EvalValue::Null
}

/// `coalesce(a, …)`.
pub fn coalesce(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    args.iter()
        .map(|a| a.evaluate(env))
        .find(|v| !v.is_null())
        .unwrap_or(EvalValue::Null)
}

/// `isnull(x)`.
pub fn isnull(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    EvalValue::Bool(arg(args, 0, env).is_null())
}

/// `isnotnull(x)`.
pub fn isnotnull(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    EvalValue::Bool(!arg(args, 0, env).is_null())
}

/// `null()`.
pub fn null(_: &[Node], _: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    EvalValue::Null
}

/// `true()`.
pub fn true_(_: &[Node], _: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    EvalValue::Bool(true)
}

/// `false()`.
pub fn false_(_: &[Node], _: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    EvalValue::Bool(false)
}

/// `nullif(a, b)`.
pub fn nullif(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let a = arg(args, 0, env);
    let b = arg(args, 1, env);
    match (a.scalar(), b.scalar()) {
        (Some(x), Some(y)) if crate::eval::value::compare_scalars(x, y).is_eq() => EvalValue::Null,
        _ => a,
    }
}

/// `in(x, v1, …)`.
pub fn in_(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let Some((first, rest)) = args.split_first() else {
        return EvalValue::Null;
    };
    match operators::in_list(&first.evaluate(env), rest, env) {
        EvalValue::Null => EvalValue::Bool(false),
        other => other,
    }
}

fn type_test(args: &[Node], env: &Env<'_>, test: fn(Scalar<'_>) -> bool) -> EvalValue {
    let value = arg(args, 0, env);
    EvalValue::Bool(value.scalar().is_some_and(test))
}

/// `isnum(x)`.
pub fn isnum(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    type_test(args, env, |s| matches!(s, Scalar::Number(_)))
}

/// `isint(x)`.
pub fn isint(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    type_test(
        args,
        env,
        |s| matches!(s, Scalar::Number(n) if n.fract() == 0.0),
    )
}

/// `isstr(x)`.
pub fn isstr(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    type_test(args, env, |s| matches!(s, Scalar::Str(_)))
}

/// `isbool(x)`.
pub fn isbool(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    type_test(args, env, |s| matches!(s, Scalar::Bool(_)))
}

/// `typeof(x)`.
pub fn typeof_(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    EvalValue::Str(arg(args, 0, env).type_name().to_string())
}

/// `cidrmatch(cidr, ip)`.
pub fn cidrmatch(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let (Some(cidr), Some(ip)) = (text_arg(args, 0, env), text_arg(args, 1, env)) else {
        return EvalValue::Bool(false);
    };
    EvalValue::Bool(in_cidr(&cidr, &ip))
}

/// True when `ip` is inside `cidr` (`a.b.c.d/n`, IPv6 too; no `/n` means one address).
pub fn in_cidr(cidr: &str, ip: &str) -> bool {
    let (network, bits) = match cidr.split_once('/') {
        Some((n, b)) => (n, b.parse::<u32>().ok()),
        None => (cidr, None),
    };
    let (Ok(network), Ok(address)) = (
        network.trim().parse::<IpAddr>(),
        ip.trim().parse::<IpAddr>(),
    ) else {
        return false;
    };
    match (network, address) {
        (IpAddr::V4(n), IpAddr::V4(a)) => prefix_equal(
            u32::from(n).into(),
            u32::from(a).into(),
            bits.unwrap_or(32),
            32,
        ),
        (IpAddr::V6(n), IpAddr::V6(a)) => {
            prefix_equal(n.into(), a.into(), bits.unwrap_or(128), 128)
        }
        _ => false,
    }
}

fn prefix_equal(network: u128, address: u128, bits: u32, width: u32) -> bool {
    if bits > width {
        return false;
    }
    if bits == 0 {
        return true;
    }
    let shift = width - bits;
    (network >> shift) == (address >> shift)
}

/// `match(s, re)`.
pub fn match_(args: &[Node], env: &Env<'_>, cached: Option<&Regex>) -> EvalValue {
    let value = arg(args, 0, env);
    if value.is_null() {
        return EvalValue::Null;
    }
    let Some(regex) = regex_arg(cached, args, 1, env) else {
        return EvalValue::Null;
    };
    EvalValue::Bool(value.texts().iter().any(|t| regex_matches(&regex, t)))
}

/// `like(s, p)`.
pub fn like(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let value = arg(args, 0, env);
    let Some(pattern) = text_arg(args, 1, env) else {
        return EvalValue::Null;
    };
    if value.is_null() {
        return EvalValue::Null;
    }
    EvalValue::Bool(value.texts().iter().any(|t| operators::like(t, &pattern)))
}
