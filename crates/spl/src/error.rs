//! The one error type of the library: every way building an engine, loading a detection or
//! running a search can fail.

use crate::diagnostics::CompileFailure;
use spl_detections::DetectionError;
use spl_engine::{RunError, ScanError};
use spl_geoip::GeoIpError;
use std::path::PathBuf;

/// Why a library call failed. Each variant names the file, search or run it is about.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A detection, macro or lookup file could not be read or is malformed.
    #[error(transparent)]
    Content(#[from] DetectionError),
    /// A GeoIP database could not be opened.
    #[error(transparent)]
    GeoIp(#[from] GeoIpError),
    /// A folder given to the engine builder does not exist.
    #[error("{}: no such folder", .0.display())]
    MissingFolder(PathBuf),
    /// A detection has no `tests:` attack data to run over.
    #[error("{}: the detection has no `tests:` attack data", .0.display())]
    NoAttackData(PathBuf),
    /// The search does not compile; the failure carries each problem's span.
    #[error(transparent)]
    Compile(#[from] Box<CompileFailure>),
    /// An input could not be read, or the run failed while reading it.
    #[error(transparent)]
    Scan(#[from] ScanError),
    /// The run failed (a resource limit, a runaway regular expression, a GeoIP failure).
    #[error(transparent)]
    Run(#[from] RunError),
}

impl From<CompileFailure> for Error {
    fn from(failure: CompileFailure) -> Error {
        Error::Compile(Box::new(failure))
    }
}

impl Error {
    /// True when the input was fine but the run itself failed (a limit, a database error);
    /// false for bad input (files, SPL, YAML, folders). The `spl` command exits with 3 for
    /// the first and 2 for the second.
    pub fn is_run_failure(&self) -> bool {
        matches!(self, Error::Run(_) | Error::Scan(ScanError::Run(_)))
    }
}
