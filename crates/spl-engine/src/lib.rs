//! The SPL engine: runs parsed SPL pipelines over JSON events with Splunk's semantics.
//!
//! It owns the value model ([`value`]), JSON event extraction ([`event`]), `search`
//! matching ([`search`]), `eval` expressions ([`eval`]), the planner ([`plan`]), the
//! operators ([`ops`]) and the embedding API ([`Engine`]).
//!
//! ```
//! use spl_engine::{event::{record_from_json, EventMeta}, Engine};
//!
//! let engine = Engine::new(); // .with_macros(…).with_ip_locator(…)
//! let query = engine.compile("verb=get | stats count BY user")?;
//! let meta = EventMeta { source: "k8s".into(), ..EventMeta::default() };
//! let events = [r#"{"verb":"get","user":"bob"}"#, r#"{"verb":"GET","user":"bob"}"#]
//!     .iter()
//!     .map(|line| record_from_json(line, &meta))
//!     .collect::<Result<Vec<_>, _>>()?;
//! let output = query.run(events)?;
//! // Values match case-insensitively in `search`: both events count.
//! assert_eq!(output.rows[0].get("count").map(|v| v.first()), Some("2"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

pub mod engine;
pub mod eval;
pub mod event;
pub mod geo;
pub mod input;
pub mod limits;
pub mod lint;
pub mod lookup;
pub mod ops;
mod parallel;
pub mod plan;
pub mod prefilter;
pub mod projection;
pub mod run;
pub mod scan;
pub mod search;
pub mod sourcetype_fields;
pub mod subsearch;
pub mod value;

pub use engine::{CompileError, CompileStage, Engine, Output, Query, Run};
pub use geo::{IpLocator, Location};
pub use limits::Limits;
pub use run::{RunError, RunStats};
pub use scan::{Input, ScanError, ScanObserver, ScanOptions};
pub use sourcetype_fields::FieldDefinitions;
pub use value::{Record, Value};
