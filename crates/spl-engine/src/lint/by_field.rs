//! `spl::lint::by_field_maybe_unset`: a `BY` field that only an earlier `iplocation`, `rex` or
//! `lookup` sets.
//!
//! ```text
//! index=k8s | iplocation sourceIPs{} | stats count BY sourceIPs{} Country City
//!                                                                 ^^^^^^^ ^^^^
//! ```
//! `iplocation` adds nothing for private addresses (§3.2) and `stats` ignores events with a
//! null `BY` field (§4.4), so events from `10.0.0.5` vanish. `| fillnull value=unknown
//! Country City` before `stats` keeps them, as ESCU does in other detections.
//!
//! A field stops being suspect after `fillnull` (without a list, or listing it), `eval f=…`,
//! or a filter that already requires it (`search f=…`, `where isnotnull(f)`). `rename`
//! carries the suspicion to the new name. `stats`, `chart` and `timechart` end the
//! analysis (their output is a new result set); `eventstats` and `streamstats` are checked
//! but keep the events.

use super::generic::{by_clause_fields, lookup_outputs, rex_group_names};
use super::names::{glob_matches, iplocation_outputs, renamed};
use super::{command_name, BY_FIELD_MAYBE_UNSET};
use spl_syntax::ast::{
    BinaryOp, Command, CommandKind, Expr, ExprKind, Fillnull, GenericCommand, Pipeline, RenamePair,
    SearchExpr, SearchExprKind,
};
use spl_syntax::{Diagnostic, Span, Spanned};

/// The stage that may leave a field unset.
#[derive(Clone, Debug)]
struct Producer {
    /// `iplocation`, `rex` or `lookup`.
    command: String,
    /// The whole command.
    span: Span,
}

impl Producer {
    /// Why this producer may leave `field` unset.
    fn reason(&self, field: &str) -> String {
        match self.command.as_str() {
            "iplocation" => {
                format!("`iplocation` sets no `{field}` for private or unknown addresses")
            }
            "rex" => format!("`rex` sets no `{field}` when its regular expression does not match"),
            _ => format!("`lookup` sets no `{field}` for events with no matching row"),
        }
    }
}

/// Fields that may be null, in the order they were produced, with their producer.
#[derive(Default)]
struct Suspects {
    fields: Vec<(String, Producer)>,
}

impl Suspects {
    fn insert(&mut self, field: String, producer: &Producer) {
        self.remove(&field);
        self.fields.push((field, producer.clone()));
    }

    fn remove(&mut self, field: &str) {
        self.fields.retain(|(name, _)| name != field);
    }

    fn remove_matching(&mut self, pattern: &str) {
        self.fields.retain(|(name, _)| !glob_matches(pattern, name));
    }

    fn get(&self, field: &str) -> Option<&Producer> {
        self.fields
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, producer)| producer)
    }
}

/// Warnings of this rule for one pipeline (subsearches excluded).
pub(super) fn check(pipeline: &Pipeline) -> Vec<Diagnostic> {
    let mut suspects = Suspects::default();
    let mut diagnostics = Vec::new();
    for command in &pipeline.commands {
        let name = command_name(command);
        match &command.kind {
            CommandKind::IpLocation(iplocation) => {
                let producer = producer(command, "iplocation");
                for field in iplocation_outputs(iplocation) {
                    suspects.insert(field, &producer);
                }
            }
            CommandKind::Fillnull(fillnull) => apply_fillnull(fillnull, &mut suspects),
            CommandKind::Eval(assignments) => {
                for assignment in assignments {
                    suspects.remove(&assignment.field.name);
                }
            }
            CommandKind::Rename(pairs) => apply_rename(pairs, &mut suspects),
            CommandKind::Search(Some(expr)) => {
                for field in search_required_fields(expr) {
                    suspects.remove(&field);
                }
            }
            CommandKind::Where(expr) => {
                for field in where_required_fields(expr) {
                    suspects.remove(&field);
                }
            }
            CommandKind::Stats(stats) => {
                let by: Vec<Spanned<String>> = stats
                    .by
                    .iter()
                    .map(|f| Spanned::new(f.name.clone(), f.span))
                    .collect();
                diagnostics.extend(check_by(command, "stats", &by, &suspects));
                return diagnostics;
            }
            CommandKind::Generic(generic)
                if apply_generic(command, &name, generic, &mut suspects, &mut diagnostics) =>
            {
                return diagnostics;
            }
            _ => {}
        }
    }
    diagnostics
}

/// A producer for `command`.
fn producer(command: &Command, name: &str) -> Producer {
    Producer {
        command: name.to_string(),
        span: command.span,
    }
}

