//! What the subcommands share: loading a detection or an ad-hoc search, its macros and the
//! GeoIP database, compiling it with readable diagnostics, and reading event files.

use crate::args::QueryArgs;
use crate::diagnostics::{render, SourceText};
use crate::Failure;
use spl_detections::Detection;
use spl_detections::LookupSet;
use spl_engine::{CompileError, CompileStage, Engine, Query};
use spl_syntax::macros::MacroSet;
use spl_syntax::Diagnostic;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Prints an error line for a problem that has no SPL span.
pub fn print_error(message: impl std::fmt::Display) {
    eprintln!("error: {message}");
}

/// A search to run: from a detection file or from the command line.
#[derive(Debug)]
pub struct Target {
    /// The detection, when the search came from a YAML file.
    pub detection: Option<(PathBuf, Detection)>,
    /// The SPL text as written.
    pub search: String,
    /// How diagnostics name the search text.
    pub source_name: String,
}

impl Target {
    /// Loads the detection file or takes the `--query` text.
    pub fn load(args: &QueryArgs) -> Result<Target, Failure> {
        if let Some(query) = &args.query {
            return Ok(Target {
                detection: None,
                search: query.clone(),
                source_name: "<query>".into(),
            });
        }
        let Some(path) = &args.detection else {
            print_error("give a detection file or --query");
            return Err(Failure::Input);
        };
        let detection = spl_detections::load_detection(path).map_err(|e| {
            print_error(e);
            Failure::Input
        })?;
        Ok(Target {
            search: detection.search.clone(),
            source_name: format!("{} (search)", path.display()),
            detection: Some((path.clone(), detection)),
        })
    }

    /// The macros this search may use: built-ins, then the macro folders found for the
    /// detection (the project's `macros/`, a `macros/` folder above the detection), then
    /// each `--macros` folder; later definitions win.
    pub fn macros(&self, extra_dirs: &[PathBuf]) -> Result<MacroSet, Failure> {
        for dir in extra_dirs {
            if !dir.is_dir() {
                print_error(format!("macro folder {} does not exist", dir.display()));
                return Err(Failure::Input);
            }
        }
        let mut macros = MacroSet::with_builtins();
        for dir in self.macro_dirs(extra_dirs) {
            let loaded = spl_detections::load_macro_dir(&dir).map_err(|e| {
                print_error(e);
                Failure::Input
            })?;
            for definition in loaded.iter() {
                macros.insert(definition.clone());
            }
        }
        Ok(macros)
    }

    /// The macro folders, in order: the detection's project and the nearest `macros/` above
    /// it (or `./macros` for an ad-hoc search), then `extra_dirs`.
    fn macro_dirs(&self, extra_dirs: &[PathBuf]) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = match &self.detection {
            Some((path, _)) => spl_detections::macro_dirs_for(path, None),
            None => {
                let local = PathBuf::from("macros");
                if local.is_dir() {
                    vec![local]
                } else {
                    Vec::new()
                }
            }
        };
        dirs.extend(extra_dirs.iter().cloned());
        dirs
    }
}

impl Target {
    /// The lookup tables this search may use: the `lookups/` folder beside each macro folder
    /// (the security_content layout: `macros/` and `lookups/` side by side); later folders
    /// win.
    pub fn lookups(&self, extra_macro_dirs: &[PathBuf]) -> Result<LookupSet, Failure> {
        let mut set = LookupSet::new();
        for macro_dir in self.macro_dirs(extra_macro_dirs) {
            let Some(dir) = macro_dir.parent().map(|p| p.join("lookups")) else {
                continue;
            };
            if !dir.is_dir() {
                continue;
            }
            let loaded = spl_detections::load_lookup_dir(&dir).map_err(|e| {
                print_error(e);
                Failure::Input
            })?;
            for table in loaded.iter() {
                set.insert(table.clone());
            }
        }
        Ok(set)
    }
}

