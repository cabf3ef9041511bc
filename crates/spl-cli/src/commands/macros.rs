//! `spl macros`: the macros a detection (or the current project) can use, with their
//! arguments and the file that defines each.

use super::common::Target;
use crate::args::{MacrosArgs, QueryArgs};
use crate::Failure;

/// Runs `spl macros`.
pub fn macros(args: &MacrosArgs) -> Result<(), Failure> {
    let query = QueryArgs {
        detection: args.query.detection.clone(),
        query: None,
        macro_dirs: args.query.macro_dirs.clone(),
    };
    let target = match &query.detection {
        Some(_) => Target::load(&query)?,
        None => Target {
            detection: None,
            search: String::new(),
            source_name: "<none>".into(),
        },
    };
    let macros = target.macros(&query.macro_dirs)?;
    let mut definitions: Vec<_> = macros.iter().collect();
    definitions.sort_by(|a, b| {
        a.name
            .cmp(&b.name)
            .then(a.arguments.len().cmp(&b.arguments.len()))
    });
    for definition in definitions {
        let signature = if definition.arguments.is_empty() {
            definition.name.clone()
        } else {
            format!("{}({})", definition.name, definition.arguments.join(", "))
        };
        crate::outln!("{signature}  [{}]", relative_origin(&definition.origin));
        if args.definitions {
            crate::outln!("    {}", definition.definition.replace('\n', "\n    "));
        }
    }
    Ok(())
}

/// A macro's origin file relative to the current folder when it lies below it (macro
/// folders found above a detection are absolute paths); other origins unchanged.
fn relative_origin(origin: &str) -> String {
    let Ok(current) = std::env::current_dir() else {
        return origin.to_string();
    };
    let current = current.canonicalize().unwrap_or(current);
    match std::path::Path::new(origin).strip_prefix(&current) {
        Ok(relative) => relative.display().to_string(),
        Err(_) => origin.to_string(),
    }
}
