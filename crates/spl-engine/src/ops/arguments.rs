//! Reading the tokens of a generic command: options (`key=value`), positional words, and the
//! diagnostics every generic command reports (`spl::plan::unknown_option`,
//! `spl::plan::bad_option_value`, `spl::plan::missing_argument`, `spl::plan::bad_regex`).

use crate::run::RunError;
use fancy_regex::Regex;
use spl_syntax::ast::{Command, CommandOption, GenericArg, GenericCommand};
use spl_syntax::{Diagnostic, Span, Spanned};

/// The tokens of a generic command, options separated from the rest.
#[derive(Debug)]
pub struct Arguments<'a> {
    /// `key=value` options, in written order.
    pub options: Vec<&'a CommandOption>,
    /// Every other token, in written order.
    pub rest: Vec<&'a GenericArg>,
}

impl<'a> Arguments<'a> {
    /// Splits `generic` into options and other tokens.
    pub fn new(generic: &'a GenericCommand) -> Arguments<'a> {
        let mut options = Vec::new();
        let mut rest = Vec::new();
        for arg in &generic.args {
            match arg {
                GenericArg::Option(option) => options.push(option),
                other => rest.push(other),
            }
        }
        Arguments { options, rest }
    }

    /// Splits `generic` and checks its option names against `known` (see
    /// [`Arguments::check_options`]).
    pub fn checked(
        generic: &'a GenericCommand,
        command: &str,
        known: &[&str],
    ) -> Result<Arguments<'a>, Vec<Diagnostic>> {
        let arguments = Arguments::new(generic);
        let errors = arguments.check_options(command, known);
        if errors.is_empty() {
            Ok(arguments)
        } else {
            Err(errors)
        }
    }

    /// `spl::plan::unknown_option` for every option whose name is not in `known`.
    pub fn check_options(&self, command: &str, known: &[&str]) -> Vec<Diagnostic> {
        self.options
            .iter()
            .filter(|o| !known.iter().any(|k| o.name.node.eq_ignore_ascii_case(k)))
            .map(|o| {
                Diagnostic::error(
                    "spl::plan::unknown_option",
                    format!("`{command}` has no option `{}`", o.name.node),
                    o.name.span,
                )
                .with_help(format!("`{command}` options: {}", known.join(", ")))
            })
            .collect()
    }

    /// The last option named `name` (case-insensitive).
    pub fn option(&self, name: &str) -> Option<&'a CommandOption> {
        self.options
            .iter()
            .rev()
            .find(|o| o.name.node.eq_ignore_ascii_case(name))
            .copied()
    }

    /// The value of option `name` read as a Boolean, or `default`.
    pub fn bool_option(&self, name: &str, default: bool) -> Result<bool, Diagnostic> {
        self.option(name).map_or(Ok(default), bool_value)
    }

    /// The value of option `name` read as a whole number, or `default`.
    pub fn count_option(&self, name: &str, default: u64) -> Result<u64, Diagnostic> {
        self.option(name).map_or(Ok(default), count_value)
    }
}

/// `true`/`t`/`1`/`yes` or `false`/`f`/`0`/`no`.
pub fn bool_value(option: &CommandOption) -> Result<bool, Diagnostic> {
    match option.value.node.to_ascii_lowercase().as_str() {
        "true" | "t" | "1" | "yes" => Ok(true),
        "false" | "f" | "0" | "no" => Ok(false),
        _ => Err(bad_value(option, "true or false")),
    }
}

/// A whole number ≥ 0.
pub fn count_value(option: &CommandOption) -> Result<u64, Diagnostic> {
    option
        .value
        .node
        .trim()
        .parse::<u64>()
        .map_err(|_| bad_value(option, "a whole number"))
}

/// `spl::plan::bad_option_value` on the value of `option`.
pub fn bad_value(option: &CommandOption, expected: &str) -> Diagnostic {
    Diagnostic::error(
        "spl::plan::bad_option_value",
        format!(
            "`{}` takes {expected}, not `{}`",
            option.name.node, option.value.node
        ),
        option.value.span,
    )
}

