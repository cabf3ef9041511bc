//! What the subcommands share: loading a detection or an ad-hoc search, building its engine
//! (macros, lookups, GeoIP) with the `spl` library, compiling it with readable diagnostics.

use crate::args::QueryArgs;
use crate::color::Colors;
use crate::diagnostics::{render, SourceText};
use crate::Failure;
use spl::{CompileFailure, DetectionFile, Engine, EngineBuilder, LookupSet, MacroSet, Query};
use spl_syntax::Diagnostic;
use std::path::{Path, PathBuf};

/// Prints an error line for a problem that has no SPL span.
pub fn print_error(message: impl std::fmt::Display) {
    eprintln!("error: {message}");
}

/// Prints a library error and maps it to the exit scheme: a failed run is
/// [`Failure::Run`], everything else bad input.
pub fn fail(error: spl::Error) -> Failure {
    let failure = if error.is_run_failure() {
        Failure::Run
    } else {
        Failure::Input
    };
    print_error(error);
    failure
}

/// A search to run: from a detection file or from the command line.
#[derive(Debug)]
pub struct Target {
    /// The detection, when the search came from a YAML file.
    pub detection: Option<DetectionFile>,
    /// The SPL text as written.
    pub search: String,
    /// How diagnostics name the search text.
    pub source_name: String,
}

impl Target {
    /// Loads the detection file or takes the `--query` text.
    pub fn load(args: &QueryArgs) -> Result<Target, Failure> {
        if let Some(query) = &args.query {
            return Ok(Target::ad_hoc(query));
        }
        let Some(path) = &args.detection else {
            print_error("give a detection file or --query");
            return Err(Failure::Input);
        };
        let detection = DetectionFile::load(path).map_err(fail)?;
        Ok(Target {
            search: detection.detection.search.clone(),
            source_name: detection.source_name(),
            detection: Some(detection),
        })
    }

    /// An ad-hoc search.
    pub fn ad_hoc(search: &str) -> Target {
        Target {
            detection: None,
            search: search.to_string(),
            source_name: spl::QUERY_NAME.into(),
        }
    }

    /// The engine builder for this search: the macro folders found for the detection (the
    /// nearest `macros/` at or above it), or `./macros` for an ad-hoc search, then each
    /// `--macros` folder; the `lookups/` folder beside each. Later definitions win.
    pub fn builder(&self, extra_macro_dirs: &[PathBuf]) -> EngineBuilder {
        let mut builder = match &self.detection {
            Some(detection) => detection.engine_builder(),
            None if Path::new("macros").is_dir() => EngineBuilder::new().macro_dir("macros"),
            None => EngineBuilder::new(),
        };
        if self.detection.is_none() {
            if let Some(dir) = spl_detections::sourcetype_dir_for(None) {
                builder = builder.sourcetype_dir(dir);
            }
        }
        for dir in extra_macro_dirs {
            builder = builder.macro_dir(dir);
        }
        builder
    }

    /// The macros this search may use (built-ins first).
    pub fn macros(&self, extra_macro_dirs: &[PathBuf]) -> Result<MacroSet, Failure> {
        self.builder(extra_macro_dirs).load_macros().map_err(fail)
    }

    /// The lookup tables this search may use.
    pub fn lookups(&self, extra_macro_dirs: &[PathBuf]) -> Result<LookupSet, Failure> {
        self.builder(extra_macro_dirs).load_lookups().map_err(fail)
    }
}

/// Expands, parses and plans the target's search, printing every diagnostic on failure.
pub fn compile(engine: &Engine, target: &Target) -> Result<Query, Failure> {
    spl::compile_named(engine, &target.search, &target.source_name).map_err(|failure| {
        eprint!("{}", render_failure(&failure, Colors::stderr().enabled()));
        Failure::Input
    })
}

/// Compiles without printing: a failure comes back as the plain rendered diagnostics.
pub fn compile_quietly(engine: &Engine, target: &Target) -> Result<Query, String> {
    spl::compile_named(engine, &target.search, &target.source_name)
        .map_err(|failure| failure.render())
}

/// Renders every problem of a failed compilation: graphical when `fancy`.
fn render_failure(failure: &CompileFailure, fancy: bool) -> String {
    let source = SourceText {
        name: failure.source_name.clone(),
        text: &failure.text,
    };
    failure
        .problems
        .iter()
        .map(|problem| render(&problem.diagnostic, &source, fancy))
        .collect()
}

/// Renders diagnostics whose spans already point into the target's search text.
pub fn render_diagnostics(diagnostics: &[Diagnostic], target: &Target, fancy: bool) -> String {
    let source = SourceText {
        name: target.source_name.clone(),
        text: &target.search,
    };
    diagnostics
        .iter()
        .map(|diagnostic| render(diagnostic, &source, fancy))
        .collect()
}

/// Builds the engine for `target` with its macros, lookups, search-time field definitions
/// (`sourcetypes/`) and the GeoIP database
/// (`--geoip-db`, `$SPL_GEOIP_DB`, `$SPLUNK_HOME/share/GeoLite2-City.mmdb`, then the
/// embedded test database).
pub fn engine_for(
    target: &Target,
    args: &QueryArgs,
    geoip: Option<&Path>,
) -> Result<(Engine, Option<spl::DatabaseSource>), Failure> {
    target
        .builder(&args.macro_dirs)
        .geoip_from_environment(geoip)
        .build_with_geoip_source()
        .map_err(fail)
}
