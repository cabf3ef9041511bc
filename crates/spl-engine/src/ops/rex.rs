//! `rex [field=<f>] "<regex>" [max_match=<n>] [offset_field=<f>]` and
//! `rex [field=<f>] mode=sed "<sed-expr>"` (§6.8). Default field `_raw`.
//!
//! Streaming, order kept.
//!
//! * Extraction: the unanchored PCRE pattern's named groups `(?<name>…)` become fields. With
//!   `max_match=1` (the default) the first match sets them; `max_match=N` (0 = unlimited)
//!   collects up to N matches into multivalue fields in match order. A group that takes no
//!   part in any match, or no match at all, sets nothing and leaves existing fields alone.
//!   Only the first value of a multivalue field is searched.
//! * `offset_field=<f>` records where each group matched as `name=start-end` (byte offsets,
//!   end inclusive), joined by `&`, for the first match.
//! * `mode=sed`: `s/<re>/<replacement>/<flags>` replaces in place (every value of the
//!   field); `g` replaces every match, a number N only the Nth, none only the first.
//!   `\1`…`\9` and `\0`/`&` in the replacement insert groups. `y/<from>/<to>/` transliterates
//!   character by character (both sides must have the same length).
//!
//! A match that hits the backtracking limit stops the run with [`RunError::Limit`] naming the
//! pattern (engine choice: a silently skipped event would hide data).

use crate::ops::arguments::{
    bad_value, compile_regex, missing, regex_failure, text_of, unexpected, Arguments,
};
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::value::{Record, Value};
use fancy_regex::{Captures, Regex};
use spl_syntax::ast::{Command, GenericCommand};
use spl_syntax::{Diagnostic, Spanned};

/// What `rex` does to the field.
#[derive(Clone, Debug)]
enum Mode {
    /// Named groups become fields.
    Extract {
        regex: Regex,
        names: Vec<String>,
        max_match: usize,
        offset_field: Option<String>,
    },
    /// `s/re/replacement/flags`.
    Substitute {
        regex: Regex,
        replacement: String,
        which: Occurrence,
    },
    /// `y/from/to/`.
    Transliterate { from: Vec<char>, to: Vec<char> },
}

/// Which matches a substitution replaces.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Occurrence {
    /// `g`.
    All,
    /// None, or a number N (1-based).
    Nth(usize),
}

/// The `rex` operator.
#[derive(Clone, Debug)]
pub struct RexOperator {
    field: String,
    mode: Mode,
}

/// Builds the operator for `rex`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    _ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let arguments = Arguments::new(generic);
    let errors = arguments.check_options("rex", &["field", "max_match", "offset_field", "mode"]);
    if !errors.is_empty() {
        return Err(errors);
    }
    let one = |d| vec![d];
    let pattern = match arguments.rest.as_slice() {
        [arg] => text_of(arg).ok_or_else(|| one(unexpected(command, arg, "a quoted pattern")))?,
        [] => return Err(one(missing(command, "a quoted regular expression"))),
        [_, extra, ..] => return Err(one(unexpected(command, extra, "only one pattern"))),
    };
    let field = arguments
        .option("field")
        .map_or_else(|| "_raw".to_string(), |o| o.value.node.clone());
    let sed = match arguments.option("mode") {
        None => false,
        Some(option) if option.value.node.eq_ignore_ascii_case("sed") => true,
        Some(option) => return Err(one(bad_value(option, "`sed`"))),
    };
    let mode = if sed {
        sed_mode(pattern).map_err(one)?
    } else {
        extract_mode(&arguments, pattern).map_err(one)?
    };
    Ok(Box::new(RexOperator { field, mode }))
}

/// The extraction mode: pattern, group names, `max_match`, `offset_field`.
fn extract_mode(arguments: &Arguments<'_>, pattern: &Spanned<String>) -> Result<Mode, Diagnostic> {
    let regex = compile_regex(&pattern.node, pattern.span)?;
    let names = regex
        .capture_names()
        .flatten()
        .map(str::to_string)
        .collect();
    let max_match = arguments.count_option("max_match", 1)?;
    Ok(Mode::Extract {
        regex,
        names,
        max_match: if max_match == 0 {
            usize::MAX
        } else {
            usize::try_from(max_match).unwrap_or(usize::MAX)
        },
        offset_field: arguments
            .option("offset_field")
            .map(|o| o.value.node.clone()),
    })
}

/// Parses `s/re/repl/flags` or `y/from/to/`.
fn sed_mode(expression: &Spanned<String>) -> Result<Mode, Diagnostic> {
    let bad = |message: &str| {
        Diagnostic::error(
            "spl::plan::bad_sed_expression",
            format!("invalid sed expression: {message}"),
            expression.span,
        )
        .with_help("write `s/<regex>/<replacement>/[g|N]` or `y/<from>/<to>/`")
    };
    let mut chars = expression.node.chars();
    let kind = chars.next();
    let Some(delimiter) = chars.next() else {
        return Err(bad("too short"));
    };
    let parts = split_sed(chars.as_str(), delimiter);
    let [first, second, flags] = parts.as_slice() else {
        return Err(bad("expected three parts separated by the delimiter"));
    };
    match kind {
        Some('s') => {
            let regex = compile_regex(first, expression.span)?;
            let which = match flags.as_str() {
                "" => Occurrence::Nth(1),
                "g" => Occurrence::All,
                number => match number.parse::<usize>() {
                    Ok(n) if n > 0 => Occurrence::Nth(n),
                    _ => return Err(bad("flags are `g` or a number")),
                },
            };
            Ok(Mode::Substitute {
                regex,
                replacement: second.clone(),
                which,
            })
        }
        Some('y') => {
            let from: Vec<char> = first.chars().collect();
            let to: Vec<char> = second.chars().collect();
            if from.len() != to.len() || !flags.is_empty() {
                return Err(bad("`y` needs two lists of the same length and no flags"));
            }
            Ok(Mode::Transliterate { from, to })
        }
        _ => Err(bad("it must start with `s` or `y`")),
    }
}

