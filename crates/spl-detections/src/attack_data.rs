//! Mapping a test's `attack_data` URL to a local file.
//!
//! ESCU tests name files of the `splunk/attack_data` repository by their Git LFS media URL.
//! The engine works offline, so
//! `https://media.githubusercontent.com/media/splunk/attack_data/master/datasets/<P>` is read
//! from `<root>/<P>`; any other URL is an error naming it.

use std::path::{Component, Path, PathBuf};

use crate::error::DetectionError;

/// The URL prefix of ESCU attack data.
pub const ATTACK_DATA_URL_PREFIX: &str =
    "https://media.githubusercontent.com/media/splunk/attack_data/master/datasets/";

/// The folder local copies of attack data live in, unless told otherwise.
pub const DEFAULT_ATTACK_DATA_ROOT: &str = "testdata/attack_data";

/// The local file for attack data `url`: `<root>/<P>` for an URL
/// `…/attack_data/master/datasets/<P>`. `P` must be a relative path without `..`.
pub fn attack_data_path(url: &str, root: &Path) -> Result<PathBuf, DetectionError> {
    let error = |reason: &str| DetectionError::AttackDataUrl {
        url: url.to_string(),
        reason: reason.to_string(),
    };
    let Some(relative) = url.trim().strip_prefix(ATTACK_DATA_URL_PREFIX) else {
        return Err(error(&format!(
            "expected it to start with {ATTACK_DATA_URL_PREFIX}"
        )));
    };
    // Some ESCU URLs have a doubled slash after `datasets/`.
    let relative = relative.trim_start_matches('/');
    if relative.is_empty() || relative.ends_with('/') {
        return Err(error("it names a folder, not a file"));
    }
    if relative.contains(['?', '#', '\\']) {
        return Err(error("it has a query, a fragment or a backslash"));
    }
    let relative = Path::new(relative);
    let plain = relative
        .components()
        .all(|component| matches!(component, Component::Normal(_)));
    if !plain {
        return Err(error("its path must not contain `..`, `.` or a root"));
    }
    Ok(root.join(relative))
}
