//! ESCU content: detection YAML files, macro YAML files, and the mapping of a detection's
//! `tests:` attack data to local files.
#![warn(missing_docs)]
