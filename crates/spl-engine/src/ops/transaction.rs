//! `transaction [<field>…] [maxspan=] [maxpause=] [maxevents=] [startswith=] [endswith=]
//! [keepevicted=] [mvlist=] [connected=]`: groups events into transactions (Splunk's Search
//! Reference, "transaction").
//!
//! How events are grouped here (Splunk reads events newest first and closes a transaction
//! when it meets its start; reading oldest first and closing at the end gives the same
//! groups):
//!
//! * Events are taken in `_time` order, oldest first (equal times keep input order; a
//!   missing or non-numeric `_time` counts as 0). Events with the same values of every
//!   listed field form one stream; an event missing a listed field joins no transaction
//!   (unconfirmed).
//! * A transaction ends before an event that matches `startswith`, that would make it span
//!   `maxspan` or more, that follows a pause longer than `maxpause`, or that would exceed
//!   `maxevents` (default 1000); it ends after an event that matches `endswith`.
//! * A transaction is complete when it begins with a `startswith` event (or there is no
//!   `startswith`) and ends with an `endswith` event (or there is no `endswith`). Incomplete
//!   ones are dropped unless `keepevicted=true`, which keeps them with `closed_txn=0`
//!   (complete ones get `closed_txn=1`; without `keepevicted` the field is not added,
//!   unconfirmed).
//!
//! Each transaction becomes one result: `_time` of its first event, `_raw` the members'
//! `_raw` joined by newlines, `duration` (last `_time` − first `_time`), `eventcount`, and
//! every other field with the distinct values of its members sorted (`mvlist=false`,
//! default) or all values in event order (`mvlist=true`). Other internal fields come from
//! the first event.
//!
//! Blocking: holds every event; at the end emits the transactions newest first (by first
//! event, Splunk's result order). `connected` is accepted: with exact field values it
//! changes nothing here. `startswith`/`endswith` take a search expression, in parentheses
//! or quotes; `eval(…)` filters are not supported.

use crate::ops::arguments::{bad_value, bool_value, count_value, is_word, text_of, unexpected};
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::search::{compile_search, CompiledSearch};
use crate::value::{format_number, parse_number, Record, Value};
use spl_syntax::ast::{Command, CommandKind, CommandOption, GenericArg, GenericCommand};
use spl_syntax::{parse_pipeline, Diagnostic, Spanned};
use std::collections::{BTreeSet, HashMap};

/// Events per transaction when `maxevents` is not given.
pub const DEFAULT_MAX_EVENTS: u64 = 1000;

/// The options `transaction` accepts.
const OPTIONS: &[&str] = &[
    "maxspan",
    "maxpause",
    "maxevents",
    "startswith",
    "endswith",
    "keepevicted",
    "mvlist",
    "connected",
];

/// The `transaction` operator.
#[derive(Clone, Debug)]
pub struct TransactionOperator {
    config: TransactionConfig,
    held: Vec<Record>,
}

/// The options of one `transaction`.
#[derive(Clone, Debug)]
struct TransactionConfig {
    fields: Vec<String>,
    max_span: Option<f64>,
    max_pause: Option<f64>,
    max_events: u64,
    starts_with: Option<CompiledSearch>,
    ends_with: Option<CompiledSearch>,
    keep_evicted: bool,
    mv_list: bool,
}

/// A transaction being built: its events in time order.
#[derive(Debug)]
struct Open {
    events: Vec<(f64, Record)>,
    started: bool,
    ended: bool,
}

/// Builds the operator for `transaction`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    _ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let mut config = TransactionConfig {
        fields: Vec::new(),
        max_span: None,
        max_pause: None,
        max_events: DEFAULT_MAX_EVENTS,
        starts_with: None,
        ends_with: None,
        keep_evicted: false,
        mv_list: false,
    };
    let mut errors = Vec::new();
    let mut args = generic.args.iter().peekable();
    while let Some(arg) = args.next() {
        let option = match arg {
            GenericArg::Option(option) => option,
            _ if is_word(arg, ",") => continue,
            _ => {
                match text_of(arg) {
                    Some(text) => config.fields.push(text.node.clone()),
                    None => errors.push(unexpected(command, arg, "a field name or an option")),
                }
                continue;
            }
        };
        let name = option.name.node.to_ascii_lowercase();
        let group = match args.peek() {
            Some(GenericArg::Group(group)) if group.span.start == option.value.span.end => {
                args.next();
                Some(group)
            }
            _ => None,
        };
        if let Err(error) = config.set(&name, option, group) {
            errors.push(error);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Box::new(TransactionOperator {
        config,
        held: Vec::new(),
    }))
}

