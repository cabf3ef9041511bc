//! Offline detection tests, judged the way Splunk's contentctl judges them against a
//! server (spl-semantics.md §7.6), plus the project's negative tests.
//!
//! A *positive* test (every `tests:` entry of an ESCU detection) passes when:
//! 1. the search returns at least one result;
//! 2. in every result, each `rba.risk_objects[].field` is present and not the string `null`;
//! 3. no `rba.threat_objects[].field` is missing (or `null`) in every result.
//!
//! Detections in the older ESCU format have no `rba:` block; their `tags.observable`
//! entries stand in for it: role `Victim` ⇒ risk object, role `Attacker` ⇒ threat object
//! (the mapping Splunk used when it moved ESCU from observables to `rba:`).
//!
//! A *negative* test passes when the search returns no result at all. ESCU detection files
//! stay verbatim, so negative tests live in a side file next to the detection,
//! `<detection>.spl-tests.yml` (an spl extension; contentctl never reads it):
//!
//! ```yaml
//! tests:
//!   - name: Near misses must not fire
//!     expect: no_results          # or `results` (contentctl's rule, the default)
//!     attack_data:
//!       - data: ../testdata/detections/kubernetes_node_port_creation/near_miss.json
//!         source: kubernetes
//!         sourcetype: _json
//! ```
//!
//! `data` is an attack_data URL (mapped like the detection's own tests) or a path relative
//! to the side file.

use crate::detection::{AttackData, Detection};
use crate::error::DetectionError;
use crate::yaml::{parse, read_text, LoadOptions};
use serde::Deserialize;
use spl_engine::Record;
use std::path::{Path, PathBuf};

/// The suffix of side files holding a detection's extra tests.
pub const SIDE_FILE_SUFFIX: &str = ".spl-tests.yml";

/// One test ready to run: what to read and what to expect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestCase {
    /// The test's name.
    pub name: String,
    /// What the results must look like.
    pub expectation: Expectation,
    /// The files to replay, with their default fields.
    pub inputs: Vec<TestInput>,
}

/// One file of a test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestInput {
    /// The local file.
    pub path: PathBuf,
    /// The events' `source`.
    pub source: String,
    /// The events' `sourcetype`.
    pub sourcetype: String,
}

/// The side file of `detection_path`: `x.yml` ⇒ `x.spl-tests.yml`.
pub fn side_file_path(detection_path: &Path) -> PathBuf {
    let stem = detection_path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    detection_path.with_file_name(format!("{stem}{SIDE_FILE_SUFFIX}"))
}

#[derive(Debug, Deserialize)]
struct SideFile {
    #[serde(default)]
    tests: Vec<SideTest>,
}

#[derive(Debug, Deserialize)]
struct SideTest {
    name: String,
    #[serde(default)]
    expect: SideExpectation,
    #[serde(default)]
    attack_data: Vec<AttackData>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
enum SideExpectation {
    #[default]
    Results,
    NoResults,
}

/// Every test of `detection`: its own `tests:` (mapped under `attack_data_root`), then the
/// tests of its side file, if there is one.
pub fn test_cases(
    detection: &Detection,
    attack_data_root: &Path,
) -> Result<Vec<TestCase>, DetectionError> {
    let mut cases = Vec::new();
    for test in &detection.tests {
        cases.push(TestCase {
            name: test.name.clone(),
            expectation: Expectation::Results,
            inputs: inputs(&test.attack_data, attack_data_root, None)?,
        });
    }
    let side_path = side_file_path(&detection.path);
    if side_path.is_file() {
        let options = LoadOptions::default();
        let side: SideFile = parse(&read_text(&side_path, &options)?, &side_path, &options)?;
        let base = side_path.parent().unwrap_or(Path::new("."));
        for test in side.tests {
            cases.push(TestCase {
                name: test.name,
                expectation: match test.expect {
                    SideExpectation::Results => Expectation::Results,
                    SideExpectation::NoResults => Expectation::NoResults,
                },
                inputs: inputs(&test.attack_data, attack_data_root, Some(base))?,
            });
        }
    }
    Ok(cases)
}

fn inputs(
    data: &[AttackData],
    attack_data_root: &Path,
    relative_to: Option<&Path>,
) -> Result<Vec<TestInput>, DetectionError> {
    data.iter()
        .map(|entry| {
            let path = match relative_to {
                Some(base) if !entry.data.contains("://") => base.join(&entry.data),
                _ => crate::attack_data_path(&entry.data, attack_data_root)?,
            };
            Ok(TestInput {
                path,
                source: entry.source.clone(),
                sourcetype: if entry.sourcetype.is_empty() {
                    "_json".into()
                } else {
                    entry.sourcetype.clone()
                },
            })
        })
        .collect()
}

/// The risk and threat object fields contentctl checks: from `rba:`, or else from
/// `tags.observable` (role `Victim` ⇒ risk, `Attacker` ⇒ threat).
pub fn risk_and_threat_fields(detection: &Detection) -> (Vec<String>, Vec<String>) {
    if let Some(rba) = &detection.rba {
        return (
            rba.risk_objects.iter().map(|o| o.field.clone()).collect(),
            rba.threat_objects.iter().map(|o| o.field.clone()).collect(),
        );
    }
    let with_role = |role: &str| {
        detection
            .tags
            .observable
            .iter()
            .filter(|o| o.role.iter().any(|r| r.eq_ignore_ascii_case(role)))
            .map(|o| o.name.clone())
            .collect()
    };
    (with_role("Victim"), with_role("Attacker"))
}

/// What a test expects of the detection's results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Expectation {
    /// contentctl's rule: at least one result, with the risk and threat object fields.
    #[default]
    Results,
    /// No result at all (near-misses that must not fire).
    NoResults,
}