/// Resolves the GeoIP database: `--geoip-db`, `$SPL_GEOIP_DB`,
/// `$SPLUNK_HOME/share/GeoLite2-City.mmdb`, then the embedded test database.
pub fn open_geoip(explicit: Option<&Path>) -> Result<spl_geoip::ResolvedDatabase, Failure> {
    spl_geoip::resolve_database(explicit, &spl_geoip::process_env).map_err(|e| {
        print_error(e);
        Failure::Input
    })
}

/// Expands, parses and plans the target's search, printing every diagnostic on failure.
pub fn compile(engine: &Engine, target: &Target) -> Result<Query, Failure> {
    engine.compile(&target.search).map_err(|error| {
        print_compile_error(&error, target);
        Failure::Input
    })
}

/// Compiles without printing: a failure comes back as the rendered diagnostics.
pub fn compile_quietly(engine: &Engine, target: &Target) -> Result<Query, String> {
    engine
        .compile(&target.search)
        .map_err(|error| render_compile_error(&error, target, false))
}

/// Prints the diagnostics of a failed compilation against the text they point into.
pub fn print_compile_error(error: &CompileError, target: &Target) {
    let fancy = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", render_compile_error(error, target, fancy));
}

/// Renders every diagnostic of a failed compilation against the search as written.
pub fn render_compile_error(error: &CompileError, target: &Target, fancy: bool) -> String {
    let mapped: Vec<Diagnostic> = error
        .diagnostics
        .iter()
        .map(|diagnostic| match (&error.stage, &error.expanded) {
            (CompileStage::Expand, _) | (_, None) => diagnostic.clone(),
            (_, Some(expanded)) => expanded.source_map.map_diagnostic(diagnostic.clone()),
        })
        .collect();
    render_diagnostics(&mapped, target, fancy)
}

/// Renders diagnostics whose spans already point into the target's search text.
pub fn render_diagnostics(diagnostics: &[Diagnostic], target: &Target, fancy: bool) -> String {
    let mut text = String::new();
    for diagnostic in diagnostics {
        let rendered = render(
            diagnostic,
            &SourceText {
                name: target.source_name.clone(),
                text: &target.search,
            },
            fancy,
        );
        text.push_str(&rendered);
    }
    text
}

/// Builds the engine for `target` with its macros, lookups, search-time field definitions
/// (`sourcetypes/`) and the GeoIP database.
pub fn engine_for(
    target: &Target,
    args: &QueryArgs,
    geoip: Option<&Path>,
) -> Result<(Engine, spl_geoip::DatabaseSource), Failure> {
    let macros = target.macros(&args.macro_dirs)?;
    let database = open_geoip(geoip)?;
    let lookups = target.lookups(&args.macro_dirs)?;
    let mut engine = Engine::new()
        .with_macros(macros)
        .with_lookups(lookups.into_source())
        .with_ip_locator(Arc::new(database.locator));
    let detection = target.detection.as_ref().map(|(path, _)| path.as_path());
    let options = spl_detections::LoadOptions::default();
    match spl_detections::load_field_definitions_for(detection, &options) {
        Ok(Some(definitions)) => engine = engine.with_field_definitions(Arc::new(definitions)),
        Ok(None) => {}
        Err(error) => {
            print_error(error);
            return Err(Failure::Input);
        }
    }
    Ok((engine, database.source))
}

/// The attack-data root for a detection: the first `testdata/attack_data` folder found in
/// the detection's folder or above it (the project layout), else `testdata/attack_data`
/// under the current folder.
pub fn default_attack_data_root(detection: &Path) -> PathBuf {
    let start = detection
        .canonicalize()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf));
    let mut folder = start.as_deref();
    while let Some(dir) = folder {
        let candidate = dir.join(spl_detections::DEFAULT_ATTACK_DATA_ROOT);
        if candidate.is_dir() {
            return candidate;
        }
        folder = dir.parent();
    }
    PathBuf::from(spl_detections::DEFAULT_ATTACK_DATA_ROOT)
}
