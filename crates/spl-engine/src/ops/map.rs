//! `map search="<search>" [maxsearches=N]` (or `map [<search>]`): runs the search once per
//! result, with `$field$` replaced by that result's value, and returns the searches' results
//! in place of its input (Splunk's Search Reference, "map").
//!
//! * The search text is macro-expanded when the query is planned, and checked by planning
//!   it with every `$field$` token replaced by a placeholder.
//! * A token takes the field's first value, as written (no quoting is added). A token whose
//!   field is missing is left as written, so it matches nothing (unconfirmed).
//! * A search that starts with a search runs over the run's events (like an event
//!   subsearch; see [`crate::subsearch`]); one that starts with a generating command runs
//!   over none.
//! * A `map` inside the search of `map` is refused (at plan time, and at run time when a
//!   substituted value brings one in): it could rebuild itself without end.
//! * `maxsearches` (default 10) caps the number of searches: more input results stop the
//!   run with [`RunError::Limit`] (Splunk runs the first ten and shows a message).
//!   Saved-search names (`map mysavedsearch`) are not supported.
//!
//! Blocking: holds its input; at the end of input runs the searches in input order and emits
//! their results one search after another.

use crate::ops::arguments::{bad_value, missing, unexpected, Arguments};
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::subsearch::Subsearch;
use crate::value::Record;
use spl_syntax::ast::{
    Command, CommandKind, GenericArg, GenericCommand, Pipeline, SearchExpr, SearchExprKind,
};
use spl_syntax::macros::{expand, MacroSet};
use spl_syntax::{parse_pipeline, Diagnostic, Span};

/// Searches `map` runs when `maxsearches` is not given.
pub const DEFAULT_MAX_SEARCHES: u64 = 10;

/// What a `$field$` token is replaced with when the search is checked at plan time.
const PLACEHOLDER: &str = "placeholder";

/// The `map` operator.
pub struct MapOperator {
    template: String,
    max_searches: u64,
    /// What the per-result searches are planned with.
    ctx: PlanContext,
    held: Vec<Record>,
}

impl std::fmt::Debug for MapOperator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MapOperator")
            .field("template", &self.template)
            .field("max_searches", &self.max_searches)
            .field("held", &self.held.len())
            .finish()
    }
}

/// Builds the operator for `map`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let arguments = Arguments::checked(generic, "map", &["search", "maxsearches"])?;
    let one = |d: Diagnostic| vec![d];
    let max_searches = arguments
        .count_option("maxsearches", DEFAULT_MAX_SEARCHES)
        .map_err(one)?;
    let (text, span) = match (arguments.option("search"), arguments.rest.as_slice()) {
        (Some(option), []) => (option.value.node.clone(), option.value.span),
        (None, [GenericArg::Template(template)]) => (template.node.clone(), template.span),
        (None, []) => return Err(one(missing(command, "`search=\"…\"` or `[ … ]`"))),
        (_, [first, ..]) => {
            return Err(one(unexpected(
                command,
                first,
                "`search=\"…\"` (saved searches are not supported)",
            )))
        }
    };
    if let Some(option) = arguments.option("maxsearches") {
        if max_searches == 0 {
            return Err(one(bad_value(option, "a whole number of at least 1")));
        }
    }
    let empty = MacroSet::default();
    let macros = ctx.macros.as_deref().unwrap_or(&empty);
    let expanded = expand(&text, macros, &ctx.expand_options)
        .map_err(|d| one(in_map(d.message, span)))?
        .text;
    check(&expanded, span, ctx)?;
    Ok(Box::new(MapOperator {
        template: expanded,
        max_searches,
        ctx: ctx.clone(),
        held: Vec::new(),
    }))
}

/// A diagnostic about the search of `map`, placed on the search text.
fn in_map(message: String, span: Span) -> Diagnostic {
    Diagnostic::error(
        "spl::plan::bad_map_search",
        format!("the search of `map`: {message}"),
        span,
    )
}

/// Plans the search with placeholders so that its errors are found before the run.
fn check(template: &str, span: Span, ctx: &PlanContext) -> Result<(), Vec<Diagnostic>> {
    let text = substitute(template, |_| Some(PLACEHOLDER.to_string()));
    let pipeline = parse_pipeline(&text).map_err(|errors| {
        errors
            .into_iter()
            .map(|d| in_map(d.message, span))
            .collect::<Vec<_>>()
    })?;
    if contains_map(&pipeline) {
        return Err(vec![in_map(NESTED_MAP.into(), span)]);
    }
    Subsearch::plan(&pipeline, ctx)
        .map(|_| ())
        .map_err(|errors| {
            errors
                .into_iter()
                .map(|d| in_map(d.message, span))
                .collect()
        })
}

