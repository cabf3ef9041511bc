//! `convert [timeformat=<fmt>] <func>(<field>) [AS <new>] …` (§6.16).
//!
//! Streaming, order kept. Each conversion applies to every value of the matching fields
//! (a field name may contain `*`; with `AS`, the new name carries the same `*` parts); with
//! `AS` the result goes to the new field and the original stays, otherwise it replaces the
//! value in place. A value that cannot be converted is left unchanged (`num` removes it).
//! A missing field is skipped. Conversions run left to right; a field written in `none(f)`
//! is skipped by the conversions after it.
//!
//! * `ctime`: epoch seconds → `timeformat` (default `%m/%d/%Y %H:%M:%S`, UTC) (confirmed).
//! * `mktime`: text in `timeformat` → epoch seconds.
//! * `dur2sec`: `[D+]HH:MM:SS` → seconds. `mstime`: `[MM:]SS.SSS` → seconds.
//! * `auto`, `num`: a number (leading/trailing spaces and commas removed) in canonical form.
//! * `rmcomma`: commas removed. `rmunit`: the leading number, units dropped.
//! * `memk`: `<n>[k|m|g]` → kilobytes. `none`: no conversion.

use crate::ops::arguments::{is_word, missing, text_of, unexpected, Arguments};
use crate::ops::time_text::TimeText;
use crate::ops::wildcard;
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::value::{format_number, parse_number, Record, Value};
use spl_syntax::ast::{Command, GenericArg, GenericCommand};
use spl_syntax::Diagnostic;

/// `timeformat` when none is given.
pub const DEFAULT_TIME_FORMAT: &str = "%m/%d/%Y %H:%M:%S";

/// One conversion function.
#[derive(Clone, Debug)]
enum Function {
    Ctime(TimeText),
    Mktime(TimeText),
    Dur2sec,
    Mstime,
    Auto,
    Num,
    Rmcomma,
    Rmunit,
    Memk,
    None,
}

/// `func(field) [AS new]`.
#[derive(Clone, Debug)]
struct Conversion {
    function: Function,
    field: String,
    alias: Option<String>,
}

/// The `convert` operator.
#[derive(Clone, Debug)]
pub struct ConvertOperator {
    conversions: Vec<Conversion>,
}

/// The function names `convert` knows.
const FUNCTIONS: &[&str] = &[
    "ctime", "mktime", "dur2sec", "mstime", "auto", "num", "rmcomma", "rmunit", "memk", "none",
];

/// Builds the operator for `convert`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    _ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let arguments = Arguments::new(generic);
    let errors = arguments.check_options("convert", &["timeformat"]);
    if !errors.is_empty() {
        return Err(errors);
    }
    let time_format = arguments
        .option("timeformat")
        .map_or(DEFAULT_TIME_FORMAT, |o| o.value.node.as_str());
    let mut conversions = Vec::new();
    let mut errors = Vec::new();
    let tokens = &arguments.rest;
    let mut index = 0;
    while let Some(token) = tokens.get(index) {
        index += 1;
        if is_word(token, ",") {
            continue;
        }
        let (GenericArg::Word(name), Some(GenericArg::Group(group))) = (token, tokens.get(index))
        else {
            errors.push(unexpected(
                command,
                token,
                "a conversion such as `ctime(field)`",
            ));
            continue;
        };
        index += 1;
        let field = match group.node.as_slice() {
            [arg] => text_of(arg).map(|t| t.node.clone()),
            _ => None,
        };
        let Some(field) = field else {
            errors.push(Diagnostic::error(
                "spl::plan::bad_argument",
                format!("`{}` takes one field name", name.node),
                group.span,
            ));
            continue;
        };
        let mut alias = None;
        if tokens.get(index).is_some_and(|t| is_word(t, "as")) {
            match tokens.get(index + 1).and_then(|t| text_of(t)) {
                Some(new) => alias = Some(new),
                None => errors.push(Diagnostic::error(
                    "spl::plan::missing_argument",
                    "`AS` needs a field name",
                    name.span.to(group.span),
                )),
            }
            index += 2;
        }
        if let Some(new) = alias {
            if wildcard::star_count(&new.node) != wildcard::star_count(&field) {
                errors.push(Diagnostic::error(
                    "spl::plan::wildcard_mismatch",
                    "the `AS` name needs as many `*` as the field",
                    new.span,
                ));
                continue;
            }
        }
        match function(&name.node, time_format) {
            Ok(Some(function)) => conversions.push(Conversion {
                function,
                field,
                alias: alias.map(|a| a.node.clone()),
            }),
            Ok(None) => errors.push(
                Diagnostic::error(
                    "spl::plan::unknown_function",
                    format!("`{}` is not a convert function", name.node),
                    name.span,
                )
                .with_help(format!("convert functions: {}", FUNCTIONS.join(", "))),
            ),
            Err(error) => errors.push(error),
        }
    }
    if conversions.is_empty() && errors.is_empty() {
        errors.push(missing(command, "a conversion such as `ctime(field)`"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Box::new(ConvertOperator { conversions }))
}

/// The function called `name`, or `None` when there is none.
fn function(name: &str, time_format: &str) -> Result<Option<Function>, Diagnostic> {
    Ok(Some(match name.to_ascii_lowercase().as_str() {
        "ctime" => Function::Ctime(TimeText::formatter(time_format)?),
        "mktime" => Function::Mktime(TimeText::parser(time_format)?),
        "dur2sec" => Function::Dur2sec,
        "mstime" => Function::Mstime,
        "auto" => Function::Auto,
        "num" => Function::Num,
        "rmcomma" => Function::Rmcomma,
        "rmunit" => Function::Rmunit,
        "memk" => Function::Memk,
        "none" => Function::None,
        _ => return Ok(None),
    }))
}

/// `[D+]HH:MM:SS` → seconds.
fn duration_seconds(text: &str) -> Option<f64> {
    let text = text.trim();
    let (days, clock) = match text.split_once('+') {
        Some((days, clock)) => (days.trim().parse::<f64>().ok()?, clock),
        None => (0.0, text),
    };
    let mut seconds = 0.0;
    for part in clock.split(':') {
        seconds = seconds * 60.0 + part.trim().parse::<f64>().ok()?;
    }
    Some(days * 86_400.0 + seconds)
}

/// The leading number of `text` (`"10kb"` → 10), ignoring leading spaces.
fn leading_number(text: &str) -> Option<(f64, &str)> {
    let text = text.trim_start();
    let end = text
        .char_indices()
        .take_while(|(i, c)| {
            c.is_ascii_digit() || *c == '.' || (*i == 0 && (*c == '-' || *c == '+'))
        })
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8());
    let (number, rest) = text.split_at(end);
    Some((number.parse::<f64>().ok()?, rest))
}

