//! Command-line arguments.

use crate::color::ColorChoice;
use crate::output::Format;
use crate::progress::ProgressChoice;
use clap::{Args, Parser, Subcommand};
use spl_syntax::macros::ExpandOptions;
use std::path::PathBuf;

/// Run Splunk SPL detections offline over JSON events.
#[derive(Debug, Parser)]
#[command(name = "spl", version, about, long_about = None)]
#[command(after_help = EXIT_CODES_HELP)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// When to colour output: auto colours a terminal unless NO_COLOR is set.
    #[arg(
        long,
        value_enum,
        global = true,
        default_value = "auto",
        value_name = "WHEN"
    )]
    pub color: ColorChoice,
}

/// The exit-code table printed by `spl --help` (the same for every subcommand).
pub const EXIT_CODES_HELP: &str = "Exit codes (every subcommand):
  0  success (spl test: every detection passed)
  1  spl test: at least one detection failed
  2  bad input: SPL, YAML, macros, lookups, event paths, options, an unusable GeoIP database
  3  the run failed: a resource limit, a runaway regular expression, a GeoIP lookup error

Examples:
  spl run queries/kubernetes_scanning_by_unauthenticated_ip_address.yml
  spl test queries/
  spl completions bash > /etc/bash_completion.d/spl";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a detection YAML or an ad-hoc search over JSON event files.
    #[command(after_help = "Examples:\n  \
spl run queries/kubernetes_scanning_by_unauthenticated_ip_address.yml\n  \
spl run queries/kubernetes_node_port_creation.yml --data audit.json --format json\n  \
spl run --query 'source=k8s verb=create | stats count by user.username' --data audit.json --source k8s\n  \
zcat audit.json.gz | spl run --query 'verb=delete' --data - --format raw --limit 10\n  \
spl run queries/kubernetes_node_port_creation.yml --data logs/ --format csv -o results.csv")]
    Run(RunArgs),
    /// Show the macro-expanded search and its operator pipeline; with data, the records into
    /// and out of each stage.
    #[command(after_help = "Examples:\n  \
spl explain queries/kubernetes_scanning_by_unauthenticated_ip_address.yml\n  \
spl explain queries/kubernetes_scanning_by_unauthenticated_ip_address.yml --with-tests\n  \
spl explain --query 'verb=get | stats count by user' --data audit.json")]
    Explain(ExplainArgs),
    /// Replay each detection's `tests:` attack data offline and judge the results like
    /// contentctl (plus negative tests from `<detection>.spl-tests.yml`).
    #[command(after_help = "Examples:\n  \
spl test                       # every detection under queries/\n  \
spl test queries/kubernetes_node_port_creation.yml\n  \
spl test queries/ --junit report.xml --format json")]
    Test(TestArgs),
    /// Expand macros and parse, printing the pipeline (no planning, no data).
    #[command(after_help = "Examples:\n  \
spl parse queries/kubernetes_node_port_creation.yml\n  \
spl parse security_content/detections --macros security_content/macros\n  \
spl parse --query 'index=main | stats count by host' --format json")]
    Parse(ParseArgs),
    /// Warn about silent-drop traps: a `stats … BY` field that `iplocation`, `rex` or
    /// `lookup` may not set, `where` on a field no stage produces, free-text terms after
    /// `stats`, unknown lookups.
    #[command(after_help = "Examples:\n  \
spl lint queries/\n  \
spl lint --query 'x | iplocation ip | stats count by Country'")]
    Lint(ParseArgs),
    /// List the macros a detection (or the current folder's `macros/`) can use, with their
    /// arguments and the file defining each.
    #[command(after_help = "Examples:\n  \
