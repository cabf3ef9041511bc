//! `spl::lint::missing_lookup`: `lookup`/`inputlookup` naming a lookup the caller does not
//! know.
//!
//! ```text
//! index=win | lookup is_windows_sytem_file filename OUTPUT systemFile
//!                    ^^^^^^^^^^^^^^^^^^^^^ did you mean `is_windows_system_file`?
//! ```
//! Splunk fails such a search at dispatch, but a scheduled detection that fails this way
//! raises no alert. A name matches a known name exactly, or ignoring a `.csv` suffix on
//! either side (`inputlookup foo.csv` and a lookup definition `foo`).

use super::generic::lookup_table;
use super::{command_name, MISSING_LOOKUP};
use spl_syntax::ast::{CommandKind, Pipeline};
use spl_syntax::diagnostic::did_you_mean;
use spl_syntax::Diagnostic;

/// Warnings of this rule for one pipeline (subsearches excluded).
pub(super) fn check(pipeline: &Pipeline, known: &[String]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for command in &pipeline.commands {
        let CommandKind::Generic(generic) = &command.kind else {
            continue;
        };
        let name = command_name(command);
        if name != "lookup" && name != "inputlookup" {
            continue;
        }
        let Some(table) = lookup_table(generic) else {
            continue;
        };
        if is_known(&table.node, known) {
            continue;
        }
        let mut diagnostic = Diagnostic::warning(
            MISSING_LOOKUP,
            format!(
                "`{}` names the lookup `{}`, which is not defined",
                command.name.node, table.node
            ),
            table.span,
        )
        .with_help("define the lookup (a lookup YAML and its CSV) or fix the name");
        if let Some(suggestion) = did_you_mean(&table.node, known.iter().map(String::as_str)) {
            diagnostic = diagnostic.with_label(format!("did you mean `{suggestion}`?"));
        }
        diagnostics.push(diagnostic);
    }
    diagnostics
}

/// True when `name` is in `known`, ignoring a `.csv` suffix on either side.
fn is_known(name: &str, known: &[String]) -> bool {
    let bare = strip_csv(name);
    known.iter().any(|k| k == name || strip_csv(k) == bare)
}

/// `foo.csv` → `foo`.
fn strip_csv(name: &str) -> &str {
    name.strip_suffix(".csv").unwrap_or(name)
}
