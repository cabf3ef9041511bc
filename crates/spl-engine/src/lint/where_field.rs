//! `spl::lint::where_field_never_set`: a `where` that reads a field no stage produces.
//!
//! ```text
//! index=k8s | stats count BY src | where user="admin"
//!                                        ^^^^
//! ```
//! After `stats` only its `BY` fields and aggregation outputs exist (§4.5), so `user` is
//! null in every row and the `where` keeps nothing. Before any transforming command an
//! event may carry any field, so nothing is reported there.
//!
//! The set of fields is tracked through `rename` (wildcards too, as in
//! `drop_dm_object_name`), `table`, `fields`, `eval`, `iplocation`, `fillnull f…`, `rex`,
//! `lookup … OUTPUT`, `convert … AS` and `bin … AS`. Any other generic command (`tstats`,
//! `inputlookup`, `eventstats`, `append`, …) makes the set unknown again.

use super::generic::{as_names, lookup_outputs, rex_group_names};
use super::names::{glob_matches, iplocation_outputs, renamed};
use super::{command_name, WHERE_FIELD_NEVER_SET};
use spl_syntax::ast::{CommandKind, Field};
use spl_syntax::ast::{Expr, ExprKind, Fields, GenericCommand, Pipeline, RenamePair, Stats};
use spl_syntax::diagnostic::did_you_mean;
use spl_syntax::{Diagnostic, Span};

/// Generic commands that neither add nor remove fields.
const FIELD_PRESERVING: &[&str] = &[
    "regex",
    "reverse",
    "tail",
    "mvexpand",
    "makemv",
    "mvcombine",
    "nomv",
    "uniq",
    "search",
    "where",
    "outputlookup",
    "collect",
    "sendalert",
];

/// The fields that exist after a transforming command.
struct Known {
    /// Field names, in the order they appeared.
    fields: Vec<String>,
    /// The command that fixed the set (for the secondary label).
    origin: Span,
    /// Its name as written.
    origin_name: String,
}

impl Known {
    fn add(&mut self, name: String) {
        if !self.fields.contains(&name) {
            self.fields.push(name);
        }
    }
}

/// Warnings of this rule for one pipeline (subsearches excluded).
pub(super) fn check(pipeline: &Pipeline) -> Vec<Diagnostic> {
    let mut known: Option<Known> = None;
    let mut diagnostics = Vec::new();
    for command in &pipeline.commands {
        let name = &command.name.node;
        match &command.kind {
            CommandKind::Stats(stats) => {
                known = stats_outputs(stats).map(|fields| Known {
                    fields,
                    origin: command.span,
                    origin_name: name.clone(),
                });
            }
            CommandKind::Table(list) => known = apply_table(known, list, command.span, name),
            CommandKind::Where(expr) => {
                if let Some(set) = &known {
                    diagnostics.extend(check_where(expr, set));
                }
            }
            _ => {
                if let Some(set) = known.as_mut() {
                    if !update(set, &command.kind, &command_name(command)) {
                        known = None;
                    }
                }
            }
        }
    }
    diagnostics
}

/// The output columns of `stats`, or `None` when a wildcard makes them unknown.
fn stats_outputs(stats: &Stats) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    for field in &stats.by {
        if field.is_wildcard() {
            return None;
        }
        fields.push(field.name.clone());
    }
    for aggregation in &stats.aggregations {
        let name = aggregation.output_name();
        if name.contains('*') {
            return None;
        }
        fields.push(name);
    }
    Some(fields)
}

/// `table a b*`: keeps the listed fields. Without a known set, a list without wildcards
/// becomes the set (listed fields that exist nowhere are empty columns, still null).
fn apply_table(known: Option<Known>, list: &[Field], span: Span, name: &str) -> Option<Known> {
    match known {
        Some(mut set) => {
            set.fields
                .retain(|f| list.iter().any(|pattern| glob_matches(&pattern.name, f)));
            Some(set)
        }
        None if list.iter().any(Field::is_wildcard) => None,
        None => Some(Known {
            fields: list.iter().map(|f| f.name.clone()).collect(),
            origin: span,
            origin_name: name.to_string(),
        }),
    }
}

