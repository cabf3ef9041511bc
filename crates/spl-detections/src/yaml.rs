//! Reading YAML files safely: a size limit, no anchors or aliases, errors with positions.
//!
//! ESCU files are small and never use anchors or aliases, so both are refused outright; that
//! also makes "billion laughs" alias bombs fail at the first anchor instead of after a
//! costly expansion.

use std::io::Read;
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::DetectionError;

/// Limits applied when loading YAML files.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Files larger than this many bytes are refused (default 1 MiB).
    pub max_file_bytes: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_bytes: 1 << 20,
        }
    }
}

/// Reads `path` as UTF-8 text, refusing files over the size limit.
pub(crate) fn read_text(path: &Path, options: &LoadOptions) -> Result<String, DetectionError> {
    let io_error = |source| DetectionError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io_error)?;
    let mut bytes = Vec::new();
    // Read one byte past the limit so a file that grows after a size check is still caught.
    file.take(options.max_file_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    check_size(path, bytes.len(), options)?;
    String::from_utf8(bytes).map_err(|error| DetectionError::Invalid {
        path: path.to_path_buf(),
        message: format!("the file is not UTF-8 text: {error}"),
    })
}

/// Refuses text over the size limit.
pub(crate) fn check_size(
    path: &Path,
    size: usize,
    options: &LoadOptions,
) -> Result<(), DetectionError> {
    let size = u64::try_from(size).unwrap_or(u64::MAX);
    if size <= options.max_file_bytes {
        return Ok(());
    }
    Err(DetectionError::TooLarge {
        path: path.to_path_buf(),
        size,
        limit: options.max_file_bytes,
    })
}

/// Deserializes one YAML document, refusing anchors, aliases and oversize input.
pub(crate) fn parse<T: DeserializeOwned>(
    text: &str,
    path: &Path,
    options: &LoadOptions,
) -> Result<T, DetectionError> {
    check_size(path, text.len(), options)?;
    let max_bytes = usize::try_from(options.max_file_bytes).unwrap_or(usize::MAX);
    let saphyr_options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_reader_input_bytes: Some(max_bytes),
            max_aliases: 0,
            max_anchors: 0,
            max_documents: 1,
        },
        with_snippet: false,
    };
    serde_saphyr::from_str_with_options(text, saphyr_options)
        .map_err(|error| yaml_error(path, &error))
}

/// Converts a parser error into ours, keeping its position.
fn yaml_error(path: &Path, error: &serde_saphyr::Error) -> DetectionError {
    let location = error.location();
    let message = match error {
        serde_saphyr::Error::Budget {
            breach:
                serde_saphyr::budget::BudgetBreach::Aliases { .. }
                | serde_saphyr::budget::BudgetBreach::Anchors { .. },
            ..
        } => "YAML anchors (&name) and aliases (*name) are not allowed".to_string(),
        _ => without_position(&error.to_string()),
    };
    DetectionError::Yaml {
        path: path.to_path_buf(),
        line: location.map(|l| l.line()).filter(|&l| l > 0),
        column: location.map(|l| l.column()).filter(|&c| c > 0),
        message,
    }
}

/// The parser's message without its trailing ` at line N, column M` (the position is shown
/// in front, as `path:line:column`).
fn without_position(message: &str) -> String {
    match message.rsplit_once(" at line ") {
        Some((before, after)) if after.contains(", column ") => before.to_string(),
        _ => message.to_string(),
    }
}