impl TransactionConfig {
    /// Applies option `name` (lower case); `group` is a `( … )` written right after it.
    fn set(
        &mut self,
        name: &str,
        option: &CommandOption,
        group: Option<&Spanned<Vec<GenericArg>>>,
    ) -> Result<(), Diagnostic> {
        match name {
            "maxspan" => self.max_span = duration(option)?,
            "maxpause" => self.max_pause = duration(option)?,
            "maxevents" => self.max_events = count_value(option)?,
            "startswith" => self.starts_with = Some(filter(option, group)?),
            "endswith" => self.ends_with = Some(filter(option, group)?),
            "keepevicted" => self.keep_evicted = bool_value(option)?,
            "mvlist" => self.mv_list = bool_value(option)?,
            "connected" => {
                bool_value(option)?;
            }
            _ => {
                return Err(Diagnostic::error(
                    "spl::plan::unknown_option",
                    format!("`transaction` has no option `{}`", option.name.node),
                    option.name.span,
                )
                .with_help(format!("`transaction` options: {}", OPTIONS.join(", "))))
            }
        }
        Ok(())
    }
}

/// `<int>(s|m|h|d)?` in seconds; a negative value means no limit.
fn duration(option: &CommandOption) -> Result<Option<f64>, Diagnostic> {
    let text = option.value.node.trim().to_ascii_lowercase();
    let digits_end = text
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || (*i == 0 && *c == '-')))
        .map_or(text.len(), |(i, _)| i);
    let (number, unit) = text.split_at(digits_end);
    let bad = || {
        bad_value(
            option,
            "a time span such as `30s`, `2m`, `1h`, `1d` or `-1`",
        )
    };
    let number: i64 = number.parse().map_err(|_| bad())?;
    let seconds_per_unit = match unit {
        "" | "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86_400,
        _ => return Err(bad()),
    };
    if number < 0 {
        return Ok(None);
    }
    Ok(Some((number * seconds_per_unit) as f64))
}

/// The search expression of `startswith=`/`endswith=`: a `( … )` group or the quoted value.
fn filter(
    option: &CommandOption,
    group: Option<&Spanned<Vec<GenericArg>>>,
) -> Result<CompiledSearch, Diagnostic> {
    let text = match group {
        Some(_) if option.value.node.eq_ignore_ascii_case("eval") => {
            return Err(bad_value(
                option,
                "a search expression (`eval(…)` filters are not supported)",
            ))
        }
        Some(group) if option.value.node.is_empty() => search_text(group),
        _ => option.value.node.clone(),
    };
    let not_a_search = |message: String| {
        Diagnostic::error(
            "spl::plan::bad_option_value",
            format!(
                "`{}` takes a search expression: {message}",
                option.name.node
            ),
            group.map_or(option.value.span, |g| g.span),
        )
    };
    let pipeline = parse_pipeline(&format!("search {text}")).map_err(|errors| {
        not_a_search(
            errors
                .first()
                .map_or_else(String::new, |d| d.message.clone()),
        )
    })?;
    let expr = match pipeline.commands.as_slice() {
        [only] => match &only.kind {
            CommandKind::Search(expr) => expr.clone(),
            _ => return Err(not_a_search("not a search".into())),
        },
        _ => return Err(not_a_search("it holds a `|`".into())),
    };
    compile_search(expr.as_ref()).map_err(|d| not_a_search(d.message))
}

/// The tokens of a `( … )` group printed back as SPL.
fn search_text(group: &Spanned<Vec<GenericArg>>) -> String {
    let command = Command {
        name: Spanned::new("search".to_string(), group.span),
        kind: CommandKind::Generic(GenericCommand {
            args: group.node.clone(),
        }),
        span: group.span,
    };
    let printed = command.to_string();
    printed
        .strip_prefix("search")
        .unwrap_or(&printed)
        .trim()
        .to_string()
}

