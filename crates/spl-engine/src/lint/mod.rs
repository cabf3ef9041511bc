//! Static checks for detections that lose results silently.
//!
//! Splunk rarely fails loudly when a search is wrong: a `stats … BY Country` quietly drops
//! every event whose `Country` is null, a `where` on a field that no stage produces filters
//! out everything, and a free-text term after `stats` matches nothing because there is no
//! `_raw` any more. [`lint`] walks a parsed [`Pipeline`] and reports these traps as warnings.
//!
//! ```
//! use spl_engine::lint::{lint, LintOptions};
//!
//! let text = "index=k8s | iplocation src | stats count BY src Country";
//! let pipeline = spl_syntax::parse_pipeline(text).expect("parses");
//! let warnings = lint(&pipeline, &LintOptions::default());
//! assert_eq!(warnings.len(), 1);
//! assert_eq!(warnings[0].code, spl_engine::lint::BY_FIELD_MAYBE_UNSET);
//! ```
//!
//! The rules, each in its own module:
//!
//! | code | module | trap |
//! |---|---|---|
//! | [`BY_FIELD_MAYBE_UNSET`] | `by_field` | `iplocation src \| stats count BY Country` |
//! | [`WHERE_FIELD_NEVER_SET`] | `where_field` | `stats count BY src \| where user="x"` |
//! | [`MISSING_LOOKUP`] | `lookup` | `lookup no_such_table user OUTPUT role` |
//! | [`SEARCH_AFTER_STATS_RAW_TERM`] | `raw_term` | `stats count BY src \| search error` |
//!
//! Subsearches (`[ search … ]` in a `search` or a generic command such as `append`) are
//! checked as pipelines of their own.

mod by_field;
mod generic;
mod lookup;
mod names;
mod raw_term;
mod where_field;

use spl_syntax::ast::{Command, CommandKind, GenericArg, Pipeline, SearchExpr, SearchExprKind};
use spl_syntax::Diagnostic;

/// `stats … BY f` where `f` is only set by an earlier `iplocation`, `rex` or `lookup`, with
/// no `fillnull` or `eval f=…` in between.
pub const BY_FIELD_MAYBE_UNSET: &str = "spl::lint::by_field_maybe_unset";
/// `where` reads a field that no stage after the last transforming command produces.
pub const WHERE_FIELD_NEVER_SET: &str = "spl::lint::where_field_never_set";
/// `lookup`/`inputlookup` names a lookup the caller does not know.
pub const MISSING_LOOKUP: &str = "spl::lint::missing_lookup";
/// A free-text term in a `search` after `stats`, where there is no `_raw` to match.
pub const SEARCH_AFTER_STATS_RAW_TERM: &str = "spl::lint::search_after_stats_raw_term";

/// What the caller knows about the environment the search runs in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LintOptions {
    /// The lookup names (lookup definition names or CSV file names) that exist. `None` skips
    /// the [`MISSING_LOOKUP`] rule.
    pub known_lookups: Option<Vec<String>>,
}

/// Checks `pipeline` (and its subsearches) and returns warnings, in pipeline order per rule.
///
/// Every diagnostic has [`spl_syntax::diagnostic::Severity::Warning`], a primary span on the
/// field or term at fault, and usually a secondary label and a help text.
///
/// ```
/// use spl_engine::lint::{lint, LintOptions};
///
/// // `fillnull` before `stats`: nothing is dropped silently.
/// let text = "index=k8s | iplocation src | fillnull | stats count BY src Country";
/// let pipeline = spl_syntax::parse_pipeline(text).expect("parses");
/// assert!(lint(&pipeline, &LintOptions::default()).is_empty());
/// ```
pub fn lint(pipeline: &Pipeline, options: &LintOptions) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    lint_into(pipeline, options, &mut diagnostics);
    diagnostics
}

/// Runs every rule over `pipeline`, then over each of its subsearches.
fn lint_into(pipeline: &Pipeline, options: &LintOptions, diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.extend(by_field::check(pipeline));
    diagnostics.extend(where_field::check(pipeline));
    if let Some(known) = &options.known_lookups {
        diagnostics.extend(lookup::check(pipeline, known));
    }
    diagnostics.extend(raw_term::check(pipeline));
    for command in &pipeline.commands {
        for subsearch in subsearches(command) {
            lint_into(subsearch, options, diagnostics);
        }
    }
}

/// The subsearch pipelines written directly inside `command`.
fn subsearches(command: &Command) -> Vec<&Pipeline> {
    let mut found = Vec::new();
    match &command.kind {
        CommandKind::Search(Some(expr)) => search_subsearches(expr, &mut found),
        CommandKind::Generic(generic) => generic_subsearches(&generic.args, &mut found),
        _ => {}
    }
    found
}

/// Subsearches used as terms of a `search` expression.
fn search_subsearches<'a>(expr: &'a SearchExpr, found: &mut Vec<&'a Pipeline>) {
    match &expr.kind {
        SearchExprKind::And(parts) | SearchExprKind::Or(parts) => {
            for part in parts {
                search_subsearches(part, found);
            }
        }
        SearchExprKind::Not(inner) => search_subsearches(inner, found),
        SearchExprKind::Subsearch(pipeline) => found.push(pipeline),
        SearchExprKind::Compare { .. } | SearchExprKind::In { .. } | SearchExprKind::Term(_) => {}
    }
}

/// Subsearches among the arguments of a generic command, including inside `( … )`.
fn generic_subsearches<'a>(args: &'a [GenericArg], found: &mut Vec<&'a Pipeline>) {
    for arg in args {
        match arg {
            GenericArg::Subsearch(pipeline) => found.push(pipeline),
            GenericArg::Group(group) => generic_subsearches(&group.node, found),
            _ => {}
        }
    }
}

/// The command name in lower case (`STATS` → `stats`).
fn command_name(command: &Command) -> String {
    command.name.node.to_ascii_lowercase()
}
