//! Multivalue functions: `mvcount`, `mvindex`, `mvjoin`, `mvappend`, `mvfilter`, …

use super::{arg, number_arg, regex_arg, text_arg};
use crate::eval::compile::{Env, Node};
use crate::eval::operators::regex_matches;
use crate::eval::value::EvalValue;
use crate::value::format_number;
use fancy_regex::Regex;

/// Most values `mvrange` produces.
const MAX_RANGE: usize = 10_000;

/// `mvcount(f)`.
pub fn mvcount(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    match arg(args, 0, env).count() {
        0 => EvalValue::Null,
        n => EvalValue::Number(n as f64),
    }
}

/// Resolves a possibly negative index against `count`.
fn position(index: f64, count: usize) -> Option<usize> {
    let index = index.trunc() as i64;
    let resolved = if index < 0 {
        count as i64 + index
    } else {
        index
    };
    (0..count as i64)
        .contains(&resolved)
        .then_some(resolved as usize)
}

/// `mvindex(f, start [, end])`.
pub fn mvindex(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let values = arg(args, 0, env).texts();
    let Some(start) = number_arg(args, 1, env).and_then(|s| position(s, values.len())) else {
        return EvalValue::Null;
    };
    if args.len() < 3 {
        return values
            .get(start)
            .map_or(EvalValue::Null, |v| EvalValue::Multi(vec![v.clone()]));
    }
    let Some(end) = number_arg(args, 2, env).and_then(|e| position(e, values.len())) else {
        return EvalValue::Null;
    };
    EvalValue::from_strings(
        values
            .get(start..=end)
            .map_or(Vec::new(), <[String]>::to_vec),
    )
}

/// `mvjoin(f, delim)`.
pub fn mvjoin(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let values = arg(args, 0, env);
    let Some(delimiter) = text_arg(args, 1, env) else {
        return EvalValue::Null;
    };
    if values.is_null() {
        return EvalValue::Null;
    }
    EvalValue::Str(values.texts().join(&delimiter))
}

/// `mvappend(a, …)`.
pub fn mvappend(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let values: Vec<String> = args.iter().flat_map(|a| a.evaluate(env).texts()).collect();
    EvalValue::from_strings(values)
}

/// `mvfilter(predicate)`: the predicate must read exactly one field.
pub fn mvfilter(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let Some(predicate) = args.first() else {
        return EvalValue::Null;
    };
    let mut fields = Vec::new();
    predicate.fields(&mut fields);
    fields.dedup();
    let [field] = fields.as_slice() else {
        return EvalValue::Null;
    };
    let values = EvalValue::from_field(env.record.get(field)).texts();
    let kept: Vec<String> = values
        .into_iter()
        .filter(|value| {
            let bound = Env {
                binding: Some((field, value.as_str())),
                ..*env
            };
            predicate.evaluate(&bound).truth() == Some(true)
        })
        .collect();
    EvalValue::from_strings(kept)
}

/// `mvmap(f, expr)`: `expr` evaluated once per value of field `f` (with `f` bound to that
/// value); null results are dropped.
pub fn mvmap(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let (Some(Node::Field(field)), Some(mapping)) = (args.first(), args.get(1)) else {
        return EvalValue::Null;
    };
    let values = EvalValue::from_field(env.record.get(field)).texts();
    let mut mapped = Vec::new();
    for value in &values {
        let bound = Env {
            binding: Some((field, value.as_str())),
            ..*env
        };
        mapped.extend(mapping.evaluate(&bound).texts());
    }
    EvalValue::from_strings(mapped)
}

/// `mvfind(f, re)`.
pub fn mvfind(args: &[Node], env: &Env<'_>, cached: Option<&Regex>) -> EvalValue {
    let values = arg(args, 0, env).texts();
    let Some(regex) = regex_arg(cached, args, 1, env) else {
        return EvalValue::Null;
    };
    values
        .iter()
        .position(|v| regex_matches(&regex, v))
        .map_or(EvalValue::Null, |i| EvalValue::Number(i as f64))
}

/// `mvdedup(f)`.
pub fn mvdedup(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let mut seen = std::collections::HashSet::new();
    let values: Vec<String> = arg(args, 0, env)
        .texts()
        .into_iter()
        .filter(|v| seen.insert(v.clone()))
        .collect();
    EvalValue::from_strings(values)
}

/// `mvsort(f)`.
pub fn mvsort(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let mut values = arg(args, 0, env).texts();
    values.sort();
    EvalValue::from_strings(values)
}

/// `mvzip(a, b [, delim])`.
pub fn mvzip(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let left = arg(args, 0, env);
    let right = arg(args, 1, env);
    if left.is_null() || right.is_null() {
        return EvalValue::Null;
    }
    let delimiter = if args.len() > 2 {
        text_arg(args, 2, env)
    } else {
        Some(",".to_string())
    };
    let Some(delimiter) = delimiter else {
        return EvalValue::Null;
    };
    let values = left
        .texts()
        .iter()
        .zip(right.texts().iter())
        .map(|(a, b)| format!("{a}{delimiter}{b}"))
        .collect();
    EvalValue::from_strings(values)
}

/// `mvrange(start, end [, step])` (at most 10 000 values).
pub fn mvrange(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let step = if args.len() > 2 {
        number_arg(args, 2, env)
    } else {
        Some(1.0)
    };
    let (Some(start), Some(end), Some(step)) =
        (number_arg(args, 0, env), number_arg(args, 1, env), step)
    else {
        return EvalValue::Null;
    };
    if step == 0.0 || !step.is_finite() {
        return EvalValue::Null;
    }
    let mut values = Vec::new();
    let mut current = start;
    while (step > 0.0 && current < end || step < 0.0 && current > end) && values.len() < MAX_RANGE {
        values.push(format_number(current));
        current += step;
    }
    EvalValue::from_strings(values)
}
