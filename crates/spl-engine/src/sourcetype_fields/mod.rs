//! Search-time field definitions per sourcetype: the part of a vendor add-on's `props.conf`
//! that creates fields from raw ones (`FIELDALIAS-<class>` and `EVAL-<field>`), applied to
//! each event before the first `search`, as Splunk's search-time operations do.
//!
//! ```text
//! [aws:cloudtrail]
//! FIELDALIAS-src = sourceIPAddress AS src_ip
//! EVAL-user_type = 'userIdentity.type'
//! ```
//!
//! Order, as Splunk documents the search-time sequence: field aliases first, then calculated
//! fields. Within a stanza:
//!
//! * `a AS b` sets `b` to `a`'s value, replacing a `b` the event already has; when `a` is
//!   missing, `b` is removed (the behaviour since Splunk 7.2.4, "Field alias behavior
//!   change"). `a ASNEW b` sets `b` only when the event has no `b`. (Splunk Web calls this
//!   choice "Overwrite field values"; that `AS` overwrites and `ASNEW` preserves is the
//!   plausible reading of the keywords, unconfirmed.)
//! * Every alias reads the event as it was before any alias of the stanza ran, so an alias of
//!   an alias does nothing (engine choice: Splunk documents no chaining between aliases).
//! * Every `EVAL-` reads the event after the aliases and before any other `EVAL-` ran
//!   (Splunk: calculated fields cannot use each other's results). Its value replaces a field
//!   of the same name; a null result removes the field, as `eval` does. A Boolean result also
//!   removes it (engine choice, as `eval` does at run time).
//! * Only `[<sourcetype>]` stanzas are used; `[source::…]`, `[host::…]`, `[default]` and every
//!   other key (`REPORT-`, `LOOKUP-`, `KV_MODE`, …) are kept in [`FieldDefinitions::ignored`]
//!   and have no effect.

mod apply;
mod parse;

use crate::eval::{CompiledExpr, EvalContext};
use crate::value::Record;
use std::collections::{BTreeMap, BTreeSet};

/// One alias of a `FIELDALIAS-` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alias {
    /// The field read.
    pub source: String,
    /// The field written.
    pub target: String,
    /// `ASNEW`: leave an existing target alone.
    pub keep_existing: bool,
}

/// The definitions of one sourcetype stanza.
#[derive(Clone, Debug, Default)]
pub struct Stanza {
    /// `FIELDALIAS-<class>` lines by class, applied in class-name order.
    aliases: BTreeMap<String, Vec<Alias>>,
    /// `EVAL-<field>` lines by field name, with the expression text for display.
    evals: BTreeMap<String, (String, CompiledExpr)>,
}

/// A key that has no effect, with where it was found (`origin:line`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ignored {
    /// The file (or other origin) and line, `origin:line`.
    pub location: String,
    /// The stanza and key, `[stanza] KEY`.
    pub what: String,
}

/// A definitions file that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{origin}:{line}: {message}")]
pub struct DefinitionError {
    /// The file (or other origin) the text came from.
    pub origin: String,
    /// The 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Field definitions for any number of sourcetypes.
#[derive(Clone, Debug, Default)]
pub struct FieldDefinitions {
    stanzas: BTreeMap<String, Stanza>,
    ignored: Vec<Ignored>,
}

impl FieldDefinitions {
    /// No definitions.
    pub fn new() -> FieldDefinitions {
        FieldDefinitions::default()
    }

    /// Reads the props.conf subset in `text`; `origin` names it in errors (a file path).
    pub fn parse(text: &str, origin: &str) -> Result<FieldDefinitions, DefinitionError> {
        parse::parse(text, origin)
    }

    /// Adds `later`'s definitions: a key of the same stanza (`FIELDALIAS-<class>`,
    /// `EVAL-<field>`) in `later` replaces this one's, as a later configuration layer does.
    pub fn merge(&mut self, later: FieldDefinitions) {
        for (sourcetype, stanza) in later.stanzas {
            let mine = self.stanzas.entry(sourcetype).or_default();
            mine.aliases.extend(stanza.aliases);
            mine.evals.extend(stanza.evals);
        }
        self.ignored.extend(later.ignored);
    }

