//! The SPL engine: runs parsed SPL pipelines over JSON events with Splunk's semantics.
//!
//! It owns the value model ([`value`]), JSON event extraction ([`event`]), `search`
//! matching ([`search`]), `eval` expressions ([`eval`]), the planner ([`plan`]), the
//! operators ([`ops`]) and the embedding API ([`Engine`]).
#![warn(missing_docs)]

pub mod engine;
pub mod eval;
pub mod event;
pub mod geo;
pub mod input;
pub mod lint;
pub mod ops;
pub mod plan;
pub mod run;
pub mod search;
pub mod value;

pub use engine::{CompileError, CompileStage, Engine, Output, Query, Run};
pub use geo::{IpLocator, Location};
pub use run::{RunError, RunStats};
pub use value::{Record, Value};