/// A value converted by `function`; `None` when it cannot be.
fn convert_value(function: &Function, text: &str) -> Option<String> {
    match function {
        Function::Ctime(formatter) => {
            parse_number(text)?;
            formatter.apply(text.trim())
        }
        Function::Mktime(parser) => parser.apply(text),
        Function::Dur2sec | Function::Mstime => duration_seconds(text).map(format_number),
        Function::Auto | Function::Num => {
            parse_number(text.trim().replace(',', "").as_str()).map(format_number)
        }
        Function::Rmcomma => Some(text.replace(',', "")),
        Function::Rmunit => leading_number(text).map(|(n, _)| format_number(n)),
        Function::Memk => {
            let (number, unit) = leading_number(text)?;
            let factor = match unit.trim().to_ascii_lowercase().as_str() {
                "" | "k" | "kb" => 1.0,
                "m" | "mb" => 1024.0,
                "g" | "gb" => 1024.0 * 1024.0,
                _ => return None,
            };
            Some(format_number(number * factor))
        }
        Function::None => Some(text.to_string()),
    }
}

impl Conversion {
    /// The converted value of `value`; `None` removes the target.
    fn apply(&self, value: &Value) -> Option<Value> {
        let converted: Vec<String> = value
            .values()
            .iter()
            .filter_map(|text| match convert_value(&self.function, text) {
                Some(new) => Some(new),
                None if matches!(self.function, Function::Num) => None,
                None => Some(text.clone()),
            })
            .collect();
        Value::from_values(converted)
    }
}

impl Operator for ConvertOperator {
    fn push(
        &mut self,
        mut record: Record,
        _ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        let mut skipped: Vec<String> = Vec::new();
        for conversion in &self.conversions {
            let names: Vec<String> = record
                .names()
                .filter(|name| wildcard::matches(&conversion.field, name))
                .filter(|name| !skipped.iter().any(|s| s == name))
                .map(str::to_string)
                .collect();
            for name in names {
                if matches!(conversion.function, Function::None) {
                    skipped.push(name);
                    continue;
                }
                let Some(value) = record.get(&name) else {
                    continue;
                };
                let converted = conversion.apply(value);
                let target = match &conversion.alias {
                    Some(alias) => {
                        let parts =
                            wildcard::captures(&conversion.field, &name).unwrap_or_default();
                        wildcard::substitute(alias, &parts)
                    }
                    None => name.clone(),
                };
                match converted {
                    Some(value) => record.insert(target, value),
                    None => {
                        record.remove(&target);
                    }
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