/// The `_time` of `record` in seconds (0 when missing or not a number).
fn time_of(record: &Record) -> f64 {
    record
        .get("_time")
        .and_then(|t| parse_number(t.first()))
        .unwrap_or(0.0)
}

/// `events` with their `_time`, oldest first (equal times keep input order).
fn by_time(events: Vec<Record>) -> Vec<(f64, Record)> {
    let mut timed: Vec<(f64, Record)> = events.into_iter().map(|e| (time_of(&e), e)).collect();
    timed.sort_by(|a, b| a.0.total_cmp(&b.0));
    timed
}

/// True when some event of the transaction has a `_time`.
fn has_time(transaction: &Open) -> bool {
    transaction.events.iter().any(|(_, e)| e.contains("_time"))
}

impl TransactionConfig {
    /// The stream key of `record`, or `None` when a listed field is missing.
    fn key_of(&self, record: &Record) -> Option<Vec<Vec<String>>> {
        self.fields
            .iter()
            .map(|field| record.get(field).map(|value| value.values().to_vec()))
            .collect()
    }

    /// True when `event` (at `time`) may not join `open`.
    fn breaks(&self, open: &Open, time: f64, event: &Record) -> bool {
        let first = open.events.first().map_or(time, |(t, _)| *t);
        let last = open.events.last().map_or(time, |(t, _)| *t);
        self.starts_with.as_ref().is_some_and(|s| s.matches(event))
            || self.max_span.is_some_and(|span| time - first >= span)
            || self.max_pause.is_some_and(|pause| time - last > pause)
            || open.events.len() as u64 >= self.max_events
    }

    /// True when `open` meets its start and end conditions.
    fn complete(&self, open: &Open) -> bool {
        open.started && (self.ends_with.is_none() || open.ended)
    }

    /// Groups `events` into transactions, in the order they were opened.
    fn group(&self, events: Vec<Record>) -> Vec<Open> {
        let mut transactions: Vec<Open> = Vec::new();
        // The transaction currently open for each stream key.
        let mut open: HashMap<Vec<Vec<String>>, usize> = HashMap::new();
        for (time, event) in by_time(events) {
            let Some(key) = self.key_of(&event) else {
                continue;
            };
            let current = open.get(&key).copied().filter(|index| {
                transactions
                    .get(*index)
                    .is_some_and(|t| !self.breaks(t, time, &event))
            });
            let index = match current {
                Some(index) => index,
                None => {
                    let started = self.starts_with.as_ref().is_none_or(|s| s.matches(&event));
                    transactions.push(Open {
                        events: Vec::new(),
                        started,
                        ended: false,
                    });
                    transactions.len() - 1
                }
            };
            let ends = self.ends_with.as_ref().is_some_and(|e| e.matches(&event));
            if let Some(transaction) = transactions.get_mut(index) {
                transaction.events.push((time, event));
                transaction.ended = ends;
            }
            if ends {
                open.remove(&key);
            } else {
                open.insert(key, index);
            }
        }
        transactions
    }

    /// The result row of one transaction.
    fn render(&self, transaction: Open, complete: bool) -> Record {
        let first_time = transaction.events.first().map_or(0.0, |(t, _)| *t);
        let last_time = transaction.events.last().map_or(0.0, |(t, _)| *t);
        let count = transaction.events.len();
        let timed = has_time(&transaction);
        let mut record = Record::new();
        let mut raws = Vec::new();
        for (_, event) in &transaction.events {
            for (name, value) in event.iter() {
                if name == "_raw" {
                    raws.extend(value.values().iter().cloned());
                } else if name.starts_with('_') {
                    if !record.contains(name) {
                        record.insert(name, value.clone());
                    }
                } else {
                    for text in value.values() {
                        record.append(name, text.clone());
                    }
                }
            }
        }
        if !self.mv_list {
            distinct_sorted(&mut record);
        }
        if timed {
            record.insert("_time", format_number(first_time));
        }
        if !raws.is_empty() {
            record.insert("_raw", raws.join("\n"));
        }
        record.insert("duration", format_number(last_time - first_time));
        record.insert("eventcount", count.to_string());
        if self.keep_evicted {
            record.insert("closed_txn", if complete { "1" } else { "0" });
        }
        record
    }
}

