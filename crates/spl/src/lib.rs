//! Run Splunk SPL searches and ESCU detections offline, from Rust.
//!
//! Run a shipped detection over its shipped attack data:
//!
//! ```
//! use spl::{DetectionFile, Quiet, ScanOptions};
//!
//! let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
//! let detection =
//!     DetectionFile::load(root.join("queries/kubernetes_scanning_by_unauthenticated_ip_address.yml"))?;
//! let engine = detection.engine_builder().embedded_test_geoip().build()?;
//! let query = detection.compile(&engine)?;
//! let output = query.scan(&detection.attack_data()?, &ScanOptions::default(), &Quiet)?;
//!
//! // Three source addresses were refused more than five times (see the detection's README).
//! assert_eq!(output.rows.len(), 3);
//! assert_eq!(output.rows[1].get("src_ip").map(|v| v.first()), Some("81.2.69.142"));
//! assert_eq!(output.rows[1].get("count").map(|v| v.first()), Some("7"));
//! assert_eq!(output.stats.events_read, 57);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The pieces:
//!
//! - [`EngineBuilder`] collects macro folders, lookup folders or a custom [`LookupSource`],
//!   and a GeoIP source (a MaxMind file, the embedded test database, or any [`IpLocator`]),
//!   and builds an [`Engine`].
//! - [`Engine::compile`] turns SPL into a [`Query`]; [`compile`] and
//!   [`DetectionFile::compile`] do the same and return a [`CompileFailure`] whose
//!   [`Problem`]s carry the span, line and column in the search as written, and which
//!   [`renders`](CompileFailure::render) like a compiler error.
//! - A [`Query`] runs over files and folders ([`Query::scan`]: NDJSON or JSON arrays,
//!   compressed or not, `-` for standard input), over any reader ([`Query::scan_reader`]),
//!   or over records built in memory ([`Query::run`] with [`record_from_json`]). Each
//!   returns an [`Output`]: the result rows and the [`RunStats`].
//! - A [`ScanObserver`] hears about malformed events and progress while a scan runs.
//!
//! Records built in memory:
//!
//! ```
//! use spl::{record_from_json, EventMeta};
//!
//! let query = spl::compile(&spl::Engine::new(), "verb=get | stats count BY user")?;
//! let meta = EventMeta { source: "k8s".into(), ..EventMeta::default() };
//! let records = [r#"{"verb":"get","user":"bob"}"#, r#"{"verb":"GET","user":"bob"}"#]
//!     .iter()
//!     .map(|line| record_from_json(line, &meta))
//!     .collect::<Result<Vec<_>, _>>()?;
//! let output = query.run(records)?;
//! // `search` compares values case-insensitively: both events count.
//! assert_eq!(output.rows[0].get("count").map(|v| v.first()), Some("2"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! No input reaches a panic: bad SPL, YAML, JSON or paths come back as [`Error`],
//! [`CompileFailure`] or counted malformed events.
#![warn(missing_docs)]

mod builder;
mod detection;
mod diagnostics;
mod error;

pub use builder::EngineBuilder;
pub use detection::{default_attack_data_root, DetectionFile};
pub use diagnostics::{compile, compile_named, render_plain, CompileFailure, Problem, QUERY_NAME};
pub use error::Error;

pub use spl_detections::{Detection, DetectionError, LookupSet};
pub use spl_engine::event::{record_from_json, EventError, EventMeta};
pub use spl_engine::geo::{IpLocator, LocateError, Location};
pub use spl_engine::input::{InputNotice, InputProblem};
pub use spl_engine::lookup::{LookupOptions, LookupSource, LookupTable, LookupTables};
pub use spl_engine::scan::{Input, Progress, Quiet, ReportProblems, ScanObserver, ScanOptions};
pub use spl_engine::{
    CompileError, Engine, Output, Query, Record, RunError, RunStats, ScanError, Value,
};
pub use spl_geoip::{DatabaseSource, GeoIpError, MaxMindLocator};
pub use spl_syntax::diagnostic::Severity;
pub use spl_syntax::macros::{MacroDefinition, MacroSet};
pub use spl_syntax::{Diagnostic, Span};

/// The crates behind this one, for what the re-exports above leave out.
pub mod crates {
    pub use spl_detections as detections;
    pub use spl_engine as engine;
    pub use spl_geoip as geoip;
    pub use spl_syntax as syntax;
}
