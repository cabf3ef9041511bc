//! The `spl` command line: run, test, parse, lint and explain Splunk detections offline.
//! The engine behind it is the `spl` library crate (`crates/spl`).
//!
//! # Exit codes
//!
//! One scheme for every subcommand (`run`, `explain`, `test`, `parse`, `lint`, `macros`,
//! `completions`), also printed by `spl --help`:
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success (`spl test`: every detection passed) |
//! | 1 | `spl test`: at least one detection failed |
//! | 2 | bad input: SPL, YAML, macros, lookups, event paths, options (clap's usage errors too), a GeoIP database that cannot be opened, an output file that cannot be written |
//! | 3 | the run failed: a resource limit, a runaway regular expression, a GeoIP lookup error |

/// Events are parsed on several threads and freed on another; mimalloc keeps that (and the
/// many small allocations of JSON extraction) fast.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `print!` to standard output; a closed pipe (`spl test | head`) ends the program quietly
/// instead of panicking.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::write_stdout(&format!($($arg)*))
    };
}

/// `println!` to standard output, ending quietly on a closed pipe.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::write_stdout(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// Writes `text` to standard output; exits with status 0 when the reader went away.
pub fn write_stdout(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {error}");
        std::process::exit(2);
    }
}

mod args;
mod color;
mod commands;
mod diagnostics;
mod output;
mod progress;

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
    color::set_choice(cli.color);
    let result = match cli.command {
        args::Command::Run(run) => commands::run::run(&run),
        args::Command::Explain(explain) => commands::explain::explain(&explain),
        args::Command::Test(test) => commands::test::test(&test),
        args::Command::Parse(parse) => commands::parse::parse(&parse, false),
        args::Command::Lint(lint) => commands::parse::parse(&lint, true),
        args::Command::Macros(macros) => commands::macros::macros(&macros),
        args::Command::Completions { shell } => {
            let mut command = <args::Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "spl", &mut script);
            write_stdout(&String::from_utf8_lossy(&script));
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.exit_code(),
    }
}