/// Splits the body of a sed expression at unescaped `delimiter`s; `\<delimiter>` becomes the
/// delimiter, other escapes are kept as written.
fn split_sed(body: &str, delimiter: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        let Some(current) = parts.last_mut() else {
            break;
        };
        if c == '\\' {
            match chars.next() {
                Some(next) if next == delimiter => current.push(next),
                Some(next) => {
                    current.push('\\');
                    current.push(next);
                }
                None => current.push('\\'),
            }
        } else if c == delimiter {
            parts.push(String::new());
        } else {
            current.push(c);
        }
    }
    parts
}

/// Appends `replacement` with `\N`, `&` expanded from `captures`.
fn expand(replacement: &str, captures: &Captures<'_, str>, out: &mut String) {
    let mut chars = replacement.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str(captures.get(0).map_or("", |m| m.as_str())),
            '\\' => match chars.next() {
                Some(d) if d.is_ascii_digit() => {
                    let index = d.to_digit(10).unwrap_or(0) as usize;
                    out.push_str(captures.get(index).map_or("", |m| m.as_str()));
                }
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            _ => out.push(c),
        }
    }
}

/// `text` with the chosen matches of `regex` replaced.
fn substitute(
    regex: &Regex,
    replacement: &str,
    which: Occurrence,
    text: &str,
) -> Result<String, RunError> {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (index, captures) in regex.captures_iter(text).enumerate() {
        let captures = captures.map_err(|e| regex_failure(regex, &e))?;
        let Some(whole) = captures.get(0) else {
            continue;
        };
        let chosen = match which {
            Occurrence::All => true,
            Occurrence::Nth(n) => index + 1 == n,
        };
        if !chosen {
            continue;
        }
        out.push_str(text.get(last..whole.start()).unwrap_or(""));
        expand(replacement, &captures, &mut out);
        last = whole.end();
        if let Occurrence::Nth(_) = which {
            break;
        }
    }
    out.push_str(text.get(last..).unwrap_or(""));
    Ok(out)
}

/// `text` with each character of `from` replaced by the one at the same place in `to`.
fn transliterate(from: &[char], to: &[char], text: &str) -> String {
    text.chars()
        .map(|c| {
            from.iter()
                .position(|f| *f == c)
                .and_then(|i| to.get(i).copied())
                .unwrap_or(c)
        })
        .collect()
}

impl RexOperator {
    /// Sets the named-group fields of up to `max_match` matches in `text`.
    fn extract(
        &self,
        record: &mut Record,
        text: &str,
        regex: &Regex,
        names: &[String],
        max_match: usize,
        offset_field: Option<&String>,
    ) -> Result<(), RunError> {
        let mut collected: Vec<Vec<String>> = vec![Vec::new(); names.len()];
        let mut offsets: Option<String> = None;
        for captures in regex.captures_iter(text).take(max_match) {
            let captures = captures.map_err(|e| regex_failure(regex, &e))?;
            for (name, values) in names.iter().zip(collected.iter_mut()) {
                if let Some(group) = captures.name(name) {
                    values.push(group.as_str().to_string());
                }
            }
            if offsets.is_none() {
                offsets = Some(offset_text(&captures, names));
            }
        }
        for (name, values) in names.iter().zip(collected) {
            if let Some(value) = Value::from_values(values) {
                record.insert(name.clone(), value);
            }
        }
        if let (Some(field), Some(offsets)) = (offset_field, offsets) {
            record.insert(field.clone(), offsets);
        }
        Ok(())
    }
}

/// `name=start-end&…` for the groups that matched (end inclusive).
fn offset_text(captures: &Captures<'_, str>, names: &[String]) -> String {
    names
        .iter()
        .filter_map(|name| {
            let group = captures.name(name)?;
            let end = group.end().saturating_sub(1).max(group.start());
            Some(format!("{name}={}-{end}", group.start()))
        })
        .collect::<Vec<_>>()
        .join("&")
}

impl Operator for RexOperator {
    fn push(
        &mut self,
        mut record: Record,
        _ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        let Some(value) = record.get(&self.field) else {
            out.push(record);
            return Ok(());
        };
        match &self.mode {
            Mode::Extract {
                regex,
                names,
                max_match,
                offset_field,
            } => {
                let text = value.first().to_string();
                self.extract(
                    &mut record,
                    &text,
                    regex,
                    names,
                    *max_match,
                    offset_field.as_ref(),
                )?;
            }
            Mode::Substitute {
                regex,
                replacement,
                which,
            } => {
                let mut changed = Vec::with_capacity(value.len());
                for text in value.values() {
                    changed.push(substitute(regex, replacement, *which, text)?);
                }
                if let Some(value) = Value::from_values(changed) {
                    record.insert(self.field.clone(), value);
                }
            }
            Mode::Transliterate { from, to } => {
                let changed: Vec<String> = value
                    .values()
                    .iter()
                    .map(|text| transliterate(from, to, text))
                    .collect();
                if let Some(value) = Value::from_values(changed) {
                    record.insert(self.field.clone(), value);
                }
            }
        }
        out.push(record);
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(self.clone())
    }
}
