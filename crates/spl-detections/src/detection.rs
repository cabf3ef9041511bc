//! ESCU detection YAML files: the keys the engine and the test runner use.
//!
//! ```yaml
//! name: Kubernetes Scanning by Unauthenticated IP Address
//! id: f9cadf4e-df22-4f4e-a08f-9d3344c2165d
//! type: Anomaly
//! data_source: [Kubernetes Audit]
//! search: '`kube_audit` … | `kubernetes_scanning_by_unauthenticated_ip_address_filter`'
//! rba:
//!   message: Kubernetes scanning from ip $src_ip$
//!   risk_objects: [{field: user, type: user, score: 20}]
//!   threat_objects: [{field: src_ip, type: ip_address}]
//! tests:
//!   - name: True Positive Test
//!     attack_data:
//!       - data: https://media.githubusercontent.com/media/splunk/attack_data/master/datasets/…json
//!         sourcetype: _json
//!         source: kubernetes
//! ```
//!
//! All other keys (`description`, `tags`, `drilldown_searches`, …) are ignored.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::DetectionError;
use crate::filter_name::filter_macro_name;
use crate::yaml::{parse, read_text, LoadOptions};

/// One ESCU detection.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Detection {
    /// The detection's name (`Kubernetes Scanning by Unauthenticated IP Address`).
    pub name: String,
    /// Its UUID, as written.
    #[serde(default)]
    pub id: String,
    /// `TTP`, `Anomaly`, `Hunting`, `Correlation`, … (empty when absent).
    #[serde(default)]
    pub r#type: String,
    /// The SPL search, macros not yet expanded.
    pub search: String,
    /// Data source names (`Kubernetes Audit`).
    #[serde(default)]
    pub data_source: Vec<String>,
    /// Risk-based alerting: which result fields are risk and threat objects.
    #[serde(default)]
    pub rba: Option<Rba>,
    /// The tests that replay attack data through the search.
    #[serde(default)]
    pub tests: Vec<TestSpec>,
    /// The `tags:` keys the engine reads (older detections describe their risk and threat
    /// objects in `tags.observable` instead of `rba:`).
    #[serde(default)]
    pub tags: Tags,
    /// The file the detection was loaded from.
    #[serde(skip)]
    pub path: PathBuf,
}

impl Detection {
    /// The name of this detection's `_filter` macro (spl-semantics §7.4).
    pub fn filter_macro_name(&self) -> String {
        filter_macro_name(&self.name)
    }
}

/// The `rba:` block.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Rba {
    /// The risk message, with `$field$` placeholders.
    #[serde(default)]
    pub message: String,
    /// Fields every result must have (contentctl fails a test when one is missing).
    #[serde(default)]
    pub risk_objects: Vec<RiskObject>,
    /// Fields at least one result should have.
    #[serde(default)]
    pub threat_objects: Vec<ThreatObject>,
}

/// One entry of `rba.risk_objects`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct RiskObject {
    /// The result field (`user`).
    pub field: String,
    /// The kind of object (`user`, `system`, `other`).
    #[serde(default)]
    pub r#type: String,
    /// The risk score.
    #[serde(default)]
    pub score: i64,
}

/// One entry of `rba.threat_objects`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ThreatObject {
    /// The result field (`src_ip`).
    pub field: String,
    /// The kind of object (`ip_address`, `process`, …).
    #[serde(default)]
    pub r#type: String,
}

/// The `tags:` block; only the keys listed here are read.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Tags {
    /// `tags.observable` (detections written before `rba:` existed).
    #[serde(default)]
    pub observable: Vec<Observable>,
}

/// One entry of `tags.observable`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Observable {
    /// The result field (`src_ip`).
    pub name: String,
    /// The kind of object (`IP Address`, `User`).
    #[serde(default)]
    pub r#type: String,
    /// Roles such as `Victim` or `Attacker`.
    #[serde(default)]
    pub role: Vec<String>,
}

/// One entry of `tests:`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct TestSpec {
    /// The test's name (`True Positive Test`).
    pub name: String,
    /// The data to replay.
    #[serde(default)]
    pub attack_data: Vec<AttackData>,
}

/// One entry of a test's `attack_data:`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AttackData {
    /// The URL of the data file (see [`crate::attack_data_path`]).
    pub data: String,
    /// The `source` the events get.
    #[serde(default)]
    pub source: String,
    /// The `sourcetype` the events get (`_json`).
    #[serde(default)]
    pub sourcetype: String,
}

/// Loads a detection file with the default [`LoadOptions`].
pub fn load_detection(path: &Path) -> Result<Detection, DetectionError> {
    load_detection_with(path, &LoadOptions::default())
}

/// Loads a detection file.
pub fn load_detection_with(
    path: &Path,
    options: &LoadOptions,
) -> Result<Detection, DetectionError> {
    let text = read_text(path, options)?;
    parse_detection_yaml(&text, path, options)
}

/// Parses detection YAML `text` that was read from `path`.
pub fn parse_detection_yaml(
    text: &str,
    path: &Path,
    options: &LoadOptions,
) -> Result<Detection, DetectionError> {
    let mut detection: Detection = parse(text, path, options)?;
    if detection.search.trim().is_empty() {
        return Err(DetectionError::Invalid {
            path: path.to_path_buf(),
            message: format!("detection `{}` has an empty `search`", detection.name),
        });
    }
    detection.path = path.to_path_buf();
    Ok(detection)
}
