//! GeoIP lookups for `iplocation`, over MaxMind City databases (GeoLite2-City, the format
//! Splunk ships).
//!
//! This crate owns the database: finding it ([`resolve_database`]), opening and validating
//! it ([`MaxMindLocator::open`]), and mapping City records to the engine's
//! [`spl_engine::geo::Location`] (spl-semantics.md §3.3). It does not know `iplocation`'s
//! options or output field names; the engine does.
//!
//! Opening checks what can be checked cheaply: the MaxMind DB metadata and search-tree
//! layout, that `database_type` is a City database, and a probe lookup. A file corrupt
//! further in still opens; its lookups then return [`spl_engine::geo::LocateError`],
//! never panic.
//!
//! ```
//! use spl_engine::geo::IpLocator;
//! let resolved = spl_geoip::resolve_database(None, &|_| None).unwrap();
//! assert!(resolved.source.is_test_database());
//! let sweden = resolved.locator.locate("89.160.20.112".parse().unwrap(), "code").unwrap();
//! assert_eq!(sweden.unwrap().country.as_deref(), Some("SE"));
//! ```
#![warn(missing_docs)]

mod error;
mod locator;
mod record;
mod resolve;

pub use error::GeoIpError;
pub use locator::{MaxMindLocator, EMBEDDED_ORIGIN, EMBEDDED_TEST_DATABASE};
pub use record::{FALLBACK_LANG, LANG_CODE};
pub use resolve::{
    process_env, resolve_database, DatabaseSource, ResolvedDatabase, ENV_GEOIP_DB, ENV_SPLUNK_HOME,
    SPLUNK_HOME_DATABASE,
};
