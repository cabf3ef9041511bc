//! The one error type of this crate: every variant names the file (or URL) it is about.

use std::path::PathBuf;

/// A problem loading ESCU content. Displays as `path:line:column: message` where the YAML
/// parser gives a position.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum DetectionError {
    /// A file or folder could not be read.
    #[error("{}: {source}", path.display())]
    #[diagnostic(code(spl::detections::io))]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A file is larger than [`crate::LoadOptions::max_file_bytes`].
    #[error("{}: the file has {size} bytes, more than the limit of {limit}", path.display())]
    #[diagnostic(code(spl::detections::too_large))]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes (at least this many).
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The YAML is malformed, uses anchors or aliases, or does not have the expected shape.
    #[error("{}: {message}", position(path, *line, *column))]
    #[diagnostic(code(spl::detections::yaml))]
    Yaml {
        /// The file.
        path: PathBuf,
        /// 1-based line, when known.
        line: Option<u64>,
        /// 1-based column, when known.
        column: Option<u64>,
        /// What is wrong.
        message: String,
    },
    /// The YAML is well formed but a value breaks a rule (for example an empty definition).
    #[error("{}: {message}", path.display())]
    #[diagnostic(code(spl::detections::invalid))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A test's `attack_data` URL is not of the form this engine maps to a local file.
    #[error("attack data URL `{url}` cannot be mapped to a local file: {reason}")]
    #[diagnostic(code(spl::detections::attack_data_url))]
    AttackDataUrl {
        /// The URL as written in the detection.
        url: String,
        /// Why it cannot be mapped.
        reason: String,
    },
}

/// `path:line:column`, or as much of it as is known.
fn position(path: &std::path::Path, line: Option<u64>, column: Option<u64>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!("{}:{line}:{column}", path.display()),
        (Some(line), None) => format!("{}:{line}", path.display()),
        _ => path.display().to_string(),
    }
}