/// Why a `map` inside the search of `map` is refused: values substituted into it could
/// rebuild the same search without end.
const NESTED_MAP: &str = "`map` inside the search of `map` is not supported";

/// True when `pipeline` or one of its subsearches runs `map`.
fn contains_map(pipeline: &Pipeline) -> bool {
    pipeline.commands.iter().any(|command| {
        if command.name.node.eq_ignore_ascii_case("map") {
            return true;
        }
        match &command.kind {
            CommandKind::Generic(generic) => generic.args.iter().any(arg_contains_map),
            CommandKind::Search(Some(expr)) => search_contains_map(expr),
            _ => false,
        }
    })
}

fn arg_contains_map(arg: &GenericArg) -> bool {
    match arg {
        GenericArg::Subsearch(pipeline) => contains_map(pipeline),
        GenericArg::Group(group) => group.node.iter().any(arg_contains_map),
        _ => false,
    }
}

fn search_contains_map(expr: &SearchExpr) -> bool {
    match &expr.kind {
        SearchExprKind::And(items) | SearchExprKind::Or(items) => {
            items.iter().any(search_contains_map)
        }
        SearchExprKind::Not(inner) => search_contains_map(inner),
        SearchExprKind::Subsearch(pipeline) => contains_map(pipeline),
        _ => false,
    }
}

/// `template` with each `$name$` replaced by `value(name)`; a token without a value (or a
/// `$` without a closing one, or with spaces inside) is kept as written.
pub fn substitute(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('$') {
        let (before, from_dollar) = rest.split_at(start);
        out.push_str(before);
        let after = from_dollar.get(1..).unwrap_or("");
        let token = after
            .find('$')
            .and_then(|end| after.get(..end))
            .filter(|name| !name.is_empty() && !name.contains(char::is_whitespace));
        match token.and_then(|name| value(name).map(|v| (name, v))) {
            Some((name, replacement)) => {
                out.push_str(&replacement);
                rest = after.get(name.len() + 1..).unwrap_or("");
            }
            None => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

impl MapOperator {
    /// Runs the search for one input result.
    fn run_for(&self, record: &Record, ctx: &ExecContext) -> Result<Vec<Record>, RunError> {
        let text = substitute(&self.template, |name| {
            record.get(name).map(|value| value.first().to_string())
        });
        let failed = |message: String| {
            RunError::Failed(format!("the search of `map` (`{text}`) failed: {message}"))
        };
        let pipeline = parse_pipeline(&text).map_err(|errors| {
            failed(
                errors
                    .first()
                    .map_or_else(String::new, |d| d.message.clone()),
            )
        })?;
        if contains_map(&pipeline) {
            return Err(failed(NESTED_MAP.into()));
        }
        let search = Subsearch::plan(&pipeline, &self.ctx).map_err(|errors| {
            failed(
                errors
                    .first()
                    .map_or_else(String::new, |d| d.message.clone()),
            )
        })?;
        search.run(ctx, 0, "`map` search results")
    }
}

impl Operator for MapOperator {
    fn push(
        &mut self,
        record: Record,
        _ctx: &mut ExecContext,
        _out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        if self.held.len() as u64 >= self.max_searches {
            return Err(RunError::Limit {
                what: "`map` searches".into(),
                limit: self.max_searches,
                unit: "searches".into(),
                help: "raise it with `map maxsearches=N`".into(),
            });
        }
        self.held.push(record);
        Ok(())
    }

    fn finish(&mut self, ctx: &mut ExecContext, out: &mut Vec<Record>) -> Result<(), RunError> {
        for record in std::mem::take(&mut self.held) {
            out.extend(self.run_for(&record, ctx)?);
        }
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(MapOperator {
            template: self.template.clone(),
            max_searches: self.max_searches,
            ctx: self.ctx.clone(),
            held: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_replaced_and_unknown_ones_kept() {
        let value = |name: &str| (name == "user").then(|| "bob".to_string());
        assert_eq!(
            substitute("user=$user$ x=$other$", value),
            "user=bob x=$other$"
        );
        assert_eq!(
            substitute("cost $5 and $ user $", value),
            "cost $5 and $ user $"
        );
        assert_eq!(substitute("$user$$user$", value), "bobbob");
        assert_eq!(substitute("price$", value), "price$");
    }
}