/// Replaces the values of every non-internal field by its distinct values in byte order
/// (`mvlist=false`).
fn distinct_sorted(record: &mut Record) {
    let names: Vec<String> = record
        .names()
        .filter(|name| !name.starts_with('_'))
        .map(str::to_string)
        .collect();
    for name in names {
        let Some(value) = record.get(&name) else {
            continue;
        };
        let distinct: BTreeSet<String> = value.values().iter().cloned().collect();
        if let Some(value) = Value::from_values(distinct.into_iter().collect()) {
            record.insert(name, value);
        }
    }
}

impl Operator for TransactionOperator {
    fn push(
        &mut self,
        record: Record,
        _ctx: &mut ExecContext,
        _out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        self.held.push(record);
        Ok(())
    }

    fn finish(&mut self, _ctx: &mut ExecContext, out: &mut Vec<Record>) -> Result<(), RunError> {
        let events = std::mem::take(&mut self.held);
        let transactions = self.config.group(events);
        for transaction in transactions.into_iter().rev() {
            let complete = self.config.complete(&transaction);
            if complete || self.config.keep_evicted {
                out.push(self.config.render(transaction, complete));
            }
        }
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(TransactionOperator {
            config: self.config.clone(),
            held: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{record, run, values};
    use spl_syntax::ast::CommandKind;

    fn operator(spl: &str) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
        let pipeline = parse_pipeline(spl).expect("parses");
        let command = pipeline.commands.get(1).expect("a second command");
        match &command.kind {
            CommandKind::Generic(generic) => build(command, generic, &PlanContext::default()),
            other => panic!("not generic: {other:?}"),
        }
    }

    fn option(value: &str) -> CommandOption {
        CommandOption {
            name: Spanned::new("maxspan".into(), Default::default()),
            value: Spanned::new(value.into(), Default::default()),
        }
    }

    #[test]
    fn durations_in_seconds() {
        assert_eq!(duration(&option("30")).expect("valid"), Some(30.0));
        assert_eq!(duration(&option("2m")).expect("valid"), Some(120.0));
        assert_eq!(duration(&option("3h")).expect("valid"), Some(10_800.0));
        assert_eq!(duration(&option("1d")).expect("valid"), Some(86_400.0));
        assert_eq!(duration(&option("-1")).expect("valid"), None);
        assert!(duration(&option("2w")).is_err());
        assert!(duration(&option("m")).is_err());
    }

    #[test]
    fn group_filters_are_printed_back_as_searches() {
        let built = operator(r#"* | transaction u startswith=(op="a b" OR op=c) endswith=op=d"#)
            .expect("builds");
        let out = run(
            built.as_ref(),
            vec![
                record(&[("_time", "1"), ("u", "x"), ("op", "a b")]),
                record(&[("_time", "2"), ("u", "x"), ("op", "d")]),
                record(&[("_time", "3"), ("u", "x"), ("op", "c")]),
            ],
        );
        assert_eq!(out.len(), 1);
        assert_eq!(values(&out[0], "op"), ["a b", "d"]);
        assert_eq!(values(&out[0], "duration"), ["1"]);
    }

    #[test]
    fn a_start_event_closes_the_open_transaction() {
        let built = operator(r#"* | transaction u startswith="op=start" keepevicted=true"#)
            .expect("builds");
        let out = run(
            built.as_ref(),
            vec![
                record(&[("_time", "1"), ("u", "x"), ("op", "start")]),
                record(&[("_time", "2"), ("u", "x"), ("op", "more")]),
                record(&[("_time", "3"), ("u", "x"), ("op", "start")]),
            ],
        );
        let counts: Vec<_> = out.iter().map(|r| values(r, "eventcount")).collect();
        assert_eq!(counts, [["1"], ["2"]]);
        let closed: Vec<_> = out.iter().map(|r| values(r, "closed_txn")).collect();
        assert_eq!(closed, [["1"], ["1"]]);
    }
}
