//! `spl parse`: expands macros and parses, printing the pipeline one command per line (or
//! as JSON), without planning or running. Every error shows file, line, column and a caret.

use super::common::{render_diagnostics, Target};
use crate::args::{ParseArgs, ParseFormat, QueryArgs};
use crate::Failure;
use spl_syntax::ast::Pipeline;
use spl_syntax::macros::{expand, ExpandOptions, Expanded};
use spl_syntax::parse_pipeline;
use std::path::PathBuf;

/// Runs `spl parse` (or, with `lint_only`, `spl lint`: warnings instead of the pipeline).
pub fn parse(args: &ParseArgs, lint_only: bool) -> Result<(), Failure> {
    let targets = targets(args)?;
    let fancy = crate::color::Colors::stderr().enabled();
    let many = targets.len() > 1;
    let mut failed = 0;
    let mut warnings = 0;
    for path in &targets {
        let query_args = QueryArgs {
            detection: path.clone(),
            query: if path.is_none() {
                args.query.clone()
            } else {
                None
            },
            macro_dirs: args.macro_dirs.clone(),
        };
        let target = match Target::load(&query_args) {
            Ok(target) => target,
            Err(_) => {
                failed += 1;
                continue;
            }
        };
        match parse_target(&target, &query_args) {
            Ok((pipeline, _)) if !lint_only => {
                print_pipeline(&target, &pipeline, args.format, many)
            }
            Ok((pipeline, expanded)) => {
                let options = lint_options(&target, &query_args)?;
                let found: Vec<_> = spl_engine::lint::lint(&pipeline, &options)
                    .into_iter()
                    .map(|d| expanded.source_map.map_diagnostic(d))
                    .collect();
                warnings += found.len();
                crate::out!("{}", render_diagnostics(&found, &target, fancy));
            }
            Err(rendered) => {
                failed += 1;
                if args.format == ParseFormat::Json {
                    crate::outln!(
                        "{}",
                        serde_json::json!({"file": target.source_name, "ok": false, "errors": rendered.plain})
                    );
                }
                eprint!(
                    "{}",
                    if fancy {
                        &rendered.fancy
                    } else {
                        &rendered.plain
                    }
                );
            }
        }
    }
    if lint_only {
        crate::outln!(
            "{warnings} warning{} in {} search{}",
            if warnings == 1 { "" } else { "s" },
            targets.len(),
            if targets.len() == 1 { "" } else { "es" }
        );
    } else if many && args.format == ParseFormat::Text {
        crate::outln!("\n{} parsed, {} failed", targets.len() - failed, failed);
    }
    if failed > 0 {
        Err(Failure::Input)
    } else {
        Ok(())
    }
}

/// The detection files to parse, or one `None` for `--query`.
fn targets(args: &ParseArgs) -> Result<Vec<Option<PathBuf>>, Failure> {
    if args.query.is_some() {
        return Ok(vec![None]);
    }
    if args.paths.is_empty() {
        super::common::print_error("give detection files, folders, or --query");
        return Err(Failure::Input);
    }
    let files = super::test::detection_files(&args.paths)?;
    Ok(files.into_iter().map(Some).collect())
}

/// Diagnostics rendered both ways.
struct Rendered {
    plain: String,
    fancy: String,
}

fn parse_target(target: &Target, args: &QueryArgs) -> Result<(Pipeline, Expanded), Rendered> {
    let macros = target.macros(&args.macro_dirs).map_err(|_| Rendered {
        plain: String::new(),
        fancy: String::new(),
    })?;
    let render = |diagnostics: &[spl_syntax::Diagnostic]| Rendered {
        plain: render_diagnostics(diagnostics, target, false),
        fancy: render_diagnostics(diagnostics, target, true),
    };
    let expanded =
        expand(&target.search, &macros, &ExpandOptions::default()).map_err(|d| render(&[d]))?;
    match parse_pipeline(&expanded.text) {
        Ok(pipeline) => Ok((pipeline, expanded)),
        Err(diagnostics) => {
            let mapped: Vec<_> = diagnostics
                .into_iter()
                .map(|d| expanded.source_map.map_diagnostic(d))
                .collect();
            Err(render(&mapped))
        }
    }
}

fn print_pipeline(target: &Target, pipeline: &Pipeline, format: ParseFormat, many: bool) {
    match format {
        ParseFormat::Json => {
            let stages: Vec<serde_json::Value> = pipeline
                .commands
                .iter()
                .map(|command| {
                    serde_json::json!({
                        "command": command.name.node.to_ascii_lowercase(),
                        "span": [command.span.start, command.span.end],
                        "spl": command.to_string(),
                    })
                })
                .collect();
            crate::outln!(
                "{}",
                serde_json::json!({"file": target.source_name, "ok": true, "stages": stages})
            );
        }
        ParseFormat::Text if many => crate::outln!("ok    {}", target.source_name),
        ParseFormat::Text => {
            for (index, command) in pipeline.commands.iter().enumerate() {
                let bar = if index == 0 { "  " } else { "| " };
                crate::outln!("{bar}{command}");
            }
        }
    }
}

/// Lint options for `target`: its lookup tables are the known ones; with no `lookups/`
/// folder at all, unknown lookups are not reported.
fn lint_options(
    target: &Target,
    args: &QueryArgs,
) -> Result<spl_engine::lint::LintOptions, Failure> {
    let lookups = target.lookups(&args.macro_dirs)?;
    let known_lookups = if lookups.is_empty() {
        None
    } else {
        Some(
            lookups
                .iter()
                .flat_map(|t| [t.name.clone(), t.filename.clone()])
                .collect(),
        )
    };
    Ok(spl_engine::lint::LintOptions { known_lookups })
}