spl macros\n  \
spl macros queries/kubernetes_node_port_creation.yml --definitions\n  \
spl macros --macros ../security_content/macros")]
    Macros(MacrosArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = "Example:\n  spl completions bash > /etc/bash_completion.d/spl")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// Where the search comes from and which macros it may use.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// A detection YAML file (ESCU format).
    #[arg(value_name = "DETECTION.yml", required_unless_present = "query")]
    pub detection: Option<PathBuf>,
    /// An ad-hoc search instead of a detection file.
    #[arg(long, short = 'q', value_name = "SPL", conflicts_with = "detection")]
    pub query: Option<String>,
    /// A folder of macro YAML files; repeatable, later folders win.
    #[arg(long = "macros", value_name = "DIR")]
    pub macro_dirs: Vec<PathBuf>,
}

/// Which events to read, and how to label them.
#[derive(Debug, Args)]
pub struct DataArgs {
    /// An event file (NDJSON or JSON array, optionally gzip), a folder, or `-` for stdin;
    /// repeatable. Without it, a detection runs over its own `tests:` attack data.
    #[arg(long = "data", short = 'd', value_name = "FILE")]
    pub data: Vec<PathBuf>,
    /// The `source` of every event (default: the file's path, or the test's `source`).
    #[arg(long, value_name = "S")]
    pub source: Option<String>,
    /// The `sourcetype` of every event (default: `_json`, or the test's `sourcetype`).
    #[arg(long, value_name = "T")]
    pub sourcetype: Option<String>,
    /// Root folder of the local copy of Splunk's attack_data datasets (default: the
    /// `testdata/attack_data` folder of the detection's project).
    #[arg(long, value_name = "DIR")]
    pub attack_data: Option<PathBuf>,
    /// A MaxMind City database for `iplocation` (default: $SPL_GEOIP_DB, then
    /// $SPLUNK_HOME/share/GeoLite2-City.mmdb, then the embedded test database).
    #[arg(long, value_name = "FILE")]
    pub geoip_db: Option<PathBuf>,
}

/// `spl run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The search.
    #[command(flatten)]
    pub query: QueryArgs,
    /// The events.
    #[command(flatten)]
    pub events: DataArgs,
    /// Output format (default: table on a terminal, json otherwise).
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<Format>,
    /// Write results to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print at most N results.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Do not print the run summary on stderr.
    #[arg(long)]
    pub quiet: bool,
    /// When to show the progress line (events read, events/s) on stderr: auto shows it on a
    /// terminal for runs longer than half a second.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    pub progress: ProgressChoice,
    /// Resource limits and threads.
    #[command(flatten)]
    pub limits: RunLimits,
}

/// Resource limits of `spl run` and `spl test` (docs/limits.md), and the parsing threads.
#[derive(Clone, Debug, Args)]
#[command(next_help_heading = "Limits")]
pub struct RunLimits {
    /// Threads that parse NDJSON input (0: one per available core). Results do not depend
    /// on it.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Memory the grouping commands (`stats`, `eventstats`, `streamstats`, `dedup`, `sort`)
    /// may hold together, in MiB, approximately; past it the run stops (exit code 3).
    /// 0 means no limit.
    #[arg(long = "max-memory", value_name = "MB", default_value_t = spl_engine::limits::DEFAULT_MAX_MEMORY_MB)]
    pub max_memory: u64,
    /// Longest input line (event) in bytes; longer lines are reported, counted as malformed
    /// and skipped.
    #[arg(long, value_name = "BYTES", default_value_t = spl_engine::input::DEFAULT_MAX_LINE_BYTES)]
    pub max_line_bytes: usize,
    /// Deepest JSON nesting of an event (at most 1024); deeper events are reported, counted
    /// as malformed and skipped.
    #[arg(long, value_name = "LEVELS", default_value_t = spl_engine::event::DEFAULT_MAX_DEPTH)]
    pub max_json_depth: usize,
    /// Backtracking steps one regular-expression match may take; past it the run stops
    /// (exit code 3).
    #[arg(long, value_name = "STEPS", default_value_t = spl_engine::eval::BACKTRACK_LIMIT)]
    pub regex_backtrack_limit: usize,
    /// Deepest nesting of macro calls.
    #[arg(long, value_name = "LEVELS", default_value_t = ExpandOptions::default().max_depth)]
    pub max_macro_depth: usize,
    /// Largest macro-expanded search, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = ExpandOptions::default().max_size)]
    pub max_search_bytes: usize,
}

