//! ESCU content: detection YAML files, macro YAML files, and the mapping of a detection's
//! `tests:` attack data to local files.
//!
//! This crate reads files and hands the syntax crate a [`MacroSet`]; it does not expand or
//! run searches itself.
//!
//! ```no_run
//! use std::path::Path;
//! use spl_detections::{load_detection, load_macros_for, LoadOptions};
//!
//! let path = Path::new("queries/kubernetes_scanning_by_unauthenticated_ip_address.yml");
//! let detection = load_detection(path)?;
//! let macros = load_macros_for(path, Some(Path::new(".")), &[], &LoadOptions::default())?;
//! assert_eq!(
//!     detection.filter_macro_name(),
//!     "kubernetes_scanning_by_unauthenticated_ip_address_filter"
//! );
//! # let _ = macros;
//! # Ok::<(), spl_detections::DetectionError>(())
//! ```
//!
//! YAML is read with `serde-saphyr`; anchors, aliases and files over
//! [`LoadOptions::max_file_bytes`] are refused. Errors name the file and, where the YAML
//! parser knows it, the line and column.
#![warn(missing_docs)]

mod attack_data;
pub mod coverage;
mod detection;
mod discovery;
mod error;
mod filter_name;
pub mod function_coverage;
mod lookups;
mod macro_file;
mod sourcetypes;
pub mod testing;
mod yaml;

pub use attack_data::{attack_data_path, ATTACK_DATA_URL_PREFIX, DEFAULT_ATTACK_DATA_ROOT};
pub use detection::{
    load_detection, load_detection_with, parse_detection_yaml, AttackData, Detection, Observable,
    Rba, RiskObject, Tags, TestSpec, ThreatObject,
};
pub use discovery::{load_macros_for, macro_dirs_for};
pub use error::DetectionError;
pub use filter_name::filter_macro_name;
pub use lookups::{
    load_lookup_dir, load_lookup_dir_with, LookupLoadOptions, LookupSet, DEFAULT_MAX_TABLE_BYTES,
};
pub use macro_file::{
    load_macro_dir, load_macro_dir_with, load_macro_file, load_macro_file_with, parse_macro_yaml,
    yaml_files,
};
pub use sourcetypes::{
    load_field_definitions, load_field_definitions_for, sourcetype_dir_for, SOURCETYPES_DIR,
};
pub use spl_engine::FieldDefinitions;
pub use spl_syntax::macros::{MacroDefinition, MacroSet};
pub use yaml::LoadOptions;