/// Handles a generic command; true when the analysis ends here (a transforming command).
fn apply_generic(
    command: &Command,
    name: &str,
    generic: &GenericCommand,
    suspects: &mut Suspects,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    match name {
        "rex" => {
            let producer = producer(command, "rex");
            for field in rex_group_names(generic).0 {
                suspects.insert(field, &producer);
            }
        }
        "lookup" => {
            let producer = producer(command, "lookup");
            for field in lookup_outputs(generic).unwrap_or_default() {
                suspects.insert(field.node, &producer);
            }
        }
        "eventstats" | "streamstats" => {
            diagnostics.extend(check_by(
                command,
                name,
                &by_clause_fields(generic),
                suspects,
            ));
        }
        "chart" | "timechart" => {
            diagnostics.extend(check_by(
                command,
                name,
                &by_clause_fields(generic),
                suspects,
            ));
            return true;
        }
        _ => {}
    }
    false
}

/// `fillnull` without a list fills every field some result has; with a list, those fields.
fn apply_fillnull(fillnull: &Fillnull, suspects: &mut Suspects) {
    if fillnull.fields.is_empty() {
        suspects.fields.clear();
        return;
    }
    for field in &fillnull.fields {
        suspects.remove_matching(&field.name);
    }
}

/// Carries suspicion over to renamed fields; a field renamed onto a suspect replaces it.
fn apply_rename(pairs: &[RenamePair], suspects: &mut Suspects) {
    for pair in pairs {
        let mut moved = Vec::new();
        suspects.fields.retain(|(name, producer)| {
            match renamed(&pair.from.name, &pair.to.name, name) {
                Some(new_name) => {
                    moved.push((new_name, producer.clone()));
                    false
                }
                None => true,
            }
        });
        if !pair.from.is_wildcard() && moved.is_empty() {
            suspects.remove(&pair.to.name);
        }
        for (name, producer) in moved {
            suspects.insert(name, &producer);
        }
    }
}

/// One warning per suspect `BY` field of `command`, all sharing one `fillnull` suggestion.
fn check_by(
    command: &Command,
    name: &str,
    by: &[Spanned<String>],
    suspects: &Suspects,
) -> Vec<Diagnostic> {
    let flagged: Vec<(&Spanned<String>, &Producer)> = by
        .iter()
        .filter_map(|field| suspects.get(&field.node).map(|p| (field, p)))
        .collect();
    let list: Vec<&str> = flagged.iter().map(|(f, _)| f.node.as_str()).collect();
    let help = format!(
        "add `| fillnull value=unknown {}` before `{name}`",
        list.join(" ")
    );
    let consequence = match name {
        "eventstats" | "streamstats" => "adds no aggregate to events",
        _ => "drops events",
    };
    flagged
        .into_iter()
        .map(|(field, producer)| {
            Diagnostic::warning(
                BY_FIELD_MAYBE_UNSET,
                format!(
                    "`{}` {consequence} where `{}` is null, and {}",
                    command.name.node,
                    field.node,
                    producer.reason(&field.node)
                ),
                field.span,
            )
            .with_label(format!("`{}` may be null here", field.node))
            .with_secondary(producer.span, format!("may not set `{}`", field.node))
            .with_help(help.clone())
        })
        .collect()
}

/// Fields a `search` already requires (so its nulls are dropped on purpose): those compared
/// in the top-level conjunction, `f=x`, `f!=x`, `f IN (…)`, not under `NOT` or `OR`.
fn search_required_fields(expr: &SearchExpr) -> Vec<String> {
    match &expr.kind {
        SearchExprKind::And(parts) => parts.iter().flat_map(search_required_fields).collect(),
        SearchExprKind::Compare { field, .. } | SearchExprKind::In { field, .. } => {
            vec![field.name.clone()]
        }
        _ => Vec::new(),
    }
}

/// Fields a `where` already requires: a field compared directly, or tested with
/// `isnotnull(f)`, in the top-level conjunction.
fn where_required_fields(expr: &Expr) -> Vec<String> {
    match &expr.kind {
        ExprKind::Binary {
            op: BinaryOp::And,
            left,
            right,
        } => {
            let mut fields = where_required_fields(left);
            fields.extend(where_required_fields(right));
            fields
        }
        ExprKind::Binary { op, left, .. } if is_comparison(*op) => field_name(left),
        ExprKind::Call { name, args } if name.node.eq_ignore_ascii_case("isnotnull") => {
            args.first().map(field_name).unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

/// True for `=`, `!=`, `<`, `<=`, `>`, `>=` and `LIKE`.
fn is_comparison(op: BinaryOp) -> bool {
    matches!(
        op,
        BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge
            | BinaryOp::Like
    )
}

/// The field name when `expr` is a bare field reference.
fn field_name(expr: &Expr) -> Vec<String> {
    match &expr.kind {
        ExprKind::Field(name) => vec![name.clone()],
        _ => Vec::new(),
    }
}