    /// True when no stanza defines anything.
    pub fn is_empty(&self) -> bool {
        self.stanzas
            .values()
            .all(|s| s.aliases.is_empty() && s.evals.is_empty())
    }

    /// True when `sourcetype` has an alias or a calculated field.
    pub fn defines(&self, sourcetype: &str) -> bool {
        self.stanzas
            .get(sourcetype)
            .is_some_and(|s| !s.aliases.is_empty() || !s.evals.is_empty())
    }

    /// The sourcetypes that have definitions.
    pub fn sourcetypes(&self) -> impl Iterator<Item = &str> {
        self.stanzas.keys().map(String::as_str)
    }

    /// Keys and stanzas that were read but have no effect.
    pub fn ignored(&self) -> &[Ignored] {
        &self.ignored
    }

    /// The `FIELDALIAS-` aliases of `sourcetype`, in the order they apply.
    pub fn aliases(&self, sourcetype: &str) -> Vec<&Alias> {
        self.stanzas
            .get(sourcetype)
            .map(|s| s.aliases.values().flatten().collect())
            .unwrap_or_default()
    }

    /// The `EVAL-` definitions of `sourcetype`: `(field, expression text)`.
    pub fn evals(&self, sourcetype: &str) -> Vec<(&str, &str)> {
        self.stanzas
            .get(sourcetype)
            .map(|s| {
                s.evals
                    .iter()
                    .map(|(field, (text, _))| (field.as_str(), text.as_str()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every field the definitions read: alias sources, fields named in `EVAL-` expressions,
    /// and `sourcetype` (which selects the stanza). A reader that extracts only some fields
    /// must extract these too.
    pub fn input_fields(&self) -> BTreeSet<String> {
        let mut fields = BTreeSet::from(["sourcetype".to_string()]);
        for stanza in self.stanzas.values() {
            fields.extend(stanza.aliases.values().flatten().map(|a| a.source.clone()));
            for (_, expr) in stanza.evals.values() {
                fields.extend(expr.fields().into_iter().map(str::to_string));
            }
        }
        fields
    }

    /// Every field the definitions may write (alias targets and `EVAL-` fields).
    pub fn output_fields(&self) -> BTreeSet<String> {
        let mut fields = BTreeSet::new();
        for stanza in self.stanzas.values() {
            fields.extend(stanza.evals.keys().cloned());
            fields.extend(stanza.aliases.values().flatten().map(|a| a.target.clone()));
        }
        fields
    }

    /// The fields whose values need not appear in the raw text, so a raw-line prefilter must
    /// not require them: every `EVAL-` field, and every alias of a field that is not in the
    /// raw text (a default field such as `host`, or an internal one such as `_time`).
    pub fn computed_fields(&self) -> BTreeSet<String> {
        let mut fields = BTreeSet::new();
        for stanza in self.stanzas.values() {
            fields.extend(stanza.evals.keys().cloned());
            let not_raw = stanza
                .aliases
                .values()
                .flatten()
                .filter(|alias| !is_raw_text_field(&alias.source));
            fields.extend(not_raw.map(|alias| alias.target.clone()));
        }
        fields
    }

    /// Applies the stanza of `record`'s `sourcetype`, if any: aliases, then calculated fields.
    pub fn apply(&self, record: &mut Record, ctx: &EvalContext) {
        let Some(stanza) = record
            .get("sourcetype")
            .and_then(|sourcetype| self.stanzas.get(sourcetype.first()))
        else {
            return;
        };
        apply::aliases(stanza.aliases.values().flatten(), record);
        apply::evals(stanza.evals.iter().map(|(f, (_, e))| (f, e)), record, ctx);
    }
}

/// True when a field's value is text of the raw event: not a default field (`source`,
/// `sourcetype`, `host`, `index`) and not an internal one (`_time`, `_raw`, …).
fn is_raw_text_field(name: &str) -> bool {
    !name.starts_with('_') && !["source", "sourcetype", "host", "index"].contains(&name)
}

#[cfg(test)]
mod tests;
