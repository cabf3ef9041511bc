//! `spl::lint::search_after_stats_raw_term`: a free-text term in a `search` after a
//! transforming command.
//!
//! ```text
//! index=k8s | stats count BY src | search forbidden
//!                                         ^^^^^^^^^
//! ```
//! Free-text terms match `_raw`, and after `stats` (or `table`, `chart`, `tstats`, …) there
//! is no `_raw`, so the term matches nothing (§1.6). `*` alone matches every result and is
//! not reported (it is the default filter macro, §6.17).

use super::{command_name, SEARCH_AFTER_STATS_RAW_TERM};
use spl_syntax::ast::{CommandKind, Pipeline, SearchExpr, SearchExprKind, SearchValue};
use spl_syntax::{Diagnostic, Span};

/// Generic commands whose results carry no `_raw`.
const TRANSFORMING: &[&str] = &[
    "chart",
    "timechart",
    "top",
    "rare",
    "tstats",
    "inputlookup",
    "xyseries",
    "untable",
    "transpose",
    "mstats",
];

/// Warnings of this rule for one pipeline (subsearches excluded).
pub(super) fn check(pipeline: &Pipeline) -> Vec<Diagnostic> {
    let mut transformed: Option<(Span, String)> = None;
    let mut diagnostics = Vec::new();
    for command in &pipeline.commands {
        match &command.kind {
            CommandKind::Stats(_) | CommandKind::Table(_) => {
                transformed = Some((command.span, command.name.node.clone()));
            }
            CommandKind::Generic(_) if TRANSFORMING.contains(&command_name(command).as_str()) => {
                transformed = Some((command.span, command.name.node.clone()));
            }
            CommandKind::Search(Some(expr)) => {
                let Some((origin, origin_name)) = &transformed else {
                    continue;
                };
                let mut terms = Vec::new();
                raw_terms(expr, &mut terms);
                diagnostics.extend(
                    terms
                        .into_iter()
                        .map(|term| warning(term, *origin, origin_name)),
                );
            }
            _ => {}
        }
    }
    diagnostics
}

/// The warning for one term.
fn warning(term: &SearchValue, origin: Span, origin_name: &str) -> Diagnostic {
    Diagnostic::warning(
        SEARCH_AFTER_STATS_RAW_TERM,
        format!(
            "the free-text term `{}` matches nothing: there is no `_raw` after `{origin_name}`",
            term.text
        ),
        term.span,
    )
    .with_secondary(origin, "results have no `_raw` after this command")
    .with_help(help(term, origin_name))
}

/// The suggestion for one term. `search search *` comes from `| search` followed by a macro
/// whose definition starts with `search` (a default `*_filter` macro is `search *`).
fn help(term: &SearchValue, origin_name: &str) -> String {
    if !term.quoted && term.text.eq_ignore_ascii_case("search") {
        return "the macro after `| search` already starts with `search` (a default `*_filter` \
                macro is `search *`): write `| <macro>` instead of `| search <macro>`"
            .to_string();
    }
    format!(
        "move the term before `{origin_name}`, or compare a field (`search field=\"*{}*\"`)",
        term.text.trim_matches('*')
    )
}

/// Free-text terms other than a lone `*` (subsearches are checked on their own).
fn raw_terms<'a>(expr: &'a SearchExpr, found: &mut Vec<&'a SearchValue>) {
    match &expr.kind {
        SearchExprKind::And(parts) | SearchExprKind::Or(parts) => {
            parts.iter().for_each(|p| raw_terms(p, found));
        }
        SearchExprKind::Not(inner) => raw_terms(inner, found),
        SearchExprKind::Term(value) if !value.text.chars().all(|c| c == '*') => found.push(value),
        _ => {}
    }
}