/// The outcome of one test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The test passed.
    Pass,
    /// The test failed, with the reason in plain words.
    Fail(String),
}

/// Judges `rows` against `expectation`, with the detection's risk and threat object fields.
pub fn judge(
    rows: &[Record],
    expectation: Expectation,
    risk_fields: &[String],
    threat_fields: &[String],
) -> Verdict {
    match expectation {
        Expectation::NoResults if rows.is_empty() => Verdict::Pass,
        Expectation::NoResults => Verdict::Fail(format!("expected no results, got {}", rows.len())),
        Expectation::Results => judge_results(rows, risk_fields, threat_fields),
    }
}

fn judge_results(rows: &[Record], risk_fields: &[String], threat_fields: &[String]) -> Verdict {
    if rows.is_empty() {
        return Verdict::Fail("the search returned no results".into());
    }
    for (index, row) in rows.iter().enumerate() {
        if let Some(field) = risk_fields.iter().find(|f| !is_set(row, f)) {
            return Verdict::Fail(format!(
                "result {} has no value for risk object field `{field}`",
                index + 1
            ));
        }
    }
    // contentctl passes as soon as one result has every threat object; otherwise it fails
    // only when some threat object field is missing from every result.
    match threat_fields
        .iter()
        .find(|field| !rows.iter().any(|row| is_set(row, field)))
    {
        None => Verdict::Pass,
        Some(field) => Verdict::Fail(format!(
            "no result has a value for threat object field `{field}`"
        )),
    }
}

/// contentctl treats an absent field and the string `null` alike.
fn is_set(row: &Record, field: &str) -> bool {
    row.get(field).is_some_and(|v| v.first() != "null")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(fields: &[(&str, &str)]) -> Record {
        fields
            .iter()
            .map(|(k, v)| (k.to_string(), spl_engine::Value::from(*v)))
            .collect()
    }

    fn names(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn no_results_fails_a_positive_test() {
        assert!(matches!(
            judge(&[], Expectation::Results, &[], &[]),
            Verdict::Fail(_)
        ));
    }

    #[test]
    fn risk_object_must_be_in_every_result() {
        let rows = [row(&[("user", "bob")]), row(&[("src_ip", "1.2.3.4")])];
        assert_eq!(
            judge(&rows, Expectation::Results, &names(&["user"]), &[]),
            Verdict::Fail("result 2 has no value for risk object field `user`".into())
        );
    }

    #[test]
    fn the_string_null_counts_as_missing() {
        let rows = [row(&[("user", "null")])];
        assert!(matches!(
            judge(&rows, Expectation::Results, &names(&["user"]), &[]),
            Verdict::Fail(_)
        ));
    }

    #[test]
    fn one_result_with_all_threat_objects_is_enough() {
        let rows = [
            row(&[("user", "a")]),
            row(&[("user", "b"), ("src_ip", "1.2.3.4")]),
        ];
        assert_eq!(
            judge(
                &rows,
                Expectation::Results,
                &names(&["user"]),
                &names(&["src_ip"])
            ),
            Verdict::Pass
        );
        let rows = [
            row(&[("user", "a"), ("src_ip", "1.2.3.4")]),
            row(&[("user", "b"), ("dest", "h")]),
        ];
        assert_eq!(
            judge(
                &rows,
                Expectation::Results,
                &[],
                &names(&["src_ip", "dest"])
            ),
            Verdict::Pass,
            "each threat field appears in some result"
        );
        let rows = [row(&[("user", "a"), ("src_ip", "null")])];
        assert!(matches!(
            judge(
                &rows,
                Expectation::Results,
                &names(&["user"]),
                &names(&["src_ip"])
            ),
            Verdict::Fail(_)
        ));
    }

    #[test]
    fn negative_tests_need_zero_results() {
        assert_eq!(judge(&[], Expectation::NoResults, &[], &[]), Verdict::Pass);
        assert_eq!(
            judge(&[row(&[("a", "1")])], Expectation::NoResults, &[], &[]),
            Verdict::Fail("expected no results, got 1".into())
        );
    }
}