/// Updates `set` for a streaming command; false when the fields become unknown.
fn update(set: &mut Known, kind: &CommandKind, name: &str) -> bool {
    match kind {
        CommandKind::Eval(assignments) => {
            for assignment in assignments {
                set.add(assignment.field.name.clone());
            }
        }
        CommandKind::IpLocation(iplocation) => {
            for field in iplocation_outputs(iplocation) {
                set.add(field);
            }
        }
        CommandKind::Fillnull(fillnull) => {
            for field in fillnull.fields.iter().filter(|f| !f.is_wildcard()) {
                set.add(field.name.clone());
            }
        }
        CommandKind::Rename(pairs) => apply_rename(set, pairs),
        CommandKind::Fields(fields) => apply_fields(set, fields),
        CommandKind::Generic(generic) => return update_generic(set, generic, name),
        _ => {}
    }
    true
}

/// Renames known fields; a wildcard pair renames every matching one.
fn apply_rename(set: &mut Known, pairs: &[RenamePair]) {
    for pair in pairs {
        let mut renamed_fields = Vec::new();
        for field in &set.fields {
            match renamed(&pair.from.name, &pair.to.name, field) {
                Some(new_name) => renamed_fields.push(new_name),
                None => renamed_fields.push(field.clone()),
            }
        }
        let old = std::mem::take(&mut set.fields);
        for (before, after) in old.iter().zip(renamed_fields) {
            if before != &after {
                set.fields.retain(|f| f != &after);
            }
            set.add(after);
        }
    }
}

/// `fields a b` keeps matching fields; `fields - a` removes them.
fn apply_fields(set: &mut Known, fields: &Fields) {
    let listed = |name: &String| fields.fields.iter().any(|p| glob_matches(&p.name, name));
    if fields.remove {
        set.fields.retain(|f| !listed(f));
    } else {
        set.fields
            .retain(|f| listed(f) || f.as_str() == "_raw" || f.as_str() == "_time");
    }
}

/// Updates `set` for a generic command; false when its output fields are unknown.
fn update_generic(set: &mut Known, generic: &GenericCommand, name: &str) -> bool {
    match name {
        "rex" => rex_group_names(generic)
            .0
            .into_iter()
            .for_each(|f| set.add(f)),
        "lookup" => match lookup_outputs(generic) {
            Some(outputs) => outputs.into_iter().for_each(|f| set.add(f.node)),
            None => return false,
        },
        "convert" | "bin" | "bucket" => as_names(generic).into_iter().for_each(|f| set.add(f)),
        _ => return FIELD_PRESERVING.contains(&name),
    }
    true
}

/// One warning per distinct field the `where` reads that is not in `set`.
fn check_where(expr: &Expr, set: &Known) -> Vec<Diagnostic> {
    let mut references = Vec::new();
    field_references(expr, &mut references);
    let mut reported: Vec<&str> = Vec::new();
    let mut diagnostics = Vec::new();
    for (field, span) in references {
        if set.fields.iter().any(|f| f == field) || reported.contains(&field) {
            continue;
        }
        reported.push(field);
        let mut diagnostic = Diagnostic::warning(
            WHERE_FIELD_NEVER_SET,
            format!(
                "`where` reads `{field}`, which no stage sets after `{}`, so it is null in \
                 every result",
                set.origin_name
            ),
            span,
        )
        .with_secondary(
            set.origin,
            format!(
                "after this `{}`, only its output fields exist",
                set.origin_name
            ),
        )
        .with_help(format!(
            "fields available here: {}",
            field_list(&set.fields)
        ));
        if let Some(suggestion) = did_you_mean(field, set.fields.iter().map(String::as_str)) {
            diagnostic = diagnostic.with_label(format!("did you mean `{suggestion}`?"));
        }
        diagnostics.push(diagnostic);
    }
    diagnostics
}

/// `a, b, c` (at most 12 names, then `…`).
fn field_list(fields: &[String]) -> String {
    let mut shown: Vec<String> = fields.iter().take(12).map(|f| format!("`{f}`")).collect();
    if fields.len() > 12 {
        shown.push("…".to_string());
    }
    if shown.is_empty() {
        return "none".to_string();
    }
    shown.join(", ")
}

/// Every field an expression reads, with the span of the expression node.
fn field_references<'a>(expr: &'a Expr, found: &mut Vec<(&'a str, Span)>) {
    match &expr.kind {
        ExprKind::Field(name) => found.push((name, expr.span)),
        ExprKind::Call { args, .. } => args.iter().for_each(|a| field_references(a, found)),
        ExprKind::Unary { expr: inner, .. } => field_references(inner, found),
        ExprKind::Binary { left, right, .. } => {
            field_references(left, found);
            field_references(right, found);
        }
        ExprKind::In { expr: inner, list } => {
            field_references(inner, found);
            list.iter().for_each(|a| field_references(a, found));
        }
        ExprKind::Str(_) | ExprKind::Number(_) => {}
    }
}
