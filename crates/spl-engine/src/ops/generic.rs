//! Commands the parser keeps as [`GenericCommand`] tokens: each runnable one has a builder
//! in [`GENERIC_COMMANDS`] that reads its arguments from the tokens; every other name is a
//! plan error "`X` is not supported yet".

use crate::ops::Operator;
use crate::plan::PlanContext;
use spl_syntax::ast::{Command, GenericCommand};
use spl_syntax::Diagnostic;

/// Builds the operator of one generic command from its tokens.
pub type GenericBuilder =
    fn(&Command, &GenericCommand, &PlanContext) -> Result<Box<dyn Operator>, Vec<Diagnostic>>;

/// The generic commands that run, by lower-case name.
pub const GENERIC_COMMANDS: &[(&str, GenericBuilder)] = &[
    // Lookups, foreach, xmlkv.
    ("foreach", crate::ops::foreach::build),
    ("inputlookup", crate::ops::inputlookup::build),
    ("lookup", crate::ops::lookup::build),
    ("xmlkv", crate::ops::xmlkv::build),
    // Streaming and record commands.
    ("addtotals", crate::ops::addtotals::build),
    ("bin", crate::ops::bin::build),
    ("bucket", crate::ops::bin::build),
    ("convert", crate::ops::convert::build),
    ("eventstats", crate::ops::eventstats::build),
    ("fromjson", crate::ops::fromjson::build),
    ("makemv", crate::ops::makemv::build),
    ("mvcombine", crate::ops::mvcombine::build),
    ("mvexpand", crate::ops::mvexpand::build),
    ("regex", crate::ops::regex::build),
    ("replace", crate::ops::replace::build),
    ("rex", crate::ops::rex::build),
    ("spath", crate::ops::spath::build),
    ("streamstats", crate::ops::streamstats::build),
    ("tail", crate::ops::tail::build),
    // Subsearches and event grouping.
    ("append", crate::ops::append::build),
    ("appendpipe", crate::ops::appendpipe::build),
    ("format", crate::ops::format::build),
    ("join", crate::ops::join::build),
    ("makeresults", crate::ops::makeresults::build),
    ("map", crate::ops::map::build),
    ("return", crate::ops::r#return::build),
    ("transaction", crate::ops::transaction::build),
];

/// The operator for `command`, or `spl::plan::unsupported_command`.
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let name = command.name.node.to_ascii_lowercase();
    match GENERIC_COMMANDS.iter().find(|(known, _)| *known == name) {
        Some((_, builder)) => builder(command, generic, ctx),
        None => Err(vec![Diagnostic::error(
            "spl::plan::unsupported_command",
            format!("`{}` is not supported yet", command.name.node),
            command.name.span,
        )]),
    }
}
