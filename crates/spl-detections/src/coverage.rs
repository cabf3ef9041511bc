//! Coverage of a detection corpus, computed from the code: which SPL commands the parser
//! models in detail, which ones the engine runs, and which raw-event detections plan
//! completely (every command and function supported).
//!
//! `docs/coverage.md` is generated from this module by the `coverage` test; it is never
//! written by hand.

use crate::function_coverage::{count_functions, FunctionCoverage};
use crate::{load_detection, DetectionError, MacroSet};
use spl_engine::geo::{IpLocator, LocateError, Location};
use spl_engine::lookup::LookupSource;
use spl_engine::Engine;
use spl_syntax::ast::{CommandKind, GenericArg, Pipeline, SearchExprKind};
use spl_syntax::macros::{expand, ExpandOptions};
use spl_syntax::parse_pipeline;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How one command name fares in the corpus.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommandCoverage {
    /// Number of uses (including inside subsearches).
    pub uses: usize,
    /// Number of detections using it.
    pub detections: usize,
    /// The parser has a dedicated syntax node for it.
    pub detailed: bool,
    /// The engine can run it.
    pub runs: bool,
}

/// The coverage of a whole corpus.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    /// Detection files read.
    pub detections: usize,
    /// Detections whose search expands and parses.
    pub parsed: usize,
    /// Raw-event detections (the expanded search does not start with `|`).
    pub raw_event: usize,
    /// Raw-event detections that plan completely.
    pub raw_event_planned: usize,
    /// Per command name (lower case).
    pub commands: BTreeMap<String, CommandCoverage>,
    /// Per eval function name (lower case), from `eval`, `where` and `stats … eval(…)`.
    pub functions: BTreeMap<String, FunctionCoverage>,
    /// Why raw-event detections do not plan: diagnostic message → detections.
    pub blockers: BTreeMap<String, usize>,
    /// Files that could not be loaded, expanded or parsed, with the reason.
    pub failures: Vec<(PathBuf, String)>,
}

/// A GeoIP database that knows no address: planning needs one, answers do not matter.
struct NoLocations;

impl IpLocator for NoLocations {
    fn locate(&self, _ip: IpAddr, _lang: &str) -> Result<Option<Location>, LocateError> {
        Ok(None)
    }

    fn describe(&self) -> String {
        "no database (coverage)".into()
    }
}

/// Measures every `*.yml` detection under `detections_dir` with `macros` and `lookups`.
pub fn measure(
    detections_dir: &Path,
    macros: &MacroSet,
    lookups: Arc<dyn LookupSource>,
) -> Result<Coverage, DetectionError> {
    let mut files = Vec::new();
    collect(detections_dir, &mut files)?;
    let engine = Engine::new()
        .with_macros(macros.clone())
        .with_lookups(lookups)
        .with_ip_locator(Arc::new(NoLocations));
    let mut coverage = Coverage::default();
    for file in files {
        coverage.detections += 1;
        let detection = match load_detection(&file) {
            Ok(d) => d,
            Err(e) => {
                coverage.failures.push((file, e.to_string()));
                continue;
            }
        };
        let expanded = match expand(&detection.search, macros, &ExpandOptions::default()) {
            Ok(x) => x,
            Err(d) => {
                coverage.failures.push((file, d.message));
                continue;
            }
        };
        let pipeline = match parse_pipeline(&expanded.text) {
            Ok(p) => p,
            Err(d) => {
                let message = d.first().map_or(String::new(), |d| d.message.clone());
                coverage.failures.push((file, message));
                continue;
            }
        };
        coverage.parsed += 1;
        let mut seen = BTreeMap::new();
        count_commands(&pipeline, &mut coverage.commands, &mut seen);
        count_functions(&pipeline, &mut coverage.functions);
        for name in seen.keys() {
            if let Some(entry) = coverage.commands.get_mut(name) {
                entry.detections += 1;
            }
        }
        if expanded.text.trim_start().starts_with('|') {
            continue;
        }
        coverage.raw_event += 1;
        match engine.compile(&detection.search) {
            Ok(_) => coverage.raw_event_planned += 1,
            Err(error) => {
                let mut reasons: Vec<String> = error
                    .diagnostics
                    .iter()
                    .map(|d| d.message.clone())
                    .collect();
                reasons.sort();
                reasons.dedup();
                for reason in reasons {
                    *coverage.blockers.entry(reason).or_default() += 1;
                }
            }
        }
    }
    Ok(coverage)
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), DetectionError> {
    let io = |source| DetectionError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "yml")
            && !path
                .to_string_lossy()
                .ends_with(crate::testing::SIDE_FILE_SUFFIX)
        {
            files.push(path);
        }
    }
    Ok(())
}

