//! The `spl` command line: run, test, parse and explain Splunk detections offline.
//!
//! Exit codes (one scheme for every subcommand):
//! - 0: success;
//! - 1: `spl test`: at least one detection failed;
//! - 2: bad input: SPL, YAML, macros, event paths or options;
//! - 3: the run failed: a resource limit, a broken GeoIP database.

mod args;
mod commands;
mod diagnostics;
mod output;

use clap::Parser;
use std::process::ExitCode;

/// Why a command stopped, mapped to an exit code.
#[derive(Debug)]
pub enum Failure {
    /// Bad input; the message was already printed.
    Input,
    /// The run itself failed; the message was already printed.
    Run,
    /// Tests ran and some failed.
    TestsFailed,
}

impl Failure {
    fn exit_code(&self) -> ExitCode {
        match self {
            Failure::TestsFailed => ExitCode::from(1),
            Failure::Input => ExitCode::from(2),
            Failure::Run => ExitCode::from(3),
        }
    }
}

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let result = match cli.command {
        args::Command::Run(run) => commands::run::run(&run),
        args::Command::Explain(explain) => commands::explain::explain(&explain),
        args::Command::Test(test) => commands::test::test(&test),
        args::Command::Parse(parse) => commands::parse::parse(&parse, false),
        args::Command::Lint(lint) => commands::parse::parse(&lint, true),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.exit_code(),
    }
}
