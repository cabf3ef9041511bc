//! Textual macro expansion (`` `name` `` and `` `name(a,b)` `` with `$arg$` substitution),
//! with a [`SourceMap`] from the expanded text back to where each byte came from.
//!
//! This module knows nothing of files or YAML: callers build a [`MacroSet`].
//!
//! The rules (spl-semantics §7.1–§7.5):
//! 1. ```` ```comments``` ```` outside double quotes are removed (each becomes one space);
//!    four or more backticks in a row are an error, as in contentctl.
//! 2. `` `…` `` outside double quotes is a call: `name` or `name(arg, …)`, arguments split on
//!    commas outside quotes and parentheses, and trimmed.
//! 3. The call is looked up by name and argument count. A missing `<name>_filter` macro with
//!    no argument means `search *` when [`ExpandOptions::default_filter_macros`] is set.
//! 4. `$arg$` is replaced everywhere in the definition (see `substitute.rs` for quotes);
//!    arguments are bound by name when every one is `known_name=value`, else by position.
//! 5. The result is expanded again, with cycle detection, a depth limit and a size limit.
//!
//! ```
//! use spl_syntax::macros::{expand, ExpandOptions, MacroDefinition, MacroSet};
//!
//! let mut macros = MacroSet::with_builtins();
//! macros.insert(MacroDefinition::new("kube_audit", r#"source="kubernetes""#, "kube_audit.yml"));
//! let expanded = expand("`kube_audit` verb=get | `x_filter`", &macros, &ExpandOptions::default())?;
//! assert_eq!(expanded.text, r#"source="kubernetes" verb=get | search *"#);
//! # Ok::<(), spl_syntax::Diagnostic>(())
//! ```

mod call;
mod expander;
mod scan;
mod set;
mod source_map;
mod substitute;

pub use set::{
    builtin_macros, MacroDefinition, MacroSet, BUILT_IN_ORIGIN, DEFAULT_FILTER_DEFINITION,
    DEFAULT_FILTER_ORIGIN,
};
pub use source_map::{Location, MacroLocation, SourceMap};

use crate::diagnostic::Diagnostic;
use expander::Expander;
use source_map::{MappedText, Provenance};

/// Limits and conventions for [`expand`].
#[derive(Clone, Debug)]
pub struct ExpandOptions {
    /// Maximum nesting of macro calls (a call in the input is at depth 1).
    pub max_depth: usize,
    /// Maximum size of the expanded text in bytes.
    pub max_size: usize,
    /// Define a missing `<name>_filter` macro as `search *` (contentctl's rule).
    pub default_filter_macros: bool,
}

impl Default for ExpandOptions {
    fn default() -> Self {
        ExpandOptions {
            max_depth: 100,
            max_size: 1 << 20,
            default_filter_macros: true,
        }
    }
}

/// The result of expansion: the text to parse, and where each part of it came from.
#[derive(Clone, Debug)]
pub struct Expanded {
    /// The expanded SPL, comments removed.
    pub text: String,
    /// Maps spans of `text` back to the input.
    pub source_map: SourceMap,
}

/// Expands every macro call in `text`.
///
/// Errors (codes `spl::macro::…`: `unknown`, `wrong_arity`, `cycle`, `too_deep`,
/// `too_large`, `unterminated`, `unterminated_comment`, `too_many_backticks`,
/// `invalid_call`) carry a span in `text`; a problem inside a macro definition points at the
/// outermost call that brought it in.
pub fn expand(
    text: &str,
    macros: &MacroSet,
    options: &ExpandOptions,
) -> Result<Expanded, Diagnostic> {
    let input = MappedText::single(text, Provenance::Input { offset: 0 });
    let mut expander = Expander::new(macros, options, text.len());
    let mut output = MappedText::default();
    expander.expand_text(&input, 0, &mut output)?;
    let source_map = SourceMap::new(&output, expander.frames, text.len());
    Ok(Expanded {
        text: output.text,
        source_map,
    })
}