fn count_commands(
    pipeline: &Pipeline,
    commands: &mut BTreeMap<String, CommandCoverage>,
    seen: &mut BTreeMap<String, ()>,
) {
    for command in &pipeline.commands {
        let name = command.name.node.to_ascii_lowercase();
        let detailed = !matches!(command.kind, CommandKind::Generic(_));
        let runs = detailed
            || spl_engine::ops::generic::GENERIC_COMMANDS
                .iter()
                .any(|(known, _)| *known == name);
        let entry = commands.entry(name.clone()).or_default();
        entry.uses += 1;
        entry.detailed |= detailed;
        entry.runs |= runs;
        seen.insert(name, ());
        match &command.kind {
            CommandKind::Generic(generic) => {
                for arg in &generic.args {
                    count_in_arg(arg, commands, seen);
                }
            }
            CommandKind::Search(Some(expr)) => count_in_search(expr, commands, seen),
            _ => {}
        }
    }
}

fn count_in_arg(
    arg: &GenericArg,
    commands: &mut BTreeMap<String, CommandCoverage>,
    seen: &mut BTreeMap<String, ()>,
) {
    match arg {
        GenericArg::Subsearch(pipeline) => count_commands(pipeline, commands, seen),
        GenericArg::Group(group) => {
            for inner in &group.node {
                count_in_arg(inner, commands, seen);
            }
        }
        _ => {}
    }
}

fn count_in_search(
    expr: &spl_syntax::ast::SearchExpr,
    commands: &mut BTreeMap<String, CommandCoverage>,
    seen: &mut BTreeMap<String, ()>,
) {
    match &expr.kind {
        SearchExprKind::And(parts) | SearchExprKind::Or(parts) => {
            for part in parts {
                count_in_search(part, commands, seen);
            }
        }
        SearchExprKind::Not(inner) => count_in_search(inner, commands, seen),
        SearchExprKind::Subsearch(pipeline) => count_commands(pipeline, commands, seen),
        _ => {}
    }
}

impl Coverage {
    /// The report as Markdown.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let percent = |part: usize, whole: usize| {
            if whole == 0 {
                0.0
            } else {
                100.0 * part as f64 / whole as f64
            }
        };
        let _ = writeln!(out, "# SPL coverage of the ESCU corpus\n");
        let _ = writeln!(
            out,
            "Generated by `cargo test -p spl-detections --test coverage` from \
             `testdata/escu-corpus` (set `SPL_UPDATE_COVERAGE=1` to rewrite it). Do not edit.\n"
        );
        let _ = writeln!(
            out,
            "- detections: {}\n- expand and parse: {} ({:.1}%)\n- raw-event detections (search not starting with `|`): {}\n- raw-event detections that plan completely: {} ({:.1}%)\n",
            self.detections,
            self.parsed,
            percent(self.parsed, self.detections),
            self.raw_event,
            self.raw_event_planned,
            percent(self.raw_event_planned, self.raw_event)
        );
        let _ = writeln!(out, "## Commands\n");
        let _ = writeln!(out, "| command | uses | detections | parsed | runs |");
        let _ = writeln!(out, "|---|---:|---:|---|---|");
        let mut commands: Vec<_> = self.commands.iter().collect();
        commands.sort_by(|a, b| b.1.detections.cmp(&a.1.detections).then(a.0.cmp(b.0)));
        for (name, entry) in commands {
            let _ = writeln!(
                out,
                "| `{name}` | {} | {} | {} | {} |",
                entry.uses,
                entry.detections,
                if entry.detailed {
                    "in detail"
                } else {
                    "generic"
                },
                if entry.runs { "yes" } else { "no" }
            );
        }
        let _ = writeln!(out, "\n## Eval functions\n");
        let supported = self.functions.values().filter(|f| f.supported).count();
        let _ = writeln!(
            out,
            "{} distinct functions called in `eval`, `where` and `stats … eval(…)` across all \
             detections (tstats ones included); the engine evaluates {supported}.\n",
            self.functions.len()
        );
        let _ = writeln!(out, "| function | uses | detections | runs |");
        let _ = writeln!(out, "|---|---:|---:|---|");
        let mut functions: Vec<_> = self.functions.iter().collect();
        functions.sort_by(|a, b| b.1.detections.cmp(&a.1.detections).then(a.0.cmp(b.0)));
        for (name, entry) in functions {
            let _ = writeln!(
                out,
                "| `{name}` | {} | {} | {} |",
                entry.uses,
                entry.detections,
                if entry.supported { "yes" } else { "no" }
            );
        }
        let _ = writeln!(out, "\n## Why raw-event detections do not plan\n");
        let _ = writeln!(out, "| reason | detections |");
        let _ = writeln!(out, "|---|---:|");
        let mut blockers: Vec<_> = self.blockers.iter().collect();
        blockers.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (reason, count) in blockers {
            let _ = writeln!(out, "| {} | {count} |", reason.replace('|', "\\|"));
        }
        if !self.failures.is_empty() {
            let _ = writeln!(out, "\n## Detections that do not parse\n");
            for (path, reason) in &self.failures {
                let _ = writeln!(out, "- `{}`: {reason}", path.display());
            }
        }
        out
    }
}