/// `spl::plan::missing_argument` on the command name.
pub fn missing(command: &Command, what: &str) -> Diagnostic {
    Diagnostic::error(
        "spl::plan::missing_argument",
        format!("`{}` needs {what}", command.name.node),
        command.name.span,
    )
}

/// `spl::plan::bad_argument`: a token the command does not expect here.
pub fn unexpected(command: &Command, arg: &GenericArg, expected: &str) -> Diagnostic {
    Diagnostic::error(
        "spl::plan::bad_argument",
        format!("`{}` expects {expected} here", command.name.node),
        span_of(arg),
    )
}

/// The text of a bare word or a quoted string.
pub fn text_of(arg: &GenericArg) -> Option<&Spanned<String>> {
    match arg {
        GenericArg::Word(word) | GenericArg::Quoted(word) => Some(word),
        _ => None,
    }
}

/// True when `arg` is the bare word `word` (case-insensitive).
pub fn is_word(arg: &GenericArg, word: &str) -> bool {
    matches!(arg, GenericArg::Word(w) if w.node.eq_ignore_ascii_case(word))
}

/// Where `arg` was written.
pub fn span_of(arg: &GenericArg) -> Span {
    match arg {
        GenericArg::Word(w) | GenericArg::Quoted(w) | GenericArg::Template(w) => w.span,
        GenericArg::Option(o) => o.name.span.to(o.value.span),
        GenericArg::Group(g) => g.span,
        GenericArg::Subsearch(p) => p.span,
    }
}

/// Field names written as words or quoted strings, separated by optional commas.
pub fn field_list<'a>(
    command: &Command,
    args: &[&'a GenericArg],
) -> Result<Vec<&'a Spanned<String>>, Diagnostic> {
    let mut fields = Vec::new();
    for arg in args {
        if is_word(arg, ",") {
            continue;
        }
        match text_of(arg) {
            Some(text) => fields.push(text),
            None => return Err(unexpected(command, arg, "a field name")),
        }
    }
    Ok(fields)
}

/// Exactly one field name among `args`: `spl::plan::missing_argument` when there is none,
/// `spl::plan::bad_argument` ("`<command>` `<verb>` one field") on the second one.
pub fn single_field(
    command: &Command,
    args: &[&GenericArg],
    verb: &str,
) -> Result<String, Diagnostic> {
    let fields = field_list(command, args)?;
    match fields.as_slice() {
        [field] => Ok(field.node.clone()),
        [] => Err(missing(command, "a field name")),
        [_, extra, ..] => Err(Diagnostic::error(
            "spl::plan::bad_argument",
            format!("`{}` {verb} one field", command.name.node),
            extra.span,
        )),
    }
}

/// Compiles a PCRE-style pattern with the engine's backtracking limit, or
/// `spl::plan::bad_regex` on `span`.
pub fn compile_regex(pattern: &str, span: Span) -> Result<Regex, Diagnostic> {
    crate::eval::build_regex(pattern).map_err(|error| {
        Diagnostic::error(
            "spl::plan::bad_regex",
            format!("invalid regular expression: {error}"),
            span,
        )
    })
}

/// The error that stops a run when `regex` gives up on an input (backtracking limit).
pub fn regex_failure(regex: &Regex, error: &fancy_regex::Error) -> RunError {
    match error {
        fancy_regex::Error::RuntimeError(fancy_regex::RuntimeError::BacktrackLimitExceeded) => {
            RunError::Limit {
                what: format!("regular expression `{}`", regex.as_str()),
                limit: crate::eval::backtrack_limit() as u64,
                unit: "backtracking steps".into(),
                help: "simplify the pattern (nested repetition such as `(a+)+` backtracks \
                       exponentially), match a shorter field, or raise the limit with \
                       --regex-backtrack-limit"
                    .into(),
            }
        }
        other => RunError::Failed(format!(
            "regular expression `{}` failed: {other}",
            regex.as_str()
        )),
    }
}

/// Whether `regex` matches `text`; a run-stopping error when the limit is hit.
pub fn regex_is_match(regex: &Regex, text: &str) -> Result<bool, RunError> {
    regex.is_match(text).map_err(|e| regex_failure(regex, &e))
}