impl RunLimits {
    /// How the inputs are read.
    pub fn scan_options(&self) -> spl_engine::ScanOptions {
        let mut options = spl_engine::ScanOptions {
            threads: self.threads,
            ..spl_engine::ScanOptions::default()
        };
        options.input.max_line_bytes = self.max_line_bytes;
        options.input.extract.max_depth = self.max_json_depth;
        options
    }

    /// Applies the limits to `engine`, and the regular-expression limit to the process
    /// (patterns compiled from now on).
    pub fn apply(&self, engine: spl_engine::Engine) -> spl_engine::Engine {
        spl_engine::eval::set_backtrack_limit(self.regex_backtrack_limit);
        engine
            .with_limits(spl_engine::Limits {
                max_memory_mb: self.max_memory,
            })
            .with_expand_options(ExpandOptions {
                max_depth: self.max_macro_depth,
                max_size: self.max_search_bytes,
                ..ExpandOptions::default()
            })
    }
}

/// `spl explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The search.
    #[command(flatten)]
    pub query: QueryArgs,
    /// Events to run through the pipeline, showing records in and out of each stage.
    #[command(flatten)]
    pub events: DataArgs,
    /// Run over the detection's own `tests:` attack data and show the stage counts.
    #[arg(long)]
    pub with_tests: bool,
}

/// `spl test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Detection files or folders (default: `queries/`).
    #[arg(value_name = "DETECTION.yml|DIR")]
    pub paths: Vec<PathBuf>,
    /// A folder of macro YAML files; repeatable, later folders win.
    #[arg(long = "macros", value_name = "DIR")]
    pub macro_dirs: Vec<PathBuf>,
    /// Root folder of the local copy of Splunk's attack_data datasets.
    #[arg(long, value_name = "DIR")]
    pub attack_data: Option<PathBuf>,
    /// A MaxMind City database for `iplocation`.
    #[arg(long, value_name = "FILE")]
    pub geoip_db: Option<PathBuf>,
    /// Report format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: TestFormat,
    /// Also write a JUnit XML report to FILE.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Resource limits and threads.
    #[command(flatten)]
    pub limits: RunLimits,
}

/// How `spl test` reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TestFormat {
    /// One line per detection and a summary.
    Text,
    /// One JSON object per detection per line.
    Json,
}

/// `spl parse`.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Detection files or folders.
    #[arg(value_name = "DETECTION.yml|DIR", conflicts_with = "query")]
    pub paths: Vec<PathBuf>,
    /// An ad-hoc search instead of detection files.
    #[arg(long, short = 'q', value_name = "SPL")]
    pub query: Option<String>,
    /// A folder of macro YAML files; repeatable, later folders win.
    #[arg(long = "macros", value_name = "DIR")]
    pub macro_dirs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: ParseFormat,
}

/// How `spl parse` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ParseFormat {
    /// One command per line (one line per file for several files).
    Text,
    /// One JSON object per file: `stages` with `command`, `span` and `spl`.
    Json,
}

/// `spl macros`.
#[derive(Debug, Args)]
pub struct MacrosArgs {
    /// The detection whose macros to list (optional), and extra macro folders.
    #[command(flatten)]
    pub query: MacroListArgs,
    /// Also print each definition.
    #[arg(long)]
    pub definitions: bool,
}

/// Which macros `spl macros` lists.
#[derive(Debug, Args)]
pub struct MacroListArgs {
    /// A detection YAML file: list the macros its search can use.
    #[arg(value_name = "DETECTION.yml")]
    pub detection: Option<PathBuf>,
    /// A folder of macro YAML files; repeatable, later folders win.
    #[arg(long = "macros", value_name = "DIR")]
    pub macro_dirs: Vec<PathBuf>,
}
