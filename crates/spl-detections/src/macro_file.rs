//! ESCU macro YAML files (spl-semantics §7.3) and folders of them.
//!
//! ```yaml
//! name: security_content_ctime
//! arguments:
//!   - field
//! definition: 'convert timeformat="%Y-%m-%dT%H:%M:%S" ctime($field$)'
//! description: convert epoch time to string
//! ```
//!
//! Other keys (`id`, `date`, `author`, …) are ignored.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use spl_syntax::macros::{MacroDefinition, MacroSet};

use crate::error::DetectionError;
use crate::yaml::{parse, read_text, LoadOptions};

/// The keys of a macro file that matter.
#[derive(Deserialize)]
struct MacroFile {
    name: String,
    definition: String,
    #[serde(default)]
    arguments: Option<Vec<String>>,
    #[serde(default)]
    #[allow(dead_code)] // read so a wrongly typed description is reported
    description: Option<String>,
}

/// Loads one macro YAML file with the default [`LoadOptions`].
pub fn load_macro_file(path: &Path) -> Result<MacroDefinition, DetectionError> {
    load_macro_file_with(path, &LoadOptions::default())
}

/// Loads one macro YAML file; the definition's origin is `path`.
pub fn load_macro_file_with(
    path: &Path,
    options: &LoadOptions,
) -> Result<MacroDefinition, DetectionError> {
    let text = read_text(path, options)?;
    parse_macro_yaml(&text, path, options)
}

/// Parses macro YAML `text` that was read from `path` (used for the origin and in errors).
pub fn parse_macro_yaml(
    text: &str,
    path: &Path,
    options: &LoadOptions,
) -> Result<MacroDefinition, DetectionError> {
    let file: MacroFile = parse(text, path, options)?;
    let invalid = |message: String| DetectionError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    if file.name.trim().is_empty() {
        return Err(invalid("`name` is empty".to_string()));
    }
    if file.definition.trim().is_empty() {
        return Err(invalid(format!(
            "macro `{}` has an empty `definition`",
            file.name
        )));
    }
    let arguments = file.arguments.unwrap_or_default();
    check_argument_names(&file.name, &arguments).map_err(invalid)?;
    Ok(MacroDefinition {
        name: file.name,
        arguments,
        definition: file.definition,
        origin: path.display().to_string(),
    })
}

/// Argument names: letters, digits, `_` and `-`, no duplicates (spl-semantics §7.1).
fn check_argument_names(name: &str, arguments: &[String]) -> Result<(), String> {
    for (index, argument) in arguments.iter().enumerate() {
        let valid = !argument.is_empty()
            && argument
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            return Err(format!(
                "macro `{name}` has an invalid argument name `{argument}` (use letters, digits, `_` and `-`)"
            ));
        }
        if arguments
            .get(..index)
            .is_some_and(|before| before.contains(argument))
        {
            return Err(format!(
                "macro `{name}` names the argument `{argument}` twice"
            ));
        }
    }
    Ok(())
}

/// Loads every `*.yml` / `*.yaml` file of `dir` with the default [`LoadOptions`].
pub fn load_macro_dir(dir: &Path) -> Result<MacroSet, DetectionError> {
    load_macro_dir_with(dir, &LoadOptions::default())
}

/// Loads every `*.yml` / `*.yaml` file of `dir` (not its subfolders), in file-name order;
/// when two files define the same name and arity, the later file wins.
pub fn load_macro_dir_with(dir: &Path, options: &LoadOptions) -> Result<MacroSet, DetectionError> {
    let mut set = MacroSet::new();
    for path in yaml_files(dir)? {
        set.insert(load_macro_file_with(&path, options)?);
    }
    Ok(set)
}

/// The `*.yml` and `*.yaml` files directly in `dir`, sorted by path.
pub fn yaml_files(dir: &Path) -> Result<Vec<PathBuf>, DetectionError> {
    let io_error = |source| DetectionError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_error)? {
        let path = entry.map_err(io_error)?.path();
        let is_yaml = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e == "yml" || e == "yaml");
        if is_yaml && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}
